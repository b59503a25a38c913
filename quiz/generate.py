"""Question generation from articles without an LLM: exam-worthy 判断, cloze 单选, 多选 from enumerated duties,
and (rarely) which-article items — only about rules the examinee holds.

    report = generate(articles, n=200, seed=0)          # articles: [(Document, Unit), ...], one law or several
    report = generate_for_law(catalog, "危险化学品安全法", 200, seed=0)

Every candidate is built from verbatim article text, then passed through quiz.gates; kept items are drafts
(Review.DRAFT) citing their article. The same seed gives the same items; another seed another selection.

Who a rule binds decides everything (quiz.generate_text.analyse with the tables of quiz/data/): a rule of a
government or a department, or of someone no examinee is (a carrier, a testing body), gives no item; a rule of an
enterprise or a person gives items tagged with the roles and enterprise types that subject means
(subjects.tsv, activities.tsv, audiences.tsv). A statement is a whole sentence or a clause that names its own
subject, with every condition before it; one followed by an exception ("但是…", "…除外") is not used.

Kinds (Origin.generator):
  judge-true            a rule sentence, named with its law: 正确
  mutation-number       a number changed in the direction the rule does not imply (7日前 -> 15日前): 错误
  mutation-modal        the MAIN predicate negated, in the forms of modal_mutations.tsv (应当 -> 可以根据实际情况
                        决定是否 / 无需 / 仅需…即可, 不得 -> 可以 …): 错误
  mutation-phrase       a requirement's wording changed (phrase_mutations.tsv: 立即报告 -> 在二十四小时内报告,
                        专职 -> 兼职): 错误
  mutation-department   a department (not the subject) replaced by another one the same law deals with that
                        exists at the same government level (departments.tsv): 错误
  mutation-level        县级 / 设区的市级 / 省级 swapped: 错误
  cloze-deadline / cloze-number / cloze-amount / cloze-department / cloze-term / cloze-level
                        a blank in the rule sentence (never in its subject); distractors of the same kind
  cloze-phrase          a requirement of the holder's own duty blanked (立即, 考核合格后上岗作业, 持证上岗 …); the
                        wrong options are those of phrase_choices.tsv
  cloze-modal           the main predicate's modal word blanked (生产经营单位（　　）为从业人员提供…); the wrong
                        options are modal words of another meaning (modal_choices.tsv)
  multi-items           the items of a list the examinee holds ("…负有下列职责："); distractors are items of
                        lists of the same kind (职责 with 职责) in other articles; lists of penalties are not used
  which-article         only for the articles of well_known_articles.tsv, and few of them
  choice-false / choice-true / choice-multi
                        下列说法中，错误的是 / 正确的是 / 正确的有 (多选), from whole statements (quiz.generate_choice)

cloze-modal, mutation-modal, which-article and multi-items are made only when asked for by name (ON_REQUEST):
independent reviews found them rarely exam-worthy.
"""
from __future__ import annotations

import logging
import math
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.citations import parse_references
from corpus.model import Document, Unit, UnitKind
from corpus.names import normalize_title

from . import generate_text as gt
from .domain import QuizDomain, builtin_domain
from .gates import BASE_COMMON, GateContext, Gatekeeper, bigrams, gate_name, is_soft
from .generate_choice import statement_choices
from .model import LETTERS, TRUE_FALSE_OPTIONS, Basis, Origin, QType, Question, Review, normalize_text

log = logging.getLogger(__name__)

BLANK = gt.BLANK
FAMILIES = ("judge-true", "judge-false", "cloze", "choice", "multi", "which-article")
# Target shares of the kept items; a family that runs out leaves its share to the others. Which-article items
# test memory, not duties: only a few, and only for well-known articles.
FAMILY_SHARE = {"judge-true": 0.26, "judge-false": 0.2, "cloze": 0.22, "choice": 0.16, "multi": 0.13,
                "which-article": 0.03}
DIFFICULTY = {"judge-true": 1, "judge-false": 2, "cloze": 2, "choice": 2, "multi": 2, "which-article": 3}
# Made only when asked for by name (`types`): an audit of 109 items (2026-12) accepted 0 of 21 cloze-modal, 1 of 10
# mutation-modal and 0 of 4 which-article items unchanged (wording games answered by ear; article numbers).
# multi-items followed: its wrong options come from other laws' lists and were ruled out at a glance (2026-12 reviews:
# 5 of 17 accepted); 多选 come from whole statements instead (choice-multi).
ON_REQUEST = ("cloze-modal", "mutation-modal", "which-article", "multi-items")
_TIME_UNITS = ("count:日", "count:小时", "count:个月", "count:个工作日", "count:年")
MANAGEMENT = ("主要负责人", "分管安全负责人", "安全管理人员")
# A statement longer than this makes a 判断 (or a blank) hard to read on a phone in an on-site exam.
MAX_JUDGE, MAX_CLOZE = 110, 130


@dataclass
class Candidate:
    question: Question
    family: str
    group: str  # one item per group (sentence / article) in the first pass
    fact: str  # what is tested; of candidates testing the same fact only the shortest is kept
    precheck: str | None = None  # a reason found while building, e.g. a mutation that occurs in the law

    def summary(self) -> str:
        q = self.question
        cite = q.basis[0].cite() if q.basis else ""
        return f"[{q.origin.generator}] {cite} {q.stem[:48]}"


