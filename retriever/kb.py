"""Open the retrieval stack for a home: catalog -> lexical index (cached under home) -> optional dense index."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from corpus.catalog import Catalog
from corpus.settings import Settings

from .lexical import open_lexical
from .search import Searcher

log = logging.getLogger(__name__)


@dataclass
class DenseStatus:
    active: bool
    reason: str  # why it is off, or what is on


def lexical_path(settings: Settings):
    return settings.home / "index" / "lexical.pkl"


def open_dense(settings: Settings, catalog: Catalog, progress: bool = False):
    """The dense index when a model is configured and loads offline; else (None, reason)."""
    if not settings.embedding_model:
        return None, DenseStatus(False, "未配置向量模型（HAZKB_EMBEDDING_MODEL），仅使用关键词检索")
    try:
        from .dense import DenseIndex
        from .embedders import available_embedder
    except ImportError as exc:
        return None, DenseStatus(False, f"向量检索组件未安装（{exc.name}）；请运行 pip install 'hazkb[dense]'")
    embedder, reason = available_embedder(settings)
    if embedder is None:
        return None, DenseStatus(False, reason)
    index = DenseIndex.open(settings, embedder)
    index.build(catalog, progress=progress)
    return index, DenseStatus(True, f"向量检索已启用：{embedder.name}（{embedder.dim} 维）")


def open_searcher(settings: Settings, catalog: Catalog, progress: bool = False) -> tuple[Searcher, DenseStatus]:
    lexical = open_lexical(catalog, lexical_path(settings), progress=progress)
    dense, status = open_dense(settings, catalog, progress)
    return Searcher(catalog, lexical, dense), status
