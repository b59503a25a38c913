"""Bad question-bank files through `hazkb quiz import`, and formula injection in every spreadsheet export.

Each bad file is made here (openpyxl, or the bytes of a CSV / JSON / Office container) and imported through the CLI
into a home that already holds a small bank. Every case names the exact message fragment, the exit code, and how
many questions the bank holds afterwards (unchanged unless the file's good rows were meant to be added).
"""
from __future__ import annotations

import codecs
import csv
import json
import os
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz.template import TEMPLATE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
MALICIOUS = '=HYPERLINK("http://127.0.0.1:9/x","点我领奖")'
PLATFORM = ["作业种类", "试题类型", "题目内容", "题目选项", "题目答案"]
SEEDED = 2  # items in the bank before each case


# -- files -----------------------------------------------------------------------------------------


def row(**cells) -> list:
    return [cells.get(c) for c in TEMPLATE_COLUMNS]


def xlsx(path: Path, rows: list[list], merge: tuple[str, ...] = (), title: str = "题库") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for values in rows:
        ws.append(values)
    for cells in merge:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def with_cached_error(path: Path, cell: str, formula: str, error: str) -> Path:
    """Rewrite one cell of the first sheet as a formula whose cached result is an error value (as Excel saves
    "=1/0": <f>1/0</f><v>#DIV/0!</v>), which openpyxl cannot write itself."""
    entries = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            entries[name] = archive.read(name)
    sheet = entries["xl/worksheets/sheet1.xml"].decode("utf-8")
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start) + len("</c>")
    sheet = sheet[:start] + f'<c r="{cell}" t="e"><f>{formula}</f><v>{error}</v></c>' + sheet[end:]
    entries["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def compound_file(path: Path, streams: list[str]) -> Path:
    """An OLE2 compound file (what Excel writes for .xls, and for an .xlsx with an opening password: the streams
    EncryptionInfo and EncryptedPackage): the 512-byte header and one directory sector naming the streams."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:28] = struct.pack("<HH", 0x3E, 3)  # minor version, major version 3
    header[28:34] = struct.pack("<HHH", 0xFFFE, 9, 6)  # little-endian, 512-byte sectors, 64-byte mini sectors
    header[48:52] = struct.pack("<I", 0)  # the directory starts at sector 0
    directory = bytearray()
    for name in ["Root Entry", *streams]:
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[:len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded))
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    path.write_bytes(bytes(header) + bytes(directory.ljust(512, b"\0")))
    return path


def csv_bytes(rows: list[list[str]], encoding: str, delimiter: str = ",") -> bytes:
    import io

    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


# -- the home and the command ----------------------------------------------------------------------


@pytest.fixture
def home(settings, tmp_path):
    """A home whose bank holds SEEDED items already."""
    from quiz.bank_files import import_file
    from quiz.store import open_bank

    seed = xlsx(tmp_path / "seed.xlsx", [TEMPLATE_COLUMNS,
                                         row(题型="判断", 题干="已有的判断题。", 答案="A"),
                                         row(题型="单选", 题干="已有的单选题（）", 选项A="甲", 选项B="乙", 答案="B")])
    bank = open_bank(settings)
    assert import_file(bank, seed).imported == SEEDED
    bank.close()
    return settings


def count(settings) -> int:
    from quiz.store import open_bank

    bank = open_bank(settings)
    try:
        return bank.count()
    finally:
        bank.close()


@dataclass
class Outcome:
    code: int
    text: str  # stdout, stderr and the error message the CLI prints (ui.cli.main prints HazkbError)
    data: dict | None  # the --json result


def run_import(settings, path: Path, *options: str, as_json: bool = False) -> Outcome:
    from click.testing import CliRunner

    from corpus.errors import HazkbError
    from ui.cli import Context
    from ui.cli_quiz import quiz

    args = ["import", str(path), *options] + (["--json"] if as_json else [])
    result = CliRunner().invoke(quiz, args, obj=Context(settings))
    if result.exception is not None and not isinstance(result.exception, (SystemExit, HazkbError)):
        raise result.exception  # a traceback is a failure of its own
    text = result.output + (f"错误：{result.exception}" if isinstance(result.exception, HazkbError) else "")
    return Outcome(result.exit_code, text, json.loads(result.stdout) if as_json else None)


# -- the table of bad files ------------------------------------------------------------------------


def merged_type_column(tmp: Path) -> Path:
    """题型 merged over four rows (as hand-made banks group their items): each row is a 单选."""
    rows = [TEMPLATE_COLUMNS] + [row(题型="单选" if i == 0 else None, 题干=f"合并单元格题{i}（）", 选项A="甲",
                                     选项B="乙", 答案="A") for i in range(4)]
    return xlsx(tmp / "merged.xlsx", rows, merge=("A2:A5",))


def title_rows_above_header(tmp: Path) -> Path:
    rows = [["2024 年度安全管理人员考试题库"], ["编制：安全科　　日期：2024-03-01"], [], TEMPLATE_COLUMNS,
            row(题型="判断", 题干="标题行下面的题目。", 答案="正确")]
    return xlsx(tmp / "titled.xlsx", rows, merge=("A1:H1",))


def missing_columns(tmp: Path) -> Path:
    return xlsx(tmp / "missing.xlsx", [["序号", "题干", "选项A", "选项B", "正确选项"],
                                       [1, "题目（）", "甲", "乙", "A"]])


def date_in_stem(tmp: Path) -> Path:
    rows = [TEMPLATE_COLUMNS, row(题型="判断", 题干="好的一行。", 答案="A"),
            row(题型="判断", 题干=datetime(2021, 6, 10), 答案="A")]
    return xlsx(tmp / "date.xlsx", rows)


def cached_error_in_stem(tmp: Path) -> Path:
    rows = [TEMPLATE_COLUMNS, row(题型="判断", 题干="好的一行。", 答案="A"), row(题型="判断", 题干="占位", 答案="A")]
    return with_cached_error(xlsx(tmp / "error.xlsx", rows), "B3", "1/0", "#DIV/0!")


def error_value_in_option(tmp: Path) -> Path:
    rows = [TEMPLATE_COLUMNS, row(题型="单选", 题干="选项是错误值（）", 选项A="甲", 选项B="#N/A", 答案="A")]
    return xlsx(tmp / "na.xlsx", rows)


def formula_without_result(tmp: Path) -> Path:
    """openpyxl (like many exporters) saves formulas without a computed value."""
    rows = [TEMPLATE_COLUMNS, row(题型="判断", 题干="好的一行。", 答案="A"),
            row(题型="单选", 题干="选项是公式（）", 选项A="甲", 选项B='=A1&"乙"', 答案="A")]
    return xlsx(tmp / "formula.xlsx", rows)


def repeated_key(tmp: Path) -> Path:
    rows = [TEMPLATE_COLUMNS, row(题型="多选", 题干="答案字母重复（）", 选项A="甲", 选项B="乙", 选项C="丙", 答案="AAB")]
    return xlsx(tmp / "aab.xlsx", rows)


def key_beyond_options(tmp: Path) -> Path:
    rows = [TEMPLATE_COLUMNS, row(题型="单选", 题干="答案指向不存在的选项（）", 选项A="甲", 选项B="乙", 答案="D")]
    return xlsx(tmp / "beyond.xlsx", rows)


def platform_key_beyond_options(tmp: Path) -> Path:
    rows = [PLATFORM, ["第一部分", "单选题", "1.选项只有两个（）", "**A.甲**B.乙", "C"]]
    return xlsx(tmp / "platform-beyond.xlsx", rows)


def json_list_of_strings(tmp: Path) -> Path:
    path = tmp / "strings.json"
    path.write_text(json.dumps(["危险化学品仓库应当设置明显标志。", "第二道题"], ensure_ascii=False), encoding="utf-8")
    return path


def big5_csv(tmp: Path) -> Path:
    path = tmp / "big5.csv"
    path.write_bytes(csv_bytes([["題型", "題幹", "選項A", "選項B", "答案"],
                                ["單選", "倉庫應當設置（）", "標誌", "廣告", "A"]], "big5"))
    return path


def gb18030_csv(tmp: Path) -> Path:
    path = tmp / "gbk.csv"
    path.write_bytes(csv_bytes([["题型", "题干", "选项A", "选项B", "答案"],
                                ["单选", "GB18030 编码的题目（）", "甲", "乙", "B"]], "gb18030"))
    return path


def utf16_tab_text(tmp: Path) -> Path:
    """Excel's “Unicode 文本”: UTF-16 with BOM, tab-separated, saved under .csv."""
    path = tmp / "unicode.csv"
    body = csv_bytes([["题型", "题干", "答案"], ["判断", "UTF-16 编码的题目。", "错误"]], "utf-16-le", "\t")
    path.write_bytes(codecs.BOM_UTF16_LE + body)
    return path


def encrypted_xlsx(tmp: Path) -> Path:
    return compound_file(tmp / "加密题库.xlsx", ["EncryptionInfo", "EncryptedPackage"])


def xls_named_xlsx(tmp: Path) -> Path:
    return compound_file(tmp / "改名.xlsx", ["Workbook", "SummaryInformation"])


def old_xls(tmp: Path) -> Path:
    return compound_file(tmp / "旧题库.xls", ["Workbook"])


def truncated_xlsx(tmp: Path) -> Path:
    good = xlsx(tmp / "good.xlsx", [TEMPLATE_COLUMNS, row(题型="判断", 题干="一道题。", 答案="A")])
    path = tmp / "truncated.xlsx"
    path.write_bytes(good.read_bytes()[:900])
    return path


def empty_xlsx(tmp: Path) -> Path:
    path = tmp / "empty.xlsx"
    path.write_bytes(b"")
    return path


@dataclass
class Case:
    make: object  # tmp_path -> the file
    code: int
    fragment: str
    added: int  # questions the bank holds afterwards beyond the SEEDED ones


CASES = {
    "merged cells filled down": Case(merged_type_column, 0, "导入 4 道", 4),
    "title rows above the header": Case(title_rows_above_header, 0, "导入 1 道", 1),
    "missing columns named": Case(missing_columns, 1, "第 1 行的表头缺少列：题型、答案；表头应为标准模板", 0),
    "date cell": Case(date_in_stem, 1, "第 3 行“题干”列是日期 2021-06-10，不是文字", 1),
    "cached error value": Case(cached_error_in_stem, 1, "第 3 行“题干”列是错误值 #DIV/0!，不是文字", 1),
    "error text in an option": Case(error_value_in_option, 1, "第 2 行“选项B”列是错误值 #N/A，不是文字", 0),
    "formula without a result": Case(formula_without_result, 1, "第 3 行“选项B”列是没有计算结果的公式 =A1&\"乙\"，"
                                                                "不是文字；请在 Excel 中打开该文件并保存一次", 1),
    "repeated key letters": Case(repeated_key, 1, "答案“AAB”中字母 A 重复", 0),
    "key beyond the options": Case(key_beyond_options, 1, "答案中的 D 超出了选项范围（本题选项为 A–B）", 0),
    "platform key beyond the options": Case(platform_key_beyond_options, 1, "答案中的 C 超出了选项范围", 0),
    "JSON list of strings": Case(json_list_of_strings, 1,
                                 "第 1 项是文字“危险化学品仓库应当设置明显标志。”，不是题目对象", 0),
    "Big5 CSV refused": Case(big5_csv, 1, "可能是繁体 Big5 等其他编码；请在 Excel 中打开，选择“文件 → 另存为”，"
                                         "保存类型选“CSV UTF-8（逗号分隔）(*.csv)”", 0),
    "GB18030 CSV read": Case(gb18030_csv, 0, "导入 1 道", 1),
    "UTF-16 tab text read": Case(utf16_tab_text, 0, "导入 1 道", 1),
    "encrypted xlsx": Case(encrypted_xlsx, 1, "文件已加密（设置了打开密码）；请在 Excel 中取消密码", 0),
    "xls renamed to xlsx": Case(xls_named_xlsx, 1, "实际是旧版 Excel 97-2003（.xls）文件，只是扩展名为 .xlsx", 0),
    "old xls": Case(old_xls, 1,
                    "是旧版 Excel 97-2003（.xls）格式，不能直接导入；请在 Excel 或 WPS 中打开，另存为 .xlsx", 0),
    "truncated xlsx": Case(truncated_xlsx, 1, "无法读取 Excel 文件 truncated.xlsx", 0),
    "empty file": Case(empty_xlsx, 1, "empty.xlsx 是空文件（0 字节）", 0),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_bank_file(name, home, tmp_path):
    case = CASES[name]
    path = case.make(tmp_path)  # type: ignore[operator]
    assert count(home) == SEEDED
    out = run_import(home, path)
    assert out.code == case.code, out.text
    assert case.fragment in out.text, out.text
    assert "Traceback" not in out.text and "sqlite" not in out.text.lower()
    assert count(home) == SEEDED + case.added
    # --json prints one JSON document whatever happened: the result, or {"error": …}; the same exit code
    again = run_import(home, path, as_json=True)
    assert again.code == case.code and again.data is not None, again.text
    messages = [r["reason"] for r in again.data["rejected"]] + [again.data.get("error") or ""]
    if case.code == 1:
        assert any(case.fragment in m for m in messages), again.data
    else:
        assert again.data["rejected"] == [] and "error" not in again.data
    assert again.data["imported"] == 0 and len(again.data["duplicates"]) == case.added
    assert count(home) == SEEDED + case.added  # importing again adds nothing


def test_option_lists_in_the_usual_variants(home, tmp_path):
    from quiz.store import open_bank

    variants = {
        "一格空格分隔（）": "A.甲 B.乙 C.丙 D.丁",
        "一格顿号换行（）": "A、甲\nB、乙\nC、丙\nD、丁",
        "一格全角点（）": "A．甲　B．乙　C．丙　D．丁",
        "一格括号（）": "(A)甲(B)乙（C）丙（D）丁",
        "一格冒号分号（）": "A:甲；B:乙；C:丙；D:丁",
    }
    rows = [TEMPLATE_COLUMNS] + [row(题型="单选", 题干=stem, 选项A=cell, 答案="C") for stem, cell in variants.items()]
    rows.append(row(题型="单选", 题干="每列带字母（）", 选项A="A.甲", 选项B="B.乙", 选项C="C.丙", 选项D="D.丁",
                    答案="C"))
    rows.append(row(题型="单选", 题干="选项像字母开头（）", 选项A="A、B两类", 选项B="其他", 答案="A"))
    path = xlsx(tmp_path / "variants.xlsx", rows)
    listed = xlsx(tmp_path / "listed.xlsx", [["题型", "题干", "选项", "答案"],
                                             ["单选", "选项列一行一个（）", "甲\n乙\n丙\n丁", "C"]])
    platform = xlsx(tmp_path / "platform.xlsx", [PLATFORM, ["第一部分", "单选题", "1.平台格式空格分隔（）",
                                                             "A.甲 B.乙 C.丙 D.丁", "C"]])
    for file in (path, listed, platform):
        out = run_import(home, file)
        assert out.code == 0, out.text
    bank = open_bank(home)
    items = {q.stem: q for q in bank.list()}
    bank.close()
    for stem in [*variants, "每列带字母（）", "选项列一行一个（）", "平台格式空格分隔（）"]:
        assert items[stem].options == ["甲", "乙", "丙", "丁"], (stem, items[stem].options)
        assert items[stem].answer == "C"
    assert items["选项像字母开头（）"].options == ["A、B两类", "其他"]  # only one option carries a letter: kept whole


def test_reimport_for_another_role_merges_and_says_so(home, tmp_path):
    from quiz.store import open_bank

    rows = [TEMPLATE_COLUMNS] + [row(题型="判断", 题干=f"两个岗位都考的题{i}。", 答案="A") for i in range(3)]
    path = xlsx(tmp_path / "shared.xlsx", rows)
    first = run_import(home, path, "--role", "主要负责人")
    assert first.code == 0 and first.text.startswith("导入 3 道，重复 0 道（已跳过），拒绝 0 行"), first.text
    second = run_import(home, path, "--role", "安全管理人员", as_json=True)
    assert second.code == 0 and second.data is not None
    assert second.data["imported"] == 0 and second.data["merged"] == 3
    assert second.data["duplicates"][0]["added"] == {"roles": ["安全管理人员"]}
    third = run_import(home, path, "--role", "从业人员")
    assert third.text.startswith("导入 0 道，为 3 道已有题目补充岗位/企业类型（岗位：从业人员），"
                                 "重复 0 道（已跳过），拒绝 0 行")
    assert "题库中已有" in third.text and "已补充岗位 从业人员" in third.text
    again = run_import(home, path, "--role", "从业人员")
    assert again.code == 0 and again.text.startswith("导入 0 道，重复 3 道（已跳过）")
    bank = open_bank(home)
    assert {tuple(q.roles) for q in bank.list() if q.stem.startswith("两个岗位")} == {
        ("主要负责人", "安全管理人员", "从业人员")}
    assert bank.count() == SEEDED + 3
    bank.close()


CONCURRENT = """
import json, sys, time
from corpus.settings import Settings
from quiz.bank_files import import_file
from quiz.store import open_bank

settings = Settings.from_env({}, home=sys.argv[1], no_builtin=True)
bank = open_bank(settings)
while time.time() < float(sys.argv[4]):
    time.sleep(0.005)
report = import_file(bank, sys.argv[2], roles=[sys.argv[3]])
print(json.dumps(report.as_json(), ensure_ascii=False))
"""


def test_two_imports_of_one_bank_at_once(home, tmp_path):
    """Two processes import the same file for different roles at the same moment: both succeed, every item is
    stored once and carries both roles (the second import merges), and nobody sees SQL."""
    import time

    from quiz.store import open_bank

    rows = [TEMPLATE_COLUMNS] + [row(题型="判断", 题干=f"并发导入的题{i}。", 答案="AB"[i % 2]) for i in range(150)]
    path = xlsx(tmp_path / "same.xlsx", rows)
    script = tmp_path / "import_one.py"
    script.write_text(CONCURRENT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    env["PYTHONPATH"] = str(ROOT)
    go = str(time.time() + 4)
    procs = [subprocess.Popen([sys.executable, str(script), str(home.home), str(path), role, go],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for role in ("主要负责人", "安全管理人员")]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        assert "IntegrityError" not in err and "UNIQUE" not in err
        results.append(json.loads(out))
    assert sorted(r["imported"] for r in results) == [0, 150]
    assert sorted(r["merged"] for r in results) == [0, 150]
    bank = open_bank(home)
    items = [q for q in bank.list() if q.stem.startswith("并发导入")]
    bank.close()
    assert len(items) == 150 and {tuple(sorted(q.roles)) for q in items} == {("主要负责人", "安全管理人员")}


def test_conflict_that_persists_gets_a_plain_retry_message(home):
    """Another writer holds the bank's database past the wait: the import is retried, then refused in Chinese with
    nothing written and no SQL shown."""
    import sqlite3

    from sqlalchemy import event

    from quiz.errors import QuizError
    from quiz.model import QType, Question
    from quiz.store import BUSY_MESSAGE, open_bank

    bank = open_bank(home)
    bank.engine.dispose()
    # wait 50 ms for the lock instead of the catalog's 30 s (runs after the catalog's own connect pragmas)
    event.listen(bank.engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=50"))
    other = sqlite3.connect(bank.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other admin's import, holding the write lock
    try:
        with pytest.raises(QuizError) as info:
            bank.store_many([Question(qtype=QType.TRUE_FALSE, stem="冲突的题。", options=["正确", "错误"], answer="A")],
                            merge_tags=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert str(info.value) == BUSY_MESSAGE and "请稍后重新导入同一文件" in BUSY_MESSAGE
    assert "locked" not in str(info.value)
    assert bank.count() == SEEDED
    bank.close()


# -- formula injection in every export -------------------------------------------------------------


def assert_no_formula(path: Path, malicious: str = MALICIOUS) -> None:
    """No cell of any sheet is a formula, nothing starts with "=", and the malicious text is there as text."""
    from openpyxl import load_workbook

    wb = load_workbook(path)  # formulas kept as formulas (not data_only)
    texts = []
    for ws in wb.worksheets:
        for line in ws.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    assert "'" + malicious in texts


def test_safe_cell_round_trip():
    from corpus.spreadsheet import restore_cell, safe_cell

    for text in (MALICIOUS, "+1", "-5℃以下", "@SUM(A1)", "\tx", "\r=1"):
        assert safe_cell(text) == "'" + text and restore_cell(safe_cell(text)) == text
    for value in ("正常文字", "'引号开头", 12, -3.5, None):
        assert safe_cell(value) == value
    assert restore_cell("'引号开头") == "'引号开头"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_bank_export_neutralises_formulas_and_round_trips(home, tmp_path, suffix):
    from quiz.bank_files import export_file, import_file
    from quiz.model import QType, Question, Review
    from quiz.store import QuestionBank, open_bank

    bank = open_bank(home)
    bank.add(Question(qtype=QType.SINGLE, stem=MALICIOUS, options=["@cmd", "-1+1"], answer="A",
                      explanation="+解析", review=Review.APPROVED))
    path = tmp_path / f"bank{suffix}"
    assert export_file(bank, path) == SEEDED + 1
    if suffix == ".xlsx":
        assert_no_formula(path)
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells = [c for record in csv.reader(handle) for c in record]
        assert "'" + MALICIOUS in cells and "'@cmd" in cells and not any(c.startswith(("=", "+", "-", "@"))
                                                                          for c in cells)
    copy = QuestionBank(f"sqlite:///{tmp_path / 'copy.db'}")
    copy.create()
    assert import_file(copy, path).imported == SEEDED + 1
    [item] = [q for q in copy.list() if q.qtype is QType.SINGLE and q.stem == MALICIOUS]
    assert item.options == ["@cmd", "-1+1"] and item.explanation == "+解析"  # the apostrophes come off again
    copy.close()
    bank.close()


def test_records_export_neutralises_formulas(home, tmp_path):
    from quiz.blueprint import Blueprint
    from quiz.exam import ExamBook
    from quiz.model import QType, Question, Review
    from quiz.printout import write_records_xlsx
    from quiz.store import open_bank

    bank = open_bank(home)
    bank.add_many([Question(qtype=QType.TRUE_FALSE, stem=f"=判断题{i}", options=["正确", "错误"], answer="A",
                            review=Review.APPROVED) for i in range(3)])
    bp = Blueprint(name="小卷", role="主要负责人", enterprise_type="使用", counts={QType.TRUE_FALSE: 3},
                   points={QType.TRUE_FALSE: 10}, time_limit=10, pass_mark=20)
    moment = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    book = ExamBook(bank, blueprints=[bp], clock=lambda: moment + timedelta(minutes=1), no_repeat=0)
    book.create()
    exam = book.start(MALICIOUS, "使用", MALICIOUS, "11010519491231002X", "主要负责人", "+检查员")
    book.submit(exam.exam_id)
    path = tmp_path / "records.xlsx"
    assert write_records_xlsx(book.records(), path) == 1
    assert_no_formula(path)
    bank.close()


def test_violations_export_neutralises_formulas(tmp_path):
    from openpyxl import load_workbook

    from corpus.violations.model import ViolationRow
    from corpus.violations.views import export_rows

    rows = [ViolationRow(row_id="u1#1", doc_id="d", unit_id="u1", law="安全生产法", article_no=99, article_sub=0,
                         para=1, item=None, behaviour=MALICIOUS, subject="单位", subject_text="-生产经营单位",
                         item_quote="@引文", clause_quote="+条款")]
    path = tmp_path / "violations.xlsx"
    assert export_rows(rows, path) == 1
    assert_no_formula(path)
    values = [c.value for c in next(load_workbook(path).active.iter_rows(min_row=2))]
    assert values[1] == "'" + MALICIOUS and "'@引文" in values


def test_cli_records_export_of_a_typed_formula(home, tmp_path, shared_dir):
    """The whole way an examinee's typed text takes: `hazkb quiz exam --person …`, then `quiz records --export`."""
    from click.testing import CliRunner

    from quiz.bank_files import import_file
    from quiz.store import open_bank
    from ui.cli import Context
    from ui.cli_quiz import quiz

    bank = open_bank(home)
    import_file(bank, shared_dir / "question_banks" / "一般企业安全管理员.xlsx", roles=["安全管理人员"])
    bank.close()
    runner = CliRunner()
    started = runner.invoke(quiz, ["exam", "--role", "安全管理人员", "--enterprise", "使用", "--person", MALICIOUS,
                                   "--id-number", "无身份证号", "--company", "@公司", "--inspector", "-检查员",
                                   "--json"], obj=Context(home))
    assert started.exit_code == 0, started.output
    refused = runner.invoke(quiz, ["exam", "--role", "安全管理人员", "--enterprise", "使用", "--person", "张三",
                                   "--id-number", "123", "--company", "甲", "--inspector", "乙"], obj=Context(home))
    assert refused.exit_code == 1 and "身份证号格式不对：应为 18 位，填写的有 3 位" in str(refused.exception)
    path = tmp_path / "records.xlsx"
    exported = runner.invoke(quiz, ["records", "--export", str(path)], obj=Context(home))
    assert exported.exit_code == 0, exported.output
    assert_no_formula(path)
