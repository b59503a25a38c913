"""The enforcing department of a law whose penalty articles name none, reviewed.

特种设备安全法's penalty articles say "责令限期改正…处…罚款" and never who does it; 消防法第七十条 splits its penalties
between two departments "按照各自职权". A reviewer who read the law names the department for the rows that name none
(reviewed_departments.tsv, each line's evidence checked verbatim by a test).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from ..errors import HazkbError
from ..legal_text import departments
from ..names import normalize_title
from ..tsv import int_cell, read_tsv

DEPARTMENTS = Path(__file__).resolve().parent / "reviewed_departments.tsv"
DEPARTMENT_COLUMNS = ("法规", "条", "执法部门", "依据", "说明")


class DepartmentTableError(HazkbError):
    """reviewed_departments.tsv has a bad line."""


class ReviewedDepartment(NamedTuple):
    law: str  # normalised title
    article: int  # the article whose words show it
    name: str  # the department's standard name (as legal_text.departments gives it)
    text: str  # as the table writes it
    evidence: str
    where: str


def read_departments(path: Path = DEPARTMENTS) -> dict[str, ReviewedDepartment]:
    out: dict[str, ReviewedDepartment] = {}
    for where, (law, article, text, evidence, _why) in read_tsv(path, DEPARTMENT_COLUMNS, DepartmentTableError):
        found = [d for d in departments(text) if d.clean]
        if not found:
            raise DepartmentTableError(f"{where}：“{text}”不是可识别的执法部门名称，请写成法律原文中的部门名称")
        key = normalize_title(law)
        if key in out:
            raise DepartmentTableError(f"{where}：《{law}》前面已有一行，每部法律只核定一个部门")
        number = int_cell(article, where, "条", DepartmentTableError, minimum=1) or 0
        out[key] = ReviewedDepartment(key, number, found[0].name, text, evidence, where)
    return out


@cache
def reviewed_departments() -> dict[str, ReviewedDepartment]:
    """The shipped table, by normalised law title."""
    return read_departments()
