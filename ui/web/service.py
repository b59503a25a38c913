"""What the web app's handlers call: the library, held open for the life of the server.

The catalog and the searcher are opened once (as the CLI's Context does). After a write (upload, removal,
re-index) the searcher is rebuilt from the catalog and swapped in whole, so a question asked meanwhile is
answered from the previous, consistent state. One writer at a time.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.workspace import Workspace
from corpus.catalog import Catalog
from corpus.errors import NotFoundError
from corpus.lexicon import builtin_lexicon
from corpus.model import Document, Level, Status, Unit
from corpus.settings import Settings
from corpus.views import doc_record
from ingest.document import Overrides
from ingest.pipeline import IngestReport, ingest_paths
from retriever.search import Hit, Searcher

from .uploads import UploadRejected, UploadStore, display_name

log = logging.getLogger(__name__)

ALL_LAWS = "全部法规"
ANY_UNIT = "不指定"  # the unit-type choice for none (法规问答, 违法行为库)
SNIPPET = 34  # characters of an article shown in lists


def unit_type_choices() -> list[str]:
    """The inspected-unit types a page offers (the shipped table; a bureau does not add its own), "不指定" first."""
    return [ANY_UNIT, *(p.name for p in builtin_lexicon().unit_profiles)]


def chosen_unit_type(value: str | None) -> str | None:
    """A page's unit-type choice as the library takes it: None for "不指定" or nothing."""
    value = (value or "").strip()
    return None if not value or value == ANY_UNIT else value


@dataclass
class UploadOutcome:
    report: IngestReport
    rejected: list[dict] = field(default_factory=list)  # refused before ingest: {"name", "reason"}
    names: dict[str, str] = field(default_factory=dict)  # stored path -> the browser's file name


def snippet(unit: Unit, n: int = SNIPPET) -> str:
    text = unit.text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def unit_choice(unit: Unit) -> tuple[str, str]:
    return f"{unit.label}　{snippet(unit)}", unit.unit_id


def chapter_of(unit: Unit) -> str:
    return " / ".join(unit.path) if unit.path else "（无章节）"


