"""Ranking metrics on hand-made rankings whose values are worked out by hand."""
from __future__ import annotations

import json

import pytest

from eval.gold import load_gold
from eval.metrics import QuestionResult, by_category, summarize
from eval.retrieval import evaluate

A, B, X = "危险化学品安全管理条例", "中华人民共和国安全生产法", "其他法"


def k(law: str, n: str) -> tuple[str, str]:
    return (law, n)


@pytest.fixture
def results() -> list[QuestionResult]:
    noise = [k(X, f"第{i}条") for i in range(1, 13)]
    return [
        # rank 1
        QuestionResult("q1", "储存", [k(A, "第二十条")], [], [k(A, "第二十条"), *noise[:4]]),
        # gold third, an alt first: rank 3, lenient rank 1
        QuestionResult("q2", "储存", [k(A, "第七十八条")], [k(B, "第一百零一条")],
                       [k(B, "第一百零一条"), noise[0], k(A, "第七十八条")]),
        # never found
        QuestionResult("q3", "运输", [k(A, "第四十三条")], [], noise),
        # two gold articles, the first of them sixth: rank 6; recall@10 1/2
        QuestionResult("q4", "运输", [k(A, "第八十条"), k(A, "第八十一条")], [], [*noise[:5], k(A, "第八十条"),
                                                                          *noise[5:9]]),
    ]


def test_summary_by_hand(results):
    s = summarize(results)
    assert s["n"] == 4
    assert s["hit@1"] == pytest.approx(1 / 4)
    assert s["hit@5"] == pytest.approx(2 / 4)
    assert s["hit@10"] == pytest.approx(3 / 4)
    assert s["mrr"] == pytest.approx((1 + 1 / 3 + 0 + 1 / 6) / 4)
    assert s["lenient_mrr"] == pytest.approx((1 + 1 + 0 + 1 / 6) / 4)
    assert s["recall@10"] == pytest.approx((1 + 1 + 0 + 0.5) / 4)


def test_per_category_by_hand(results):
    cats = by_category(results)
    assert list(cats) == sorted(["储存", "运输"])
    assert cats["储存"]["hit@1"] == pytest.approx(0.5)
    assert cats["储存"]["mrr"] == pytest.approx((1 + 1 / 3) / 2)
    assert cats["储存"]["lenient_mrr"] == pytest.approx(1.0)
    assert cats["运输"]["hit@5"] == 0.0 and cats["运输"]["hit@10"] == pytest.approx(0.5)
    assert cats["运输"]["mrr"] == pytest.approx((0 + 1 / 6) / 2)


def test_empty_summary():
    assert summarize([])["mrr"] == 0.0


def test_evaluate_gold_file_with_alt_and_sub_articles(tmp_path, catalog):
    rows = [
        {"q": "没设安全警示标志", "gold": [{"law": A, "article": 20}], "alt": [{"law": B, "article": 101}],
         "category": "储存"},
        {"q": "危险作业罪", "gold": [{"law": "中华人民共和国刑法", "article": 134, "sub": 1}], "category": "处罚"},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    questions = load_gold(path, catalog)
    assert questions[1].gold[0][1] == "第一百三十四条之一"

    answers = {  # an alt first, then the gold; the sub-article exactly
        "没设安全警示标志": [questions[0].alt[0], questions[0].gold[0]],
        "危险作业罪": [(questions[1].gold[0][0], "第一百三十四条"), questions[1].gold[0]],
    }
    report = evaluate(questions, lambda q: answers[q])
    assert report["hit@1"] == 0.0 and report["hit@5"] == 1.0
    assert report["mrr"] == pytest.approx(0.5)
    assert report["lenient_mrr"] == pytest.approx((1 + 0.5) / 2)
    assert report["by_category"]["处罚"]["mrr"] == pytest.approx(0.5)
    assert [q["rank"] for q in report["per_question"]] == [2, 2]
