"""Ingest files and folders into the catalog: idempotent by content hash, one transaction per file."""
from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from corpus.catalog import Catalog
from corpus.citations import parse_references
from corpus.errors import HazkbError, IngestError
from corpus.model import DocKind, Document, Reference, content_hash
from corpus.numbers import MAX_ARTICLE

from .document import Overrides
from .formats import format_for, suffix_list

log = logging.getLogger(__name__)

# Guard against a stray huge file (a video renamed .pdf); real regulations are far smaller.
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class IngestReport:
    ingested: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in a folder with an unsupported extension
    warnings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_json(self) -> dict:
        return {"ingested": self.ingested, "unchanged": self.unchanged, "failed": self.failed,
                "skipped": self.skipped, "warnings": self.warnings}


def access_problem(exc: OSError, path: Path, what: str = "文件") -> str:
    """Why a path cannot be opened, in words a user can act on."""
    if exc.errno == errno.ELOOP:
        return "这是一个循环的符号链接（链接直接或间接指向自己），无法打开；请把它改为指向实际的文件，或直接导入原文件"
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return f"这是一个符号链接，但它指向的{what}（{os.readlink(path)}）不存在；请修正链接，或直接导入原{what}"
        return "文件或目录不存在；请检查路径是否正确"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有读取权限，无法打开该{what}；请检查{what}权限（如 chmod +r）或换一个有权限的账户后重新导入"
    if exc.errno == errno.EIO:
        return f"读取{what}时发生输入输出错误（磁盘、U 盘或网络共享可能有故障）；请把{what}复制到本机后再导入"
    return f"无法打开该{what}（{exc.strerror or exc}）；请检查{what}是否存在、是否有读取权限"


def expand(paths: list[Path], report: IngestReport) -> list[Path]:
    """Files to ingest: given files as they are, folders walked for supported extensions. Paths that cannot be
    opened (missing, link loops, no permission), and folders that cannot be read, are reported as failed."""
    files: list[Path] = []
    for path in paths:
        kind = _kind(path, report)
        if kind == "dir":
            files.extend(_walk(path, report))
        elif kind == "file":
            files.append(path)
    return files


def _kind(path: Path, report: IngestReport) -> str | None:
    """"file", "dir", or None when the path cannot be ingested (reported as failed)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        report.failed.append({"path": str(path), "reason": access_problem(exc, path)})
        return None
    if stat.S_ISDIR(mode):
        return "dir"
    if not stat.S_ISREG(mode):
        report.failed.append({"path": str(path), "reason": "这不是普通文件（可能是设备、管道或套接字），无法导入；"
                                                           "请导入 .pdf、.docx、.md 或 .txt 文件"})
        return None
    return "file"


def _walk(folder: Path, report: IngestReport) -> list[Path]:
    """Supported files under a folder, in path order; hidden files and folders are left out, symbolic links to
    folders are not followed, and subfolders that cannot be read and broken links are reported as failed."""
    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        if exc.errno in (errno.EACCES, errno.EPERM):
            reason = "没有读取权限，无法打开该文件夹，其中的文件都未导入；请检查文件夹权限（如 chmod +rx）后重新导入"
        else:
            reason = f"无法打开该文件夹，其中的文件都未导入（{access_problem(exc, where, '文件夹')}）"
        report.failed.append({"path": str(where), "reason": reason})

    candidates: list[Path] = []
    skipped: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            child = Path(dirpath) / name
            if name.startswith("."):
                continue
            if format_for(child) is not None:
                candidates.append(child)
            else:
                skipped.append(str(child))
    report.skipped.extend(sorted(skipped))
    return [child for child in sorted(candidates) if _kind(child, report) == "file"]


def attach_references(doc: Document) -> None:
    """Each unit's citations; those of numbers no law uses stay unresolved, with a warning naming the place."""
    for unit in doc.units:
        bad: list[Reference] = []
        unit.references = parse_references(unit.text, out_of_range=bad)
        for ref in bad:
            doc.warnings.append(f"{unit.label or '正文'}引用的“{ref.raw}”条号超出范围（应在 1 到 {MAX_ARTICLE} 之间），"
                                "未作为引用处理；请核对原文中的条号")


