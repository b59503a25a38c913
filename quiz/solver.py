"""Answer 判断 / 单选 / 多选 items from the corpus alone (the exam solver: the bank page checks keys with it, the
generator cross-checks new items with it, and eval/quiz_eval.py compares its answers with a bank's keys).

Without an LLM (the default) each item is judged against the articles retrieved for its stem and options:

- 判断: the statement is compared with the best-matching article sentence (idf-weighted bigram coverage);
  it is 错误 when that sentence contradicts it on a number (15日 / 30日), on the modal (应当 / 不得 / 可以 /
  可以不), on the department (公安机关 / 应急管理部门) or on the government level (县级 / 设区的市级).
- 单选: each option is scored by how well the stem and the option are both found in one article sentence
  (the option substituted into the stem's blank); the best wins, the worst for a negated stem (不属于…的是).
  Options that name articles (“……应当依据哪一条规定”) are scored by the stem's coverage of that article.
- 多选: the options scoring close to the best are chosen (at least two).

When no article supports the item (general safety knowledge outside the corpus) the solver falls back to
the bank's commonest key (判断 正确, 多选 all options, 单选 the option with the most overlap) and says so.

With a chat model (settings.llm_base_url, or one passed in: tests use a deterministic fake) the model answers
from the same retrieved articles. A disagreement with the key is either the system's error or an outdated key
(the shared banks predate the 2021 安全生产法 revision); each comes with the evidence the system used.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from corpus.citations import parse_references
from corpus.errors import NotFoundError
from corpus.legal_text import NEGATIVE_MODALS, NUMBER_UNIT, arabic_numerals, departments, gov_levels, modals
from retriever.search import Searcher
from retriever.tokenize import bigrams

from .model import LETTERS, QType, Question, strip_stem_number

log = logging.getLogger(__name__)

# -- text ---------------------------------------------------------------------------------------

BLANK_RE = re.compile(r"[（(][\s\u3000]*[)）]|_{2,}|＿{2,}")
_TITLE_RE = re.compile(r"《[^《》]{1,60}》")
_LEAD_RE = re.compile(r"^(?:根据|依据|按照|依照|按)(?:[^，,。]{0,30})?(?:的?规定|要求)[，,]?")
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")
# "根据《安全生产法》，下列说法中，正确的是（　　）": options are whole statements, each true or false by itself
STATEMENT_STEM = re.compile(r"下列(?:关于[^，。？]{1,30})?(?:说法|表述)[^，。？]{0,4}[，,]?"
                            r"(?:正确|错误|不正确)的[是有]")
_LAW_LEAD = re.compile(r"^根据《[^》]+》[，,]")
# A stem asking for the option that is NOT right.
NEGATED_STEM = re.compile(r"不属于|不正确|错误的是|说法错误|表述错误|有误|不包括|不符合|不是"
                          r"|不应当?[^，。]{0,8}的是|除外")
_QUOTED = re.compile(r"“[^”]*”|（[^（）]{2,}）|\([^()]{2,}\)|《[^《》]*》")  # quotes and asides: not the question
CATCH_ALL = re.compile(r"^以上(?:都|均|全|皆)(?:对|是|正确)|^以上(?:选项|说法)(?:都|均)")

# A number in Arabic digits with its unit (units: corpus.legal_text).
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)({NUMBER_UNIT})")


def canon(text: str) -> str:
    """NFKC, and numbers written in Chinese before a unit as Arabic digits (十五日 -> 15日, 天 -> 日)."""
    text = arabic_numerals(unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"(\d)天", r"\1日", text)


def statement_text(text: str) -> str:
    """What an article would say: no law titles, no leading 根据…规定, no blank, no trailing ()."""
    text = _TITLE_RE.sub("", text or "")
    text = _LEAD_RE.sub("", text.strip())
    text = BLANK_RE.sub("", text)
    return text.strip()


def fill(stem: str, option: str) -> str:
    """The stem with the option in its blank (or appended, when the stem has no blank)."""
    if BLANK_RE.search(stem):
        return BLANK_RE.sub(option.rstrip("。"), stem, count=1)
    return f"{stem.rstrip('：:。 ')}{option}"


def grams(text: str) -> set[str]:
    return set(bigrams(canon(text)))


# -- contradictions ----------------------------------------------------------------------------
# Modal verbs, departments (with the 2018 renamings), government levels and units: corpus.legal_text.

_NEGATION = re.compile(r"(?:不|无|未|非|没有)(?![得必需须应能准允权予以论是属])")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _cjk_only(text: str) -> str:
    return "".join(_CJK.findall(text))


def _context(text: str, end: int) -> str:
    """Up to three Chinese characters right after a modal, stopping at punctuation."""
    m = re.match(r"[\u4e00-\u9fff]{1,3}", text[end:])
    return m.group(0) if m else ""


def modal_conflicts(statement: str, sentence: str) -> list[str]:
    """The statement's 应当 / 不得 / 可以 / 可以不 / 有权 / 无权 differs from the sentence's before the same words."""
    found = []
    mine, theirs = modals(statement), modals(sentence)
    for start, end, kind in mine:  # the words after the statement's modal, in the sentence after another modal
        context = _context(statement, end)
        if len(context) < 2:
            continue
        for pos in [m.start() for m in re.finditer(re.escape(context), sentence)]:
            before = [m for m in theirs if m[1] <= pos and pos - m[1] <= 3]
            if before and before[-1][2] != kind:
                found.append(f"“{statement[start:end]}{context}”与条文“{sentence[before[-1][0]:pos]}{context}”不一致")
                break
            if not before and kind in NEGATIVE_MODALS \
                    and any(m[2] not in NEGATIVE_MODALS and m[1] <= pos for m in theirs) \
                    and not _NEGATION.search(sentence[max(0, pos - 4):pos]):
                found.append(f"“{statement[start:end]}{context}”与条文中的肯定性规定不一致")
                break
        if found:
            return found
    for start, end, kind in theirs:  # the sentence's modal before words the statement puts after another one
        context = _context(sentence, end)
        if len(context) < 2:
            continue
        places = [m.start() for m in re.finditer(re.escape(context), statement)]
        kinds = []
        for pos in places:
            before = [m for m in mine if m[1] <= pos and pos - m[1] <= 3]
            kinds.append(before[-1] if before else None)
        if not places or any(b is not None and b[2] == kind for b in kinds):
            continue
        other = next((b for b in kinds if b is not None), None)
        if other is not None:
            found.append(f"“{statement[other[0]:other[1]]}{context}”与条文“{sentence[start:end]}{context}”不一致")
            return found
        if kind in NEGATIVE_MODALS and len(context) >= 3:  # the article forbids what the statement states plainly
            clauses = [statement[max([statement.rfind(c, 0, pos) for c in "，,；;。：:"]) + 1:pos] for pos in places]
            if all(not _NEGATION.search(c) and not modals(c) for c in clauses):
                found.append(f"条文“{sentence[start:end]}{context}”，题述却无此限制")
                return found
    return found


def negation_conflicts(statement: str, sentence: str) -> list[str]:
    """A 不 / 无 / 未 before words the sentence says without it (不定期检测 vs 定期检测), or the reverse."""
    for a, b, label in ((statement, sentence, "题述"), (sentence, statement, "条文")):
        for m in _NEGATION.finditer(a):
            words = _cjk_only(a[m.end():m.end() + 4])[:2]
            if len(words) < 2 or m.group(0) + words in b:
                continue
            for pos in [x.start() for x in re.finditer(re.escape(words), b)]:
                clause = b[max([b.rfind(c, 0, pos) for c in "，,；;。：:"]) + 1:pos]
                if not _NEGATION.search(clause) and not modals(b[max(0, pos - 3):pos]):
                    return [f"{label}“{m.group(0)}{words}”与另一方的“{words}”不一致"]
    return []


def number_conflicts(statement: str, sentence: str) -> list[str]:
    """A number with a unit the sentence also uses, but with none of the sentence's values (15日 vs 30日)."""
    said: dict[str, set[str]] = defaultdict(set)
    for value, unit in _NUMBER.findall(sentence):
        said[unit].add(value)
    found = []
    for value, unit in _NUMBER.findall(statement):
        if said.get(unit) and value not in said[unit]:
            found.append(f"“{value}{unit}”与条文中的“{'、'.join(sorted(v + unit for v in said[unit]))}”不一致")
    return found


