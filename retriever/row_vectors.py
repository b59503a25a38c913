"""The violation rows as vectors in Chroma: a second, semantic signal for matching a finding to a row.

One collection per embedder ("hazkb-rows-<model>"), opened through DenseIndex so it records which model built it
and refuses another. A row is embedded by its behaviour text; its text hash is kept as metadata, so a sync only
embeds rows that are new or changed (the collection is the cache, under the data directory or on the Chroma
server). Always our own vectors: Chroma never loads its default model.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any

from corpus.violations import ViolationRow

from .dense import DenseIndex, DenseIndexError
from .embedders import Embedder, embedder_slug
from .row_index import behaviour_text

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "hazkb-rows-"
TEXT_VERSION = 1  # bump when what is embedded for a row changes


def row_text(row: ViolationRow) -> str:
    return behaviour_text(row)


def _hash(text: str) -> str:
    return hashlib.sha1(f"{TEXT_VERSION}|{text}".encode("utf-8")).hexdigest()[:16]


class RowVectors:
    """Row vectors of one embedder in one Chroma collection."""

    def __init__(self, client: Any, embedder: Embedder):
        self.embedder = embedder
        self.index = DenseIndex(client, embedder, collection_name=COLLECTION_PREFIX + embedder_slug(embedder))
        self.collection = self.index.collection

    def _hashes(self) -> dict[str, str]:
        """Row id -> hash of the text its vector was made from."""
        return {row_id: meta.get("hash", "") for row_id, meta in self.index._existing(None).items()}

    def missing(self, rows: list[ViolationRow]) -> list[ViolationRow]:
        """Rows whose vector is absent or was made from other text."""
        existing = self._hashes()
        return [r for r in rows if existing.get(r.row_id) != _hash(row_text(r))]

    def sync(self, rows: list[ViolationRow], progress: bool = False) -> dict[str, int]:
        """Embed new and changed rows (written as they are embedded, so an interrupted sync resumes), drop the
        vectors of rows that are gone."""
        existing = self._hashes()
        wanted = {r.row_id for r in rows}
        stale = [i for i in existing if i not in wanted]
        todo = [r for r in rows if existing.get(r.row_id) != _hash(row_text(r))]
        texts = [row_text(r) for r in todo]
        try:
            step = self.index._max_batch()
            for start in range(0, len(stale), step):
                self.collection.delete(ids=stale[start:start + step])
            self.index._embed_and_upsert([r.row_id for r in todo], texts,
                                         [{"hash": _hash(t), "doc_id": r.doc_id} for r, t in zip(todo, texts)],
                                         progress)
        except DenseIndexError:
            raise
        except Exception as exc:  # noqa: BLE001 - Chroma raises many kinds
            raise DenseIndexError(f"写入违法行为库向量失败（{exc}）；已写入的部分会保留，重新运行即可继续") from exc
        return {"embedded": len(todo), "deleted": len(stale), "unchanged": len(rows) - len(todo)}

    def similarities(self, question: str, k: int) -> dict[str, float]:
        """row id -> cosine similarity to the question, for the k nearest rows."""
        return dict(self.index.search(question, k))
