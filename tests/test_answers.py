"""Precision-first answers on the full corpus: 确定 only when sure, the copy block only firm, the same 执法依据 for any
k, two violations in one finding, the eight findings tried as a new user would, and answer-level eval floors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.model import UnitKind
from retriever.answer import ROLE_OBLIGATION, ROLE_PENALTY, ExtractiveAnswerer
from retriever.citation import CONFIRMED, TO_CHECK
from retriever.weights import MIN_TOP_ROW_COVERAGE

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"
HAZCHEM = "中华人民共和国危险化学品安全法"
SAFETY = "中华人民共和国安全生产法"
EMERGENCY = "生产安全事故应急条例"
REGULATION = "危险化学品安全管理条例"


@pytest.fixture(scope="module")
def answerer(full_searcher):
    return ExtractiveAnswerer(full_searcher)


def test_an_article_of_the_authorities_duties_is_never_the_obligation_a_finding_breaks(answerer, full_searcher):
    """危化法第二十一条 (县级以上地方人民政府…对…加油站、加气站等进行规划) was a 待核对 违法依据 of findings at gas
    stations; a government's duty is no unit's obligation: it is shown as 相关规定. Asked about the remit itself,
    it still answers."""
    from retriever.citation import ROLE_RELATED
    from retriever.linking import authorities_only

    answer = answerer.answer("加油站卸油区的静电接地夹线断了，卸油时员工拿铁丝往罐车上一缠就凑合用。")
    obligations = [c for c in answer.citations if c.role == ROLE_OBLIGATION]
    assert obligations and not any(authorities_only(full_searcher.unit(c.unit_id)) for c in obligations)
    assert any(c.role == ROLE_RELATED and authorities_only(full_searcher.unit(c.unit_id)) for c in answer.citations)
    remit = answerer.answer("高速公路服务区的加油站、加气站由谁来规划？")
    assert any(c.law.endswith("危险化学品安全法") and c.article_no == 21 for c in remit.citations)


def test_an_article_that_only_sets_the_scope_or_defines_words_is_no_obligation(answerer, full_searcher):
    """城镇燃气管理条例第二条 (what the regulation applies to, what 燃气 means) lays no duty: found for a finding at a
    station's LPG tank, it was a 待核对 违法依据; now it is 相关规定 and the duty of 定期检验 leads."""
    from corpus.legal_text import scope_or_terms
    from retriever.citation import ROLE_RELATED

    scope = full_searcher.law_article("城镇燃气管理条例", 2)
    assert scope and scope_or_terms(scope[0].text)
    duty = full_searcher.law_article("中华人民共和国特种设备安全法", 40)
    assert duty and not scope_or_terms(duty[0].text)
    answer = answerer.answer("加油加气合建站的液化石油气储罐，安全阀校验报告过期一年多了，一直没送检。")
    obligations = [(c.law, c.article_no) for c in answer.citations if c.role == ROLE_OBLIGATION]
    assert ("城镇燃气管理条例", 2) not in obligations and obligations[0] == ("中华人民共和国特种设备安全法", 40)
    assert all(c.role == ROLE_RELATED for c in answer.citations if (c.law, c.article_no) == ("城镇燃气管理条例", 2))


def test_a_question_that_is_no_finding_names_related_articles_not_a_basis(answerer):
    """"应急预案多久演练一次" asks a time limit, "重大危险源是什么意思" a definition, "…向哪里申请" and "…向谁报告"
    how a duty is done: nothing was found violated, so the articles found are 相关规定 and 相关罚则, never a 违法依据
    or 处罚依据 (the definition, and where to apply for a permit, were answered as findings with a firm penalty). A
    finding keeps its unsure 违法依据 and 处罚依据."""
    from ui.render import answer_text
    from ui.web.present import NOT_FINDING_TEXT, UNSURE_TEXT, answer_html, answer_notices

    for question in ("应急预案多久演练一次", "重大危险源是什么意思", "剧毒化学品购买许可证向哪里申请",
                     "剧毒化学品被盗了向谁报告"):
        answer = answerer.answer(question)
        assert not answer.firm(ROLE_PENALTY), question
        assert answer.answer.startswith("相关规定：") and "违法依据" not in answer.answer, answer.answer
        assert "处罚依据" not in answer.answer and answer.answer.endswith("（检索所得的条文，请对照原文核对）。")
        # the cards too, in the terminal and on the page, and the JSON says so
        assert not answer.finding and answer.as_json()["finding"] is False
        shown = answer_text(answer) + re.sub(r'data-role="[^"]*"', "", answer_html(answer))  # the role's key stays
        assert "【相关规定·待核对】" in shown and ">相关规定<" in shown
        assert "违法依据" not in shown and "处罚依据" not in shown
        assert NOT_FINDING_TEXT in answer_notices(answer) and "执法依据" not in answer_notices(answer)
    finding = answerer.answer("危化品仓库的防爆灯坏了一个月没人修")
    assert finding.answer.startswith("违法依据：") and "处罚依据：" in finding.answer
    assert finding.finding and "【违法依据·待核对】" in answer_text(finding) and ">违法依据<" in answer_html(finding)
    assert UNSURE_TEXT in answer_notices(finding)


def test_a_rule_asked_after_a_finding_asks_about_the_finding(answerer):
    """"必须设…吗" asks what the rule requires; after a clause that tells what is missing it asks about that finding,
    which the violation rows answer; "能不能先…" asks whether an act is allowed, a rule, after a stated fact too.
    Asking when a law took effect stays a question of law (从旧兼从轻)."""
    assert not answerer.answer("危化品企业必须设安全管理机构吗").finding
    assert answerer.answer("仓库没设专人管理，必须设吗").finding
    # whether something may be done asks about that act, after a stated fact too
    assert not answerer.answer("作业证还没考下来，能不能先上岗干着").finding
    assert answerer.answer("应急预案一次没演练过，多久要演练一次？").finding
    assert not answerer.answer("去年卖了没有标签的危化品，今年才查到，当时新法还没施行，按哪部法罚").finding


def test_a_rule_question_its_articles_hardly_match_is_answered_by_rows_to_check(answerer):
    """A question read as a rule question ("…也要登记吗") whose articles share little with it was refused; it may be
    a finding asked as a question, so its violation rows answer, all 待核对: the question did not tell a finding."""
    answer = answerer.answer("夫妻店卖点稀料，也要登记吗？")
    assert not answer.abstained and answer.finding
    assert answer.citations and all(c.confidence == TO_CHECK for c in answer.citations)


def test_a_law_on_how_the_authorities_sanction_is_no_basis_of_a_finding(answerer, full_searcher):
    """行政处罚法 and 行政强制法 (laws.tsv group procedure) bind the authorities: "报警值设定得比工艺要求高"
    shares 设定 with 行政处罚法第十条 (法律可以设定各种行政处罚), which was a 待核对 违法依据. Their articles found
    for a finding are 相关规定; asked about the time limit of a penalty, 行政处罚法第三十六条 still answers first."""
    from retriever.citation import ROLE_RELATED

    procedure = full_searcher.procedure_laws
    assert {"行政处罚法", "行政强制法"} <= procedure
    answer = answerer.answer("储罐区的液位计报警值设定得比工艺要求高，报警形同虚设")
    found = [c for c in answer.citations if c.law.removeprefix("中华人民共和国") in procedure]
    assert found and all(c.role == ROLE_RELATED for c in found)
    assert "行政处罚法" not in answer.answer
    limit = answerer.answer("违法行为过了两年才发现，还能罚吗")
    assert (limit.citations[0].law, limit.citations[0].article_no) == ("中华人民共和国行政处罚法", 36)
    # An inspector's question on a coercive measure is in scope by its matches alone (it was refused as outside
    # hazardous-chemicals supervision): 行政强制法第二十五条 sets how long a 查封 may last.
    seal = answerer.answer("查封期限最长能多久")
    cited = [(c.law, c.article_no) for c in seal.citations[:3]]
    assert not seal.abstained and ("中华人民共和国行政强制法", 25) in cited


def test_a_finding_cites_no_law_outside_the_domain(answerer):
    """"没有通风" shares 通风 with 刑法第三百六十二条 (通风报信) and 没有通知 with 民法典第五百二十九条: both were
    待核对 违法依据 of a paint-room finding. A finding's articles come from the domain's laws (a broad law such as 刑法
    only when the finding speaks of its objects); named, any law answers."""
    answer = answerer.answer("汽修厂喷漆房里堆着十几桶稀料，没有通风")
    laws = {c.law for c in answer.citations}
    assert laws and not laws & {"中华人民共和国刑法", "中华人民共和国民法典"}, laws
    assert "中华人民共和国危险化学品安全法" in laws
    minor = answerer.answer("饲料厂粉碎车间里有个16岁的小工在干活。")  # 劳动法's objects: a minor at work
    assert "中华人民共和国劳动法" in {c.law for c in minor.citations}


def _penalty_citations(answer, confidence=None):
    return [c for c in answer.citations
            if c.role == ROLE_PENALTY and (confidence is None or c.confidence == confidence)]


def _penalties(answer, confidence=None):
    return [(c.law, c.article_no, c.para, c.item_no) for c in _penalty_citations(answer, confidence)]


# The findings of the violation-catalog issue, tried as a new user would; for each, the penalty articles an
# inspector may cite. The answer must contain one of them (firm or 待核对) and never state a wrong one as 确定.
EIGHT = [
    ("加油站卸油时没有人监护", {(HAZCHEM, 109), (SAFETY, 101)}),
    ("仓库里危化品超量储存，堆到通道上了", {(HAZCHEM, 103)}),
    ("企业没有给员工配发防毒面具", {(SAFETY, 99), ("中华人民共和国职业病防治法", 72)}),
    ("剧毒化学品没有双人收发双人保管", {(HAZCHEM, 101)}),
    ("危化品经营许可证过期了还在卖", {(HAZCHEM, 100)}),
    ("液氯钢瓶和氨气瓶混放在一起", {(HAZCHEM, 103)}),
    ("个体户在家里卖汽油", {(HAZCHEM, 100)}),
    ("装卸区没有设置静电接地装置", {(HAZCHEM, 103), (HAZCHEM, 101)}),
]


@pytest.mark.parametrize("finding, right", EIGHT)
def test_the_eight_findings(answerer, finding, right):
    answer = answerer.answer(finding)
    assert not answer.abstained
    cited = {(law, no) for law, no, _p, _i in _penalties(answer)}
    assert cited & right, (finding, cited)
    firm = {(law, no) for law, no, _p, _i in _penalties(answer, CONFIRMED)}
    assert firm <= right, (finding, firm)


# The county plan's attachment 3 (相关检查和执法依据), its five 检查事项 written as findings. The table cites the 2013
# 条例 and two 部门规章 that are not in the corpus; in force today are 危化法 第一百零一条 (with 条例 第七十八条 as the
# parallel) and 安全生产法. Item 4 has no penalty article in the corpus: the answer must not state one as 确定.
ATTACHMENT_3 = [
    ("危险化学品生产、进口企业没有在危险化学品登记综合服务系统登记危险化学品，也没建管理档案",
     {(HAZCHEM, 101), (REGULATION, 78)}),
    ("企业没有规范使用“一书一签”传递危险化学品危害信息", {(HAZCHEM, 101), (REGULATION, 78)}),
    ("危险化学品储存场所没有规范设置安全警示标志", {(HAZCHEM, 101), (REGULATION, 78)}),
    ("企业没有开展化学品物理危险性辨识，也没建立鉴定与分类管理档案", set()),
    ("企业对物理危险性尚未确定的产品没做鉴定分类，还隐瞒危险成分、提供虚假材料", {(SAFETY, 101), (SAFETY, 113)}),
]


