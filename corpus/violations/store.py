"""The violation catalog in the catalog database: rebuilt for a document whenever it is ingested, replaced or
removed (the catalog drops a document's rows in the same transaction as the document), and for every document
when the builder or the reviewed link table changes."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from .. import schema
from ..catalog import Catalog
from ..errors import NotFoundError, StoreError
from ..legal_text import Fine
from ..model import DocKind, Document, Unit, UnitKind
from ..names import normalize_title
from .departments import DEPARTMENTS
from .links import REVIEWED, WordingLinker, explicit_links, reviewed_for
from .model import (
    KIND_PENALTY,
    KIND_REFERRAL,
    LINK_EXPLICIT,
    LINK_REVIEWED,
    LINK_SELF,
    ObligationLink,
    Sanctions,
    ViolationRow,
)
from .parse import rows_of_document

log = logging.getLogger(__name__)

BUILDER_VERSION = "21"  # bump when parse.py or links.py change what they produce


def builder_id() -> str:
    """Names the builder and the reviewed tables: rows built by another are rebuilt."""
    digest = hashlib.sha1(BUILDER_VERSION.encode() + REVIEWED.read_bytes() + DEPARTMENTS.read_bytes()).hexdigest()
    return digest[:16]


def _quote(unit: Unit, para: int | None) -> str:
    if para and 1 <= para <= len(unit.paragraphs):
        return unit.paragraphs[para - 1].text
    return unit.text


def resolve_quotes(row: ViolationRow, articles: dict[tuple[int, int], Unit], law: str) -> None:
    """Fill the unit and quote of the row's obligations that lie in the given law."""
    for link in row.obligations:
        unit = articles.get((link.article_no, link.article_sub))
        if unit is not None and normalize_title(link.law) == law and link.link != LINK_SELF:
            link.unit_id = unit.unit_id
            link.quote = _quote(unit, link.para)


def build_rows(doc: Document, units: list[Unit]) -> list[ViolationRow]:
    """Parse a document's penalty provisions and link each row to its obligations."""
    rows = rows_of_document(doc, units)
    linker = WordingLinker(doc.title, units, {r.unit_id for r in rows})
    for row in rows:
        lead = row.clause_quote if row.item else ""
        explicit = explicit_links(row, lead)
        reviewed = reviewed_for(row)
        if reviewed is not None:
            cited = {(o.law, o.article_no) for o in explicit}
            row.obligations = [_own_provision(row, r.evidence) if r.self_contained else ObligationLink(
                _title(r.obligation_law or "", doc), r.obligation_article or 0, 0, r.obligation_para,
                LINK_EXPLICIT if (r.obligation_law, r.obligation_article) in
                {(normalize_title(law), no) for law, no in cited} else LINK_REVIEWED, r.evidence)
                for r in reviewed]
        elif explicit:
            row.obligations = explicit
        elif row.kind in (KIND_PENALTY, KIND_REFERRAL):
            found = linker.link(row.behaviour)
            row.obligations = [found] if found else []
    articles = {(u.article_no, u.article_sub): u for u in units if u.kind is UnitKind.ARTICLE and u.article_no}
    law = normalize_title(doc.title)
    for row in rows:
        resolve_quotes(row, articles, law)
    return rows


def _own_provision(row: ViolationRow, note: str) -> ObligationLink:
    """The row's 项 (or 款) as its own 违法依据, quoted as the row quotes it."""
    return ObligationLink(row.law, row.article_no, row.article_sub, row.para if row.para_count > 1 else None,
                          LINK_SELF, note, row.unit_id, row.item_quote, row.item)


def _title(norm_law: str, doc: Document) -> str:
    """A reviewed link names its law by short title; the row's own law keeps the catalog's full title."""
    return doc.title if norm_law == normalize_title(doc.title) else norm_law


def row_from_dict(data: dict[str, Any]) -> ViolationRow:
    data = {k: v for k, v in data.items() if k not in ("label", "cite", "fine", "sanction_names")}
    sanctions = dict(data.pop("sanctions"))
    sanctions["fines"] = [Fine(**f) for f in sanctions.get("fines", [])]
    obligations = [ObligationLink(**o) for o in data.pop("obligations")]
    return ViolationRow(**data, sanctions=Sanctions(**sanctions), obligations=obligations)


def _record(row: ViolationRow, seq: int) -> dict[str, Any]:
    fine = row.fine or {}
    return {"row_id": row.row_id, "doc_id": row.doc_id, "norm_law": normalize_title(row.law),
            "article_no": row.article_no, "article_sub": row.article_sub, "para": row.para, "item": row.item,
            "kind": row.kind, "subject": row.subject, "department": row.department, "fine_min": fine.get("min"),
            "fine_max": fine.get("max"), "fine_unit": fine.get("unit"), "seq": seq, "data": row.as_dict()}


