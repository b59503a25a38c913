"""The evaluation report: md / html / png from a results dict, and `hazkb eval report` on the full corpus."""
from __future__ import annotations

import json

import pytest

from eval.report import hardest, write_report
from homes import small_gold_dir, write_two_item_bank

PNG = b"\x89PNG\r\n\x1a\n"


def _metrics(mrr: float) -> dict:
    return {"n": 2, "hit@1": mrr / 2, "hit@5": mrr, "hit@10": mrr, "recall@10": mrr, "mrr": mrr, "lenient_mrr": mrr}


RESULTS = {
    "generated_at": "2026-11-29T10:00:00", "corpus": {"documents": 3, "units": 40, "references": 2}, "dense": False,
    "gold": "gold.jsonl",
    "retrieval": {
        **_metrics(0.75),
        "by_category": {"储存": _metrics(1.0), "运输": _metrics(0.5)},
        "per_question": [
            {"q": "没设警示标志", "category": "储存", "rank": 1, "lenient_rank": 1,
             "gold": [["危险化学品安全管理条例", "第二十条"]], "top": [["危险化学品安全管理条例", "第二十条"]]},
            {"q": "槽车没有押运员", "category": "运输", "rank": None, "lenient_rank": 7,
             "gold": [["危险化学品安全管理条例", "第四十四条"]], "top": [["中华人民共和国安全生产法", "第一百零一条"]]},
        ],
        "baselines": {"bigram_bm25": {**_metrics(0.4), "by_category": {"储存": _metrics(0.5)}, "mrr_ratio": 1.875}},
    },
    "held_out": {**_metrics(0.6), "n": 5, "by_category": {}, "per_question": [],
                 "baselines": {"bigram_bm25": {**_metrics(0.3), "by_category": {}}}},
    "lookups": {"n": 2, "accuracy": 0.5,
                "failures": [{"q": "安法101条", "gold": [["中华人民共和国安全生产法", "第一百零一条"]], "top": []}]},
    "abstention": {"out_of_scope_n": 2, "abstention_rate": 1.0, "answered_out_of_scope": [], "gold_n": 2,
                   "false_abstention_rate": 0.0, "abstained_on_gold": []},
    "trust": {"citations": {"answers": 2, "citations": 4, "exists": 1.0, "current": 0.75, "in_search_hits": 0.5,
                            "in_sources": 1.0,
                            "problems": [{"q": "x", "citation": "《刑法》第一条", "problem": "非现行"}]},
              "invented": {"answers": 2, "invented": 8, "caught": 8, "caught_share": 1.0, "real": 2, "real_kept": 2,
                           "real_kept_share": 1.0, "by_kind": {"invented-law": {"n": 2, "caught": 2}}, "missed": []}},
    "quiz": [{"source": "bank.xlsx", "n": 3, "accuracy": 2 / 3, "solver": "extractive",
              "by_type": {"判断": {"n": 2, "correct": 1, "accuracy": 0.5},
                          "单选": {"n": 1, "correct": 1, "accuracy": 1.0}},
              "by_method": {"evidence": {"n": 3, "accuracy": 2 / 3}},
              "disagreements": [{"stem": "储存危险化学品的单位应当每5年进行一次安全评价", "key": "A", "system": "B",
                                 "method": "evidence", "reasons": ["“5年”与条文中的“3年”不一致"],
                                 "evidence": [{"law": "危险化学品安全管理条例", "article": "第二十二条",
                                               "text": "每3年进行一次安全评价"}]}]}],
}


def _check_files(paths: dict) -> tuple[str, str]:
    md = open(paths["markdown"], encoding="utf-8").read()
    page = open(paths["html"], encoding="utf-8").read()
    assert len(paths["charts"]) == 4
    for chart in paths["charts"]:
        with open(chart, "rb") as f:
            assert f.read(8) == PNG
        name = chart.rsplit("/", 1)[-1]
        assert f"]({name})" in md and f'src="{name}"' in page
    assert json.loads(open(paths["json"], encoding="utf-8").read())["quiz"][0]["source"].startswith("bank.")
    return md, page


