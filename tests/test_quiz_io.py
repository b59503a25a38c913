"""Bank files: the real shared banks, the standard template, CSV and JSON, bad rows, duplicates, round trips."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from quiz.bank_files import export_file, import_file
from quiz.errors import QuizError
from quiz.io_excel import write_template
from quiz.model import QType, Review
from quiz.store import QuestionBank
from quiz.template import TEMPLATE_COLUMNS

MANAGER = "一般企业安全管理员.xlsx"
PRINCIPAL = "一般企业安全负责人.xlsx"


@pytest.fixture
def new_bank(tmp_path):
    made = []

    def make(name: str) -> QuestionBank:
        b = QuestionBank(f"sqlite:///{tmp_path / (name + '.db')}")
        b.create()
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()


@pytest.fixture
def banks_dir(shared_dir) -> Path:
    return shared_dir / "question_banks"


@pytest.fixture
def hazchem_catalog(catalog, regulations_dir):
    from ingest.pipeline import ingest_paths

    report = ingest_paths(catalog, [regulations_dir / "危险化学品安全管理条例(2013-12-07).md"])
    assert not report.failed, report.failed
    return catalog


def data_rows(path: Path) -> int:
    """Item rows of a real bank, counted independently of the importer."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    n = sum(1 for ws in wb.worksheets for row in list(ws.iter_rows(values_only=True))[1:] if any(row))
    wb.close()
    return n


