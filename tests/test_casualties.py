"""Casualties read from a finding and the accident grade they make (事故报告条例第三条, accident_grades.tsv)."""
import pytest

from corpus.lexicon import builtin_lexicon
from retriever.casualties import accident_grade, casualties, row_grade, stated_grades


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


@pytest.mark.parametrize("text, grades", [
    ("事故调查定了较大事故", {"较大事故"}),
    ("发生一起重大生产安全事故", {"重大事故"}),
    ("特别重大事故", {"特别重大事故"}),  # not 重大事故 as well
    ("车间爆炸死了3个人", {"较大事故"}),  # by its casualties
    ("定为一般事故，死了1个人", {"一般事故"}),
    ("没搞过重大事故隐患排查", set()),  # a hazard, no accident
])
def test_a_finding_states_its_grade_by_name_or_by_casualties(text, grades):
    assert stated_grades(text, builtin_lexicon().accident_grades) == grades


@pytest.mark.parametrize("behaviour, grade", [
    ("发生较大事故的，处上一年年收入百分之六十的罚款", "较大事故"),
    ("发生特别重大事故的，处上一年年收入百分之一百的罚款", "特别重大事故"),
    ("未采取措施消除事故隐患的", None),
    ("重大事故隐患排查治理情况未按照规定报告的", None),
])
def test_a_penalty_item_names_the_grade_it_is_for(behaviour, grade):
    assert row_grade(behaviour, builtin_lexicon().accident_grades) == grade