def _departments(text: str) -> set[str]:
    """The particular departments named, by their names since 2018 (安全生产监督管理部门 and 应急管理部门 are one)."""
    return {d.current for d in departments(text) if d.specific}


def department_conflicts(statement: str, sentence: str) -> list[str]:
    mine, theirs = _departments(statement), _departments(sentence)
    extra, other = mine - theirs, theirs - mine
    if extra and other:
        return [f"部门“{'、'.join(sorted(extra))}”与条文中的“{'、'.join(sorted(other))}”不一致"]
    return []


def level_conflicts(statement: str, sentence: str) -> list[str]:
    mine, theirs = set(gov_levels(statement, same=True)), set(gov_levels(sentence, same=True))
    if mine - theirs and theirs - mine:
        return [f"“{'、'.join(sorted(mine - theirs))}人民政府”"
                f"与条文中的“{'、'.join(sorted(theirs - mine))}人民政府”不一致"]
    return []


# "可以根据实际情况决定是否X" says X is optional: read as "可以不X" when comparing modal verbs.
_OPTIONAL = re.compile(r"可以根据(?:实际)?(?:情况|需要)(?:自行)?决定是否")
# "仅需A即可" / "只需A即可": A alone suffices.
_ONLY = re.compile(r"(?:仅需|只需|仅须|只须)(?P<duty>[^，。；]{2,40}?)即可")
_MORE = re.compile(r"^[，,]?(?:并且?|同时|还应当|以及)|^、")


