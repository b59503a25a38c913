"""BM25 over the violation catalog's rows: what a finding is matched against.

A row is searched by three fields: its behaviour (the 项's words, with who it names), the wording of the obligations
it sanctions, and the jieba words of both. Short rows ("迟报或者漏报事故的") get their 款's lead ("事故发生单位主要
负责人有下列行为之一的") in the behaviour field, so the subject is part of what they say.
"""
from __future__ import annotations

import logging

import numpy as np

from corpus.violations import ViolationRow

from .lexical import _Field
from .tokenize import WordTokenizer, bigrams

log = logging.getLogger(__name__)

FIELDS = ("behaviour", "obligation", "word")
LEAD_SUBJECT = 40  # characters of a 款's lead kept with its items (the subject, not the sanction)


def behaviour_text(row: ViolationRow) -> str:
    lead = ""
    if row.item and not row.clause_quote.startswith("有下列"):
        lead = row.clause_quote.split("，", 1)[0][:LEAD_SUBJECT]
    return f"{lead} {row.behaviour}".strip()


def obligation_text(row: ViolationRow) -> str:
    return " ".join(o.quote for o in row.obligations if o.quote)


class RowIndex:
    """The rows of a violation catalog, with BM25 fields over them."""

    def __init__(self, rows: list[ViolationRow], words: WordTokenizer):
        self.rows = rows
        self.words = words
        self.position = {r.row_id: i for i, r in enumerate(rows)}
        self.fields = {name: _Field() for name in FIELDS}
        for row in rows:
            behaviour, obligation = behaviour_text(row), obligation_text(row)
            self.fields["behaviour"].add(bigrams(behaviour))
            self.fields["obligation"].add(bigrams(obligation))
            self.fields["word"].add(words.words(f"{behaviour} {obligation}"))
        for f in self.fields.values():
            f.compile()
        self.doc_ids = np.array([r.doc_id for r in rows])
        log.info("row index: %d rows", len(rows))

    def __len__(self) -> int:
        return len(self.rows)

    def scores(self, field: str, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        return self.fields[field].score(terms, len(self.rows), weights)

    def idf(self, gram: str) -> float:
        return self.fields["behaviour"].term_idf(gram)
