"""Items of whole statements: 单选 “下列说法中，错误的是” / “下列说法中，正确的是”, 多选 “下列说法中，正确的有”.

错误的是 (choice-false): one certainly-false statement among three true ones. 正确的是 (choice-true): one true
statement among three certainly-false ones. A false statement is always a substantive change of an article (a
number, a department, a level, a requirement such as 立即报告 or 考核合格后上岗: the judge-false generators an audit
accepted), never a change of modal wording. The other options bind the examinees the item is for (their roles
include the item's), come from other sentences than the anchor (so that no option shows an original beside its
change) and from three different articles, the nearest ones of the same law, so that the four options are about
neighbouring duties. A false statement serves as the key of one item and as a distractor of at most REUSE items.
正确的有 (choice-multi): three true statements and the false one (with a second false one of another article when
there is one), the trues chosen apart from the 错误的是 item of the same false statement.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace

from .model import LETTERS, Origin, QType, Question, Review

SUBSTANTIVE = ("mutation-number", "mutation-department", "mutation-level", "mutation-phrase")
GENERATOR = "choice-false"  # 下列说法中，错误的是
TRUE_GENERATOR = "choice-true"  # 下列说法中，正确的是
MULTI_GENERATOR = "choice-multi"  # 多选: 下列说法中，正确的有
GENERATORS = (GENERATOR, TRUE_GENERATOR, MULTI_GENERATOR)
MAX_OPTION = 80  # a statement option longer than this makes the item hard to read on a phone
NEAREST = 16  # the other options are drawn from this many nearest statements
REUSE = 2  # a false statement is a distractor in at most this many 正确的是 items
_STATEMENT = re.compile(r"^根据《(?P<law>[^》]+)》，(?P<text>.+)。$")
# A sanction (fine, closure, an order to correct): such statements go with each other, duties with duties.
_SANCTION = re.compile(r"罚款|停产停业|责令")
# Options within this factor of the anchor's length: a key much longer or shorter than the rest stands out.
LENGTH_SPREAD = 0.6
_CHANGE = re.compile(r"题干将“(?P<old>.+?)”改为“(?P<new>.+?)”")


def _statement(q: Question) -> tuple[str, str] | None:
    """(short law name, statement) of a 判断 item's stem."""
    m = _STATEMENT.match(q.stem)
    return (m.group("law"), m.group("text")) if m else None


def _text(q: Question) -> str:
    """The statement of a 判断 item the forms are built from (only those whose stem _statement reads)."""
    found = _statement(q)
    assert found is not None, q.stem
    return found[1]


def _law(q: Question) -> str:
    found = _statement(q)
    assert found is not None, q.stem
    return found[0]


def _covers(other: Question, anchor: Question) -> bool:
    """Whether a statement binds everyone the anchor binds (roles; enterprise types, empty = all): then it is the
    business of whoever the item is for."""
    if anchor.roles and other.roles and not set(anchor.roles) <= set(other.roles):
        return False
    if other.enterprise_types and (not anchor.enterprise_types
                                   or not set(anchor.enterprise_types) <= set(other.enterprise_types)):
        return False
    return True


def _common(tag_lists: list) -> list[str] | None:
    """The tags every option carries (an empty list means all): whom the whole item is for. None when no one is
    (options for different examinees)."""
    out: list[str] | None = None
    for tags in tag_lists:
        if tags:
            out = [t for t in (out if out is not None else tags) if t in tags]
    if out is None:
        return []
    return out or None


def _distinct(values: list) -> list:
    """In order, without repeats (Basis is not hashable)."""
    out: list = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _nearest(anchor, pool: list, rng: random.Random) -> list | None:
    """Three candidates of the anchor's law, nearest articles first, from three different articles."""
    picked: list = []
    for c in _nearest_pool(anchor, pool, rng)[:NEAREST]:
        if len(picked) == 3:
            break
        if all(c.question.basis[0] != p.question.basis[0] and c.group != p.group for p in picked):
            picked.append(c)
    return rng.sample(picked, 3) if len(picked) == 3 else None


def _nearest_pool(anchor, pool: list, rng: random.Random) -> list:
    """The candidates that may stand beside the anchor (same law, other sentence, for its examinees, of about its
    length and of its kind), nearest articles first."""
    basis = anchor.question.basis[0]
    size = len(_text(anchor.question))

    def fits(c) -> bool:
        return LENGTH_SPREAD * size <= len(_text(c.question)) <= size / LENGTH_SPREAD

    fine = bool(_SANCTION.search(_text(anchor.question)))

    def alike(c) -> bool:  # fines with fines, duties with duties: one odd kind out gives the key away
        return bool(_SANCTION.search(_text(c.question))) == fine

    return sorted((c for c in pool if c.group != anchor.group and c.question.basis[0].law == basis.law
                   and _covers(c.question, anchor.question) and fits(c) and alike(c)),
                  key=lambda c: (abs(c.question.basis[0].article_no - basis.article_no), rng.random()))


