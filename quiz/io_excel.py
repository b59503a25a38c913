"""Excel (.xlsx) files: read every sheet's rows, write a bank sheet, write the empty standard template.

Reading is strict about what a cell holds: a merged range gives its top-left value to every cell it covers
(a 题型 merged over six rows is the type of all six); a date, an error value (#DIV/0!, #N/A …) or a formula the file
holds no computed value for is not text, and is reported (`Sheet.bad`) instead of becoming a stem or an option.
An encrypted workbook or an old .xls under an .xlsx name is named as such, not called damaged.
"""
from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.spreadsheet import restore_cell, safe_row

from .errors import QuizError
from .fields import cell_text
from .model import ENTERPRISE_TYPES, ROLES

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)

Rows = list[tuple[int, list[str]]]  # (the sheet's own row number, cell texts), blank rows left out

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files and password-protected Office files
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                 "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SAVE_AS = "请在 Excel 或 WPS 中打开，“另存为”Excel 工作簿（.xlsx）后再导入"


@dataclass
class Sheet:
    """One sheet's non-blank rows, and the cells that hold something other than text."""

    name: str | None
    rows: Rows
    # (row number, 0-based column) -> (kind, what it holds): ("date", "日期 2021-06-10"), ("error", "错误值 #N/A"),
    # ("formula", "没有计算结果的公式 =A1/B1")
    bad: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def check_container(path: Path) -> None:
    """Refuse, by name, what openpyxl would only call damaged: encrypted workbooks and old .xls files."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise QuizError(f"无法读取文件 {path}（{exc.strerror}）；请检查路径和权限") from exc
    if not head:
        raise QuizError(f"{path.name} 是空文件（0 字节）；请确认文件已完整保存或下载后再导入")
    if head == _OLE_MAGIC:
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise QuizError(f"{path.name}：文件已加密（设置了打开密码）；请在 Excel 中取消密码"
                            "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx 再导入")
        raise QuizError(f"{path.name} 实际是旧版 Excel 97-2003（.xls）文件，只是扩展名为 .xlsx；{_SAVE_AS}")


def read_xlsx(path: Path) -> list[Sheet]:
    """Every sheet, in workbook order: rows with merged ranges filled in, and the cells that are not text."""
    from openpyxl import load_workbook

    check_container(path)
    try:
        # Not read-only: merged ranges are only known in a full workbook.
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError, ValueError …) for a broken file
        raise QuizError(f"无法读取 Excel 文件 {path.name}（{type(exc).__name__}: {exc}）；"
                        f"请确认它是 .xlsx 格式且未损坏，{_SAVE_AS}（旧版 .xls 请先用 Excel 另存为 .xlsx）") from exc
    try:
        formulas = _formula_cells(path)
        return [_sheet(ws, formulas.get(ws.title, {})) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _sheet(ws, formulas: dict[tuple[int, int], str]) -> Sheet:
    grid: dict[tuple[int, int], object] = {}
    kinds: dict[tuple[int, int], str] = {}
    for line in ws.iter_rows():
        for cell in line:
            if cell.value is not None or (cell.row, cell.column) in formulas:
                grid[cell.row, cell.column] = cell.value
                kinds[cell.row, cell.column] = cell.data_type
    for merged in ws.merged_cells.ranges:
        top = (merged.min_row, merged.min_col)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) == top:
                    continue
                grid.pop((r, c), None)
                if top in grid:
                    grid[r, c], kinds[r, c] = grid[top], kinds[top]
                if top in formulas:
                    formulas[r, c] = formulas[top]
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), value in grid.items():
        by_row.setdefault(r, {})[c] = value
    sheet = Sheet(ws.title, [])
    for r in sorted(by_row):
        values = by_row[r]
        cells = [""] * max(values)
        for c, value in values.items():
            problem = _not_text(value, kinds.get((r, c), "n"), formulas.get((r, c)))
            if problem is not None:
                sheet.bad[r, c - 1] = problem
                cells[c - 1] = str(value) if value is not None else formulas.get((r, c), "")
            else:
                cells[c - 1] = restore_cell(cell_text(value))
        if any(cells):
            sheet.rows.append((r, cells))
    return sheet


def _not_text(value, data_type: str, formula: str | None) -> tuple[str, str] | None:
    """(kind, what) for a cell holding something other than text or a number, e.g. ("date", "日期 2021-06-10");
    None for text, numbers, booleans and empty cells."""
    if value is None:
        return ("formula", f"没有计算结果的公式 {formula}") if formula else None
    if isinstance(value, datetime):
        if value.time() == time.min:
            return "date", f"日期 {value.date().isoformat()}"
        return "date", f"日期时间 {value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return "date", f"日期 {value.isoformat()}"
    if isinstance(value, time):
        return "date", f"时间 {value:%H:%M}"
    if isinstance(value, timedelta):
        return "date", f"时长 {value}"
    if data_type == "e" or (isinstance(value, str) and value.strip().upper() in _ERROR_VALUES):
        return "error", f"错误值 {str(value).strip()}"
    return None


def _formula_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title -> {(row, column): formula text} for every formula cell; read only when the file has any."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            if not any(_FORMULA_TAG.search(archive.read(n)) for n in archive.namelist()
                       if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                return {}
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}
    found: dict[str, dict[tuple[int, int], str]] = {}
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        for ws in workbook.worksheets:
            cells = found.setdefault(ws.title, {})
            for line in ws.iter_rows():
                for cell in line:
                    if getattr(cell, "data_type", None) == "f":
                        text = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "")
                        if cell.row is not None and cell.column is not None:
                            cells[cell.row, cell.column] = str(text or "=")[:40]
    finally:
        workbook.close()
    return found


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its first worksheet, named `title`."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new workbook opens on one empty worksheet
        raise TypeError(f"a new workbook should open on a worksheet, not on {type(sheet).__name__}")
    sheet.title = title
    return workbook, sheet


def write_xlsx(path: Path, header: list[str], rows: list[list[str]], title: str = "题库") -> None:
    workbook, sheet = new_workbook(title)
    sheet.append(header)
    for row in rows:
        sheet.append(safe_row(row))  # "=…", "+…", "-…", "@…" stay text; the importer takes the apostrophe off
    _decorate(sheet, header)
    _save(workbook, path)


def write_template(path: str | Path) -> None:
    """An empty standard-template workbook: the header, one example row, drop-down lists, a notes sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from .template import EXAMPLE_ROW, TEMPLATE_COLUMNS

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise QuizError(f"模板文件名应以 .xlsx 结尾，而不是“{path.name}”")
    workbook, sheet = new_workbook("题库")
    sheet.append(TEMPLATE_COLUMNS)
    sheet.append([EXAMPLE_ROW.get(c, "") for c in TEMPLATE_COLUMNS])
    _decorate(sheet, TEMPLATE_COLUMNS)
    for column, values in (("题型", "判断,单选,多选"), ("难度", "1,2,3"), ("状态", "待审核,已审核,已停用")):
        letter = _letter(TEMPLATE_COLUMNS.index(column))
        rule = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
        rule.add(f"{letter}2:{letter}5000")
        sheet.add_data_validation(rule)
    notes = workbook.create_sheet("填写说明")
    for line in _NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    _save(workbook, path)


