"""The violation catalog: rows parsed from penalty provisions, stored and rebuilt with their documents, obligation
links (cited, reviewed, wording), coverage of the core laws counted independently, quotes verbatim."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from corpus.names import normalize_title
from corpus.violations import (
    KIND_OFFICIALS,
    KIND_OTHER,
    KIND_PENALTY,
    KIND_REFERRAL,
    LINK_EXPLICIT,
    LINK_REVIEWED,
    LINK_SELF,
    ViolationStore,
    build_rows,
)
from corpus.violations.departments import DEPARTMENT_COLUMNS, DepartmentTableError, read_departments
from corpus.violations.links import REVIEWED, read_reviewed
from corpus.violations.referrals import REFERRAL_COLUMNS, REFERRALS, ReferralTableError, read_referrals
from ingest.pipeline import ingest_paths

ROOT = Path(__file__).resolve().parents[1]

LAW = """# 某省危险物品安全条例

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本条例。

第二条 储存危险物品的单位应当设置明显的安全警示标志。

第三条 储存危险物品的单位应当建立出入库登记制度，如实记录出入库数量。

## 第二章 法律责任

第四条 有下列情形之一的，由应急管理部门责令限期改正，可以处五万元以下的罚款；\
逾期未改正的，处五万元以上十万元以下的罚款：

（一）储存危险物品的单位未设置明显的安全警示标志的；

（二）违反本条例第三条规定，未建立出入库登记制度的。

从事仓储经营的港口经营人有前款规定情形的，由港口行政管理部门依照前款规定予以处罚。

第五条 未取得经营许可证从事危险物品经营的，由应急管理部门责令停止经营活动，没收违法所得，\
并处十万元以上二十万元以下的罚款；构成犯罪的，依法追究刑事责任。

转让经营许可证的，依照本条例第五条的规定处罚。

第六条 未依法取得危险货物道路运输许可从事运输的，依照《中华人民共和国道路运输条例》的规定处罚。