def _item(anchor, others: list, rng: random.Random, generator: str, stem: str, explanation) -> Question | None:
    q = anchor.question
    roles = _common([q.roles, *(c.question.roles for c in others)])
    types = _common([q.enterprise_types, *(c.question.enterprise_types for c in others)])
    if roles is None or types is None:
        return None
    key = _text(q)
    options = [key, *(_text(c.question) for c in others)]
    rng.shuffle(options)
    answer = LETTERS[options.index(key)]
    return Question(
        qtype=QType.SINGLE, stem=stem, options=options, answer=answer, explanation=explanation(answer, options),
        basis=_distinct([*q.basis, *(b for c in others for b in c.question.basis)]),
        roles=roles, enterprise_types=types,
        topics=_distinct([*q.topics, *(x for c in others for x in c.question.topics)]), difficulty=2,
        origin=replace(q.origin, generator=generator) if q.origin else Origin(kind="generated", generator=generator),
        review=Review.DRAFT)


def _usable(c, generators) -> bool:
    s = _statement(c.question)
    return c.question.origin.generator in generators and c.precheck is None and s is not None \
        and len(s[1]) <= MAX_OPTION


def _change_note(false, options: list[str]) -> str:
    """"B项将“立即”改为“在二十四小时内”（该法第N条）": what makes a false option false, from its 判断 explanation."""
    change = _CHANGE.search(false.question.explanation)
    what = f"将“{change.group('old')}”改为“{change.group('new')}”" if change else "与条文不符"
    return f"{LETTERS[options.index(_text(false.question))]}项{what}（该法{false.question.basis[0].article}）"


def statement_choices(candidates: list, seed: int) -> list:
    """Candidates (quiz.generate.Candidate) of the three forms, built from the judge candidates given."""
    from .generate import Candidate  # quiz.generate imports this module: a module-level import would be circular

    trues = [c for c in candidates if _usable(c, ("judge-true",))]
    falses = [c for c in candidates if _usable(c, SUBSTANTIVE)]
    out = []
    for false in falses:
        rng = random.Random(f"{seed}|choice|{false.fact}")
        picked = _nearest(false, trues, rng)
        if picked is None:
            continue
        law = _law(false.question)

        def wrong_one(answer, _options, q=false.question, picked=picked):
            others = "、".join(c.question.basis[0].article for c in picked)
            return (q.explanation.replace("题干将", f"{answer}项将").replace("，故错误。", "。")
                    + f"其余三项见该法{others}，与条文相符。故选{answer}。")

        question = _item(false, picked, rng, GENERATOR, f"根据《{law}》，下列说法中，错误的是（　　）。", wrong_one)
        if question is not None:
            out.append(Candidate(question, "choice", false.group, f"{false.fact}|choice"))
    used: dict[str, int] = {}
    for true in trues:
        rng = random.Random(f"{seed}|choice-true|{true.fact}")
        picked = _nearest(true, [f for f in falses if used.get(f.fact, 0) < REUSE], rng)
        if picked is None:
            continue
        law = _law(true.question)

        def right_one(answer, options, q=true.question, picked=picked):
            notes = sorted(_change_note(c, options) for c in picked)
            return (q.explanation.replace("题干表述与条文一致，故正确。", f"{answer}项与条文一致。")
                    + "；".join(notes) + f"。故选{answer}。")

        question = _item(true, picked, rng, TRUE_GENERATOR, f"根据《{law}》，下列说法中，正确的是（　　）。", right_one)
        if question is not None:
            out.append(Candidate(question, "choice", true.group, f"{true.fact}|choice-true"))
            for f in picked:
                used[f.fact] = used.get(f.fact, 0) + 1
    out.extend(_multi_choices(trues, falses, seed, Candidate))
    return out


def _multi_choices(trues: list, falses: list, seed: int, make) -> list:
    """多选 正确的有: for each false statement, three true ones (and a second false one when the law has one near)."""
    out = []
    for false in falses:
        rng = random.Random(f"{seed}|choice-multi|{false.fact}")
        picked = _nearest(false, trues, rng)
        if picked is None:
            continue
        groups = {false.group, *(c.group for c in picked)}
        articles = [false.question.basis[0], *(c.question.basis[0] for c in picked)]
        second = next((f for f in _nearest_pool(false, falses, rng)
                       if f.group not in groups and f.question.basis[0] not in articles), None)
        wrong = [false] + ([second] if second else [])
        q = false.question
        roles = _common([c.question.roles for c in [*wrong, *picked]])
        types = _common([c.question.enterprise_types for c in [*wrong, *picked]])
        if roles is None or types is None:
            continue
        options = [_text(c.question) for c in [*picked, *wrong]]
        rng.shuffle(options)
        keys = sorted(LETTERS[options.index(_text(c.question))] for c in picked)
        first = next(c for c in picked if LETTERS[options.index(_text(c.question))] == keys[0])
        notes = [_change_note(c, options) for c in wrong]
        answer = "".join(keys)
        # The first key's own explanation leads (its quote is what the gates check the item's subject against).
        explanation = (first.question.explanation.replace("题干表述与条文一致，故正确。", "")
                       + f"{'、'.join(keys)}项与条文一致；" + "；".join(sorted(notes)) + f"。故选{answer}。")
        everyone = [first, *(c for c in picked if c is not first), *wrong]
        question = Question(
            qtype=QType.MULTIPLE, stem=f"根据《{_law(q)}》，下列说法中，正确的有（　　）。", options=options,
            answer=answer, explanation=explanation,
            basis=_distinct([b for c in everyone for b in c.question.basis]), roles=roles, enterprise_types=types,
            topics=_distinct([x for c in everyone for x in c.question.topics]), difficulty=2,
            origin=replace(first.question.origin, generator=MULTI_GENERATOR), review=Review.DRAFT)
        out.append(make(question, "multi", false.group, f"{false.fact}|choice-multi"))
    return out
