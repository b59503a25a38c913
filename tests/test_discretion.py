"""A bureau's 裁量基准 (corpus.violations.discretion): reading .xlsx and .docx tables, attaching tiers to the violation
catalog by citation, rejecting bad lines by row number, refusing bad files, and keeping what is stored.

The catalog holds the real texts of 《危险化学品安全法》 and 《安全生产法》, copied from the built-in laws.db into a
small one, so each test builds its catalog in a fraction of a second on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "docs" / "samples"
HAZCHEM = "中华人民共和国危险化学品安全法"
SAFETY = "中华人民共和国安全生产法"

# Lines the committed sample does not have: each is rejected for its own reason.
BAD = [
    ("未按规定处置废弃危险化学品", "", "依照有关法律、法规的规定处罚", [("一般", "", "处1万元以下的罚款")]),
    ("危险化学品生产企业未提供化学品安全技术说明书", "《危险化学品安全管理条例》第十五条",
     "《危险化学品安全管理条例》第七十八条第一款第（三）项", [("一般", "", "处5万元以下的罚款")]),
    ("安全警示标志不全", "《安全生产法》第三十五条", "《安全生产法》第九十九条第（十二）项",
     [("一般", "", "处1万元以下的罚款")]),
    ("未为从业人员提供符合国家标准或者行业标准的劳动防护用品", "《安全生产法》第四十五条",
     "《安全生产法》第九十九条第（五）项", [("一般", "", "处罚款若干")]),
]
BAD_REASONS = ("没有可识别的条文引用", "知识库中没有《危险化学品安全管理条例》", "没有第（十二）项", "罚款数额无法识别")


def _load_sample_module():
    spec = importlib.util.spec_from_file_location("make_discretion_sample", SAMPLES / "make_discretion_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = _load_sample_module()


@pytest.fixture(scope="session")
def mini_laws_db(tmp_path_factory) -> Path:
    """A laws.db holding only 危险化学品安全法 and 安全生产法 (the real texts of the built-in one)."""
    from corpus.errors import IngestError
    from ingest.lawsdb import default_laws_db

    try:
        source = default_laws_db()
    except IngestError as exc:
        pytest.skip(f"built-in laws.db not installed: {exc}")
    target = tmp_path_factory.mktemp("laws") / "mini.db"
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE type = 'table'"):
            dst.execute(sql)
        ids = [r[0] for r in src.execute("SELECT law_id FROM laws WHERE law_name IN (?, ?) AND status = '现行有效'",
                                         (HAZCHEM, SAFETY))]
        assert len(ids) == 2, ids
        for table in ("laws", "articles"):
            rows = src.execute(f"SELECT * FROM {table} WHERE law_id IN (?, ?)", ids).fetchall()
            dst.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    return target


@pytest.fixture
def laws(any_catalog, mini_laws_db):
    """The catalog (SQLite, and PostgreSQL when one runs) with the two laws and their violation rows."""
    from corpus.violations import ViolationStore
    from ingest.builtin import load_builtin

    load_builtin(any_catalog, mini_laws_db)
    ViolationStore(any_catalog).sync()
    return any_catalog


def row_of(catalog, law: str, article: int, item: int | None, para: int = 1):
    from corpus.violations import ViolationStore

    found = [r for r in ViolationStore(catalog).rows(law=law)
             if r.article_no == article and r.para == para and r.item == item]
    assert len(found) == 1, (law, article, para, item)
    return found[0]


def tier_count(catalog) -> int:
    from sqlalchemy import func, select

    from corpus import schema

    with catalog.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.discretion_tiers)).scalar()


def stored_ids(catalog) -> list[int]:
    from sqlalchemy import select

    from corpus import schema

    with catalog.engine.connect() as conn:
        return sorted(conn.execute(select(schema.discretion_tiers.c.id)).scalars())


def span(tier) -> tuple[float | None, float | None]:
    """A tier's main fine as (min, max)."""
    assert tier.fine is not None, tier
    return tier.fine["min"], tier.fine["max"]


def write(kind: str, path: Path, behaviours=None) -> list[int]:
    writer = sample.write_xlsx if kind == "xlsx" else sample.write_docx
    return writer(path, sample.BEHAVIOURS if behaviours is None else behaviours)


