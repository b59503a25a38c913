"""Writes the SAMPLE discretion table (裁量基准样例.xlsx and .docx) next to this script.

The sample is made for testing `hazkb violations import`: its behaviours and citations are copied from the texts
of 《中华人民共和国危险化学品安全法》第一百零一条 and 《中华人民共和国安全生产法》第九十九条, but its 阶次, 适用条件
and amounts were made up within the statutory ranges. It is NOT a discretion standard of any bureau and must not be
used for enforcement; its title row says so.

It is laid out as real tables are: a title row and a note above the header, 序号/违法行为/违法依据/处罚依据 merged
over a behaviour's tiers, a 处罚依据 cell on two lines, citations written with full and short law names and in
Arabic numerals. Tests import `write_xlsx` / `write_docx` to make copies with extra lines.

    python docs/samples/make_discretion_sample.py [OUTPUT_DIR]
"""
from __future__ import annotations

import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

TITLE = "样例（非正式裁量基准，仅供测试）"
NOTE = ("说明：本表是 hazkb 的测试样例，由 docs/samples/make_discretion_sample.py 根据《危险化学品安全法》"
        "第一百零一条和《安全生产法》第九十九条的条文生成；其中的阶次、适用条件和罚款数额为测试而拟定，"
        "不是任何应急管理部门发布的裁量基准，不得用于执法。")
HEADER = ("序号", "违法行为", "违法依据", "处罚依据", "裁量阶次", "适用条件", "处罚标准")
NAME = "裁量基准样例"
_FIXED_TIME = datetime(2026, 1, 1)  # document properties: regenerating gives the same metadata

# (违法行为, 违法依据, 处罚依据, [(阶次, 适用条件, 处罚标准)]): one behaviour, one line per tier.
Behaviour = tuple[str, str, str, list[tuple[str, str, str]]]

BEHAVIOURS: list[Behaviour] = [
    ("危险化学品生产企业、进口企业未提供中文化学品安全技术说明书，或者未在危险化学品包装上粘贴、印刷、"
     "拴挂中文化学品安全标签",
     "《中华人民共和国危险化学品安全法》第三十一条第一款",
     "《中华人民共和国危险化学品安全法》\n第一百零一条第一款第（一）项",
     [("轻微", "首次被发现，涉及一个品种，在责令的期限内改正", "责令限期改正，可以处2万元以下的罚款"),
      ("一般", "涉及两个以上品种或者多批次产品，在责令的期限内改正", "责令限期改正，处2万元以上10万元以下的罚款"),
      ("严重", "逾期未改正",
       "处10万元以上20万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处2万元以上5万元以下的罚款")]),
    ("生产、储存、使用危险化学品的单位未在作业场所和安全设施、设备上设置明显的安全警示标志，或者未在作业场所"
     "设置通信、报警装置并处于适用状态",
     "《中华人民共和国危险化学品安全法》第三十七条第二款、第三十八条第一款",
     "《中华人民共和国危险化学品安全法》\n第一百零一条第一款第（十）项",
     [("轻微", "缺少个别安全警示标志，在责令的期限内改正", "责令限期改正，可以处3万元以下的罚款"),
      ("一般", "作业场所未设置通信、报警装置，或者装置不处于适用状态，在责令的期限内改正",
       "责令限期改正，处3万元以上10万元以下的罚款"),
      ("严重", "逾期未改正，或者因此导致生产安全事故隐患",
       "处15万元以上20万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处3万元以上5万元以下的罚款；"
       "情节严重的，责令停产停业整顿")]),
    ("储存危险化学品的单位未建立危险化学品出入库核查、登记制度",
     "《中华人民共和国危险化学品安全法》第四十二条第一款",
     "《危险化学品安全法》第一百零一条第一款第（十二）项",
     [("一般", "在责令的期限内改正", "责令限期改正，可以处5万元以下的罚款"),
      ("较重", "逾期未改正",
       "处10万元以上15万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处2万元以上3万元以下的罚款")]),
    ("生产经营单位未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志",
     "《中华人民共和国安全生产法》第三十五条",
     "《安全生产法》第九十九条第（一）项",
     [("第一阶次", "在责令的期限内改正", "责令限期改正，处1万元以下的罚款"),
      ("第二阶次", "逾期未改正",
       "处5万元以上10万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处1万元以上1.5万元以下的罚款")]),
    ("生产经营单位未对安全设备进行经常性维护、保养和定期检测",
     "《中华人民共和国安全生产法》第三十六条第二款",
     "《中华人民共和国安全生产法》第99条第3项",
     [("第一阶次", "在责令的期限内改正", "责令限期改正，处2万元以下的罚款"),
      ("第二阶次", "逾期未改正",
       "处10万元以上20万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处1万元以上2万元以下的罚款")]),
]


def write_xlsx(path: Path, behaviours: list[Behaviour] = BEHAVIOURS, title: str = TITLE, note: str = NOTE) -> list[int]:
    """Write the table as an Excel workbook; returns the sheet row number of each tier line, in order."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    if sheet is None:
        sheet = book.create_sheet()
    sheet.title = "裁量基准"
    width = len(HEADER)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([note])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.row_dimensions[2].height = 48
    sheet.append(list(HEADER))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    numbers: list[int] = []
    for seq, (behaviour, basis, penalty, tiers) in enumerate(behaviours, 1):
        first = sheet.max_row + 1
        for i, (level, condition, standard) in enumerate(tiers):
            head = [seq, behaviour, basis, penalty] if i == 0 else [None, None, None, None]
            sheet.append([*head, level, condition, standard])
            numbers.append(sheet.max_row)
        if len(tiers) > 1:
            for column in range(1, 5):
                sheet.merge_cells(start_row=first, start_column=column, end_row=sheet.max_row, end_column=column)
    for letter, size in zip("ABCDEFG", (6, 40, 28, 28, 10, 30, 44)):
        sheet.column_dimensions[letter].width = size
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.properties.creator = "hazkb make_discretion_sample.py"
    book.properties.title = title
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    _freeze(path)
    return numbers


def write_docx(path: Path, behaviours: list[Behaviour] = BEHAVIOURS, title: str = TITLE, note: str = NOTE) -> list[int]:
    """Write the table as a Word document; returns the table row number (1-based) of each tier line, in order."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(note)
    lines = sum(len(tiers) for *_, tiers in behaviours)
    table = document.add_table(rows=1 + lines, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, HEADER):
        cell.text = name
    numbers: list[int] = []
    row = 1
    for seq, (behaviour, basis, penalty, tiers) in enumerate(behaviours, 1):
        first = row
        for level, condition, standard in tiers:
            cells = table.rows[row].cells
            cells[4].text, cells[5].text, cells[6].text = level, condition, standard
            numbers.append(row + 1)
            row += 1
        for column, text in enumerate((str(seq), behaviour, basis, penalty)):
            cell = table.cell(first, column)
            if row - 1 > first:
                cell = cell.merge(table.cell(row - 1, column))
            cell.text = text
    document.core_properties.created = document.core_properties.modified = _FIXED_TIME
    document.core_properties.title = title
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    _freeze(path)
    return numbers


def _freeze(path: Path) -> None:
    """Give every member of the saved package one fixed time, so regenerating writes the same bytes."""
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w") as package:
        for info, data in members:
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time as 'modified'
                stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            package.writestr(fixed, data)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent
    for suffix, write in ((".xlsx", write_xlsx), (".docx", write_docx)):
        target = out / f"{NAME}{suffix}"
        write(target)
        print(f"已生成 {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
