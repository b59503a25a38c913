"""The questions people ask that an article answers (corpus/lexicon/article_questions.tsv), each searched as a
BM25 document of its own.

A rule question in plain words ("经营许可证去县里办还是市里办？") shares few words with the article that answers
it ("向所在地设区的市级人民政府应急管理部门提出申请"); it shares many with a question written for that article.
An article scores as its best question, as a violation row scores as its best on-site phrase (row_index).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from corpus.lexicon import Lexicon
from corpus.model import Unit

from .lexical import _Field
from .tokenize import bigrams

log = logging.getLogger(__name__)


class AskedIndex:
    """BM25 over the lexicon's article questions; scores are per lexical-index position (the article's unit)."""

    def __init__(self, owners: list[int], questions: list[str], n_units: int):
        self.n_units = n_units
        self.owners = np.array(owners, dtype=np.int64)
        self.field = _Field()
        for question in questions:
            self.field.add(bigrams(question))
        self.field.compile()

    def __len__(self) -> int:
        return len(self.owners)

    @classmethod
    def build(cls, lexicon: Lexicon, current: Callable[[str], str | None], article: Callable[[str, int], Unit | None],
              position: Callable[[str], int | None], n_units: int) -> AskedIndex:
        """`current(law)`: the doc id of the law's version in force; `article(doc_id, number)` and
        `position(unit_id)` find an article's place in the lexical index. The questions were written for the
        version in force (another version numbers its articles otherwise). Questions for an article the corpus
        lacks are left out (a bureau's table may name a law it has not added)."""
        owners: list[int] = []
        questions: list[str] = []
        for (law, number), asked in lexicon.article_questions.items():
            doc_id = current(law)
            unit = None if doc_id is None else article(doc_id, number)
            pos = None if unit is None else position(unit.unit_id)
            if pos is None:
                continue
            owners.extend([pos] * len(asked))
            questions.extend(asked)
        log.info("article questions: %d for %d articles", len(questions), len(set(owners)))
        return cls(owners, questions, n_units)

    def scores(self, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """Per unit: the BM25 score of its best question (0 for units without questions)."""
        out = np.zeros(self.n_units, dtype=np.float32)
        if len(self.owners):
            per_question = self.field.score(terms, len(self.owners), weights)
            np.maximum.at(out, self.owners, per_question)
        return out
