"""A consistent copy of a data directory, made while `hazkb serve` may be using it, and the check of such a copy.

What is copied:
- the SQLite database (documents and articles, question bank, exam records, admin accounts and sessions, the
  violation catalog and the bureau's 裁量基准 tiers all live in it), through SQLite's online backup API in a single
  step: the copy is the database as of one moment (one read transaction, committed content of the -wal file
  included). The database runs in WAL mode, so writers carry on meanwhile and the copy never holds half a write.
- what cannot be rebuilt from the database: `uploads/` (documents received by the web app), `lexicon/` (the
  bureau's own terms), `blueprints/` (its own exam blueprints) and, from homes made before the exam resume secret
  moved into the database, `exam-resume.key` (adopted into the database on first start; quiz.resume).

Skipped, and said so: `index/` and `chroma/` are caches rebuilt from the database; anything else in the data
directory is named in the report. With a server database (PostgreSQL) the database is not copied: the report
carries the pg_dump command to use instead.

The copy is made in a hidden directory next to the destination and renamed to it at the end, so the destination
either holds a complete backup or does not exist. Restoring is copying it into an empty data directory (docs/deploy.md).
"""
from __future__ import annotations

import json
import logging
import os
import shlex
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import InputError, StoreError

log = logging.getLogger(__name__)

MANIFEST = "hazkb-backup.json"
FORMAT = 1
DATABASE_FILE = "catalog.db"  # the database's name inside a backup (and its default name in a data directory)
PG_DUMP_FILE = "hazkb.pgdump"
# Entries of a data directory that cannot be rebuilt from the database.
KEPT = ("uploads", "lexicon", "blueprints", "exam-resume.key")
# Entries that are caches, with why they need no copy.
CACHES = {
    "index": "检索索引（关键词索引、违法行为索引）是缓存，恢复后首次使用时会从知识库自动重建，也可运行 hazkb index",
    "chroma": "向量索引是缓存，恢复后运行 hazkb index --dense 从知识库重建",
}
# Tables counted in a backup and in its check (absent tables, from an older or partial home, count as 0).
COUNTED = {"documents": "文档", "units": "条文/单元", "questions": "试题", "exams": "考试记录",
           "violations": "违法行为条目", "discretion_tiers": "裁量基准阶次", "admin_accounts": "管理员账号"}
BUSY_TIMEOUT = 30.0  # seconds to wait for a writer holding an exclusive lock (not needed in WAL mode)


@dataclass
class CopiedTree:
    path: str  # relative to the data directory
    files: int
    bytes: int


@dataclass
class BackupReport:
    dest: Path
    source_home: Path
    database_source: str  # the database file, or the server URL without its password
    database_bytes: int  # 0 when the database was not copied (server database)
    copied: list[CopiedTree] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, why it was not copied)
    counts: dict[str, int] = field(default_factory=dict)  # rows in the copy
    pg_dump: str | None = None  # the command that backs up a server database
    seconds: float = 0.0

    @property
    def database_copied(self) -> bool:
        return self.pg_dump is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "dest": str(self.dest),
            "source_home": str(self.source_home),
            "database": {"source": self.database_source, "copied": self.database_copied,
                         "file": DATABASE_FILE if self.database_copied else None, "bytes": self.database_bytes,
                         "pg_dump": self.pg_dump},
            "counts": self.counts,
            "files": [{"path": c.path, "files": c.files, "bytes": c.bytes} for c in self.copied],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "seconds": round(self.seconds, 2),
        }


@dataclass
class CheckReport:
    dest: Path
    counts: dict[str, int]  # rows found in the copy
    expected: dict[str, int]  # rows the manifest recorded when the copy was made
    problems: list[str]  # in Chinese, each with what to do
    database_copied: bool
    created_at: str | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"dest": str(self.dest), "ok": self.ok, "created_at": self.created_at,
                "database_copied": self.database_copied, "counts": self.counts, "expected": self.expected,
                "problems": self.problems}


# -- making a backup -------------------------------------------------------------------------------


