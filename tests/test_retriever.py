"""Retrieval: tokens, the lexical index (incremental, persisted), search, linking, answers, verification."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from corpus.catalog import open_catalog
from corpus.lexicon import builtin_lexicon
from ingest.pipeline import ingest_paths
from retriever.answer import ABSTAIN_TEXT, ROLE_OBLIGATION, ROLE_PARALLEL, ROLE_PENALTY, ExtractiveAnswerer
from retriever.lexical import LexicalIndex, open_lexical
from retriever.query import parse_query
from retriever.search import Searcher
from retriever.sectors import Sectors
from retriever.tokenize import WordTokenizer, bigrams
from retriever.weights import OFF_SECTOR


def test_bigrams():
    assert bigrams("危化品 MSDS１２") == ["危化", "化品", "msds12"]
    assert bigrams("罚") == ["罚"]


def _expansion(question: str) -> str:
    lexicon = builtin_lexicon()
    return parse_query(question, {}, lexicon, WordTokenizer(lexicon)).expansion


def test_query_expansion_synonyms_and_chemical_names():
    assert "危险化学品" in _expansion("危化品仓库没有双人保管")
    assert "安全技术说明书" in _expansion("一书一签不全")
    assert "危险化学品" in _expansion("氯气钢瓶放在太阳底下暴晒")
    assert "危险化学品" not in _expansion("没有燃气经营许可证卖液化气")  # fuel gas: its own regime


def _factor(title: str, question: str, named: bool = False) -> float:
    from retriever.query import any_hazardous, named_chemicals

    lexicon = builtin_lexicon()
    sectors = Sectors(lexicon)
    words = WordTokenizer(lexicon)
    hazchem = any_hazardous(named_chemicals(question, lexicon, words), lexicon)
    return sectors.factor(title, sectors.touched(question, hazchem, words.spans(question)), named)


def test_sector_laws_demoted_unless_the_question_touches_them():
    assert _factor("中华人民共和国特种设备安全法", "发生事故瞒报的怎么处理") == OFF_SECTOR
    assert _factor("中华人民共和国特种设备安全法", "叉车没有定期检验") == 1.0
    assert _factor("中华人民共和国特种设备安全法", "事故瞒报", named=True) == 1.0
    assert _factor("中华人民共和国危险化学品安全法", "企业没有应急预案") == OFF_SECTOR
    assert _factor("中华人民共和国危险化学品安全法", "液氨储罐旁边有人抽烟") == 1.0
    assert _factor("中华人民共和国安全生产法", "企业没有应急预案") == 1.0
    assert _factor("中华人民共和国职业病防治法", "接触苯的工人从来没体检过") == 1.0
    assert _factor("中华人民共和国职业病防治法", "罐区的可燃气体检测报警仪坏了") == OFF_SECTOR  # 气体/检测


def test_word_tokenizer_keeps_global_jieba_untouched():
    import jieba

    words = WordTokenizer().words("储存设施构成重大危险源的应当进行受限空间作业审批")
    assert "重大危险源" in words and "受限空间作业" in words
    assert "受限空间作业" not in jieba.dt.FREQ


def test_lexical_index_incremental_and_persisted(catalog, tmp_path, regulations_dir):
    src = tmp_path / "src"
    src.mkdir()
    law = src / "消防法.md"
    shutil.copy(next(regulations_dir.glob("消防法*.md")), law)
    shutil.copy(regulations_dir / "危险化学品安全管理条例(2013-12-07).md", src)
    ingest_paths(catalog, [src])
    path = tmp_path / "index" / "lexical.pkl"
    index = open_lexical(catalog, path)
    assert len(index) == 74 + 102 and path.exists()
    assert not LexicalIndex.load(path).sync(catalog)  # persisted and up to date: nothing to do

    law.write_text(law.read_text(encoding="utf-8") + "\n第七十五条 本条为测试新增。\n", encoding="utf-8")
    ingest_paths(catalog, [src])
    reloaded = LexicalIndex.load(path)
    before = dict(reloaded.doc_hashes)
    assert reloaded.sync(catalog)
    changed = [d for d in before if before[d] != reloaded.doc_hashes.get(d)]
    assert len(changed) == 1 and len(reloaded) == 75 + 102
    searcher = Searcher(catalog, reloaded)
    top = searcher.search("本条为测试新增").hits[0]
    assert top.unit.label == "第七十五条"

    # Scoring some units only gives the very numbers of scoring all (penalty linking scores one law's penalties).
    terms = bigrams("储存危险化学品的单位未设置安全警示标志的，本条为测试新增") * 2
    full = reloaded.scores("bigram", terms)
    some = np.array(sorted({0, 5, len(reloaded) - 1, int(np.argmax(full)), *np.flatnonzero(full)[:40]}))
    assert np.array_equal(reloaded.scores_of("bigram", terms, some), full[some])
    assert reloaded.scores_of("bigram", terms, np.array([], dtype=np.int64)).size == 0


LOOKUPS = [
    ("安全生产法第一百零一条", "中华人民共和国安全生产法", 101),
    ("《中华人民共和国安全生产法》第101条", "中华人民共和国安全生产法", 101),
    ("危化条例第20条", "危险化学品安全管理条例", 20),
    ("新安法101条", "中华人民共和国安全生产法", 101),
    ("危化法第一条", "中华人民共和国危险化学品安全法", 1),
    ("消防法 第 十六 条", "中华人民共和国消防法", 16),
    ("刑法第一百二十条之一", "中华人民共和国刑法", 120),
]


@pytest.mark.parametrize("question,law,number", LOOKUPS)
def test_direct_lookup_first(full_searcher, question, law, number):
    hit = full_searcher.search(question).hits[0]
    assert hit.lookup and hit.doc.title == law and hit.unit.article_no == number


def test_lookup_of_sub_article(full_searcher):
    hit = full_searcher.search("刑法第一百二十条之一").hits[0]
    assert hit.unit.label == "第一百二十条之一"


def _answer(searcher, question, **kw):
    return ExtractiveAnswerer(searcher).answer(question, **kw)


def test_rule_questions_are_searched_by_the_articles_questions(full_searcher, monkeypatch):
    """A rule question is searched by the questions written for each article (article_questions.tsv) as well as by
    its words; a finding is not: it is matched to violation rows. A wiring check, not a quality claim (the rule
    sets' floors in test_retrieval_quality are): asked as written, the first question of each 危化法 article finds
    its own article first more often with the questions than without."""
    import retriever.search as search
    from retriever.question_kind import ARTICLES, FINDING

    doc = full_searcher.law_doc("危险化学品安全法")
    written = [(number, asked[0]) for (law, number), asked in full_searcher.lexicon.article_questions.items()
               if law == "危险化学品安全法"]
    finding = "储存场所没设安全警示标志"

    def own_first() -> int:
        results = [(number, full_searcher.search(question, k=1)) for number, question in written]
        return sum(r.kind == ARTICLES and r.hits[0].unit.doc_id == doc.doc_id and r.hits[0].unit.article_no == n
                   for n, r in results if r.hits)

    def finding_hits() -> list[str]:
        result = full_searcher.search(finding)
        assert result.kind == FINDING
        return [h.unit.unit_id for h in result.hits]

    with_questions, finding_with = own_first(), finding_hits()
    monkeypatch.setattr(search, "W_ASKED", 0.0)
    without, finding_without = own_first(), finding_hits()
    assert len(written) > 90 and with_questions >= without + 10, (with_questions, without)
    assert finding_with == finding_without


def test_questions_of_a_renumbered_law_are_left_out(full_searcher, full_settings):
    """A new version that adds or removes articles would attach each question to the wrong article: a law whose
    questions fit the articles next to theirs as well as their own is left out of the search, and doctor says so."""
    from dataclasses import replace

    from retriever.asked import AskedIndex
    from ui.doctor import _question_fit_checks

    lexicon = full_searcher.lexicon
    moved = replace(lexicon, article_questions={(law, number + 1 if law == "安全生产法" else number): asked
                                                for (law, number), asked in lexicon.article_questions.items()})

    def current(law: str) -> str | None:
        doc = full_searcher.law_doc(law)
        return doc.doc_id if doc else None

    built = AskedIndex.build(moved, current, full_searcher.article, full_searcher.lexical.position,
                             len(full_searcher.lexical))
    assert built.unfit == ("安全生产法",)
    assert len(built) == sum(len(q) for (law, _), q in lexicon.article_questions.items() if law != "安全生产法")
    assert full_searcher.asked().unfit == ()  # the shipped questions fit the texts they were written for
    [check] = _question_fit_checks(full_settings, moved)
    assert check["state"] == "warn" and "《安全生产法》" in check["detail"] and check["fix"]
    assert _question_fit_checks(full_settings, lexicon)[0]["state"] == "ok"
    assert check["name"] == "规定问法的条号"  # not the name of the check that a bureau's questions name articles


def test_warning_sign_finding_gets_obligation_and_penalty(full_searcher):
    """The finding matches one violation row firmly: 危化法第一百零一条第一款第（十）项, the duty in 第三十七条第二款,
    and the 2013 条例's 第七十八条第一款第（八）项 beside it as the parallel \
(the 危化法 is in force since 2026-05-01)."""
    answer = _answer(full_searcher, "储存场所没设安全警示标志，依据哪条？怎么罚？")
    assert not answer.abstained
    firm = {(c.role, c.law, c.article_no, c.para, c.item_no) for c in answer.citations if c.confidence == "确定"}
    assert (ROLE_OBLIGATION, "中华人民共和国危险化学品安全法", 37, 2, None) in firm
    assert (ROLE_PENALTY, "中华人民共和国危险化学品安全法", 101, 1, 10) in firm
    assert (ROLE_PARALLEL, "危险化学品安全管理条例", 78, 1, 8) in firm
    # 安全生产法第九十九条第（一）项 says the same for any unit: the special law's row stands for it, it is no rival.
    assert answer.rows[0]["general"] == ["《中华人民共和国安全生产法》第九十九条第（一）项"]
    for c in answer.citations:
        assert c.level and c.status and c.source and c.text
    block = answer.enforcement_block()
    assert "违法依据：《中华人民共和国危险化学品安全法》第三十七条第二款" in block
    assert "处罚依据：《中华人民共和国危险化学品安全法》第一百零一条第一款第（十）项" in block
    assert "设置明显的安全警示标志" in block and "条例" not in block  # only the law in force is pasted


def test_penalty_that_refers_to_another_law_brings_that_laws_article(full_searcher):
    """危化法第一百条第一款 only says "依照有关安全生产许可……法律、行政法规的规定处理、处罚": the fine is in
    安全生产许可证条例第十九条 (未取得许可证擅自生产), not in 第二十一条 (转让、冒用)."""
    answer = _answer(full_searcher, "没有安全生产许可证就生产危化品，怎么罚")
    cites = [(c.role, c.law, c.article_no) for c in answer.citations]
    assert (ROLE_PENALTY, "中华人民共和国危险化学品安全法", 100) in cites
    assert (ROLE_PENALTY, "安全生产许可证条例", 19) in cites
    assert cites.index((ROLE_PENALTY, "安全生产许可证条例", 19)) < 5


def test_penalty_item_follows_the_finding_not_a_shared_word(full_searcher):
    """A broken gas alarm at a chemical plant is a maintenance failure, not 第九十九条第（八）项 (餐饮 gas alarms),
    although both speak of 可燃气体报警."""
    answer = _answer(full_searcher, "液氨储罐区的可燃气体报警器坏了一个多月没修")
    items = {(c.law, c.article_no): c.item for c in answer.citations if c.role == ROLE_PENALTY}
    assert ("中华人民共和国危险化学品安全法", 101) in items
    assert "报警装置" in items[("中华人民共和国危险化学品安全法", 101)]
    assert "餐饮" not in (items.get(("中华人民共和国安全生产法", 99)) or "")


def test_supplementary_provisions_do_not_lead_a_finding(full_searcher):
    """危化法第一百二十五条 (附则: who supervises tanks in ports) shares 储罐 with the finding but is not breached."""
    answer = _answer(full_searcher, "新建的储罐没有做安全评价就投用了")
    assert all(c.article_no != 125 for c in answer.citations[:3])
    asked = _answer(full_searcher, "危化法什么时候开始施行")
    assert asked.citations[0].article_no == 127


def test_criminal_liability_question_goes_to_the_criminal_law(full_searcher):
    answer = _answer(full_searcher, "储罐清理时没做气体检测就让工人下去，两人中毒死亡，负责人够不够追刑事责任")
    top = [(c.law, c.role) for c in answer.citations[:3]]
    assert ("中华人民共和国刑法", ROLE_PENALTY) in top, top


def test_referrals_read_titles_and_subjects():
    from retriever.linking import referrals

    text = "未取得许可证擅自生产的，分别依照有关安全生产许可、工业产品生产许可法律、行政法规的规定处理、处罚。"
    assert [s for s, _ in referrals(text)] == ["安全生产许可", "工业产品生产许可"]
    assert referrals(text)[0][1] == "未取得许可证擅自生产的，分别"
    assert [s for s, _ in referrals("依照《中华人民共和国邮政法》的规定处罚")] == ["邮政法"]
    assert referrals("依照前款规定予以处罚") == []


def test_both_versions_of_hazchem_law_shown(full_searcher):
    answer = _answer(full_searcher, "危化品仓库储存场所没设安全警示标志")
    laws = [c.law for c in answer.citations]
    assert "危险化学品安全管理条例" in laws and "中华人民共和国危险化学品安全法" in laws


@pytest.mark.parametrize("question", ["个人所得税怎么算", "离婚财产怎么分", "今天天气怎么样", "房贷利率是多少"])
def test_out_of_scope_abstains(full_searcher, question):
    answer = _answer(full_searcher, question)
    assert answer.abstained and ABSTAIN_TEXT in answer.answer and not answer.citations


@pytest.mark.parametrize("question", ["主要负责人没有考核合格证", "装卸工没穿防静电工作服"])
def test_in_scope_without_domain_words_is_answered(full_searcher, question):
    """No listed domain word, or only plant vocabulary: the work-safety laws answering it show it is in scope."""
    answer = _answer(full_searcher, question)
    assert not answer.abstained, answer.answer



@pytest.mark.parametrize("question", ["三级教育卡上的签名都是一个人的笔迹", "买回来的炸药没去公安局备案",
                                      "氯化反应岗位人工看温度手动加料"])
def test_explosives_safety_education_and_chlorination_are_in_scope(full_searcher, question):
    """Domain words of their own: 炸药/雷管 (民用爆炸物品), 三级(安全)教育, 氯化 (a 重点监管危险化工工艺;
    not 氯化钠)."""
    assert not _answer(full_searcher, question).abstained

@pytest.mark.parametrize("question", ["红烧肉怎么做好吃", "信用卡逾期了会怎么样"])
def test_broad_laws_do_not_make_a_question_in_scope(full_searcher, question):
    assert _answer(full_searcher, question).abstained


def test_as_of_and_law_filter(full_searcher):
    before = _answer(full_searcher, "危险化学品安全法第一条", as_of=__import__("datetime").date(2026, 1, 1))
    assert before.citations[0].status == "尚未生效"
    only = _answer(full_searcher, "储存易燃易爆危险品的仓库和员工宿舍在同一建筑物内", law="消防法")
    assert {c.law for c in only.citations} == {"中华人民共和国消防法"}


def test_plan_table_row_question_cites_its_enforcement_articles(full_searcher):
    answer = _answer(full_searcher, "危险化学品储存场所安全警示标志没有规范设置，执法依据是什么")
    assert ("危险化学品安全管理条例", 78) in {(c.law, c.article_no) for c in answer.citations}


def test_reopening_uses_persisted_index(full_settings):
    from retriever.kb import lexical_path

    assert lexical_path(full_settings).exists()
    index = LexicalIndex.load(lexical_path(full_settings))
    assert not index.sync(open_catalog(full_settings))


PLAN_ITEMS = [
    # (question, 执法依据 articles of that table row that exist in the corpus, plan row cited for the rest)
    # The row's own basis (危险化学品登记管理办法) is not in the corpus; since 2026-05-01 危化法第一百零一条第一款
    # 第（十七）项 sanctions the same conduct, and the answer cites it firmly (with 条例第七十八条 as the parallel).
    ("企业没有按规定进行危险化学品登记，执法依据是什么？", [("中华人民共和国危险化学品安全法", 101)], None),
    ("危化品“一书一签”管理不规范，执法依据是什么？", [("危险化学品安全管理条例", 78)], None),
    ("危险化学品储存场所安全警示标志设置不规范，执法依据是什么？", [("危险化学品安全管理条例", 78)], None),
    ("企业没有开展化学品物理危险性辨识，也没建立鉴定与分类管理档案，执法依据是什么？", [], "第4行"),
    ("企业对物理危险性尚未确定的产品没做鉴定分类，执法依据是什么？",
     [("中华人民共和国安全生产法", 101), ("中华人民共和国安全生产法", 113)], "第5行"),
]


@pytest.mark.parametrize("question,articles,row", PLAN_ITEMS)
def test_plan_inspection_items_return_their_enforcement_basis(full_searcher, question, articles, row):
    answer = _answer(full_searcher, question)
    cited = {(c.law, c.article_no) for c in answer.citations}
    assert set(articles) <= cited
    if row:  # the row's other articles are not in the corpus: the plan row itself is quoted, never invented
        assert any(c.article.endswith(row) and c.law.startswith("2025年全县") for c in answer.citations)
    for c in answer.citations:
        assert c.article_no is None or c.text in full_searcher.catalog.unit(c.unit_id).text