class WebService:
    """The web app's view of a data directory: an app.workspace.Workspace (shared with the CLI's code paths), the
    upload store, and the pages' desks (quiz, violations, admins), opened on first use."""

    def __init__(self, settings: Settings, catalog: Catalog, searcher: Searcher, dense_status=None,
                 workspace: Workspace | None = None):
        self.settings = settings
        self.workspace = workspace or Workspace.from_parts(settings, catalog, searcher, dense_status)
        self.uploads = UploadStore((settings.home / "uploads").resolve())
        self._quiz = None
        self._quiz_lock = threading.Lock()
        self._violations = None
        self._admins = None
        # Views every page load asks for (the law lists, the opening article list), kept while the catalog is
        # unchanged: under an exam rush each visitor's page load used to read and sort 392 documents again.
        self._views: dict[tuple, object] = {}
        self._views_at: str | None = None

    @classmethod
    def from_context(cls, workspace: Workspace) -> WebService:
        """Serve a workspace opened as every CLI command opens it: the catalog, the built-in corpus on first use
        and the indexes, with progress on stderr."""
        searcher = workspace.searcher()
        service = cls(workspace.settings, workspace.catalog(), searcher, workspace.dense_status, workspace=workspace)
        service.warm()
        return service

    @property
    def catalog(self) -> Catalog:
        return self.workspace.catalog()

    @property
    def searcher(self) -> Searcher:
        return self.workspace.searcher()

    @property
    def dense_status(self):
        return self.workspace.dense_status

    @property
    def quiz(self):
        """The question bank, exam book and evaluation (ui.web.quiz_service.QuizDesk), opened on first use."""
        with self._quiz_lock:
            if self._quiz is None:
                from .quiz_service import QuizDesk

                self._quiz = QuizDesk(self.settings, self.catalog, self.workspace.searcher)
            return self._quiz

    @property
    def violations(self):
        """The 违法行为库 page's rows (ui.web.violation_service.ViolationDesk), read from the current searcher."""
        with self._quiz_lock:
            if self._violations is None:
                from .violation_service import ViolationDesk

                self._violations = ViolationDesk(self.catalog, self.workspace.searcher)
            return self._violations

    @property
    def admins(self):
        """The admin accounts, lockouts and sessions (corpus.admins.AdminStore), opened on first use."""
        with self._quiz_lock:
            if self._admins is None:
                from corpus.admins import AdminStore

                self._admins = AdminStore.open(self.settings)
            return self._admins

    @property
    def admin_enabled(self) -> bool:
        """Someone can log in: a stored admin account, or HAZKB_ADMIN_USER / HAZKB_ADMIN_PASSWORD."""
        return self.admins.configured()

    # -- 法规问答 -----------------------------------------------------------------------------------

    def answerer(self):
        return self.workspace.answerer()

    def ask(self, question: str, law: str | None = None, levels: list[str] | None = None,
            as_of: date | None = None, k: int = 5, unit_type: str | None = None):
        return self.workspace.ask(question, k=k, law=law, as_of=as_of, levels={Level(v) for v in levels or []},
                                  unit_type=unit_type)

    # -- laws and articles --------------------------------------------------------------------------

    def _view(self, key: tuple, make):
        """A catalog view, made once per catalog generation (the workspace's stamp changes with every write)."""
        stamp = self.workspace.generation
        if stamp is None or stamp != self._views_at:
            self._views, self._views_at = {}, stamp
        if key not in self._views:
            if len(self._views) > 64:
                self._views.clear()
            self._views[key] = make()
        return self._views[key]

    def documents(self) -> list[Document]:
        """Domain laws first (those the product is about), then by level and title."""
        def make() -> list[Document]:
            docs = self.catalog.documents()
            return sorted(docs, key=lambda d: (not self.searcher.is_domain(d), d.status is Status.REPEALED,
                                               -d.level.rank, d.title, -(d.version_date or date.min).toordinal()))

        return list(self._view(("documents",), make))

    def law_titles(self) -> list[str]:
        seen: dict[str, None] = {}
        for d in self.documents():
            seen.setdefault(d.title, None)
        return list(seen)

    def law_options(self) -> list[tuple[str, str]]:
        """(label, doc_id) for every document; versions of one law are told apart by their date."""
        docs = self.documents()
        counts: dict[str, int] = {}
        for d in docs:
            counts[d.title] = counts.get(d.title, 0) + 1
        out = []
        for d in docs:
            label = d.title
            if counts[d.title] > 1:
                label += f"（{d.version_date.isoformat() if d.version_date else '版本日期未知'}版）"
            if d.status is not Status.CURRENT:
                label += f"【{d.status.value}】"
            out.append((label, d.doc_id))
        return out

    def default_doc(self, name: str = "危险化学品安全管理条例") -> str | None:
        try:
            return self.catalog.find_law(name).doc_id
        except NotFoundError:
            docs = self.documents()
            return docs[0].doc_id if docs else None

    def outline(self, doc_id: str) -> tuple[dict, list[str], list[Unit]]:
        """A document's record, its chapters in order, and its units."""
        def make() -> tuple[dict, list[str], list[Unit]]:
            doc = self.catalog.document(doc_id)
            units = self.catalog.units(doc_id)
            chapters: dict[str, None] = {}
            for u in units:
                chapters.setdefault(chapter_of(u), None)
            return doc_record(doc), list(chapters), units

        record, chapters, units = self._view(("outline", doc_id), make)
        return dict(record), list(chapters), list(units)

    def search_law(self, doc_id: str, query: str, k: int = 30) -> list[Hit]:
        """Search within one document (the searcher's own law filter, at the version's date)."""
        return self.workspace.search_law(doc_id, query, k)

    def article(self, unit_id: str) -> dict:
        """The article with its links (retriever.article_view), as `hazkb show` prints it."""
        return self.workspace.article_by_id(unit_id)

    # -- 知识库 (admin) -----------------------------------------------------------------------------

    def ingest_uploads(self, files: list[tuple[Path, str]]) -> UploadOutcome:
        """Store uploaded files under home/uploads and ingest them; files not ingested are not kept."""
        with self.workspace.writing() as catalog:
            outcome = UploadOutcome(IngestReport())
            stored = []
            for tmp, name in files:
                try:
                    saved = self.uploads.save(Path(tmp), name)
                except UploadRejected as exc:
                    outcome.rejected.append({"name": display_name(name), "reason": str(exc)})
                    continue
                stored.append(saved)
                outcome.names[str(saved.path)] = saved.original_name
            try:
                if stored:
                    outcome.report = IngestReport()
                    for s in stored:  # the browser's file name (not the stored one) tells title and date
                        one = ingest_paths(catalog, [s.path], Overrides(source_name=s.original_name))
                        for name in ("ingested", "unchanged", "failed", "skipped", "warnings"):
                            getattr(outcome.report, name).extend(getattr(one, name))
            finally:
                kept = [s for s in stored if catalog.source_hash(str(s.path)) is not None]
                for s in stored:  # keep exactly the files the catalog now names as a source
                    if s not in kept:
                        self.uploads.discard(s.path)
            return outcome

    def remove(self, doc_id: str) -> Document:
        doc = self.workspace.remove(doc_id)
        self.uploads.discard(doc.source)
        return doc

    def reindex(self) -> int:
        """Rebuild the lexical index from the catalog (the cached file is deleted first)."""
        return self.workspace.reindex_lexical()

    def warm(self) -> None:
        """Sync and index the violation catalog now, before anyone asks: answers and the 违法行为库 page would
        otherwise build it on first use, several requests at once."""
        self.workspace.warm()
