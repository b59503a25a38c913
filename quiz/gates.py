"""Quality gates every generated candidate must pass, whatever produced it (rule generator, later an LLM).

`Gatekeeper.admit(question)` returns None and remembers the question when it passes, or a Chinese reason
"<gate>：<detail>" when it does not. The gates, in order:

* 选项重复 — two options equal after normalisation;
* 结构不合法 — quiz.validate.problem (options, key letters, difficulty);
* 题干长度 — a stem shorter than `min_stem` or longer than `max_stem` characters;
* 缺少空格 — a choice stem without a blank （　　）, or a true/false statement with one;
* 答案不唯一 — a single choice with more than one key, or a distractor that equals or contains a key;
* 兜底选项 — an option such as 以上都对 / 全部正确;
* 长度暴露答案 — the key is uniquely the longest option by a wide margin (mean of the others × ratio);
* 措辞暴露答案 — the key is the only option sharing distinctive words with the stem;
* 近似重复 — character-bigram Jaccard of stem + key text above `near_duplicate` with an admitted item.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import LETTERS, QType, Question, normalize_text
from .validate import problem

BLANK_RE = re.compile(r"[（(][\s\u3000]*[)）]|_{2,}|＿{2,}")
_CATCH_ALL = re.compile(r"以上(?:都|均|全|皆)|全部(?:正确|都对|都是)|都(?:正确|对)$|以上选项|以上说法")
_DIGIT = re.compile(r"\d")

# Bigrams too common in this domain to count as a give-away when an option shares them with the stem.
BASE_COMMON = frozenset({
    "危险", "险化", "化学", "学品", "安全", "管理", "部门", "主管", "单位", "企业", "规定", "国家", "有关", "应当",
    "人民", "民政", "政府", "生产", "储存", "使用", "经营", "运输", "许可", "可证", "监督", "督管", "依法",
})

GATES = ("选项重复", "结构不合法", "题干长度", "缺少空格", "答案不唯一", "兜底选项", "长度暴露答案", "措辞暴露答案",
         "近似重复")


def bigrams(text: str) -> set[str]:
    norm = normalize_text(text)
    if len(norm) < 2:
        return {norm} if norm else set()
    return {norm[i:i + 2] for i in range(len(norm) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def signature(question: Question) -> set[str]:
    """What near-duplicate detection compares: the stem and the text of the key."""
    return bigrams(question.stem + "".join(question.answer_texts()))


def _contains(a: str, b: str) -> bool:
    """Whether option text `a` equals or contains `b` (normalised); numbers are compared only for equality."""
    na, nb = normalize_text(a), normalize_text(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if _DIGIT.search(na) or _DIGIT.search(nb):
        return False  # "15日" contains "5日", "5万元以上10万元以下" contains "10万元以下": different values
    return len(nb) >= 2 and nb in na


_ORDINAL = set("零一二三四五六七八九十百千第条款项")


def _distinctive(options: list[str], common: frozenset[str]) -> list[set[str]]:
    """Each option's bigrams that no other option has and that are not common in the domain.

    Bigrams of article labels (二十, 一条) are left out: a stem asking 哪一条 shares them by accident.
    """
    grams = [{g for g in bigrams(o) if not set(g) <= _ORDINAL} for o in options]
    out = []
    for i, g in enumerate(grams):
        others = set().union(*(grams[j] for j in range(len(grams)) if j != i)) if len(grams) > 1 else set()
        out.append(g - others - common)
    return out


@dataclass
class Gatekeeper:
    """Applies the gates; remembers admitted items for the near-duplicate gate."""

    common: frozenset[str] = BASE_COMMON
    near_duplicate: float = 0.8
    min_stem: int = 10
    max_stem: int = 200
    length_ratio: float = 1.6
    admitted: list[Question] = field(default_factory=list)
    _signatures: list[set[str]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.common = frozenset(self.common) | BASE_COMMON
        for q in self.admitted:
            self._signatures.append(signature(q))

    def admit(self, question: Question) -> str | None:
        reason = self.check(question)
        if reason is None:
            self.admitted.append(question)
            self._signatures.append(signature(question))
        return reason

    def check(self, question: Question) -> str | None:
        for gate in (self._distinct, self._structure, self._stem, self._blank, self._unique, self._catch_all,
                     self._length, self._wording, self._near_duplicate):
            reason = gate(question)
            if reason:
                return reason
        return None

    # -- the gates -----------------------------------------------------------------------------

    @staticmethod
    def _structure(q: Question) -> str | None:
        reason = problem(q)
        return f"结构不合法：{reason}" if reason else None

    def _stem(self, q: Question) -> str | None:
        size = len(normalize_text(q.stem))
        if size < self.min_stem:
            return f"题干长度：题干只有 {size} 个字，过短（至少 {self.min_stem} 个字）"
        if len(q.stem) > self.max_stem:
            return f"题干长度：题干有 {len(q.stem)} 个字，过长（最多 {self.max_stem} 个字）"
        return None

    @staticmethod
    def _blank(q: Question) -> str | None:
        has_blank = bool(BLANK_RE.search(q.stem))
        if q.qtype is QType.TRUE_FALSE:
            return "缺少空格：判断题题干不应含有填空括号" if has_blank else None
        return None if has_blank else "缺少空格：选择题题干缺少作答括号（　　）"

    @staticmethod
    def _distinct(q: Question) -> str | None:
        seen: dict[str, int] = {}
        for i, option in enumerate(q.options):
            key = normalize_text(option)
            if key in seen:
                return f"选项重复：{LETTERS[seen[key]]} 与 {LETTERS[i]} 相同（“{option}”）"
            seen[key] = i
        return None

    @staticmethod
    def _unique(q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        if q.qtype is QType.SINGLE and len(q.answer) != 1:
            return f"答案不唯一：单选题有 {len(q.answer)} 个答案"
        keys = q.answer_texts()
        for i, option in enumerate(q.options):
            if LETTERS[i] in q.answer:
                continue
            for key in keys:
                if _contains(option, key):
                    return f"答案不唯一：干扰项 {LETTERS[i]}“{option}”等于或包含答案“{key}”"
                if q.qtype is QType.SINGLE and _contains(key, option):
                    return f"答案不唯一：答案“{key}”包含干扰项 {LETTERS[i]}“{option}”"
        return None

    @staticmethod
    def _catch_all(q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        for i, option in enumerate(q.options):
            if _CATCH_ALL.search(option):
                return f"兜底选项：选项 {LETTERS[i]}“{option}”为“以上都对”类表述"
        return None

    def _length(self, q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        sizes = [len(normalize_text(o)) for o in q.options]
        keys = [sizes[LETTERS.index(c)] for c in q.answer]
        others = [s for i, s in enumerate(sizes) if LETTERS[i] not in q.answer]
        if not others:
            return None
        mean_others = sum(others) / len(others)
        if q.qtype is QType.SINGLE:
            key = keys[0]
            if key > max(others) and key > self.length_ratio * mean_others:
                return f"长度暴露答案：答案长 {key} 字，其余选项平均 {mean_others:.1f} 字"
        elif min(keys) > max(others) and sum(keys) / len(keys) > self.length_ratio * mean_others:
            return f"长度暴露答案：答案均长于干扰项（平均 {sum(keys) / len(keys):.1f} 字对 {mean_others:.1f} 字）"
        return None

    def _wording(self, q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        stem = bigrams(BLANK_RE.sub("", q.stem))
        shared = [len(d & stem) for d in _distinctive(q.options, self.common)]
        keyed = [shared[LETTERS.index(c)] for c in q.answer]
        others = [s for i, s in enumerate(shared) if LETTERS[i] not in q.answer]
        # One shared bigram is already a hint for a short option (公安 in a stem that names 公安机关).
        needed = 1 if q.qtype is QType.SINGLE else 2
        if others and min(keyed) >= needed and max(others) == 0:
            return "措辞暴露答案：只有答案与题干共用特征词"
        return None

    def _near_duplicate(self, q: Question) -> str | None:
        sig = signature(q)
        for other, other_sig in zip(self.admitted, self._signatures):
            score = jaccard(sig, other_sig)
            if score > self.near_duplicate:
                return f"近似重复：与已保留题目“{other.stem[:30]}…”相似度 {score:.2f}"
        return None


def check_all(questions: Iterable[Question], common: frozenset[str] = BASE_COMMON) -> list[tuple[Question, str]]:
    """Run the gates over a list in order (as a batch would be admitted); the failures with their reasons."""
    keeper = Gatekeeper(common=common)
    failures = []
    for q in questions:
        reason = keeper.admit(q)
        if reason:
            failures.append((q, reason))
    return failures


def gate_name(reason: str) -> str:
    """'近似重复：…' -> '近似重复' (for counting rejections by gate)."""
    return reason.split("：", 1)[0]
