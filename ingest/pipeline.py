"""Ingest files and folders into the catalog: idempotent by content hash, one transaction per file."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.catalog import Catalog
from corpus.citations import parse_references
from corpus.errors import HazkbError, IngestError
from corpus.model import Document, content_hash

from .document import Overrides

log = logging.getLogger(__name__)

# Guard against a stray huge file (a video renamed .pdf); real regulations are far smaller.
MAX_FILE_BYTES = 200 * 1024 * 1024

Loader = Callable[[Path, bytes, str, Overrides], Document]


def _loaders() -> dict[str, Loader]:
    # Imported here so that listing formats does not import pypdf or python-docx.
    from .docx_loader import load_docx
    from .markdown import load_markdown
    from .pdf import load_pdf
    from .text import load_text

    return {".md": load_markdown, ".markdown": load_markdown, ".txt": load_text, ".docx": load_docx, ".pdf": load_pdf}


SUPPORTED = (".md", ".markdown", ".txt", ".docx", ".pdf")


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


def expand(paths: list[Path], report: IngestReport) -> list[Path]:
    """Files to ingest: given files as they are, folders walked for supported extensions."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUPPORTED:
                    files.append(child)
                else:
                    report.skipped.append(str(child))
        elif path.exists():
            files.append(path)
        else:
            report.failed.append({"path": str(path), "reason": "文件或目录不存在；请检查路径是否正确"})
    return files


def attach_references(doc: Document) -> None:
    for unit in doc.units:
        unit.references = parse_references(unit.text)


def load_file(path: Path, data: bytes, digest: str, overrides: Overrides) -> Document:
    """Parse one file into a Document with ids and references; raises IngestError with the reason."""
    suffix = path.suffix.lower()
    loader = _loaders().get(suffix)
    if loader is None:
        raise IngestError(str(path), f"不支持的文件类型“{suffix or '无扩展名'}”；"
                                     "请导入 .pdf、.docx、.md 或 .txt 文件（旧版 .doc 请先另存为 .docx）")
    if not data.strip():
        raise IngestError(str(path), "文件为空，没有可导入的内容；请检查文件是否正确导出")
    doc = loader(path, data, digest, overrides)
    if not doc.units:
        raise IngestError(str(path), "文件中没有可导入的文字内容；请检查文件是否完整")
    doc.assign_ids()
    attach_references(doc)
    return doc


def ingest_file(catalog: Catalog, path: Path, overrides: Overrides, report: IngestReport) -> None:
    source = str(path.resolve())
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(str(path), f"文件过大（{size // 1024 // 1024} MB），"
                                         f"超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限；请拆分后导入")
        data = path.read_bytes()
    except OSError as exc:
        report.failed.append({"path": str(path), "reason": f"无法读取文件（{exc.strerror}）；请检查文件权限"})
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
        catalog.store(doc, source)
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
        log.warning("%s: %s", path, warning)


def ingest_paths(catalog: Catalog, paths: list[Path], overrides: Overrides | None = None,
                 progress: bool = False) -> IngestReport:
    """Ingest files and folders; good files are stored even when others fail."""
    from tqdm import tqdm

    overrides = overrides or Overrides()
    report = IngestReport()
    files = expand([Path(p) for p in paths], report)
    for path in tqdm(files, desc="导入文件", unit="个", disable=not progress or len(files) < 2):
        ingest_file(catalog, path, overrides, report)
    if report.ingested:
        # The violation catalog follows the documents: rows of new or changed laws are rebuilt now.
        from corpus.violations import ViolationStore

        ViolationStore(catalog).sync(progress=progress)
    return report
