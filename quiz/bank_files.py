"""Import and export of bank files by extension: .xlsx, .csv (standard template or platform format), .json.

Import reads every row, rejects each bad one with its row number and a reason, skips duplicates (an item
already in the bank, or an earlier row of the same file; the file's roles and enterprise types are added to the
stored item) and stores the rest in one transaction.
Imported items are approved (a bureau's existing bank) unless a 状态 / review value says otherwise.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import platform_format, template
from .basis_text import resolve_basis
from .errors import QuizError, RowRejected
from .io_csv_json import read_csv, read_json, write_csv, write_json
from .io_excel import Rows, Sheet, read_xlsx, write_xlsx
from .model import Origin, Question, Review
from .records import question_from_record, question_to_dict
from .store import QuestionBank

log = logging.getLogger(__name__)

FORMATS = (".xlsx", ".csv", ".json")
NOTES_SHEET = "填写说明"  # the template's own notes sheet


@dataclass
class ImportReport:
    imported: int = 0
    # {"row", "qid"[, "sheet"][, "added": {"roles": [...], "enterprise_types": [...]}]}: items already in the
    # bank; "added" names the roles / enterprise types this file added to the stored item (topics are added quietly)
    duplicates: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # {"row", "reason"[, "sheet"]}
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # item rows read (header and blank rows not counted)

    @property
    def merged(self) -> list[dict]:
        """Duplicates that gave the stored item a role or enterprise type it did not have."""
        return [d for d in self.duplicates if d.get("added")]

    def summary(self) -> str:
        """One line: imported, tags added to items already there, plain duplicates, rejected rows."""
        parts = [f"导入 {self.imported} 道"]
        merged = self.merged
        if merged:
            added: dict[str, list[str]] = {}
            for entry in merged:
                for name, tags in entry["added"].items():
                    added.setdefault(name, []).extend(t for t in tags if t not in added.get(name, []))
            detail = "；".join(f"{_TAG_NAMES[k]}：{'、'.join(v)}" for k, v in added.items())
            parts.append(f"为 {len(merged)} 道已有题目补充岗位/企业类型（{detail}）")
        parts.append(f"重复 {len(self.duplicates) - len(merged)} 道（已跳过）")
        parts.append(f"拒绝 {len(self.rejected)} 行")
        return "，".join(parts)

    def as_json(self) -> dict:
        return {"imported": self.imported, "merged": len(self.merged), "duplicates": self.duplicates,
                "rejected": self.rejected, "warnings": self.warnings}


_TAG_NAMES = {"roles": "岗位", "enterprise_types": "企业类型"}


def added_text(entry: dict) -> str:
    """What an import added to an item already in the bank ("岗位 主要负责人；企业类型 加油站"), or ""."""
    return "；".join(f"{_TAG_NAMES[k]} {'、'.join(v)}" for k, v in (entry.get("added") or {}).items())
HEADER_ROWS = 10  # a header is looked for in a sheet's first rows (title lines above it are common)


def _expected_columns() -> str:
    return (f"标准模板（{'、'.join(template.TEMPLATE_COLUMNS)}，其中 题型、题干、答案 必填）"
            f"或培训平台导出格式（{'、'.join(platform_format.COLUMNS)}）；"
            "可用 hazkb quiz template 文件.xlsx 生成标准模板")


def _check_suffix(path: Path, action: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise QuizError(f"{path.name} 是旧版 Excel 97-2003（.xls）格式，不能直接{action}；"
                        "请在 Excel 或 WPS 中打开，另存为 .xlsx（Excel 工作簿）再导入")
    if suffix not in FORMATS:
        raise QuizError(f"不支持{action}“{suffix or '无扩展名'}”文件：{path.name}；支持 .xlsx、.csv、.json")
    return suffix


def _platform_key(cell: str) -> str:
    return re.sub(r"\s+", "", cell or "")


_FORMATS = (  # (name, required columns, known columns, header cell -> column key)
    ("标准模板", template.REQUIRED, template.KNOWN, template.header_key),
    ("培训平台导出格式", platform_format.REQUIRED, set(platform_format.COLUMNS), _platform_key),
)


class _Table:
    """The rows of one sheet (or CSV file) below a recognised header, with the parser for its format.

    The header is the first of the sheet's first HEADER_ROWS non-blank rows that holds a format's required
    columns; rows above it (a title, a date line) are left out. With no such row, `missing` names the columns
    the most promising row lacks."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet.name
        self.bad = sheet.bad
        rows = sheet.rows
        self.kind: str | None = None
        self.columns: list[str] = []
        self.unknown: list[str] = []
        self.names: list[str] = []  # the header cells as written, for messages
        self.header_row = rows[0][0] if rows else 0
        self.body: Rows = []
        self.missing: tuple[int, str, list[str]] | None = None  # (row, format name, missing columns)
        best: tuple[int, int, str, list[str]] = (0, 0, "", [])
        for index, (number, header) in enumerate(rows[:HEADER_ROWS]):
            for name, required, known, key in _FORMATS:
                keys = [key(h) for h in header]
                absent = [c for c in required if c not in keys]
                if not absent:
                    self.kind = "template" if required is template.REQUIRED else "platform"
                    self.header_row, self.names, self.columns = number, list(header), keys
                    self.unknown = [h for h, k in zip(header, keys) if h and k not in known]
                    self.body = [r for r in rows[index + 1:] if [key(v) for v in r[1]] != keys]
                    return
                present = len(required) - len(absent)
                if present > best[0]:
                    best = (present, number, name, absent)
        if best[0]:
            self.missing = (best[1], best[2], best[3])

    def describe_header_problem(self, file: str) -> str:
        place = f"{file} 的工作表“{self.sheet}”" if self.sheet else file
        if self.missing is not None:
            row, name, absent = self.missing
            return (f"{place}第 {row} 行的表头缺少列：{'、'.join(absent)}；表头应为{name}。"
                    f"支持两种格式：{_expected_columns()}")
        return (f"{place}的表头（前 {HEADER_ROWS} 行中）无法识别。支持两种格式：{_expected_columns()}")

    def cells(self, values: list[str]) -> dict[str, str]:
        cells: dict[str, str] = {}
        for column, value in zip(self.columns, values):
            if column and column not in cells:
                cells[column] = value
        return cells

    def check_text(self, number: int) -> None:
        """A used cell of this row holding a date, an error value or a formula without a result: the row is out."""
        known = template.KNOWN if self.kind == "template" else set(platform_format.COLUMNS)
        for (row, column), (kind, what) in sorted(self.bad.items()):
            if row == number and column < len(self.columns) and self.columns[column] in known:
                raise RowRejected(f"第 {number} 行“{self.names[column]}”列是{what}，不是文字；{_TEXT_FIX[kind]}")

    def parse(self, number: int, values: list[str], default_review: Review) -> Question | None:
        self.check_text(number)
        cells = self.cells(values)
        if self.kind == "template":
            return template.parse_row(cells, default_review)
        return platform_format.parse_row(cells, number)


