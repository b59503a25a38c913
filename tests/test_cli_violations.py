"""`hazkb violations …` and `hazkb eval answers` as a user runs them: real subprocesses, exit codes, JSON shapes."""
from __future__ import annotations

import json

from test_cli import run


def _home(tmp_path, regulations_dir):
    home = tmp_path / "home"
    src = regulations_dir / "危险化学品安全管理条例(2013-12-07).md"
    run(home, "--no-builtin", "ingest", str(src), "--json", check_code=0)
    return home


def test_list_show_search_export(tmp_path, regulations_dir):
    home = _home(tmp_path, regulations_dir)
    rows = json.loads(run(home, "--no-builtin", "violations", "list", "--law", "危化条例", "--json",
                          check_code=0).stdout)
    assert len(rows) > 70
    row = next(r for r in rows if r["penalty"]["article_no"] == 78 and r["penalty"]["item"] == 8)
    assert set(row) >= {"id", "behaviour", "subject", "penalty", "obligations", "fine", "department"}
    assert row["penalty"]["quote"].startswith("(八)") and row["penalty"]["clause"].startswith("有下列情形之一的")
    assert row["fine"] == {"min": 0.0, "max": 100000.0, "unit": "元", "basis": None}
    assert row["department"] == "应急管理部门"  # 安全生产监督管理部门, by its name since 2018
    assert {(o["article_no"], o["link"]) for o in row["obligations"]} >= {(20, "reviewed")}

    staff = json.loads(run(home, "--no-builtin", "violations", "list", "--subject", "从业人员", "--json",
                           check_code=0).stdout)
    assert staff and all(r["subject"] == "从业人员" for r in staff)
    fined = json.loads(run(home, "--no-builtin", "violations", "list", "--sanction", "吊销", "--json",
                           check_code=0).stdout)
    assert fined and all("吊销" in r["sanctions"] for r in fined)

    shown = run(home, "--no-builtin", "violations", "show", row["id"], check_code=0).stdout
    assert "违法依据：《危险化学品安全管理条例》第二十条" in shown and "人工核定" in shown

    found = json.loads(run(home, "--no-builtin", "violations", "search", "剧毒化学品仓库没有双人收发", "--json",
                           check_code=0).stdout)
    first = found["rows"][0]
    assert first["penalty"]["article_no"] == 78 and first["penalty"]["item"] == 9
    assert first["confidence"] in ("确定", "待核对")

    path = tmp_path / "违法行为库.xlsx"
    out = run(home, "--no-builtin", "violations", "export", str(path), check_code=0).stdout
    assert path.exists() and "已导出" in out


def test_bad_input_gets_a_clear_message(tmp_path, regulations_dir):
    home = _home(tmp_path, regulations_dir)
    unknown = run(home, "--no-builtin", "violations", "list", "--law", "不存在的法", check_code=1)
    assert "没有名为“不存在的法”的法规" in unknown.stderr and "Traceback" not in unknown.stderr
    assert "处罚种类" in run(home, "--no-builtin", "violations", "list", "--sanction", "杀头", check_code=1).stderr
    missing = run(home, "--no-builtin", "violations", "show", "no-such-row", check_code=1)
    assert "没有编号为 no-such-row 的条目" in missing.stderr
    assert ".xlsx" in run(home, "--no-builtin", "violations", "export", str(tmp_path / "x.csv"), check_code=1).stderr


def test_eval_answers_reports_the_figures(tmp_path, regulations_dir):
    home = _home(tmp_path, regulations_dir)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "T1", "q": "剧毒化学品仓库没有双人收发双人保管", "violations": [
        {"obligation": [{"law": "危险化学品安全管理条例", "article": 24}],
         "penalty": [{"law": "危险化学品安全管理条例", "article": 78, "para": 1, "item": 9}]}]},
        ensure_ascii=False) + "\n", encoding="utf-8")
    report = json.loads(run(home, "--no-builtin", "eval", "answers", "--gold", str(gold), "--json",
                            check_code=0).stdout)
    assert report["n"] == 1 and report["gold_penalty_cited"] == 1.0 and report["first_firm_penalty_wrong"] == 0.0
    assert report["per_question"][0]["cited"] and report["unit_types"] is None
    with_units = json.loads(run(home, "--no-builtin", "eval", "answers", "--gold", str(gold), "--unit-types", "--json",
                                check_code=0).stdout)
    assert with_units["unit_types"] == 0  # the finding names no enterprise type: asked without one
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert "不是合法的 JSON" in run(home, "--no-builtin", "eval", "answers", "--gold", str(bad), check_code=1).stderr


def test_ask_for_a_chosen_unit_type(tmp_path, regulations_dir):
    home = _home(tmp_path, regulations_dir)
    out = run(home, "--no-builtin", "ask", "剧毒化学品仓库没有双人收发双人保管", "--unit-type", "经营(带储存)",
              check_code=0).stdout
    assert "（按被检查单位类型“危险化学品经营”匹配）" in out
    answer = json.loads(run(home, "--no-builtin", "ask", "剧毒化学品仓库没有双人收发双人保管", "--unit-type", "加油站",
                            "--json", check_code=0).stdout)
    assert answer["unit_type"] == "加油加气站"
    wrong = run(home, "--no-builtin", "ask", "仓库没有双人收发", "--unit-type", "化肥厂", check_code=1)
    assert "没有“化肥厂”这种被检查单位类型" in wrong.stderr and "一般工贸企业" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    found = json.loads(run(home, "--no-builtin", "violations", "search", "剧毒化学品仓库没有双人收发", "--unit-type",
                           "危险化学品储存", "--json", check_code=0).stdout)
    assert found["rows"][0]["penalty"]["item"] == 9
    refused = run(home, "--no-builtin", "violations", "search", "没有双人收发", "--unit-type", "化肥厂", check_code=1)
    assert "被检查单位类型" in refused.stderr


def test_the_cli_choices_are_the_catalogs_categories():
    """The CLI writes the subject and kind choices out (`hazkb --help` does not import the library)."""
    from corpus.violations import KINDS, SUBJECT_ORDER
    from ui import cli_violations

    assert cli_violations._SUBJECTS == SUBJECT_ORDER and cli_violations._KINDS == KINDS
