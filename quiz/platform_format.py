"""The training-platform export format of the bureau's existing banks (作业种类/试题类型/题目内容/题目选项/题目答案).

Stems carry their own number ("12.", "12、", "269,", sometimes just "178"); options are one cell joined by
`**` with letter prefixes ("**A.正确**B.错误", "**A:…", "**A：…", occasionally "**D…" with no separator);
answers are letters, sometimes with trailing spaces. 是非题 is 判断; 正确/不正确 is the true/false pair.
The 作业种类 value (e.g. 第一部分) is kept as a topic.
"""
from __future__ import annotations

import re

from .errors import RowRejected
from .fields import keyed_options, parse_qtype, split_option_list
from .model import LETTERS, Origin, Question, Review
from .validate import problem

COLUMNS = ("作业种类", "试题类型", "题目内容", "题目选项", "题目答案")
REQUIRED = ("试题类型", "题目内容", "题目选项", "题目答案")

_NUMBER = re.compile(r"^\s*(\d{1,5})\s*([.．、,，:：])?\s*")
_OPTION = re.compile(r"^\s*([A-Ha-h])\s*[.．:：、,，)）]?\s*(.*)$", re.S)
_BREAKS = re.compile(r"\s*\n\s*")


def matches(header: list[str]) -> bool:
    keys = {re.sub(r"\s+", "", h or "") for h in header}
    return all(k in keys for k in REQUIRED)


def _clean(text: str) -> str:
    """Line breaks inside these cells are wrapping artefacts ("铸\\n造"): drop them."""
    return _BREAKS.sub("", text or "").strip()


def strip_number(stem: str, row: int) -> str:
    """Drop the bank's own item number. Without a separator ("178关于…") only a number near the row's
    position counts as numbering, so a stem that really starts with a number keeps it."""
    m = _NUMBER.match(stem)
    if m is None:
        return stem.strip()
    rest = stem[m.end():]
    if m.group(2):
        if m.group(2) in ".．" and rest[:1].isdigit():
            return stem.strip()  # "3.5米…"
        return rest.strip()
    if abs(int(m.group(1)) - (row - 1)) <= 5 and rest[:1] and not rest[:1].isascii():
        return rest.strip()
    return stem.strip()


def split_options(cell: str) -> list[str]:
    """'**A.正确**B.错误' -> ['正确', '错误']; letters must run A, B, C … in order. A cell without ** may list the
    options as "A.甲 B.乙", "A、甲" one a line, "(A)甲(B)乙" (quiz.fields.split_option_list)."""
    if "**" not in (cell or ""):
        listed = split_option_list(cell)
        if listed is not None:
            return [_clean(o) for o in listed]
    parts = [p for p in (s.strip() for s in re.split(r"\*{2,}", cell or "")) if p]
    options: list[str] = []
    for i, part in enumerate(parts):
        m = _OPTION.match(part.lstrip("*"))
        if m is None or i >= len(LETTERS) or m.group(1).upper() != LETTERS[i]:
            raise RowRejected(f"题目选项“{part[:30]}”无法识别：应为“**A.选项内容**B.选项内容”，字母从 A 起依次排列")
        options.append(_clean(m.group(2)))
    return options


def parse_row(cells: dict[str, str], row: int) -> Question | None:
    """One row (header -> stripped text) as a question; None for a blank row."""
    if not any(cells.values()):
        return None
    stem = _clean(strip_number(cells.get("题目内容", ""), row))
    if not stem:
        raise RowRejected("题目内容为空；请填写题干")
    qtype = parse_qtype(cells.get("试题类型", ""))
    options, answer = keyed_options(qtype, split_options(cells.get("题目选项", "")), cells.get("题目答案", ""))
    topic = cells.get("作业种类", "")
    question = Question(qtype=qtype, stem=stem, options=options, answer=answer, topics=[topic] if topic else [],
                        origin=Origin(kind="imported"), review=Review.APPROVED)
    reason = problem(question)
    if reason is not None:
        raise RowRejected(reason)
    return question
