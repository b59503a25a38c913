"""Question generation from articles without an LLM: 判断 (true and mutated-false), cloze 单选, 多选 from
enumerated items, and 依据题 (which article is the basis).

    report = generate(articles, n=200, seed=0)          # articles: [(Document, Unit), ...]
    report = generate_for_law(catalog, "危险化学品安全管理条例", 200, seed=0)

Every candidate is built from verbatim article text, then passed through quiz.gates; kept items are drafts
(Review.DRAFT) citing their article. The same seed gives the same items; another seed another selection.

Kinds (Origin.generator):
  judge-true            a rule sentence, named with its law: 正确
  mutation-number       a number changed in the direction the rule does not imply (7日前 -> 15日前): 错误
  mutation-modal        应当 -> 不得 / 可以不, 不得 -> 可以, 必须 -> 可以不, 禁止 -> 允许: 错误
  mutation-department   the department replaced by another department named in the same law: 错误
  mutation-level        县级 / 设区的市级 / 省级 swapped: 错误
  cloze-deadline / cloze-number / cloze-amount / cloze-department / cloze-term / cloze-level
                        a blank in the rule sentence; distractors of the same kind
  multi-items           an article's enumerated items; distractors are items of other articles
  which-article         a duty described; options are articles of the same law (same chapter first)
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

from . import generate_text as gt
from .gates import BASE_COMMON, Gatekeeper, bigrams, gate_name
from .model import LETTERS, TRUE_FALSE_OPTIONS, Basis, Origin, QType, Question, Review, normalize_text

log = logging.getLogger(__name__)

BLANK = gt.BLANK
FAMILIES = ("judge-true", "judge-false", "cloze", "multi", "which-article")
# Target shares of the kept items; a family that runs out leaves its share to the others.
FAMILY_SHARE = {"judge-true": 0.2, "judge-false": 0.2, "cloze": 0.25, "multi": 0.1, "which-article": 0.25}
DIFFICULTY = {"judge-true": 1, "judge-false": 2, "cloze": 2, "multi": 2, "which-article": 3}
_TIME_UNITS = ("count:日", "count:小时", "count:个月", "count:个工作日", "count:年")
# 应当 -> 不得 where a prohibition is a plausible misreading (不得委托…); elsewhere 应当 -> 可以不.
_STRICT_VERBS = ("委托", "添加", "公告", "通报", "转让", "存放", "携带", "申请引航")
MAX_WHICH = 100  # longer duties make 依据题 stems hard to read


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


class _Corpus:
    """Articles with their statements, and the pools distractors and mutations are drawn from."""

    def __init__(self, articles: Iterable[tuple[Document, Unit]]):
        self.articles = [(d, u) for d, u in articles if u.kind is UnitKind.ARTICLE and u.article_no]
        self.by_doc: dict[str, list[tuple[Document, Unit]]] = {}
        for d, u in self.articles:
            self.by_doc.setdefault(d.doc_id or d.title, []).append((d, u))
        self.norm = {u.unit_id: normalize_text(u.text) for _, u in self.articles}
        self.grams = {u.unit_id: bigrams(u.text) for _, u in self.articles}
        self.statements = {u.unit_id: gt.statements(u) for _, u in self.articles}
        self.common = common_bigrams([u.text for _, u in self.articles])
        self.numbers: dict[str, list[tuple[tuple, str]]] = {}  # kind -> [(value, unit_id)]
        self.depts: dict[bool, list[tuple[str, str]]] = {True: [], False: []}  # national -> [(form, core)]
        for _, u in self.articles:
            for line, _item in gt.article_lines(u):
                for tok in gt.number_tokens(line):
                    pool = self.numbers.setdefault(tok.kind, [])
                    if all(v != tok.value for v, _ in pool):
                        pool.append((tok.value, u.unit_id))
                for dept in gt.departments(line):
                    forms = self.depts[dept.national]
                    if dept.clean and all(f != dept.text for f, _ in forms):
                        forms.append((dept.text, dept.core))
        self.licences = gt.licence_terms([u.text for _, u in self.articles])
        self.refs = {u.unit_id: {r.article_no for r in parse_references(u.text) if r.law is None and r.article_no}
                     for _, u in self.articles}
        self.items = self._items()

    def _items(self) -> list[tuple[str, str, str]]:
        out = []
        for _, u in self.articles:
            for para in u.paragraphs:
                lead = para.text.split("\n", 1)[0]
                noun = _noun(lead)
                for item in para.items:
                    text = _option_item(item.text)
                    if text:
                        out.append((u.unit_id, noun, text))
        return out

    def law_contains(self, doc: Document, text: str) -> bool:
        """Whether a text occurs (normalised) in any article of the law."""
        norm = normalize_text(text)
        return any(norm in self.norm[u.unit_id] for _, u in self.by_doc[doc.doc_id or doc.title])

    def coverage(self, text: str, unit_id: str) -> float:
        """Share of a text's distinctive bigrams found in an article."""
        grams = bigrams(text) - self.common
        return len(grams & self.grams[unit_id]) / len(grams) if grams else 1.0