def load_file(path: Path, data: bytes, digest: str, overrides: Overrides) -> Document:
    """Parse one file into a Document with ids and references; raises IngestError with the reason."""
    suffix = path.suffix.lower()
    fmt = format_for(path)
    if fmt is None:
        raise IngestError(str(path), f"不支持的文件类型“{suffix or '无扩展名'}”；"
                                     f"请导入 {suffix_list()} 文件（旧版 .doc 请先另存为 .docx）")
    loader = fmt.loader()
    if not data.strip():
        raise IngestError(str(path), "文件为空，没有可导入的内容；请检查文件是否正确导出")
    doc = loader(path, data, digest, overrides)
    if not doc.units:
        raise IngestError(str(path), "文件中没有可导入的文字内容；请检查文件是否完整")
    doc.assign_ids()
    attach_references(doc)
    return doc


def _version(doc: Document) -> str:
    return doc.version_date.isoformat() if doc.version_date else "无版本日期"


def _origin(source: str) -> str:
    return "内置国家法律库" if source.startswith("builtin:") else source


def conflict_reason(doc: Document, existing: Document, owners: list[str]) -> str:
    """Why a file whose title and version are those of a document from another file is not ingested."""
    where = "、".join(_origin(o) for o in owners) or _origin(existing.source)
    return (f"标题和版本与已导入的《{existing.title}》（版本 {_version(existing)}，编号 {existing.doc_id}，"
            f"来源 {where}）相同，为免覆盖它，本文件未导入。如要用本文件替换它，请加 --replace 重新导入"
            "（原文本会存入历史，可用 hazkb docs --history 查看、--restore 恢复）；如两者是不同的文件，"
            "请用 --title 指定不同的标题，或在文件名中注明版本日期，如“标题(2024-01-01).md”")


@dataclass
class _Claim:
    """What storing a document would do to documents from other files."""

    conflict: str | None = None  # why it is refused (without --replace)
    refused: str | None = None  # why it is refused in any case
    replaces: str | None = None  # the other file whose text it replaces
    versions: list[Document] = field(default_factory=list)  # other versions of the same law, from other files


def _claim(catalog: Catalog, doc: Document, source: str) -> _Claim:
    claim = _Claim()
    existing = catalog.find_document(doc.doc_id)
    if existing is not None:
        owners = catalog.sources_of(doc.doc_id)
        if source not in owners:
            others = owners or [existing.source]
            claim.replaces = "、".join(_origin(o) for o in others)
            if not all(o.startswith("builtin:") for o in others):
                claim.conflict = conflict_reason(doc, existing, owners)
    claim.versions = [v for v in catalog.versions(doc.title)
                      if v.doc_id != doc.doc_id and source not in catalog.sources_of(v.doc_id)]
    laws = [v for v in claim.versions if v.kind is DocKind.REGULATION]
    if laws and doc.kind is not DocKind.REGULATION:
        # A note or plan under a law's name would be searched and cited as that law.
        claim.refused = (f"标题与知识库中已有的法规《{laws[0].title}》相同，但本文件没有识别出条文（第X条），"
                         "不是该法规的文本；为免把它当作该法规的一个版本，本文件未导入。请用 --title 指定本文件"
                         "自己的标题后重新导入；如它确是该法规，请检查文件格式（每条以“第X条”开头）")
    return claim


def _claim_warnings(catalog: Catalog, doc: Document, claim: _Claim) -> list[str]:
    """What a stored document did to others, said in the report: a replaced text, a new version of a law."""
    warnings: list[str] = []
    if claim.replaces:
        entries = catalog.history(doc.doc_id)
        restore = f"，可用 hazkb docs --restore {entries[0].id} 恢复" if entries else ""
        warnings.append(f"已用本文件替换《{doc.title}》（版本 {_version(doc)}）原来来自 {claim.replaces} 的文本；"
                        f"原文本已存入历史{restore}")
    if claim.versions:
        listed = "、".join(f"{_version(v)}（{_origin(v.source)}）" for v in claim.versions[:5])
        current = catalog.find_law(doc.title)
        now = ("现在按名称查询该法规默认使用本文件" if current.doc_id == doc.doc_id else
               f"按名称查询该法规仍默认使用 {_version(current)} 版本（{_origin(current.source)}）")
        warnings.append(f"知识库中已有同名文档《{claim.versions[0].title}》的其他版本：{listed}；"
                        f"本文件已作为它的 {_version(doc)} 版本保存，{now}。如本文件不是它的另一版本，"
                        f"请用 hazkb remove {doc.doc_id} 删除后，加 --title 指定它自己的标题重新导入")
    return warnings


