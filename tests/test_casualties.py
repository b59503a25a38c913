"""Casualties read from a finding and the accident grade they make (事故报告条例第三条, accident_grades.tsv)."""
import pytest

from corpus.lexicon import builtin_lexicon
from retriever.casualties import accident_grade, casualties


@pytest.mark.parametrize("text, counts, grade", [
    ("甲苯罐区爆燃死了3个人", (3, 0), "较大事故"),
    ("熔铸车间爆炸，炸死了三个人", (3, 0), "较大事故"),
    ("造成2名工人当场死亡", (2, 0), "一般事故"),
    ("死亡10人", (10, 0), "重大事故"),  # 以上包括本数
    ("事故造成1死2伤", (1, 0), "一般事故"),
    ("一次中毒事故，12人急性中毒住院", (0, 12), "较大事故"),  # 重伤包括急性工业中毒
    ("两名工人死亡、重伤55人", (2, 55), "重大事故"),  # the higher of the two grades
    ("三个工人一个接一个下去救人，全没上来", (0, 0), None),  # no number: no grade
    ("仓库里存了3吨甲苯", (0, 0), None),
])
def test_grade_follows_the_counts(text, counts, grade):
    assert casualties(text) == counts
    assert accident_grade(text, builtin_lexicon().accident_grades) == grade


def test_grades_cover_every_count_without_gaps():
    grades = builtin_lexicon().accident_grades
    assert [g.name for g in grades] == ["一般事故", "较大事故", "重大事故", "特别重大事故"]
    for n in range(1, 200):
        assert len([g for g in grades if g.deaths[0] <= n and (g.deaths[1] is None or n <= g.deaths[1])]) == 1
        assert len([g for g in grades if g.injured[0] <= n and (g.injured[1] is None or n <= g.injured[1])]) == 1
