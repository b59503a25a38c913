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

# A law's questions fit the articles they name this much better than the articles next to them (numbering_fit), or
# the law's text is numbered otherwise than the one they were written for (a new version) and they are left out.
# The shipped questions on the texts in force: 1.17 (安全生产许可证条例) to 2.42; moved 1, 2, 3 or 10 articles
# on or back: .33 to .92.
FIT_RATIO = 1.05


class AskedIndex:
    """BM25 over the lexicon's article questions; scores are per lexical-index position (the article's unit)."""

    def __init__(self, owners: list[int], questions: list[str], n_units: int, unfit: tuple[str, ...] = ()):
        self.n_units = n_units
        self.unfit = unfit  # laws whose questions were left out: their numbering does not fit (numbering_fit)
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
        def text(doc_id: str, number: int) -> str | None:
            unit = article(doc_id, number)
            return None if unit is None else unit.text

        fitting, unfit = sort_by_fit(lexicon, current, text)
        for law in unfit:
            log.warning("article questions of %s left out: they do not fit its articles' numbering", law)
        owners: list[int] = []
        questions: list[str] = []
        for doc_id, asked in fitting.values():
            for number, said in asked.items():
                unit = article(doc_id, number)
                pos = None if unit is None else position(unit.unit_id)
                if pos is not None:
                    owners.extend([pos] * len(said))
                    questions.extend(said)
        log.info("article questions: %d for %d articles", len(questions), len(set(owners)))
        return cls(owners, questions, n_units, tuple(unfit))

    def scores(self, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """Per unit: the BM25 score of its best question (0 for units without questions)."""
        out = np.zeros(self.n_units, dtype=np.float32)
        if len(self.owners):
            per_question = self.field.score(terms, len(self.owners), weights)
            np.maximum.at(out, self.owners, per_question)
        return out


def sort_by_fit(lexicon: Lexicon, current: Callable[[str], str | None], text: Callable[[str, int], str | None]
                ) -> tuple[dict[str, tuple[str, dict[int, tuple[str, ...]]]], list[str]]:
    """The lexicon's article questions by law (normalised title): those of the laws whose numbering they fit, with
    the doc id they attach to, and the laws whose numbering they do not fit (numbering_fit). `current(law)`: the doc
    id of the law's version in force (None: the catalog lacks the law, whose questions are in neither list);
    `text(doc_id, number)`: an article's text, None when there is no such article."""
    by_law: dict[str, dict[int, tuple[str, ...]]] = {}
    for (law, number), said in lexicon.article_questions.items():
        by_law.setdefault(law, {})[number] = said
    fitting: dict[str, tuple[str, dict[int, tuple[str, ...]]]] = {}
    unfit: list[str] = []
    for law, asked in by_law.items():
        doc_id = current(law)
        if doc_id is None:
            continue

        def of_law(number: int, doc_id: str = doc_id) -> str | None:
            return text(doc_id, number)

        if numbering_fit(asked, of_law) < FIT_RATIO:
            unfit.append(law)
        else:
            fitting[law] = (doc_id, asked)
    return fitting, unfit


def numbering_fit(asked: dict[int, tuple[str, ...]], text: Callable[[int], str | None]) -> float:
    """How much better a law's questions fit the articles they name than the articles next to them: the share of
    each question's bigrams its article holds, summed, over the same for the better neighbour (the article before
    or after). Questions written for the text of a law score well above 1 on it; on a text numbered otherwise (a
    new version with articles added or removed), near or below 1. `text(number)`: an article's text, None when the
    law has no such article."""
    grams: dict[int, set[str]] = {}

    def held(question: set[str], number: int) -> float:
        if number not in grams:
            grams[number] = set(bigrams(text(number) or ""))
        return len(question & grams[number]) / len(question) if question else 0.0

    own = neighbour = 0.0
    for number, said in asked.items():
        for question in said:
            q = set(bigrams(question))
            own += held(q, number)
            neighbour += max(held(q, number - 1), held(q, number + 1))
    return own / neighbour if neighbour else float("inf")