第七条 监督管理部门的工作人员滥用职权、玩忽职守的，依法给予处分。
"""


def _store_law(catalog, tmp_path: Path, text: str = LAW) -> Path:
    path = tmp_path / "src" / "某省危险物品安全条例.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    assert ingest_paths(catalog, [path]).ok
    return path


def _rows(store: ViolationStore) -> dict[tuple[int, int, int | None], object]:
    return {(r.article_no, r.para, r.item): r for r in store.rows()}


def test_rows_of_items_paragraphs_referrals_and_officials(any_catalog, tmp_path):
    _store_law(any_catalog, tmp_path)
    rows = _rows(ViolationStore(any_catalog))
    assert set(rows) == {(4, 1, 1), (4, 1, 2), (4, 2, None), (5, 1, None), (5, 2, None), (6, 1, None), (7, 1, None)}

    sign = rows[(4, 1, 1)]
    assert sign.item_quote == "（一）储存危险物品的单位未设置明显的安全警示标志的；"
    assert sign.clause_quote.startswith("有下列情形之一的，由应急管理部门责令限期改正")
    assert sign.label == "第四条第一款第（一）项" and sign.department == "应急管理部门" and sign.kind == KIND_PENALTY
    assert sign.fine == {"min": 0.0, "max": 100000.0, "unit": "元", "basis": None}
    assert {"责令改正", "罚款"} <= set(sign.sanctions.names())
    assert [(o.article_no, o.link) for o in sign.obligations] == [(2, "wording")]  # "设置明显的安全警示标志"

    record = rows[(4, 1, 2)]
    assert [(o.article_no, o.link) for o in record.obligations] == [(3, LINK_EXPLICIT)]
    assert "如实记录出入库数量" in record.obligations[0].quote

    port = rows[(4, 2, None)]
    assert port.variant and port.department == "港口行政管理部门" and port.sanctions.fines  # the 款 before's fine

    trade = rows[(5, 1, None)]
    assert trade.behaviour == "未取得经营许可证从事危险物品经营的"
    assert trade.sanctions.confiscate and trade.sanctions.criminal and trade.fine["max"] == 200000.0
    transfer = rows[(5, 2, None)]  # "依照本条例第五条的规定处罚": the sanctions of 第五条
    assert transfer.sanctions.fines == trade.sanctions.fines and transfer.department == "应急管理部门"

    referral = rows[(6, 1, None)]
    assert referral.kind == KIND_REFERRAL and referral.sanctions.referral == "《道路运输条例》"
    assert rows[(7, 1, None)].kind == KIND_OFFICIALS and rows[(7, 1, None)].subject == "国家机关及其工作人员"


def test_a_reference_in_arabic_numerals_takes_the_sanctions_too(catalog, tmp_path):
    """Bureau documents write article numbers as digits: "依照本条例第5条的规定处罚" reads as 第五条 does."""
    _store_law(catalog, tmp_path, LAW.replace("依照本条例第五条的规定处罚", "依照本条例第5条的规定处罚"))
    rows = _rows(ViolationStore(catalog))
    assert rows[(5, 2, None)].sanctions.fines == rows[(5, 1, None)].sanctions.fines


def test_rows_follow_their_document(any_catalog, tmp_path):
    """Ingested: rows built; unchanged: nothing rebuilt; changed: its rows replaced; removed: its rows gone."""
    path = _store_law(any_catalog, tmp_path)
    store = ViolationStore(any_catalog)
    assert store.count() == 7
    assert store.sync() == {"documents": 0, "rows": 0, "dropped": 0}
    path.write_text(LAW.replace("第七条 监督管理部门",
                                "第八条 经营单位未如实记录的，处一万元以下的罚款。\n\n第七条 监督管理部门"),
                    encoding="utf-8")
    assert ingest_paths(any_catalog, [path]).ok
    assert store.count() == 8 and (8, 1, None) in _rows(store)
    doc = any_catalog.documents()[0]
    any_catalog.remove(doc.doc_id)
    assert store.count() == 0 and store.sync()["documents"] == 0


def test_rows_survive_a_failed_write(catalog, tmp_path, monkeypatch):
    """A rebuild that fails leaves the previous rows of that document (one transaction per document)."""
    from corpus.errors import StoreError
    from corpus.violations import store as store_module

    _store_law(catalog, tmp_path)
    store = ViolationStore(catalog)
    before = [r.row_id for r in store.rows()]
    monkeypatch.setattr(store_module, "builder_id", lambda: "another-builder")

    def broken(row, seq):
        raise ValueError("simulated failure while writing")

    monkeypatch.setattr(store_module, "_record", broken)
    with pytest.raises((StoreError, ValueError)):
        store.sync()
    assert [r.row_id for r in store.rows()] == before


# -- the full corpus: the core laws --------------------------------------------------------------------------

CORE = ("危险化学品安全法", "危险化学品安全管理条例", "安全生产法", "生产安全事故应急条例",
        "生产安全事故报告和调查处理条例", "安全生产许可证条例", "特种设备安全法", "消防法", "职业病防治法",
        "易制毒化学品管理条例")
PENALTY_CHAPTER = re.compile(r"法律责任|罚则")


def _checker():
    """The standalone gold checker's law-text reader (eval/gold/check_answers.py): an independent parser."""
    spec = importlib.util.spec_from_file_location("check_answers", ROOT / "eval" / "gold" / "check_answers.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def core_rows(full_settings):
    from corpus.catalog import open_catalog

    catalog = open_catalog(full_settings)
    store = ViolationStore(catalog)
    store.sync()
    rows = {}
    for law in CORE:
        doc = catalog.find_law(law)
        rows[law] = store.rows(doc_ids=[doc.doc_id])
    yield catalog, rows
    catalog.close()


@pytest.fixture(scope="module")
def law_texts(shared_dir):
    checker = _checker()
    laws = checker.load_lawsdb(checker.default_lawsdb())
    laws.update(checker.load_markdown(shared_dir / "corpus" / "regulations"))
    return {normalize_title(title): articles for title, articles in laws.items()}


def test_every_item_of_the_core_penalty_articles_has_a_row(core_rows, law_texts):
    """Counted independently: every 项 of a 款 of a 法律责任 article, read by the gold checker's own parser."""
    _catalog, rows = core_rows
    counted = 0
    for law in CORE:
        have = {(r.article_no, r.para, r.item) for r in rows[law]}
        for (number, _sub), article in law_texts[law].items():
            if not PENALTY_CHAPTER.search(article["chapter"]):
                continue
            for p, para in enumerate(article["paras"], start=1):
                for item in para["items"]:
                    counted += 1
                    assert (number, p, item) in have, f"{law} 第{number}条第{p}款第{item}项 has no row"
    assert counted > 300


def test_reviewed_links_hold_against_the_text(core_rows):
    """Each reviewed line names a row that exists, an obligation article that exists, and evidence that is
    verbatim in that article (in its 款 when one is given)."""
    catalog, _rows = core_rows
    store = ViolationStore(catalog)
    keys = {(normalize_title(r.law), r.article_no, r.para, r.item) for r in store.rows(kind=None)}
    lines = read_reviewed()
    assert len(lines) > 600
    for line in lines:
        assert (line.law, line.article, line.para or 1, line.item) in keys, f"{line.where}: no such row"
        if line.obligation_law is None or line.self_contained:
            assert line.evidence, f"{line.where}: 无 and 本项 need a reason"
            continue
        unit = catalog.article(catalog.find_law(line.obligation_law).doc_id, line.obligation_article or 0)
        text = unit.paragraphs[line.obligation_para - 1].text if line.obligation_para else unit.text
        assert line.evidence in text.replace("\n", ""), f"{line.where}: evidence not in the obligation's text"


def test_reviewed_referrals_hold_against_the_text(core_rows):
    """Each reviewed referral names a referral row that refers to the law given, and a provision of that law that
    the catalog has as a row, with evidence verbatim in it (its 项 or 款 when given)."""
    catalog, _rows = core_rows
    store = ViolationStore(catalog)
    rows = {(normalize_title(r.law), r.article_no, r.para, r.item): r for r in store.rows(kind=None)}
    lines = read_referrals()
    assert len(lines) >= 9
    for line in lines:
        row = rows.get(line.row)
        assert row is not None and row.kind == KIND_REFERRAL, f"{line.where}: no such referral row"
        assert line.law in normalize_title(row.sanctions.referral or ""), f"{line.where}: refers to another law"
        targets = [r for key, r in rows.items() if key[:2] == (line.law, line.article)
                   and key[2] == (line.para or key[2]) and key[3] == (line.item or key[3])]
        assert targets, f"{line.where}: the referred provision is no row of the catalog"
        unit = catalog.unit(targets[0].unit_id)
        assert not line.para or len(unit.paragraphs) > 1, f"{line.where}: a one-款 article is cited without its 款"
        text = unit.paragraphs[line.para - 1].text if line.para else unit.text
        assert line.evidence in text.replace("\n", ""), f"{line.where}: evidence not in the referred provision"
        if line.item:
            assert line.evidence in targets[0].item_quote, f"{line.where}: evidence not in the referred 项"


def test_a_referral_rows_record_names_its_reviewed_provision(core_rows):
    """`violations list/show --json` and the web page carry where a reviewed referral leads; others carry None."""
    from corpus.violations.views import row_record

    catalog, _rows = core_rows
    rows = ViolationStore(catalog).rows(doc_ids=[catalog.find_law("危险化学品安全法").doc_id], kind=KIND_REFERRAL)
    records = {(r.article_no, r.para): row_record(r) for r in rows}
    assert records[(110, 2)]["referred"]["cite"] == "《中华人民共和国邮政法》第七十五条第一款"
    assert records[(110, 2)]["referred"]["link_name"] == "人工核定"
    assert records[(100, 1)]["referred"] is None  # two laws named: found by wording


def test_referral_table_has_the_documented_header():
    header = next(line for line in REFERRALS.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    assert tuple(header.split("\t")) == REFERRAL_COLUMNS


_REFERRAL = "消防法\t62\t1\t3\t治安管理处罚法\t29\t1\t1\t谎报"
_DEPARTMENT = "特种设备安全法\t5\t负责特种设备安全监督管理的部门\t负责特种设备安全监督管理的部门\t理由"


@pytest.mark.parametrize("name, columns, read, error, lines, message", [
    ("reviewed_referrals.tsv", REFERRAL_COLUMNS, read_referrals, ReferralTableError,
     [_REFERRAL.replace("\t29\t", "\t二十九\t")], ":2：“依照条”应为数字"),
    ("reviewed_referrals.tsv", REFERRAL_COLUMNS, read_referrals, ReferralTableError, [_REFERRAL] * 2,
     ":3：同一转致只核定一个去向"),
    ("reviewed_departments.tsv", DEPARTMENT_COLUMNS, read_departments, DepartmentTableError,
     [_DEPARTMENT.replace("\t负责特种设备安全监督管理的部门\t负责", "\t市场\t负责")],
     ":2：“市场”不是可识别的执法部门名称"),
    ("reviewed_departments.tsv", DEPARTMENT_COLUMNS, read_departments, DepartmentTableError, [_DEPARTMENT] * 2,
     ":3：《特种设备安全法》前面已有一行"),
])
def test_a_bad_line_of_a_reviewed_table_names_the_line_and_the_fix(tmp_path, name, columns, read, error, lines,
                                                                    message):
    path = tmp_path / name
    path.write_text("\n".join(["\t".join(columns), *lines]), encoding="utf-8")
    with pytest.raises(error, match=re.escape(name + message)):
        read(path)


def test_detention_alone_makes_a_row_outside_a_liability_chapter(core_rows):
    """治安管理处罚法 has no 法律责任 chapter; its 第三十六条 (危险物质, where 消防法第六十二条第（一）、（二）项 lead)
    sanctions by 拘留 alone and is a row."""
    catalog, _rows = core_rows
    rows = ViolationStore(catalog).rows(doc_ids=[catalog.find_law("治安管理处罚法").doc_id])
    assert any(r.article_no == 36 and r.sanctions.detention and r.kind == KIND_PENALTY for r in rows)


def test_core_rows_are_linked_and_quoted_verbatim(core_rows):
    catalog, rows = core_rows
    reviewed_none = {(r.law, r.article, r.para or 1, r.item) for r in read_reviewed()
                     if r.obligation_law is None and not r.self_contained}
    sanctioning = linked = separate = decided = 0
    for law in CORE:
        for row in rows[law]:
            unit = catalog.unit(row.unit_id)
            assert row.item_quote in unit.text and row.clause_quote.replace("\n", "") in unit.text.replace("\n", "")
            for link in row.obligations:
                assert link.quote and link.quote in catalog.unit(link.unit_id).text if link.unit_id else True
            if row.kind not in (KIND_PENALTY, KIND_REFERRAL):
                continue
            sanctioning += 1
            linked += bool(row.obligations)
            separate += any(o.link != LINK_SELF for o in row.obligations)
            decided += bool(row.obligations) or (normalize_title(row.law), row.article_no, row.para,
                                                 row.item) in reviewed_none
    assert decided == sanctioning, "every core-law penalty row is linked or reviewed as having no separate duty"
    # 403 of 418 on 2026-12-04: 396 to a separate duty, 7 whose 项 is itself the prohibition; the 15 left are
    # accident-liability fines and result clauses, whose duty is the one the case breached (特种设备安全法第九十条、
    # 第九十一条 are linked: its 第十三条 makes the unit and its 主要负责人 answer for the equipment's safety).
    assert linked / sanctioning >= 0.95, linked / sanctioning
    assert separate / sanctioning >= 0.94, separate / sanctioning
    assert sum(o.link == LINK_REVIEWED for r in rows["危险化学品安全法"] for o in r.obligations) > 100


def test_a_self_contained_item_is_its_own_duty_and_a_catch_all_sanctions_nothing(core_rows):
    _catalog, rows = core_rows
    lent = next(r for r in rows["易制毒化学品管理条例"] if (r.article_no, r.para, r.item) == (40, 1, 2))
    [own] = lent.obligations  # 将许可证或者备案证明转借他人使用的: no article forbids it but this 项
    assert (own.link, own.article_no, own.para, own.item, own.unit_id) == (LINK_SELF, 40, 1, 2, lent.unit_id)
    assert own.quote == lent.item_quote and own.cite() == lent.cite()
    # "违反本法规定，构成犯罪的，依法追究刑事责任" and "被依法吊销许可证的，…三年内不予受理" punish no behaviour.
    assert next(r for r in rows["消防法"] if r.article_no == 72).kind == KIND_OTHER
    assert next(r for r in rows["特种设备安全法"] if r.article_no == 96).kind == KIND_OTHER


def test_row_phrases_name_sanctioning_rows(core_rows):
    """Each on-site phrase of the shipped table belongs to a penalty or referral row of the corpus, and every
    core-law sanctioning row has some (the table was written row by row)."""
    from corpus.lexicon import builtin_lexicon

    catalog, _rows = core_rows
    rows = {(normalize_title(r.law), r.article_no, r.para, r.item): r for r in ViolationStore(catalog).rows(kind=None)}
    phrases = builtin_lexicon().row_phrases
    assert sum(len(p) for p in phrases.values()) > 1000
    for key in phrases:
        assert key in rows, f"row_phrases.tsv: {key} names no row"
        assert rows[key].kind in (KIND_PENALTY, KIND_REFERRAL), f"row_phrases.tsv: {key} is not a sanctioning row"
    for law in ("危险化学品安全法", "安全生产法", "消防法", "特种设备安全法", "职业病防治法"):
        sanctioning = [k for k, r in rows.items() if k[0] == law and r.kind in (KIND_PENALTY, KIND_REFERRAL)]
        said = [k for k in sanctioning if k in phrases]
        assert len(said) >= 0.95 * len(sanctioning), f"{law}: {len(said)}/{len(sanctioning)} rows have phrases"


def test_partial_duties_are_quoted_verbatim(core_rows):
    """Each duty (or part of one) the lexicon says no penalty reaches is verbatim in its 款 of a law in the corpus."""
    from corpus.lexicon import builtin_lexicon

    catalog, _rows = core_rows
    parts = builtin_lexicon().partial_duties
    assert len(parts) >= 4
    for part in parts:
        unit = catalog.article(catalog.find_law(part.title).doc_id, part.article)
        assert part.part in unit.paragraphs[part.para - 1].text.replace("\n", ""), f"{part.where}: not verbatim"


def test_reviewed_table_has_the_documented_header():
    header = next(line for line in REVIEWED.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    assert header.split("\t") == ["法规", "条", "款", "项", "义务法规", "义务条", "义务款", "依据"]


def test_build_is_deterministic(core_rows):
    catalog, rows = core_rows
    doc = catalog.find_law("危险化学品安全法")
    again = build_rows(doc, catalog.units(doc.doc_id))
    assert [r.row_id for r in again] == [r.row_id for r in rows["危险化学品安全法"]]


def test_export_writes_every_row(tmp_path, core_rows):
    from openpyxl import load_workbook

    from corpus.violations.views import export_rows

    _catalog, rows = core_rows
    path = tmp_path / "违法行为库.xlsx"
    assert export_rows(rows["危险化学品安全法"], path) == len(rows["危险化学品安全法"])
    sheet = load_workbook(path).active
    assert sheet.max_row == len(rows["危险化学品安全法"]) + 1 and sheet["A1"].value == "编号"
    referral = {line[0].value: line[-1].value for line in sheet.iter_rows(min_row=2)}
    postal = next(r.row_id for r in rows["危险化学品安全法"] if (r.article_no, r.para) == (110, 2))
    assert referral[postal] == "依照《邮政法》处罚，即《中华人民共和国邮政法》第七十五条第一款（人工核定）"


def test_shared_regulation_copy_gives_the_same_rows(tmp_path, regulations_dir, catalog):
    """A regulation ingested from a copy elsewhere gets the same row ids (ids come from the document's identity)."""
    shutil.copy(regulations_dir / "危险化学品安全管理条例(2013-12-07).md", tmp_path / "copy.md")
    assert ingest_paths(catalog, [tmp_path / "copy.md"]).ok
    ids = {r.row_id for r in ViolationStore(catalog).rows()}
    assert any(i.endswith(":a78#1.8") for i in ids)


def test_who_is_sanctioned_is_read_before_the_act(core_rows):
    """The subject is named before the verb; a person named after it is what the act concerns. The persons of a
    list of units ("道路运输企业、水路运输企业的驾驶人员") are the ones sanctioned."""
    _catalog, rows = core_rows
    subject = {(r.article_no, r.para, r.item): r.subject for r in rows["危险化学品安全法"]}
    assert subject[(109, 1, 1)] == subject[(109, 2, None)] == "从业人员"
    assert subject[(112, 1, 2)] == "单位"  # 不按照要求配备押运人员: the carrier, not the escort
    health = {(r.article_no, r.para, r.item): r.subject for r in rows["职业病防治法"]}
    assert health[(75, 1, 7)] == "单位"  # 安排…劳动者: the employer
    fire = {(r.article_no, r.para, r.item): r.subject for r in rows["消防法"]}
    assert fire[(64, 1, 3)] == "个人"  # no subject named and the sanction is detention: a person
    safety = {(r.article_no, r.para, r.item): r.subject for r in rows["安全生产法"]}
    assert safety[(94, 1, None)] == "主要负责人" and safety[(96, 1, None)] == "安全生产管理人员"
    # "事故发生单位主要负责人有下列行为之一的": the unit's head, written without "的"; "…单位及其有关人员": the unit.
    report = {(r.article_no, r.para, r.item): r.subject for r in rows["生产安全事故报告和调查处理条例"]}
    assert report[(35, 1, 2)] == report[(38, 1, 1)] == "主要负责人" and report[(36, 1, 1)] == "单位"
    assert subject[(101, 1, 6)] == "单位"  # 危险化学品生产企业从业人员未满足学历要求: the enterprise is fined


def test_a_paragraph_naming_two_departments_gives_its_row_the_one_of_its_own_sentence(core_rows):
    """危化法第一百零一条第二款 (and 条例第七十八条第二款) extends the 款 before to 港口经营人 (港口行政管理部门), then
    sanctions a 剧毒/易制爆 store without 技术防范设施 (公安机关). The row is the second sentence's: its department is
    公安机关 and its one duty the store's (第四十三条第一款 / 条例第二十六条), not the first 款's twenty."""
    _catalog, rows = core_rows
    for law, duty in (("危险化学品安全法", 43), ("危险化学品安全管理条例", 26)):
        article = 101 if duty == 43 else 78
        row = next(r for r in rows[law] if (r.article_no, r.para, r.item) == (article, 2, None))
        assert "技术防范设施" in row.behaviour and row.department == "公安机关", (row.behaviour, row.department)
        assert [o.article_no for o in row.obligations] == [duty]


def test_the_accident_regulation_fines_are_the_emergency_departments(core_rows):
    """事故报告条例第四十三条: "本条例规定的罚款的行政处罚，由安全生产监督管理部门决定" (now 应急管理部门). Its
    fine rows (第三十五至三十八条) take it — 第三十六条 too, whose "构成违反治安管理行为的，由公安机关…" is the
    police's part, not the fine's; its 处分 rows (第三十九条) and 吊销证照 by 有关部门 (第四十条) do not."""
    _catalog, rows = core_rows
    by_place = {(r.article_no, r.item): r for r in rows["生产安全事故报告和调查处理条例"]}
    for place in ((35, 2), (36, 1), (37, 1), (38, 1)):
        assert by_place[place].department == "应急管理部门", (place, by_place[place].department)
    assert by_place[(39, 2)].department != "应急管理部门"
    assert by_place[(40, None)].department != "应急管理部门"
    drill = next(r for r in rows["生产安全事故应急条例"] if r.article_no == 33)  # the public-order referral itself
    assert drill.department == "公安机关"


def test_a_sanction_the_workers_own_unit_gives_names_no_department(core_rows):
    """安全生产法第一百零七条: "由生产经营单位给予批评教育，依照有关规章制度给予处分" is the unit's own sanction, not an
    administrative penalty: the row names no department (the law's default, 应急管理部门, decides its fines only), so
    no answer says "由应急管理部门处罚" of it. The law's other rows keep the default."""
    _catalog, rows = core_rows
    by_place = {(r.article_no, r.para, r.item): r for r in rows["安全生产法"]}
    assert by_place[(107, 1, None)].department is None
    assert by_place[(97, 1, 7)].department == by_place[(99, 1, 4)].department == "应急管理部门"


def test_the_precursor_regulation_rows_name_its_supervising_departments(core_rows):
    """易制毒化学品管理条例第四十条、第四十二条: "由负有监督管理职责的行政主管部门给予警告…": each supervising
    department (药品监督管理、公安、应急管理、商务 …) for its part; the rows name that role, as the articles do."""
    _catalog, rows = core_rows
    named = [r for r in rows["易制毒化学品管理条例"] if r.article_no in (40, 42) and r.para == 1]
    assert len(named) >= 9
    assert {r.department for r in named} == {"负有监督管理职责的行政主管部门"}
    [licence] = [r for r in rows["易制毒化学品管理条例"] if r.article_no == 40 and r.para == 2]
    assert licence.department == "市场监督管理部门"  # 由工商行政管理部门吊销其营业执照 (renamed in 2018)


def test_reviewed_departments_hold_against_the_text(core_rows):
    """Each reviewed department's evidence is verbatim in the article named; the rows of 特种设备安全法 and 消防法
    that name no department take it, but not a row with detention (the police decide 拘留) nor a referral."""
    catalog, rows = core_rows
    lines = read_departments()
    assert len(lines) >= 2
    for line in lines.values():
        doc = catalog.find_law(line.law)
        units = [u for u in catalog.units(doc.doc_id) if u.article_no == line.article]
        assert units and line.evidence in units[0].text.replace("\n", ""), f"{line.where}: evidence not in the article"
    by_place = {(r.article_no, r.para, r.item): r for r in rows["特种设备安全法"]}
    assert by_place[(83, 1, 1)].department == "特种设备安全监督管理部门"
    fire = {(r.article_no, r.para, r.item): r for r in rows["消防法"]}
    assert fire[(60, 1, 3)].department == "消防救援部门"
    assert fire[(64, 1, 1)].department is None  # 警告、罚款 or 拘留: 拘留 is the police's
    assert fire[(62, 1, 1)].department != "消防救援部门"  # referred to 治安管理处罚法