@pytest.mark.parametrize("finding, right", ATTACHMENT_3)
def test_the_county_plans_inspection_table(answerer, finding, right):
    answer = answerer.answer(finding)
    cited = {(law, no) for law, no, _p, _i in _penalties(answer)}
    firm = {(law, no) for law, no, _p, _i in _penalties(answer, CONFIRMED)}
    assert firm <= right, (finding, firm)
    assert not right or cited & right, (finding, cited)


@pytest.mark.parametrize("question", ["企业的消防安全责任人是谁", "一般事故、较大事故、重大事故怎么划分",
                                      "危化品经营许可证找县里还是市里办"])
def test_a_question_about_a_rule_is_not_answered_as_a_finding(answerer, question):
    """Who, which level, what kinds: the answer quotes articles and has no 执法依据 block to copy."""
    answer = answerer.answer(question)
    assert not answer.abstained and answer.citations
    assert not answer.enforcement_block()


@pytest.mark.parametrize("question", ["特种设备使用登记在哪里办", "危险化学品单位的应急预案要报哪个部门备案"])
def test_a_question_about_a_rule_cites_the_articles_found_before_their_penalties(answerer, question):
    """The penalties linked to the articles found (相关罚则) follow all of them; they took the places of the fourth
    and fifth articles found (blind rule questions rules_dev: hit@5 .817 -> .850)."""
    result = answerer.retrieve(question, k=5)
    answer = answerer.compose(result, k=5)
    found = [h.unit.unit_id for h in result.hits if h.unit.kind is UnitKind.ARTICLE and not h.lookup][:5]
    cited = [c.unit_id for c in answer.citations]
    assert not answer.finding and set(found) <= set(cited), (found, cited)


@pytest.mark.parametrize("question", ["按行政许可法，证快到期了最晚提前几天去续？机关一直不回复算不算同意？",
                                      "按行政处罚法，过了几年就不能罚了？"])
def test_a_question_about_the_law_it_names_is_answered_though_worded_its_own_way(answerer, question):
    """Named (按行政许可法) or asked by kind (处罚时效): few of its articles' words is no reason to refuse; asked when
    a penalty lapses, the article on the time limit (行政处罚法第三十六条) comes first."""
    answer = answerer.answer(question)
    assert not answer.abstained and not answer.finding
    if "处罚法" in question:
        assert (answer.citations[0].law, answer.citations[0].article) == ("中华人民共和国行政处罚法", "第三十六条")


def test_double_custody_names_the_item(answerer):
    """"剧毒化学品没有双人收发" once named 第一百零三条第（五）项 first; it is 第一百零一条第一款第（十一）项."""
    answer = answerer.answer("剧毒化学品没有双人收发双人保管")
    assert _penalties(answer, CONFIRMED)[0] == (HAZCHEM, 101, 1, 11)


def test_every_citation_says_how_sure_and_the_block_holds_only_firm_ones(answerer):
    for question in ("储存场所没设安全警示标志，怎么罚？", "加油站卸油时没有人监护", "安全生产法第一百零一条"):
        answer = answerer.answer(question)
        data = answer.as_json()
        assert all(c["confidence"] in (CONFIRMED, TO_CHECK) for c in data["citations"])
        block = answer.enforcement_block()
        for c in answer.citations:
            if c.confidence == TO_CHECK and c.role in (ROLE_OBLIGATION, ROLE_PENALTY):
                assert f"《{c.law}》{c.label()}：" not in block, (question, c.label())
    lookup = answerer.answer("安全生产法第一百零一条")
    assert lookup.citations[0].confidence == CONFIRMED  # the article asked for, quoted: nothing to check


def test_the_same_basis_whatever_k(answerer):
    for question in ("储存场所没设安全警示标志，怎么罚？", "危化品仓库没有设专人管理，也没有建立出入库登记制度"):
        blocks = {answerer.answer(question, k=k).enforcement_block() for k in (1, 3, 5, 10)}
        assert len(blocks) == 1, question


def test_two_violations_give_two_firm_rows(answerer):
    answer = answerer.answer("危化品仓库没有设专人管理，也没有建立出入库登记制度")
    firm = _penalties(answer, CONFIRMED)
    assert (HAZCHEM, 101, 1, 11) in firm and (HAZCHEM, 101, 1, 12) in firm


def test_a_superseded_regulation_is_shown_as_the_parallel(answerer):
    answer = answerer.answer("储存场所没设安全警示标志，怎么罚？")
    parallel = [c for c in answer.citations if c.role == "对照条款"]
    assert parallel and parallel[0].law == "危险化学品安全管理条例" and parallel[0].article_no == 78
    assert "对照条款" in answer.answer


def test_an_unsure_answer_cites_the_duty_of_the_law_in_force_before_the_superseded_one(answerer, full_searcher):
    """No row is sure and the article search finds the 2013 条例's duties (第二十六条, 第二十四条): the 危化法's
    articles laying the same duties (第四十三条, 第四十一条) come before them, so 违法依据 and 处罚依据 are of the law
    in force; the 条例's articles are still there after them. Asked by the 条例's name, its articles stay first."""
    from retriever.linking import parallel_article

    answer = answerer.answer("危化品仓库的防爆灯坏了一个月没人修")
    assert not answer.firm(ROLE_PENALTY)
    obligations = [(c.law, c.article_no) for c in answer.citations if c.role == ROLE_OBLIGATION]
    assert obligations[:2] == [(HAZCHEM, 43), (HAZCHEM, 41)]
    assert {(REGULATION, 26), (REGULATION, 24)} <= set(obligations[2:])
    assert answer.answer.startswith(f"违法依据：《{HAZCHEM}》第四十三条、《{HAZCHEM}》第四十一条；")
    old = full_searcher.law_article(REGULATION, 26)
    new = full_searcher.law_doc(HAZCHEM)
    assert old and new and parallel_article(full_searcher, old[0], new.doc_id).article_no == 43
    # a penalty article's parallel is a penalty article, never a duty (第八十条 -> 第一百零三条)
    penalty = full_searcher.law_article(REGULATION, 80)
    assert penalty and parallel_article(full_searcher, penalty[0], new.doc_id).article_no == 103
    named = answerer.answer("按《危险化学品安全管理条例》，危化品仓库的防爆灯坏了一个月没人修依据哪条？")
    named_obligations = [c.law for c in named.citations if c.role == ROLE_OBLIGATION]
    assert named_obligations and named_obligations[0] == REGULATION


def test_a_question_that_is_no_finding_cites_the_law_in_force_before_the_superseded_one(answerer):
    """Where to apply for a 剧毒化学品购买许可证: the search finds the 2013 条例's articles (第三十八、三十九条); the
    危化法's articles laying the same rules come first, and its penalty before the 条例's, as in a finding. (Their
    order among themselves follows the search: with the article questions 第五十九条 (where and with what to apply)
    and 第六十条 (what a seller checks) rank before 第五十八条.)"""
    answer = answerer.answer("剧毒化学品购买许可证向哪里申请")
    related = [(c.law, c.article_no) for c in answer.citations if c.role == ROLE_OBLIGATION]
    assert {(HAZCHEM, 58), (HAZCHEM, 59)} <= set(related[:3]) and all(law == HAZCHEM for law, _ in related[:3])
    assert (REGULATION, 39) in related[3:]
    penalties = [(c.law, c.article_no) for c in answer.citations if c.role == ROLE_PENALTY]
    # The penalties linked to the articles found follow all of them (a question about a rule), the 条例's maybe cut
    first_regulation = next((i for i, (law, _) in enumerate(penalties) if law == REGULATION), len(penalties))
    assert (HAZCHEM, 107) in penalties[:first_regulation]
    assert answer.answer.startswith(f"相关规定：《{HAZCHEM}》第五十")


def test_a_referral_is_followed_to_the_law_that_sanctions(answerer):
    """危化法第一百条第一款 hands the sanction to the 安全生产许可证条例: its 第十九条 is the 处罚依据, cited first,
    the referring provision right after it, both in the conclusion; the referred row is not offered again."""
    answer = answerer.answer("没有安全生产许可证就生产危化品，怎么罚")
    penalties = _penalty_citations(answer, CONFIRMED)
    assert (penalties[0].law, penalties[0].article_no) == ("安全生产许可证条例", 19) and penalties[0].referred_by
    assert (penalties[1].law, penalties[1].article_no) == ("中华人民共和国危险化学品安全法", 100)
    assert penalties[1].row_id == penalties[0].referred_by
    assert ("处罚依据：《安全生产许可证条例》第十九条（《中华人民共和国危险化学品安全法》第一百条第一款规定依照该条处罚"
            in answer.answer)
    assert "（待核对）：《安全生产许可证条例》第十九条" not in answer.answer
    assert [r["confidence"] for r in answer.rows if r["cite"] == "《安全生产许可证条例》第十九条"] in ([], [CONFIRMED])


def test_an_unsure_referral_shows_the_referred_row_once_and_before_the_referring_provision(answerer):
    """No row is sure ("村边一个小作坊…"): the referred 安全生产许可证条例第十九条 still comes before
    危化法第一百条第一款, as in a firm answer, and is not shown a second time as a candidate of its own."""
    answer = answerer.answer("村边一个小作坊没有许可证，偷偷生产次氯酸钠卖给周边的厂")
    penalties = _penalty_citations(answer)
    assert all(c.confidence == TO_CHECK for c in penalties)
    keys = [(c.law, c.article_no, c.para, c.item_no) for c in penalties]
    assert len(keys) == len(set(keys)), keys
    at = {(c.law, c.article_no): i for i, c in enumerate(penalties)}
    assert at[("安全生产许可证条例", 19)] < at[(HAZCHEM, 100)]
    assert penalties[at[("安全生产许可证条例", 19)]].referred_by == penalties[at[(HAZCHEM, 100)]].row_id


def test_a_referral_that_leads_to_the_best_row_is_no_rival_of_it(answerer):
    """生产安全事故应急条例第三十条 hands 未定期组织演练 to the 安全生产法: for this finding its referral leads to
    第九十七条第（六）项, the best row, so the two are one violation and the referring row no longer keeps the best
    one from 确定 (nine more 确定 in the read development sets, none of them wrong)."""
    answer = answerer.answer("公司从来没有组织过应急演练")
    first = _penalty_citations(answer, CONFIRMED)[0]
    assert (first.law, first.article_no, first.item_no) == ("中华人民共和国安全生产法", 97, 6)


def test_a_reviewed_referral_to_a_law_outside_the_domain_is_as_sure_as_the_referral(answerer, full_searcher):
    """危化法第一百一十条第二款 hands 收寄危险化学品 to the 邮政法, a law outside the domain: reviewed_referrals.tsv
    says it is 第七十五条第一款 (收寄禁寄物品), so that is the 处罚依据, firm and before the referring provision; on
    its own the 邮政法 never answers."""
    answer = answerer.answer("快递公司收寄了危险化学品，怎么罚")
    penalties = _penalty_citations(answer)
    assert (penalties[0].law, penalties[0].article_no, penalties[0].para) == ("中华人民共和国邮政法", 75, 1)
    assert penalties[0].referred_by and penalties[0].confidence == CONFIRMED
    assert (penalties[1].law, penalties[1].article_no, penalties[1].para) == (HAZCHEM, 110, 2)
    assert penalties[1].confidence == CONFIRMED
    assert ("处罚依据：《中华人民共和国邮政法》第七十五条第一款（《中华人民共和国危险化学品安全法》第一百一十条第二款"
            "规定依照该条处罚" in answer.answer)
    matches = full_searcher.violation_matcher().match("快递企业不执行收件验视制度").matches
    assert matches and all(m.row.law != "中华人民共和国邮政法" for m in matches)


