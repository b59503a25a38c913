"""Excel (.xlsx) files: read every sheet's rows, write a bank sheet, write the empty standard template."""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QuizError
from .fields import cell_text
from .model import ENTERPRISE_TYPES, ROLES

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)

Rows = list[tuple[int, list[str]]]  # (the sheet's own row number, cell texts), blank rows left out


def read_xlsx(path: Path) -> list[tuple[str, Rows]]:
    """(sheet name, non-blank rows) for every sheet, in workbook order."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise QuizError(f"无法读取 Excel 文件 {path.name}（{exc}）；请确认它是 .xlsx 格式且未损坏"
                        "（旧版 .xls 请先用 Excel 另存为 .xlsx）") from exc
    sheets: list[tuple[str, Rows]] = []
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some exporters write a wrong size; read every row there is
            rows: Rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if any(cells):
                    rows.append((number, cells))
            sheets.append((sheet.title, rows))
    finally:
        workbook.close()
    return sheets


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
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula: "=" starts a formula in Excel
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
