"""BM25 over catalog units, two fields: character bigrams and legal-term jieba words.

The index is a cache of the catalog: it keeps each unit's token counts, so a changed document only
re-tokenises its own units; postings are recompiled (vectorised) after any change. Persisted under home.
"""
from __future__ import annotations

import logging
import pickle
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.catalog import Catalog
from corpus.lexicon import DOMAIN_GROUPS
from corpus.model import Document, Unit
from corpus.names import normalize_title

from .cache_file import save_pickle
from .tokenize import WordTokenizer, bigrams
from .weights import BM25_B, BM25_K1, REPEAT_BONUS

log = logging.getLogger(__name__)

FORMAT_VERSION = 6
FIELDS = ("bigram", "word")


def is_domain_doc(doc: Document, domain_laws: frozenset[str]) -> bool:
    """A law the product is about, or a document the bureau added itself."""
    return normalize_title(doc.title) in domain_laws or not doc.source.startswith("builtin:")


def unit_index_text(unit: Unit) -> str:
    """What a unit is searched by: its chapter/heading path and its text."""
    return " ".join([*unit.path, unit.heading or "", unit.text])


@dataclass
class _Field:
    """One BM25 field: vocabulary, per-unit token counts, and compiled postings."""

    vocab: dict[str, int] = field(default_factory=dict)
    tokens: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # per unit: (term ids, tf)
    offsets: np.ndarray | None = None  # term id -> slice into postings
    post_units: np.ndarray | None = None
    post_scores: np.ndarray | None = None
    idf: np.ndarray | None = None

    def add(self, terms: list[str]) -> None:
        self.add_counts(Counter(terms))

    def add_counts(self, counts: Mapping[str, float]) -> None:
        ids = np.fromiter((self.vocab.setdefault(t, len(self.vocab)) for t in counts), dtype=np.int32,
                          count=len(counts))
        self.tokens.append((ids, np.fromiter(counts.values(), dtype=np.float32, count=len(counts))))

    def compile(self) -> None:
        n = len(self.tokens)
        vocab_size = len(self.vocab)
        if n == 0:
            self.offsets = np.zeros(vocab_size + 1, dtype=np.int64)
            self.post_units = np.zeros(0, dtype=np.int32)
            self.post_scores = np.zeros(0, dtype=np.float32)
            self.idf = np.zeros(vocab_size, dtype=np.float32)
            return
        lengths = np.array([len(ids) for ids, _ in self.tokens], dtype=np.int64)
        term_ids = np.concatenate([ids for ids, _ in self.tokens])
        tfs = np.concatenate([tf for _, tf in self.tokens])
        unit_ids = np.repeat(np.arange(n, dtype=np.int32), lengths)
        doc_len = np.array([tf.sum() for _, tf in self.tokens], dtype=np.float32)
        avg = float(doc_len.mean()) or 1.0
        df = np.bincount(term_ids, minlength=vocab_size).astype(np.float32)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = BM25_K1 * (1.0 - BM25_B + BM25_B * doc_len[unit_ids] / avg)
        scores = self.idf[term_ids] * tfs * (BM25_K1 + 1.0) / (tfs + norm)
        order = np.argsort(term_ids, kind="stable")
        self.post_units = unit_ids[order]
        self.post_scores = scores[order].astype(np.float32)
        self.offsets = np.zeros(vocab_size + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=vocab_size), out=self.offsets[1:])

    def _matched(self, terms: list[str],
                 weights: dict[str, float] | None) -> Iterator[tuple[np.ndarray, np.ndarray, float, float]]:
        """For each distinct term the field holds: its postings (units ascending, BM25 scores), the caller's weight
        and the repeat bonus. score() and score_units() apply them in the same order, with the same arithmetic."""
        for term, count in Counter(terms).items():
            tid = self.vocab.get(term)
            if tid is None:
                continue
            offsets, post_units, post_scores = self.postings()
            if tid >= len(offsets) - 1:
                continue
            lo, hi = offsets[tid], offsets[tid + 1]
            yield post_units[lo:hi], post_scores[lo:hi], (weights or {}).get(term, 1.0), \
                1.0 + REPEAT_BONUS * (count - 1)

    def score(self, terms: list[str], n_units: int, weights: dict[str, float] | None = None) -> np.ndarray:
        scores = np.zeros(n_units, dtype=np.float32)
        for units, values, w, repeat in self._matched(terms, weights):
            scores[units] += values * w * repeat
        return scores

    def score_units(self, terms: list[str], units: np.ndarray, weights: dict[str, float] | None = None) -> np.ndarray:
        """score() for only `units` (ascending positions): a search within one law's penalty articles need not
        score the whole corpus."""
        scores = np.zeros(len(units), dtype=np.float32)
        for held, values, w, repeat in self._matched(terms, weights):
            if not len(held) or not len(units):  # a word whose units were all dropped since; no units asked
                continue
            at = np.minimum(np.searchsorted(held, units), len(held) - 1)  # postings ascend (compile() sorts stably)
            found = held[at] == units
            scores[found] += values[at[found]] * w * repeat
        return scores

    def postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The compiled offsets, posting units and posting scores (compile() sets them before any search)."""
        if self.offsets is None or self.post_units is None or self.post_scores is None:
            raise TypeError("BM25 field searched before compile()")
        return self.offsets, self.post_units, self.post_scores

    def idf_values(self) -> np.ndarray:
        """The compiled per-term idf (compile() sets it before any search)."""
        if self.idf is None:
            raise TypeError("BM25 field searched before compile()")
        return self.idf

    def term_idf(self, term: str) -> float:
        tid = self.vocab.get(term)
        if tid is None:
            return 0.0
        idf = self.idf_values()
        return float(idf[tid]) if tid < len(idf) else 0.0


class LexicalIndex:
    """BM25 (bigram + word fields) over every unit of the catalog."""

    def __init__(self, words: WordTokenizer | None = None):
        self.words = words or WordTokenizer()
        self.unit_ids: list[str] = []
        self.doc_ids: list[str] = []  # per unit
        self.kinds: list[str] = []  # per unit: article, section, table_row, paragraph
        self.doc_hashes: dict[str, str] = {}  # doc id -> content hash it was built from
        self.fields = {name: _Field() for name in FIELDS}
        self._position: dict[str, int] = {}
        self.unsaved = False  # synced with the catalog but not yet written to its file (open_lexical save=False)

    def __len__(self) -> int:
        return len(self.unit_ids)

    # -- building --------------------------------------------------------------------------------

    def _add_units(self, units: list[Unit], with_words: bool) -> None:
        for unit in units:
            text = unit_index_text(unit)
            self.unit_ids.append(unit.unit_id)
            self.doc_ids.append(unit.doc_id)
            self.kinds.append(unit.kind.value)
            self.fields["bigram"].add(bigrams(text))
            self.fields["word"].add(self.words.words(text) if with_words else [])

    def _with_words(self, doc: Document) -> bool:
        """Word tokens (jieba, the slow part of a build) for the domain's laws and the bureau's own documents;
        the other built-in laws (patents, taxes …) are searched by bigrams only."""
        return is_domain_doc(doc, self.words.lexicon.laws_in(*DOMAIN_GROUPS))

    def _drop_docs(self, doc_ids: set[str]) -> None:
        keep = [i for i, d in enumerate(self.doc_ids) if d not in doc_ids]
        self.unit_ids = [self.unit_ids[i] for i in keep]
        self.doc_ids = [self.doc_ids[i] for i in keep]
        self.kinds = [self.kinds[i] for i in keep]
        for f in self.fields.values():
            f.tokens = [f.tokens[i] for i in keep]
        for d in doc_ids:
            self.doc_hashes.pop(d, None)

    def _compile(self) -> None:
        for f in self.fields.values():
            f.compile()
        self._position = {u: i for i, u in enumerate(self.unit_ids)}

    def sync(self, catalog: Catalog, progress: bool = False) -> bool:
        """Bring the index in line with the catalog; only changed documents are re-tokenised."""
        from tqdm import tqdm

        documents = {d.doc_id: d for d in catalog.documents()}
        current = {d: doc.content_hash for d, doc in documents.items()}
        stale = {d for d, h in self.doc_hashes.items() if current.get(d) != h}
        new = [d for d, h in current.items() if self.doc_hashes.get(d) != h]
        if not stale and not new:
            if self.fields["bigram"].offsets is None:
                self._compile()
            return False
        self._drop_docs(stale)
        for doc_id in tqdm(new, desc="建立检索索引", unit="部", disable=not progress or len(new) < 5):
            self._add_units(catalog.units(doc_id), self._with_words(documents[doc_id]))
            self.doc_hashes[doc_id] = current[doc_id]
        self._compile()
        log.info("lexical index: %d units (%d documents re-indexed, %d dropped)", len(self), len(new), len(stale))
        return True

    # -- searching -------------------------------------------------------------------------------

    def scores(self, field_name: str, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        return self.fields[field_name].score(terms, len(self.unit_ids), weights)

    def scores_of(self, field_name: str, terms: list[str], units: np.ndarray) -> np.ndarray:
        """scores() of `units` (ascending positions) only."""
        return self.fields[field_name].score_units(terms, units)

    def position(self, unit_id: str) -> int | None:
        return self._position.get(unit_id)

    # -- persistence -----------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        state = {
            "version": FORMAT_VERSION,
            "dictionary": self.words.fingerprint,
            "unit_ids": self.unit_ids,
            "doc_ids": self.doc_ids,
            "kinds": self.kinds,
            "doc_hashes": self.doc_hashes,
            "fields": {n: (f.vocab, f.tokens) for n, f in self.fields.items()},
        }
        save_pickle(path, state)

    @classmethod
    def load(cls, path: Path, words: WordTokenizer | None = None) -> LexicalIndex:
        index = cls(words)
        try:
            with path.open("rb") as fh:
                state = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            log.warning("lexical index at %s unreadable (%s); rebuilding", path, exc)
            return index
        if state.get("version") != FORMAT_VERSION or state.get("dictionary") != index.words.fingerprint:
            log.info("lexical index at %s was built with another format or dictionary; rebuilding", path)
            return index
        index.unit_ids, index.doc_ids, index.doc_hashes = state["unit_ids"], state["doc_ids"], state["doc_hashes"]
        index.kinds = state["kinds"]
        for name, (vocab, tokens) in state["fields"].items():
            index.fields[name] = _Field(vocab=vocab, tokens=tokens)
        return index


def open_lexical(catalog: Catalog, path: Path, progress: bool = False,
                 words: WordTokenizer | None = None, save: bool = True) -> LexicalIndex:
    """Load the persisted index (if any), sync it with the catalog, save it if it changed (or, with save=False,
    mark it `unsaved` for the caller to save later)."""
    index = LexicalIndex.load(path, words) if path.exists() else LexicalIndex(words)
    if index.sync(catalog, progress=progress):
        if save:
            index.save(path)
        else:
            index.unsaved = True
    return index