def test_an_unreviewed_referral_to_a_law_outside_the_domain_is_found_by_wording_and_not_firm(answerer):
    """消防法第六十五条第一款 hands 不合格消防产品 to the 产品质量法 with no reviewed provision (第四十九、五十、
    五十一条 all could be meant): the provision found by wording is shown before the referring one, as 待核对."""
    answer = answerer.answer("厂家生产销售不合格的灭火器，属于不合格消防产品")
    penalties = _penalty_citations(answer)
    assert penalties[0].law == "中华人民共和国产品质量法" and penalties[0].referred_by
    assert penalties[0].confidence == TO_CHECK
    assert (penalties[1].law, penalties[1].article_no, penalties[1].para) == ("中华人民共和国消防法", 65, 1)
    assert "所依照的《中华人民共和国产品质量法》" in answer.answer


@pytest.mark.parametrize("finding, para", [("危化品仓库着火了，主要负责人没有立即组织救援", 1),
                                           ("危化品仓库着火了，主要负责人没有立即报告", 2)])
def test_a_referral_reaches_the_item_that_fits_the_finding(answerer, finding, para):
    """危化法第一百一十七条第一款 (不立即组织救援或者不立即报告) refers to the "生产安全事故报告和调查处理法律、
    行政法规": the 事故报告条例's 第三十五条 has the 项 the finding speaks of (不立即组织事故抢救 / 迟报), and the law
    above it, 安全生产法第一百一十条, says the same of the 主要负责人 (第一款 / 第二款), so it comes first."""
    firm = _penalty_citations(answerer.answer(finding), CONFIRMED)
    assert (firm[0].law, firm[0].article_no, firm[0].para) == (SAFETY, 110, para)
    assert firm[0].referred_by and (firm[1].law, firm[1].article_no) == (HAZCHEM, 117)


def test_accident_fines_only_for_a_finding_about_an_accident(answerer):
    """安全生产法第九十五条 fines the 主要负责人 by the accident's grade: no candidate when nothing happened."""
    def cites_95(finding):
        return any((c.law, c.article_no) == (SAFETY, 95) for c in answerer.answer(finding).citations)

    assert not cites_95("主要负责人不履行安全生产管理职责")
    assert cites_95("主要负责人不履行安全生产管理职责，导致发生较大事故，死亡三人")


def test_a_penalty_with_a_result_clause_needs_the_accident(answerer):
    """应急条例第三十一条 sanctions unmaintained rescue equipment "导致发生严重生产安全事故或者…危害扩大": an
    empty equipment cabinet alone is not it (no penalty reaches 配备 itself); the neglect that made an accident worse
    is."""
    rows = {(c.law, c.article_no) for c in answerer.answer("车间的应急救援器材柜是空的，什么都没配").citations}
    assert ("生产安全事故应急条例", 31) not in rows
    worse = answerer.answer("应急救援器材一直没维护，出事时呼吸器用不了，导致事故扩大，死了两个人")
    assert ("生产安全事故应急条例", 31, 1, None) in _penalties(worse, CONFIRMED)


@pytest.mark.parametrize("finding, item", [
    ("仓库起火烧死了两个人，调查认定公司负主要责任，公司罚多少？", 1),
    ("反应釜爆炸造成12人急性中毒，事故调查认定企业负有责任，怎么罚", 2),
    ("车间粉尘爆炸死了11个人，企业负主要责任", 3),
    ("车间爆炸死了5个人，调查报告认定公司负主要责任，公司罚多少？", 2),  # the unit asked: not 第九十五条
])
def test_an_accident_the_unit_is_found_responsible_for_is_fined_by_its_grade(full_searcher, finding, item):
    """The casualties make the grade (事故报告条例第三条: 3 deaths or 10 serious injuries make 较大事故), and
    finding the unit responsible makes the accident fine (安全生产法第一百一十四条) the row the finding is about,
    before the rows for whatever caused it."""
    top = full_searcher.violation_matcher().match(finding).matches[0].row
    assert (top.law, top.article_no, top.para, top.item) == (SAFETY, 114, 1, item)


def test_an_item_for_another_accident_grade_is_never_firm(full_searcher):
    """The finding gives its accident a grade (定了较大事故): a part of it that matches another grade's item (隐患
    brings 重大事故隐患, which holds 重大事故) does not make 第九十五条第（三）项 firm; the stated grade's item
    leads."""
    whole = "车间闪爆，事故定了较大事故。调查认定总经理也没搞过隐患排查，对他个人按年收入罚多少？"
    matches = full_searcher.violation_matcher().match("调查认定总经理也没搞过隐患排查，对他个人按年收入罚多少？",
                                                      whole=whole).matches
    graded = [m for m in matches if m.row.article_no == 95 and m.row.law == SAFETY]
    assert graded and graded[0].row.item == 2, [(m.row.cite(), m.score) for m in matches[:4]]
    assert all(m.confidence == TO_CHECK and m.notes for m in graded if m.row.item != 2)


@pytest.mark.parametrize("finding, article, para", [
    ("化工厂把危化品安全生产许可证借给了一个没证的小厂", 116, 1),
    ("加油站把经营许可证租给别人经营", 116, 2),
    ("化工厂把自己的危化品安全使用许可证借给隔壁厂用了，出借的这家怎么罚？", 116, 2),
])
def test_a_licence_lent_is_not_a_licence_lacking(full_searcher, finding, article, para):
    """The lender holds the licence: 危化法第一百一十六条 (出租、出借、转让许可证), not the rows for working without
    one, whose licence words the finding shares."""
    top = full_searcher.violation_matcher().match(finding).matches[0].row
    assert (top.law, top.article_no, top.para) == (HAZCHEM, article, para)


def test_gear_provided_and_not_worn_is_never_firm(answerer):
    """"安全帽都发了，工人嫌热不戴，能罚企业吗": the unit did what 未提供劳动防护用品 sanctions; whether it is liable at
    all is the inspector's call. No 确定 row, and the note says why (and where the workers' part lies)."""
    answer = answerer.answer("防护手套厂里都发了，工人嫌热不戴，这能罚企业吗？")
    assert not _penalties(answer, CONFIRMED), _penalties(answer, CONFIRMED)
    assert any("单位已经发放、配备" in n for n in answer.notes), answer.notes
    assert _penalties(answerer.answer("车间没给工人发防护手套"), CONFIRMED)  # not provided: firm as before


@pytest.mark.parametrize("finding", ["蒸馏岗位无书面操作规程，操作工凭经验作业", "车间没有操作规程，工人凭经验干",
                                     "厂里规章制度一个都没有"])
def test_no_procedures_is_not_a_worker_breaking_them(answerer, finding):
    """A unit without written procedures (无操作规程) is not sanctioned by the row for workers who break them
    (安全生产法第一百零七条, 从业人员违反操作规程): a rule that does not exist cannot be broken. It was 确定 for
    these."""
    firm = [p[:2] for p in _penalties(answerer.answer(finding), CONFIRMED)]
    assert (SAFETY, 107) not in firm, firm
    assert (SAFETY, 107) in [p[:2] for p in _penalties(answerer.answer("工人违反操作规程作业"), CONFIRMED)]


def test_working_without_a_licence_is_not_lending_one(full_searcher):
    """A shop selling bottled gas without a licence is 城镇燃气管理条例第四十五条 (未取得燃气经营许可证); the row for
    lending or reselling a licence (第四十六条第（二）项 倒卖、出借…许可证), which shares "卖" and the licence's name,
    falls back when the finding says nothing of lending."""
    found = [(m.row.article_no, m.row.para, m.row.item) for m in
             full_searcher.violation_matcher().match("镇上有个小卖部，没有燃气经营许可证，也在零售瓶装液化气。").matches]
    assert found[0] == (45, 1, None) and (46, 1, 2) not in found[:2], found


def test_a_person_without_a_qualification_is_not_a_unit_without_a_licence(full_searcher):
    """A driver without 从业资格证 is 危化法第一百零九条第（一）项; the carrier's licence row (第一百零八条:
    未取得危险货物道路运输许可) shares "未取得…运输" but is not what was found, unless the finding says the licence
    is missing too."""
    matcher = full_searcher.violation_matcher()
    finding = "罐车驾驶员没有危险货物运输从业资格证，公司照样让他出车。"
    found = [(m.row.article_no, m.row.item) for m in matcher.match(finding).matches]
    assert found[0] == (109, 1) and (108, None) not in found[:3], found
    both = [(m.row.article_no, m.row.item) for m in
            matcher.match("运输公司没有危险货物道路运输许可证就拉液碱，驾驶员也没有从业资格证。").matches]
    assert (108, None) in both[:2], both


def test_a_shipper_that_hires_an_unlicensed_truck_is_fined_as_the_shipper(full_searcher):
    """"雇了一辆…货车把稀料运走" says the unit had it carried (委托承运, an expand: pattern, not a fixed word):
    危化法第一百一十条第一款第（一）项 for the shipper, not the carrier's 第一百零八条."""
    finding = "油漆厂雇了一辆没有危货资质的普通货车把稀料运到外地"
    assert {"委托", "承运"} <= set(full_searcher.lexicon.pattern_expansions(finding))
    row = full_searcher.violation_matcher().match(f"{finding}，厂家怎么罚？").matches[0].row
    assert (row.law, row.article_no, row.para, row.item) == (HAZCHEM, 110, 1, 1)


@pytest.mark.parametrize("finding, law, article", [
    ("卖盐酸的门市部没有销售台账，买家是谁都不知道", "易制毒化学品管理条例", 40),  # a third-class precursor
    ("卖氰化钠的门市部没有销售台账，买家是谁都不知道", HAZCHEM, 104),  # a 剧毒化学品
])
def test_the_toxic_and_explosive_regime_needs_such_a_chemical(full_searcher, finding, law, article):
    """危化法第一百零四条's sales records are for 剧毒化学品、易制爆危险化学品; for 盐酸 the precursor rules apply."""
    row = full_searcher.violation_matcher().match(finding).matches[0].row
    assert (row.law, row.article_no) == (law, article)


def test_each_part_of_a_finding_is_matched_at_the_unit_the_whole_names(answerer):
    """The 乙醇 of the first part makes the unit a hazardous-chemicals one for the second part too: the special
    law's 重大危险源 item, not the 安全生产法's, and only once."""
    answer = answerer.answer("乙醇储罐区构成重大危险源，没有登记建档，也没有定期检测评估")
    firm = _penalties(answer, CONFIRMED)
    assert firm == [(HAZCHEM, 103, 1, 1)]


