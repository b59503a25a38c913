"""What each question type is: the names bank files give it, its options, how many key letters it takes, whether
a paper may shuffle its options, how it is printed, and how an answer is graded. Import, validation, papers,
printouts and exams ask this table instead of branching on the type; a new type is a QType value and one entry."""
from __future__ import annotations

from dataclasses import dataclass

from .model import TRUE_FALSE_OPTIONS, QType


@dataclass(frozen=True)
class TypeRule:
    qtype: QType
    names: tuple[str, ...]  # how bank files name it (standard template and training platforms)
    fixed_options: tuple[str, ...] | None  # the options every item of the type has (判断: 正确/错误), or None
    min_keys: int  # key letters, at least ...
    max_keys: int | None  # ... and at most (None: any number up to the options)
    shuffle: bool  # a paper may present the options in another order
    one_line: bool  # printed options on one line (正确　错误) rather than one per line

    def key_count_ok(self, n: int) -> bool:
        return n >= self.min_keys and (self.max_keys is None or n <= self.max_keys)

    def grade(self, given: str, key: str) -> bool:
        """Right only when the answer is exactly the key (多选: all and only the keys)."""
        return bool(given) and given == key


RULES: dict[QType, TypeRule] = {
    QType.TRUE_FALSE: TypeRule(QType.TRUE_FALSE, ("判断", "判断题", "是非", "是非题"), tuple(TRUE_FALSE_OPTIONS),
                               1, 1, shuffle=False, one_line=True),
    QType.SINGLE: TypeRule(QType.SINGLE, ("单选", "单选题", "单项选择", "单项选择题"), None, 1, 1,
                           shuffle=True, one_line=False),
    QType.MULTIPLE: TypeRule(QType.MULTIPLE, ("多选", "多选题", "多项选择", "多项选择题"), None, 2, None,
                             shuffle=True, one_line=False),
}


def rule(qtype: QType) -> TypeRule:
    return RULES[qtype]


def type_names() -> dict[str, QType]:
    """Every name a bank file may use for a type -> the type."""
    return {name: r.qtype for r in RULES.values() for name in r.names}