@dataclass
class GenerationReport:
    kept: list[Question] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (candidate summary, reason)
    pool: int = 0  # candidates built
    examined: int = 0  # candidates put through the gates (generation stops at n kept)
    skipped: Counter = field(default_factory=Counter)  # statements not used, by reason (government duty …)

    @property
    def pass_rate(self) -> float:
        return len(self.kept) / self.examined if self.examined else 0.0

    def reason_counts(self) -> dict[str, int]:
        return dict(Counter(gate_name(r) for _, r in self.rejected).most_common())

    def generator_counts(self) -> dict[str | None, int]:
        return dict(Counter(q.origin.generator for q in self.kept).most_common())


# -- the corpus seen by the generator ----------------------------------------------------------


def common_bigrams(texts: list[str], share: float = 0.3) -> frozenset[str]:
    """Bigrams found in at least `share` of the texts (and at least 3): not distinctive in this corpus.

    The wording gate ignores them: an option sharing 危险/化学 with the stem gives nothing away.
    """
    df: Counter[str] = Counter()
    for text in texts:
        df.update(bigrams(text))
    limit = max(3, share * len(texts))
    return frozenset(g for g, c in df.items() if c >= limit) | BASE_COMMON


@dataclass(frozen=True)
class _ListItem:
    unit_id: str
    noun: str  # what the list enumerates: 职责, 权利, 条件 …
    holder_kind: str  # 单位 / 人员 / 政府 / 其他 ("" when the lead names no subject)
    text: str
    law: str = ""  # the document it comes from


class _Corpus:
    """Articles with their statements read for who they bind, and the pools distractors are drawn from."""

    def __init__(self, articles: Iterable[tuple[Document, Unit]], domain: QuizDomain):
        self.domain = domain
        self.articles = [(d, u) for d, u in articles if u.kind is UnitKind.ARTICLE and u.article_no]
        self.by_doc: dict[str, list[tuple[Document, Unit]]] = {}
        for d, u in self.articles:
            self.by_doc.setdefault(d.doc_id or d.title, []).append((d, u))
        self.norm = {u.unit_id: normalize_text(u.text) for _, u in self.articles}
        self.grams = {u.unit_id: bigrams(u.text) for _, u in self.articles}
        self.skipped: Counter[str] = Counter()
        self.claims: dict[str, list[tuple[gt.Statement, gt.Claim]]] = {}
        for _, u in self.articles:
            kept = []
            for st in gt.statements(u):
                claim = gt.analyse(st.text, domain)
                reason = _unusable(claim) or _left_out(st.text, domain)
                if reason:
                    self.skipped[reason] += 1
                else:
                    kept.append((st, claim))
            self.claims[u.unit_id] = kept
        self.common = common_bigrams([u.text for _, u in self.articles])
        self.numbers: dict[str, list[tuple[tuple, str]]] = {}  # kind -> [(value, unit_id)]
        # Department names as written, local and national: (text, core, current name).
        self.depts: dict[bool, list[tuple[str, str, str]]] = {True: [], False: []}
        # The departments each law deals with (current names): a swap to one of them is a plausible mistake, a swap
        # to any department is often absurd (职业病危害申报 to 交通运输主管部门, 2026-12 audit).
        self.law_depts: dict[str, set[str]] = {}
        for d, u in self.articles:
            self.law_depts.setdefault(d.doc_id or d.title, set()).update(
                m.current for m in gt.departments(u.text) if m.clean)
        for _, u in self.articles:
            for line, _item in gt.article_lines(u):
                for tok in gt.number_tokens(line):
                    pool = self.numbers.setdefault(tok.kind, [])
                    if all(v != tok.value for v, _ in pool):
                        pool.append((tok.value, u.unit_id))
                for dept in gt.departments(line):
                    forms = self.depts[dept.national]
                    if dept.clean and dept.core not in _NOT_DISTRACTORS and all(f != dept.text for f, _, _ in forms):
                        forms.append((dept.text, dept.core, dept.current))
        self.licences = gt.licence_terms([u.text for _, u in self.articles])
        self.refs = {u.unit_id: {r.article_no for r in parse_references(u.text) if r.law is None and r.article_no}
                     for _, u in self.articles}
        self.items = self._items()

    def _items(self) -> list[_ListItem]:
        out = []
        for d, u in self.articles:
            for para in u.paragraphs:
                lead = para.text.split("\n", 1)[0]
                shape = _list_lead(lead)
                if shape is None:
                    continue
                claim = gt.analyse(shape[0] + "应当", self.domain)
                kind = claim.holder.kind if claim.holder else ""
                for item in para.items:
                    text = _option_item(item.text)
                    # "海关负责…检验": a department's duty is no distractor for what an enterprise does.
                    if text and not _dept_led(text, self.domain) and not _left_out(text, self.domain):
                        out.append(_ListItem(u.unit_id, shape[1], kind, text, d.doc_id or d.title))
        return out

    def law_contains(self, doc: Document, text: str) -> bool:
        """Whether a text occurs (normalised) in any article of the law."""
        norm = normalize_text(text)
        return any(norm in self.norm[u.unit_id] for _, u in self.by_doc[doc.doc_id or doc.title])

    def coverage(self, text: str, unit_id: str) -> float:
        """Share of a text's distinctive bigrams found in an article."""
        grams = bigrams(text) - self.common
        return len(grams & self.grams[unit_id]) / len(grams) if grams else 1.0

    def gate_context(self) -> GateContext:
        texts = {u.unit_id: u.text for _, u in self.articles}
        laws = {u.unit_id: d.doc_id or d.title for d, u in self.articles}
        return GateContext(articles=texts, law_of=laws, domain=self.domain)


# Bodies named by their role in a matter, and bodies that are no government department: never a distractor.
_NOT_DISTRACTORS = ("原发证机关", "颁发管理机关", "工会")


