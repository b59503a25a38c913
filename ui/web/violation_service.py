"""What the 违法行为库 page calls: the violation catalog's rows, listed, filtered and searched, and one row as a record
with the unit ids the page needs to open the cited articles.

The list holds every law's rows (the versions in force); a finding is searched with the searcher's violation
matcher (synced with the catalog on first use), as answers are. Both are cached per searcher: after an upload or a
removal the service swaps the searcher and the next call reads the new one's rows.

Library functions this page needed and the library lacks are written here: the version-in-force unit of an
obligation in another law (`ObligationLink.unit_id` is resolved within the row's own law only), and the rows of a
superseded law that parallel a row of the law in force (the matcher's `twins`, read both ways).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from corpus.catalog import Catalog
from corpus.errors import HazkbError, NotFoundError
from corpus.lexicon import builtin_lexicon
from corpus.model import Document
from corpus.names import normalize_title
from corpus.views import source_of
from corpus.violations import SUBJECT_ORDER, ViolationRow, ViolationStore
from corpus.violations.views import filter_rows, row_record
from retriever.enforcement import RowMatch

PAGE_SIZE = 20  # rows per page of the list
SEARCH_LIMIT = 10  # rows a finding search shows
FIRST_LAWS = ("危险化学品安全法", "危险化学品安全管理条例", "安全生产法")  # normalised titles


@dataclass
class _Rows:
    """The rows of one searcher, in the order the page lists them."""

    matcher: Any
    rows: list[ViolationRow]  # rows of the laws in force, the domain's laws first, each law in its own order
    by_id: dict[str, ViolationRow]
    laws: list[str]  # titles of the laws in force that have rows, in list order
    subjects: list[str]
    parallels: dict[str, list[ViolationRow]]  # row id -> the superseded law's rows that say the same
    successor: dict[str, ViolationRow]  # a superseded law's row id -> the row of the law that replaced it


def law_order(docs: list[Document]) -> dict[str, tuple]:
    """doc id -> sort key: the three laws an inspector cites most, the other core and broad laws of the domain,
    the bureau's own documents, then every other law; higher levels first within each group."""
    lexicon = builtin_lexicon()
    core, broad = lexicon.laws_in("core"), lexicon.laws_in("broad", "procedure")
    out = {}
    for i, doc in enumerate(docs):
        name = normalize_title(doc.title)
        first = FIRST_LAWS.index(name) if name in FIRST_LAWS else len(FIRST_LAWS)
        group = 0 if name in core else 1 if name in broad else 2 if not doc.source.startswith("builtin:") else 3
        out[doc.doc_id] = (first, group, -doc.level.rank, i)
    return out


class ViolationDesk:
    def __init__(self, catalog: Catalog, searcher: Callable[[], Any]):
        self.catalog = catalog
        self._searcher = searcher
        self._cache: _Rows | None = None
        self._lock = threading.Lock()

    # -- the rows ----------------------------------------------------------------------------------------

    def _rows(self) -> _Rows:
        searcher = self._searcher()
        with self._lock:
            matcher = searcher.violation_matcher()  # syncs the catalog's rows with its documents
            if self._cache is not None and self._cache.matcher is matcher:
                return self._cache
            every = ViolationStore(self.catalog).rows()  # every law's rows (the matcher holds the domain's)
            in_force = searcher.in_force(None)
            order = law_order(list(searcher.docs.values()))
            last = (len(FIRST_LAWS), 4, 0, 0)
            rows = sorted((r for r in every if r.doc_id in in_force), key=lambda r: order.get(r.doc_id, last))
            laws = list(dict.fromkeys(r.law for r in rows))
            present = {r.subject for r in rows}
            subjects = [s for s in SUBJECT_ORDER if s in present] + sorted(present - set(SUBJECT_ORDER))
            parallels: dict[str, list[ViolationRow]] = {}
            successor: dict[str, ViolationRow] = {}
            indexed = matcher.index.rows
            for old, new in getattr(matcher, "twins", {}).items():  # positions in the matcher's rows
                old_row, new_row = indexed[old], indexed[new]
                parallels.setdefault(new_row.row_id, []).append(old_row)
                successor[old_row.row_id] = new_row
            self._cache = _Rows(matcher, rows, {r.row_id: r for r in every}, laws, subjects, parallels, successor)
            return self._cache

    def laws(self) -> list[str]:
        """Titles of the laws in force that have rows: the 法规 filter's choices."""
        return self._rows().laws

    def subjects(self) -> list[str]:
        return self._rows().subjects

    def listing(self, law: str | None = None, subject: str | None = None,
                sanction: str | None = None) -> list[ViolationRow]:
        """Rows of the laws in force, filtered (a law by any of its names)."""
        cached = self._rows()
        rows = cached.rows
        if law:
            scope = self._searcher().in_force(None, law)
            rows = [r for r in rows if r.doc_id in scope]
        return filter_rows(rows, subject=subject, sanction=sanction)

    def searchable(self, law: str | None) -> bool:
        """Whether a finding search can find rows of this law: the matcher holds the domain's laws only."""
        if not law:
            return True
        scope = self._searcher().in_force(None, law)
        return any(r.doc_id in scope for r in self._rows().matcher.index.rows)

    def search(self, text: str, law: str | None = None, subject: str | None = None,
               sanction: str | None = None, limit: int = SEARCH_LIMIT, unit_type: str | None = None) -> list[RowMatch]:
        """Rows for a finding (ViolationMatcher.search, on the matcher these rows were read with)."""
        return self._rows().matcher.search(text, law or None, subject, sanction, limit, unit_type)

    def relations(self, row_id: str) -> tuple[list[ViolationRow], ViolationRow | None]:
        """(the superseded law's rows that parallel this one, the new law's row that replaced this one)"""
        cached = self._rows()
        return cached.parallels.get(row_id, []), cached.successor.get(row_id)

    # -- one row -----------------------------------------------------------------------------------------

    def row(self, row_id: str) -> dict[str, Any]:
        """row_record plus what the page shows around it: the law's level, status and source, the unit ids of
        the penalty and obligation articles (to open them), the parallels and the successor."""
        cached = self._rows()
        found = cached.by_id.get(row_id)
        if found is None:
            found = ViolationStore(self.catalog).row(row_id)  # a row built after the searcher was opened
        record = row_record(found)
        doc = self.catalog.document(found.doc_id)
        unit = self.catalog.unit(found.unit_id)
        record["penalty"]["unit_id"] = found.unit_id
        record["doc"] = {"level": doc.level.value, "status": doc.status.value,
                         "effective": doc.effective_date.isoformat() if doc.effective_date else None,
                         "version": doc.version_date.isoformat() if doc.version_date else None,
                         "source": source_of(doc, unit)}
        for entry, link in zip(record["obligations"], found.obligations):
            entry["unit_id"] = link.unit_id or self._article_unit(link.law, link.article_no, link.article_sub)
        record["parallels"] = [_brief(r) for r in cached.parallels.get(row_id, [])]
        successor = cached.successor.get(row_id)
        record["successor"] = _brief(successor) if successor is not None else None
        return record

    def _article_unit(self, law: str, article_no: int, sub: int) -> str | None:
        """The unit of an article in the version of a law in force; None when the corpus lacks it."""
        if not article_no:
            return None
        try:
            return self.catalog.article(self.catalog.find_law(law).doc_id, article_no, sub).unit_id
        except (NotFoundError, HazkbError):
            return None


def _brief(row: ViolationRow) -> dict[str, str]:
    return {"id": row.row_id, "cite": row.cite(), "behaviour": row.behaviour}