def ingest_file(catalog: Catalog, path: Path, overrides: Overrides, report: IngestReport,
                replace: bool = False) -> None:
    """Ingest one file into the report. A file whose title and version are those of a document from another
    file is refused unless `replace`; the replaced text goes into the catalog's history."""
    source = str(path.resolve())
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(str(path), f"文件过大（{size // 1024 // 1024} MB），"
                                         f"超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限；请拆分后导入")
        data = path.read_bytes()
    except IngestError as exc:
        report.failed.append({"path": str(path), "reason": exc.reason})
        return
    except OSError as exc:
        report.failed.append({"path": str(path), "reason": access_problem(exc, path)})
        return
    digest = content_hash(data)
    if overrides.content_key() != Overrides().content_key():
        # Metadata given on the command line is part of what was ingested: a new override re-ingests.
        digest = content_hash(data + overrides.content_key().encode("utf-8"))
    if catalog.source_hash(source) == digest:
        report.unchanged.append({"path": str(path), "reason": "内容未变化"})
        return
    same = catalog.doc_by_hash(digest)
    if same is not None:
        report.unchanged.append({"path": str(path), "doc_id": same.doc_id,
                                 "reason": f"与已导入的文件内容相同（{same.source}）"})
        return
    try:
        doc = load_file(path, data, digest, overrides)
        claim = _claim(catalog, doc, source)
        if claim.refused or (claim.conflict and not replace):
            report.failed.append({"path": str(path), "reason": claim.refused or claim.conflict,
                                  "doc_id": doc.doc_id, "conflict": claim.replaces})
            return
        catalog.store(doc, source)
        doc.warnings += _claim_warnings(catalog, doc, claim)
    except IngestError as exc:
        report.failed.append({"path": str(path), "reason": exc.reason})
        return
    except HazkbError as exc:
        report.failed.append({"path": str(path), "reason": str(exc)})
        return
    entry = {"path": str(path), "doc_id": doc.doc_id, "title": doc.title, "units": len(doc.units),
             "level": doc.level.value, "kind": doc.kind.value}
    report.ingested.append(entry)
    for warning in doc.warnings:
        report.warnings.append({"path": str(path), "warning": warning})
        log.info("%s: %s", path, warning)  # the report carries it to the user; the log only traces


def ingest_paths(catalog: Catalog, paths: list[Path], overrides: Overrides | None = None,
                 progress: bool = False, replace: bool = False) -> IngestReport:
    """Ingest files and folders; good files are stored even when others fail. `replace`: a file may replace a
    document of the same title and version from another file (the old text is kept in the history)."""
    from tqdm import tqdm

    overrides = overrides or Overrides()
    report = IngestReport()
    files = expand([Path(p) for p in paths], report)
    for path in tqdm(files, desc="导入文件", unit="个", disable=not progress or len(files) < 2):
        ingest_file(catalog, path, overrides, report, replace=replace)
    if report.ingested:
        sync_violations(catalog, progress)
    return report


def sync_violations(catalog: Catalog, progress: bool = False) -> None:
    """The violation catalog follows the documents: rows of new or changed laws are rebuilt now."""
    from corpus.violations import ViolationStore

    ViolationStore(catalog).sync(progress=progress)


def restore_version(catalog: Catalog, entry_id: int, progress: bool = False) -> tuple[Document, int | None]:
    """Put a replaced or removed document back from the history (see Catalog.restore), and resync the
    violation catalog. Returns the document and the history id of the text it replaced, if any."""
    doc, archived = catalog.restore(entry_id)
    sync_violations(catalog, progress)
    return doc, archived