def only_conflicts(statement: str, sentence: str) -> list[str]:
    """"仅需A即可" where the sentence requires A and more ("应当A，并B")."""
    m = _ONLY.search(statement)
    if m is None:
        return []
    duty = m.group("duty")
    at = sentence.find(duty)
    if at < 0:
        return []
    if _MORE.search(sentence[at + len(duty):]):
        return [f"题述“仅需{duty}即可”，条文在此之外还有要求"]
    return []


def phrase_conflicts(statement: str, sentence: str) -> list[str]:
    """A requirement worded otherwise where the sentence has its word (立即 / 在二十四小时内, 如实 / 酌情, 专职 /
    兼职, 书面 / 口头: the pairs of quiz/data/phrase_mutations.tsv), before the same words."""
    from quiz.domain import builtin_domain

    found = []
    for form in builtin_domain().phrase_forms:
        word, replacement = canon(form.word), canon(form.replacement)  # the texts compared are canonical
        for m in re.finditer(re.escape(replacement), statement):
            follow = statement[m.end():m.end() + 2]
            lead = statement[max(0, m.start() - 2):m.start()]  # at the end of a statement: the words before it
            if follow and word + follow in sentence and replacement + follow not in sentence:
                found.append(f"题述“{replacement}{follow}”，条文为“{word}{follow}”")
            elif not follow and lead and lead + word in sentence and lead + replacement not in sentence:
                found.append(f"题述“{lead}{replacement}”，条文为“{lead}{word}”")
    return found


def contradictions(statement: str, sentence: str) -> list[str]:
    """Why an article sentence contradicts a statement that otherwise matches it (empty: no contradiction)."""
    a, b = canon(_OPTIONAL.sub("可以不", statement)), canon(sentence)
    return (number_conflicts(a, b) + only_conflicts(a, b) + phrase_conflicts(a, b) + modal_conflicts(a, b)
            + negation_conflicts(a, b) + department_conflicts(a, b) + level_conflicts(a, b))