@pytest.mark.parametrize("cjk", [None, False])
def test_write_report_from_results(tmp_path, cjk):
    paths = write_report(RESULTS, tmp_path / "out", cjk=cjk)
    md, page = _check_files(paths)
    assert "| 本系统 | 0.375 | 0.750 |" in md and "bigram_bm25" in md
    assert "MRR 本系统 / bigram_bm25 = 1.88" in md
    assert "槽车没有押运员" in md and "未命中" in md  # the hardest question, with what came back instead
    assert "准确率 50.0%" in md and "拒答率 100.0%" in md and "8/8（100.0%）" in md
    assert "每5年" in md and "题库答案" in md
    assert "留出集（盲写，未用于调参）" in md and "| 留出集 | 0.300 | 0.600 |" in md
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "&lt;" not in md
    if cjk is False:
        assert paths["cjk_font"] is False and "C1" in md and "没有中文字体" in md


def test_hardest_orders_misses_last_first():
    per = [{"rank": 6, "lenient_rank": 6}, {"rank": None, "lenient_rank": 2}, {"rank": 1, "lenient_rank": 1},
           {"rank": None, "lenient_rank": None}]
    assert [q["lenient_rank"] for q in hardest(per)] == [None, 2, 6]


def test_cli_report_on_full_corpus(full_settings, full_searcher, tmp_path):
    """One command runs every part over a folder of gold sets and writes the report."""
    from click.testing import CliRunner

    from eval.run_all import SETS
    from ui.cli import cli

    gold_dir = small_gold_dir(tmp_path / "gold")
    first = (gold_dir / "holdout.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "mine.jsonl").write_text(first + "\n", encoding="utf-8")
    bank = write_two_item_bank(tmp_path / "bank.json")
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, [
        "--home", str(full_settings.home), "--no-builtin", "eval", "report", "--out", str(out),
        "--gold-dir", str(gold_dir), "--held-out", str(tmp_path / "mine.jsonl"),  # a file given wins over the folder's
        "--bank", str(bank), "--n", "4", "--no-baselines", "--json"])
    assert result.exit_code == 0, result.output
    paths = json.loads(result.output)
    md, _page = _check_files(paths)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["retrieval"]["n"] == 4 and "baselines" not in results["retrieval"]
    assert results["held_out"]["n"] == 1 and "留出集" in md
    # every set side by side, read from the folder given (answer level counts only findings with a penalty)
    assert [(s["name"], s["file"]) for s in results["sets"]] == [(name, str(gold_dir / file)) for name, file, _ in SETS]
    assert all(s["answers"]["n"] <= 4 and s["retrieval"]["n"] <= 4 for s in results["sets"])
    # questions about rules name no penalty: those sets have retrieval figures only, and no row in the answers table
    assert all((s["answers"]["n"] > 0) is not s["name"].startswith("rules_") for s in results["sets"])
    assert "rules_dev（" not in md.split("### 检索")[0] and "rules_dev（" in md
    # the answer-level sets again, each finding asked for the unit type its writer named (ask --unit-type)
    typed = {s["name"]: s["answers_unit_type"] for s in results["sets"] if s["answers_unit_type"]}
    assert "answers_holdout10" in typed and typed["answers_holdout10"]["unit_types"] > 0
    assert "检查前选定被检查单位类型" in md
    assert results["lookups"]["accuracy"] == 1.0
    assert results["abstention"]["abstention_rate"] == 1.0
    assert results["trust"]["citations"]["exists"] == 1.0 and results["trust"]["invented"]["caught_share"] == 1.0
    assert results["quiz"][0]["accuracy"] == 1.0 and results["quiz"][0]["n"] == 2
    assert results["quiz"][1]["n"] == 4 and results["quiz"][1]["source"].startswith("生成题")
    assert "题库作答" in md and "引用可信度" in md


def test_a_gold_folder_without_the_retrieval_set_is_explained(tmp_path):
    from click.testing import CliRunner

    from corpus.errors import HazkbError
    from corpus.settings import Settings
    from ui.cli import cli

    assert Settings.from_env({"HAZKB_GOLD_DIR": str(tmp_path)}).gold_dir == tmp_path
    (tmp_path / "holdout.jsonl").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "--no-builtin", "eval", "report",
                                      "--out", str(tmp_path / "out"), "--gold-dir", str(tmp_path)])
    assert isinstance(result.exception, HazkbError)  # hazkb's main prints it as "错误：…" and exits 1
    assert "没有 inspector.jsonl" in str(result.exception) and "HAZKB_GOLD_DIR" in str(result.exception)
    assert not (tmp_path / "out").exists()