# -- the sample attaches to the right rows ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_sample_tiers_attach_to_their_rows(laws, tmp_path, kind):
    from corpus.violations.discretion import import_discretion, tiers_for

    path = tmp_path / f"裁量基准.{kind}"
    numbers = write(kind, path)
    report = import_discretion(laws, path)
    assert report.status == "imported" and report.ok
    assert (report.lines, report.tiers, report.rows) == (12, 12, 5)
    assert report.rejected == [] and report.warnings == []
    assert report.sample and report.title == sample.TITLE

    signs = row_of(laws, HAZCHEM, 101, 10)
    tiers = tiers_for(laws, signs)
    assert [t.level for t in tiers] == ["轻微", "一般", "严重"]
    assert [span(t) for t in tiers] == [(None, 30000), (30000, 100000), (150000, 200000)]
    assert [t.line for t in tiers] == numbers[3:6]
    assert all(t.row_id == signs.row_id and t.para == 1 and t.item == 10 for t in tiers)
    assert tiers[0].row_cite == "《中华人民共和国危险化学品安全法》第一百零一条第一款第（十）项"
    assert "第三十七条第二款" in tiers[0].basis and "安全警示标志" in tiers[0].behaviour
    assert "\n" in tiers[0].cited  # the two-line 处罚依据 cell, as written
    # the person fined in the 严重 tier is kept apart from the unit's fine
    assert any(f["target"] and f["max"] == 50000 for f in tiers[2].fines)
    assert tiers[2].sample and tiers[2].file == path.name

    assert [t.level for t in tiers_for(laws, row_of(laws, HAZCHEM, 101, 1))] == ["轻微", "一般", "严重"]
    assert [t.level for t in tiers_for(laws, row_of(laws, HAZCHEM, 101, 12))] == ["一般", "较重"]
    # 安全生产法 has one 款: cited without it, and in Arabic numerals (第99条第3项)
    assert [t.level for t in tiers_for(laws, row_of(laws, SAFETY, 99, 1))] == ["第一阶次", "第二阶次"]
    maintenance = tiers_for(laws, row_of(laws, SAFETY, 99, 3).row_id)
    assert [t.fine_label() for t in maintenance] == ["2万元以下", "10万元–20万元"]
    assert tiers_for(laws, row_of(laws, SAFETY, 99, 5)) == []
    assert tiers_for(laws, row_of(laws, HAZCHEM, 101, 2)) == []


def test_committed_samples_import_cleanly(laws):
    from corpus.violations.discretion import import_discretion

    for name in ("裁量基准样例.xlsx", "裁量基准样例.docx"):
        report = import_discretion(laws, SAMPLES / name)
        assert report.status == "imported", report.as_json()
        assert (report.lines, report.tiers, report.rejected) == (12, 12, [])
        assert report.sample and "样例" in (report.title or "")


def test_committed_samples_are_what_the_script_writes(tmp_path):
    """docs/samples holds the script's output: same cells, merges and title (bytes differ across library versions)."""
    import docx
    from openpyxl import load_workbook

    def xlsx_content(path):
        sheet = load_workbook(path).worksheets[0]
        return list(sheet.iter_rows(values_only=True)), sorted(str(r) for r in sheet.merged_cells.ranges)

    def docx_content(path):
        document = docx.Document(str(path))
        return [p.text for p in document.paragraphs], [[c.text for c in r.cells] for r in document.tables[0].rows]

    for suffix, content in ((".xlsx", xlsx_content), (".docx", docx_content)):
        fresh = tmp_path / f"{sample.NAME}{suffix}"
        write(suffix[1:], fresh)
        assert content(fresh) == content(SAMPLES / fresh.name), fresh.name
    rows, merged = xlsx_content(SAMPLES / "裁量基准样例.xlsx")
    assert rows[0][0] == "样例（非正式裁量基准，仅供测试）" and "不得用于执法" in rows[1][0]
    assert "A1:G1" in merged and len(rows) == 3 + 12


# -- re-import, replace, remove ---------------------------------------------------------------------------

def test_reimport_of_an_unchanged_file_changes_nothing(laws, tmp_path):
    from corpus.violations.discretion import import_discretion

    path = tmp_path / "裁量基准.xlsx"
    write("xlsx", path, sample.BEHAVIOURS + BAD)
    first = import_discretion(laws, path)
    ids = stored_ids(laws)
    again = import_discretion(laws, path)
    assert again.status == "unchanged" and again.ok
    assert stored_ids(laws) == ids
    # the report of an unchanged file still lists what was rejected the first time
    assert (again.lines, again.tiers, again.rejected) == (first.lines, first.tiers, first.rejected)
    copy = tmp_path / "副本.xlsx"
    copy.write_bytes(path.read_bytes())
    same = import_discretion(laws, copy)
    assert same.status == "unchanged" and same.same_as == str(path.resolve())
    assert stored_ids(laws) == ids