# -- evidence ----------------------------------------------------------------------------------


@dataclass
class Evidence:
    law: str
    article: str
    text: str  # the matching sentence(s), verbatim
    unit_id: str = ""
    score: float = 0.0

    def as_dict(self) -> dict:
        return {"law": self.law, "article": self.article, "text": self.text}


@dataclass
class _Window:
    text: str  # verbatim
    grams: set[str]
    flat: str  # canonical, without punctuation or spaces (for finding an option in its blank's place)
    single: bool = True  # one sentence or line (not two adjacent ones, not the whole unit)


@dataclass
class _Unit:
    law: str
    article: str
    unit_id: str
    doc_id: str
    text: str
    windows: list[_Window]  # sentences, lines and adjacent pairs
    whole: _Window  # the full text
    rank: int  # best search rank it was found at
    named: bool = False  # its law is named in the stem
    lookup: bool = False  # the stem names this very article

    def evidence(self, window: _Window | None, score: float) -> Evidence:
        text = (window or self.whole).text
        text = text if len(text) <= 300 else text[:299] + "……"
        return Evidence(self.law, self.article, text, self.unit_id, round(score, 3))


_NOT_TEXT = re.compile(r"[^\w%]+")


def flat(text: str) -> str:
    return _NOT_TEXT.sub("", canon(text)).replace("_", "")


def _window(text: str, single: bool = True) -> _Window:
    return _Window(text, grams(text), flat(text), single)


def make_unit(doc, unit, rank: int = 0, named: bool = False, lookup: bool = False) -> _Unit:
    sentences = [s.strip() for s in _SENTENCE_END.split(unit.text or "") if len(s.strip()) >= 4]
    windows = [_window(s) for s in sentences] + [_window(a + b, False) for a, b in zip(sentences, sentences[1:])]
    return _Unit(doc.title, unit.label, unit.unit_id, doc.doc_id, unit.text, windows, _window(unit.text, False), rank,
                 named, lookup)


class _Weights:
    """idf of each bigram in the lexical index (unknown bigrams: a high-quantile idf)."""

    def __init__(self, searcher: Searcher):
        self.field = searcher.lexical.fields["bigram"]
        idf = np.asarray(self.field.idf, dtype=float)
        self.unknown = float(np.percentile(idf, 75)) if idf.size else 1.0
        self._cache: dict[str, float] = {}

    def __call__(self, gram: str) -> float:
        w = self._cache.get(gram)
        if w is None:
            w = self.field.term_idf(gram) or self.unknown
            self._cache[gram] = w
        return w

    def coverage(self, wanted: set[str], have: set[str]) -> float:
        total = sum(self(g) for g in wanted)
        return sum(self(g) for g in wanted if g in have) / total if total else 0.0


# -- solving -----------------------------------------------------------------------------------

SUPPORT_MIN = 0.5  # a 判断 statement must be this covered by one sentence to be judged from the corpus
CONTRADICTION_MIN = 0.45  # and at least this covered for a contradiction to count
CHOICE_MIN = 0.6  # the best option of a 单选 / 多选 must score this to be judged from the corpus ...
NAMED_MIN = 0.45  # ... or this when the stem names the article
STEM_WEIGHT = 0.5  # option score: stem coverage of the article ...
OPTION_WEIGHT = 0.5  # ... plus the option's coverage in one of its sentences ...
SLOT_WEIGHT = 0.3  # ... plus this when the option stands in the article where the stem has its blank
MULTI_MARGIN = 0.25  # 多选: options scoring within this of the best are chosen ...
NAMED_MARGIN = 0.12  # ... or within this when the stem names the article (every option is or is not in it)
SLOT_CONTEXT = 3  # characters either side of the blank that must surround the option in the article
TIE = 1e-6
_Scored = tuple[float, "_Unit | None", "_Window | None"]  # score, and the article and sentence it came from