@pytest.mark.parametrize("finding, parts", [
    ("没有安全技术说明书，也没贴安全标签", 2),
    ("危化品仓库没有设专人管理；出入库没有登记", 2),
    ("经营许可证过期了，还在卖汽油", 1),  # 还在 / 还没: "still", one violation
    ("投产都一年了，还没去办危险化学品登记", 1),
    ("应急预案编了，也评审了，就是一直没报应急局备案", 1),  # what was done is no violation of its own
    ("仓库两台叉车没办使用登记，开叉车的临时工也没有证", 2),  # 也没 after the second clause's own subject
    ("仓库没有固定保管员，出入库也从来不登记", 2),
    ("既没做易制毒化学品经营备案，卖货也不建销售台账", 2),
    ("问老板要许可证，老板说他也不知道要办", 1),
    ("外墙保温施工包给了一个啥资质也没有的施工队", 1),  # 啥…也没有: "none at all", one violation
    ("少了一桶丙酮没去报公安，后来也没出什么事", 1),  # no harm followed: no second violation
    ("打磨工序转包给村里几户人家在院子里干，既没除尘也不发口罩", 1),  # 既…也 in one clause keeps its setting
    ("将油罐清洗作业交给无资质的个人施工队，且未签订安全生产管理协议", 2),  # a record's 且未: a second violation
    ("储罐区未设置安全警示标志，且未设置可燃气体报警装置", 2),
    ("储罐区安全警示标志缺失，且已影响作业", 1),  # 且 without a negation: no second violation
])
def test_a_finding_splits_into_its_violations(finding, parts):
    from retriever.finding_parts import split_findings

    assert len(split_findings(finding)) == parts


@pytest.mark.parametrize("finding, affirmed", [
    ("应急预案倒是编了，可三年里一次演练都没搞过", {"应急预案倒是编了"}),
    ("台账建了，记录也有，就是没有经办人签字", {"台账建了", "记录也有"}),
    ("报警器装了，但坏了两个月没人修", {"报警器装了"}),
    ("仓库超量储存，但说是临时的", set()),  # the clause before the contrast is the violation
    ("罐区没有防火堤，可能会流出厂外", set()),  # 可能 is no contrast
])
def test_what_the_unit_did_is_told_from_what_it_did_not(finding, affirmed):
    from retriever.finding_parts import affirmed_clauses

    assert affirmed_clauses(finding) == affirmed


def test_the_special_law_goes_first_only_for_the_same_conduct(full_searcher):
    """A 危化法 row close behind an 安全生产法 row takes its place when both sanction the same act (重大危险源), not
    when it sanctions another (关闭报警设备 is not 未装备自动控制系统)."""
    from retriever.enforcement import RowMatch

    matcher = full_searcher.violation_matcher()
    rows = {(r.law, r.article_no, r.para, r.item): r for r in matcher.index.rows}
    pairs = {((SAFETY, 101, 1, 2), (HAZCHEM, 103, 1, 1)): True, ((SAFETY, 99, 1, 4), (HAZCHEM, 101, 1, 9)): False}
    for (general, special), swapped in pairs.items():
        ranked = [RowMatch(rows[general], 1.5, 0.4), RowMatch(rows[special], 1.3, 0.3)]
        first = matcher._special_first(ranked, {"危险化学品"})[0].row
        assert (first is rows[special]) == swapped, (general, special)


def test_a_sector_law_goes_first_for_its_objects_whatever_the_conduct(full_searcher):
    """特种设备安全法 is sector_of 安全生产法: a boiler finding's 特设法 row leads a close 安全生产法 row even where the
    two say different things (水质处理 vs 设备维护保养); the general row then stays a rival, not its counterpart.
    Without the boiler (nothing of the sector touched) the scores decide."""
    from retriever.enforcement import RowMatch

    matcher = full_searcher.violation_matcher()
    rows = {(r.law, r.article_no, r.para, r.item): r for r in matcher.index.rows}
    general, sector = rows[(SAFETY, 99, 1, 3)], rows[("中华人民共和国特种设备安全法", 83, 1, 5)]
    ranked = matcher._special_first([RowMatch(general, 1.5, 0.4), RowMatch(sector, 1.3, 0.3)], {"特种设备"})
    assert ranked[0].row is sector and general not in ranked[0].general
    ranked = matcher._special_first([RowMatch(general, 1.5, 0.4), RowMatch(sector, 1.3, 0.3)], set())
    assert ranked[0].row is general


def test_a_row_for_another_kind_of_unit_is_never_firm(answerer):
    """114(1) sanctions 运输企业 without full-time safety staff; a 经营 finding may come near it, not firmly, and the
    row says whom it is for."""
    finding = "危化品批发门市没有配专职的安全管理人员"
    answer = answerer.answer(finding)
    assert not any(c.confidence == CONFIRMED and c.law == "中华人民共和国危险化学品安全法" and c.article_no == 114
                   for c in answer.citations)
    near = [m for m in answerer.matcher.match(finding).matches
            if (m.row.law, m.row.article_no) == ("中华人民共和国危险化学品安全法", 114)]
    assert near and near[0].confidence == TO_CHECK
    assert "该项针对运输单位，检查发现说的是经营单位，请核对适用对象" in near[0].notes
    # 危化法第一百零一条第一款第（六）项 is written for 生产企业; a 仓储公司's untrained staff fall under 安全生产法.
    answer = answerer.answer("仓储公司的装卸工没经过安全培训就上岗")
    assert (HAZCHEM, 101, 1, 6) not in _penalties(answer, CONFIRMED)
    assert "该项针对生产单位，检查发现说的是储存单位，请核对适用对象" in answer.notes


def test_the_inspected_units_type_is_the_findings_setting(answerer):
    """An inspector who chose the unit's type before writing findings (ask --unit-type) gets what a finding naming
    it would get: untrained operators at a hazardous-chemical producer are 危化法第一百零一条第（六）项, the special
    law's item for 生产企业; at an unnamed unit, or a 一般工贸企业, 安全生产法第九十七条第（三）项. The type is said
    in the answer, and one the lexicon lacks is refused with the types it knows."""
    from corpus.errors import InputError

    finding = "新招的三个操作工没培训就上岗了"
    plain = answerer.answer(finding)
    assert _penalties(plain, CONFIRMED)[:1] == [(SAFETY, 97, 1, 3)] and plain.unit_type is None
    producer = answerer.answer(finding, unit_type="危险化学品生产")
    assert _penalties(producer, CONFIRMED)[:1] == [(HAZCHEM, 101, 1, 6)]
    assert producer.unit_type == "危险化学品生产" and producer.as_json()["unit_type"] == "危险化学品生产"
    assert _penalties(answerer.answer(finding, unit_type="一般工贸企业"), CONFIRMED)[:1] == [(SAFETY, 97, 1, 3)]
    with pytest.raises(InputError, match="危险化学品经营、"):
        answerer.answer(finding, unit_type="化肥厂")


def test_answers_link_to_their_rows(answerer, full_searcher):
    from corpus.violations import ViolationStore

    answer = answerer.answer("剧毒化学品没有双人收发双人保管")
    store = ViolationStore(full_searcher.catalog)
    row_ids = {c.row_id for c in answer.citations if c.row_id}
    assert row_ids and all(store.row(i).row_id == i for i in row_ids)
    assert answer.rows and answer.rows[0]["confidence"] == CONFIRMED


def test_a_prohibition_without_a_separate_duty_is_its_own_violation_basis(answerer):
    """出借生产许可证: no article of 特种设备安全法 forbids it but the penalty 款 itself, which is then cited as the
    违法依据 too, saying so."""
    answer = answerer.answer("锅炉安装公司把特种设备生产许可证出借给没资质的施工队用")
    penalty = next(c for c in answer.citations if c.role == ROLE_PENALTY and c.confidence == CONFIRMED)
    duty = next(c for c in answer.citations if c.role == ROLE_OBLIGATION and c.confidence == CONFIRMED)
    assert (penalty.article_no, penalty.para) == (81, 3) and penalty.label() == duty.label()
    assert duty.link == "罚则自含禁止性规定" and duty.row_id == penalty.row_id


def test_a_bureau_discretion_tier_shows_under_its_item(full_settings, answerer, tmp_path):
    """The sample 裁量基准 (marked as a sample) attaches to 危化法第一百零一条第一款第（十）项 \
and shows in the answer."""
    from corpus.catalog import open_catalog
    from corpus.violations import import_discretion, remove_discretion
    from retriever.kb import open_searcher

    sample = Path(__file__).resolve().parents[1] / "docs" / "samples" / "裁量基准样例.xlsx"
    catalog = open_catalog(full_settings)
    report = import_discretion(catalog, sample)
    try:
        assert report.ok
        searcher, _ = open_searcher(full_settings, catalog)
        answer = ExtractiveAnswerer(searcher).answer("储存场所没设安全警示标志，怎么罚？")
        penalty = next(c for c in answer.citations if c.role == ROLE_PENALTY and c.confidence == CONFIRMED)
        assert penalty.tiers and all(t["sample"] for t in penalty.tiers)
        assert "裁量基准（样例）" in answer.enforcement_block()
    finally:
        remove_discretion(catalog, str(sample))
        catalog.close()


