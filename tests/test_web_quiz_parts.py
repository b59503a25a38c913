"""The quiz tabs' presentation and service layer without a browser: the examinee's sheet is built from the public
view only, reports list every rejected row, the evaluation figures become table rows; real SQLite under tmp_path."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")

from quiz.bank_files import ImportReport  # noqa: E402
from quiz.model import Basis, QType, Question, Review  # noqa: E402
from ui.web import quiz_present as qp  # noqa: E402
from ui.web.quiz_service import QuizDesk, safe_name  # noqa: E402

EXPLANATION = "依据《危险化学品安全管理条例》第二十条：应当设置明显的安全警示标志。"


def _items() -> list[Question]:
    """Enough approved items for the 安全管理人员 · 加油站 blueprint (10 判断, 10 单选, 5 多选), with explanations."""
    items = []
    for i in range(12):
        items.append(Question(QType.TRUE_FALSE, f"判断题干{i}：储存场所应当设置安全警示标志。", ["正确", "错误"], "A",
                              explanation=f"{EXPLANATION}（判断{i}）", basis=[Basis("危险化学品安全管理条例", 20)],
                              review=Review.APPROVED))
        items.append(Question(QType.SINGLE, f"单选题干{i}：负责综合工作的部门是（）。",
                              ["应急管理部门", "教育部门", "文化部门"], "A",
                              explanation=f"{EXPLANATION}（单选{i}）", basis=[Basis("危险化学品安全管理条例", 6)],
                              review=Review.APPROVED))
    for i in range(6):
        items.append(Question(QType.MULTIPLE, f"多选题干{i}：应当设置的安全设施有（）。",
                              ["监测", "通风", "防火", "绿化"], "ABC",
                              explanation=f"{EXPLANATION}（多选{i}）", basis=[Basis("危险化学品安全管理条例", 20)],
                              review=Review.APPROVED))
    return items


@pytest.fixture
def desk(settings, catalog):
    desk = QuizDesk(settings, catalog, lambda: None)
    desk.bank.add_many(_items())
    return desk


def test_sheet_is_built_from_the_public_view_and_the_result_shows_keys_only_after_submission(desk):
    exam = desk.start_exam("某加油站", "加油站", "张三", "11010519491231002X", "安全管理人员", "李检查")
    view = exam.public_view()
    sheet = json.dumps(view, ensure_ascii=False) + qp.exam_head(view) + qp.timer_html(exam.exam_id, 1800)
    for item in view["paper"]["items"]:
        sheet += qp.item_label(item) + qp.item_info(item) + json.dumps(qp.item_choices(item), ensure_ascii=False)
    assert "依据《危险化学品安全管理条例》" not in sheet and '"key"' not in sheet and "正确答案" not in sheet
    assert qp.item_choices(view["paper"]["items"][0]) == [("A. 正确", "A"), ("B. 错误", "B")]
    assert 'data-remaining="1800"' in sheet and "30:00" in sheet

    first = exam.paper.items[0]
    submitted = desk.submit(exam.exam_id, {1: first.key, 2: ""})
    assert submitted.answers == {1: first.key}  # the screen's answers were saved before grading
    head, items = qp.result_head_html(submitted), qp.result_items_html(submitted)
    assert f'data-score="{submitted.score:g}"' in head and "不合格" in head
    assert f"正确答案：<b>{first.key}</b>" in items and first.explanation in items
    assert "《危险化学品安全管理条例》第二十条" in items or "《危险化学品安全管理条例》第六条" in items
    path = desk.exam_docx(submitted)
    assert path.name == f"考试记录-张三-{exam.exam_id}.docx" and path.stat().st_size > 0


def test_resume_needs_the_matching_id_number(desk):
    from quiz.errors import QuizError

    exam = desk.start_exam("某加油站", "加油站", "张三", "11010519491231002X", "安全管理人员", "李检查")
    with pytest.raises(QuizError, match="考试编号与身份证号不符"):
        desk.resume(exam.exam_id, "320102199002023454")  # a valid ID number, but another person's
    assert desk.resume(f" {exam.exam_id} ", "11010519491231002x").exam_id == exam.exam_id


def test_import_report_lists_every_rejected_row_and_escapes():
    report = ImportReport(imported=1, rows=3, rejected=[{"row": 3, "sheet": "题目", "reason": "答案<E>超出选项范围"}],
                          duplicates=[{"row": 4, "qid": "abc"}], warnings=["未识别的列已忽略：备注"])
    html = qp.import_report_html(report, "题库<1>.xlsx")
    assert "读取 3 行题目，导入 1 道，重复 1 道（已跳过），拒绝 1 行" in html
    assert "第 3 行（工作表“题目”）：答案&lt;E&gt;超出选项范围" in html and "<E>" not in html
    assert "第 4 行：与题库中的题目 abc 重复" in html and "未识别的列已忽略" in html
    assert "题库&lt;1&gt;.xlsx" in html


def test_eval_rows_cover_every_part():
    metrics = {"n": 2, "hit@1": 0.5, "hit@5": 1.0, "hit@10": 1.0, "mrr": 0.75, "lenient_mrr": 0.8}
    results = {"retrieval": {**metrics, "baselines": {"bigram_bm25": dict(metrics, mrr=0.4)}},
               "lookups": {"n": 3, "accuracy": 2 / 3},
               "abstention": {"out_of_scope_n": 2, "abstention_rate": 1.0, "gold_n": 2, "false_abstention_rate": 0.0},
               "trust": {"citations": {"exists": 1.0, "current": 0.9, "in_sources": 1.0},
                         "invented": {"caught_share": 1.0}},
               "quiz": [{"source": "bank.xlsx", "n": 2, "accuracy": 0.5,
                         "by_type": {"判断": {"n": 2, "accuracy": 0.5}}}]}
    rows = qp.eval_rows(results)
    assert ["检索（2 题）：本系统", "MRR", "0.750"] in rows and ["检索：基线 bigram_bm25", "MRR", "0.400"] in rows
    assert ["直接查条（3 条）", "准确率", "66.7%"] in rows
    assert ["引用可信度", "编造的引用被识别", "100.0%"] in rows
    assert ["题库作答：bank.xlsx", "判断（2 题）", "50.0%"] in rows


def test_file_names_from_user_text_are_harmless():
    assert safe_name("../张 三/\\:*?") == "张_三"
    assert safe_name("") == "未命名"
    assert len(safe_name("很" * 100)) == 40