def test_a_changed_file_replaces_its_tiers_only(laws, tmp_path):
    from corpus.violations.discretion import import_discretion, tiers_for

    other = tmp_path / "另一份.docx"
    write("docx", other)
    path = tmp_path / "裁量基准.xlsx"
    write("xlsx", path)
    assert import_discretion(laws, other).tiers == 12
    assert import_discretion(laws, path).tiers == 12

    behaviour, basis, penalty, levels = sample.BEHAVIOURS[0]
    changed = [(behaviour, basis, penalty, [(levels[0][0], levels[0][1], "责令限期改正，可以处1万元以下的罚款")])]
    write("xlsx", path, changed)
    report = import_discretion(laws, path)
    assert report.status == "replaced" and report.replaced == 12 and report.tiers == 1
    assert tier_count(laws) == 13

    labels = row_of(laws, HAZCHEM, 101, 1)
    mine = [t for t in tiers_for(laws, labels) if t.file == path.name]
    assert [(t.level, span(t)[1]) for t in mine] == [("轻微", 10000)]
    signs = tiers_for(laws, row_of(laws, HAZCHEM, 101, 10))
    assert {t.file for t in signs} == {other.name}  # the other file's tiers are untouched


def test_a_file_changed_into_a_copy_of_another_keeps_one_copy(laws, tmp_path):
    from corpus.violations.discretion import discretion_files, import_discretion

    first, second = tmp_path / "甲.xlsx", tmp_path / "乙.xlsx"
    write("xlsx", first)
    write("xlsx", second, sample.BEHAVIOURS[:1])
    import_discretion(laws, first)
    import_discretion(laws, second)
    first.write_bytes(second.read_bytes())
    report = import_discretion(laws, first)
    assert report.status == "unchanged" and report.same_as == str(second.resolve()) and report.replaced == 12
    assert tier_count(laws) == 3 and [f["file"] for f in discretion_files(laws)] == [second.name]


def test_remove_discretion(laws, tmp_path):
    from corpus.errors import NotFoundError
    from corpus.violations.discretion import discretion_files, import_discretion, remove_discretion, tiers_for

    path = tmp_path / "裁量基准.xlsx"
    write("xlsx", path)
    import_discretion(laws, path)
    assert [f["file"] for f in discretion_files(laws)] == [path.name]
    assert remove_discretion(laws, path.name) == 12
    assert tier_count(laws) == 0 and discretion_files(laws) == []
    assert tiers_for(laws, row_of(laws, HAZCHEM, 101, 10)) == []
    with pytest.raises(NotFoundError, match="没有导入过"):
        remove_discretion(laws, path)
    # removed, it is imported again
    assert import_discretion(laws, path).status == "imported"


# -- bad lines ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_bad_lines_are_reported_by_row_and_good_lines_stored(laws, tmp_path, kind):
    from corpus.violations.discretion import import_discretion

    path = tmp_path / f"裁量基准.{kind}"
    numbers = write(kind, path, sample.BEHAVIOURS + BAD)
    report = import_discretion(laws, path)
    assert report.status == "imported" and (report.lines, report.tiers) == (16, 12)
    assert [e["row"] for e in report.rejected] == numbers[12:]
    for entry, reason in zip(report.rejected, BAD_REASONS):
        assert reason in entry["reason"], entry
    assert tier_count(laws) == 12


def test_a_file_without_one_good_line_keeps_what_was_stored(laws, tmp_path):
    from corpus.violations.discretion import import_discretion, tiers_for

    path = tmp_path / "裁量基准.xlsx"
    write("xlsx", path)
    import_discretion(laws, path)
    ids = stored_ids(laws)
    write("xlsx", path, BAD)
    report = import_discretion(laws, path)
    assert report.status == "rejected" and not report.ok and report.tiers == 0
    assert len(report.rejected) == 4
    assert stored_ids(laws) == ids
    assert len(tiers_for(laws, row_of(laws, SAFETY, 99, 1))) == 2
    # the file is not recorded as imported: fixed, it imports
    write("xlsx", path, sample.BEHAVIOURS[:1])
    assert import_discretion(laws, path).status == "replaced"