_NOUN_RE = re.compile(r"下列(场所、设施、区域|情形|条件|材料|内容|措施|规定|事项|行为|文件|资料|人员|物品|单位)")
_CATCH_ALL_ITEM = re.compile(r"规定的其他|其他[\u4e00-\u9fff、]{0,12}$")
MAX_ITEM = 60
_FULLWIDTH_PARENS = str.maketrans("()", "（）")  # options and quotes use full-width brackets


def _noun(lead: str) -> str:
    m = _NOUN_RE.search(lead)
    return m.group(1) if m else "事项"


def _option_item(text: str) -> str | None:
    """An enumerated item as an option, or None if unusable (a catch-all, too long).

    A long "部门负责A，B，…" item keeps its first duty; a long "…A，或者B的" case keeps its first case.
    """
    item = gt.clean_item(text)
    if _CATCH_ALL_ITEM.search(item):
        return None
    if len(item) > MAX_ITEM:
        if "，或者" in item:
            head = item.split("，或者", 1)[0]
            item = head + ("的" if item.endswith("的") and not head.endswith("的") else "")
        elif (led := _dept_led(item)) and re.match(r"负责", item[led.end:]):
            item = _first_clause(item)
        if len(item) > MAX_ITEM:
            return None
    return item.translate(_FULLWIDTH_PARENS) if len(item) >= 4 else None


def _first_clause(text: str) -> str:
    """Text up to the first ， outside brackets."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
        elif ch == "，" and depth == 0:
            return text[:i]
    return text


def _dept_led(text: str) -> gt.DeptMention | None:
    """The department an item starts with ("公安机关负责…"), if any."""
    depts = gt.departments(text)
    if depts and depts[0].start == 0 and re.match(r"负责|依据|对", text[depts[0].end:]):
        return depts[0]
    return None


def _shape(text: str) -> str:
    """The form of an item: a case (…的), a department's duty, or a plain phrase."""
    if text.endswith("的"):
        return "case"
    return "duty" if _dept_led(text) else "plain"


# -- building blocks ---------------------------------------------------------------------------


def _basis(doc: Document, unit: Unit) -> list[Basis]:
    if unit.article_no is None:
        raise ValueError(f"questions are generated from articles, and {unit.unit_id} is not one")
    return [Basis(law=doc.title, article_no=unit.article_no, article_sub=unit.article_sub, unit_id=unit.unit_id)]


def _cite(doc: Document, unit: Unit) -> str:
    return f"《{doc.title}》{unit.label}"


def _question(doc: Document, unit: Unit, qtype: QType, stem: str, options: list[str], answer: str,
              explanation: str, generator: str, family: str, text: str) -> Question:
    return Question(
        qtype=qtype, stem=stem, options=options, answer=answer, explanation=explanation, basis=_basis(doc, unit),
        topics=gt.topics(unit, text), difficulty=DIFFICULTY[family],
        origin=Origin(kind="generated", generator=generator, unit_id=unit.unit_id), review=Review.DRAFT,
    )


def _statement_stem(doc: Document, text: str) -> str:
    return f"根据《{doc.title}》，{gt.display(text)}。"


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


# -- 判断 ----------------------------------------------------------------------------------------


def _judge_true(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement, rng: random.Random) -> list[Candidate]:
    stem = _statement_stem(doc, st.text)
    explanation = f"依据{_cite(doc, unit)}：“{st.text}”。题干表述与条文一致，故正确。"
    q = _question(doc, unit, QType.TRUE_FALSE, stem, list(TRUE_FALSE_OPTIONS), "A", explanation, "judge-true",
                  "judge-true", st.text)
    return [Candidate(q, "judge-true", st.group, f"{st.fact}|true")]