def write_xlsx(path: Path, header: list[str], rows: list[list], sheet: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def template_row(**cells) -> list:
    return [cells.get(c, "") for c in TEMPLATE_COLUMNS]


def by_row(bank: QuestionBank) -> dict[int, object]:
    return {q.origin.row: q for q in bank.list()}


# -- the real shared banks -----------------------------------------------------------------------


def test_import_manager_bank(bank, banks_dir):
    path = banks_dir / MANAGER
    report = import_file(bank, path)
    rows = data_rows(path)
    assert rows == 299
    # The file holds one real duplicate: row 274 repeats row 235 (only punctuation differs).
    assert report.rejected == [], report.rejected
    assert report.imported + len(report.duplicates) + len(report.rejected) == rows, report.as_json()
    assert report.imported == 298 and bank.count() == 298
    items = by_row(bank)
    assert report.duplicates == [{"row": 274, "sheet": "Sheet1", "qid": items[235].qid}]
    assert report.warnings == []  # the empty Sheet2 / Sheet3 are ignored

    stats = bank.stats()
    assert stats["by_type"] == {"判断": 94 + 35, "单选": 110 - 1, "多选": 60}
    assert stats["by_review"]["approved"] == 298

    first = items[2]
    assert first.qtype is QType.TRUE_FALSE and first.options == ["正确", "错误"] and first.answer == "A"
    assert first.stem.startswith("安全生产法规是国家为了保护劳动者")
    assert first.topics == ["第一部分"] and first.review is Review.APPROVED
    assert (first.origin.kind, first.origin.file, first.origin.sheet) == ("imported", MANAGER, "Sheet1")
    assert items[4].answer == "B"  # keys kept as given
    # 是非题 with 正确/不正确 is a 判断 item with the standard pair
    assert items[122].qtype is QType.TRUE_FALSE and items[122].options == ["正确", "错误"]
    assert not any(q.stem[:1].isdigit() for q in items.values())
    assert items[178].stem.startswith("关于安全生产监督管理工作机制")  # "178关于…"
    assert items[269].stem.startswith("粉尘爆炸本身")  # "269,粉尘…"
    assert items[188].stem.startswith("安全生产“三违”")  # numbered "88." by mistake
    assert items[201].stem.count("\n") == 0 and "铸造" in items[201].stem
    assert items[101].options[3] == "夏季最小频率风向被保护对象的下风侧"  # "**D夏季…", no separator
    assert items[294].options[1] == "心跳停止，尚有呼吸" and items[294].answer == "BCD"  # "***B:"
    assert len(items[169].options) == 3 and items[169].answer == "C"
    assert items[300].qtype is QType.MULTIPLE and items[300].answer == "ABCD"
    assert items[300].options == ["经过审批", "用毕立即拆除", "定期检查", "有专人负責"]


def test_import_principal_bank(bank, banks_dir):
    path = banks_dir / PRINCIPAL
    report = import_file(bank, path)
    assert data_rows(path) == 249
    assert (report.imported, report.duplicates, report.rejected) == (249, [], []), report.as_json()
    assert bank.stats()["by_type"] == {"判断": 109, "单选": 90, "多选": 50}
    last = by_row(bank)[250]
    assert last.stem == "职业健康监护档案的内容主要包括劳动者的职业史、（）。"
    assert last.options == ["劳动者家族病史", "职业病危害接触史", "职业健康检查结果", "职业病诊断资料"]
    assert last.answer == "BCD"


def test_duplicates_across_imports(bank, banks_dir):
    import_file(bank, banks_dir / MANAGER)
    second = import_file(bank, banks_dir / PRINCIPAL)
    assert second.duplicates and second.imported + len(second.duplicates) == 249
    assert bank.count() == 298 + second.imported
    for entry in second.duplicates:
        assert bank.get(entry["qid"]).origin.file == MANAGER
    again = import_file(bank, banks_dir / MANAGER)
    assert again.imported == 0 and len(again.duplicates) == 299


def test_default_roles_for_files_without_them(bank, banks_dir):
    import_file(bank, banks_dir / PRINCIPAL, roles=["主要负责人"])
    assert {tuple(q.roles) for q in bank.list()} == {("主要负责人",)}
    assert len(bank.list(roles="主要负责人")) == 249 and bank.list(roles="从业人员") == []


# -- bad rows ------------------------------------------------------------------------------------


def test_bad_template_rows_are_each_rejected_with_a_reason(bank, tmp_path):
    good = dict(题型="单选", 题干="危险化学品仓库应当设置（）。", 选项A="明显标志", 选项B="广告牌", 答案="A")
    rows = [
        template_row(**good),  # 2
        template_row(**{**good, "题干": ""}),  # 3
        template_row(**{**good, "题型": "填空"}),  # 4
        template_row(**{**good, "题干": "单选两个答案", "选项C": "围墙", "答案": "AB"}),  # 5
        template_row(**{**good, "题型": "多选", "题干": "多选一个答案", "答案": "A"}),  # 6
        template_row(**{**good, "题干": "答案超出选项", "答案": "C"}),  # 7
        template_row(**{**good, "题干": "只有一个选项", "选项B": ""}),  # 8
        template_row(**{**good, "题干": "选项重复", "选项B": "明显标志"}),  # 9
        template_row(题型="判断", 题干="判断题的选项不对", 选项A="可以", 选项B="不可以", 答案="A"),  # 10
        template_row(**{**good, "题干": "岗位未知", "适用岗位": "主要负责人、仓库保管员"}),  # 11
        template_row(**{**good, "题干": "企业类型未知", "企业类型": "餐饮"}),  # 12
        template_row(**{**good, "题干": "危险化学品仓库应当设置（ ）"}),  # 13: duplicate of row 2
        template_row(),  # 14: blank, skipped
        template_row(**{**good, "题干": "依据没有条号", "依据": "《安全生产法》"}),  # 15
        template_row(**{**good, "题干": "选项不连续", "选项B": "", "选项C": "广告牌"}),  # 16
        template_row(**{**good, "题干": "答案不是字母", "答案": "对的"}),  # 17
        template_row(题型="判断", 题干="判断题用正确错误作答。", 答案="正确"),  # 18: good, options filled in
    ]
    report = import_file(bank, write_xlsx(tmp_path / "bad.xlsx", TEMPLATE_COLUMNS, rows))
    reasons = {r["row"]: r["reason"] for r in report.rejected}
    expected = {
        3: "题干为空", 4: "题型“填空”无法识别", 5: "单选题答案应为 1 个字母", 6: "多选题答案应至少有 2 个字母",
        7: "超出了选项范围", 8: "至少需要 2 个选项", 9: "选项重复", 10: "判断题的选项只能是", 11: "仓库保管员",
        12: "餐饮", 15: "无法识别", 16: "须从 选项A 起连续填写", 17: "答案“对的”无法识别",
    }
    assert set(reasons) == set(expected), reasons
    for row, fragment in expected.items():
        assert fragment in reasons[row], (row, reasons[row])
    assert report.duplicates == [{"row": 13, "sheet": "Sheet1", "qid": bank.list()[0].qid}]
    assert report.imported == 2
    tf = by_row(bank)[18]
    assert tf.options == ["正确", "错误"] and tf.answer == "A"


def test_bad_platform_rows(bank, tmp_path):
    header = ["作业种类", "试题类型", "题目内容", "题目选项", "题目答案"]
    rows = [
        ["第一部分", "判断题", "1.好的一行。", "**A.正确**B.错误", "A"],
        ["第一部分", "判断题", "2.选项没有分隔符。", "A.正确B.错误", "A"],
        ["第一部分", "单选题", "3.字母顺序不对（）", "**A.甲**C.乙", "A"],
        ["第一部分", "问答题", "4.不支持的题型", "", "略"],
        ["第一部分", "是非题", "5.是非题选项倒序，答案随之对调。", "**A.错误**B.正确", "B"],
    ]
    report = import_file(bank, write_xlsx(tmp_path / "platform.xlsx", header, rows))
    reasons = {r["row"]: r["reason"] for r in report.rejected}
    assert set(reasons) == {3, 4, 5}, reasons
    assert "判断题的选项只能是" in reasons[3] and "无法识别" in reasons[4] and "问答题" in reasons[5]
    flipped = by_row(bank)[6]
    assert flipped.options == ["正确", "错误"] and flipped.answer == "A"


def test_unusable_files_raise_quiz_error(bank, tmp_path):
    with pytest.raises(QuizError, match=r"\.xlsx、\.csv、\.json"):
        import_file(bank, tmp_path / "bank.txt")
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(QuizError, match="另存为 .xlsx"):
        import_file(bank, legacy)
    with pytest.raises(QuizError, match="找不到文件"):
        import_file(bank, tmp_path / "missing.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(QuizError, match="无法读取 Excel 文件"):
        import_file(bank, fake)
    wrong = write_xlsx(tmp_path / "wrong.xlsx", ["序号", "问题", "答案"], [[1, "题目", "A"]])
    with pytest.raises(QuizError) as info:
        import_file(bank, wrong)
    message = str(info.value)
    assert "表头" in message and "题型" in message and "题干" in message and "试题类型" in message
    csv_path = tmp_path / "wrong.csv"
    csv_path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(QuizError, match="表头"):
        import_file(bank, csv_path)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json", encoding="utf-8")
    with pytest.raises(QuizError, match="JSON"):
        import_file(bank, bad_json)
    assert bank.count() == 0


def test_unknown_sheet_is_reported_not_fatal(bank, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(TEMPLATE_COLUMNS)
    ws.append(template_row(题型="判断", 题干="一道题。", 答案="A"))
    other = wb.create_sheet("统计")
    other.append(["部门", "人数"])
    wb.save(tmp_path / "two.xlsx")
    report = import_file(bank, tmp_path / "two.xlsx")
    assert report.imported == 1 and len(report.warnings) == 1 and "统计" in report.warnings[0]


def test_gb18030_csv_in_platform_format(bank, tmp_path):
    path = tmp_path / "gbk.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["作业种类", "试题类型", "题目内容", "题目选项", "题目答案"])
        writer.writerow(["第一部分", "单选题", "1.灭火器压力表指针在（）区表示正常。", "**A:绿色**B:红色**C:黄色", "A"])
    report = import_file(bank, path)
    assert report.imported == 1
    item = bank.list()[0]
    assert item.stem == "灭火器压力表指针在（）区表示正常。" and item.options == ["绿色", "红色", "黄色"]
    assert item.origin.sheet is None and item.origin.row == 2


def test_json_rows_are_checked(bank, tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([
        {"qtype": "单选", "stem": "好的题目（）", "options": ["甲", "乙"], "answer": "A", "roles": ["从业人员"]},
        {"qtype": "单选", "stem": "", "options": ["甲", "乙"], "answer": "A"},
        {"qtype": "多选", "stem": "多选一个答案", "options": ["甲", "乙"], "answer": "A"},
        {"qtype": "单选", "stem": "岗位未知", "options": ["甲", "乙"], "answer": "A", "roles": ["厨师"]},
        "not an object",
    ], ensure_ascii=False), encoding="utf-8")
    report = import_file(bank, path)
    assert report.imported == 1
    assert [r["row"] for r in report.rejected] == [2, 3, 4, 5]
    assert "题干" in report.rejected[0]["reason"] and "多选题" in report.rejected[1]["reason"]
    assert "厨师" in report.rejected[2]["reason"]
    item = bank.list()[0]
    assert item.origin.kind == "imported" and item.origin.file == "items.json" and item.origin.row == 1


# -- the template and the knowledge base ---------------------------------------------------------


def test_template_imports_with_basis_resolved(bank, tmp_path, hazchem_catalog):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    report = import_file(bank, path, catalog=hazchem_catalog)
    assert (report.imported, report.rejected, report.warnings) == (1, [], []), report.as_json()
    example = bank.list()[0]
    assert example.qtype is QType.MULTIPLE and example.answer == "ABC"
    assert example.roles == ["主要负责人", "安全管理人员"] and example.enterprise_types == ["危险化学品生产", "储存"]
    [basis] = example.basis
    assert (basis.law, basis.article_no) == ("危险化学品安全管理条例", 20)
    doc = hazchem_catalog.find_law("危险化学品安全管理条例")
    assert basis.unit_id == hazchem_catalog.article(doc.doc_id, 20).unit_id
    assert example.flags == [] and example.review is Review.APPROVED

    rows = [
        template_row(题型="判断", 题干="储存危险化学品的单位应当建立危险化学品出入库核查、登记制度。", 答案="正确",
                     依据="《危险化学品安全管理条例》第二十五条；《安全生产法》第一百零一条", 难度="易", 状态="待审核"),
        template_row(题型="判断", 题干="依据条号超出条例范围。", 答案="B", 依据="危化品条例第二百条"),
    ]
    more = import_file(bank, write_xlsx(tmp_path / "basis.xlsx", TEMPLATE_COLUMNS, rows), catalog=hazchem_catalog)
    assert more.imported == 2 and more.rejected == []
    first, second = [q for q in bank.list() if q.origin.file == "basis.xlsx"]
    assert [(b.law, b.article_no, bool(b.unit_id)) for b in first.basis] == [
        ("危险化学品安全管理条例", 25, True), ("安全生产法", 101, False)]
    assert first.flags == ["依据未在知识库中找到：《安全生产法》第一百零一条"]
    assert first.difficulty == 1 and first.review is Review.DRAFT
    assert second.flags == ["依据未在知识库中找到：《危化品条例》第二百条"]


def test_write_template_refuses_other_extensions(tmp_path):
    with pytest.raises(QuizError, match=".xlsx"):
        write_template(tmp_path / "模板.csv")


# -- round trips ---------------------------------------------------------------------------------


def signature(bank: QuestionBank) -> dict[str, tuple]:
    return {
        q.fingerprint(): (q.qid, q.qtype, q.stem, tuple(q.options), q.answer, q.explanation,
                          tuple((b.law, b.article_no, b.article_sub, b.unit_id) for b in q.basis), tuple(q.roles),
                          tuple(q.enterprise_types), tuple(q.topics), q.difficulty, q.review)
        for q in bank.list()
    }


@pytest.fixture
def rich_bank(bank, banks_dir, tmp_path, hazchem_catalog):
    """The real manager bank plus template items with every column used."""
    import_file(bank, banks_dir / MANAGER)
    rows = [
        template_row(题型="多选", 题干="带七个选项、换行和逗号的题目,\n第二行（）", 选项A="甲,乙", 选项B="乙",
                     选项C="丙", 选项D="丁", 选项E="戊", 选项F="己", 答案="ACF", 解析="解析，含逗号\n和换行",
                     依据="《危险化学品安全管理条例》第二十条；《危险化学品安全管理条例》第二十四条",
                     适用岗位="主要负责人、从业人员", 企业类型="经营（带储存）、加油站", 难度="3", 主题="储存、仓库",
                     状态="已停用"),
        template_row(题型="判断", 题干="数字开头 3.5 米以上的题目。", 答案="B", 难度="1", 状态="待审核"),
    ]
    report = import_file(bank, write_xlsx(tmp_path / "extra.xlsx", TEMPLATE_COLUMNS, rows), catalog=hazchem_catalog)
    assert report.imported == 2, report.as_json()
    seven = bank.list(topics="仓库")[0]
    seven.options[1] = "=1+1"  # Excel would take it for a formula
    seven.options.append("庚")
    bank.update(seven)
    assert bank.count() == 300
    return bank


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_export_then_import_gives_the_same_bank(rich_bank, new_bank, tmp_path, suffix, hazchem_catalog):
    path = tmp_path / f"export{suffix}"
    assert export_file(rich_bank, path) == 300
    copy = new_bank("copy" + suffix.strip("."))
    report = import_file(copy, path, catalog=hazchem_catalog)
    assert (report.imported, report.duplicates, report.rejected) == (300, [], []), report.as_json()
    assert signature(copy) == signature(rich_bank)
    assert [q.qid for q in copy.list()] == [q.qid for q in rich_bank.list()]  # same order
    seven = copy.list(topics="仓库")[0]
    assert len(seven.options) == 7 and seven.options[1] == "=1+1"
    assert seven.enterprise_types == ["经营(带储存)", "加油站"]
    if suffix == ".json":
        assert [q.origin for q in copy.list()] == [q.origin for q in rich_bank.list()]
        assert [q.flags for q in copy.list()] == [q.flags for q in rich_bank.list()]


def test_export_filters_and_columns(rich_bank, tmp_path):
    path = tmp_path / "tf.csv"
    n = export_file(rich_bank, path, qtype="判断", review="approved")
    assert n == 129
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    assert records[0][:3] == ["题型", "题干", "选项A"] and records[0][-1] == "编号"
    assert len(records) == 130 and {r[0] for r in records[1:]} == {"判断"}
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    with pytest.raises(QuizError, match="不支持"):
        export_file(rich_bank, tmp_path / "bank.docx")
