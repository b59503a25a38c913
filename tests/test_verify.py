"""Citation verification, and the LLM answerer behind a deterministic fake chat model."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from corpus.catalog import open_catalog
from retriever.llm import LLMAnswerer, as_runnable
from retriever.verify import quote_in, strip_failed, verify_text

ART20_QUOTE = ("生产、储存危险化学品的单位，应当根据其生产、储存的危险化学品的种类和危险特性，"
               "在作业场所设置相应的监测、监控")


def test_quote_matching():
    article = "第一句话，含有标点。第二句话；结束。"
    assert quote_in("第一句话含有标点", article)
    assert quote_in("第一句话……结束", article)
    assert not quote_in("第三句话", article)


def test_verify_text_checks_existence_currency_and_quotes(full_settings):
    catalog = open_catalog(full_settings)
    text = (f"依据《危险化学品安全管理条例》第二十条规定：“{ART20_QUOTE}”。"
            "又依据《危险化学品安全管理条例》第二百零一条。"
            "另见《中华人民共和国安全生产法》第一百零一条“生产经营单位可以不设置安全警示标志”。"
            "《中华人民共和国仲裁法》第一条。")
    checks = verify_text(catalog, text)
    by_article = {(c.law, c.article): c for c in checks}
    good = by_article[("危险化学品安全管理条例", "第二十条")]
    assert good.exists and good.current and good.quote_matches and good.ok
    invented = by_article[("危险化学品安全管理条例", "第二百零一条")]
    assert not invented.exists and not invented.ok
    misquoted = by_article[("中华人民共和国安全生产法", "第一百零一条")]
    assert misquoted.exists and misquoted.quote_matches is False and not misquoted.ok
    assert "第二百零一条" not in strip_failed(text, checks) and "第二十条" in strip_failed(text, checks)


INVENTING = [
    f"结论：违反《危险化学品安全管理条例》第二十条“{ART20_QUOTE}”，依照《危险化学品安全管理条例》第七十八条处罚。"
    "同时违反《危险化学品安全管理条例》第一百二十条。"
    "另依据《危险化学品储存管理规定》第九条。"
    "还可依照《中华人民共和国安全生产法》第九十九条“处二百万元罚款”。"
]


def test_fake_llm_inventions_are_all_caught(full_searcher):
    answerer = LLMAnswerer(full_searcher, FakeListChatModel(responses=INVENTING))
    answer = answerer.answer("储存场所没设安全警示标志，依据哪条？怎么罚？")
    failed = [c for c in answer.checks if not (c["exists"] and c["quote_matches"] is not False and c["in_sources"])]
    invented = {("危险化学品安全管理条例", "第一百二十条"), ("危险化学品储存管理规定", "第九条"),
                ("中华人民共和国安全生产法", "第九十九条")}
    assert invented <= {(c["law"], c["article"]) for c in failed}
    assert "第一百二十条" not in answer.answer and "危险化学品储存管理规定" not in answer.answer
    assert "第二十条" in answer.answer  # the verified part stays
    assert any("无法核实" in n for n in answer.notes)


def test_fake_llm_as_runnable_and_abstention_skips_llm(full_searcher):
    fake = FakeListChatModel(responses=["《危险化学品安全管理条例》第二十条。"])
    runnable = as_runnable(LLMAnswerer(full_searcher, fake))
    answer = runnable.invoke({"question": "个人所得税怎么算"})
    assert answer.abstained and not answer.checks


def test_cli_ask_and_verify_json(full_settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    base = [sys.executable, "-m", "ui.cli", "--home", str(full_settings.home), "--no-builtin"]
    out = subprocess.run([*base, "ask", "一书一签不全怎么罚", "--json"], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"question", "answer", "abstained", "citations"}
    first = data["citations"][0]
    assert set(first) >= {"law", "article", "article_no", "level", "status", "effective", "text", "source", "role",
                          "score"}
    assert first["role"] in {"违法依据", "处罚依据", "相关规定"} and isinstance(first["article_no"], int)
    ver = subprocess.run([*base, "verify", "《危险化学品安全管理条例》第二百条", "--json"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert ver.returncode == 0 and json.loads(ver.stdout)["citations"][0]["exists"] is False