# Measured 2026-12-02 after the third round of on-site phrases (gold 处罚依据 cited, first firm one wrong of all
# findings, firm share, 项 right): answers_holdout (81) .933 / .025 / .580 / .954, answers_holdout2 (120, new)
# .907 / .058 / .508 / .946; on 2026-12-03 .933 / .037 / .580 / .954 and .907 / .058 / .500 / .946, and the new
# answers_holdout3 (120) .843 / .025 / .492 / .952. Later on 2026-12-03, with the duties no penalty sanctions held
# apart: .933 / .037 / .580 / .954, .907 / .050 / .483 / .946, .843 / .025 / .492 / .952, and the new answers_holdout4
# (120) .907 / .075 / .517 / .947 (before that change .907 / .092 / .558 / .947). On 2026-12-03 (eighth session), with
# question words counted only in questions and the 项 of article answers recorded: .947 / .037 / .580 / .955,
# .917 / .042 / .492 / .979, .870 / .025 / .500 / .953, .907 / .083 / .525 / .947, and the new answers_holdout5 (120)
# .852 / .033 / .400 / .928 (when first run .852 / .025 / .383 / .892). Ninth session's end (unsure answers led by the
# best row, person-targeted findings, a firm 项 .07 clear of its sibling): .947 / .037 / .568 / .955, .917 / .042 /
# .483 / .979, .870 / .025 / .500 / .953, .907 / .075 / .517 / .947, .852 / .042 / .400 / .916. Tenth session's end
# (accident grades, licences lent, the asked role, the 剧毒/易制爆 regime, expand: patterns, the special law within
# 30%, the sector laws' on-site phrases): .960 / .049 / .568 / .970, .935 / .033 / .475 / .979, .889 / .025 / .492 /
# .943, .907 / .067 / .492 / .958, .852 / .033 / .367 / .916, and answers_holdout6 .861 / .058 / .467 / .941. The
# floors sit a few points under, so a change that makes answers surer by making them wronger fails here. Eleventh
# session's end (reviewed sector links, duties no penalty reaches said in the finding's words, result clauses, more
# vocabulary): .960 / .049 / .593 / .970, .954 / .025 / .467 / .969, .889 / .017 / .492 / .954, .907 / .067 / .500 /
# .958, .861 / .025 / .358 / .905, .880 / .033 / .450 / .942, and answers_holdout7 .926 / .025 / .450 / .920. Twelfth
# session's end (a transport row firm only when the finding speaks of transport, more vocabulary): .947 / .062 /
# .605 / .970, .954 / .025 / .450 / .969, .889 / .017 / .483 / .966, .926 / .058 / .500 / .959, .861 / .025 / .350 /
# .905, .889 / .033 / .458 / .943, .935 / .017 / .442 / .920, and the new answers_holdout8 .898 / .017 / .375 / .967
# (first run .880 / .017 / .383 / .967). Thirteenth session's end (protective gear, disabled devices, the controlled
# chemicals' regime only when spoken of, warning signs at chemical sites under the special law, type mismatch .5,
# referrals to the higher law, the best row of a long finding): .947 / .062 / .617 / .955, .972 / .025 / .483 / .950,
# .935 / .025 / .500 / .946, .935 / .067 / .525 / .959, .898 / .017 / .358 / .898, .926 / .025 / .475 / .923,
# .972 / .025 / .475 / .934, .926 / .017 / .400 / .958, and the new answers_holdout9 .972 / .042 / .475 / .980 (first
# run, at the session's start, .972 / .042 / .450 / .961). Fourteenth session's end (fire-law and gas vocabulary,
# duties no penalty reaches, the best row of a long finding at .07): .973 / .049 / .605 / .956, .963 / .017 / .500 /
# .960, .954 / .025 / .525 / .947, .944 / .067 / .558 / .970, .907 / .017 / .367 / .899, .935 / .017 / .492 / .935,
# .972 / .033 / .500 / .967, .963 / .008 / .450 / .970, .981 / .025 / .550 / 1.000, and the new answers_holdout10
# .981 / .050 / .508 / .970 (first run, at the session's start, .972 / .050 / .475 / .970).
_FLOOR_KEYS = ("n", "gold_penalty_cited", "first_firm_penalty_wrong", "firm_penalty_share", "item_accuracy")
HELD_OUT_FLOORS = {gold: dict(zip(_FLOOR_KEYS, floors)) for gold, floors in {
    # Twelfth session: one first firm penalty more that is the writer's alternative (not-alternative share unchanged,
    # .049), so the wrong floor went from .05 to .07.
    "answers_holdout.jsonl": (80, 0.88, 0.07, 0.52, 0.90),
    "answers_holdout2.jsonl": (120, 0.86, 0.05, 0.42, 0.90),
    # Eighteenth session: the decisive-lead tier made 7 more answers firm here, 2 of them with a wrong first firm
    # 处罚依据 (2.5% -> 4.2%, over all held-out sets 604 -> 670 firm, 29 -> 33 wrong), so the wrong floor went from
    # .04 to .05; the tier was chosen on the dev sets before the held-out sets were run. Nineteenth session's end:
    # .935 / .033 / .600 / .957 here and .963 / .067 / .642 / .970 on answers_holdout4 (was .075), so both wrong
    # floors went down again (.05 -> .04, .08 -> .07). Twentieth session: a second violation after the clause's own
    # subject (叉车没登记，开叉车的人也没有证), clauses that only ask left out of coverage, overdue equipment still in
    # use as 特设法第八十四条第（一）项: over all held-out sets 670 -> 714 firm, 30 -> 35 wrong (chosen on the dev sets:
    # read +90 firm, 0 wrong; blind-run 15/22/23 +8, -1); here .935 / .042 / .633 / .957, so .04 -> .05 again.
    "answers_holdout3.jsonl": (120, 0.80, 0.05, 0.44, 0.90),
    "answers_holdout4.jsonl": (120, 0.86, 0.07, 0.46, 0.90),
    # The unsanctioned duties (eleventh session) took one wrong firm answer from answers_holdout5 and three from
    # answers_holdout6: their firm floors went down with them.
    "answers_holdout5.jsonl": (120, 0.82, 0.05, 0.34, 0.88),
    "answers_holdout6.jsonl": (120, 0.84, 0.06, 0.42, 0.90),
    # Eleventh session's new set, everyday proportions, first run .907 / .042 / .467 / .919.
    "answers_holdout7.jsonl": (120, 0.88, 0.05, 0.42, 0.88),
    # Twelfth session's new set, everyday proportions, first run .880 / .017 / .383 / .967.
    "answers_holdout8.jsonl": (120, 0.85, 0.04, 0.34, 0.92),
    # Thirteenth session's new set, everyday proportions.
    "answers_holdout9.jsonl": (120, 0.93, 0.06, 0.42, 0.93),
    # Fourteenth session's new set, everyday proportions.
    "answers_holdout10.jsonl": (120, 0.93, 0.07, 0.45, 0.93),
    # Thirty-second session's record-style set (inspection-record wording), first run .981 / .067 / .667 / .959, at the
    # session's end .981 / .050 / .650 / .959.
    "answers_formal_holdout.jsonl": (60, 0.95, 0.07, 0.58, 0.90),
}.items()}


@pytest.mark.parametrize("gold", sorted(HELD_OUT_FLOORS))
def test_answer_level_floors(full_searcher, gold):
    """Floors a little under the figures measured at the end of the on-site-phrases work (see README): the
    held-out sets are only ever run for their totals."""
    from eval.answers import run_answer_eval

    answerer = ExtractiveAnswerer(full_searcher)
    held_out = run_answer_eval(full_searcher.catalog, answerer, GOLD / gold)
    floors = HELD_OUT_FLOORS[gold]
    assert held_out["n"] >= floors["n"]
    assert held_out["gold_penalty_cited"] >= floors["gold_penalty_cited"], held_out["gold_penalty_cited"]
    assert held_out["first_firm_penalty_wrong"] <= floors["first_firm_penalty_wrong"]
    assert held_out["firm_penalty_share"] >= floors["firm_penalty_share"], held_out["firm_penalty_share"]
    assert held_out["item_accuracy"] >= floors["item_accuracy"], held_out["item_accuracy"]


@pytest.mark.parametrize("gold, cited, wrong", [("answers_dev.jsonl", 0.90, 0.07), ("answers_dev2.jsonl", 0.90, 0.07),
                                                ("answers_dev4.jsonl", 0.76, 0.05), ("answers_dev5.jsonl", 0.82, 0.05),
                                                ("answers_sector.jsonl", 0.78, 0.08),
                                                ("answers_dev6.jsonl", 0.90, 0.03), ("answers_dev7.jsonl", 0.93, 0.03),
                                                ("answers_dev8.jsonl", 0.92, 0.06), ("answers_dev9.jsonl", 0.95, 0.03),
                                                ("answers_dev10.jsonl", 0.95, 0.03),
                                                ("answers_dev11.jsonl", 0.95, 0.03),
                                                ("answers_dev12.jsonl", 0.95, 0.03),
                                                ("answers_dev13.jsonl", 0.95, 0.03),
                                                ("answers_dev14.jsonl", 0.95, 0.05),
                                                ("answers_dev15.jsonl", 0.95, 0.05),
                                                ("answers_dev16.jsonl", 0.95, 0.05),
                                                ("answers_dev17.jsonl", 0.95, 0.03),
                                                ("answers_dev18.jsonl", 0.95, 0.03),
                                                ("answers_dev19.jsonl", 0.95, 0.04),
                                                ("answers_dev20.jsonl", 0.95, 0.04),
                                                ("answers_dev21.jsonl", 0.95, 0.06),
                                                ("answers_dev22.jsonl", 0.95, 0.05),
                                                ("answers_dev23.jsonl", 0.95, 0.04),
                                                ("answers_dev24.jsonl", 0.95, 0.06),
                                                ("answers_dev25.jsonl", 0.95, 0.06),
                                                ("answers_dev26.jsonl", 0.95, 0.05),
                                                ("answers_dev27.jsonl", 0.95, 0.06),
                                                ("answers_dev28.jsonl", 0.95, 0.06),
                                                ("answers_formal_dev.jsonl", 0.95, 0.05)])
def test_answer_level_floors_on_the_dev_sets(full_searcher, gold, cited, wrong):
    """Measured 2026-12-03 (eighth session's end): answers_dev 1.000 cited / .019 wrong, answers_dev2 .944 / .033;
    ninth session: answers_dev4 (new, harder) .796 / .025; tenth: answers_dev5 (new, everyday findings) .861 / .025,
    answers_sector (40, the sector laws, with their on-site phrases) .833 / .050; eleventh: answers_dev6 (new, everyday
    findings) first run .889 / .033, at the end .954 / .008, answers_sector .806 / .050; twelfth: answers_dev7 (new,
    everyday findings) first run .917 / .042, at the end .972 / .017, answers_sector .806 / .025; thirteenth:
    answers_dev8 (new, everyday findings) first run .926 / .058, at the end .963 / .042; answers_dev9 (new, written
    mid-session) first run .898 / .033 (.935 / .025 on the code of its writing), at the end .991 / .008; fourteenth:
    answers_dev10 (new) first run .972 / .033, at the end .991 / .000; answers_dev11 (new, written mid-session) first
    run .972 / .025 (.981 / .017 on the code of its writing), at the end 1.000 / .008; fifteenth: answers_dev12 (new)
    first run .954 / .025, at the end .981 / .017; answers_dev13 (new, written after the session's changes) .972 / .008
    on the session's first code, .981 / .008 on its last; sixteenth: answers_dev14 (new) first run .972 / .058, at the
    end .981 / .042; answers_dev15 (new, run blind only) .991 / .033 on the session's first code and on its last;
    answers_dev16 and answers_dev17 (new, written mid-session) first runs .935 / .042 and .972 / .025, at the end
    .972 / .033 and .991 / .017; answers_dev18 (new, late) first run .981 / .000, at the end .991 / .000;
    answers_dev19 (new, written after the session's changes) .972 / .025; seventeenth: answers_dev20 (new) first run
    .981 / .042, at the end .991 / .025; answers_dev21 (new, written after the session's changes) .963 / .050;
    eighteenth: answers_dev21 at the end .981 / .050; answers_dev22 (new, written mid-session) 1.000 / .025 on the
    session's first code, 1.000 / .033 on its last; nineteenth: answers_dev23 (new, written mid-session) .981 / .017
    on the session's first code and on its last; twentieth: answers_dev24 (new, written at the session's end) .972 /
    .042 on the session's first code and on its last; twenty-second: answers_dev25 (new, written at the session's
    start) .963 / .042 on the session's first code (matched lexically, as in these tests); twenty-third:
    answers_dev26 (new, written after the session's change) .963 / .033; twenty-fourth: answers_dev27 (new, written
    mid-session) .981 / .050 on the session's first code and on its last; twenty-fifth: answers_dev28 (new, written
    mid-session) .963 / .025 in the report (row vectors on) on the session's first code and on its last;
    thirty-second: answers_formal_dev (new, inspection-record wording) first run 1.000 / .117, at the end
    1.000 / .033 in the report."""
    from eval.answers import run_answer_eval

    dev = run_answer_eval(full_searcher.catalog, ExtractiveAnswerer(full_searcher), GOLD / gold)
    assert dev["first_firm_penalty_wrong"] <= wrong and dev["gold_penalty_cited"] >= cited, dev


def test_a_wrong_first_penalty_that_the_writer_accepts_as_an_alternative_is_counted_apart(answerer, full_searcher):
    """first_firm_penalty_wrong counts any firm first penalty the gold does not name first; its gold alternatives
    (an article an expert would cite second) are counted apart, as no legal error."""
    from eval.answers import GoldFinding, GoldPenalty, GoldViolation, score_answer, summarize
    from eval.gold import LawKeys

    finding = "剧毒化学品仓库没有双人收发双人保管"
    answer = answerer.answer(finding)
    laws = LawKeys(full_searcher.catalog)
    first = next(c for c in answer.citations if c.role == ROLE_PENALTY and c.confidence == CONFIRMED)
    given = (laws.key(first.law), first.article_no)
    other = (laws.key(SAFETY), 112)

    def gold(first_choice, alternatives):
        return GoldFinding("T", finding, [GoldViolation(set(), set(), [GoldPenalty(first_choice, None, None)],
                                                        alternatives, False)])

    scored = [score_answer(gold(given, set()), answer, laws), score_answer(gold(other, {given}), answer, laws),
              score_answer(gold(other, set()), answer, laws)]
    assert [(s.first_firm_wrong, s.first_firm_alt) for s in scored] == [(False, False), (True, True), (True, False)]
    summary = summarize(scored)
    assert summary["first_firm_penalty_wrong"] == pytest.approx(2 / 3, abs=1e-3)  # shares are rounded
    assert summary["first_firm_penalty_wrong_not_alt"] == pytest.approx(1 / 3, abs=1e-3)
    # The right article with another 项 is counted too: a firm wrong 项 is as much a legal error.
    other_item = 2 if first.item_no != 2 else 3

    def with_item(item):
        return GoldFinding("T", finding, [GoldViolation(set(), set(), [GoldPenalty(given, first.para, item)],
                                                        set(), False)])

    scored = [score_answer(with_item(first.item_no), answer, laws), score_answer(with_item(other_item), answer, laws)]
    assert [(s.first_firm_wrong, s.first_firm_item_wrong, s.item_right) for s in scored] == [
        (False, False, True), (False, True, False)]
    assert summarize(scored)["first_firm_item_wrong"] == 0.5


