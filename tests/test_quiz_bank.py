"""The question bank store, the outdated-item check and the `hazkb quiz` commands (real SQLite, real files)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from corpus.model import Document, Level, Status, Unit, UnitKind
from quiz.errors import QuizError
from quiz.model import Basis, Origin, QType, Question, Review
from quiz.outdated import amounts, flag_outdated
from quiz.store import open_bank


def single(stem: str, **kw) -> Question:
    return Question(qtype=QType.SINGLE, stem=stem, options=kw.pop("options", ["甲", "乙", "丙"]),
                    answer=kw.pop("answer", "A"), **kw)


def true_false(stem: str, answer: str = "A", **kw) -> Question:
    return Question(qtype=QType.TRUE_FALSE, stem=stem, options=["正确", "错误"], answer=answer, **kw)


# -- store ---------------------------------------------------------------------------------------


def test_add_get_and_duplicates(bank):
    qid, dup = bank.add(single("危险化学品仓库应当设置（）。", explanation="条例规定"))
    assert not dup and bank.get(qid).explanation == "条例规定"
    again, dup = bank.add(single("危险化学品仓库应当设置（ ）", options=["丙", "甲", "乙"], answer="B"))
    assert dup and again == qid and bank.count() == 1
    other, dup = bank.add(true_false("危险化学品仓库应当设置明显标志。"))
    assert not dup and other != qid


def test_add_many_is_one_transaction(bank):
    results = bank.add_many([single("第一题（）"), single("第二题（）"), single("第一题（）")])
    assert [d for _, d in results] == [False, False, True] and results[2][0] == results[0][0]
    with pytest.raises(QuizError, match="多选题答案应至少有 2 个字母"):
        bank.add_many([single("第三题（）"),
                       Question(qtype=QType.MULTIPLE, stem="坏题", options=["甲", "乙"], answer="A")])
    assert bank.count() == 2  # nothing of the failed batch was written


def test_invalid_questions_are_refused(bank):
    with pytest.raises(QuizError, match="题干为空"):
        bank.add(single("  "))
    with pytest.raises(QuizError, match="选项重复"):
        bank.add(single("重复选项（）", options=["甲", "甲 "]))
    with pytest.raises(QuizError, match="超出了选项范围"):
        bank.add(single("答案超出（）", answer="D"))
    with pytest.raises(QuizError, match="判断题的选项"):
        bank.add(Question(qtype=QType.TRUE_FALSE, stem="判断", options=["是", "否", "不确定"], answer="A"))


def test_taken_qid_gets_a_fresh_one(bank):
    qid, _ = bank.add(single("甲题（）", qid="Q1"))
    assert qid == "Q1"
    item = single("乙题（）", qid="Q1")
    qid2, dup = bank.add(item)
    assert not dup and qid2 != "Q1" and item.qid == qid2 and bank.get("Q1").stem == "甲题（）"


def test_update_review_delete(bank):
    qid, _ = bank.add(single("原题干（）"))
    item = bank.get(qid)
    item.stem = "新题干（）"
    item.flags.append("请核对")
    bank.update(item)
    assert bank.get(qid).stem == "新题干（）" and bank.get(qid).qid == qid
    assert bank.find(item.fingerprint()).qid == qid
    other, _ = bank.add(single("另一题（）"))
    clash = bank.get(other)
    clash.stem = "新题干（）"
    with pytest.raises(QuizError, match="重复"):
        bank.update(clash)
    bank.set_review(qid, Review.APPROVED)
    assert bank.get(qid).review is Review.APPROVED and bank.get(qid).flags == ["请核对"]
    bank.set_review(qid, Review.RETIRED, clear_flags=True)
    assert bank.get(qid).review is Review.RETIRED and bank.get(qid).flags == []
    bank.delete(other)
    assert bank.count() == 1
    for call in (lambda: bank.get("nope"), lambda: bank.delete("nope"),
                 lambda: bank.set_review("nope", Review.APPROVED)):
        with pytest.raises(QuizError, match="hazkb quiz list"):
            call()


def test_list_filters_and_stats(bank):
    bank.add_many([
        single("所有岗位（）"),
        single("仅主要负责人（）", roles=["主要负责人"], enterprise_types=["加油站"], difficulty=3,
               review=Review.APPROVED, topics=["处罚"]),
        true_false("从业人员判断。", roles=["从业人员"], review=Review.APPROVED, flags=["请核对"]),
        Question(qtype=QType.MULTIPLE, stem="多选（）", options=["甲", "乙", "丙"], answer="AB",
                 enterprise_types=["危险化学品生产"], review=Review.RETIRED),
    ])
    stems = lambda items: [q.stem for q in items]  # noqa: E731
    assert stems(bank.list(roles="主要负责人")) == ["所有岗位（）", "仅主要负责人（）", "多选（）"]
    assert stems(bank.list(roles=["从业人员"], enterprise_types="加油站")) == ["所有岗位（）", "从业人员判断。"]
    assert stems(bank.list(qtype=QType.TRUE_FALSE)) == ["从业人员判断。"]
    assert stems(bank.list(qtype=["单选", "多选"], review="approved")) == ["仅主要负责人（）"]
    assert stems(bank.list(difficulty=3)) == stems(bank.list(topics="处罚")) == ["仅主要负责人（）"]
    assert stems(bank.list(flagged=True)) == ["从业人员判断。"]
    assert bank.stats() == {"total": 4, "by_type": {"判断": 1, "单选": 2, "多选": 1},
                            "by_review": {"draft": 1, "approved": 2, "retired": 1}, "flagged": 1}


def test_open_bank_shares_the_catalog_database(settings, catalog):
    bank = open_bank(settings)
    bank.add(single("同一个数据库（）"))
    assert settings.db_url.endswith("catalog.db") and bank.url == catalog.url
    assert catalog.counts()["documents"] == 0 and open_bank(settings).count() == 1


# -- outdated items ------------------------------------------------------------------------------


def law(title: str, version: date, status: Status, articles: dict[int, str]) -> Document:
    units = [Unit(kind=UnitKind.ARTICLE, seq=i, text=f"第{n}条 {text}", article_no=n)
             for i, (n, text) in enumerate(articles.items())]
    doc = Document(title=title, level=Level.ADMIN_REGULATION, version_date=version, effective_date=version,
                   status=status, units=units, content_hash=f"{title}{version}")
    doc.assign_ids()
    return doc


@pytest.fixture
def versioned(catalog):
    """测试安全条例 in a 2010 version and a 2020 revision, and a repealed 测试废止办法."""
    old = law("测试安全条例", date(2010, 1, 1), Status.AMENDED, {
        1: "本条例适用于危险化学品储存。", 2: "储存单位应当在十五日内报送备案。", 3: "仓库应当设专人管理。"})
    new = law("测试安全条例", date(2020, 1, 1), Status.CURRENT, {
        1: "本条例适用于危险化学品储存。", 2: "储存单位应当在三十日内报送备案。"})
    gone = law("测试废止办法", date(2005, 1, 1), Status.REPEALED, {1: "旧规定。"})
    for doc in (old, new, gone):
        catalog.store(doc, source=f"test:{doc.title}:{doc.version_date}")
    return catalog, old, new


def linked(doc: Document, number: int) -> Basis:
    return Basis(law=doc.title, article_no=number, unit_id=doc.units[number - 1].unit_id)


def test_flag_outdated_basis(bank, versioned):
    catalog, old, new = versioned
    generated = true_false("储存单位应当在十五日内报送备案。", basis=[linked(old, 2)], review=Review.APPROVED,
                           origin=Origin(kind="generated", generator="cloze-number", unit_id=old.units[1].unit_id))
    unchanged = true_false("本条例适用于危险化学品储存。", basis=[linked(old, 1)], review=Review.APPROVED,
                           origin=Origin(kind="imported", file="a.xlsx", row=2))
    removed = true_false("仓库应当设专人管理。", basis=[linked(old, 3)], review=Review.APPROVED,
                         origin=Origin(kind="imported", file="a.xlsx", row=3))
    repealed = single("旧规定（）", basis=[Basis(law="测试废止办法", article_no=1)], review=Review.APPROVED)
    missing = true_false("第九条的题。", basis=[Basis(law="测试安全条例", article_no=9)])
    current = true_false("现行第二条的题。", basis=[linked(new, 2)], review=Review.APPROVED)
    retired = true_false("停用的题。", basis=[linked(old, 2)], review=Review.RETIRED)
    ids = [bank.add(q)[0] for q in (generated, unchanged, removed, repealed, missing, current, retired)]

    findings = flag_outdated(bank, catalog)
    reasons = {qid: [r for q, r in findings if q == qid] for qid in ids}
    assert len(reasons[ids[0]]) == 1 and "第二条内容已修改" in reasons[ids[0]][0] and "2020-01-01" in reasons[ids[0]][0]
    assert reasons[ids[1]] == [] and reasons[ids[5]] == [] and reasons[ids[6]] == []
    assert "新版本中已没有第三条" in reasons[ids[2]][0]
    assert "已废止" in reasons[ids[3]][0]
    assert "现行《测试安全条例》中已没有第九条" in reasons[ids[4]][0]

    assert bank.get(ids[0]).review is Review.DRAFT  # generated: back to review
    assert bank.get(ids[2]).review is Review.APPROVED and bank.get(ids[3]).review is Review.APPROVED
    assert bank.get(ids[2]).flags == reasons[ids[2]]
    assert bank.get(ids[0]).stem == "储存单位应当在十五日内报送备案。"  # flagged, never rewritten

    # A reviewer approves the generated item; a second run finds the same and changes nothing.
    bank.set_review(ids[0], Review.APPROVED)
    assert flag_outdated(bank, catalog) == findings
    assert bank.get(ids[0]).review is Review.APPROVED and len(bank.get(ids[0]).flags) == 1


def test_basis_whose_version_left_the_catalog(bank, versioned):
    catalog, old, _new = versioned
    qid, _ = bank.add(true_false("本条例适用于危险化学品储存。", basis=[linked(old, 1)]))
    catalog.remove(old.doc_id)
    [(found, reason)] = flag_outdated(bank, catalog)
    assert found == qid and "原所在的版本已不在知识库中" in reason


def test_amounts():
    assert amounts("应当在十五日内，处二十万元以上五十万元以下罚款") == {(15, "日"), (200000, "元"), (500000, "元")}
    assert amounts("20万元、24小时、3个月、40%") == {(200000, "元"), (24, "小时"), (3, "月"), (40, "%")}
    assert amounts("2021年9月1日起施行，二〇二一年") == set()


@pytest.fixture
def safety_law(catalog, regulations_dir):
    from ingest.pipeline import ingest_paths

    report = ingest_paths(catalog, [regulations_dir / "安全生产法(2021-06-10).md"])
    assert not report.failed, report.failed
    return catalog


WARNING_SIGNS = ("《安全生产法》规定，生产经营单位未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的"
                 "安全警示标志的，责令限期改正，可以处{}以下的罚款。")


def test_number_heuristic_for_imported_items(bank, safety_law):
    imported = Origin(kind="imported", file="bank.xlsx", row=2)
    wrong = true_false(WARNING_SIGNS.format("三万元"), "A", origin=imported, review=Review.APPROVED)
    right = true_false(WARNING_SIGNS.format("五万元"), "A", origin=imported)
    meant_false = true_false(WARNING_SIGNS.format("三千元"), "B", origin=imported)
    choice_key = single(WARNING_SIGNS.format("（）"), options=["五万元", "三万元"], answer="B", origin=imported)
    choice_ok = single(WARNING_SIGNS.format("（ ）").replace("可以处", "处"), options=["五万元", "三万元"],
                       answer="A", origin=imported)
    unrelated = true_false("《安全生产法》规定，某单位每年组织三次郊游。", "A", origin=imported)
    manual = true_false(WARNING_SIGNS.format("四万元"), "A")  # not imported: no number check
    ids = [bank.add(q)[0] for q in (wrong, right, meant_false, choice_key, choice_ok, unrelated, manual)]

    findings = dict(flag_outdated(bank, safety_law))
    assert set(findings) == {ids[0], ids[3]}, findings
    assert findings[ids[0]].startswith("题目中的数字与现行《安全生产法》不一致，请核对")
    assert "3万元" in findings[ids[0]]
    assert bank.get(ids[0]).review is Review.APPROVED and bank.get(ids[0]).flags == [findings[ids[0]]]


def test_real_banks_against_current_safety_law(bank, safety_law, shared_dir):
    """The shared banks' items naming 《安全生产法》 with amounts still agree with the 2021 text: nothing flagged."""
    from quiz.bank_files import import_file

    import_file(bank, shared_dir / "question_banks" / "一般企业安全管理员.xlsx")
    assert flag_outdated(bank, safety_law) == []


