"""Answering a bank from the corpus alone: a 4-item hand-made bank on a tiny corpus, the contradiction rules,
the LLM path with a deterministic fake chat model, and `hazkb eval quiz`."""
from __future__ import annotations

import json

import pytest

from eval.quiz_eval import evaluate_items, load_bank, run_bank_eval
from homes import small_home
from quiz.model import QType, Question
from quiz.solver import ExtractiveSolver, LLMSolver, canon, contradictions, fill, parse_letters, solver_for

LAW = """# 危险化学品安全管理条例

2013年12月7日 国务院令第645号修订

<!-- INFO END -->

## 第一章 总则

第一条 为了加强危险化学品的安全管理，预防和减少危险化学品事故，制定本条例。

第二条 危险化学品单位应当将其危险化学品事故应急预案报所在地设区的市级人民政府安全生产监督管理部门备案。

第三条 危险化学品经营企业不得向未经许可从事危险化学品生产、经营活动的企业采购危险化学品。

第四条 储存剧毒化学品的单位应当将其储存数量、储存地点以及管理人员的情况，报所在地县级人民政府公安机关备案。

第五条 储存危险化学品的单位应当每3年对其安全生产条件进行一次安全评价，提出安全评价报告。

第六条 从事危险化学品经营的企业应当具备下列条件：

（一）有符合国家标准、行业标准的经营场所；

（二）从业人员经过专业技术培训并经考核合格；

（三）有健全的安全管理规章制度。

## 第二章 法律责任

第七条 危险化学品单位未将危险化学品事故应急预案报安全生产监督管理部门备案的，\
由安全生产监督管理部门责令改正，可以处1万元以下的罚款。
"""

