"""Question generation without an LLM: 200 gated items from 危险化学品安全管理条例, each checked against its article."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from corpus.model import UnitKind
from ingest.pipeline import ingest_paths
from quiz import generate_text as gt
from quiz.gates import Gatekeeper, check_all, gate_name
from quiz.generate import common_bigrams, generate, generate_for_law
from quiz.model import LETTERS, TRUE_FALSE_OPTIONS, QType, Question, Review, normalize_text

LAW = "危险化学品安全管理条例"
FILE = "危险化学品安全管理条例(2013-12-07).md"


@pytest.fixture
def law(catalog, regulations_dir):
    path = regulations_dir / FILE
    if not path.exists():
        pytest.skip(f"{path} not found")
    report = ingest_paths(catalog, [path])
    assert report.ok
    doc = catalog.find_law(LAW)
    units = [u for u in catalog.units(doc.doc_id) if u.kind is UnitKind.ARTICLE]
    return doc, units


@pytest.fixture
def report(catalog, law):
    return generate_for_law(catalog, LAW, 200, seed=0)


def _ws(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quote(question: Question) -> str:
    m = re.search(r"“(.+?)”", question.explanation)
    assert m, question.explanation
    return m.group(1)


def _statement(question: Question, title: str) -> str:
    """A 判断 stem without its '根据《X》，' and final '。', with 该条例 read back as 本条例."""
    prefix = f"根据《{title}》，"
    assert question.stem.startswith(prefix) and question.stem.endswith("。"), question.stem
    return question.stem[len(prefix):-1].replace("该条例", "本条例")


def _article(catalog, question: Question):
    basis = question.basis[0]
    doc = catalog.find_law(basis.law)
    return catalog.article(doc.doc_id, basis.article_no, basis.article_sub)


# -- the 200-item run ------------------------------------------------------------------------------


def test_200_items_kept_and_all_pass_the_gates(report, law):
    doc, units = law
    assert len(report.kept) == 200
    assert report.examined == len(report.kept) + len(report.rejected)
    assert report.pool > report.examined
    # Gates applied afresh, in order, with the same common-word table: nothing fails.
    assert check_all(report.kept, common=common_bigrams([u.text for u in units])) == []
    # Every rejection names its gate.
    assert all(gate_name(reason) for _, reason in report.rejected)
    assert 0.5 < report.pass_rate <= 1.0
    # A mix of every family.
    kinds = report.generator_counts()
    assert {"judge-true", "which-article", "multi-items", "cloze-department", "mutation-modal"} <= set(kinds)
    types = {q.qtype for q in report.kept}
    assert types == {QType.TRUE_FALSE, QType.SINGLE, QType.MULTIPLE}
    assert len({q.fingerprint() for q in report.kept}) == 200


def test_every_item_cites_a_unit_of_the_law(report, law, catalog):
    doc, _ = law
    for q in report.kept:
        assert q.review is Review.DRAFT
        assert q.origin.kind == "generated" and q.origin.generator
        assert len(q.basis) == 1
        basis = q.basis[0]
        assert basis.law == doc.title
        unit = catalog.article(doc.doc_id, basis.article_no, basis.article_sub)
        assert basis.unit_id == unit.unit_id == q.origin.unit_id
        assert q.difficulty in (1, 2, 3)
        assert q.topics and q.topics[0] == gt.chapter(unit)


def test_explanations_quote_the_cited_article(report, catalog):
    for q in report.kept:
        article = _article(catalog, q)
        assert q.explanation.startswith(f"依据{q.basis[0].cite()}："), q.explanation
        assert _ws(_quote(q)) in _ws(article.text), (q.stem, q.explanation)


def test_answers_follow_from_the_article(report, law, catalog):
    doc, units = law
    law_texts = [normalize_text(u.text) for u in units]
    for q in report.kept:
        article = normalize_text(_article(catalog, q).text)
        generator = q.origin.generator
        if q.qtype is QType.TRUE_FALSE:
            assert q.options == TRUE_FALSE_OPTIONS
            statement = normalize_text(_statement(q, doc.title))
            if q.answer == "A":
                assert generator == "judge-true" and statement in article, q.stem
            else:
                assert generator.startswith("mutation-"), q.stem
                # Not in the cited article, nor verbatim anywhere in the law.
                assert statement not in article, q.stem
                assert not any(statement in t for t in law_texts), q.stem
        elif generator.startswith("cloze-"):
            assert q.qtype is QType.SINGLE and len(q.options) == 4 and len(q.answer) == 1
            key = q.answer_texts()[0]
            assert normalize_text(key) in article, (q.stem, key)
            # The stem with the key filled in is the quoted sentence.
            filled = q.stem.replace(gt.BLANK, key)
            assert normalize_text(_quote(q)) in normalize_text(filled.replace("该条例", "本条例"))
            for option in q.options:
                if option != key:
                    assert normalize_text(option) != normalize_text(key)
        elif generator == "multi-items":
            assert q.qtype is QType.MULTIPLE
            assert 4 <= len(q.options) <= 5 and 2 <= len(q.answer) <= 4
            assert q.stem.startswith(f"根据《{doc.title}》{q.basis[0].article}")
            for key in q.answer_texts():
                assert normalize_text(key.removesuffix("的")) in article, key
            for i, option in enumerate(q.options):
                if LETTERS[i] not in q.answer:
                    assert normalize_text(option) not in article, option
        else:
            assert generator == "which-article" and q.qtype is QType.SINGLE
            assert q.answer_texts() == [q.basis[0].cite()]
            assert all(o.startswith(f"《{doc.title}》第") for o in q.options)
            assert len(set(q.options)) == 4


def test_kept_items_go_into_the_question_bank(report, settings):
    from quiz.store import open_bank

    bank = open_bank(settings)
    try:
        results = bank.add_many(report.kept)
    finally:
        bank.close()
    assert len(results) == 200 and not any(duplicate for _, duplicate in results)


def test_same_seed_same_items_other_seed_other_selection(catalog, law, report):
    again = generate_for_law(catalog, LAW, 200, seed=0)
    as_tuples = [(q.qtype, q.stem, tuple(q.options), q.answer) for q in report.kept]
    assert as_tuples == [(q.qtype, q.stem, tuple(q.options), q.answer) for q in again.kept]
    other = generate_for_law(catalog, LAW, 200, seed=1)
    assert len(other.kept) == 200
    stems, other_stems = {q.stem for q in report.kept}, {q.stem for q in other.kept}
    assert stems != other_stems
    assert len(stems & other_stems) < 180  # not just a reordering


def test_the_whole_pool_and_type_filter(catalog, law):
    doc, units = law
    articles = [(doc, u) for u in units]
    everything = generate(articles, 10_000, seed=3)
    # The article pool of this law allows about 400 items once near-duplicates are removed.
    assert 300 <= len(everything.kept) < 10_000
    assert everything.examined == everything.pool
    only_multi = generate(articles, 10, seed=3, types=["多选"])
    assert only_multi.kept and all(q.qtype is QType.MULTIPLE for q in only_multi.kept)
    false_only = generate(articles, 20, seed=3, types=["judge-false"])
    assert len(false_only.kept) == 20 and all(q.answer == "B" for q in false_only.kept)
    assert generate(articles, 0, seed=3).kept == []


def test_answer_letters_are_spread(report):
    letters = Counter(q.answer for q in report.kept if q.qtype is QType.SINGLE)
    assert len(letters) == 4 and max(letters.values()) < 0.5 * sum(letters.values())


# -- mutations and text analysis -----------------------------------------------------------------


def test_number_mutations_go_the_way_the_rule_does_not_imply():
    text = "施工单位应当在开工的7日前书面通知管道所属单位"
    tok = gt.number_tokens(text)[0]
    assert tok.text == "7日" and gt.mutation_direction(text, tok) == 1
    text = "记录的保存期限不得少于2年"
    assert gt.mutation_direction(text, gt.number_tokens(text)[0]) == 1
    text = "应当在销售、购买后5日内备案"
    assert gt.mutation_direction(text, gt.number_tokens(text)[0]) == -1
    text = "对本企业的安全生产条件每3年进行一次安全评价"
    assert gt.mutation_direction(text, gt.number_tokens(text)[0]) == -1
    text = "处20万元以上50万元以下的罚款"
    tok = gt.number_tokens(text)[0]
    assert tok.kind == "range" and tok.value == (200_000, 500_000)
    assert not gt.clearly_different(tok, (100_000, 300_000))  # overlaps
    assert gt.clearly_different(tok, (50_000, 100_000))
    assert gt.render_number("range", (50_000, 100_000)) == "5万元以上10万元以下"
    text = "本条例自2011年12月1日起施行"
    assert [t.kind for t in gt.number_tokens(text)] == ["date"]


def test_chinese_numerals_are_numbers_written_the_same_way():
    text = "应当自收到申请之日起三十日内作出决定，处二十万元以上五十万元以下的罚款"
    days, fine = gt.number_tokens(text)
    assert (days.text, days.kind, days.value, days.chinese) == ("三十日", "count:日", (30,), True)
    assert days.render((15,)) == "十五日"
    assert fine.kind == "range" and fine.value == (200_000, 500_000)
    assert fine.render((50_000, 100_000)) == "五万元以上十万元以下"
    # Ordinals, words and the day of a date are not quantities.
    assert gt.number_tokens("第三十日统一办理，每年12月31日前报送") == []


def test_departments_and_abbreviated_lists():
    text = "由国务院安全生产监督管理部门会同国务院工业和信息化、公安、环境保护、农业主管部门确定"
    found = gt.departments(text)
    assert [(d.text, d.national, d.clean) for d in found] == [
        ("国务院安全生产监督管理部门", True, True), ("农业主管部门", False, False)]
    text = "报县级人民政府安全生产监督管理部门、工业和信息化主管部门和公安机关备案"
    assert [d.clean for d in gt.departments(text)] == [True, True, True]
    assert {"公安", "环境保护"} <= gt.dept_cores_in("向当地环境保护、公安、卫生主管部门报告")


def test_statements_skip_context_dependent_sentences(law):
    _, units = law
    by_no = {u.article_no: u for u in units}
    texts = [s.text for s in gt.statements(by_no[75])]
    assert not any("前款" in t for t in texts)
    assert any(t.startswith("生产、经营、使用国家禁止") for t in texts)
    # 第七条's items are measures, not statements; its second paragraph is one.
    assert [t for t in (s.text for s in gt.statements(by_no[7])) if t.startswith("负有")]
    assert not any(t.startswith("发现危险化学品事故隐患") for t in (s.text for s in gt.statements(by_no[7])))


# -- the gates -------------------------------------------------------------------------------------


def _single(stem: str, options: list[str], answer: str = "A") -> Question:
    return Question(qtype=QType.SINGLE, stem=stem, options=options, answer=answer)


STEM = "根据某条例，施工单位应当在开工的（　　）前书面通知管道所属单位。"


def test_gate_accepts_a_good_item():
    assert Gatekeeper().check(_single(STEM, ["7日", "5日", "10日", "15日"])) is None


@pytest.mark.parametrize(("question", "gate"), [
    (_single(STEM, ["7日", "7日", "10日", "15日"]), "选项重复"),
    (_single(STEM, ["公安机关", "县公安机关", "海关", "消防救援机构"]), "答案不唯一"),
    (_single(STEM, ["7日", "以上都对", "10日", "15日"]), "兜底选项"),
    (_single(STEM, ["县级人民政府安全生产监督管理部门", "7日", "10日", "15日"]), "长度暴露答案"),
    (_single("根据某条例，管道所属单位应当将情况报告（　　）。", ["管道主管部门", "公安机关", "海关总署", "税务机关"]),
     "措辞暴露答案"),
    (_single("短题干（　　）", ["7日", "5日", "10日", "15日"]), "题干长度"),
    (_single("根据某条例" + "很长的题干" * 45 + "（　　）。", ["7日", "5日", "10日", "15日"]), "题干长度"),
    (_single("根据某条例，施工单位应当在开工前书面通知管道所属单位。", ["7日", "5日", "10日", "15日"]), "缺少空格"),
    (_single(STEM, ["7日", "5日", "10日", "15日"], answer="AB"), "结构不合法"),
    (Question(qtype=QType.TRUE_FALSE, stem="根据某条例，施工单位应当在开工的（　　）前通知。", options=["正确", "错误"],
              answer="A"), "缺少空格"),
    (Question(qtype=QType.MULTIPLE, stem="根据某条例第三条，下列属于该条所列条件的有（　　）。",
              options=["有专职安全管理人员并经考核合格上岗", "有健全的安全管理规章制度和操作规程", "有应急预案",
                       "有仓库"], answer="AB"), "长度暴露答案"),
])
def test_gates_reject_with_a_reason(question, gate):
    reason = Gatekeeper().check(question)
    assert reason is not None and gate_name(reason) == gate, reason


def test_near_duplicates_are_rejected():
    keeper = Gatekeeper()
    assert keeper.admit(_single(STEM, ["7日", "5日", "10日", "15日"])) is None
    again = _single(STEM.replace("根据某条例", "依照某条例"), ["7日", "3日", "30日", "15日"])
    reason = keeper.admit(again)
    assert reason and gate_name(reason) == "近似重复"
    other = _single("根据某条例，剧毒化学品购买许可证管理办法由（　　）制定。", ["国务院公安部门", "国务院卫生主管部门",
                                                                "国务院交通运输主管部门", "国务院商务主管部门"])
    assert keeper.admit(other) is None
    assert len(keeper.admitted) == 2