def test_a_failed_write_stores_nothing(laws, tmp_path, monkeypatch):
    from corpus.violations import discretion

    path = tmp_path / "裁量基准.xlsx"
    write("xlsx", path)
    discretion.import_discretion(laws, path)
    ids = stored_ids(laws)
    write("xlsx", path, sample.BEHAVIOURS[:2])

    def broken(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(discretion, "_file_record", broken)
    with pytest.raises(RuntimeError):
        discretion.import_discretion(laws, path)
    # the old tiers were deleted and the new ones inserted inside the transaction that rolled back
    assert stored_ids(laws) == ids
    monkeypatch.undo()
    assert discretion.import_discretion(laws, path).tiers == 6


def test_lines_citing_what_the_catalog_cannot_match(laws, tmp_path):
    """Each citation problem has its own reason; a fine above the statutory maximum is stored with a warning."""
    from corpus.violations.discretion import import_discretion

    lines = [
        ("x", "", "《安全生产法》第三十五条", [("一般", "", "处1万元以下的罚款")]),  # an obligation, not a penalty
        ("x", "", "《安全生产法》第九十九条", [("一般", "", "处1万元以下的罚款")]),  # has 项: which one?
        ("x", "", "《危险化学品安全法》第一百条", [("一般", "", "处10万元以下的罚款")]),  # three 款: which one?
        ("x", "", "《危险化学品安全法》第一百零一条第五款第（一）项", [("一般", "", "处1万元以下的罚款")]),
        ("x", "", "《安全生产法》第九百条", [("一般", "", "处1万元以下的罚款")]),
        ("x", "", "《安全生产法》第九十九条第（一）项", [("一般", "", "处3万元以上1万元以下的罚款")]),
        ("x", "", "《安全生产法》第九十九条第（二）项", [("严重", "", "处30万元以上40万元以下的罚款")]),
    ]
    path = tmp_path / "x.xlsx"
    numbers = write("xlsx", path, lines)
    report = import_discretion(laws, path)
    reasons = {e["row"]: e["reason"] for e in report.rejected}
    assert "不是罚则条文" in reasons[numbers[0]]
    assert "未写明第几项" in reasons[numbers[1]]
    assert "未写明第几款" in reasons[numbers[2]]
    assert "只有三款，没有第五款" in reasons[numbers[3]]
    assert "没有第九百条" in reasons[numbers[4]]
    assert "下限" in reasons[numbers[5]] and "高于上限" in reasons[numbers[5]]
    assert report.tiers == 1 and numbers[6] not in reasons
    assert [w["row"] for w in report.warnings] == [numbers[6]] and "超过" in report.warnings[0]["reason"]


# -- table layouts -----------------------------------------------------------------------------------------

def test_header_variants_headings_and_continued_lines(laws, tmp_path):
    """A two-row header with other column names, a section heading naming the law, a combined 法律依据 cell,
    tiers listed in one cell, continuation lines left blank instead of merged, fines written as ranges."""
    from openpyxl import Workbook

    from corpus.violations.discretion import import_discretion, tiers_for

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "安全生产"
    sheet.append(["某局安全生产行政处罚裁量基准"])
    sheet.append(["编号", "违法行为名称", "法律依据", None, "违法情节", "裁量标准", "备注"])
    sheet.append([None, None, "违法依据", "处罚依据", None, None, None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet.merge_cells("E2:E3")
    sheet.merge_cells("F2:F3")
    sheet.merge_cells("G2:G3")
    sheet.append(["一、安全生产法"])  # row 4: a heading naming the law of the lines below
    sheet.merge_cells("A4:G4")
    sheet.append([1, "未设置安全警示标志", "第三十五条", "第九十九条第（一）项", "轻微", "罚款1-2万元", None])  # 5
    sheet.append([None, None, None, None, "严重", "处5万元—10万元的罚款", None])  # 6: blank, not merged
    sheet.append([2, "未对安全设备维护保养", "第三十六条", "第九十九条第（三）项", None,
                  "1.情节轻微的，处1万元以下罚款；\n2.情节严重的，处5万元以上20万元以下罚款", "两档"])  # 7
    sheet.append(["二、危险化学品安全法"])  # 8
    sheet.merge_cells("A8:G8")
    sheet.append([3, "未设置管道标志", "违法依据：《危险化学品安全法》第二十八条第二款\n处罚依据：《危险化学品安全法》"
                  "第一百零一条第（四）项", None, "一般", "处3万元以下的罚款", None])  # 9: one combined cell
    sheet.merge_cells("C9:D9")
    sheet.append(["注：本表仅用于测试。"])  # 10: a note
    path = tmp_path / "variants.xlsx"
    book.save(path)

    report = import_discretion(laws, path)
    assert report.rejected == [] and (report.lines, report.tiers) == (4, 5), report.as_json()
    assert report.title == "某局安全生产行政处罚裁量基准" and not report.sample
    signs = tiers_for(laws, row_of(laws, SAFETY, 99, 1))
    assert [(t.level, *span(t), t.line) for t in signs] == [
        ("轻微", 10000, 20000, 5), ("严重", 50000, 100000, 6)]
    assert signs[1].behaviour == "未设置安全警示标志" and signs[1].number == "1"
    upkeep = tiers_for(laws, row_of(laws, SAFETY, 99, 3))
    assert [(t.level, span(t)[1]) for t in upkeep] == [("轻微", 10000), ("严重", 200000)]
    assert upkeep[0].note == "两档"
    pipes = tiers_for(laws, row_of(laws, HAZCHEM, 101, 4))
    assert [(t.level, span(t)[1], t.basis.startswith("违法依据")) for t in pipes] == [("一般", 30000, True)]


def test_a_header_whose_first_row_names_a_group(laws, tmp_path):
    """处罚依据 and the tiers under a group heading: 裁量 over 阶次 | 处罚标准."""
    from openpyxl import Workbook

    from corpus.violations.discretion import import_discretion

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["安全生产行政处罚裁量基准"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "违法行为", "处罚依据", "裁量", None])
    sheet.append([None, None, None, "阶次", "处罚标准"])
    for column in "ABC":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    sheet.append([1, "未设置安全警示标志", "《安全生产法》第九十九条第（一）项", "第一阶次", "处1万元以下的罚款"])
    path = tmp_path / "group.xlsx"
    book.save(path)
    report = import_discretion(laws, path)
    assert (report.lines, report.tiers, report.rejected) == (1, 1, [])
    assert report.title == "安全生产行政处罚裁量基准"


def _word_table(document, texts: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=len(texts), cols=len(texts[0]))
    for row, values in zip(table.rows, texts):
        for cell, text in zip(row.cells, values):
            cell.text = text


def test_word_table_continued_without_header(laws, tmp_path):
    """A Word table split into two tables, the second without a header, is read as one."""
    import docx

    from corpus.violations.discretion import import_discretion

    document = docx.Document()
    document.add_paragraph("裁量基准")
    _word_table(document, [("违法行为", "处罚依据", "阶次", "处罚标准"),
                           ("未设置标志", "《安全生产法》第九十九条第（一）项", "一般", "处1万元以下的罚款")])
    document.add_paragraph("")
    _word_table(document, [("未维护保养", "《安全生产法》第九十九条第（三）项", "一般", "处2万元以下罚款"),
                           ("x", "《安全生产法》第九十九条第（九）项", "一般", "处2万元以下罚款")])
    path = tmp_path / "split.docx"
    document.save(str(path))
    report = import_discretion(laws, path)
    assert report.sheets == ["表1", "表2"] and report.tiers == 2
    assert report.rejected == [{"sheet": "表2", "row": 2, "reason": report.rejected[0]["reason"]}]
    assert "没有第（九）项" in report.rejected[0]["reason"]


# -- bad files ---------------------------------------------------------------------------------------------

def _not_a_table(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.worksheets[0].append(["题型", "题干", "答案"])
    book.worksheets[0].append(["判断", "危险化学品应当储存在专用仓库内。", "正确"])
    book.save(path)


def _no_standard_column(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.worksheets[0].append(["序号", "违法行为", "处罚依据", "阶次"])
    book.worksheets[0].append([1, "未设置标志", "《安全生产法》第九十九条第（一）项", "一般"])
    book.save(path)


def _docx_without_table(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("违法行为：未设置安全警示标志。处罚依据：《安全生产法》第九十九条第（一）项。")
    document.save(str(path))


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504

BAD_FILES = [
    ("旧版.doc", lambda p: p.write_bytes(OLE), "旧版 Word 97-2003（.doc）"),
    ("旧版.xls", lambda p: p.write_bytes(OLE), "旧版 Excel 97-2003（.xls）"),
    ("加密.xlsx", lambda p: p.write_bytes(OLE), "设置了打开密码"),
    ("损坏.xlsx", lambda p: p.write_bytes((SAMPLES / "裁量基准样例.xlsx").read_bytes()[:3000]), "文件已损坏"),
    ("随机.xlsx", lambda p: p.write_bytes(b"not a workbook at all"), "文件已损坏或不是真正的 .xlsx"),
    ("空.xlsx", lambda p: p.write_bytes(b""), "文件是空的"),
    ("题库.xlsx", _not_a_table, "不是裁量基准表"),
    ("缺列.xlsx", _no_standard_column, "缺少“处罚标准”列"),
    ("无表格.docx", _docx_without_table, "没有任何表格"),
    ("扫描件.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n"), "PDF"),
    ("表格.csv", lambda p: p.write_text("违法行为,处罚依据\n", encoding="utf-8"), "不支持“.csv”"),
]


def test_bad_files_are_refused_and_nothing_is_lost(laws, tmp_path):
    from corpus.violations.discretion import DiscretionError, discretion_files, import_discretion

    good = tmp_path / "裁量基准.xlsx"
    write("xlsx", good)
    import_discretion(laws, good)
    ids, files = stored_ids(laws), discretion_files(laws)
    for name, make, message in BAD_FILES:
        path = tmp_path / name
        make(path)
        with pytest.raises(DiscretionError) as caught:
            import_discretion(laws, path)
        assert message in str(caught.value) and name in str(caught.value), (name, str(caught.value))
    # the good file, overwritten with a broken one, keeps its tiers
    good.write_bytes(OLE)
    with pytest.raises(DiscretionError, match="设置了打开密码"):
        import_discretion(laws, good)
    with pytest.raises(DiscretionError, match="找不到文件"):
        import_discretion(laws, tmp_path / "没有这个文件.xlsx")
    with pytest.raises(DiscretionError, match="是一个目录"):
        import_discretion(laws, tmp_path)
    assert stored_ids(laws) == ids and discretion_files(laws) == files


def test_a_renamed_file_is_read_by_its_content(laws, tmp_path):
    from corpus.violations.discretion import import_discretion

    path = tmp_path / "其实是Word.xlsx"
    write("docx", path)
    assert import_discretion(laws, path).tiers == 12


# -- the command line --------------------------------------------------------------------------------------

def _hazkb(home: Path, laws_db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    env["HAZKB_LAWS_DB"] = str(laws_db)
    return subprocess.run([sys.executable, "-m", "ui.cli", "--home", str(home), *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT)


def test_cli_import_and_tiers(tmp_path, mini_laws_db):
    home = tmp_path / "home"
    path = tmp_path / "裁量基准.xlsx"
    numbers = write("xlsx", path, sample.BEHAVIOURS + BAD)

    done = _hazkb(home, mini_laws_db, "violations", "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["status"], report["lines"], report["tiers"]) == ("imported", 16, 12)
    assert [e["row"] for e in report["rejected"]] == numbers[12:]

    again = _hazkb(home, mini_laws_db, "violations", "import", str(path))
    assert again.returncode == 0, again.stderr
    assert "文件未变化" in again.stdout and f"第 {numbers[12]} 行" in again.stdout and "样例" in again.stdout

    rows = json.loads(_hazkb(home, mini_laws_db, "violations", "list", "--law", "安全生产法", "--json").stdout)
    row_id = next(r["id"] for r in rows if r["penalty"]["article_no"] == 99 and r["penalty"]["item"] == 1)
    shown = _hazkb(home, mini_laws_db, "violations", "tiers", row_id, "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["row"]["id"] == row_id
    assert [(t["level"], t["fine_label"]) for t in data["tiers"]] == [("第一阶次", "1万元以下"),
                                                                      ("第二阶次", "5万元–10万元")]
    text = _hazkb(home, mini_laws_db, "violations", "tiers", row_id).stdout
    assert "第一阶次：责令限期改正，处1万元以下的罚款" in text and "不得用于执法" in text

    broken = tmp_path / "加密.xlsx"
    broken.write_bytes(OLE)
    refused = _hazkb(home, mini_laws_db, "violations", "import", str(broken))
    assert refused.returncode == 1 and "设置了打开密码" in refused.stderr
    all_bad = tmp_path / "全错.xlsx"
    write("xlsx", all_bad, BAD)
    nothing = _hazkb(home, mini_laws_db, "violations", "import", str(all_bad))
    assert nothing.returncode == 1 and "没有一行可以导入" in nothing.stdout
    missing = _hazkb(home, mini_laws_db, "violations", "tiers", "no-such-row")
    assert missing.returncode == 1 and "没有编号为" in missing.stderr