def test_a_special_law_duty_without_a_penalty_of_its_own_is_cited_under_the_general_law(answerer, full_searcher):
    """危化法第三十八条第二款 forbids disabling alarms but sets no penalty: 安全生产法第九十九条第（四）项
    sanctions it (a reviewed link into another law, its quote read from that law). The hazardous-chemicals duty is
    cited only for a finding at such a unit; at a machine shop the general law's own duty is the 违法依据."""
    row = next(r for r in full_searcher.violation_matcher().index.rows
               if r.key == ("安全生产法", 99, 1, 4))
    link = next(o for o in row.obligations if o.law == "危险化学品安全法" and o.article_no == 38)
    assert link.unit_id and link.quote.startswith("生产、储存危险化学品的单位，不得关闭、破坏")

    def obligations(answer):
        return {(c.law, c.article_no, c.para) for c in answer.citations if c.role == ROLE_OBLIGATION}

    plant = answerer.answer("化工厂把可燃气体报警器的电源拔了")
    assert (SAFETY, 99, 1, 4) in _penalties(plant, CONFIRMED)
    assert (HAZCHEM, 38, 2) in obligations(plant)
    shop = answerer.answer("机械厂把烟感报警器的电源拔了")
    assert (SAFETY, 99, 1, 4) in _penalties(shop)
    assert not any(law == HAZCHEM for law, _n, _p in obligations(shop))


def test_a_finding_closer_to_a_duty_no_penalty_sanctions_is_not_firm(answerer, full_searcher):
    """应急条例第十条第一款 (build an emergency rescue team) has no penalty: a finding about it fits that duty better
    than the nearest penalty row, so no penalty is 确定 and the note names the duty (or 安全生产法第八十二条第一款,
    the same duty the reviewed table names, which goes first). A sanctioned duty's finding stays firm; an unsure
    answer gets the note as well."""
    answer = answerer.answer("冶炼厂没有建立应急救援队伍，也没有指定兼职救援人员")
    assert not _penalties(answer, CONFIRMED)
    assert any(n.startswith(("检查发现更贴近《生产安全事故应急条例》第十条第一款，违法行为库中没有处罚该款的项",
                             "检查发现说的是《中华人民共和国安全生产法》第八十二条第一款中“应当建立应急救援组织”"))
               for n in answer.notes), answer.notes
    assert (HAZCHEM, 101, 1, 10) in _penalties(answerer.answer("储存场所没设安全警示标志"), CONFIRMED)
    # An unsure answer says it too: telling an appointment to the bureau (第二十六条第四款) has no penalty.
    unsure = answerer.answer("钢厂的安全科长换人了，任免没跟应急管理局说")
    assert not _penalties(unsure, CONFIRMED)
    assert any("更贴近《中华人民共和国安全生产法》第二十六条第四款" in n for n in unsure.notes), unsure.notes
    duties = {d.cite() for d in full_searcher.violation_matcher().gaps.duties}
    assert "《生产安全事故应急条例》第十条第一款" in duties
    assert "《中华人民共和国危险化学品安全法》第三十八条第二款" not in duties  # 安全生产法第九十九条 sanctions it
    assert not any("第一百零一条" in d for d in duties if "危险化学品安全法" in d)  # penalty articles are no duties
    # A 款 that only hands the law's duties to others (被派遣劳动者 "应当履行本法规定的从业人员的义务") is no duty of
    # its own, and a duty a reviewed link ties to a catch-all row (安全管理人员的经常性检查, 第九十六条) is sanctioned.
    assert "《中华人民共和国安全生产法》第六十一条" not in duties
    assert "《中华人民共和国安全生产法》第四十六条第一款" not in duties
    assert "《中华人民共和国安全生产法》第四十六条第二款" in duties
    # A 款 whose first duty is laid on a government body after a clause of circumstance (城镇燃气管理条例第十三条:
    # "…突发事件发生后，县级以上地方人民政府应当…") is the authorities' duty.
    assert "《城镇燃气管理条例》第十三条" not in duties
    assert "《城镇燃气管理条例》第十七条第二款" in duties
    # A duty beside the row's own obligation in its article that says another thing is a gap (公示收费标准 beside
    # the supply duty 第四十六条第（七）项 sanctions); one that says much the same is not (安全生产法第二十七条第一款,
    # 具备安全生产知识和管理能力, beside the second 款's 考核合格 that 第九十七条第（二）项 sanctions).
    matcher = full_searcher.violation_matcher()
    exam = next(r for r in matcher.index.rows if r.law == SAFETY and r.article_no == 97 and r.item == 2)
    lacking = full_searcher.parse("危化品经营公司的主要负责人和安全管理人员不具备安全生产知识和管理能力")
    assert matcher.gaps.closer(lacking, exam) is None
    posted = answerer.answer("瓶装液化气供应站门口没有公示收费标准和服务热线")
    assert not _penalties(posted, CONFIRMED)
    assert any("更贴近《城镇燃气管理条例》第十七条第二款" in n for n in posted.notes), posted.notes


@pytest.mark.parametrize("finding, duty", [
    ("储罐区企业今年组织了两次应急演练，但是演练情况一直没向应急局报送", "《生产安全事故应急条例》第八条第二款"),
    ("油漆店备着安全技术说明书，卖货时从不随货给客户", "《中华人民共和国危险化学品安全法》第五十七条第一款"),
    ("化工厂的安全评价报告做了，备案也报了，但是没有向社会公开", "《中华人民共和国危险化学品安全法》第三十九条第一款"),
])
def test_the_unsanctioned_part_of_a_duty_is_not_firm(answerer, finding, duty):
    """A penalty may reach only part of a 款 (应急条例第三十条: not drilling; not reporting the drill is unpunished).
    A finding about the other part gets no firm penalty, and the note quotes that part; not drilling at all stays
    firm."""
    answer = answerer.answer(finding)
    assert not _penalties(answer, CONFIRMED)
    assert any(n.startswith(f"检查发现说的是{duty}中“") for n in answer.notes), answer.notes
    first = answer.citations[0]  # the duty leads the answer: the basis for 责令改正
    assert (first.role, first.confidence) == (ROLE_OBLIGATION, TO_CHECK)
    assert duty.startswith(f"《{first.law}》{first.article}"), (first.law, first.article)
    assert (SAFETY, 97, 1, 6) in _penalties(answerer.answer("储罐区企业从来没组织过应急演练"), CONFIRMED)


@pytest.mark.parametrize("finding, duty", [
    ("未建立应急救援组织", "《中华人民共和国安全生产法》第八十二条第一款"),  # was 确定 on 应急条例第三十二条
    ("油库发油台装车前未查验罐车道路运输证和押运员从业资格证", "《中华人民共和国危险化学品安全法》第八十二条第三款"),
    ("专职安全员更换后未告知属地应急管理部门", "《中华人民共和国安全生产法》第二十六条第四款"),
])
def test_a_record_of_a_duty_no_penalty_reaches_is_not_firm(answerer, finding, duty):
    """Records write 未 (未查验, 未告知) where the table's wordings were written from findings told aloud (没查): the
    record is matched in its spoken form too, and gets no firm penalty, the note naming the duty."""
    answer = answerer.answer(finding)
    assert not _penalties(answer, CONFIRMED), _penalties(answer, CONFIRMED)
    assert any(duty in n for n in answer.notes), answer.notes


@pytest.mark.parametrize("finding, firm", [
    ("服装厂车间楼上住着工人", False),  # no dangerous goods: 消防法第六十一条第二款 is the inspector's candidate
    ("服装加工点生产、仓储和员工住宿设在同一栋楼内（三合一）", False),
    ("危化品仓库楼上住着员工", True),
    ("油漆店阁楼上住着店员", True),
])
def test_a_row_for_dangerous_goods_needs_a_finding_about_them(answerer, finding, firm):
    """安全生产法第一百零五条第（一）项 sanctions the workshop or store of dangerous goods (危险物品) under one roof
    with a dormitory: for a garment workshop it is no 确定 basis (the note says why); for paint or hazardous
    chemicals it is."""
    answer = answerer.answer(finding)
    assert ((SAFETY, 105, 1, 1) in _penalties(answer, CONFIRMED)) is firm, _penalties(answer)
    assert firm or any(n.startswith("本项只处罚危险物品") for n in answer.notes), answer.notes


def test_a_plan_recorded_as_not_established_is_no_duty_roster(answerer):
    """"未建立应急救援预案": 建立 is the record's verb for the plan (the law says 制定); 应急条例第三十二条 sanctions
    "未建立应急值班制度" and not filing the plan, so it is not 确定 for a missing plan. A plan recorded as not drawn up
    is 安全生产法第九十七条第（六）项, firmly."""
    assert (EMERGENCY, 32, 1, None) not in _penalties(answerer.answer("未建立应急救援预案"), CONFIRMED)
    assert (SAFETY, 97, 1, 6) in _penalties(answerer.answer("公司未编制危险化学品事故应急救援预案"), CONFIRMED)


@pytest.mark.parametrize("finding", ["锅炉的软水器坏了快一年，水质化验记录也拿不出来",
                                     "冲压车间好几台冲床的光电保护被工人用短接线弄失效了"])
def test_an_unsure_answer_leads_with_the_best_rows_penalty(answerer, finding):
    """No row is 确定: the best row's penalty (its 项) comes first, before the articles the search found, unless
    the first of those is that row's own obligation (the pair stays together)."""
    answer = answerer.answer(finding)
    assert not _penalties(answer, CONFIRMED)
    best = answerer.match_rows(finding, answerer.retrieve(finding), None)[0]
    assert best.coverage >= MIN_TOP_ROW_COVERAGE  # the best row is a candidate
    top = best.row
    first, second = answer.citations[:2]
    if first.role == ROLE_OBLIGATION and first.unit_id in {o.unit_id for o in top.obligations}:
        first = second
    assert (first.role, first.row_id, first.confidence) == (ROLE_PENALTY, top.row_id, TO_CHECK)


def test_a_finding_asking_about_a_person_prefers_the_rows_that_sanction_one(full_searcher):
    """"对他个人怎么处罚" asks for a person's sanction: 消防法第六十四条第（三）项 (detention, a person's) comes before
    危化法 rows that sanction the unit. "死了一个人，企业罚多少" asks about the unit."""
    matcher = full_searcher.violation_matcher()
    top = matcher.match("仓库着火后，值班的保管员不让人报警，对他个人怎么处罚？").matches[0].row
    assert (top.law, top.article_no, top.item) == ("中华人民共和国消防法", 64, 3)
    person = full_searcher.lexicon.intent("person")
    assert person.search("对这个司机个人怎么处理") and person.search("针对厂长怎么罚")
    assert not person.search("厂里发生了一般事故死了一个人,企业罚多少")
    unit = full_searcher.lexicon.intent("unit")
    assert unit.search("企业罚多少") and unit.search("对公司怎么处罚") and not unit.search("企业和老板怎么罚")


