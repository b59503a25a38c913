"""The 违法行为库 page and the 法规问答 answer cards without a browser: the presenters on hand-made rows, citations and
answers (确定 / 待核对 marks, both quotes, fine, department, 对照条款, links by row and unit id), and the page's
service and handlers on a small home built from a hand-written regulation (real SQLite under tmp_path)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")

from corpus.legal_text import Fine  # noqa: E402
from corpus.violations import LINK_REVIEWED, LINK_WORDING, ObligationLink, Sanctions, ViolationRow  # noqa: E402
from corpus.violations.views import row_record  # noqa: E402
from homes import small_home  # noqa: E402
from retriever.answer import Answer  # noqa: E402
from retriever.citation import Citation  # noqa: E402
from ui.web import present  # noqa: E402
from ui.web import violation_present as vp  # noqa: E402

LAW = "中华人民共和国危险化学品安全法"
OLD_LAW = "危险化学品安全管理条例"
ROW_ID = "3adfc64845ef:a101#1.10"
OLD_ROW_ID = "ea68714c2e67:a78#1.8"
CLAUSE = ("有下列情形之一的，由负有危险化学品安全监督管理职责的部门按照职责分工责令限期改正，可以处十万元以下的罚款；"
          "逾期未改正的，处十万元以上二十万元以下的罚款：")
ITEM = "（十）生产、储存、使用危险化学品的单位未在作业场所和安全设施、设备上设置明显的安全警示标志<b>；"
DUTY = "生产、储存危险化学品的单位，应当在其作业场所和安全设施、设备上设置明显的安全警示标志。"


def _row(**changes) -> ViolationRow:
    row = ViolationRow(
        row_id=ROW_ID, doc_id="3adfc64845ef", unit_id="3adfc64845ef:a101", law=LAW, article_no=101, article_sub=0,
        para=1, item=10, behaviour="生产、储存、使用危险化学品的单位未在作业场所设置明显的安全警示标志",
        subject="单位", subject_text="生产、储存、使用危险化学品的单位", item_quote=ITEM, clause_quote=CLAUSE,
        sanctions=Sanctions(order_correct=True, suspend=True, fines=[
            Fine(0.0, 100000.0, "元", None, None, "可以处十万元以下的罚款"),
            Fine(100000.0, 200000.0, "元", None, None, "处十万元以上二十万元以下的罚款")]),
        department="负有危险化学品安全监督管理职责的部门",
        department_text="负有危险化学品安全监督管理职责的部门",
        obligations=[
            ObligationLink(LAW, 37, 0, 2, LINK_REVIEWED, "应当在其作业场所和安全设施、设备上设置明显的安全警示标志",
                           "3adfc64845ef:a37", DUTY),
            ObligationLink("安全生产法", 35, 0, None, LINK_WORDING, "共同措辞“安全警示标志”", None,
                           "生产经营单位应当在有较大危险因素的生产经营场所和有关设施、设备上，设置明显的安全警示标志。"),
        ],
        para_count=2)
    for key, value in changes.items():
        setattr(row, key, value)
    return row


def _record(row: ViolationRow) -> dict:
    """What ViolationDesk.row adds to row_record: the law's metadata and the unit ids of the cited articles."""
    record = row_record(row)
    record["penalty"]["unit_id"] = row.unit_id
    record["doc"] = {"level": "法律", "status": "现行有效", "effective": "2026-05-01", "source": "builtin:laws.db"}
    for entry, link in zip(record["obligations"], row.obligations):
        entry["unit_id"] = link.unit_id
    record["parallels"] = [{"id": OLD_ROW_ID, "cite": f"《{OLD_LAW}》第七十八条第一款第（八）项",
                            "behaviour": "未在作业场所设置通信、报警装置"}]
    record["successor"] = None
    return record


def test_list_item_links_the_row_by_id_with_its_mark_fine_department_and_parallel():
    old = _row(row_id=OLD_ROW_ID, law=OLD_LAW, article_no=78, item=8)
    html = vp.row_item(_row(), "确定", [old])
    assert f'data-hz-row="{ROW_ID}"' in html and f'href="?row={quote(ROW_ID, safe="")}"' in html
    assert 'data-confidence="确定"' in html and "hz-conf-firm" in html
    assert f"《{LAW}》第一百零一条第一款第（十）项" in html
    assert "罚款20万元以下" in html and "负有危险化学品安全监督管理职责的部门" in html
    assert f"对照条款：《{OLD_LAW}》第七十八条第一款第（八）项" in html
    unmarked = vp.row_item(_row(kind="criminal"))
    assert "hz-conf" not in unmarked and 'data-hz-from="list"' in unmarked and "刑事责任" in unmarked
    assert vp.rows_html([], "没有符合筛选条件的条目").count("没有符合筛选条件的条目") == 1