@dataclass
class Solution:
    letters: str
    method: str  # "evidence" (judged from articles), "fallback" (no support: the commonest key), "llm"
    evidence: list[Evidence] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


class Solver(Protocol):
    name: str

    def solve(self, question: Question) -> Solution: ...


def _slot(stem: str) -> tuple[str, str] | None:
    """The characters just before and after the stem's blank (canonical, no punctuation)."""
    m = BLANK_RE.search(stem)
    if m is None:
        return None
    before, after = flat(statement_text(stem[: m.start()])), flat(stem[m.end():])
    return before[-SLOT_CONTEXT:], after[:SLOT_CONTEXT]


def _in_slot(option: str, slot: tuple[str, str] | None, window: _Window) -> bool:
    if slot is None or not option or not window.single:
        return False
    before, after = slot
    return bool((before and before + option in window.flat) or (after and option + after in window.flat))


class ExtractiveSolver:
    """Answer from the retrieved articles by bigram matching and contradiction rules; no LLM."""

    name = "extractive"

    def __init__(self, searcher: Searcher, k: int = 10):
        self.searcher = searcher
        self.k = k
        self.weights = _Weights(searcher)

    # evidence ------------------------------------------------------------------------------

    def gather(self, question: Question) -> list[_Unit]:
        """Units retrieved for the stem and for each option in the stem's blank: the candidate evidence."""
        stem = question.stem
        queries = [stem]
        if question.qtype is not QType.TRUE_FALSE:
            queries += [fill(stem, o) for o in question.options]
        found: dict[str, _Unit] = {}
        named: set[str] = set()
        for i, query in enumerate(queries):
            try:
                result = self.searcher.search(query, k=self.k)
            except NotFoundError:
                continue
            if i == 0:
                named = result.query.named_docs
            for rank, hit in enumerate(result.hits, start=1):
                unit = found.get(hit.unit.unit_id)
                if unit is None:
                    found[hit.unit.unit_id] = make_unit(hit.doc, hit.unit, rank, hit.doc.doc_id in named,
                                                        hit.lookup and i == 0)
                else:
                    unit.rank = min(unit.rank, rank)
        units = list(found.values())
        if any(u.lookup for u in units):
            return [u for u in units if u.lookup]  # the stem names the article: judge by it
        if named and any(u.named for u in units):
            units = [u for u in units if u.named]  # the stem names the law: judge by that law
        return units

    def _best_window(self, units: list[_Unit], wanted: set[str]) -> _Scored:
        best: _Scored = (0.0, None, None)
        for unit in units:
            for window in unit.windows or [unit.whole]:
                score = self.weights.coverage(wanted, window.grams)
                if score > best[0] + TIE:
                    best = (score, unit, window)
        return best

    # the three types ---------------------------------------------------------------------------

    def solve(self, question: Question) -> Solution:
        stem = strip_stem_number(question.stem)  # "12.危险化学品…" (a JSON bank keeps its numbering)
        if stem != question.stem:
            question = replace(question, stem=stem)
        if question.qtype is QType.TRUE_FALSE:
            return self._judge(question, self.gather(question))
        articles = self._article_options(question)
        if articles:
            return self._which_article(question, articles)
        if question.qtype in (QType.SINGLE, QType.MULTIPLE) and STATEMENT_STEM.search(question.stem):
            judged = self._statements(question)
            if judged is not None:
                return judged
        return self._choose(question, self.gather(question))

    def _statements(self, question: Question) -> Solution | None:
        """下列说法中，正确的是 / 错误的是 / 正确的有: each option judged as a 判断 (with the stem's law); the options
        that stand apart (contradicted, or supported) answer. None when the judgements do not settle it: the item
        is then scored as any 单选 / 多选."""
        law = _LAW_LEAD.match(question.stem)
        judged = {}
        for letter, option in zip(LETTERS, question.options):
            item = Question(QType.TRUE_FALSE, f"{law.group(0) if law else ''}{option}", ["正确", "错误"], "A")
            judged[letter] = self._judge(item, self.gather(item))
        wrong = [x for x, j in judged.items() if j.letters == "B"]
        right = [x for x, j in judged.items() if j.letters == "A" and j.method == "evidence"]
        negated = bool(NEGATED_STEM.search(_QUOTED.sub("", question.stem)))
        chosen = wrong if negated else right
        others = len(judged) - len(chosen)
        if question.qtype is QType.SINGLE and (len(chosen) != 1 or (not negated and len(wrong) != others)):
            return None
        if question.qtype is QType.MULTIPLE and (len(chosen) < 2 or len(right if negated else wrong) != others):
            return None
        letters = "".join(sorted(chosen))
        return Solution(letters, "evidence", [e for x in chosen for e in judged[x].evidence][:3],
                        {x: j.scores.get("A", 0.0) for x, j in judged.items()},
                        [r for x in wrong for r in judged[x].reasons][:3])

    def _judge(self, question: Question, units: list[_Unit]) -> Solution:
        statement = statement_text(question.stem)
        score, unit, window = self._best_window(units, grams(statement))
        evidence = [unit.evidence(window, score)] if unit is not None else []
        if unit is None or window is None or score < CONTRADICTION_MIN:  # the two are None together
            return Solution("A", "fallback", evidence, {"A": score},
                            ["知识库中没有与该判断足够接近的条文，按“正确”作答"])
        reasons = contradictions(statement, window.text)
        if reasons:
            return Solution("B", "evidence", evidence, {"A": score}, reasons)
        if score < SUPPORT_MIN:
            return Solution("A", "fallback", evidence, {"A": score}, ["最接近的条文与该判断关联较弱，按“正确”作答"])
        return Solution("A", "evidence", evidence, {"A": score})

    def option_scores(self, question: Question, units: list[_Unit]) -> dict[str, _Scored]:
        """Per option: the best of (stem coverage of an article and of one of its sentences + the option's coverage
        in that sentence + a bonus when the option stands where the stem has its blank), with that sentence."""
        stem_grams = grams(statement_text(question.stem))
        # In a 多选 blank the options stand in a list (检测、评估、监控): only the list's ends touch the blank.
        slot = _slot(question.stem) if question.qtype is QType.SINGLE else None
        stem_cover = {u.unit_id: self.weights.coverage(stem_grams, u.whole.grams) for u in units}
        # A 单选 blank sits in one sentence, which should also hold the stem's words; 多选 options are often the
        # items of a list, apart from the lead sentence that matches the stem.
        window_cover = {id(w): self.weights.coverage(stem_grams, w.grams) for u in units for w in u.windows} \
            if question.qtype is QType.SINGLE else {}
        out = {}
        for letter, option in zip(LETTERS, question.options):
            option_grams = grams(option) - stem_grams or grams(option)
            option_flat = flat(option)
            best: _Scored = (0.0, None, None)
            for unit in units:
                for window in unit.windows or [unit.whole]:
                    cover = self.weights.coverage(option_grams, window.grams)
                    in_slot = _in_slot(option_flat, slot, window)
                    if cover == 0 and not in_slot:
                        continue
                    stem = (stem_cover[unit.unit_id] + window_cover.get(id(window), stem_cover[unit.unit_id])) / 2
                    score = STEM_WEIGHT * stem + OPTION_WEIGHT * cover + SLOT_WEIGHT * in_slot
                    if score > best[0] + TIE:
                        best = (score, unit, window)
            out[letter] = best
        return out

    def _choose(self, question: Question, units: list[_Unit]) -> Solution:
        scored = self.option_scores(question, units)
        scores = {letter: s for letter, (s, _, _) in scored.items()}
        negated = bool(NEGATED_STEM.search(_QUOTED.sub("", question.stem)))
        catch_all = [letter for letter, o in zip(LETTERS, question.options) if CATCH_ALL.search(o.strip())]
        plain = {letter: s for letter, s in scores.items() if letter not in catch_all}
        top = max(plain.values(), default=0.0)
        named = bool(units) and all(u.lookup for u in units)
        minimum = NAMED_MIN if named else CHOICE_MIN
        method = "evidence" if top >= minimum else "fallback"
        listed = self._listed(question, units) if question.qtype is QType.MULTIPLE and not negated else None
        if question.qtype is QType.MULTIPLE:
            if method == "fallback":
                letters = "".join(plain)  # most multiple-choice keys in the banks are all options
            elif listed:
                letters = listed
            else:
                margin = NAMED_MARGIN if named else MULTI_MARGIN
                chosen = [x for x, s in plain.items() if s >= top - margin]
                if negated:
                    chosen = [x for x in plain if x not in chosen] or chosen
                if len(chosen) < 2:
                    chosen = sorted(plain, key=lambda x: (-plain[x], x))[:2]
                letters = "".join(sorted(chosen))
        else:
            ordered = sorted(plain, key=lambda x: (-plain[x], x))
            letters = ordered[-1] if negated and method == "evidence" else ordered[0]
            if catch_all and method == "evidence" and not negated:
                supported = [x for x, s in plain.items() if s >= top - NAMED_MARGIN / 2]
                if len(supported) >= max(2, len(plain) - 1):
                    letters = catch_all[0]
        evidence: list[Evidence] = []
        for letter in letters:
            s, unit, window = scored.get(letter, (0.0, None, None))
            if unit is not None and window is not None and all(e.text != window.text for e in evidence):
                evidence.append(unit.evidence(window, s))
        reasons = [] if method == "evidence" else ["知识库中没有与选项足够接近的条文，按最常见的答案作答"]
        return Solution(letters, method, evidence[:3], {x: round(s, 3) for x, s in scores.items()}, reasons)

    def _listed(self, question: Question, units: list[_Unit]) -> str | None:
        """A 多选 about one article's list ("…负有的职责包括（　　）"): the options quoted word for word in the
        article the stem describes best, when at least two are and at least one is not; None otherwise."""
        if not units:
            return None
        stem_grams = grams(statement_text(question.stem))
        best = max(units, key=lambda u: (self.weights.coverage(stem_grams, u.whole.grams), -u.rank))
        if self.weights.coverage(stem_grams, best.whole.grams) < CHOICE_MIN:
            return None
        inside = [letter for letter, o in zip(LETTERS, question.options) if flat(o) and flat(o) in best.whole.flat]
        if 2 <= len(inside) < len(question.options):
            return "".join(inside)
        return None

    # 依据题: options that are articles -------------------------------------------------------------

    def _article_options(self, question: Question) -> list[tuple[str, _Unit]] | None:
        """(letter, article) per option when every option names an article of the corpus."""
        catalog = self.searcher.catalog
        stem_laws = [t.strip("《》") for t in _TITLE_RE.findall(question.stem)]
        out = []
        for letter, option in zip(LETTERS, question.options):
            refs = [r for r in parse_references(option) if r.article_no]
            if len(refs) != 1:
                return None
            ref = refs[0]
            law = ref.law or (stem_laws[0] if stem_laws else None)
            if not law or ref.article_no is None:
                return None
            try:
                doc = catalog.find_law(law)
                unit = catalog.article(doc.doc_id, ref.article_no, ref.article_sub)
            except NotFoundError:
                return None
            out.append((letter, make_unit(doc, unit)))
        return out if len(out) >= 2 else None

    def _which_article(self, question: Question, articles: list[tuple[str, _Unit]]) -> Solution:
        duty = re.sub(r"[，,]?\s*(?:这一定义出自|应当依据|依据的是)?哪一?条.*$", "", question.stem)
        wanted = grams(statement_text(duty))
        scored = sorted(((self.weights.coverage(wanted, unit.whole.grams), letter, unit) for letter, unit in articles),
                        key=lambda s: (-s[0], s[1]))
        score, letter, unit = scored[0]
        method = "evidence" if score >= CHOICE_MIN else "fallback"
        _, _, window = self._best_window([unit], wanted)
        return Solution(letter, method, [unit.evidence(window, score)], {x: round(s, 3) for s, x, _ in scored})


