"""单选 “下列说法中，错误的是”: one certainly-false statement among three true ones of the same law.

The false statement is a substantive change of an article (a number, a department, a level, a deadline word: the
judge-false generators an audit accepted), never a change of modal wording. The three true statements bind the
same examinees (their roles include the false statement's), come from other sentences than the one changed (so
that no option shows the original beside its change), and are taken from the articles nearest to it, so that the
four options are about neighbouring duties. Each false statement serves one item.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace

from .model import LETTERS, Origin, QType, Question, Review

SUBSTANTIVE = ("mutation-number", "mutation-department", "mutation-level", "mutation-phrase")
GENERATOR = "choice-false"
MAX_OPTION = 80  # a statement option longer than this makes the item hard to read on a phone
NEAREST = 8  # the true options are drawn from this many nearest statements
_STATEMENT = re.compile(r"^根据《(?P<law>[^》]+)》，(?P<text>.+)。$")


def _statement(q: Question) -> tuple[str, str] | None:
    """(short law name, statement) of a 判断 item's stem."""
    m = _STATEMENT.match(q.stem)
    return (m.group("law"), m.group("text")) if m else None


def _binds(true: Question, false: Question) -> bool:
    """Whether the true statement binds everyone the false one does (roles; enterprise types, empty = all)."""
    if false.roles and true.roles and not set(false.roles) <= set(true.roles):
        return False
    if true.enterprise_types and (not false.enterprise_types
                                  or not set(false.enterprise_types) <= set(true.enterprise_types)):
        return False
    return True


def _distinct(values: list) -> list:
    """In order, without repeats (Basis is not hashable)."""
    out: list = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def statement_choices(candidates: list, seed: int) -> list:
    """Candidates (quiz.generate.Candidate) of the 错误的是 form, built from the judge candidates given."""
    from .generate import Candidate  # quiz.generate imports this module: a module-level import would be circular

    trues = [c for c in candidates if c.question.origin.generator == "judge-true"
             and (s := _statement(c.question)) and len(s[1]) <= MAX_OPTION]
    falses = [c for c in candidates if c.question.origin.generator in SUBSTANTIVE and c.precheck is None
              and (s := _statement(c.question)) and len(s[1]) <= MAX_OPTION]
    out = []
    for false in falses:
        law, wrong = _statement(false.question)  # type: ignore[misc]
        basis = false.question.basis[0]
        rng = random.Random(f"{seed}|choice|{false.fact}")
        pool = [t for t in trues if t.group != false.group and t.question.basis[0].law == basis.law
                and _binds(t.question, false.question)]
        pool.sort(key=lambda t: (abs(t.question.basis[0].article_no - basis.article_no), rng.random()))
        picked: list = []
        for t in pool[:NEAREST * 2]:
            if len(picked) == 3:
                break
            if all(t.question.basis[0] != p.question.basis[0] for p in picked):  # three different articles
                picked.append(t)
        if len(picked) < 3:
            continue
        picked = rng.sample(picked, 3)
        options = [wrong, *(_statement(t.question)[1] for t in picked)]  # type: ignore[index]
        rng.shuffle(options)
        answer = LETTERS[options.index(wrong)]
        q = false.question
        others = "、".join(t.question.basis[0].article for t in picked)
        explanation = (q.explanation.replace("题干将", f"{answer}项将").replace("，故错误。", "。")
                       + f"其余三项见该法{others}，与条文相符。故选{answer}。")
        question = Question(
            qtype=QType.SINGLE, stem=f"根据《{law}》，下列说法中，错误的是（　　）。", options=options, answer=answer,
            explanation=explanation, basis=_distinct([*q.basis, *(b for t in picked for b in t.question.basis)]),
            roles=list(q.roles), enterprise_types=list(q.enterprise_types),
            topics=_distinct([*q.topics, *(x for t in picked for x in t.question.topics)]), difficulty=2,
            origin=replace(q.origin, generator=GENERATOR) if q.origin else Origin(kind="generated",
                                                                                  generator=GENERATOR),
            review=Review.DRAFT)
        out.append(Candidate(question, "choice", false.group, f"{false.fact}|choice"))
    return out
