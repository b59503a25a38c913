"""Bad input to ask, show and verify: numbers no law uses, empty questions, unknown laws, nonsense.

Each case runs the real CLI on a small home and checks the exit code, the message and that nothing is stored."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corpus.citations import parse_references
from corpus.numbers import MAX_ARTICLE, ArticleNumberError, article_label, parse_article

LAW = """中华人民共和国测试安全法

第一条 为了加强危险化学品的安全管理，制定本法。

第二条 生产、储存危险化学品的单位，应当在其作业场所设置明显的安全警示标志。\
违反本法第九万九千九百九十九条的，依照第99999条处理。

第三条 违反本法第二条规定，未设置安全警示标志的，责令改正，处五万元以下的罚款。
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("badq")
    law = root / "测试安全法.md"
    law.write_text(LAW, encoding="utf-8")
    result = run(root / "home", "ingest", str(law), "--effective", "2020-01-01")
    assert result.returncode == 0, result.stderr
    return root / "home"


def run(home, *args) -> subprocess.CompletedProcess:
    """The installed entry point (ui.cli:main), which turns errors into exit codes and messages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")} | {"HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", "from ui.cli import main; main()", "--home", str(home),
                           "--no-builtin", *args], capture_output=True, text=True, env=env, timeout=300)


def stored(home) -> str:
    return run(home, "docs", "--json").stdout


def test_article_numbers_have_one_range():
    assert parse_article("第九千九百九十九条") == (MAX_ARTICLE, 0)
    for value in ("99999", "第10000条", 0, "999999999999999999999999", "第十五条之一百"):
        with pytest.raises(ArticleNumberError):
            parse_article(value)
    assert article_label(99999) == "第99999条"  # messages name the number instead of failing


def test_out_of_range_references_stay_unresolved_and_are_collected():
    bad: list = []
    refs = parse_references("依照《安全生产法》第99999条、第零条和第十条处罚", out_of_range=bad)
    assert [(r.law, r.article_no) for r in refs] == [("安全生产法", 10)]
    assert sorted(r.article_no for r in bad) == [0, 99999]


@pytest.mark.parametrize("args, code, message", [
    (["show", "测试安全法", "99999"], 2, "条号 99999 超出范围"),
    (["show", "测试安全法", "999999999999999999999999"], 2, "超出范围"),
    (["show", "测试安全法", "0"], 2, "超出范围"),
    (["show", "测试安全法", "第九条"], 1, "中没有第九条"),
    (["show", "不存在的法", "第一条"], 1, "没有名为“不存在的法”的法规"),
    (["verify", "《测试安全法》第99999条"], 0, "第99999条不是有效的条号"),
    (["verify", "《测试安全法》第零条"], 0, "不是有效的条号"),
    (["verify", "这段话没有引用"], 1, "没有找到《法规名》第N条形式的引用"),
    (["ask", "测试安全法第10000条"], 0, "知识库中没有《中华人民共和国测试安全法》第10000条"),
    (["ask", ""], 1, "问题为空"),
    (["ask", "   "], 1, "问题为空"),
    (["ask", "--law", "不存在", "没有设置安全警示标志"], 1, "没有名为“不存在”的法规"),
    (["ask", "--k", "0", "没有设置安全警示标志"], 2, "返回条数应为 1 到 50 之间的整数"),
    (["ask", "--k", "-1", "没有设置安全警示标志"], 2, "返回条数应为 1 到 50 之间的整数"),
    (["ask", "x' OR '1'='1"], 0, "未在知识库中找到明确依据"),
])
def test_bad_queries(home, args, code, message):
    before = stored(home)
    result = run(home, *args)
    assert result.returncode == code, result.stderr
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert stored(home) == before


def test_show_of_a_law_citing_a_huge_number_works(home):
    """A law whose text cites 第99999条 ingests, and showing any of its articles still works."""
    result = run(home, "show", "测试安全法", "第二条", "--json")
    assert result.returncode == 0, result.stderr
    assert "第99999条" in json.loads(result.stdout)["text"]


def test_nonsense_never_gets_a_firm_basis(home):
    for question in ("x' OR '1'='1", "1 2 3 4", "asdf qwer zxcv"):
        data = json.loads(run(home, "ask", question, "--json").stdout)
        assert all(c["confidence"] != "确定" for c in data["citations"]), question
        found = run(home, "violations", "search", question, "--json")
        assert all(m.get("confidence") != "确定" for m in json.loads(found.stdout)["rows"]), question


def test_not_yet_effective_articles_are_never_firm(home):
    data = json.loads(run(home, "ask", "--as-of", "1900-01-01", "储存场所没有设置安全警示标志怎么罚", "--json").stdout)
    assert all(c["confidence"] != "确定" for c in data["citations"])


def test_paragraphs_of_an_unresolved_article_do_not_refine_another():
    bad: list = []
    refs = parse_references("违反《安全生产法》第十条、第99999条第二款第（三）项的", out_of_range=bad)
    assert [(r.article_no, r.paragraph, r.item) for r in refs] == [(10, None, None)]
    assert [r.article_no for r in bad] == [99999]


def test_a_negative_seed_is_refused_not_folded_onto_its_positive(tmp_path):
    from quiz.blueprint import load_blueprints
    from quiz.errors import QuizError
    from quiz.paper import draw_paper

    blueprint = load_blueprints()[0]
    with pytest.raises(QuizError, match="随机种子 -1 无效"):
        draw_paper(None, blueprint, seed=-1, pool=[])