_TEXT_FIX = {
    "date": "请在 Excel 中把该单元格格式设为“文本”后重新输入内容（Excel 会把像日期的内容自动改成日期）",
    "error": "请修正该单元格的公式，或把它改为文字后再导入",
    "formula": "请在 Excel 中打开该文件并保存一次（让 Excel 算出结果），或把公式改为文字后再导入",
}


def _tables(path: Path, suffix: str) -> list[_Table]:
    if suffix == ".xlsx":
        sheets = [s for s in read_xlsx(path) if s.rows]
    else:
        rows = read_csv(path)
        sheets = [Sheet(None, rows)] if rows else []
    tables = [_Table(s) for s in sheets if s.name != NOTES_SHEET]
    if not any(t.kind for t in tables):
        if not tables:
            raise QuizError(f"{path.name} 中没有任何内容；请填写题目后再导入。支持的表头：{_expected_columns()}")
        first = next((t for t in tables if t.missing is not None), tables[0])
        raise QuizError(first.describe_header_problem(path.name))
    return tables


def _where(row: int, sheet: str | None) -> dict:
    return {"row": row, "sheet": sheet} if sheet else {"row": row}


def _json_record_problem(number: int, record) -> str | None:
    """Why one entry of a JSON bank is not a question object (a string, a number, a list), or None."""
    if isinstance(record, dict):
        return None
    kind = {str: "文字", list: "列表", bool: "真假值", int: "数字", float: "数字"}.get(type(record), "空值")
    shown = f"“{str(record)[:30]}”" if isinstance(record, (str, int, float)) else ""
    return (f"第 {number} 项是{kind}{shown}，不是题目对象；JSON 题库的每一项应为对象，如 "
            "{\"qtype\": \"单选\", \"stem\": \"题干\", \"options\": [\"甲\", \"乙\"], \"answer\": \"A\"}")