class ViolationStore:
    """Read and rebuild the violation rows of a catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.engine = catalog.engine

    def sync(self, progress: bool = False) -> dict[str, int]:
        """Rebuild the rows of documents that are new, changed, or were built by another builder."""
        from tqdm import tqdm

        builder = builder_id()
        docs = {d.doc_id: d for d in self.catalog.documents() if d.kind is DocKind.REGULATION}
        with self.engine.connect() as conn:
            built = {r.doc_id: (r.content_hash, r.builder) for r in conn.execute(select(schema.violation_docs))}
        stale = [d for d in docs.values() if built.get(d.doc_id) != (d.content_hash, builder)]
        gone = [d for d in built if d not in docs]
        if gone:
            self._drop(gone)
        rows = 0
        for doc in tqdm(stale, desc="建立违法行为库", unit="部", disable=not progress or len(stale) < 5):
            rows += self._rebuild(doc, builder)
        if stale:
            log.info("violation catalog: %d documents rebuilt, %d rows", len(stale), rows)
        return {"documents": len(stale), "rows": rows, "dropped": len(gone)}

    def rebuild(self, progress: bool = False) -> dict[str, int]:
        """Rebuild every document's rows (hazkb index): what sync does when the builder changes."""
        with self.engine.connect() as conn:
            built = [r.doc_id for r in conn.execute(select(schema.violation_docs.c.doc_id))]
        self._drop(built)
        return self.sync(progress=progress)

    def _rebuild(self, doc: Document, builder: str) -> int:
        rows = build_rows(doc, self.catalog.units(doc.doc_id))
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(schema.violations).where(schema.violations.c.doc_id == doc.doc_id))
                conn.execute(delete(schema.violation_docs).where(schema.violation_docs.c.doc_id == doc.doc_id))
                if rows:
                    conn.execute(insert(schema.violations), [_record(r, i) for i, r in enumerate(rows)])
                conn.execute(insert(schema.violation_docs), [{"doc_id": doc.doc_id, "content_hash": doc.content_hash,
                                                               "builder": builder}])
        except SQLAlchemyError as exc:
            raise StoreError(f"写入违法行为库失败，已回滚（{exc}）") from exc
        return len(rows)

    def _drop(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        with self.engine.begin() as conn:
            conn.execute(delete(schema.violations).where(schema.violations.c.doc_id.in_(ids)))
            conn.execute(delete(schema.violation_docs).where(schema.violation_docs.c.doc_id.in_(ids)))

    # -- reading ----------------------------------------------------------------------------------------------

    def rows(self, doc_ids: Iterable[str] | None = None, law: str | None = None, kind: str | None = None,
             subject: str | None = None) -> list[ViolationRow]:
        query = select(schema.violations.c.data)
        if doc_ids is not None:
            query = query.where(schema.violations.c.doc_id.in_(list(doc_ids)))
        if law:
            query = query.where(schema.violations.c.norm_law == normalize_title(law))
        if kind:
            query = query.where(schema.violations.c.kind == kind)
        if subject:
            query = query.where(schema.violations.c.subject == subject)
        query = query.order_by(schema.violations.c.norm_law, schema.violations.c.doc_id, schema.violations.c.seq)
        with self.engine.connect() as conn:
            rows = [row_from_dict(r.data) for r in conn.execute(query)]
        self._resolve_other_laws(rows)
        return rows

    def row(self, row_id: str) -> ViolationRow:
        with self.engine.connect() as conn:
            found = conn.execute(select(schema.violations.c.data).where(schema.violations.c.row_id == row_id)).first()
        if found is None:
            raise NotFoundError(f"违法行为库中没有编号为 {row_id} 的条目；用 hazkb violations search 或 list 查找编号")
        row = row_from_dict(found.data)
        self._resolve_other_laws([row])
        return row

    def _resolve_other_laws(self, rows: list[ViolationRow]) -> None:
        """Fill the unit and quote of obligations in another law (危化法第三十八条第二款 under 安全生产法第九十九条):
        a document's rows are built from its own units, so these are read from the law's current version here, and
        follow that law when it is replaced (the row index is keyed by every document's content)."""
        found: dict[tuple[str, int, int], Unit | None] = {}
        for link in (o for r in rows for o in r.obligations if o.unit_id is None and o.article_no):
            key = (normalize_title(link.law), link.article_no, link.article_sub)
            if key not in found:
                try:
                    doc = self.catalog.find_law(link.law)
                    found[key] = self.catalog.article(doc.doc_id, link.article_no, link.article_sub)
                except NotFoundError:  # a law the corpus lacks: the link stays without a quote, never cited
                    found[key] = None
            unit = found[key]
            if unit is not None:
                link.unit_id, link.quote = unit.unit_id, _quote(unit, link.para)

    def count(self) -> int:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.violations)).scalar() or 0