# -- command line --------------------------------------------------------------------------------


@pytest.fixture
def invoke(settings):
    from click.testing import CliRunner

    from quiz.starter import retire_starter
    from quiz.store import open_bank
    from ui.cli import Context
    from ui.cli_quiz import quiz

    bank = open_bank(settings)  # a bureau that keeps only its own bank: the built-in starter bank retired
    retire_starter(bank)
    bank.close()

    def run(*args, code=0):
        result = CliRunner().invoke(quiz, [str(a) for a in args], obj=Context(settings))
        if code is not None and result.exit_code != code:
            raise AssertionError(f"exit {result.exit_code}: {result.output}") from result.exception
        return result

    return run


def test_cli_import_list_review_export(invoke, shared_dir, tmp_path):
    bank_file = shared_dir / "question_banks" / "一般企业安全负责人.xlsx"
    out = json.loads(invoke("import", bank_file, "--json", "--role", "主要负责人").stdout)
    assert out["imported"] == 249 and out["duplicates"] == [] and out["rejected"] == []
    again = json.loads(invoke("import", bank_file, "--json").stdout)
    assert again["imported"] == 0 and len(again["duplicates"]) == 249

    items = json.loads(invoke("list", "--json", "--review", "approved").stdout)
    assert len(items) == 249 and items[0]["roles"] == ["主要负责人"] and items[0]["qtype"] == "判断"
    qid = items[0]["qid"]
    assert "已设为：已停用" in invoke("review", qid, "--retire").stdout
    assert len(json.loads(invoke("list", "--json", "--review", "retired").stdout)) == 1
    invoke("review", qid, code=2)  # neither --approve nor --retire
    assert "共 248 道题" in invoke("list", "--review", "approved").stdout
    assert json.loads(invoke("stats", "--json").stdout)["by_review"] == {"draft": 0, "approved": 248, "retired": 1}

    target = tmp_path / "多选.csv"
    assert "已导出 50 道题" in invoke("export", target, "--type", "多选").stdout
    assert target.read_text(encoding="utf-8-sig").startswith("题型,题干,选项A")

    template = tmp_path / "模板.xlsx"
    invoke("template", template)
    refused = invoke("template", template, code=1)
    assert isinstance(refused.exception, QuizError) and "--force" in str(refused.exception)
    invoke("template", template, "--force")

    text = invoke("import", template).stdout
    assert text.startswith("导入 1 道")
    flagged = json.loads(invoke("flag-outdated", "--json").stdout)
    # No 危化条例 in this catalog: the template example was flagged at import, and its law is not in the catalog.
    assert flagged == {"flagged": 0, "findings": []}
    assert any("依据未在知识库中找到" in f for q in json.loads(invoke("list", "--json", "--flagged").stdout)
               for f in q["flags"])