def backup_home(settings, dest: Path | str) -> BackupReport:
    """Copy the data directory of `settings` to `dest` (a new directory, or an empty one)."""
    started = time.monotonic()
    home = Path(settings.home).expanduser().resolve()
    dest = Path(dest).expanduser().resolve()
    database, pg_url = _database(settings)
    if database is not None and not home.is_dir():
        raise StoreError(f"数据目录 {home} 不存在，没有可备份的内容；请用 --home 或 HAZKB_HOME 指定 hazkb 的数据目录")
    if database is not None and not database.is_file():
        raise StoreError(f"数据目录 {home} 中没有知识库数据库 {database.name}；"
                         "请用 --home 或 HAZKB_HOME 指定 hazkb serve 使用的数据目录")
    _check_dest(dest, home)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))  # mode 0700
    except OSError as exc:
        raise StoreError(f"无法在 {dest.parent} 下建立备份目录（{exc.strerror or exc}）；"
                         "请检查该目录的写权限和剩余空间，或换一个备份位置") from exc
    try:
        report = BackupReport(dest=dest, source_home=home, database_source="", database_bytes=0)
        if database is not None:
            report.database_source = str(database)
            report.database_bytes = copy_database(database, work / DATABASE_FILE)
            report.counts = count_rows(work / DATABASE_FILE)
        else:
            report.database_source = _without_password(pg_url or "")
            report.pg_dump = pg_dump_command(pg_url or "", dest / PG_DUMP_FILE)
        if home.is_dir():
            for name in KEPT:
                if (home / name).exists() or (home / name).is_symlink():
                    report.copied.append(_copy_entry(home / name, work / name, name))
            report.skipped = _skipped(home, database)
        report.seconds = time.monotonic() - started
        _write_manifest(work, report)
        if dest.exists():
            dest.rmdir()  # checked empty above
        os.rename(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.seconds = time.monotonic() - started
    log.info("backup of %s written to %s in %.1f s", home, dest, report.seconds)
    return report


def _database(settings) -> tuple[Path | None, str | None]:
    """(SQLite file, None) or (None, server URL) for the configured database."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(settings.db_url)
    except ArgumentError as exc:
        raise StoreError(f"数据库地址 HAZKB_DATABASE_URL 无法解析（{exc}）；请检查该设置") from exc
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StoreError("数据库是内存中的 SQLite，没有可备份的文件；请把 HAZKB_DATABASE_URL 设为文件或取消该设置")
        return Path(url.database).expanduser().resolve(), None
    return None, settings.db_url


def _check_dest(dest: Path, home: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(f"备份目录 {dest} 已存在且不为空，为免覆盖已有备份，没有写入任何内容；"
                         "请指定一个新目录（例如带日期的 /var/backups/hazkb/$(date +%F)）")
    if dest == home or home in dest.parents:
        raise InputError(f"备份目录 {dest} 在数据目录 {home} 之内；磁盘损坏或误删数据目录时备份会一起丢失，"
                         "请把备份放在数据目录之外（最好是另一块磁盘或另一台机器）")


def copy_database(source: Path, target: Path) -> int:
    """SQLite's online backup of `source` into the new file `target`, in one step; returns the copy's size.

    One step = one read transaction on the source: the copy is the database as of one moment. In WAL mode writers
    are not blocked meanwhile; in rollback mode a writer holding its lock makes the backup wait (and retry).
    """
    try:
        src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise StoreError(f"无法打开数据库 {source}（{exc}）；请以运行 hazkb serve 的用户身份运行备份，"
                         "或检查该文件的读权限") from exc
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst, pages=-1, sleep=0.1)
            # A self-contained file: no -wal beside it (hazkb switches it back to WAL when it opens the database).
            dst.execute("PRAGMA journal_mode=DELETE")
            problem = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise StoreError(f"备份数据库 {source} 失败（SQLite：{exc}）；"
                         "若提示数据库已损坏，请从更早的备份恢复；若提示忙，请稍后重试") from exc
    finally:
        src.close()
    if problem != "ok":
        raise StoreError(f"数据库副本检查未通过（SQLite：{problem}）；原数据库可能已损坏，请运行 hazkb doctor 检查，"
                         "并保留更早的备份")
    return target.stat().st_size


def count_rows(database: Path) -> dict[str, int]:
    """Rows of the counted tables in a SQLite file, opened read-only."""
    con = sqlite3.connect(f"file:{quote(str(database))}?mode=ro", uri=True)
    try:
        present = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # table names come from COUNTED, never from input
        return {table: (con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] if table in present else 0)
                for table in COUNTED}
    finally:
        con.close()


def _copy_entry(source: Path, target: Path, name: str) -> CopiedTree:
    """Copy a file or a folder (symbolic links copied as links, never followed)."""
    files = size = 0
    walk = [(source, target)] if not source.is_dir() or source.is_symlink() else []
    if not walk:
        target.mkdir()
        for root, dirs, names in os.walk(source):
            rel = Path(root).relative_to(source)
            for d in dirs:
                if (Path(root) / d).is_symlink():
                    walk.append((Path(root) / d, target / rel / d))
                else:
                    (target / rel / d).mkdir()
            walk.extend((Path(root) / n, target / rel / n) for n in names)
    for src, dst in walk:
        try:
            shutil.copy2(src, dst, follow_symlinks=False)
        except FileNotFoundError:
            log.info("%s disappeared during the backup (removed meanwhile); not copied", src)
            continue
        except OSError as exc:
            raise StoreError(f"无法复制 {src}（{exc.strerror or exc}）；请以运行 hazkb serve 的用户身份运行备份，"
                             "并检查备份位置的剩余空间") from exc
        files += 1
        size += dst.lstat().st_size
    return CopiedTree(name, files, size)


def _skipped(home: Path, database: Path | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    copied_db = database.name if database is not None and database.parent == home else None
    db_names = {f"{copied_db}-wal", f"{copied_db}-shm", f"{copied_db}-journal"} if copied_db else set()
    for entry in sorted(home.iterdir()):
        name = entry.name
        if name in KEPT or name == copied_db:
            continue
        if name in CACHES:
            out.append((name, CACHES[name]))
        elif name in db_names:
            out.append((name, "数据库的日志文件，其中已提交的内容已包含在数据库副本中"))
        else:
            out.append((name, "hazkb 不认识的文件，未复制；如仍需要请自行复制"))
    return out


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    # URL.set(password=None) keeps the password; the named tuple's _replace drops it
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def pg_dump_command(url: str, target: Path) -> str:
    """The pg_dump command for a server database (libpq URL, without the password: give it in ~/.pgpass or
    PGPASSWORD, never on a command line others can see)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return (f"（{parsed.get_backend_name()} 数据库请用其自带的备份工具）")
    libpq = parsed._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return f"pg_dump --format=custom --file {shlex.quote(str(target))} {shlex.quote(libpq)}"


def _write_manifest(work: Path, report: BackupReport) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        hazkb_version = version("hazkb")
    except PackageNotFoundError:
        hazkb_version = "unknown"
    data = {"format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "hazkb_version": hazkb_version, **report.as_dict()}
    data.pop("seconds", None)
    (work / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- checking a backup -----------------------------------------------------------------------------


def check_backup(dest: Path | str) -> CheckReport:
    """Open a backup made by backup_home: the database's integrity, its row counts against the manifest, the files."""
    dest = Path(dest).expanduser().resolve()
    manifest_path = dest / MANIFEST
    if not dest.is_dir():
        raise InputError(f"备份目录 {dest} 不存在；请给出 hazkb backup 生成的目录")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{dest} 中没有 {MANIFEST}，不是 hazkb backup 生成的备份（或备份未完成）；"
                         "请给出 hazkb backup 生成的目录") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"{manifest_path} 无法读取（{exc}）；该备份可能已损坏，请换用另一份备份") from exc
    problems: list[str] = []
    database = manifest.get("database") or {}
    expected = {k: int(v) for k, v in (manifest.get("counts") or {}).items()}
    counts: dict[str, int] = {}
    if database.get("copied"):
        path = dest / DATABASE_FILE
        if not path.is_file():
            problems.append(f"备份中缺少数据库文件 {DATABASE_FILE}；该备份不完整，请换用另一份备份")
        else:
            counts, problem = _open_copy(path)
            if problem:
                problems.append(problem)
            for table, want in expected.items():
                if counts.get(table) != want:
                    problems.append(f"{COUNTED.get(table, table)}数为 {counts.get(table)}，备份时为 {want}；"
                                    "数据库副本在备份后被改动或损坏，请换用另一份备份")
    elif not (dest / PG_DUMP_FILE).exists():
        problems.append(f"这份备份不含数据库（数据库在 PostgreSQL 上），目录中也没有 {PG_DUMP_FILE}；"
                        f"请确认已用 pg_dump 另行备份：{database.get('pg_dump') or 'pg_dump'}")
    for entry in manifest.get("files") or []:
        found = _count_files(dest / entry["path"])
        if found < int(entry.get("files", 0)):
            problems.append(f"{entry['path']} 中有 {found} 个文件，备份时为 {entry['files']}；"
                            "该备份不完整，请换用另一份备份")
    return CheckReport(dest=dest, counts=counts, expected=expected, problems=problems,
                       database_copied=bool(database.get("copied")), created_at=manifest.get("created_at"))


def _open_copy(path: Path) -> tuple[dict[str, int], str | None]:
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            con.close()
        counts = count_rows(path)
    except sqlite3.Error as exc:
        return {}, f"数据库副本无法打开（SQLite：{exc}）；该备份已损坏，请换用另一份备份"
    if result != "ok":
        return counts, f"数据库副本完整性检查未通过（SQLite：{result}）；该备份已损坏，请换用另一份备份"
    return counts, None


def _count_files(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return 1
    if not path.is_dir():
        return 0
    return sum(len(names) + sum(1 for d in dirs if (Path(root) / d).is_symlink())
               for root, dirs, names in os.walk(path))