_NOTES = [
    "在“题库”工作表中每行填写一道题，第 1 行表头不要改动；示例行请替换或删除。",
    "题型：判断、单选、多选（也可写 判断题、是非题、单选题、多选题）。",
    "题干：题目内容，不要加题号；判断题写成一句陈述。",
    "选项A–选项F：从 选项A 起连续填写；判断题可留空（自动为 正确/错误）。",
    "答案：选项字母，如 A、ABD；判断题也可填 正确/错误。单选 1 个字母，多选至少 2 个。",
    "依据：如 《危险化学品安全管理条例》第二十条；《安全生产法》第一百零一条（多条用“；”分隔）。",
    f"适用岗位（多个用“、”分隔，留空为全部）：{'、'.join(ROLES)}",
    f"企业类型（多个用“、”分隔，留空为全部）：{'、'.join(ENTERPRISE_TYPES)}",
    "难度：1 易、2 中、3 难，留空为 2。主题：可选，多个用“、”分隔。状态：待审核、已审核、已停用，留空为 已审核。",
    "导入命令：hazkb quiz import 文件.xlsx --json；有问题的行会逐行列出行号和原因，不会被导入。",
]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _decorate(sheet, header: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    widths = {"题干": 60, "解析": 40, "依据": 36, "适用岗位": 24, "企业类型": 24}
    for i, name in enumerate(header):
        cell = sheet.cell(row=1, column=i + 1)
        cell.font = Font(bold=True)
        sheet.column_dimensions[_letter(i)].width = widths.get(name, 18 if name.startswith("选项") else 10)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _save(workbook, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
    except OSError as exc:
        raise QuizError(f"无法写入 {path}（{exc.strerror}）；"
                        "请检查目录是否存在、是否可写，文件是否正被 Excel 打开") from exc