def _mutations(corpus: _Corpus, st: gt.Statement, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(generator, mutated text, old, new) for each certainly-false change of the statement."""
    text = st.text
    out: list[tuple[str, str, str, str]] = []
    # A number, in the direction the rule does not imply.
    for tok in gt.number_tokens(text):
        if text.count(tok.text) != 1:
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
    # The first modal word, negated.
    modal = _modal_mutation(text)
    if modal:
        out.append(("mutation-modal", *modal))
    # A department replaced by another department of the same law.
    cores = gt.dept_cores_in(text)
    for dept in gt.departments(text):
        if not dept.clean or text.count(dept.text) != 1:
            continue
        forms = [f for f, core in corpus.depts[dept.national] if core not in cores]
        if not forms:
            continue
        new = rng.choice(forms)
        out.append(("mutation-department", text[:dept.start] + new + text[dept.end:], dept.text, new))
    # An administrative level swapped.
    levels = gt.level_mentions(text)
    if len(levels) == 1:
        level = levels[0]
        new = rng.choice([lv for lv in gt.LEVELS[:3] if lv != level.level])
        out.append(("mutation-level", text[:level.start] + new + text[level.end:], level.level, new))
    return out


_MODAL_RE = re.compile(r"应当|不得|必须|禁止|严禁|不需要")


def _modal_mutation(text: str) -> tuple[str, str, str] | None:
    for m in _MODAL_RE.finditer(text):
        word, before, after = m.group(0), text[:m.start()], text[m.end():]
        if word == "应当":
            if before.endswith(("除", "相")):
                continue
            new = "不得" if after.startswith(_STRICT_VERBS) else "可以不"
        elif word == "不得":
            if after.startswith("不"):
                continue
            new = "可以"
        elif word == "必须":
            new = "可以不"
        elif word in ("禁止", "严禁"):
            if before.endswith(("国家", "规定", "国家规定", "明令")) or after.startswith(("的", "生产、经营")):
                continue
            new = "允许"
        else:  # 不需要
            new = "需要"
        return before + new + after, word, new
    return None


def _judge_false(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement,
                 rng: random.Random) -> list[Candidate]:
    out = []
    for generator, mutated, old, new in _mutations(corpus, st, rng):
        stem = _statement_stem(doc, mutated)
        explanation = (f"依据{_cite(doc, unit)}：“{st.text}”。题干将“{old}”改为“{new}”，与条文不符，故错误。")
        q = _question(doc, unit, QType.TRUE_FALSE, stem, list(TRUE_FALSE_OPTIONS), "B", explanation, generator,
                      "judge-false", st.text)
        precheck = None
        if corpus.law_contains(doc, mutated):
            precheck = f"变异不成立：改动后的表述在《{doc.title}》中原文出现"
        out.append(Candidate(q, "judge-false", st.group, f"{st.group}|{generator}|{old}", precheck))
    return out


# -- 单选 cloze ----------------------------------------------------------------------------------


def _cloze(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement, rng: random.Random) -> list[Candidate]:
    text = st.text
    targets: list[tuple[str, int, int, str, list[str]]] = []  # (generator, start, end, key, distractor pool)
    for tok in gt.number_tokens(text):
        if text.count(tok.text) != 1:
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
    cores = gt.dept_cores_in(text)
    for dept in gt.departments(text):
        if not dept.clean or text.count(dept.text) != 1 or text.count(dept.core) != 1:
            continue  # named twice (环境保护主管部门 … 国务院环境保护主管部门): the stem gives the key away
        pool = [f for f, core in corpus.depts[dept.national] if core not in cores]
        # Distractors of about the key's length, so that the key does not stand out.
        pool.sort(key=lambda f: (abs(len(f) - len(dept.text)) // 3, rng.random()))
        targets.append(("cloze-department", dept.start, dept.end, dept.text, pool))
    for term in corpus.licences:
        start = text.find(term)
        if start < 0 or text.count(term) != 1 or any(term in t and term != t for t in corpus.licences if t in text):
            continue
        end = start + len(term)
        if (start > 0 and text[start - 1] in "、和") or (end < len(text) and text[end] in "、和"):
            continue  # a member of a list of licences: another member could fill the blank too
        pool = [t for t in corpus.licences if t not in text]
        rng.shuffle(pool)
        targets.append(("cloze-term", start, end, term, pool))
    levels = gt.level_mentions(text)
    if len(levels) == 1:
        level = levels[0]
        targets.append(("cloze-level", level.start, level.end, level.level,
                        [lv for lv in gt.LEVELS if lv != level.level]))

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
        stem = f"根据《{doc.title}》，{gt.display(before)}{BLANK}{gt.display(after)}。"
        explanation = f"依据{_cite(doc, unit)}：“{text}”，故选{answer}（{key}）。"
        q = _question(doc, unit, QType.SINGLE, stem, options, answer, explanation, generator, "cloze", text)
        out.append(Candidate(q, "cloze", st.group, f"{st.group}|{generator}|{key}"))
    return out


# -- 多选 ----------------------------------------------------------------------------------------


def _multi(corpus: _Corpus, doc: Document, unit: Unit, rng: random.Random) -> list[Candidate]:
    out = []
    for p_index, para in enumerate(unit.paragraphs):
        lead = para.text.split("\n", 1)[0].strip()
        if "下列" not in lead or len(para.items) < 2:
            continue
        quote = lead.rstrip("：:").split("；", 1)[0]
        noun = _noun(lead)
        usable = [t for t in (_option_item(i.text) for i in para.items) if t]
        if len(usable) < 2:
            continue
        k = rng.randint(2, min(4, len(usable)))
        keys = rng.sample(usable, k)
        total = 5 if k >= 3 else rng.choice((4, 5))
        distractors = _multi_distractors(corpus, doc, unit, para, noun, keys, total - k, rng)
        if len(distractors) < total - k:
            continue
        options = keys + distractors
        rng.shuffle(options)
        answer = "".join(sorted(LETTERS[options.index(t)] for t in keys))
        wrong = "".join(sorted(LETTERS[options.index(t)] for t in distractors))
        shown = quote.translate(_FULLWIDTH_PARENS)
        stem = f"根据《{doc.title}》{unit.label}“{shown}”的规定，下列属于该条所列{noun}的有{BLANK}。"
        explanation = (f"依据{_cite(doc, unit)}：“{quote}”该条所列{noun}包括：{'；'.join(usable)}。"
                       f"选项{wrong}不属于该条所列{noun}。")
        q = _question(doc, unit, QType.MULTIPLE, stem, options, answer, explanation, "multi-items", "multi",
                      lead + "".join(usable))
        out.append(Candidate(q, "multi", f"{unit.unit_id}#p{p_index}", f"{unit.unit_id}#p{p_index}|multi"))
    return out


def _multi_distractors(corpus: _Corpus, doc: Document, unit: Unit, para, noun: str, keys: list[str], count: int,
                       rng: random.Random) -> list[str]:
    """Wrong options for a 多选: items of other articles like the keys in kind, form and length.

    A list of departments' duties also gets its own items with the department swapped ("公安机关负责危险化学品
    毒性鉴定的管理"), which the article certainly does not contain.
    """
    own = [normalize_text(gt.clean_item(i.text)) for i in para.items]
    mean = sum(len(t) for t in keys) / len(keys)
    shapes = Counter(_shape(t) for t in keys)
    shape = shapes.most_common(1)[0][0]

    def unlisted(text: str) -> bool:
        norm = normalize_text(text)
        return not any(norm in o or o in norm for o in own)

    scored: list[tuple[float, str]] = []
    if shape == "duty":
        leaders = {d.core for d in (_dept_led(gt.clean_item(i.text)) for i in para.items) if d}
        for item in para.items:
            text = _option_item(item.text)
            dept = _dept_led(text) if text else None
            if not text or not dept or text in keys:
                continue
            # Not a department the article gives other duties to: the swap must read as a new claim.
            cores = gt.dept_cores_in(text) | leaders
            forms = [f for f, core in corpus.depts[dept.national] if core not in cores]
            if forms:
                swapped = rng.choice(forms) + text[dept.end:]
                if unlisted(swapped) and not corpus.law_contains(doc, swapped):
                    scored.append((-1 + rng.random() / 10, swapped))
    for uid, other_noun, text in corpus.items:
        if uid == unit.unit_id or not (0.5 * mean <= len(text) <= 1.6 * mean) or not unlisted(text):
            continue
        if corpus.coverage(text, unit.unit_id) >= 0.6:
            continue  # says much the same as the article: it could be read as listed
        score = (other_noun != noun) + 2 * (_shape(text) != shape) + abs(len(text) - mean) / mean + rng.random() / 2
        scored.append((score, text))
    out: list[str] = []
    for _, text in sorted(scored):
        if len(out) == count:
            break
        if all(normalize_text(text) != normalize_text(d) for d in out + keys):
            out.append(text)
    return out


# -- 依据题 --------------------------------------------------------------------------------------


def _which_article(corpus: _Corpus, doc: Document, unit: Unit, st: gt.Statement,
                   rng: random.Random) -> list[Candidate]:
    if gt.has_article_ref(st.text) or len(st.text) > MAX_WHICH:
        return []
    siblings = [u for _, u in corpus.by_doc[doc.doc_id or doc.title] if u.unit_id != unit.unit_id]
    chapter = gt.chapter(unit)
    pool = []
    for u in siblings:
        if u.article_no in corpus.refs[unit.unit_id] or unit.article_no in corpus.refs[u.unit_id]:
            continue  # an article that cites the basis (or is cited by it) could be argued to be a basis too
        if corpus.coverage(st.text, u.unit_id) >= 0.5:
            continue
        pool.append((gt.chapter(u) != chapter, rng.random(), u))
    chosen = [u for _, _, u in sorted(pool, key=lambda t: (t[0], t[1]))[:3]]
    if len(chosen) < 3:
        return []
    units = sorted([unit, *chosen], key=lambda u: (u.article_no, u.article_sub))
    options = [_cite(doc, u) for u in units]
    answer = LETTERS[units.index(unit)]
    text = gt.display(st.text)
    if "是指" in text:
        stem = f"“{text}”，这一定义出自哪一条规定？{BLANK}"
    else:
        m = re.search(r"应当", text)
        if m and not text[:m.start()].endswith("除"):
            text = text[:m.start()] + text[m.end():]  # the duty described, not stated: "单位制定…"
        stem = f"{text}，应当依据哪一条规定？{BLANK}"
    explanation = f"依据{_cite(doc, unit)}：“{st.text}”，故选{answer}。"
    q = _question(doc, unit, QType.SINGLE, stem, options, answer, explanation, "which-article", "which-article",
                  st.text)
    return [Candidate(q, "which-article", st.group, f"{st.fact}|which")]


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


def build_candidates(articles: Iterable[tuple[Document, Unit]], seed: int = 0) -> tuple[list[Candidate], _Corpus]:
    """Every candidate the articles allow, in a fixed order; each built with its own seeded generator."""
    corpus = _Corpus(articles)
    out: list[Candidate] = []
    for doc, unit in corpus.articles:
        for st in corpus.statements[unit.unit_id]:
            for builder in (_judge_true, _judge_false, _cloze, _which_article):
                rng = random.Random(f"{seed}|{builder.__name__}|{st.key}")
                out.extend(builder(corpus, doc, unit, st, rng))
        out.extend(_multi(corpus, doc, unit, random.Random(f"{seed}|multi|{unit.unit_id}")))
    # A whole sentence and its first clause test the same thing: keep the shorter, more focused stem.
    best: dict[str, Candidate] = {}
    for c in out:
        if c.fact not in best or len(c.question.stem) < len(best[c.fact].question.stem):
            best[c.fact] = c
    return [c for c in out if best[c.fact] is c], corpus


def generate(articles: list[tuple[Document, Unit]], n: int, seed: int = 0, types=None) -> GenerationReport:
    """Up to n gated draft questions from the articles; deterministic for a seed.

    `types` limits the output: QType values (判断/单选/多选), generator names (cloze-number, ...) or families
    (judge-true, judge-false, cloze, multi, which-article).
    """
    candidates, corpus = build_candidates(articles, seed)
    wanted = _wanted(types)
    candidates = [c for c in candidates if _matches(c, wanted)]
    report = GenerationReport(pool=len(candidates))
    queues: dict[str, list[Candidate]] = {f: [] for f in FAMILIES}
    for c in candidates:
        queues[c.family].append(c)
    for name, queue in queues.items():
        random.Random(f"{seed}|order|{name}").shuffle(queue)

    keeper = Gatekeeper(common=corpus.common)
    kept_by_family: Counter[str] = Counter()
    used_groups: set[str] = set()
    deferred: dict[str, list[Candidate]] = {f: [] for f in FAMILIES}

    def next_family(qs: dict[str, list[Candidate]]) -> str | None:
        open_ = [f for f in FAMILIES if qs[f]]
        if not open_:
            return None
        total = len(report.kept) + 1
        return max(open_, key=lambda f: (FAMILY_SHARE[f] * total - kept_by_family[f], -FAMILIES.index(f)))

    for first_pass in (True, False):
        qs = queues if first_pass else deferred
        while len(report.kept) < n:
            family = next_family(qs)
            if family is None:
                break
            cand = qs[family].pop(0)
            if first_pass and cand.group in used_groups:
                deferred[family].append(cand)
                continue
            report.examined += 1
            reason = cand.precheck or keeper.admit(cand.question)
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


def generate_for_law(catalog, law_name: str, n: int, seed: int = 0, types=None) -> GenerationReport:
    """Generate from every article of the current version of a law in the catalog."""
    doc = catalog.find_law(law_name)
    articles = [(doc, u) for u in catalog.units(doc.doc_id) if u.kind is UnitKind.ARTICLE]
    return generate(articles, n, seed=seed, types=types)
