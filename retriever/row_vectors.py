"""The violation rows as vectors in Chroma: a second, semantic signal for matching a finding to a row.

Two collections per embedder, opened through DenseIndex so each records which model built it and refuses another:
"hazkb-rows-<model>" holds each row's behaviour text, "hazkb-phrases-<model>" each of its on-site phrases
(corpus/lexicon/row_phrases.tsv and a bureau's own), in the query form, since they are said the way findings are.
Each vector keeps its text's hash as metadata, so a sync only embeds what is new or changed (the collections are the
cache, under the data directory or on the Chroma server). Always our own vectors: Chroma never loads its default
model. A finding is matched against them exactly, in memory (ExactVectors), not by Chroma's approximate search; the
phrases in a space learned from them, where one row's sayings lie together (phrase_space.py).
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corpus.violations import ViolationRow

from .dense import DenseIndex, DenseIndexError
from .embedders import Embedder, QueryForm, embed_query, embedder_slug, unit_vectors
from .phrase_space import PhraseSpace
from .row_index import behaviour_text
from .weights import AFFINITY_PHRASES, PHRASE_SPACE_DIMS

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "hazkb-rows-"
PHRASE_COLLECTION_PREFIX = "hazkb-phrases-"
TEXT_VERSION = 1  # bump when what is embedded for a row changes


def row_text(row: ViolationRow) -> str:
    return behaviour_text(row)


def _hash(text: str) -> str:
    return hashlib.sha1(f"{TEXT_VERSION}|{text}".encode("utf-8")).hexdigest()[:16]


@dataclass
class Nearest:
    """What the vectors put nearest one finding: row id -> cosine of the row's behaviour (`rows`) and of its best
    on-site phrase (`said`), and whose the nearest phrases are (`said_order`)."""

    rows: dict[str, float]
    said: dict[str, float]
    said_order: list[str] = field(default_factory=list)  # the row of each phrase nearest the finding, best first
    # row id -> mean cosine of the row's AFFINITY_PHRASES phrases nearest the finding (every row with phrases)
    affinity: dict[str, float] = field(default_factory=dict)


class ExactVectors:
    """One collection's vectors in memory, searched exactly: a few thousand rows or phrases take 10 MB and a
    millisecond, and the same finding always gets the same nearest rows (Chroma's approximate search, asked the
    same question in several processes, sometimes left out the nearest row)."""

    def __init__(self, ids: list[str], matrix: np.ndarray):
        self.ids = ids
        self.matrix = matrix

    def cosines(self, vector: np.ndarray) -> np.ndarray:
        """The cosine of every stored vector with this one, in id order."""
        # einsum, not @: BLAS's threads, spinning after the product, slowed the embedder's next finding fivefold
        return np.einsum("ij,j->i", self.matrix, unit_vectors(vector).astype(np.float32))

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest (id, cosine), best first; ties by id."""
        return self.top(self.cosines(vector), k)

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best of these cosines (id, cosine), best first; ties by id."""
        k = min(k, len(self.ids))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        return sorted(((self.ids[i], float(scores[i])) for i in top), key=lambda hit: (-hit[1], hit[0]))


def _row_of(phrase_id: str) -> str:
    """The row a phrase's vector belongs to (its id is _phrase_id's)."""
    return phrase_id.rsplit("|", 1)[0]


class PhraseRows:
    """The stored phrases that count (`counted`; None: all), in id order, whatever order Chroma returns them in, and
    the row each is of: what the phrase space is learned from, and what a row's affinity to a finding is the mean
    cosine of its `k` phrases nearest it over (a row said many ways is near when several of its ways are, not one)."""

    def __init__(self, ids: list[str], counted: frozenset[str] | None, k: int = AFFINITY_PHRASES):
        chosen = sorted((uid, i) for i, uid in enumerate(ids) if counted is None or uid in counted)
        self.keep = np.array([i for _uid, i in chosen], dtype=np.int64)  # positions in the stored order
        self.labels = [_row_of(uid) for uid, _i in chosen]
        self.row_ids = sorted(set(self.labels))
        code = {row_id: n for n, row_id in enumerate(self.row_ids)}
        self.codes = np.array([code[r] for r in self.labels], dtype=np.int64)
        self.k = k

    def affinity(self, scores: np.ndarray) -> dict[str, float]:
        """Row id -> mean cosine of its k phrases nearest the finding (all of them, when it has fewer)."""
        if not self.row_ids:
            return {}
        kept = scores[self.keep]
        order = np.lexsort((-kept, self.codes))  # by row, best phrase first
        codes = self.codes[order]
        starts = np.searchsorted(codes, codes)  # where each phrase's row begins in this order
        first = np.arange(len(codes)) - starts < self.k
        totals = np.bincount(codes[first], weights=kept[order][first], minlength=len(self.row_ids))
        counts = np.bincount(codes[first], minlength=len(self.row_ids))
        return {row_id: float(totals[n] / counts[n]) for n, row_id in enumerate(self.row_ids) if counts[n]}


def _phrase_id(row_id: str, phrase: str) -> str:
    return f"{row_id}|{_hash(phrase)}"


@dataclass(frozen=True)
class Loaded:
    """The vectors read into memory: the rows', the phrases' (in the phrase space when there is one) and the space."""

    rows: ExactVectors
    phrases: ExactVectors
    space: PhraseSpace | None
    phrase_rows: PhraseRows


def fit_phrase_space(matrix: np.ndarray, phrases: PhraseRows, dims: int) -> PhraseSpace | None:
    """The phrase space learned from the phrases that count (rows of `matrix`, in the stored order), labelled by
    their row."""
    if not phrases.labels:
        return None
    space = PhraseSpace.fit(matrix[phrases.keep], phrases.labels, dims=dims)
    if space is None:
        log.info("on-site phrases too few (%d) for a phrase space: the embedder's own space is used",
                 len(phrases.labels))
    return space


class RowVectors:
    """Row vectors of one embedder: the rows' behaviour in one Chroma collection, their on-site phrases in another."""

    def __init__(self, client: Any, embedder: Embedder, space_dims: int = PHRASE_SPACE_DIMS):
        self.embedder = embedder
        self.space_dims = space_dims  # the phrase space's directions (a small catalog's tests learn a narrow one)
        slug = embedder_slug(embedder)
        self.index = DenseIndex(client, embedder, collection_name=COLLECTION_PREFIX + slug)
        self.phrase_index = DenseIndex(client, QueryForm(embedder), collection_name=PHRASE_COLLECTION_PREFIX + slug)
        # The phrases that count (use_phrases): the rows' current ones once built, none before; None: all stored.
        self.said_ids: frozenset[str] | None = None
        self._loaded: Loaded | None = None  # read at the first finding, again after a sync or a change of phrases

    @staticmethod
    def _items(rows: list[ViolationRow], phrases: Sequence[Sequence[str]]) -> tuple[dict, dict]:
        """id -> (text, row) of the rows' behaviour and of their phrases (`phrases`: per row, aligned with rows)."""
        behaviour = {r.row_id: (row_text(r), r) for r in rows}
        said = {_phrase_id(r.row_id, p): (p, r) for r, ps in zip(rows, phrases) for p in ps}
        return behaviour, said

    @staticmethod
    def _hashes(index: DenseIndex) -> dict[str, str]:
        """Item id -> hash of the text its vector was made from."""
        return {uid: meta.get("hash", "") for uid, meta in index._existing(None).items()}

    def missing(self, rows: list[ViolationRow], phrases: Sequence[Sequence[str]] = ()) -> list[ViolationRow]:
        """Rows whose vector, or a vector of one of their phrases, is absent or was made from other text, and (when
        `phrases` are given) rows that still have the vector of a phrase since removed."""
        behaviour, said = self._items(rows, phrases)
        out = {r.row_id for r in self._stale(self.index, behaviour)}
        if phrases:
            existing = self._hashes(self.phrase_index)
            out.update(r.row_id for r in self._stale(self.phrase_index, said, existing))
            out.update(_row_of(uid) for uid in existing if uid not in said)
        return [r for r in rows if r.row_id in out]

    def use_phrases(self, rows: list[ViolationRow], phrases: Sequence[Sequence[str]], complete: float) -> None:
        """Count only the rows' current phrases (one removed from the table never confirms a row, even before a sync
        drops its vector), and ask the phrases at all only when at least `complete` of them have their vector."""
        said = self._items(rows, phrases)[1]
        ready = len(self._stale(self.phrase_index, said)) <= (1 - complete) * len(said)
        said_ids = frozenset(said) if ready else frozenset()
        if said_ids != self.said_ids:
            self.said_ids = said_ids
            self._loaded = None  # the phrase space is learned from the phrases that count

    @property
    def said_ready(self) -> bool:
        """Whether the phrases are asked at all."""
        return self.said_ids is None or bool(self.said_ids)

    def _stale(self, index: DenseIndex, items: dict[str, tuple[str, ViolationRow]],
               existing: dict[str, str] | None = None) -> list[ViolationRow]:
        existing = self._hashes(index) if existing is None else existing
        return [r for uid, (text, r) in items.items() if existing.get(uid) != _hash(text)]

    def sync(self, rows: list[ViolationRow], progress: bool = False,
             phrases: Sequence[Sequence[str]] = ()) -> dict[str, int]:
        """Embed new and changed rows and phrases (written as they are embedded, so an interrupted sync resumes), drop
        the vectors of those that are gone. Counts rows; `phrases` counts the phrases embedded."""
        behaviour, said = self._items(rows, phrases)
        try:
            done = self._sync(self.index, behaviour, progress)
            done["phrases"] = self._sync(self.phrase_index, said, progress)["embedded"]
        finally:
            self._loaded = None
        done["unchanged"] = len(rows) - done["embedded"]
        return done

    @staticmethod
    def _sync(index: DenseIndex, items: dict[str, tuple[str, ViolationRow]], progress: bool) -> dict[str, int]:
        existing = RowVectors._hashes(index)
        stale = [i for i in existing if i not in items]
        todo = [uid for uid, (text, _r) in items.items() if existing.get(uid) != _hash(text)]
        try:
            step = index._max_batch()
            for start in range(0, len(stale), step):
                index.collection.delete(ids=stale[start:start + step])
            index._embed_and_upsert(todo, [items[uid][0] for uid in todo],
                                    [{"hash": _hash(items[uid][0]), "doc_id": items[uid][1].doc_id,
                                      "row_id": items[uid][1].row_id} for uid in todo], progress)
        except DenseIndexError:
            raise
        except Exception as exc:  # noqa: BLE001 - Chroma raises many kinds
            raise DenseIndexError(f"写入违法行为库向量失败（{exc}）；已写入的部分会保留，重新运行即可继续") from exc
        return {"embedded": len(todo), "deleted": len(stale)}

    def nearest(self, question: str, k: int, k_said: int = 0) -> Nearest:
        """The k rows nearest the finding by their behaviour (row id -> cosine), and the rows of the k_said phrases
        nearest it (each row with its best phrase's cosine): the finding is embedded once."""
        vector = np.asarray(embed_query(self.embedder, question), dtype=np.float32)
        loaded = self._vectors()
        rows = dict(loaded.rows.nearest(vector, k))
        if not (self.said_ready and loaded.phrases.ids):
            return Nearest(rows, {})
        scores = loaded.phrases.cosines(loaded.space.project(vector) if loaded.space is not None else vector)
        said: dict[str, float] = {}
        order: list[str] = []
        for uid, cosine in loaded.phrases.top(scores, k_said):
            if self.said_ids is not None and uid not in self.said_ids:
                continue
            row_id = _row_of(uid)
            said[row_id] = max(cosine, said.get(row_id, cosine))
            order.append(row_id)
        return Nearest(rows, said, order, loaded.phrase_rows.affinity(scores))

    def _vectors(self) -> Loaded:
        loaded = self._loaded
        if loaded is None:
            ids, matrix = self.phrase_index.all_vectors()
            counted = PhraseRows(ids, self.said_ids)
            space = fit_phrase_space(matrix, counted, self.space_dims)
            phrases = ExactVectors(ids, space.project(matrix) if space is not None else matrix)
            loaded = self._loaded = Loaded(ExactVectors(*self.index.all_vectors()), phrases, space, counted)
        return loaded
