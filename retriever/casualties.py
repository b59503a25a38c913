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


def _grade_pattern(grades: tuple[AccidentGrade, ...]) -> re.Pattern[str]:
    """"较大事故", "重大生产安全事故": a grade said by name; not "重大事故隐患", which is no accident."""
    stems = sorted((g.name.removesuffix("事故") for g in grades), key=len, reverse=True)
    return re.compile(rf"({'|'.join(map(re.escape, stems))})(?:生产安全)?事故(?!隐患)")


def stated_grades(text: str, grades: tuple[AccidentGrade, ...]) -> set[str]:
    """The grades a finding gives its accident: by name ("定了较大事故") or by its casualties ("死了三个人")."""
    said = {f"{m.group(1)}事故" for m in _grade_pattern(grades).finditer(text)}
    counted = accident_grade(text, grades)
    return said | {counted} if counted else said


def row_grade(behaviour: str, grades: tuple[AccidentGrade, ...]) -> str | None:
    """The grade a penalty item is for: "发生较大事故的，处…" -> 较大事故 (安全生产法第九十五条、第一百一十四条 …)."""
    found = re.search(rf"发生{_grade_pattern(grades).pattern}", behaviour)
    return f"{found.group(1)}事故" if found else None