def _unusable(claim: gt.Claim) -> str | None:
    if claim.holder is None:
        return "主语不明"
    if not claim.holder.examinee:
        return "政府或部门职责" if claim.holder.kind == "政府" else "非考生的义务"
    return None


def _left_out(text: str, domain: QuizDomain) -> str | None:
    """Why a statement gives no item by what it speaks of: off the examinees' work, or a mere principle."""
    if any(word in text for word in domain.off_topic):
        return "与考生岗位无关"
    return "宣示性表述" if any(word in text for word in domain.declaratory) else None


_LIST_LEAD = re.compile(r"^(?P<head>[^：:；。]*?)(?:下列|以下)(?P<noun>[\u4e00-\u9fff、]{1,16}?)"
                        r"(?:，并[^：:；。]*)?[：:]?$")
# "有下列情形之一的，生产经营单位应当及时修订预案：" -> what the situations lead to, and the noun.
_CASE_LEAD = re.compile(r"^(?P<who>[^：:；。，]*?)有(?:下列|以下)(?P<noun>情形|情况)之一的，"
                        r"(?P<rest>[^：:；。]+)[：:]?$")
_CATCH_ALL_ITEM = re.compile(r"规定的其他|其他[\u4e00-\u9fff、]{0,12}$")
MAX_ITEM = 60
_FULLWIDTH_PARENS = str.maketrans("()", "（）")  # options and quotes use full-width brackets


def _list_lead(lead: str) -> tuple[str, str] | None:
    """(what the items are of, the noun) of a lead: "生产经营单位的主要负责人…负有下列职责：" -> (生产经营单位的
    主要负责人…负有, 职责); "有下列情形之一的，预案制定单位应当及时修订相关预案：" -> (预案制定单位应当及时修订
    相关预案, 情形). None for a lead that names no such thing ("下列单位应当…", a penalty's "有下列行为之一的")."""
    lead = lead.strip()
    m = _CASE_LEAD.match(lead)
    if m is not None:
        who, rest = m.group("who"), m.group("rest").rstrip("，, ")
        if "罚" in rest or "处分" in rest or "责令" in rest:
            return None
        return (who + rest if who and not rest.startswith(who) else rest), m.group("noun")
    m = _LIST_LEAD.match(lead)
    if m is None:
        return None
    head, noun = m.group("head").rstrip("，, "), m.group("noun")
    if not head or "之一" in noun or noun.endswith("的"):
        return None
    return head, noun


def _dept_led(text: str, domain: QuizDomain | None = None) -> bool:
    """An item that starts with a department ("公安机关负责…", "海关负责…", "其他部门依照各自职责…")."""
    found = gt.departments(text) or []
    if found and found[0].start == 0:
        return True
    lead = gt.holder_before(domain, text, min(len(text), 12)) if domain is not None else None
    return lead is not None and lead.start <= 2 and lead.kind == "政府"


def _option_item(text: str) -> str | None:
    """An enumerated item as an option, or None if unusable (a catch-all, too long)."""
    item = gt.clean_item(text)
    if _CATCH_ALL_ITEM.search(item) or len(item) > MAX_ITEM:
        return None
    return item.translate(_FULLWIDTH_PARENS) if len(item) >= 4 else None


# -- building blocks ---------------------------------------------------------------------------


def _basis(doc: Document, unit: Unit) -> list[Basis]:
    if unit.article_no is None:
        raise ValueError(f"questions are generated from articles, and {unit.unit_id} is not one")
    return [Basis(law=doc.title, article_no=unit.article_no, article_sub=unit.article_sub, unit_id=unit.unit_id)]


def _short(doc: Document) -> str:
    return normalize_title(doc.title) or doc.title


def _cite(doc: Document, unit: Unit) -> str:
    return f"《{doc.title}》{unit.label}"


def _question(corpus: _Corpus, doc: Document, unit: Unit, qtype: QType, stem: str, options: list[str],
              answer: str, explanation: str, generator: str, family: str, text: str,
              claim: gt.Claim) -> Question:
    holder = claim.holder
    return Question(
        qtype=qtype, stem=stem, options=options, answer=answer, explanation=explanation, basis=_basis(doc, unit),
        roles=list(gt.claim_roles(claim, corpus.domain)), enterprise_types=list(holder.enterprise_types if holder
                                                                                  else ()),
        topics=gt.topics(unit, text, corpus.domain), difficulty=DIFFICULTY[family],
        origin=Origin(kind="generated", generator=generator, unit_id=unit.unit_id), review=Review.DRAFT,
    )


def _statement_stem(doc: Document, text: str) -> str:
    return f"根据《{_short(doc)}》，{gt.display(text)}。"


def _shuffled_options(rng: random.Random, key: str, distractors: list[str]) -> tuple[list[str], str]:
    options = [key, *distractors]
    rng.shuffle(options)
    return options, LETTERS[options.index(key)]


def _closest(values: list[tuple], target: tuple, rng: random.Random, k: int) -> list[tuple]:
    """Values ordered by closeness (log scale) to the target, ties broken at random; the first k."""
    def distance(v: tuple) -> float:
        a, b = float(v[0]) or 0.5, float(target[0]) or 0.5
        return abs(math.log(a / b)) if a > 0 and b > 0 else 99.0

    keyed = [(distance(v), rng.random(), v) for v in values]
    return [v for _, _, v in sorted(keyed)][:k]


def _outside_subject(claim: gt.Claim, start: int, end: int | None = None,
                     domain: QuizDomain | None = None) -> bool:
    """A blank or a change must be in the holder's own duty: after the subject (not in it, nor in a condition
    before it) and before any clause about someone else ("；应急管理部门应当…", "，具体目录由…制定")."""
    if claim.holder is not None and start < claim.holder.end:
        return False
    return (start if end is None else end) <= gt.duty_end(claim, domain)


