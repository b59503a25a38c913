"""Deaths and serious injuries a finding reports ("炸死了三个人", "3人死亡", "重伤12人"), and the accident grade they
make (the lexicon's accident_grades.tsv): penalty items are graded by it (一般事故 … 特别重大事故)."""
from __future__ import annotations

import re

from corpus.lexicon import AccidentGrade
from corpus.numbers import from_chinese

_N = r"([0-9]+|[一二两三四五六七八九十百]+)"
_WHO = r"(?:个|名|位)?(?:人|工人|员工|职工)?"
# "3人死亡", "三名工人当场死亡" / "死了3个人", "炸死了三个人", "死亡4人" / "1死2伤"
_DEATHS = (re.compile(rf"{_N}{_WHO}(?:当场|先后)?(?:死亡|遇难|身亡|罹难)"),
           re.compile(rf"(?:死亡|遇难|死)了?{_N}(?:个|名|位)(?:人|工人|员工|职工)?|(?:死亡|遇难){_N}人"),
           re.compile(rf"{_N}死(?:{_N}伤)?"))
_INJURED = (re.compile(rf"{_N}{_WHO}(?:重伤|重度(?:烧伤|烫伤|中毒))|重伤{_N}(?:个|名|位)?人"),
            re.compile(rf"{_N}人?(?:急性)?(?:工业)?中毒(?:住院)?"))


def _count(patterns: tuple[re.Pattern[str], ...], text: str) -> int:
    """The largest count any pattern reads (a finding that says "3人死亡…其中1人" means 3)."""
    best = 0
    for pattern in patterns:
        for match in pattern.finditer(text):
            number = next(g for g in match.groups() if g)
            try:
                best = max(best, from_chinese(number))
            except ValueError:
                continue
    return best


def casualties(text: str) -> tuple[int, int]:
    """(deaths, serious injuries) the text reports; 0 where it gives no number."""
    return _count(_DEATHS, text), _count(_INJURED, text)


def accident_grade(text: str, grades: tuple[AccidentGrade, ...]) -> str | None:
    """The grade the reported casualties make, the highest either count reaches; None without a number."""
    deaths, injured = casualties(text)
    if not deaths and not injured:
        return None
    held = [g.name for g in grades if g.holds(deaths, injured)]
    return held[-1] if held else None