@pytest.mark.parametrize("finding, asked", [
    ("仓库的安全员发现液碱管线漏了也没上报，这个安全员个人要担什么责任？", {"安全生产管理人员"}),
    ("能不能单独罚安全员？他每周的巡检记录都是编的", {"安全生产管理人员"}),
    ("老板说安全的事全交给安全员了，自己从不过问，针对老板本人怎么罚？", set()),  # asked of the boss
])
def test_a_finding_asking_about_the_safety_officer_leads_with_the_row_that_fines_one(full_searcher, finding, asked):
    """安全生产法第九十六条 fines the 安全生产管理人员; the words that name them also match the unit's rows for not
    having one (第九十七条第（一）项), which a finding about what the officer did contradicts."""
    assert full_searcher.lexicon.asked_roles(finding) == asked
    top = full_searcher.violation_matcher().match(finding).matches[0].row
    assert ((top.law, top.article_no) == (SAFETY, 96)) == bool(asked)


def test_the_row_for_the_person_asked_about_is_shown_however_little_it_says_of_the_finding(answerer):
    """"未履行本法规定的安全生产管理职责" shares few words with a detailed finding, so the row's coverage is low; asked
    about by role, it is still the answer's candidate, ahead of the unit's rows."""
    for finding in ("安全科长每天的巡查记录写得满满的，工人却说从没见他来过车间，记录都是补的。能罚安全科长本人吗？",
                    "厂里的专职安全员三个月没下过车间，隐患排查表都是在办公室里填的，这个安全员个人怎么处罚？"):
        assert _penalties(answerer.answer(finding))[0] == (SAFETY, 96, 1, None)


def test_a_transport_row_is_not_firm_for_a_finding_that_speaks_of_no_transport(full_searcher):
    """危化法第一百零九条第（四）项 sanctions carrying chemicals without protective gear: the nearest row for gear
    missing at a filling post, but the finding names no transport, so the row cannot be 确定 (it was, on dev7)."""
    matcher = full_searcher.violation_matcher()
    rows = {(r.law, r.article_no, r.para, r.item): r for r in matcher.index.rows}
    assert "运输" in matcher.row_types[matcher.index.position[rows[(HAZCHEM, 109, 1, 4)].row_id]]
    found = [m for m in matcher.match("硫酸灌装岗位的工人没配防酸手套和面罩，穿着自己的布鞋就在那灌").matches
             if (m.row.law, m.row.article_no, m.row.item) == (HAZCHEM, 109, 4)]
    assert found and found[0].confidence == TO_CHECK
    assert "该项针对运输单位，检查发现没有说到，请核对适用对象" in found[0].notes
    # Named ("拉盐酸的车"), the same row may be firm.
    assert "运输" in matcher._setting(full_searcher.parse("拉盐酸的车上没有防护服、护目镜")).types


def test_a_device_switched_off_is_sanctioned_as_disabling_not_as_missing(full_searcher):
    """An interlock that is there but was bypassed is 关闭、破坏 of a safety device (安全生产法第九十九条第（四）项),
    not 未装备安全仪表系统 (危化法第一百零一条第（九）项), though the finding shares the latter's objects (联锁)."""
    matcher = full_searcher.violation_matcher()
    finding = "裂解炉的紧急切断联锁被工艺员短接了，说是老误动作"
    assert matcher._setting(full_searcher.parse(finding)).disables
    top = matcher.match(finding).matches[0]
    assert (top.row.law, top.row.article_no, top.row.item) == (SAFETY, 99, 4)
    assert not matcher._setting(full_searcher.parse("反应釜没有装联锁和紧急切断")).disables
    assert matcher._setting(full_searcher.parse("抛光车间除尘器的泄爆片让人用钢板封死了")).disables
    # a row for not installing the device is never 确定 for it (it led, firm, on the built-in laws alone)
    lacking = [m for m in matcher.match("精馏塔压力高高联锁让操作工摘了，也没审批").matches
               if (m.row.law, m.row.article_no, m.row.item) == (HAZCHEM, 101, 9)]
    assert lacking and lacking[0].confidence == TO_CHECK and lacking[0].notes, lacking
    removed = "DCS上看到氯化釜温度联锁被摘了，操作工说老跳车"
    assert matcher._setting(full_searcher.parse(removed)).disables
    top = matcher.match(removed).matches[0]
    assert (top.row.law, top.row.article_no, top.row.item) == (SAFETY, 99, 4), top.row.cite()


def test_a_controlled_chemical_is_of_its_regime_only_when_the_finding_speaks_of_the_regime(full_searcher):
    """硝酸铵 is 易制爆, but stored next to diesel the finding is about storage, which binds every hazardous chemical:
    no row of the 剧毒/易制爆 regime (流向记录, 购买许可 …) comes near. Selling it without a record is of the regime."""
    matcher = full_searcher.violation_matcher()
    finding = "仓库里硝酸铵和柴油堆在同一间库房，中间没隔开"
    assert matcher._setting(full_searcher.parse(finding)).uncontrolled
    top = matcher.match(finding).matches[:3]
    assert not any(matcher.controlled[matcher.index.position[m.row.row_id]] for m in top)
    assert (top[0].row.law, top[0].row.article_no) == (HAZCHEM, 103)
    assert not matcher._setting(full_searcher.parse("硝酸铵卖给个人，没记购买人身份证号")).uncontrolled


def test_protective_gear_by_name_is_the_safety_law_item_and_charging_workers_for_it_is_a_gap(full_searcher):
    """安全帽、劳保鞋 are 劳动防护用品 (GB 39800.1 classes): not issued, 安全生产法第九十九条第（五）项 is firm. Issued
    but paid from the workers' wages breaks 第四十七条, which no penalty item reaches: not firm, the gap noted."""
    matcher = full_searcher.violation_matcher()
    top = matcher.match("装卸队员没有安全帽和劳保鞋，公司从没发过").matches[0]
    assert (top.row.law, top.row.article_no, top.row.item, top.confidence) == (SAFETY, 99, 5, CONFIRMED)
    # 防毒面具 is respiratory gear against acute poisoning (氯气, 硫化氢): 劳动防护用品, not by itself an occupational
    # health matter (dev sets: writers cite 安全生产法 for it, 职业病防治法第七十二条 as the alternative)
    mask = matcher.match("液氯钢瓶间的操作工没有防毒面具，公司说还没买").matches[0]
    assert (mask.row.law, mask.row.article_no, mask.row.item) == (SAFETY, 99, 5), mask.row.cite()
    charged = matcher.match("防护手套和工作服的钱都从工人工资里扣").matches[0]
    assert charged.confidence == TO_CHECK and any("第四十七条" in n for n in charged.notes), charged.notes


def test_a_referral_to_a_regulation_under_a_law_that_says_the_same_cites_the_law(answerer):
    """危化法第一百一十七条 refers a late accident report to "生产安全事故报告和调查处理法律、行政法规": the regulation
    (事故报告条例第三十五条第（二）项 迟报) sits under 安全生产法 since 2021, whose 第一百一十条第二款 says the same of
    the 主要负责人, so the law is the 处罚依据 and the regulation only a candidate."""
    answer = answerer.answer("甲苯泄漏起火死了一个工人，老板第二天才向应急管理局报告，怎么处罚？")
    penalties = _penalties(answer)
    assert penalties[0] == (SAFETY, 110, 2, None), penalties
    assert ("生产安全事故报告和调查处理条例", 35, 1, 2) not in _penalties(answer, CONFIRMED)


def test_a_row_for_production_and_storage_enterprises_is_flagged_for_a_trading_company(full_searcher):
    """危化法第一百零一条第（八）项 sanctions "生产、储存危险化学品的企业以及使用危险化学品从事生产的企业": a trading
    company without storage is none of them, so the row is not firm for it and says whom it is for."""
    subject = "生产、储存危险化学品的企业以及使用危险化学品从事生产的企业"
    assert full_searcher.lexicon.unit_kinds(subject) == {"生产", "储存"}
    finding = "一家不带仓库的化工贸易公司，安全管理制度、岗位操作规程一份都没有"
    near = [m for m in full_searcher.violation_matcher().match(finding).matches
            if (m.row.law, m.row.article_no, m.row.item) == (HAZCHEM, 101, 8)]
    assert near and near[0].confidence == TO_CHECK
    assert any("检查发现说的是经营单位" in n for n in near[0].notes), near[0].notes


def test_a_item_barely_ahead_of_its_sibling_is_not_firm(answerer):
    """Within ITEM_MARGIN of another 项 or 款 of its article, no row is 确定: the two are 待核对 candidates.
    Checked on two real rows of 安全生产法第一百零三条 (发包给不具备资质的个人; 施工单位出借施工资质): a hair apart,
    neither is firm; clear apart, the better one is."""
    from retriever.enforcement import RowMatch
    from retriever.weights import ITEM_MARGIN

    matcher = answerer.matcher
    rows = {(m.row.para, m.row.item): m.row for m in matcher.match("把车间承包给没有资质的个人").matches
            if m.row.law == SAFETY and m.row.article_no == 103}
    first, third = rows[(1, None)], rows[(3, None)]
    close = [RowMatch(first, 2.0, 0.7), RowMatch(third, 2.0 - ITEM_MARGIN / 2, 0.7)]
    matcher._confidence(close)
    assert [m.confidence for m in close] == [TO_CHECK, TO_CHECK]
    apart = [RowMatch(first, 2.0, 0.7), RowMatch(third, 2.0 - 2 * ITEM_MARGIN, 0.7)]
    matcher._confidence(apart)
    assert apart[0].confidence == CONFIRMED
    # The finding says nothing of lending a qualification: the 施工单位 row (出借、挂靠施工资质) falls back and
    # 第一款 is sure.
    assert _penalties(answerer.answer("把车间承包给没有资质的个人"), CONFIRMED)[:1] == [(SAFETY, 103, 1, None)]


def test_an_off_topic_question_gets_no_firm_row_in_the_catalog_search(full_searcher):
    """Coverage counts only the words some row holds, so an off-topic question is "fully covered" by the one row that
    shares a word with it: the catalog's search (which has no domain gate) must not call that row 确定."""
    matcher = full_searcher.violation_matcher()
    for question in ("红烧肉怎么做好吃", "狗狗打疫苗要多少钱", "高铁票怎么改签"):
        assert all(m.confidence == TO_CHECK for m in matcher.search(question)), question
    assert matcher.search("储存场所没设安全警示标志")[0].confidence == CONFIRMED