def test_row_detail_shows_both_quotes_the_standard_each_obligation_and_links_to_the_articles():
    mark = {"confidence": "待核对", "notes": ["请核对本条是否仍适用"], "origin": "search"}
    html = vp.row_detail(_record(_row()), mark)
    assert "&lt;b&gt;" in html and "<b>；" not in html  # the law's text is escaped
    assert "（十）生产、储存、使用危险化学品的单位" in html  # the 项 quote
    assert "按该款" in html and "逾期未改正的，处十万元以上二十万元以下的罚款" in html  # the 款 penalty clause
    assert "罚款20万元以下" in html and "责令停产停业整顿" in html and "执法部门" in html
    assert 'data-hz-unit="3adfc64845ef:a101"' in html  # 处罚依据 opens in 条文检索
    assert f"《{LAW}》第三十七条第二款" in html and "人工核定" in html and DUTY in html
    assert 'data-hz-unit="3adfc64845ef:a37"' in html
    assert "措辞匹配" in html and "匹配依据" in html and "共同措辞“安全警示标志”" in html
    assert "在条文检索中打开第三十五条" not in html  # an obligation the corpus lacks has no link
    assert "核定说明" not in html  # a reviewed link's phrase is in its quote: not repeated
    assert "对照条款" in html and f'data-hz-row="{OLD_ROW_ID}"' in html
    assert "待核对" in html and "查找结果：请对照原文核对" in html and "请核对本条是否仍适用" in html
    assert f"编号：{ROW_ID}" in html and "内置国家法律库" in html
    bare = vp.row_detail(_record(_row(obligations=[], sanctions=Sanctions(), department=None)))
    assert "无单独的义务条款" in bare and "未规定罚款" in bare and "hz-conf" not in bare


def _citation(role: str, confidence: str, **extra) -> Citation:
    base = dict(law=LAW, article="第一百零一条", article_no=101, level="法律", status="现行有效",
                effective="2026-05-01", text="第一百零一条全文……", source="builtin:laws.db", role=role, score=1.0,
                unit_id="3adfc64845ef:a101", doc_id="3adfc64845ef", confidence=confidence)
    base.update(extra)
    return Citation(**base)


def _firm_answer() -> Answer:
    penalty = _citation("处罚依据", "确定", item=f"第一百零一条第一款第（十）项：{ITEM}", para=1, item_no=10,
                        clause=CLAUSE, fine={"min": 0.0, "max": 200000.0, "unit": "元", "basis": None},
                        department="负有危险化学品安全监督管理职责的部门", sanctions=["责令改正", "罚款"],
                        row_id=ROW_ID)
    parallel = _citation("对照条款", "确定", law=OLD_LAW, article="第七十八条", article_no=78,
                         unit_id="ea68714c2e67:a78", item="第七十八条第一款第（八）项：（八）……", para=1, item_no=8,
                         clause="有下列情形之一的，由安全生产监督管理部门责令改正，可以处5万元以下的罚款：",
                         fine={"min": 0.0, "max": 100000.0, "unit": "元", "basis": None}, department="应急管理部门",
                         row_id=OLD_ROW_ID, parallel_to=ROW_ID)
    duty = _citation("违法依据", "确定", article="第三十七条", article_no=37, unit_id="3adfc64845ef:a37",
                     item=f"第三十七条第二款：{DUTY}", para=2, link="人工核定", row_id=ROW_ID, text=DUTY)
    other = _citation("处罚依据", "待核对", para=1, item_no=13, clause=CLAUSE, row_id="3adfc64845ef:a101#1.13",
                      item="第一百零一条第一款第（十三）项：（十三）危险化学品专用储存场所未设置明显标志")
    related = _citation("相关规定", "待核对", law=OLD_LAW, article="第二十条", article_no=20,
                        unit_id="ea68714c2e67:a20")
    rows = [{"row_id": ROW_ID, "cite": f"《{LAW}》第一百零一条第一款第（十）项",
             "behaviour": "未设置明显的安全警示标志", "confidence": "确定"},
            {"row_id": "3adfc64845ef:a101#1.13", "cite": f"《{LAW}》第一百零一条第一款第（十三）项",
             "behaviour": "专用储存场所未设置明显标志", "confidence": "待核对"}]
    return Answer("储存场所没设安全警示标志", "违法依据：……；处罚依据：……。", False,
                  [penalty, parallel, duty, other, related], ["条文检索仅使用了关键词（未启用条文向量检索）"],
                  rows=rows)