# A department the examinee deals with: what it is sent to, applies to, reports to, or is examined by.
_TO_DEPARTMENT = re.compile(r"(?:报|向|经|告知|通报|报告|报送|送|提请)(?:[^，。；]{0,14}?)$")
_DEPARTMENT_ACT = ("备案", "审查", "考核", "申请", "报告", "批准", "许可", "登记", "提出", "办理")


def _addressees(corpus: _Corpus, claim: gt.Claim) -> list[gt.DeptMention]:
    """The departments of an examinee's duty the examinee deals with ("报所在地县级人民政府应急管理部门备案"),
    not one that fines (a penalty's department is enforcement knowledge) nor one named in passing ("国务院应急管理
    部门…规定的其他危险作业")."""
    if claim.penalty:
        return []
    text = claim.text
    out = []
    for dept in gt.departments(text):
        if not dept.clean or text.count(dept.text) != 1 or dept.current not in corpus.domain.departments:
            continue
        if not _outside_subject(claim, dept.start, domain=corpus.domain):
            continue
        segment_start = max(text.rfind(c, 0, dept.start) for c in "，；：") + 1
        lead = text[segment_start:dept.start]
        if _TO_DEPARTMENT.search(lead) or text[dept.end:].lstrip("和、").startswith(_DEPARTMENT_ACT):
            out.append(dept)
    return out


def _departments_at(corpus: _Corpus, text: str, dept: gt.DeptMention, doc: Document) -> list[tuple[str, bool]]:
    """Other departments, written as the law writes them, that exist at the mention's government level and are
    not named in the statement: what a swap or a distractor may use; with whether the law itself deals with it."""
    own = corpus.law_depts.get(doc.doc_id or doc.title, set())
    level = gt.dept_level(text, dept)
    cores = gt.dept_cores_in(text)
    out = []
    for form, core, current in corpus.depts[dept.national]:
        if core in cores or current == dept.current or not corpus.domain.department_at(current, level):
            continue
        if core != current:
            continue  # 工商行政管理部门: a department that no longer exists by that name gives itself away
        if current not in corpus.domain.departments:
            continue  # a body the level table does not know: not offered
        out.append((form, current in own))
    return out


# -- 判断 ----------------------------------------------------------------------------------------


def _judgeable(corpus: _Corpus, st: gt.Statement, claim: gt.Claim) -> bool:
    """A 判断 states the holder's rule and nothing else: not too long, no clause about someone else after it."""
    return len(st.text) <= MAX_JUDGE and gt.duty_end(claim, corpus.domain) >= len(st.text) - 1


def _judge_true(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement, claim: gt.Claim,
                rng: random.Random) -> list[Candidate]:
    if not _judgeable(corpus, st, claim):
        return []
    stem = _statement_stem(doc, st.text)
    explanation = f"依据{_cite(doc, unit)}：“{st.text}”。题干表述与条文一致，故正确。"
    q = _question(corpus, doc, unit, QType.TRUE_FALSE, stem, list(TRUE_FALSE_OPTIONS), "A", explanation,
                  "judge-true", "judge-true", st.text, claim)
    return [Candidate(q, "judge-true", st.group, f"{st.fact}|true")]