# -- with a chat model -------------------------------------------------------------------------

LLM_PROMPT = (
    "你是危险化学品安全生产考试的答题助手。只能依据下面给出的法规条文作答；条文未涉及的，按安全生产常识作答。"
    "题型为判断、单选或多选。只输出答案字母：判断题 A 表示正确、B 表示错误；"
    "单选输出一个字母；多选输出全部正确选项的字母，例如“答案：ABD”。"
)
_ANSWER_RE = re.compile(r"答案\s*[:：是为]?\s*([A-Ha-h](?:[\s,，、]*[A-Ha-h])*)")
_LETTERS_RE = re.compile(r"(?<![A-Za-z])([A-H](?:[\s,，、]*[A-H])*)(?![A-Za-z])")


def parse_letters(text: str, question: Question) -> str | None:
    """The answer letters in a model's reply (答案：ABD, “B”, 正确 / 错误 for 判断); None when absent."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    m = _ANSWER_RE.search(text) or _LETTERS_RE.search(text)
    if m:
        letters = "".join(sorted({c for c in m.group(1).upper() if c in question.letters}))
    elif question.qtype is QType.TRUE_FALSE and re.search(r"错误|不正确|错|×", text):
        letters = "B"
    elif question.qtype is QType.TRUE_FALSE and re.search(r"正确|对|√", text):
        letters = "A"
    else:
        return None
    if not letters:
        return None
    return letters if question.qtype is QType.MULTIPLE else letters[0]


def _prompt_text(question: Question, evidence: list[Evidence]) -> str:
    options = "\n".join(f"{letter}. {o}" for letter, o in zip(LETTERS, question.options))
    articles = "\n\n".join(f"《{e.law}》{e.article}\n{e.text}" for e in evidence) or "（未检索到相关条文）"
    return f"题型：{question.qtype.value}\n题目：{question.stem}\n选项：\n{options}\n\n条文：\n{articles}"


class LLMSolver:
    """A chat model answers from the retrieved articles; an unreadable reply falls back to the extractive solver."""

    name = "llm"

    def __init__(self, searcher: Searcher, chat_model, n_articles: int = 5):
        self.extractive = ExtractiveSolver(searcher)
        self.chat_model = chat_model
        self.n_articles = n_articles

    def articles(self, question: Question) -> list[Evidence]:
        units = sorted(self.extractive.gather(question), key=lambda u: u.rank)[: self.n_articles]
        return [u.evidence(u.whole, 0.0) for u in units]

    def solve(self, question: Question) -> Solution:
        from langchain_core.messages import HumanMessage, SystemMessage

        evidence = self.articles(question)
        try:
            reply = self.chat_model.invoke([SystemMessage(LLM_PROMPT),
                                            HumanMessage(_prompt_text(question, evidence))]).content
        except Exception as exc:  # a remote endpoint can fail in many ways; answer without it
            log.warning("LLM call failed: %s", exc)
            reply = ""
        letters = parse_letters(reply if isinstance(reply, str) else str(reply), question)
        if letters is None:
            solution = self.extractive.solve(question)
            solution.reasons.append("大模型未给出可识别的答案，已改用条文比对作答")
            return solution
        return Solution(letters, "llm", evidence[:3])


def solver_for(settings, searcher: Searcher, chat_model=None) -> Solver:
    """The LLM solver when a chat model is given or configured (HAZKB_LLM_BASE_URL), else the extractive one."""
    if chat_model is None and settings is not None and settings.llm_base_url:
        from retriever.llm import chat_model_from_settings

        chat_model = chat_model_from_settings(settings)
    return LLMSolver(searcher, chat_model) if chat_model is not None else ExtractiveSolver(searcher)
