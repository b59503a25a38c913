"""Import and export of bank files by extension: .xlsx, .csv (standard template or platform format), .json.

Import reads every row, rejects each bad one with its row number and a reason, skips duplicates (an item
already in the bank, or an earlier row of the same file) and stores the rest in one transaction.
Imported items are approved (a bureau's existing bank) unless a 状态 / review value says otherwise.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import platform_format, template
from .basis_text import resolve_basis
from .errors import QuizError, RowRejected
from .io_csv_json import read_csv, read_json, write_csv, write_json
from .io_excel import Rows, read_xlsx, write_xlsx
from .model import Origin, Question, Review
from .records import question_from_record, question_to_dict
from .store import QuestionBank

log = logging.getLogger(__name__)

FORMATS = (".xlsx", ".csv", ".json")
NOTES_SHEET = "填写说明"  # the template's own notes sheet


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[dict] = field(default_factory=list)  # {"row", "qid"[, "sheet"]}
    rejected: list[dict] = field(default_factory=list)  # {"row", "reason"[, "sheet"]}
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # item rows read (header and blank rows not counted)

    def as_json(self) -> dict:
        return {"imported": self.imported, "duplicates": self.duplicates, "rejected": self.rejected,
                "warnings": self.warnings}


def _expected_columns() -> str:
    return (f"标准模板（{'、'.join(template.TEMPLATE_COLUMNS)}，其中 题型、题干、答案 必填）"
            f"或培训平台导出格式（{'、'.join(platform_format.COLUMNS)}）；"
            "可用 hazkb quiz template 文件.xlsx 生成标准模板")


def _check_suffix(path: Path, action: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        hint = "（旧版 .xls 请先用 Excel 另存为 .xlsx）" if suffix == ".xls" else ""
        raise QuizError(f"不支持{action}“{suffix or '无扩展名'}”文件：{path.name}；支持 .xlsx、.csv、.json{hint}")
    return suffix


class _Table:
    """The rows of one sheet (or CSV file) below a recognised header, with the parser for its format."""

    def __init__(self, sheet: str | None, rows: Rows):
        self.sheet = sheet
        self.header_row, header = rows[0]
        self.body = rows[1:]
        self.kind: str | None
        if template.matches(header):
            self.kind = "template"
            self.columns = [template.header_key(h) for h in header]
            unknown = [h for h, k in zip(header, self.columns) if h and k not in template.KNOWN]
        elif platform_format.matches(header):
            self.kind = "platform"
            self.columns = [h.replace(" ", "") for h in header]
            unknown = [h for h in header if h and h.replace(" ", "") not in platform_format.COLUMNS]
        else:
            self.kind = None
            unknown = []
        self.unknown = unknown

    def cells(self, values: list[str]) -> dict[str, str]:
        cells: dict[str, str] = {}
        for column, value in zip(self.columns, values):
            if column and column not in cells:
                cells[column] = value
        return cells

    def parse(self, number: int, values: list[str], default_review: Review) -> Question | None:
        cells = self.cells(values)
        if self.kind == "template":
            return template.parse_row(cells, default_review)
        return platform_format.parse_row(cells, number)


def _tables(path: Path, suffix: str) -> list[_Table]:
    sheets: list[tuple[str | None, Rows]]
    if suffix == ".xlsx":
        sheets = [(name, rows) for name, rows in read_xlsx(path) if rows]
    else:
        rows = read_csv(path)
        sheets = [(None, rows)] if rows else []
    tables = [_Table(name, rows) for name, rows in sheets if name != NOTES_SHEET]
    if not any(t.kind for t in tables):
        if not tables:
            raise QuizError(f"{path.name} 中没有任何内容；请填写题目后再导入。支持的表头：{_expected_columns()}")
        first = tables[0]
        raise QuizError(f"{path.name} 的表头（第 {first.header_row} 行）无法识别。支持两种格式：{_expected_columns()}")
    return tables


def _where(row: int, sheet: str | None) -> dict:
    return {"row": row, "sheet": sheet} if sheet else {"row": row}


def import_file(bank: QuestionBank, path: str | Path, catalog=None, roles: list[str] | None = None,
                enterprise_types: list[str] | None = None) -> ImportReport:
    """Import a bank file into `bank`. With a catalog, each 依据 is linked to its article (or flagged).

    `roles` / `enterprise_types` apply to items whose file gives none (the platform format has no such columns).
    """
    path = Path(path)
    suffix = _check_suffix(path, "导入")
    if not path.is_file():
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
                report.warnings.append(f"工作表“{table.sheet}”的表头无法识别，已跳过；支持的表头：{_expected_columns()}")
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

    results = bank.add_many(q for _, q in candidates)
    for (where, question), (qid, duplicate) in zip(candidates, results):
        if duplicate:
            report.duplicates.append({**where, "qid": qid})
            _merge_tags(bank, qid, question)
        else:
            report.imported += 1
    log.info("%s: 导入 %d，重复 %d，拒绝 %d", path.name, report.imported, len(report.duplicates), len(report.rejected))
    return report


def _merge_tags(bank: QuestionBank, qid: str, question) -> None:
    """The same item imported for another role or enterprise type applies to that one too."""
    stored = bank.get(qid)
    changed = False
    for name in ("roles", "enterprise_types", "topics"):
        current = getattr(stored, name)
        extra = [t for t in getattr(question, name) if t not in current]
        # An empty tag list means "all"; adding a tag to it would narrow the item, so leave it.
        if extra and current:
            setattr(stored, name, current + extra)
            changed = True
    if changed:
        bank.update(stored)


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
