"""Which examinees the bank can examine: every role × enterprise type, its blueprint, and whether a paper can be
drawn for it now (enough approved, unflagged items of each type for the blueprint's counts).

    drawable_combinations(bank, blueprints)   # [("主要负责人", "危险化学品生产"), ...]: what a form or the CLI offers
    exam_combinations(bank, blueprints)       # every pair with its blueprint and what is missing

The bank is read once; each pair is checked in memory with the same rule quiz.paper.candidates applies (roles of
the examinee or the blueprint, the enterprise type, the blueprint's topics; an item without roles / enterprise types
fits everyone), so a pair listed as drawable draws.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .blueprint import Blueprint, blueprint_for
from .errors import QuizError
from .model import ENTERPRISE_TYPES, ROLES, QType, Question, Review


@dataclass(frozen=True)
class Combination:
    role: str
    enterprise_type: str
    blueprint: str  # its name, "" when there is none
    available: dict[str, int] = field(default_factory=dict)  # items that fit, by type (判断/单选/多选)
    missing: dict[str, int] = field(default_factory=dict)  # items still needed, by type

    @property
    def drawable(self) -> bool:
        return bool(self.blueprint) and not self.missing

    def as_dict(self) -> dict:
        return {"role": self.role, "enterprise_type": self.enterprise_type, "blueprint": self.blueprint,
                "drawable": self.drawable, "available": dict(self.available), "missing": dict(self.missing)}


def _fits(q: Question, roles: set[str], enterprise_type: str, topics: tuple[str, ...]) -> bool:
    """quiz.paper.candidates's rule, for an approved item without flags."""
    if q.roles and not roles & set(q.roles):
        return False
    if q.enterprise_types and enterprise_type not in q.enterprise_types:
        return False
    return not topics or bool(set(topics) & set(q.topics))


def _check(pool: list[Question], bp: Blueprint, role: str, enterprise_type: str) -> Combination:
    roles = {role, bp.role}
    have = Counter(q.qtype for q in pool if _fits(q, roles, enterprise_type, bp.topics))
    available = {t.value: have[t] for t in QType}
    missing = {t.value: n - have[t] for t, n in bp.counts.items() if have[t] < n}
    return Combination(role, enterprise_type, bp.name, available, missing)


def exam_combinations(bank, blueprints: list[Blueprint]) -> list[Combination]:
    """Every role × enterprise type, in the form's order, with its blueprint and whether a paper can be drawn."""
    pool = bank.list(review=Review.APPROVED, flagged=False)
    out = []
    for role in ROLES:
        for enterprise_type in ENTERPRISE_TYPES:
            try:
                bp = blueprint_for(role, enterprise_type, blueprints)
            except QuizError:
                out.append(Combination(role, enterprise_type, ""))
                continue
            out.append(_check(pool, bp, role, enterprise_type))
    return out


def drawable_combinations(bank, blueprints: list[Blueprint]) -> list[tuple[str, str]]:
    """The (role, enterprise type) pairs a paper can be drawn for now: what an exam form should offer."""
    return [(c.role, c.enterprise_type) for c in exam_combinations(bank, blueprints) if c.drawable]
