"""Question model: type, stem, options, key, explanation, basis citations, tags, origin, review status."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

LETTERS = "ABCDEFGH"


class QType(str, Enum):
    TRUE_FALSE = "判断"
    SINGLE = "单选"
    MULTIPLE = "多选"


class Review(str, Enum):
    DRAFT = "draft"  # 待审核
    APPROVED = "approved"  # 已审核，可组卷
    RETIRED = "retired"  # 已停用

    @property
    def label(self) -> str:
        return {"draft": "待审核", "approved": "已审核", "retired": "已停用"}[self.value]


ROLES = ("主要负责人", "分管安全负责人", "安全管理人员", "特种作业人员", "从业人员")
ENTERPRISE_TYPES = ("危险化学品生产", "经营(带储存)", "经营(不带储存)", "使用", "储存", "气体充装", "加油站",
                    "一般化工")
TRUE_FALSE_OPTIONS = ["正确", "错误"]


@dataclass
class Basis:
    """The article a question rests on: (law, article), linked to a catalog unit when resolvable."""

    law: str
    article_no: int
    article_sub: int = 0
    unit_id: str | None = None

    @property
    def article(self) -> str:
        from corpus.numbers import article_label

        return article_label(self.article_no, self.article_sub)

    def cite(self) -> str:
        return f"《{self.law}》{self.article}"


@dataclass
class Origin:
    """Where an item came from: an imported bank and row, a generator and article, or typed in."""

    kind: str  # "imported" | "generated" | "manual"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    generator: str | None = None  # e.g. "cloze-number", "mutation-deadline", "llm"
    unit_id: str | None = None


@dataclass
class Question:
    qtype: QType
    stem: str
    options: list[str]  # option texts in order; letters A, B, ... are implied
    answer: str  # letters, sorted: "A", "ABD"
    explanation: str = ""
    basis: list[Basis] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    enterprise_types: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    difficulty: int = 2  # 1 easy, 2 medium, 3 hard
    origin: Origin = field(default_factory=lambda: Origin(kind="manual"))
    review: Review = Review.DRAFT
    flags: list[str] = field(default_factory=list)  # review flags, e.g. outdated basis
    qid: str = ""

    def __post_init__(self) -> None:
        self.answer = normalize_answer(self.answer)

    @property
    def letters(self) -> str:
        return LETTERS[: len(self.options)]

    def fingerprint(self) -> str:
        """Identity for duplicate detection: normalised stem and option set (order-free), and the type."""
        opts = sorted(normalize_text(o) for o in self.options)
        key = "|".join([self.qtype.value, normalize_text(self.stem), *opts])
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def ensure_id(self) -> str:
        if not self.qid:
            self.qid = self.fingerprint()
        return self.qid

    def answer_texts(self) -> list[str]:
        return [self.options[LETTERS.index(c)] for c in self.answer]


_STEM_NUMBER = re.compile(r"^\s*\d+\s*[.．、]\s*")
_PUNCT = re.compile(r"[\s\u3000，,。.、；;：:！!？?（）()\[\]【】“”\"'‘’《》<>_＿—\-]+")


def normalize_text(text: str) -> str:
    """Compare texts ignoring width, punctuation, spaces and blanks (（ ）, ____)."""
    text = unicodedata.normalize("NFKC", text or "")
    return _PUNCT.sub("", text).lower()


def strip_stem_number(stem: str) -> str:
    """'12.危险化学品…' -> '危险化学品…' (imported banks number their stems)."""
    return _STEM_NUMBER.sub("", stem or "").strip()


def normalize_answer(answer: str) -> str:
    """' a, b ,D' -> 'ABD'; 对/正确/√ -> A and 错/错误/× -> B for 判断."""
    text = unicodedata.normalize("NFKC", answer or "").strip().upper()
    if text in {"对", "正确", "√", "TRUE", "是"}:
        return "A"
    if text in {"错", "错误", "×", "FALSE", "否"}:
        return "B"
    return "".join(sorted(set(c for c in text if c in LETTERS)))
