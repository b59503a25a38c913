"""Exam statistics over submitted exams: by enterprise, enterprise type, role and topic, and the most-missed items.

Pure functions over `Exam` objects (from ExamBook.records), so any filtered set of records can be summarised.
Rates are fractions (0–1, four decimals); averages are points (two decimals). An unanswered item counts as missed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

UNTOPICED = "未分类"


def _group(exams: list, key: Callable, name: str) -> list[dict]:
    groups: dict[str, list] = defaultdict(list)
    for exam in exams:
        groups[key(exam)].append(exam)
    rows = [{name: k, **_summary(v)} for k, v in groups.items()]
    return sorted(rows, key=lambda r: (-r["count"], r[name]))


def _summary(exams: list) -> dict:
    n = len(exams)
    if not n:
        return {"count": 0, "average": None, "pass_rate": None, "passed": 0}
    passed = sum(1 for e in exams if e.passed)
    return {"count": n, "average": round(sum(e.score for e in exams) / n, 2), "pass_rate": round(passed / n, 4),
            "passed": passed}


def _reviews(exams: list) -> Iterable:
    for exam in exams:
        if exam.result is not None:
            yield from exam.result.items


def by_topic(exams: list) -> list[dict]:
    """Per topic of the items: items answered, correct, accuracy and the share of its points earned (0–100)."""
    acc: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])  # count, correct, points, earned
    for review in _reviews(exams):
        for topic in review.topics or [UNTOPICED]:
            row = acc[topic]
            row[0] += 1
            row[1] += int(review.correct)
            row[2] += review.points
            row[3] += review.earned
    rows = [{"topic": topic, "count": int(c), "correct": int(k), "accuracy": round(k / c, 4),
             "average": round(100 * e / p, 2) if p else None} for topic, (c, k, p, e) in acc.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["topic"]))


def most_missed(exams: list, top: int = 10, min_count: int = 1) -> list[dict]:
    """Items by miss rate (then misses), each asked at least `min_count` times: qid, stem, asked, missed, rate."""
    acc: dict[str, dict] = {}
    for review in _reviews(exams):
        row = acc.setdefault(review.qid, {"qid": review.qid, "qtype": review.qtype.value, "stem": review.stem,
                                          "count": 0, "missed": 0})
        row["count"] += 1
        row["missed"] += int(not review.correct)
    rows = [{**r, "miss_rate": round(r["missed"] / r["count"], 4)} for r in acc.values() if r["count"] >= min_count]
    rows = [r for r in rows if r["missed"]]
    rows.sort(key=lambda r: (-r["miss_rate"], -r["missed"], r["qid"]))
    return rows[:top]


def exam_stats(exams: Iterable, top: int = 10, min_count: int = 1) -> dict:
    """{"overall", "by_enterprise", "by_enterprise_type", "by_role", "by_topic", "most_missed", "open"} over the
    submitted exams among `exams` ("open": how many were left out because they are not submitted)."""
    exams = list(exams)
    done = [e for e in exams if e.submitted_at is not None]
    return {
        "overall": _summary(done),
        "by_enterprise": _group(done, lambda e: e.enterprise, "enterprise"),
        "by_enterprise_type": _group(done, lambda e: e.enterprise_type, "enterprise_type"),
        "by_role": _group(done, lambda e: e.role, "role"),
        "by_topic": by_topic(done),
        "most_missed": most_missed(done, top=top, min_count=min_count),
        "open": len(exams) - len(done),
    }