def _mutations(corpus: _Corpus, doc: Document, st: gt.Statement, claim: gt.Claim,
               rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(generator, mutated text, old, new) for each certainly-false change of the statement."""
    text = st.text
    out: list[tuple[str, str, str, str]] = []
    # A number, in the direction the rule does not imply.
    for tok in gt.number_tokens(text):
        if text.count(tok.text) != 1 or not _outside_subject(claim, domain=corpus.domain, start=tok.start):
            continue
        direction = gt.mutation_direction(text, tok)
        pool = gt.number_variants(tok) + [v for v, _ in corpus.numbers.get(tok.kind, [])]
        values = []
        for v in pool:
            if v in values or not gt.clearly_different(tok, v) or tok.render(v) in text:
                continue
            if direction and (v[0] - tok.value[0]) * direction <= 0:
                continue
            values.append(v)
        if not values:
            continue
        new = tok.render(rng.choice(_closest(values, tok.value, rng, 2)))
        out.append(("mutation-number", text[:tok.start] + new + text[tok.end:], tok.text, new))
    # A requirement's wording changed (立即 -> 在二十四小时内, 如实 -> 酌情, 书面 -> 口头), in the holder's own duty.
    for form in corpus.domain.phrase_forms:
        at = text.find(form.word)
        if at < 0 or text.count(form.word) != 1 or any(w in text for w in form.unless):
            continue
        if form.before and not text.startswith(form.before, at + len(form.word)):
            continue
        if claim.predicate is None or at < claim.predicate[0] or not _outside_subject(claim, at, domain=corpus.domain):
            continue
        out.append(("mutation-phrase", text[:at] + form.replacement + text[at + len(form.word):], form.word,
                    form.replacement))
    negations = modal_mutations(text, claim, corpus.domain)
    if negations:  # one form per statement, chosen at random: the forms take turns across the bank
        out.append(("mutation-modal", *rng.choice(negations)))
    # A department (an addressee, never the subject) replaced by another one of the same level.
    for dept in _addressees(corpus, claim):
        forms = [f for f, own in _departments_at(corpus, text, dept, doc) if own]
        if not forms:
            continue  # no other department of this law: a swap to a stranger one is spotted at once
        new = rng.choice(forms)
        out.append(("mutation-department", text[:dept.start] + new + text[dept.end:], dept.text, new))
    # An administrative level swapped.
    levels = gt.level_mentions(text)
    if len(levels) == 1 and _outside_subject(claim, domain=corpus.domain, start=levels[0].start):
        level = levels[0]
        new = rng.choice([lv for lv in gt.LEVELS[:3] if lv != level.level])
        out.append(("mutation-level", text[:level.start] + new + text[level.end:], level.level, new))
    return out


# The second duty of a predicate "应当A，并B": "仅需A即可" leaves B out.
_SECOND_DUTY = re.compile(r"，(?:并且?|同时)")
_UNLESS = re.compile(r"未经|非经")


def modal_mutations(text: str, claim: gt.Claim, domain: QuizDomain) -> list[tuple[str, str, str]]:
    """(mutated text, old, new) for each form of modal_mutations.tsv that applies to the MAIN predicate.

    Only the predicate after the subject changes: a modal in a condition ("依法应当取得许可的") or in a later clause
    stays. "仅需…即可" needs a second duty to leave out ("应当立即报告，并通报" -> "仅需立即报告即可").
    """
    if claim.predicate is None:
        return []
    start, end, word = claim.predicate
    before, after = text[:start], text[end:]
    if after.startswith(("不", "的")) or before.endswith(("除", "相", "不")):
        return []
    duty = text[end:gt.duty_end(claim, domain)]
    if gt.modals_in(duty):
        return []  # "不得A，不得B": changing one predicate of several reads as a contradiction, not a rule
    several = "，" in duty  # "应当依法执行，及时消除事故隐患": 无需 would leave the second duty open
    out = []
    for form in domain.forms_for(word):
        if form.scope in ("无未经前提", "单位主语") and _UNLESS.search(before):
            continue
        if form.scope == "单位主语" and (claim.holder is None or claim.holder.kind != "单位"):
            continue
        if after.startswith(form.not_before):
            continue
        if several and form.scope != "有第二项义务":
            continue  # "无需A，并B" leaves open whether B is still required
        if form.scope == "有第二项义务":
            m = _SECOND_DUTY.search(after)
            clause_end = min([i for i in (after.find("；"), after.find("。")) if i >= 0], default=len(after))
            if m is None or m.start() > clause_end or m.start() < 4:
                continue
            first = after[:m.start()]
            if gt.has_article_ref(first) or "，" in first or len(first) > 30:
                continue  # "仅需A即可" reads as one duty left out only when A is one short duty
            lead, tail = form.replacement.split("…", 1)
            mutated = before + lead + first + tail
            out.append((mutated, word + after[:m.end()], lead + first + tail))
            continue
        out.append((before + form.replacement + after, word, form.replacement))
    return out


def _judge_false(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement, claim: gt.Claim,
                 rng: random.Random) -> list[Candidate]:
    if not _judgeable(corpus, st, claim):
        return []
    out = []
    for generator, mutated, old, new in _mutations(corpus, doc, st, claim, rng):
        stem = _statement_stem(doc, mutated)
        explanation = (f"依据{_cite(doc, unit)}：“{st.text}”。题干将“{old}”改为“{new}”，与条文不符，故错误。")
        q = _question(corpus, doc, unit, QType.TRUE_FALSE, stem, list(TRUE_FALSE_OPTIONS), "B", explanation,
                      generator, "judge-false", st.text, claim)
        precheck = None
        if corpus.law_contains(doc, mutated):
            precheck = f"变异不成立：改动后的表述在《{doc.title}》中原文出现"
        out.append(Candidate(q, "judge-false", st.group, f"{st.group}|{generator}|{old}|{new}", precheck))
    return out


# -- 单选 cloze ----------------------------------------------------------------------------------


_DEPARTMENT_AFTER = re.compile(r"人民政府[\u4e00-\u9fff]{0,12}(?:部门|机关|机构)")


def _cloze(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement, claim: gt.Claim,
           rng: random.Random) -> list[Candidate]:
    text = st.text
    if len(text) > MAX_CLOZE:
        return []
    targets: list[tuple[str, int, int, str, list[str]]] = []  # (generator, start, end, key, distractor pool)
    for tok in gt.number_tokens(text):
        if text.count(tok.text) != 1 or not _outside_subject(claim, domain=corpus.domain, start=tok.start):
            continue
        others = [v for v, uid in corpus.numbers.get(tok.kind, []) if uid != unit.unit_id and v != tok.value
                  and (not float(tok.value[0]).is_integer() or all(float(x).is_integer() for x in v))]
        # Values used elsewhere in the corpus, the nearest first: 24小时 gets 8小时/12小时, not 3.5小时 or 1年.
        others = _closest(others, tok.value, rng, 4)
        rng.shuffle(others)
        variants = _closest([v for v in gt.number_variants(tok) if v not in others[:2]], tok.value, rng, 5)
        rng.shuffle(variants)
        pool = [tok.render(v) for v in others[:2] + variants]
        if tok.kind in ("range",) or tok.kind.startswith("amount:"):
            generator = "cloze-amount"
        elif tok.kind in _TIME_UNITS:
            generator = "cloze-deadline"
        else:
            generator = "cloze-number"
        targets.append((generator, tok.start, tok.end, tok.text, pool))
    for dept in _addressees(corpus, claim):
        if text.count(dept.core) != 1:
            continue  # named twice (环境保护主管部门 … 国务院环境保护主管部门): the stem gives the key away
        if text[dept.end:dept.end + 1] in "、和及" or (dept.start and text[dept.start - 1] in "、和及"):
            continue  # one of several addressees: another department could fill the blank as well
        forms = _departments_at(corpus, text, dept, doc)
        # The law's own departments first, then of about the key's length, so that the key does not stand out.
        forms.sort(key=lambda f: (not f[1], abs(len(f[0]) - len(dept.text)) // 3, rng.random()))
        pool = [f for f, _own in forms]
        targets.append(("cloze-department", dept.start, dept.end, dept.text, pool))
    for choice in corpus.domain.phrase_choices:  # a requirement of the holder's own duty (phrase_choices.tsv)
        start = text.find(choice.word)
        if start < 0 or text.count(choice.word) != 1:
            continue
        if choice.before and not text.startswith(choice.before, start + len(choice.word)):
            continue
        if claim.predicate is None or start < claim.predicate[0] \
                or not _outside_subject(claim, start, domain=corpus.domain):
            continue
        targets.append(("cloze-phrase", start, start + len(choice.word), choice.word, list(choice.wrong)))
    for term in corpus.licences:
        start = text.find(term)
        if start < 0 or text.count(term) != 1 or any(term in t and term != t for t in corpus.licences if t in text):
            continue
        if not _outside_subject(claim, domain=corpus.domain, start=start):
            continue
        end = start + len(term)
        if (start > 0 and text[start - 1] in "、和") or (end < len(text) and text[end] in "、和"):
            continue  # a member of a list of licences: another member could fill the blank too
        pool = [t for t in corpus.licences if t not in text]
        rng.shuffle(pool)
        targets.append(("cloze-term", start, end, term, pool))
    levels = gt.level_mentions(text)
    if len(levels) == 1 and _outside_subject(claim, domain=corpus.domain, start=levels[0].start):
        level = levels[0]
        # 乡、镇 governments have no departments: "所在地乡、镇人民政府应急管理部门" is no option to offer
        own_department = _DEPARTMENT_AFTER.match(text, level.end)
        targets.append(("cloze-level", level.start, level.end, level.level,
                        [lv for lv in gt.LEVELS if lv != level.level and not (own_department and lv == "乡、镇")]))
    if len(text) <= MAX_JUDGE and claim.predicate is not None and claim.holder is not None and claim.holder.text:
        start, end, word = claim.predicate
        wrong = corpus.domain.modal_choices.get(word)
        # One predicate only: "不得A，不得B" with one blank reads as a riddle.
        if wrong and not gt.modals_in(text[end:gt.duty_end(claim, corpus.domain)]) and text.count(word) == 1:
            targets.append(("cloze-modal", start, end, word, list(wrong)))

    out = []
    for generator, start, end, key, pool in targets:
        before, after = text[:start], text[end:]
        distractors: list[str] = []
        for d in pool:
            if len(distractors) == 3:
                break
            if normalize_text(d) == normalize_text(key) or d in distractors or d in text:
                continue
            if corpus.law_contains(doc, before + d + after):
                continue  # the distractor would make a sentence the law actually contains
            distractors.append(d)
        if len(distractors) < 3:
            continue
        options, answer = _shuffled_options(rng, key, distractors)
        stem = f"根据《{_short(doc)}》，{gt.display(before)}{BLANK}{gt.display(after)}。"
        explanation = f"依据{_cite(doc, unit)}：“{text}”，故选{answer}（{key}）。"
        q = _question(corpus, doc, unit, QType.SINGLE, stem, options, answer, explanation, generator, "cloze", text,
                      claim)
        out.append(Candidate(q, "cloze", st.group, f"{st.group}|{generator}|{key}"))
    return out


# -- 多选 ----------------------------------------------------------------------------------------


def _multi(corpus: _Corpus, doc: Document, unit: Unit, rng: random.Random) -> list[Candidate]:
    out = []
    for p_index, para in enumerate(unit.paragraphs):
        lead = para.text.split("\n", 1)[0].strip()
        shape = _list_lead(lead)
        if shape is None or len(para.items) < 3 or gt.has_article_ref(lead) or "罚款" in para.text:
            continue
        head, noun = shape
        claim = gt.analyse(head + "应当", corpus.domain)
        if _unusable(claim) or not gt.self_contained(head) or _left_out(para.text, corpus.domain):
            continue
        usable = [t for t in (_option_item(i.text) for i in para.items) if t]
        if len(usable) < 3:
            continue
        k = rng.randint(2, min(4, len(usable)))
        keys = rng.sample(usable, k)
        total = 5 if k >= 3 else 4
        distractors = _multi_distractors(corpus, unit, para, noun, claim, keys, total - k, rng, doc.doc_id or doc.title)
        if len(distractors) < total - k:
            continue
        options = keys + distractors
        rng.shuffle(options)
        answer = "".join(sorted(LETTERS[options.index(t)] for t in keys))
        wrong = "".join(sorted(LETTERS[options.index(t)] for t in distractors))
        shown = gt.display(head).translate(_FULLWIDTH_PARENS)
        verb = "有" if shown.endswith("包括") else "包括"  # "报告事故应当包括的内容有（　　）"
        stem = f"根据《{_short(doc)}》，{shown}的{noun}{verb}{BLANK}。"
        explanation = (f"依据{_cite(doc, unit)}：“{lead.rstrip('：:')}”，包括：{'；'.join(usable)}。"
                       f"选项{wrong}不在其中。")
        q = _question(corpus, doc, unit, QType.MULTIPLE, stem, options, answer, explanation, "multi-items", "multi",
                      lead + "".join(usable), claim)
        out.append(Candidate(q, "multi", f"{unit.unit_id}#p{p_index}", f"{unit.unit_id}#p{p_index}|multi"))
    return out


def _multi_distractors(corpus: _Corpus, unit: Unit, para, noun: str, claim: gt.Claim, keys: list[str], count: int,
                       rng: random.Random, law: str = "") -> list[str]:
    """Wrong options for a 多选: items of lists of the same kind (list_kinds.tsv: 职责 for 职责 or 措施) held by
    examinees too, in other articles, that say something the article does not (little overlap with its items)."""
    own = [normalize_text(gt.clean_item(i.text)) for i in para.items]
    own_grams = [bigrams(gt.clean_item(i.text)) - corpus.common for i in para.items]
    mean = sum(len(t) for t in keys) / len(keys)
    kind = corpus.domain.list_kind(noun)
    examinee = claim.holder is not None and claim.holder.examinee

    def unlisted(text: str) -> bool:
        norm = normalize_text(text)
        if any(norm in o or o in norm for o in own):
            return False
        grams = bigrams(text) - corpus.common
        return not grams or all(len(grams & g) / len(grams) < 0.34 for g in own_grams)

    topic = (bigrams(para.text.split("\n", 1)[0]) | set().union(*own_grams)) - corpus.common
    scored: list[tuple[float, str]] = []
    for item in corpus.items:
        if item.unit_id == unit.unit_id or corpus.domain.list_kind(item.noun) != kind:
            continue
        if unit.article_no in corpus.refs.get(item.unit_id, ()) and item.law == law:
            continue  # "除应当履行本法第十六条规定的职责外，还应当履行下列职责": more of the same duties
        if examinee and item.holder_kind in ("政府", "其他"):
            continue  # an enterprise's duties get other enterprises' (or persons') duties, not a department's
        if not (0.5 * mean <= len(item.text) <= 1.8 * mean) or not unlisted(item.text):
            continue
        if corpus.coverage(item.text, unit.unit_id) >= 0.4:
            continue  # says much the same as the article: it could be read as listed
        # The same law's lists first (事故调查报告的内容 for 报告事故的内容), then what speaks of the same things as the
        # stem and its items (职业卫生 for 职业卫生), then the nearest in noun and length.
        grams = bigrams(item.text) - corpus.common
        related = len(grams & topic) / len(grams) if grams else 0.0
        score = (2 * (item.law != law) + (item.noun != noun) - 2 * related + abs(len(item.text) - mean) / mean
                 + rng.random() / 2)
        scored.append((score, item.text))
    out: list[str] = []
    for _, text in sorted(scored):
        if len(out) == count:
            break
        if all(normalize_text(text) != normalize_text(d) for d in out + keys):
            out.append(text)
    return out


# -- 依据题 --------------------------------------------------------------------------------------


def _which_article(corpus: _Corpus, doc: Document, unit: Unit, rng: random.Random) -> list[Candidate]:
    """"Which article" only for the well-known ones (安全生产法第二十一条 …), asked by the article's first rule."""
    about = corpus.domain.well_known.get((normalize_title(doc.title), unit.article_no or 0, unit.article_sub))
    if about is None:
        return []
    rules = corpus.claims.get(unit.unit_id) or []
    lead = unit.paragraphs[0].text.split("\n", 1)[0].strip() if unit.paragraphs else ""
    shape = _list_lead(lead)
    if shape is not None:
        described = f"{gt.display(shape[0])}的{shape[1]}"
        claim = gt.analyse(shape[0] + "应当", corpus.domain)
    elif rules:
        st, claim = rules[0]
        described = gt.display(st.text) if len(st.text) <= 40 else about
    else:
        return []
    if _unusable(claim):
        return []
    siblings = [u for _, u in corpus.by_doc[doc.doc_id or doc.title] if u.unit_id != unit.unit_id
                and u.article_no not in corpus.refs[unit.unit_id] and unit.article_no not in corpus.refs[u.unit_id]]
    near = sorted(siblings, key=lambda u: (abs((u.article_no or 0) - (unit.article_no or 0)), rng.random()))[:6]
    chosen = rng.sample(near, 3) if len(near) >= 3 else []
    if not chosen:
        return []
    units = sorted([unit, *chosen], key=lambda u: (u.article_no, u.article_sub))
    options = [f"{u.label}" for u in units]
    answer = LETTERS[units.index(unit)]
    stem = f"《{_short(doc)}》中规定“{described}”的是{BLANK}。"
    explanation = f"依据{_cite(doc, unit)}，故选{answer}。"
    q = _question(corpus, doc, unit, QType.SINGLE, stem, options, answer, explanation, "which-article",
                  "which-article", unit.text, claim)
    q.roles = [r for r in (q.roles or MANAGEMENT) if r in MANAGEMENT] or list(MANAGEMENT)
    return [Candidate(q, "which-article", f"{unit.unit_id}#which", f"{unit.unit_id}|which")]


# -- selection ---------------------------------------------------------------------------------


def _wanted(types: Iterable | None) -> set[str] | None:
    if types is None:
        return None
    out = set()
    for t in types:
        out.add(t.value if isinstance(t, QType) else str(t))
    return out


def _matches(c: Candidate, wanted: set[str] | None) -> bool:
    if wanted is None:
        return True
    q = c.question
    return q.qtype.value in wanted or q.origin.generator in wanted or c.family in wanted


def _interleaved(queue: list[Candidate], rng: random.Random) -> list[Candidate]:
    """The candidates shuffled, then taken in turn from each generator: a batch mixes deadlines, departments,
    amounts and levels instead of following whichever kind the laws offer most of."""
    by_generator: dict[str, list[Candidate]] = {}
    rng.shuffle(queue)
    for c in queue:
        by_generator.setdefault(c.question.origin.generator or "", []).append(c)
    lanes = list(by_generator.values())
    rng.shuffle(lanes)
    out: list[Candidate] = []
    while any(lanes):
        for lane in lanes:
            if lane:
                out.append(lane.pop(0))
    return out


def build_candidates(articles: Iterable[tuple[Document, Unit]], seed: int = 0,
                     domain: QuizDomain | None = None) -> tuple[list[Candidate], _Corpus]:
    """Every candidate the articles allow, in a fixed order; each built with its own seeded generator."""
    corpus = _Corpus(articles, domain or builtin_domain())
    out: list[Candidate] = []
    for doc, unit in corpus.articles:
        for st, claim in corpus.claims[unit.unit_id]:
            for builder in (_judge_true, _judge_false, _cloze):
                rng = random.Random(f"{seed}|{builder.__name__}|{st.key}")
                out.extend(builder(corpus, doc, unit, st, claim, rng))
        out.extend(_multi(corpus, doc, unit, random.Random(f"{seed}|multi|{unit.unit_id}")))
        out.extend(_which_article(corpus, doc, unit, random.Random(f"{seed}|which|{unit.unit_id}")))
    out.extend(statement_choices(out, seed))
    # A whole sentence and its first clause test the same thing: keep the shorter, more focused stem.
    best: dict[str, Candidate] = {}
    for c in out:
        if c.fact not in best or len(c.question.stem) < len(best[c.fact].question.stem):
            best[c.fact] = c
    return [c for c in out if best[c.fact] is c], corpus


def generate(articles: list[tuple[Document, Unit]], n: int, seed: int = 0, types=None,
             domain: QuizDomain | None = None, keeper: Gatekeeper | None = None) -> GenerationReport:
    """Up to n gated draft questions from the articles; deterministic for a seed.

    `types` limits the output: QType values (判断/单选/多选), generator names (cloze-number, ...) or families
    (judge-true, judge-false, cloze, multi, which-article). `keeper` continues an earlier run's gates (its
    admitted items count for near-duplicates, cross-item hints and the 判断 word balance).
    """
    candidates, corpus = build_candidates(articles, seed, domain)
    wanted = _wanted(types)
    candidates = [c for c in candidates if _matches(c, wanted)
                  and (wanted is not None or c.question.origin.generator not in ON_REQUEST)]
    report = GenerationReport(pool=len(candidates), skipped=Counter(corpus.skipped))
    queues: dict[str, list[Candidate]] = {f: [] for f in FAMILIES}
    for c in candidates:
        queues[c.family].append(c)
    for name in queues:
        queues[name] = _interleaved(queues[name], random.Random(f"{seed}|order|{name}"))

    if keeper is None:
        # Asked for 正确 items only (or 错误 only): their answers cannot be balanced, and need not be.
        one_sided = wanted is not None and len(wanted & {"judge-true", "judge-false"}) == 1 and "判断" not in wanted
        keeper = Gatekeeper(common=corpus.common, balance=not one_sided)
    keeper.extend_context(corpus.gate_context())
    kept_by_family: Counter[str] = Counter()
    used_groups: set[str] = set()
    deferred: dict[str, list[Candidate]] = {f: [] for f in FAMILIES}
    waiting: dict[str, list[Candidate]] = {f: [] for f in FAMILIES}  # held back by a soft gate: tried again later

    # Which-article items stay rare however the other families run: at most their share of what was asked.
    cap = {"which-article": math.ceil(FAMILY_SHARE["which-article"] * n)}

    def next_family(qs: dict[str, list[Candidate]]) -> str | None:
        open_ = [f for f in FAMILIES if qs[f] and kept_by_family[f] < cap.get(f, n)]
        if not open_:
            return None
        total = len(report.kept) + 1
        return max(open_, key=lambda f: (FAMILY_SHARE[f] * total - kept_by_family[f], -FAMILIES.index(f)))

    for stage in ("first", "reuse", "retry"):
        qs = queues if stage == "first" else deferred if stage == "reuse" else waiting
        if stage == "retry":
            waiting = {f: [] for f in FAMILIES}
        while len(report.kept) < n:
            family = next_family(qs)
            if family is None:
                break
            cand = qs[family].pop(0)
            if stage == "first" and cand.group in used_groups:
                deferred[family].append(cand)
                continue
            reason = cand.precheck or keeper.admit(cand.question)
            if reason and is_soft(reason) and stage != "retry":
                waiting[family].append(cand)
                continue
            report.examined += 1
            if reason:
                report.rejected.append((cand.summary(), reason))
                log.debug("rejected %s: %s", cand.summary(), reason)
                continue
            cand.question.ensure_id()
            report.kept.append(cand.question)
            kept_by_family[family] += 1
            used_groups.add(cand.group)
    log.info("generated %d of %d asked (%d candidates built, %d examined, pass rate %.0f%%)",
             len(report.kept), n, report.pool, report.examined, 100 * report.pass_rate)
    return report


def gate_context(articles: Iterable[tuple[Document, Unit]], domain: QuizDomain | None = None) -> GateContext:
    """What the meaning gates need to re-check generated items: the articles they cite, by unit id."""
    return _Corpus(articles, domain or builtin_domain()).gate_context()


def law_articles(catalog, law_name: str) -> list[tuple[Document, Unit]]:
    """Every article of the current version of a law in the catalog."""
    doc = catalog.find_law(law_name)
    return [(doc, u) for u in catalog.units(doc.doc_id) if u.kind is UnitKind.ARTICLE]


def generate_for_law(catalog, law_name: str, n: int, seed: int = 0, types=None) -> GenerationReport:
    """Generate from every article of the current version of a law in the catalog."""
    return generate(law_articles(catalog, law_name), n, seed=seed, types=types)