def test_answer_cards_mark_each_citation_and_group_by_row_with_links_to_the_rows():
    answer = _firm_answer()
    html = present.answer_html(answer)
    firm_part, _, rest = html.partition("待核对的候选依据")
    assert "确定的执法依据" in firm_part
    assert f'<section class="hz-rowgroup hz-rowgroup-firm" data-row="{ROW_ID}"' in firm_part
    assert firm_part.count("hz-conf hz-conf-firm") >= 4  # the row, its 处罚依据, 对照条款 and 违法依据
    assert "按该款" in firm_part and "罚款20万元以下" in firm_part
    assert "负有危险化学品安全监督管理职责的部门" in firm_part
    assert 'data-role="对照条款"' in firm_part and "被新法取代的原法规中的对应条款" in firm_part
    assert "罚款10万元以下" in firm_part and "应急管理部门" in firm_part
    assert "关联方式" in firm_part and "人工核定" in firm_part
    assert f'data-hz-row="{ROW_ID}"' in firm_part and 'data-hz-unit="3adfc64845ef:a37"' in firm_part
    # the candidate row is folded under 待核对, the related article after it
    assert '<details class="hz-rowgroup hz-rowgroup-check" data-row="3adfc64845ef:a101#1.13"' in rest
    assert "相关规定" in rest and 'data-hz-unit="ea68714c2e67:a20"' in rest
    conclusion = present.conclusion_html(answer)
    assert "hz-conf-firm" in conclusion and conclusion.count("data-hz-row=") == 2
    assert "待核对：" not in present.answer_notices(answer)
    block = answer.enforcement_block()
    assert block.startswith("违法依据：") and "第（十）项" in block and "第（十三）项" not in block


class _Service:
    """What Handlers.ask needs of the web service."""

    uploads = None

    def __init__(self, answer):
        self.answer = answer

    def ask(self, question, **_filters):
        return self.answer


def test_an_answer_without_a_firm_citation_is_shown_as_to_check_without_a_copy_block():
    from ui.web.handlers import Handlers

    answer = Answer("仓库没有专人管理", "违法依据：……（待核对：请对照原文核对）。", False,
                    [_citation("违法依据", "待核对"), _citation("处罚依据", "待核对", row_id=ROW_ID)],
                    ["未能确定唯一的执法依据：所列条文均为待核对，请对照原文核对"])
    notices, conclusion, block, cards, marks = Handlers(_Service(answer)).ask("仓库没有专人管理", None, None, "")
    assert "待核对：" in notices and "不提供可复制的执法依据" in notices
    assert notices.count("未能确定唯一的执法依据") == 0  # the warning says it once
    assert "hz-conf-check" in conclusion and "hz-conf-firm" not in conclusion
    assert block["visible"] is False and block["value"] == ""
    assert cards.count("hz-conf hz-conf-check") == 2 and "确定的执法依据" not in cards
    assert f'data-hz-row="{ROW_ID}"' in cards  # the penalty's row, linked even when unsure
    assert marks == {ROW_ID: {"confidence": "待核对", "notes": [], "origin": "qa"}}


SMALL_LAW = """# 某市危险化学品储存安全管理办法

第一条 为加强本市危险化学品储存安全管理，制定本办法。

第二条 储存危险化学品的单位，应当在储存场所设置明显的安全警示标志。

第三条 储存危险化学品的单位，应当配备专职安全管理人员。

第四条 违反本办法规定，有下列情形之一的，由应急管理部门责令限期改正，可以处五万元以下的罚款；逾期未改正的，\
处五万元以上十万元以下的罚款：
（一）储存危险化学品的单位未在储存场所设置明显的安全警示标志的；
（二）储存危险化学品的单位未配备专职安全管理人员的。

第五条 本办法自2026年1月1日起施行。
"""
SMALL_TITLE = "某市危险化学品储存安全管理办法"


