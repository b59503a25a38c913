"""Citation trust on a tiny corpus: real answers' citations all check out; tampered and invented ones are caught."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from eval.trust import citation_trust, invented_citation_catch, plant_citations, run_trust_eval
from homes import small_home
from retriever.answer import ExtractiveAnswerer

LAW = """# 危险化学品安全管理条例

2013年12月7日 国务院令第645号修订

<!-- INFO END -->

## 第一章 总则

第一条 为了加强危险化学品的安全管理，预防和减少危险化学品事故，制定本条例。

第二条 生产、储存危险化学品的单位，应当在其作业场所和安全设施、设备上设置明显的安全警示标志。

第三条 危险化学品应当储存在专用仓库、专用场地或者专用储存室内，并由专人负责管理。

第四条 危险化学品经营企业不得向未经许可从事危险化学品生产、经营活动的企业采购危险化学品。

## 第二章 法律责任

第五条 有下列情形之一的，由安全生产监督管理部门责令改正，可以处5万元以下的罚款：

（一）未在作业场所和安全设施、设备上设置明显的安全警示标志的；

（二）危险化学品未储存在专用仓库内，或者未由专人负责管理的。

第六条 危险化学品经营企业向未经许可违法从事危险化学品生产、经营活动的企业采购危险化学品的，\
由工商行政管理部门责令改正，处10万元以上20万元以下的罚款。
"""

QUESTIONS = ["储存场所没设安全警示标志，依据哪条？怎么罚？", "危化品仓库没有专人管理",
             "经营企业向无证企业采购危化品怎么罚", "个人所得税怎么算"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    _settings, catalog, searcher = small_home(tmp_path_factory.mktemp("trust"),
                                              "危险化学品安全管理条例(2013-12-07).md", LAW)
    return catalog, searcher


def test_real_answers_citations_all_check_out(tiny):
    catalog, searcher = tiny
    report = citation_trust(catalog, ExtractiveAnswerer(searcher), QUESTIONS)
    assert report["answers"] == 3  # the tax question abstains
    assert report["citations"] >= 3
    assert report["exists"] == 1.0 and report["current"] == 1.0 and report["in_sources"] == 1.0
    assert 0 < report["in_search_hits"] <= 1.0
    assert report["problems"] == []


class TamperedAnswerer(ExtractiveAnswerer):
    """Adds to every answer one citation of an article that does not exist and one with an altered text."""

    def compose(self, result, k=5, as_of=None):
        answer = super().compose(result, k, as_of)
        if answer.citations:
            real = answer.citations[0]
            answer.citations.append(replace(real, article="第九百九十九条", article_no=999, unit_id="nowhere:a999"))
            answer.citations.append(replace(real, text=real.text + "（擅自添加的内容）"))
        return answer


def test_tampered_citations_lower_the_shares_by_hand(tiny):
    catalog, searcher = tiny
    clean = citation_trust(catalog, ExtractiveAnswerer(searcher), QUESTIONS)
    report = citation_trust(catalog, TamperedAnswerer(searcher), QUESTIONS)
    n_real, answers = clean["citations"], clean["answers"]
    assert report["citations"] == n_real + 2 * answers
    # the invented article neither exists nor was retrieved; the altered text exists but is not verbatim
    assert report["exists"] == pytest.approx(n_real / (n_real + 2 * answers))
    assert report["in_sources"] == pytest.approx((n_real + answers) / (n_real + 2 * answers))
    assert len(report["problems"]) == 2 * answers


def test_invented_citations_are_all_caught(tiny):
    catalog, searcher = tiny
    report = invented_citation_catch(searcher, QUESTIONS)
    assert report["answers"] == 3
    assert report["caught_share"] == 1.0 and report["missed"] == []
    assert report["real_kept_share"] == 1.0 and report["real"] == 3
    kinds = report["by_kind"]
    assert {"invented-law", "invented-article", "not-retrieved"} <= set(kinds)
    assert report["invented"] == sum(v["n"] for v in kinds.values()) == report["caught"]


def test_planted_reply_mixes_real_and_invented(tiny):
    catalog, searcher = tiny
    answer = ExtractiveAnswerer(searcher).answer(QUESTIONS[0])
    planted = plant_citations(catalog, answer, 0)
    assert planted[0].kind == "real" and planted[0].raw == answer.citations[0].cite()
    assert {p.kind for p in planted[1:]} >= {"invented-law", "invented-article", "not-retrieved"}


def test_run_trust_eval_and_cli(tiny, tmp_path):
    catalog, searcher = tiny
    gold = tmp_path / "q.jsonl"
    gold.write_text("\n".join(json.dumps({"q": q}, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    report = run_trust_eval(catalog, searcher, gold)
    assert report["citations"]["exists"] == 1.0 and report["invented"]["caught_share"] == 1.0

    from click.testing import CliRunner

    from ui.cli import cli

    home = catalog.engine.url.database.rsplit("/", 1)[0]
    result = CliRunner().invoke(cli, ["--home", home, "--no-builtin", "eval", "trust", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "识别并删除" in result.output and "100.0%" in result.output
