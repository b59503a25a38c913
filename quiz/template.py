"""The standard bank template (docs/question-template.md): its columns, a row -> Question, a Question -> row."""
from __future__ import annotations

import re
import unicodedata

from .basis_text import format_basis, parse_basis
from .errors import RowRejected
from .fields import (
    join_list,
    keyed_options,
    parse_difficulty,
    parse_enterprise_types,
    parse_qtype,
    parse_review,
    parse_roles,
    split_list,
    split_option_list,
    strip_own_letters,
)
from .model import LETTERS, Origin, Question, Review
from .validate import problem

OPTION_COLUMNS = [f"选项{c}" for c in LETTERS]  # 选项A … 选项H; the template shows A–F
TEMPLATE_OPTIONS = 6
REQUIRED = ("题型", "题干", "答案")
TAIL = ["答案", "解析", "依据", "适用岗位", "企业类型", "难度", "主题", "状态"]
TEMPLATE_COLUMNS = ["题型", "题干", *OPTION_COLUMNS[:TEMPLATE_OPTIONS], *TAIL]
LISTED_OPTIONS = "选项"  # one column holding every option ("A.甲 B.乙 C.丙" or one option a line)
KNOWN = {"题型", "题干", *OPTION_COLUMNS, LISTED_OPTIONS, *TAIL, "编号"}

EXAMPLE_ROW = {
    "题型": "多选",
    "题干": "生产、储存危险化学品的单位，应当根据其生产、储存的危险化学品的种类和危险特性，"
            "在作业场所设置相应的（）等安全设施、设备。",
    "选项A": "监测、监控", "选项B": "通风、防晒、调温", "选项C": "防火、灭火、防爆", "选项D": "装饰、绿化",
    "答案": "ABC",
    "解析": "《危险化学品安全管理条例》第二十条要求设置监测、监控、通风、防晒、调温、防火、灭火、防爆"
            "等安全设施、设备。",
    "依据": "《危险化学品安全管理条例》第二十条",
    "适用岗位": "主要负责人、安全管理人员",
    "企业类型": "危险化学品生产、储存",
    "难度": "2",
    "主题": "安全设施",
    "状态": "",
}

# "12." / "12、" before a stem; not "3.5米" (a digit follows).
_STEM_NUMBER = re.compile(r"^\s*\d{1,4}\s*[.．、]\s*(?=\D)")


def header_key(cell: str) -> str:
    """'选项 a' -> '选项A', ' 题干 ' -> '题干'."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell or ""))
    return re.sub(r"^选项([a-h])$", lambda m: "选项" + m.group(1).upper(), text)


def matches(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return all(k in keys for k in REQUIRED)


def strip_number(stem: str) -> str:
    return _STEM_NUMBER.sub("", stem or "").strip()


def _options(cells: dict[str, str]) -> list[str]:
    """One option per column (选项A, 选项B …, each perhaps with its own letter "A.甲"), or every option in one cell
    (选项A alone, or a 选项 column) listed with letters ("A.甲 B.乙", "(A)甲(B)乙"); a 选项 column may also hold
    one option a line."""
    values = [cells.get(col, "") for col in OPTION_COLUMNS]
    while values and not values[-1]:
        values.pop()
    listed = cells.get(LISTED_OPTIONS, "")
    if listed:
        if values:
            raise RowRejected("“选项”列与 选项A、选项B … 列同时有内容；请只用其中一种写法")
        lines = [line.strip() for line in listed.splitlines() if line.strip()]
        return split_option_list(listed) or (lines if len(lines) > 1 else [listed])
    if len(values) == 1:
        return split_option_list(values[0]) or values
    gaps = [LETTERS[i] for i, v in enumerate(values) if not v]
    if gaps:
        raise RowRejected(f"选项{'、'.join(gaps)} 为空而后面的选项有内容；选项须从 选项A 起连续填写")
    return strip_own_letters(values)


def parse_row(cells: dict[str, str], default_review: Review = Review.APPROVED) -> Question | None:
    """One template row (header -> stripped text) as a question; None for a blank row."""
    if not any(cells.values()):
        return None
    stem = strip_number(cells.get("题干", ""))
    if not stem:
        raise RowRejected("题干为空；请填写题目内容")
    qtype = parse_qtype(cells.get("题型", ""))
    options, answer = keyed_options(qtype, _options(cells), cells.get("答案", ""), blank_note="（或留空）",
                                    tf_fix="；其他选项请把题型改为 单选", choice_fix="；请填写 选项A、选项B …")
    question = Question(
        qtype=qtype, stem=stem, options=options, answer=answer, explanation=cells.get("解析", ""),
        basis=parse_basis(cells.get("依据", "")), roles=parse_roles(cells.get("适用岗位", "")),
        enterprise_types=parse_enterprise_types(cells.get("企业类型", "")),
        topics=split_list(cells.get("主题", "")), difficulty=parse_difficulty(cells.get("难度", "")),
        origin=Origin(kind="imported"), review=parse_review(cells.get("状态", ""), default_review),
        qid=cells.get("编号", ""),
    )
    reason = problem(question)
    if reason is not None:
        raise RowRejected(reason)
    return question


def export_columns(items: list[Question]) -> list[str]:
    """The template's columns, with 选项G/选项H only when an item needs them, and 编号 last."""
    n = max([TEMPLATE_OPTIONS, *(len(q.options) for q in items)])
    return ["题型", "题干", *OPTION_COLUMNS[:n], *TAIL, "编号"]


def row_values(question: Question, columns: list[str]) -> list[str]:
    cells = {
        "题型": question.qtype.value, "题干": question.stem, "答案": question.answer, "解析": question.explanation,
        "依据": format_basis(question.basis), "适用岗位": join_list(question.roles),
        "企业类型": join_list(question.enterprise_types), "难度": str(question.difficulty),
        "主题": join_list(question.topics), "状态": question.review.label, "编号": question.qid,
    }
    cells.update({OPTION_COLUMNS[i]: text for i, text in enumerate(question.options)})
    return [cells.get(col, "") for col in columns]