@pytest.fixture
def small_service(tmp_path):
    from ui.web.service import WebService

    settings, catalog, searcher = small_home(tmp_path, f"{SMALL_TITLE}.md", SMALL_LAW)
    yield WebService(settings, catalog, searcher)
    catalog.close()


def test_desk_and_handlers_list_search_filter_and_open_rows_of_a_small_home(small_service):
    from ui.web.handlers import Handlers
    from ui.web.violation_handlers import ALL_SANCTIONS, ALL_SUBJECTS, ViolationHandlers

    desk = small_service.violations
    assert desk.laws() == [SMALL_TITLE] and desk.subjects() == ["单位"]
    rows = desk.listing()
    assert [r.cite() for r in rows] == [f"《{SMALL_TITLE}》第四条第（一）项", f"《{SMALL_TITLE}》第四条第（二）项"]
    assert desk.listing(sanction="吊销") == [] and len(desk.listing(law=SMALL_TITLE, sanction="罚款")) == 2
    found = desk.search("储存场所没设安全警示标志")
    assert found[0].row.row_id == rows[0].row_id and found[0].confidence == "确定"

    vh = ViolationHandlers(small_service, Handlers(small_service))
    page, marks, info, listing, _prev, _next = vh.listing("储存场所没设安全警示标志", SMALL_TITLE, ALL_SUBJECTS,
                                                        ALL_SANCTIONS)
    assert page == 0 and marks[rows[0].row_id]["confidence"] == "确定"
    assert "其中确定 1 条" in info and listing.index(rows[0].row_id) < listing.index(rows[1].row_id)
    _page, marks, info, listing, prev, nxt = vh.listing("", SMALL_TITLE, "单位", "罚款")
    assert marks == {} and "共 2 条" in info and prev["visible"] is False and nxt["visible"] is False
    _page, _marks, info, listing, _prev, _next = vh.listing("", SMALL_TITLE, ALL_SUBJECTS, "吊销")
    assert "共 0 条" in info and "没有符合筛选条件的条目" in listing
    # a finding searched for the inspected unit's type says so; a type the lexicon lacks is a clear error
    _page, _marks, info, _listing, _prev, _next = vh.listing("储存场所没设安全警示标志", SMALL_TITLE, ALL_SUBJECTS,
                                                             ALL_SANCTIONS, "危险化学品储存")
    assert "按危险化学品储存" in info and "其中确定 1 条" in info
    _page, _marks, info, _listing, _prev, _next = vh.listing("储存场所没设安全警示标志", SMALL_TITLE, ALL_SUBJECTS,
                                                             ALL_SANCTIONS, "化肥厂")
    assert "没有“化肥厂”这种被检查单位类型" in info

    record = desk.row(rows[0].row_id)
    assert record["penalty"]["unit_id"] == rows[0].unit_id
    assert [(o["article"], o["link_name"], o["unit_id"] is not None) for o in record["obligations"]] == [
        ("第二条", "措辞匹配", True)]
    detail = vh.detail(rows[0].row_id, marks.get(rows[0].row_id))
    assert "储存危险化学品的单位，应当在储存场所设置明显的安全警示标志。" in detail
    assert "罚款10万元以下" in detail and "应急管理部门" in detail
    assert "违法行为库中没有编号为" in vh.detail("nope#1")


def test_discretion_tiers_show_on_the_penalty_card():
    from retriever.citation import Citation
    from ui.web.present import citation_card

    cite = Citation(law="中华人民共和国危险化学品安全法", article="第一百零一条", article_no=101, level="法律",
                    status="现行有效", effective="2026-05-01", text="有下列情形之一的……", source="内置国家法律库",
                    role="处罚依据", score=1.0, unit_id="u", doc_id="d",
                    item="第一百零一条第一款第（十）项：（十）……", confidence="确定",
                    tiers=[{"level": "轻微", "condition": "", "standard": "可以处3万元以下的罚款", "file": "样例.xlsx",
                            "line": 7, "sample": True}])
    html = citation_card(cite)
    assert "裁量基准（样例，不得用于执法）" in html and "可以处3万元以下的罚款" in html and "样例.xlsx 第7行" in html
