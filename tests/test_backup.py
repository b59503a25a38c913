"""`hazkb backup`: a consistent copy of a data directory while other connections write to it, its check, and a
restore into an empty data directory. Real catalog, question bank, ingest and SQLite; no network."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from corpus.backup import CACHES, DATABASE_FILE, MANIFEST, backup_home, check_backup, count_rows
from corpus.errors import InputError, StoreError

TERMS = "词条\t扩展\t类别\t理由\n洋油\t汽油 煤油\t口语\t本县对煤油的叫法\n"


def _regulation(n: int) -> str:
    """A small hand-written bureau regulation with three articles; `n` makes its title (and identity) unique."""
    return (f"# 某县危险化学品安全检查规定（第{n}号）\n\n2026年1月1日 某县应急管理局发布\n\n<!-- INFO END -->\n\n"
            "## 第一章 总则\n\n"
            "第一条 为了加强本县危险化学品安全检查工作，制定本规定。\n\n"
            "第二条 危险化学品单位应当建立安全检查台账，如实记录检查发现的问题和整改情况。\n\n"
            "第三条 检查人员发现重大事故隐患的，应当当场责令整改，并告知所在地应急管理部门。\n")


def _ingest(catalog, folder, n: int) -> None:
    from ingest.pipeline import ingest_paths

    path = folder / f"某县危险化学品安全检查规定{n}.md"
    path.write_text(_regulation(n), encoding="utf-8")
    report = ingest_paths(catalog, [path])
    assert report.ok, report.failed


def _question(n: int):
    from quiz.model import QType, Question

    return Question(qtype=QType.TRUE_FALSE, stem=f"检查发现重大事故隐患的，应当当场责令整改（第{n}题）。",
                    options=["正确", "错误"], answer="A")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A data directory as a running bureau has it: two regulations, a question bank, an uploaded file, the
    bureau's own terms, the exam resume key, and the lexical index (a cache). Built once; each test gets a copy."""
    from corpus.catalog import open_catalog
    from corpus.settings import Settings
    from quiz.store import open_bank
    from retriever.kb import open_searcher

    root = tmp_path_factory.mktemp("backup-template")
    settings = Settings.from_env({}, home=root / "home", no_builtin=True)
    catalog = open_catalog(settings)
    for n in (1, 2):
        _ingest(catalog, root, n)
    bank = open_bank(settings)
    bank.add_many([_question(n) for n in range(3)])
    bank.close()
    open_searcher(settings, catalog)  # writes index/lexical.pkl
    catalog.close()
    (settings.home / "uploads").mkdir()
    (settings.home / "uploads" / "upload-1.md").write_text(_regulation(9), encoding="utf-8")
    (settings.home / "lexicon").mkdir()
    (settings.home / "lexicon" / "terms.tsv").write_text(TERMS, encoding="utf-8")
    # the exam resume secret, as the web app writes it on first use: owner-only
    fd = os.open(settings.home / "exam-resume.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("0123456789abcdef" * 4 + "\n")
    assert (settings.home / "index" / "lexical.pkl").is_file()
    return settings.home


@pytest.fixture
def home(template, settings):
    shutil.copytree(template, settings.home)
    return settings


def _source_counts(settings) -> dict[str, int]:
    return count_rows(settings.home / DATABASE_FILE)


def test_backup_check_and_restore(home, tmp_path):
    dest = tmp_path / "backups" / "2026-12-02"
    report = backup_home(home, dest)
    assert report.database_copied and report.pg_dump is None
    assert report.counts == _source_counts(home)
    assert report.counts["documents"] == 2 and report.counts["units"] == 6 and report.counts["questions"] == 3
    assert {c.path: c.files for c in report.copied} == {"uploads": 1, "lexicon": 1, "exam-resume.key": 1}
    skipped = dict(report.skipped)
    assert skipped["index"] == CACHES["index"]
    assert sorted(p.name for p in dest.iterdir()) == sorted([DATABASE_FILE, MANIFEST, "uploads", "lexicon",
                                                            "exam-resume.key"])
    assert oct(dest.stat().st_mode & 0o777) == "0o700"  # exam records and password hashes: owner only
    assert oct((dest / "exam-resume.key").stat().st_mode & 0o777) == "0o600"
    assert not list(tmp_path.joinpath("backups").glob(".*partial*"))  # the work directory was renamed
    # a self-contained file: no -wal beside it, and the rollback journal mode in its header
    with sqlite3.connect(dest / DATABASE_FILE) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    checked = check_backup(dest)
    assert checked.ok, checked.problems
    assert checked.counts == checked.expected == report.counts
    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == 1 and manifest["database"]["copied"] and manifest["counts"] == report.counts

    # restore: copy into an empty data directory; hazkb opens it with everything there, indexes rebuilt on use
    from corpus.catalog import open_catalog
    from corpus.settings import Settings
    from quiz.store import open_bank
    from retriever.kb import open_searcher

    restored = Settings.from_env({}, home=tmp_path / "restored", no_builtin=True)
    shutil.copytree(dest, restored.home)
    catalog = open_catalog(restored)
    assert catalog.counts() == {k: v for k, v in open_catalog(home).counts().items()}
    bank = open_bank(restored)
    assert bank.count() == 3
    bank.close()
    searcher, _ = open_searcher(restored, catalog)
    assert (restored.home / "index" / "lexical.pkl").is_file()
    catalog.close()
    assert (restored.home / "lexicon" / "terms.tsv").read_text(encoding="utf-8") == TERMS
    assert (restored.home / "exam-resume.key").read_bytes() == (home.home / "exam-resume.key").read_bytes()


def test_backup_while_another_connection_writes(home, tmp_path):
    """A writer keeps ingesting documents and adding questions (its own connections, as a running server has)
    before, during and after the backup: the copy holds whole writes only, as of one moment."""
    from corpus.catalog import open_catalog
    from quiz.store import open_bank

    stop = threading.Event()
    commits: list[float] = []
    errors: list[BaseException] = []

    def write() -> None:
        catalog, bank = open_catalog(home), open_bank(home)
        folder = tmp_path / "writer"
        folder.mkdir()
        try:
            n = 100
            while not stop.is_set():
                _ingest(catalog, folder, n)  # one document and its three articles in one transaction
                bank.add(_question(n))
                commits.append(time.monotonic())
                n += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            catalog.close()
            bank.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        _wait(lambda: len(commits) >= 2)
        before = _source_counts(home)
        started = time.monotonic()
        report = backup_home(home, tmp_path / "copy")
        finished = time.monotonic()
        _wait(lambda: len(commits) >= 2 and commits[-1] > finished)  # the writer was never stopped by it
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors, errors
    after = _source_counts(home)
    copy = report.counts
    assert before["documents"] <= copy["documents"] <= after["documents"]
    assert before["questions"] <= copy["questions"] <= after["questions"]
    assert commits[0] < started and commits[-1] > finished  # (here about 2 of 6 commits land during the backup)
    with sqlite3.connect(f"file:{tmp_path / 'copy' / DATABASE_FILE}?mode=ro", uri=True) as con:
        per_doc = [n for (n,) in con.execute("SELECT count(*) FROM units GROUP BY doc_id")]
    assert per_doc and set(per_doc) == {3}  # no document without its articles, none with part of them
    assert len(per_doc) == copy["documents"]
    assert check_backup(tmp_path / "copy").ok


def test_open_write_transaction_neither_blocks_nor_leaks_into_the_copy(home, tmp_path):
    """Another connection holds the write lock with an uncommitted change: the backup does not wait for it and
    the copy does not contain it."""
    con = sqlite3.connect(home.home / DATABASE_FILE, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM questions")
        con.execute("DELETE FROM units")
        started = time.monotonic()
        report = backup_home(home, tmp_path / "copy")
        assert time.monotonic() - started < 10  # far below the 30 s busy timeout: it never waited for the lock
        assert report.counts["questions"] == 3 and report.counts["units"] == 6
    finally:
        con.execute("ROLLBACK")
        con.close()


def test_refusals(home, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old").write_text("x")
    with pytest.raises(InputError, match="已存在且不为空"):
        backup_home(home, tmp_path / "full")
    with pytest.raises(InputError, match="数据目录之外"):
        backup_home(home, home.home / "backups")
    from dataclasses import replace

    with pytest.raises(StoreError, match="不存在"):
        backup_home(replace(home, home=tmp_path / "nowhere"), tmp_path / "b1")
    (tmp_path / "empty-home").mkdir()
    with pytest.raises(StoreError, match="没有知识库数据库"):
        backup_home(replace(home, home=tmp_path / "empty-home"), tmp_path / "b2")
    assert not (tmp_path / "b1").exists() and not (tmp_path / "b2").exists()
    (tmp_path / "empty").mkdir()
    backup_home(home, tmp_path / "empty")  # an existing empty directory is fine
    assert check_backup(tmp_path / "empty").ok


def test_check_finds_a_damaged_copy(home, tmp_path):
    dest = tmp_path / "copy"
    backup_home(home, dest)
    with sqlite3.connect(dest / DATABASE_FILE) as con:
        con.execute("DELETE FROM questions")
    (dest / "uploads" / "upload-1.md").unlink()
    checked = check_backup(dest)
    assert not checked.ok
    assert any("试题数为 0，备份时为 3" in p for p in checked.problems)
    assert any(p.startswith("uploads 中有 0 个文件，备份时为 1") for p in checked.problems)
    with pytest.raises(InputError, match="不是 hazkb backup 生成的备份"):
        check_backup(tmp_path)


def _run(home, *args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "ui.cli", "--home", str(home), "--no-builtin", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli(home, tmp_path):
    dest = tmp_path / "copy"
    made = _run(home.home, "backup", str(dest))
    assert made.returncode == 0, made.stderr
    assert f"已备份到 {dest}" in made.stdout and "文档 2、条文/单元 6、试题 3" in made.stdout
    assert "未复制：index（检索索引" in made.stdout and "hazkb backup --check" in made.stdout

    again = _run(home.home, "backup", str(dest))
    assert again.returncode == 1 and "已存在且不为空" in again.stderr and "Traceback" not in again.stderr

    checked = _run(home.home, "backup", "--check", str(dest), "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["ok"] is True
    with sqlite3.connect(dest / DATABASE_FILE) as con:
        con.execute("DELETE FROM documents")
    bad = _run(home.home, "backup", "--check", str(dest))
    assert bad.returncode == 1 and "文档数为 0，备份时为 2" in bad.stderr


def test_cli_postgresql_prints_pg_dump(home, tmp_path):
    """With a server database the files are copied and the pg_dump command printed, without the password and
    without connecting to the server (port 9 on localhost: nothing listens there)."""
    url = "postgresql+psycopg://hazkb:s3cret@127.0.0.1:9/hazkb?sslmode=require"
    dest = tmp_path / "copy"
    made = _run(home.home, "backup", str(dest), env_extra={"HAZKB_DATABASE_URL": url})
    assert made.returncode == 0, made.stderr
    assert "s3cret" not in made.stdout + made.stderr
    assert f"pg_dump --format=custom --file {dest}/hazkb.pgdump " \
           "'postgresql://hazkb@127.0.0.1:9/hazkb?sslmode=require'" in made.stdout
    assert not (dest / DATABASE_FILE).exists() and (dest / "uploads" / "upload-1.md").is_file()
    checked = _run(home.home, "backup", "--check", str(dest))
    assert checked.returncode == 1 and "pg_dump" in checked.stderr


def _wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
