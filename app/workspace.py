"""A data directory opened from the settings: the catalog (with the built-in laws on first use), the search stack,
the question bank and the exam book, each opened on first use; and the operations both front ends call.

After a write (ingest, removal, re-index) the searcher is rebuilt from the catalog and swapped in whole, so a
question asked meanwhile is answered from the previous, consistent state. One writer at a time.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from corpus.catalog import Catalog
from corpus.errors import InputError
from corpus.model import Document, Level, Status
from corpus.numbers import ArticleNumberError, parse_article
from corpus.settings import Settings

log = logging.getLogger(__name__)


class Workspace:
    @classmethod
    def from_parts(cls, settings: Settings, catalog: Catalog, searcher, dense_status=None) -> Workspace:
        """A workspace over parts already open (tests, embedding): nothing is opened again."""
        workspace = cls(settings)
        workspace._catalog, workspace._searcher, workspace.dense_status = catalog, searcher, dense_status
        workspace._generation = catalog.generation()
        return workspace

    def __init__(self, settings: Settings, progress: bool = False):
        self.settings = settings
        self.progress = progress
        self._catalog: Catalog | None = None
        self._searcher: Any = None
        self._answerer: tuple[Any, Any] | None = None
        self.dense_status: Any = None
        self._open = threading.RLock()  # opening a part once, whoever asks first
        self._write = threading.Lock()  # one writer at a time
        self._generation: str | None = None  # the catalog's stamp the current searcher was built at
        self._reopening = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()

    # -- the parts, opened on first use ---------------------------------------------------------------------------

    def catalog(self) -> Catalog:
        with self._open:
            if self._catalog is None:
                from corpus.catalog import open_catalog
                from ingest.builtin import ensure_builtin

                catalog = open_catalog(self.settings)
                if not self.settings.no_builtin and ensure_builtin(catalog, self.settings.laws_db,
                                                                   progress=self.progress):
                    log.info("内置法律库已载入 %s", self.settings.home)
                self._catalog = catalog
            return self._catalog

    def searcher(self):
        """The search stack (lexical index, dense index when configured, violation catalog on first use)."""
        with self._open:
            if self._searcher is None:
                self._searcher, self.dense_status = self._open_searcher()
            return self._searcher

    def answerer(self):
        """The answerer of the current searcher (an LLM rewriter when one is configured)."""
        from retriever.llm import make_answerer

        searcher = self.searcher()
        with self._open:
            if self._answerer is None or self._answerer[0] is not searcher:
                self._answerer = (searcher, make_answerer(self.settings, searcher))
            return self._answerer[1]

    def bank(self):
        """The question bank, with the built-in starter bank on first use (unless retired or already filled)."""
        from quiz.starter import ensure_starter
        from quiz.store import open_bank

        bank = open_bank(self.settings)
        ensure_starter(bank)
        return bank

    def exams(self):
        from quiz.exam import open_exams

        return open_exams(self.settings)

    def _open_searcher(self, previous=None):
        from retriever.kb import open_searcher

        catalog = self.catalog()
        # Read before building: a write meanwhile leaves a newer stamp, so the next check rebuilds again.
        self._generation = catalog.generation()
        catalog.forget_cached()
        return open_searcher(self.settings, catalog, progress=self.progress, previous=previous)

    def warm(self, searcher=None) -> None:
        """Sync and index the violation catalog and the article questions now, before anyone asks (answers and the
        违法行为库 page would otherwise build them on first use, several requests at once)."""
        try:
            searcher = searcher or self.searcher()
            searcher.asked()
            searcher.violation_matcher()
        except Exception:  # the pages say so when they need it; serving the rest must not depend on it
            log.exception("violation catalog or article questions failed to load")

    def reopen(self) -> None:
        """Rebuild the searcher from the catalog and swap it in whole (after a write)."""
        from retriever.kb import lexical_path

        with self._reopening:
            searcher, status = self._open_searcher(previous=self._searcher)
            self.warm(searcher)  # ready before it is swapped in
            with self._open:
                self._searcher, self.dense_status = searcher, status
            if searcher.lexical.unsaved:  # the file, for the next start, once the new index serves
                searcher.lexical.save(lexical_path(self.settings))
                searcher.lexical.unsaved = False

    # -- several processes on one catalog ----------------------------------------------------------------------------

    @property
    def generation(self) -> str | None:
        """The catalog's stamp the current searcher was built at: what a cache of catalog views is valid for."""
        return self._generation

    def stale(self) -> bool:
        """Another process (or this one) wrote to the catalog since the searcher was built."""
        return self._searcher is not None and self.catalog().generation() != self._generation

    def refresh(self) -> bool:
        """Rebuild the searcher when the catalog changed; the old one answers until the new one is ready."""
        if not self.stale():
            return False
        log.info("catalog changed (generation %s); rebuilding the indexes", self.catalog().generation())
        self.reopen()
        return True

    def watch(self, interval: float = 2.0) -> None:
        """Check the catalog's stamp every `interval` seconds in a background thread (hazkb serve), so an
        ingest on another instance is answered from here within about interval + the rebuild time."""
        if self._watcher is not None:
            return

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    if self.refresh():
                        self.vectors_in_background()  # the new or changed rows of what was ingested
                except Exception:  # a database hiccup must not end the watching; the next round tries again
                    log.exception("index refresh failed")

        self._watcher = threading.Thread(target=loop, name="hazkb-index-watch", daemon=True)
        self._watcher.start()

    def vectors_in_background(self, on_ready: Callable[[int], None] | None = None) -> threading.Thread | None:
        """Embed the violation rows that have no vector yet in a background thread (hazkb serve: the first start
        does not wait a minute for them); once they are in, the matcher uses them. Until then rows are matched
        lexically, and fewer answers are 确定. Also after an ingest (watch): only new and changed rows are embedded.
        `on_ready(rows)` is called when vectors were built here."""
        if self.settings.row_model is None:
            return None

        def sync() -> None:
            from retriever.kb import sync_row_vectors

            try:
                searcher = self.searcher()
                matcher = searcher.violation_matcher()
                if matcher.vectors is None or matcher.vectors.missing(matcher.index.rows, matcher.index.phrases):
                    if sync_row_vectors(self.settings, searcher) is not None:
                        log.info("违法行为库向量已建立")
                        if on_ready is not None:
                            on_ready(len(matcher.index.rows))
            except Exception:  # no vectors only means fewer 确定 answers: the server goes on
                log.exception("违法行为库向量未能建立")

        thread = threading.Thread(target=sync, name="hazkb-row-vectors", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
            self._watcher = None

    # -- questions and articles -----------------------------------------------------------------------------------

    def ask(self, question: str, k: int = 5, law: str | None = None, levels: set[Level] | None = None,
            as_of: date | None = None, unit_type: str | None = None):
        """The answer to a finding or question (retriever.answer.Answer); every level given is no filter. `unit_type`:
        the inspected unit's type (unit_profiles.tsv), when the inspector chose one."""
        wanted = levels if levels and set(levels) != set(Level) else None
        return self.answerer().answer(question, k=k, law=law, as_of=as_of, levels=wanted,
                                      unit_type=unit_type)

    def article(self, law: str, article: str | int, as_of: date | None = None) -> dict:
        """One article by law name (or alias) and number, with what it cites, what cites it and the penalty 项
        that sanction it (retriever.article_view)."""
        try:
            number, sub = parse_article(article)
        except ArticleNumberError as exc:
            raise InputError(f"条号“{article}”无效：{exc}") from exc
        except ValueError as exc:
            raise InputError(f"条号“{article}”无法识别；请写成 101、第一百零一条 或 第十五条之一") from exc
        catalog = self.catalog()
        doc = catalog.find_law(law, as_of)
        return self._article_view(doc, catalog.article(doc.doc_id, number, sub), as_of)

    def article_by_id(self, unit_id: str) -> dict:
        catalog = self.catalog()
        unit = catalog.unit(unit_id)
        return self._article_view(catalog.document(unit.doc_id), unit, None)

    def _article_view(self, doc: Document, unit, as_of: date | None) -> dict:
        from retriever.article_view import article_view

        return article_view(self.catalog(), self.searcher(), doc, unit, as_of)

    def search_law(self, doc_id: str, query: str, k: int = 30) -> list:
        """Search within one document, at that version's own date when it is not the current one."""
        doc = self.catalog().document(doc_id)
        as_of = None if doc.status is Status.CURRENT else (doc.version_date or doc.effective_date)
        result = self.searcher().search(query, k=k, law=doc.title, as_of=as_of)
        return [h for h in result.hits if h.doc.doc_id == doc_id]

    # -- writes -----------------------------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Catalog]:
        """Hold the write lock over several writes (an upload of several files); the searcher is rebuilt once, at
        the end, when the catalog changed."""
        with self._write:
            catalog = self.catalog()
            before = catalog.generation()
            try:
                yield catalog
            finally:
                if self._searcher is not None and catalog.generation() != before:
                    self.reopen()

    def ingest(self, paths: list[Path], overrides=None, replace: bool = False, progress: bool | None = None):
        """Ingest files and folders (ingest.pipeline.IngestReport); the searcher follows when it is open."""
        from ingest.pipeline import ingest_paths

        show = self.progress if progress is None else progress
        with self.writing() as catalog:
            return ingest_paths(catalog, list(paths), overrides, progress=show, replace=replace)

    def restore(self, history_id: int, progress: bool | None = None) -> tuple[Document, int | None]:
        """Bring back a replaced or removed document (hazkb docs --restore); returns it and the history id of
        the text it replaced, if any."""
        from ingest.pipeline import restore_version

        with self.writing() as catalog:
            return restore_version(catalog, history_id, progress=self.progress if progress is None else progress)

    def remove(self, doc_id: str) -> Document:
        with self.writing() as catalog:
            return catalog.remove(doc_id)

    def reindex_lexical(self) -> int:
        """Rebuild the lexical index from scratch (its cached file deleted first); returns its size."""
        from retriever.kb import lexical_path

        with self._write:
            lexical_path(self.settings).unlink(missing_ok=True)
            self.reopen()
            return len(self.searcher().lexical)

    def reindex(self, dense: bool = False) -> dict:
        """Rebuild the indexes from the catalog (retriever.kb.build_indexes) and reopen the searcher."""
        from retriever.kb import build_indexes

        with self._write:
            out = build_indexes(self.settings, self.catalog(), dense=dense, progress=self.progress)
            if self._searcher is not None:
                self.reopen()
            return out
