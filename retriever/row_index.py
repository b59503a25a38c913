"""BM25 over the violation catalog's rows: what a finding is matched against.

A row is searched by three fields: its behaviour (the 项's words, with who it names), the wording of the obligations
it sanctions, and the jieba words of both. Short rows ("迟报或者漏报事故的") get their 款's lead ("事故发生单位主要
负责人有下列行为之一的") in the behaviour field, so the subject is part of what they say.
"""
from __future__ import annotations

import hashlib
import logging
import math
import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import select

from corpus import schema
from corpus.lexicon import Lexicon
from corpus.violations import LINK_SELF, ViolationRow, ViolationStore

from .cache_file import save_pickle
from .lexical import _Field
from .tokenize import WordTokenizer, bigrams

log = logging.getLogger(__name__)

FIELDS = ("behaviour", "obligation", "word", "phrase")
FORMAT_VERSION = 5  # bump when what is stored changes
LEAD_SUBJECT = 40  # characters of a 款's lead kept with its items (the subject, not the sanction)


def behaviour_text(row: ViolationRow) -> str:
    lead = ""
    if row.item and not row.clause_quote.startswith("有下列"):
        lead = row.clause_quote.split("，", 1)[0][:LEAD_SUBJECT]
    return f"{lead} {row.behaviour}".strip()


def obligation_text(row: ViolationRow) -> str:
    """The wording of the duties a row sanctions (a 项 that is its own duty would only repeat the behaviour)."""
    return " ".join(o.quote for o in row.obligations if o.quote and o.link != LINK_SELF)


class RowIndex:
    """The rows of a violation catalog, with BM25 fields over them (pickled whole as a cache under the home)."""

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("words", None)  # the tokenizer is the caller's (its jieba instance does not pickle)
        return state

    def __init__(self, rows: list[ViolationRow], words: WordTokenizer, previous: RowIndex | None = None,
                 phrases: Sequence[Sequence[str]] = ()):
        """`previous`: an index built with the same dictionary; the jieba words of its rows that did not change
        are reused (jieba is most of the build time, and after an ingest most rows are the same). `phrases`: per
        row, how its behaviour is said on site (the lexicon's row phrases), each searched as a document of its own."""
        self.rows = rows
        self.words = words
        self.position = {r.row_id: i for i, r in enumerate(rows)}
        self.fields = {name: _Field() for name in FIELDS}
        reuse = previous is not None and previous.words.fingerprint == words.fingerprint
        terms = {i: t for t, i in previous.fields["word"].vocab.items()} if reuse and previous is not None else {}
        for row in rows:
            behaviour, obligation = behaviour_text(row), obligation_text(row)
            self.fields["behaviour"].add(bigrams(behaviour))
            self.fields["obligation"].add(bigrams(obligation))
            old = previous.position.get(row.row_id) if reuse and previous is not None else None
            if old is not None and previous is not None and previous.rows[old] == row:
                ids, tf = previous.fields["word"].tokens[old]
                self.fields["word"].add_counts({terms[int(i)]: float(n) for i, n in zip(ids, tf)})
            else:
                self.fields["word"].add(words.words(f"{behaviour} {obligation}"))
        owners = []
        self.phrases: list[tuple[str, ...]] = [tuple(said) for said in phrases] or [() for _ in rows]
        self.phrase_grams: list[set[str]] = [set() for _ in rows]
        for position, said in enumerate(phrases):
            for phrase in said:
                grams = bigrams(phrase)
                self.fields["phrase"].add(grams)
                self.phrase_grams[position].update(grams)
                owners.append(position)
        self.phrase_owner = np.array(owners, dtype=np.int64)
        for f in self.fields.values():
            f.compile()
        self.doc_ids = np.array([r.doc_id for r in rows])
        self.behaviour_grams = [set(bigrams(behaviour_text(r))) for r in rows]
        self.obligation_grams = [set(bigrams(obligation_text(r))) for r in rows]
        self._idf = self._row_idf()
        log.info("row index: %d rows", len(rows))

    @property
    def phrase_count(self) -> int:
        """How many on-site phrases the rows have."""
        return sum(len(said) for said in self.phrases)

    def __len__(self) -> int:
        return len(self.rows)

    def scores(self, field: str, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        if field == "phrase":  # a row scores as its best phrase
            per_phrase = self.fields[field].score(terms, len(self.phrase_owner), weights)
            out = np.zeros(len(self.rows), dtype=np.float32)
            np.maximum.at(out, self.phrase_owner, per_phrase)
            return out
        return self.fields[field].score(terms, len(self.rows), weights)

    def _row_idf(self) -> dict[str, float]:
        """BM25 idf of each bigram over the rows, a row being all it is searched by (behaviour, obligations,
        phrases): a word only a row's obligations or phrases hold still weighs in what share of a finding it holds."""
        df: dict[str, int] = {}
        for grams in zip(self.behaviour_grams, self.obligation_grams, self.phrase_grams):
            for g in set().union(*grams):
                df[g] = df.get(g, 0) + 1
        n = len(self.rows)
        return {g: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) for g, d in df.items()}

    def idf(self, gram: str) -> float:
        """0 for a bigram no row holds: the catalog cannot speak to it either way."""
        return self._idf.get(gram, 0.0)


def rows_signature(store: ViolationStore) -> str:
    """Names the rows a store holds: which documents, their contents and the builder that made the rows."""
    with store.engine.connect() as conn:
        built = sorted(conn.execute(select(schema.violation_docs.c.doc_id, schema.violation_docs.c.content_hash,
                                           schema.violation_docs.c.builder)).all())
    return hashlib.sha1(repr(built).encode("utf-8")).hexdigest()


def open_row_index(store: ViolationStore, words: WordTokenizer, path: Path | None,
                   doc_ids: set[str] | None = None, previous: RowIndex | None = None,
                   lexicon: Lexicon | None = None) -> RowIndex:
    """The row index over the rows of `doc_ids` (all when None), loaded from `path` when it was built from the
    same rows with the same dictionary, else built and saved there. The index is a cache: deleting it loses
    nothing."""
    phrases_key = lexicon.phrases_fingerprint() if lexicon is not None else ""
    key = (FORMAT_VERSION, rows_signature(store), words.fingerprint, phrases_key, tuple(sorted(doc_ids or ())))
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                saved_key, index = pickle.load(fh)
            if saved_key == key:
                index.words = words
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as exc:
            log.warning("row index at %s unreadable (%s); rebuilding", path, exc)
    rows = store.rows(doc_ids=doc_ids)
    # The phrase table names rows by article number only: a 第X条之一 row (刑法's) has none.
    said = [lexicon.row_phrases.get(r.key, ()) if lexicon is not None and not r.article_sub else () for r in rows]
    index = RowIndex(rows, words, previous, said)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_pickle(path, (key, index))
    return index