TF = ["正确", "错误"]
BANK = [
    # 判断, false: the article says 不得
    {"qtype": "判断", "stem": "1.危险化学品经营企业可以向未经许可从事危险化学品生产、经营活动的企业采购危险化学品。",
     "options": TF, "answer": "B"},
    # 判断 with an outdated key: the article now says every 3 years, the bank says 5 is right
    {"qtype": "判断", "stem": "2.储存危险化学品的单位应当每5年对其安全生产条件进行一次安全评价。",
     "options": TF, "answer": "A"},
    {"qtype": "单选",
     "stem": "3.危险化学品单位应当将其危险化学品事故应急预案报所在地（）人民政府安全生产监督管理部门备案。",
     "options": ["县级", "设区的市级", "省级", "乡镇"], "answer": "B"},
    {"qtype": "多选", "stem": "4.从事危险化学品经营的企业应当具备下列条件（）。",
     "options": ["有符合国家标准、行业标准的经营场所", "从业人员经过专业技术培训并经考核合格",
                 "有健全的安全管理规章制度", "配备专职的法律顾问"], "answer": "ABC"},
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A home holding one small regulation, and its searcher."""
    settings, _catalog, searcher = small_home(tmp_path_factory.mktemp("tiny"),
                                              "危险化学品安全管理条例(2013-12-07).md", LAW)
    return settings, searcher


@pytest.fixture
def bank_file(tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(BANK, ensure_ascii=False), encoding="utf-8")
    return path


def test_hand_made_bank_accuracy_by_type(tiny, bank_file):
    _settings, searcher = tiny
    report = run_bank_eval(bank_file, searcher)
    assert report["n"] == 4 and report["source"] == "bank.json"
    assert report["accuracy"] == pytest.approx(0.75)
    assert report["by_type"]["判断"] == {"n": 2, "correct": 1, "accuracy": 0.5}
    assert report["by_type"]["单选"]["accuracy"] == 1.0 and report["by_type"]["多选"]["accuracy"] == 1.0
    [d] = report["disagreements"]  # the outdated key, with the article that contradicts it
    assert d["key"] == "A" and d["system"] == "B" and "储存危险化学品" in d["stem"]
    assert d["evidence"][0] == {"law": "危险化学品安全管理条例", "article": "第五条",
                                "text": d["evidence"][0]["text"]}
    assert "3年" in d["evidence"][0]["text"] and any("5年" in r for r in d["reasons"])
    assert report["by_method"]["evidence"]["n"] == 4


def test_no_support_falls_back_to_commonest_key(tiny):
    _settings, searcher = tiny
    items = [Question(QType.TRUE_FALSE, "安全色中的绿色表示通行、安全和提供信息的意思。", list(TF), "A"),
             Question(QType.MULTIPLE, "“四不伤害”是指（）。",
                      ["不伤害自己", "不伤害他人", "不被他人伤害", "保护他人不被伤害"], "ABCD")]
    report = evaluate_items(items, ExtractiveSolver(searcher))
    assert report["accuracy"] == 1.0 and report["by_method"]["fallback"]["n"] == 2


@pytest.mark.parametrize("statement, sentence, kind", [
    ("单位应当每5年进行一次安全评价", "单位应当每3年进行一次安全评价", "5年"),
    ("单位应当每五年进行一次安全评价", "单位应当每三年进行一次安全评价", "5年"),
    ("经营企业可以向未经许可的企业采购", "经营企业不得向未经许可的企业采购", "可以"),
    ("从业人员无权了解危险因素", "从业人员有权了解危险因素", "无权"),
    ("使用被派遣劳动者的，不必对被派遣劳动者进行培训",
     "使用被派遣劳动者的，应当将其纳入统一管理，对被派遣劳动者进行培训", "不必"),
    ("并不定期检测，保证正常运转", "并定期检测，保证正常运转", "不定"),
    ("港口经营人在港区内从事仓储经营，需要取得危险化学品经营许可",
     "港口经营人在港区内从事仓储经营，不需要取得危险化学品经营许可", "不需要"),
    ("由公安机关责令改正", "由应急管理部门责令改正", "部门"),
    ("报所在地县级人民政府备案", "报所在地设区的市级人民政府备案", "县级"),
])
def test_contradictions(statement, sentence, kind):
    found = contradictions(statement, sentence)
    assert found and kind in "".join(found)


@pytest.mark.parametrize("statement, sentence", [
    ("单位应当每3年进行一次安全评价", "单位应当每三年进行一次安全评价"),
    ("由安全生产监督管理部门责令改正", "由应急管理部门责令改正"),  # renamed in 2018: the same department
    ("特种作业人员未按照规定经专门的安全作业培训，未取得相应资格，上岗作业的",
     "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的"),
    ("经营企业不得向未经许可的企业采购", "经营企业不得向未经许可的企业采购危险化学品"),
    ("生产、经营、使用国家禁止生产、经营、使用的危险化学品的，处罚款",
     "生产、经营、使用国家禁止生产、经营、使用的危险化学品的，处罚款"),
])
def test_no_false_contradictions(statement, sentence):
    assert contradictions(statement, sentence) == []


def test_text_helpers():
    assert canon("三十日内、十五日、两年、5天") == "30日内、15日、2年、5日"
    assert canon("第一百零一条") == "第一百零一条"
    assert fill("报所在地（　）人民政府备案", "县级") == "报所在地县级人民政府备案"
    assert fill("特种设备包括（ ）", "电梯。") == "特种设备包括电梯"
    assert fill("安全色中的绿色表示", "安全") == "安全色中的绿色表示安全"


def test_parse_letters():
    single = Question(QType.SINGLE, "题干（）", ["甲", "乙", "丙", "丁"], "B")
    multi = Question(QType.MULTIPLE, "题干（）", ["甲", "乙", "丙", "丁"], "ABD")
    judge = Question(QType.TRUE_FALSE, "题干", list(TF), "A")
    assert parse_letters("答案：B", single) == "B"
    assert parse_letters("我选 C。", single) == "C"
    assert parse_letters("答案：A、B、D", multi) == "ABD"
    assert parse_letters("DBA", multi) == "ABD"
    assert parse_letters("错误", judge) == "B" and parse_letters("该说法正确", judge) == "A"
    assert parse_letters("无法判断", single) is None
    assert parse_letters("答案：G", single) is None  # not one of the options


def test_llm_solver_with_fake_chat_model(tiny, bank_file):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    _settings, searcher = tiny
    items, read = load_bank(bank_file)
    assert read == {"rows": 4, "duplicates": 0, "rejected": 0}
    fake = FakeListChatModel(responses=["答案：B", "我认为是 B", "无法判断", "答案：ABC"])
    solver = solver_for(None, searcher, chat_model=fake)
    assert isinstance(solver, LLMSolver)
    report = evaluate_items(items, solver)
    assert report["solver"] == "llm" and report["accuracy"] == pytest.approx(0.75)
    assert report["by_method"]["llm"]["n"] == 3
    assert report["by_method"]["evidence"]["n"] == 1  # the unreadable reply: answered by the extractive solver
    assert report["disagreements"][0]["evidence"], "the articles shown to the model are the evidence"


def test_solver_defaults_to_extractive(tiny):
    settings, searcher = tiny
    assert isinstance(solver_for(settings, searcher), ExtractiveSolver)


def test_cli_eval_quiz(tiny, bank_file):
    from click.testing import CliRunner

    from ui.cli import cli

    settings, _ = tiny
    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(settings.home), "--no-builtin", "eval", "quiz", "--bank",
                                 str(bank_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"n", "accuracy", "by_type", "disagreements"} <= set(data)
    assert data["n"] == 4 and data["accuracy"] == pytest.approx(0.75)
    assert set(data["disagreements"][0]) >= {"stem", "key", "system", "evidence"}
    assert set(data["disagreements"][0]["evidence"][0]) == {"law", "article", "text"}

    text = runner.invoke(cli, ["--home", str(settings.home), "--no-builtin", "eval", "quiz", "--bank", str(bank_file)])
    assert text.exit_code == 0 and "一致率" in text.output and "题库 A / 系统 B" in text.output
    missing = runner.invoke(cli, ["--home", str(settings.home), "--no-builtin", "eval", "quiz"])
    assert missing.exit_code == 2 and "--bank" in missing.output


def test_contradictions_read_the_generators_false_forms():
    """The solver cross-checks generated 判断 items: optional for required, "only A" for "A and B", a requirement
    worded otherwise (立即 / 在二十四小时内)."""
    sentence = "危险化学品单位发现其危险化学品被盗、丢失的，应当立即向当地公安机关报告，并根据实际情况及时通报有关部门"
    assert contradictions("危险化学品单位发现其危险化学品被盗、丢失的，仅需立即向当地公安机关报告即可", sentence)
    assert contradictions("危险化学品单位发现其危险化学品被盗、丢失的，应当在二十四小时内向当地公安机关报告", sentence)
    rule = "储存危险化学品的单位应当建立危险化学品出入库核查、登记制度"
    assert contradictions("储存危险化学品的单位可以根据实际情况决定是否建立危险化学品出入库核查、登记制度", rule)
    assert not contradictions(rule, rule)
    assert not contradictions("危险化学品单位发现其危险化学品被盗、丢失的，应当立即向当地公安机关报告", sentence)


def test_list_question_chooses_what_the_described_article_lists(tiny):
    """A 多选 about one article's list: options quoted from it are chosen, one quoted from another article is not."""
    _settings, searcher = tiny
    question = Question(qtype=QType.MULTIPLE,
                        stem="根据《危险化学品安全管理条例》，从事危险化学品经营的企业应当具备的条件包括（　　）。",
                        options=["有符合国家标准、行业标准的经营场所", "有健全的安全管理规章制度",
                                 "提出安全评价报告", "从业人员经过专业技术培训并经考核合格"], answer="ABD")
    assert ExtractiveSolver(searcher).solve(question).letters == "ABD"