def import_file(bank: QuestionBank, path: str | Path, catalog=None, roles: list[str] | None = None,
                enterprise_types: list[str] | None = None) -> ImportReport:
    """Import a bank file into `bank`. With a catalog, each 依据 is linked to its article (or flagged).

    `roles` / `enterprise_types` apply to items whose file gives none (the platform format has no such columns).
    An item already in the bank is not stored again; the roles, enterprise types and topics this file gives it
    are added to the stored item (reported in `duplicates[i]["added"]`).
    """
    path = Path(path)
    suffix = _check_suffix(path, "导入")
    if not path.is_file():
        if path.is_dir():
            raise QuizError(f"{path} 是一个目录；请指定一个题库文件（.xlsx、.csv 或 .json）")
        raise QuizError(f"找不到文件 {path}；请检查路径是否正确")
    report = ImportReport()
    candidates: list[tuple[dict, Question]] = []

    def accept(where: dict, question: Question) -> None:
        if not question.roles and roles:
            question.roles = list(roles)
        if not question.enterprise_types and enterprise_types:
            question.enterprise_types = list(enterprise_types)
        if catalog is not None and question.basis:
            for flag in resolve_basis(question.basis, catalog):
                if flag not in question.flags:
                    question.flags.append(flag)
        candidates.append((where, question))

    if suffix == ".json":
        for number, record in enumerate(read_json(path), start=1):
            report.rows += 1
            try:
                problem = _json_record_problem(number, record)
                if problem is not None:
                    raise RowRejected(problem)
                question = question_from_record(record, Review.APPROVED)
            except RowRejected as exc:
                report.rejected.append({"row": number, "reason": exc.reason})
                continue
            if not record.get("origin"):  # a JSON bank keeps the origin it was exported with
                question.origin = Origin(kind="imported", file=path.name, row=number)
            accept({"row": number}, question)
    else:
        for table in _tables(path, suffix):
            if table.kind is None:
                report.warnings.append(f"{table.describe_header_problem(path.name)}；该工作表已跳过")
                continue
            if table.unknown:
                report.warnings.append(f"{'工作表“' + table.sheet + '”中' if table.sheet else ''}"
                                       f"未识别的列已忽略：{'、'.join(table.unknown)}")
            for number, values in table.body:
                where = _where(number, table.sheet)
                try:
                    parsed = table.parse(number, values, Review.APPROVED)
                except RowRejected as exc:
                    report.rows += 1
                    report.rejected.append({**where, "reason": exc.reason})
                    continue
                if parsed is None:
                    continue
                report.rows += 1
                parsed.origin = Origin(kind="imported", file=path.name, sheet=table.sheet, row=number)
                accept(where, parsed)

    results = bank.store_many((q for _, q in candidates), merge_tags=True)
    for (where, _question), stored in zip(candidates, results):
        if stored.duplicate:
            report.duplicates.append({**where, "qid": stored.qid, **({"added": stored.added} if stored.added else {})})
        else:
            report.imported += 1
    log.info("%s: %s", path.name, report.summary())
    return report


def export_file(bank: QuestionBank, path: str | Path, **filters) -> int:
    """Write the bank's items (filtered as QuestionBank.list) to .xlsx / .csv (template columns) or .json."""
    path = Path(path)
    suffix = _check_suffix(path, "导出为")
    items = bank.list(**filters)
    if suffix == ".json":
        write_json(path, [question_to_dict(q) for q in items])
    else:
        columns = template.export_columns(items)
        rows = [template.row_values(q, columns) for q in items]
        if suffix == ".xlsx":
            write_xlsx(path, columns, rows)
        else:
            write_csv(path, columns, rows)
    return len(items)