def test_a_decisive_lead_makes_a_row_firm_that_holds_few_of_the_findings_words(answerer):
    """A finding told at length in site words shares few of them with any row: the row is still 确定 when it leads
    every other article by DECISIVE_MARGIN (and its own article's other 项 by DECISIVE_ITEM_MARGIN), never when
    it holds less than DECISIVE_COVERAGE of the finding or leads by less."""
    from retriever.enforcement import RowMatch
    from retriever.weights import (
        AGREE_FIRM_COVERAGE,
        DECISIVE_COVERAGE,
        DECISIVE_ITEM_MARGIN,
        DECISIVE_MARGIN,
        DECISIVE_SCORE,
    )

    rows = answerer.matcher.index.rows
    first = next(r for r in rows if r.law == SAFETY and r.article_no == 103 and r.para == 1)
    sibling = next(r for r in rows if r.law == SAFETY and r.article_no == 103 and r.para == 3)
    other = next(r for r in rows if r.law == SAFETY and r.article_no == 99)
    low = (DECISIVE_COVERAGE + AGREE_FIRM_COVERAGE) / 2  # below the other rules' coverage
    top = DECISIVE_SCORE + 0.1

    def confidence(coverage: float, lead: float, item_lead: float = 1.0) -> str:
        matches = [RowMatch(first, top, coverage), RowMatch(sibling, top - item_lead, coverage),
                   RowMatch(other, top - lead, coverage)]
        matches.sort(key=lambda m: -m.score)
        answerer.matcher._confidence(matches)
        return matches[0].confidence

    assert confidence(low, DECISIVE_MARGIN + 0.05) == CONFIRMED
    assert confidence(low, DECISIVE_MARGIN - 0.05) == TO_CHECK
    assert confidence(DECISIVE_COVERAGE - 0.05, DECISIVE_MARGIN + 0.05) == TO_CHECK
    assert confidence(low, DECISIVE_MARGIN + 0.05, item_lead=DECISIVE_ITEM_MARGIN - 0.05) == TO_CHECK
    # Precedence may list a lower-scored row right behind the top one: the best rival counts, wherever it is listed.
    third = next(r for r in rows if r.law == SAFETY and r.article_no == 101)
    listed = [RowMatch(first, top, low), RowMatch(other, top - DECISIVE_MARGIN - 0.2, low),
              RowMatch(third, top - 0.1, low)]
    answerer.matcher._confidence(listed)
    assert listed[0].confidence == TO_CHECK


def test_a_first_or_second_class_precursor_is_a_precursor_finding(full_searcher):
    """Naming 胡椒醛 (first class) or 三氯甲烷 (second class) speaks of precursor control:
    易制毒化学品管理条例第三十八条 (未经许可经营、运输), not 危化法's licence for hazardous chemicals."""
    matcher = full_searcher.violation_matcher()
    for finding in ("化工商行没有任何经营许可，私下倒卖胡椒醛", "厂里运三氯甲烷去外省，没办运输许可证"):
        top = matcher.match(finding).matches[0].row
        assert (top.law, top.article_no) == ("易制毒化学品管理条例", 38), (finding, top.cite())


def test_a_firm_row_puts_only_the_duty_that_fits_best_in_the_copy_block(answerer):
    """危化法第一百零一条第一款第（十四）项 sanctions two duties (第四十四条第一款: an untested process put into
    production; 第二款: no safety report when one is transferred): the finding names one; only the best-fitting is
    确定, the row's other duty is 待核对. (It used 第一百零一条第二款, whose twenty reviewed duties were a review
    error.)"""
    answer = answerer.answer("研究院把没做过中试的新工艺直接卖给工厂投产")
    firm = [c for c in answer.citations if c.role == ROLE_OBLIGATION and c.confidence == CONFIRMED]
    assert len({c.row_id for c in firm}) == len(firm) == 1
    others = [c for c in answer.citations if c.role == ROLE_OBLIGATION and c.row_id == firm[0].row_id
              and c.confidence == TO_CHECK]
    assert others


@pytest.mark.parametrize("finding, concealed", [
    ("粉碎机把工人的胳膊绞断了，厂里跟家属私了，一直没报。对企业怎么罚？", True),
    ("搅拌站去年做的应急预案一直没报应急局备案，对企业怎么罚？", False),
    ("罐区构成重大危险源，公司一直没向应急管理局报告。", False)])
def test_an_unreported_accident_leads_with_the_rows_for_concealing_it(full_searcher, finding, concealed):
    """"私了，一直没报" after an accident (intent conceals, counted only with an accident): the rows for 谎报、瞒报事故
    lead, not the training row that "工人" brings near; a plan "没报…备案", or a major hazard source not reported, is
    no accident and no concealment."""
    matches = full_searcher.violation_matcher().match(finding).matches
    leads = ["瞒报" in m.row.behaviour for m in matches[:2]]
    assert any(leads) == concealed, [(m.row.cite(), m.score) for m in matches[:3]]


def test_not_reporting_to_a_named_department_after_an_accident_is_concealment(full_searcher):
    """"一直没向市场监管局报告" after an accident says it was not reported, as "一直没报" does: the row for 瞒报 leads,
    not the operators' row that "司炉工" brings near."""
    finding = "锅炉房爆管把司炉工烫成重伤，厂里一直没向市场监管局报告。"
    matches = full_searcher.violation_matcher().match(finding).matches
    assert "瞒报" in matches[0].row.behaviour, [(m.row.cite(), m.score) for m in matches[:3]]


def test_a_finding_asking_who_sanctions_it_is_answered_by_its_rows(answerer):
    """"…，谁来管？" after a finding a row holds well asks which department sanctions it: the rows answer (with
    their 执法部门) instead of abstaining; a question about a department's remit stays one (no rows)."""
    answer = answerer.answer("饭店把液化气钢瓶放在地下室厨房里用，谁来管？")
    assert not answer.abstained
    assert ("城镇燃气管理条例", 49, 5) in [(c.law, c.article_no, c.item_no) for c in _penalty_citations(answer)]
    remit = answerer.answer("液化气储配站，到底归应急局管还是归燃气主管部门管")
    assert not any(c.row_id for c in remit.citations)


@pytest.mark.parametrize("finding, first", [("油漆店新来的店员没培训过就卖货了", (SAFETY, 97, 3)),
                                            ("两个加油工刚招来，没经过安全培训就上岗加油了", (SAFETY, 97, 3)),
                                            ("危化品生产企业新来的操作工没经过培训就直接上岗了", (HAZCHEM, 101, 6))])
def test_a_special_law_row_for_another_kind_of_unit_does_not_prevail(full_searcher, finding, first):
    """危化法第一百零一条第（六）项 sanctions a 生产企业's untrained staff: at a 油漆店 (经营) it does not take the
    general law's place (安全生产法第九十七条第（三）项); at a 生产企业 it does."""
    top = full_searcher.violation_matcher().match(finding).matches[0].row
    assert (top.law, top.article_no, top.item) == first, top.cite()


def test_asking_about_a_person_puts_the_units_rows_behind_the_persons(full_searcher):
    """"安全员个人能罚吗": the 安全生产管理人员's row (安全生产法第九十六条) leads, not the unit's 第九十七条第（一）项
    (未配备安全生产管理人员) that "专职安全员" brings near — the mirror of "对企业怎么罚"."""
    top = full_searcher.violation_matcher().match("机械厂专职安全员看见工人戴手套操作台钻也不管，安全员个人能罚吗？")
    assert (top.matches[0].row.law, top.matches[0].row.article_no) == (SAFETY, 96), top.matches[0].row.cite()


def test_a_carriers_row_does_not_lead_a_finding_that_names_no_carrier(full_searcher):
    """危化法第一百零九条第（四）项 sanctions carriers that do not equip 防护用品: a loader without acid gloves at a
    unit that names no transport is the unit's 安全生产法第九十九条第（五）项."""
    top = full_searcher.violation_matcher().match("装卸工搬浓硫酸桶，公司没配防酸手套和面罩").matches[0].row
    assert (top.law, top.article_no, top.item) == (SAFETY, 99, 5), top.cite()


@pytest.mark.parametrize("finding", ["机修厂一名工人被倒下的钢板砸死，老板私下赔了家属一笔钱，一直没上报，"
                                     "后来被人举报了。对企业怎么罚？",
                                     "家具厂去年有个工人被压料机压死了，老板拿钱私了，没报，今年被人举报。这个厂怎么罚？"])
def test_a_concealed_accident_asked_about_the_unit_leads_with_the_units_sanction(answerer, finding):
    """"…私下赔了钱，一直没上报…对企业怎么罚": the unit is fined under 事故报告条例第三十六条第（一）项;
    安全生产法第一百一十条第二款 fines the 主要负责人 for the same concealment, so as a higher law it does not take
    the unit row's place, nor leads on "老板" (UNIT_ASK_PERSON_SCORE)."""
    answer = answerer.answer(finding)
    first = next(c for c in answer.citations if c.role == ROLE_PENALTY)
    assert (first.law, first.article, first.item_no) == ("生产安全事故报告和调查处理条例", "第三十六条", 1), first


def test_a_special_law_row_saying_the_same_takes_the_place_of_a_clearly_better_worded_general_one(full_searcher):
    """危化法第一百零三条第一款第（三）项 (upkeep of a hazardous-chemicals unit's safety equipment) scores well behind
    安全生产法第九十九条第（三）项 for a broken gas detector at a tank farm, but says the same thing: the special law
    has the rule, so it leads (SAME_CONDUCT_MARGIN), with the general row as its counterpart."""
    top = full_searcher.violation_matcher().match("丙烯罐区的可燃气体检测报警仪坏了三个月，一直没修").matches[0]
    assert (top.row.law, top.row.article_no, top.row.item) == (HAZCHEM, 103, 3), top.row.cite()
    assert (SAFETY, 99, 3) in [(r.law, r.article_no, r.item) for r in top.general]


def test_a_row_listing_every_kind_of_unit_is_for_none_in_particular(full_searcher):
    """安全生产法第一百零五条第（一）项 names "生产、经营、储存、使用危险物品的车间、商店、仓库": its 商店 does not make
    it a row for 经营 units only, so at a chemical plant it leads without a note about whom it applies to."""
    top = full_searcher.violation_matcher().match("化工厂的原料仓库楼上住着七八个工人").matches[0]
    assert (top.row.law, top.row.article_no, top.row.item) == (SAFETY, 105, 1) and not top.notes, top.notes


@pytest.mark.parametrize("finding, item", [
    ("蒸汽锅炉的定期检验今年三月就到期了，没约检验机构，锅炉现在每天都在烧", (84, 1, 1)),
    ("压力容器下个月定期检验到期，还没向检验机构提出申请", (83, 1, 4)),
])
def test_equipment_overdue_for_inspection_and_still_in_use_is_use_of_uninspected_equipment(answerer, finding, item):
    """特种设备安全法第四十条第三款: equipment not inspected when due may not go on being used; using it is
    第八十四条第（一）项 (使用未经检验的), not only the late application of 第八十三条第（四）项, which stays the
    article for an inspection falling due that nobody has applied for."""
    first = _penalties(answerer.answer(finding))[0]
    assert first == ("中华人民共和国特种设备安全法", *item), first


def test_a_clause_that_only_asks_is_not_part_of_what_was_found(full_searcher):
    """"依据哪条？这个怎么定性？谁来处罚？" describe nothing: a row covers the finding as much with them as without
    (they used to count as terms the row did not hold); a clause that names someone ("对老板个人怎么罚") stays."""
    from retriever.finding_parts import told_clauses

    assert told_clauses("台账是空白的，没记下来。依据哪条？这个怎么定性？谁来处罚？") == "台账是空白的，没记下来"
    assert told_clauses("对老板个人怎么罚？") == "对老板个人怎么罚？"
    assert told_clauses("罚多少") == "罚多少"  # all of it asks: left whole
    matcher = full_searcher.violation_matcher()
    finding = "加油站的隐患排查台账是空白的，站长说每天都有查，就是没记下来"
    plain = matcher.match(finding).matches[0]
    asked = matcher.match(finding + "。依据哪条？这个怎么定性？谁来处罚？").matches[0]
    assert plain.row.row_id == asked.row.row_id and abs(plain.coverage - asked.coverage) < 1e-9
