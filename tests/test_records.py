"""A numbered inspection record: each finding gets its own 执法依据, under the record's numbers."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from retriever.answer import ROLE_PENALTY, ExtractiveAnswerer
from retriever.records import split_record
from ui.cli import cli
from ui.web import present

SAFETY = "中华人民共和国安全生产法"
RECORD = ("现场检查发现：1.储罐区可燃气体报警器损坏；2.特种作业人员未持证上岗；3.剧毒化学品没有双人收发双人保管。"
          "依据哪条？怎么罚？")
ITEMS = ["储罐区可燃气体报警器损坏", "特种作业人员未持证上岗", "剧毒化学品没有双人收发双人保管"]


@pytest.mark.parametrize("text, items, ask", [
    (RECORD, ITEMS, "依据哪条？怎么罚？"),
    ("（1）仓库超量储存；（2）堆到通道上了", ["仓库超量储存", "堆到通道上了"], ""),
    ("依据哪条？①没有安全技术说明书②没贴标签", ["没有安全技术说明书", "没贴标签"], "依据哪条？"),
    ("一、未按规定配备安全管理人员。二、安全培训记录不全。", ["未按规定配备安全管理人员", "安全培训记录不全"], ""),
    ("检查发现以下问题：（一）未设置安全警示标志；（二）特种作业人员无证上岗",
     ["未设置安全警示标志", "特种作业人员无证上岗"], ""),
    ("检查发现：\n1. 液氯钢瓶和氨气瓶混放\n2. 剧毒化学品没有双人收发\n请问分别怎么处罚？",
     ["液氯钢瓶和氨气瓶混放", "剧毒化学品没有双人收发"], "请问分别怎么处罚？"),
])
def test_a_numbered_record_is_split_into_its_findings(text, items, ask):
    record = split_record(text)
    assert record is not None
    assert [i.text for i in record.items] == items
    assert [i.no for i in record.items] == list(range(1, len(items) + 1))
    assert record.ask == ask


@pytest.mark.parametrize("text", [
    "储罐1.5米处有裂纹，第3、4条说的是什么",  # a decimal, article numbers
    "安全生产法第九十七条第（一）项和第（二）项有什么区别",  # items of a law
    "1、2号储罐区没有设置围堰",  # tank numbers, not items
    "2号罐和1号罐之间的防火堤坏了",
    "1.储罐区可燃气体报警器损坏",  # one item is no record
    "现场检查发现：1.报警器坏了；3.没有标志",  # numbers that do not count 1, 2
    "储存场所没设安全警示标志，依据哪条？怎么罚？",
])
def test_text_that_numbers_no_findings_is_no_record(text):
    assert split_record(text) is None


def test_an_item_is_read_under_the_record_heading_and_asked_as_the_record_asks():
    record = split_record("对一家危化品经营店检查发现：①没有安全技术说明书②没贴化学品安全标签。依据哪条？")
    assert record is not None and record.heading == "对一家危化品经营店检查发现："
    second = record.items[1]
    assert record.question(second) == "没贴化学品安全标签。依据哪条？"  # the words matched: the item's own
    assert record.context(second) == "对一家危化品经营店检查发现：没贴化学品安全标签"  # the unit: the heading's too
    assert split_record("1.没有安全技术说明书；2.没贴标签").context(second) is None


@pytest.fixture(scope="module")
def answerer(full_searcher):
    return ExtractiveAnswerer(full_searcher)


@pytest.fixture(scope="module")
def record_answer(answerer):
    return answerer.answer(RECORD)


def _firm_penalties(answer) -> list[tuple[str, str, int | None]]:
    return [(c.law, c.article, c.item_no) for c in answer.firm(ROLE_PENALTY)]


def test_each_item_of_a_record_is_answered_on_its_own(answerer, record_answer):
    assert [(i.no, i.text) for i in record_answer.items] == [
        (1, "储罐区可燃气体报警器损坏"), (2, "特种作业人员未持证上岗"), (3, "剧毒化学品没有双人收发双人保管")]
    # The item's firm penalty is the one the finding asked alone gets, and it belongs to that item only.
    alone = answerer.answer("特种作业人员未持证上岗。依据哪条？怎么罚？")
    assert (SAFETY, "第九十七条", 7) in _firm_penalties(alone)
    assert _firm_penalties(record_answer.items[1].answer) == _firm_penalties(alone)
    assert all((SAFETY, "第九十七条", 7) not in _firm_penalties(i.answer) for i in record_answer.items if i.no != 2)
    # The record cites what its items cite, each citation once.
    keys = [(c.role, c.unit_id, c.para, c.item_no, c.confidence) for c in record_answer.citations]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(c.role, c.unit_id, c.para, c.item_no, c.confidence)
                         for i in record_answer.items for c in i.answer.citations}
    assert record_answer.answer.startswith("检查记录共3项")


def test_the_copy_block_of_a_record_follows_its_numbers(record_answer):
    block = record_answer.enforcement_block().split("\n")
    heads = [line for line in block if line[:2] in ("1.", "2.", "3.")]
    assert heads == ["1. 储罐区可燃气体报警器损坏", "2. 特种作业人员未持证上岗", "3. 剧毒化学品没有双人收发双人保管"]
    second = block[block.index(heads[1]) + 1: block.index(heads[2])]
    assert any(line.startswith(f"处罚依据：《{SAFETY}》第九十七条第（七）项") for line in second)
    for item in record_answer.items:  # an item with no firm row says so in its place, it is not left out
        if not item.answer.enforcement_block():
            assert block[block.index(f"{item.no}. {item.text}") + 1].startswith("（未能确定执法依据")


def test_a_record_is_shown_item_by_item_on_the_web_page(record_answer):
    html = present.answer_html(record_answer)
    positions = [html.index(f'data-item="{n}"') for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "第2项：特种作业人员未持证上岗" in html
    conclusion = present.conclusion_html(record_answer)
    assert "检查记录共3项" in conclusion and conclusion.count("<li data-item=") == 3


def test_ask_prints_and_exports_a_record_item_by_item(full_settings):
    runner = CliRunner()
    home = ["--home", str(full_settings.home), "--no-builtin"]
    text = runner.invoke(cli, [*home, "ask", RECORD], catch_exceptions=False).output
    assert text.index("==== 第1项：储罐区可燃气体报警器损坏") < text.index("==== 第2项：特种作业人员未持证上岗")
    data = json.loads(runner.invoke(cli, [*home, "ask", "--json", RECORD], catch_exceptions=False).output)
    assert [(i["no"], i["text"]) for i in data["items"]] == [
        (1, "储罐区可燃气体报警器损坏"), (2, "特种作业人员未持证上岗"), (3, "剧毒化学品没有双人收发双人保管")]
    assert any(c["confidence"] == "确定" and c["role"] == ROLE_PENALTY for c in data["items"][1]["citations"])
    single = json.loads(runner.invoke(cli, [*home, "ask", "--json", "特种作业人员未持证上岗"]).output)
    assert single["items"] == []
    pasted = runner.invoke(cli, [*home, "ask", "-"], input=RECORD.replace("；", "\n"), catch_exceptions=False).output
    assert "==== 第3项：剧毒化学品没有双人收发双人保管" in pasted  # a record pasted line by line on stdin


def test_a_chat_model_phrases_and_is_checked_item_by_item(full_searcher):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from retriever.llm import LLMAnswerer

    replies = ["按《中华人民共和国危险化学品安全法》第四十一条处理。",
               "依照《中华人民共和国安全生产法》第九十七条处罚，另见《危险化学品储存管理规定》第九条。"]
    record = "1.剧毒化学品没有双人收发双人保管；2.特种作业人员未持证上岗"
    answer = LLMAnswerer(full_searcher, FakeListChatModel(responses=replies)).answer(record)
    first, second = (item.answer for item in answer.items)
    assert first.answer == replies[0] and not any("无法核实" in n for n in first.notes)
    assert "危险化学品储存管理规定" not in second.answer and "第九十七条" in second.answer  # the invention is cut
    assert any("无法核实" in n for n in second.notes)
    assert answer.answer.split("\n")[1:] == [f"1. 剧毒化学品没有双人收发双人保管——{first.answer}",
                                             f"2. 特种作业人员未持证上岗——{second.answer}"]


def test_a_long_record_numbered_in_chinese_keeps_counting_past_ten():
    from corpus.numbers import to_chinese

    text = "；".join(f"{to_chinese(n)}、第{n}处问题没有整改" for n in range(1, 23))
    record = split_record(text)
    assert record is not None and [i.no for i in record.items] == list(range(1, 23))
    assert record.items[-1].text == "第22处问题没有整改"
