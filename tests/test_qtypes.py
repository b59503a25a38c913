"""Question types are one table (quiz.qtypes.RULES): import names, options, key counts, shuffling, printing and
grading read it. Changing one entry changes every place, which is what makes a new type a single addition."""
from __future__ import annotations

import random
from dataclasses import replace

from quiz import qtypes
from quiz.exam import grade
from quiz.fields import parse_answer
from quiz.model import QType, Question
from quiz.paper import Paper, PaperItem, _order
from quiz.validate import problem

CHOICE = Question(QType.SINGLE, "危险化学品仓库应当设置（　　）。", ["明显标志", "广告牌", "休息区", "花坛"], "A")


def test_every_type_has_one_rule_and_its_names():
    assert set(qtypes.RULES) == set(QType)
    names = qtypes.type_names()
    assert names["是非题"] is QType.TRUE_FALSE and names["多项选择题"] is QType.MULTIPLE
    assert qtypes.rule(QType.TRUE_FALSE).fixed_options == ("正确", "错误")


def test_one_entry_changes_validation_shuffling_and_grading(monkeypatch):
    two_keys = replace(qtypes.RULES[QType.SINGLE], min_keys=1, max_keys=2, shuffle=False)
    assert problem(replace(CHOICE, answer="AB")) is not None  # as shipped: a 单选 key is one letter
    monkeypatch.setitem(qtypes.RULES, QType.SINGLE, two_keys)
    assert problem(replace(CHOICE, answer="AB")) is None
    assert _order(random.Random(1), CHOICE) == [0, 1, 2, 3]  # not shuffled any more
    assert parse_answer("AB", QType.SINGLE, 4) == "AB"


def test_grading_is_exact_for_every_type():
    for kind in qtypes.RULES.values():
        assert kind.grade("AB", "AB") and not kind.grade("A", "AB") and not kind.grade("", "")
    item = PaperItem(position=1, qid="q", qtype=QType.MULTIPLE, stem="s", options=["a", "b", "c"], key="AC",
                     points=2.0, order=[0, 1, 2])
    paper = Paper(paper_id="p", blueprint="b", role="从业人员", enterprise_type="使用", seed=1, time_limit=30,
                  pass_mark=60.0, total_points=2.0, items=[item])
    score, reviews = grade(paper, {1: "AC"})
    assert score == 2.0 and reviews[0].correct