def test_cli_import_errors(invoke, tmp_path):
    missing = invoke("import", tmp_path / "nope.xlsx", code=1)
    assert isinstance(missing.exception, QuizError) and "找不到文件" in str(missing.exception)
    invoke("import", tmp_path / "x.xlsx", "--role", "厨师", code=2)
    bad = tmp_path / "bad.csv"
    bad.write_text("题型,题干,选项A,选项B,答案\n单选,好题（）,甲,乙,A\n单选,,甲,乙,A\n", encoding="utf-8")
    out = json.loads(invoke("import", bad, "--json", code=1).stdout)  # a rejected row: partial failure, exit 1
    assert out["imported"] == 1 and out["rejected"] == [{"row": 3, "reason": "题干为空；请填写题目内容"}]
    assert "第 3 行：题干为空" in invoke("import", bad, code=1).stdout


def test_cli_subprocess_once_registered(tmp_path, shared_dir):
    from ui.cli import cli

    if "quiz" not in cli.commands:
        pytest.skip("ui/cli.py does not register the quiz group yet")
    home = tmp_path / "home"
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "--home", str(home), "--no-builtin", "quiz", "import",
                           str(shared_dir / "question_banks" / "一般企业安全管理员.xlsx"), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["imported"] == 298 and [d["row"] for d in out["duplicates"]] == [274] and out["rejected"] == []
    bad = subprocess.run([sys.executable, "-m", "ui.cli", "--home", str(home), "--no-builtin", "quiz", "import",
                          str(tmp_path / "nope.xlsx")], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "找不到文件" in bad.stderr


def test_reimport_for_another_role_adds_the_role(tmp_path, settings, shared_dir):
    from quiz.bank_files import import_file
    from quiz.store import open_bank

    bank = open_bank(settings)
    manager = shared_dir / "question_banks" / "一般企业安全管理员.xlsx"
    principal = shared_dir / "question_banks" / "一般企业安全负责人.xlsx"
    import_file(bank, manager, roles=["安全管理人员"])
    report = import_file(bank, principal, roles=["主要负责人"])
    assert report.imported == 0 and len(report.duplicates) == 249
    both = bank.get(report.duplicates[0]["qid"])
    assert set(both.roles) == {"安全管理人员", "主要负责人"}
