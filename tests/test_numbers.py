"""Chinese numerals and article labels."""
from __future__ import annotations

import pytest

from corpus.numbers import article_label, from_chinese, parse_article, to_chinese


def test_round_trip_1_to_1299():
    for n in range(1, 1300):
        assert from_chinese(to_chinese(n)) == n, (n, to_chinese(n))


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (113, "一百一十三"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (1299, "一千二百九十九"),
    ],
)
def test_to_chinese(n, text):
    assert to_chinese(n) == text


@pytest.mark.parametrize(
    "text, n",
    [
        ("十", 10),
        ("一十", 10),
        ("一十五", 15),
        ("一百一十", 110),
        ("一千零一", 1001),
        ("零", 0),
        ("两百", 200),
        ("101", 101),
        ("１０１", 101),
        (" 二十 ", 20),
        ("二〇", 20),
        ("二〇二一", 2021),
    ],
)
def test_from_chinese(text, n):
    assert from_chinese(text) == n


@pytest.mark.parametrize("text", ["", "  ", "abc", "十a", "-1", "第十"])
def test_from_chinese_rejects_garbage(text):
    with pytest.raises(ValueError):
        from_chinese(text)


@pytest.mark.parametrize("n", [-1, 10000])
def test_to_chinese_out_of_range(n):
    with pytest.raises(ValueError):
        to_chinese(n)


@pytest.mark.parametrize(
    "number, sub, label",
    [
        (1, 0, "第一条"),
        (15, 0, "第十五条"),
        (15, 1, "第十五条之一"),
        (101, 0, "第一百零一条"),
        (134, 2, "第一百三十四条之二"),
    ],
)
def test_article_label_round_trip(number, sub, label):
    assert article_label(number, sub) == label
    assert parse_article(label) == (number, sub)


def test_article_label_round_trip_1_to_1299():
    for n in range(1, 1300):
        assert parse_article(article_label(n)) == (n, 0)
        assert parse_article(article_label(n, 1)) == (n, 1)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("第20条", (20, 0)),
        ("第２０条", (20, 0)),
        ("第 20 条", (20, 0)),
        ("101", (101, 0)),
        ("１０１", (101, 0)),
        (101, (101, 0)),
        ("一百零一", (101, 0)),
        ("第十五条之一", (15, 1)),
        ("15之1", (15, 1)),
        ("第十五条 之一", (15, 1)),
        (" 第一百一十三条 ", (113, 0)),
    ],
)
def test_parse_article(value, expected):
    assert parse_article(value) == expected


@pytest.mark.parametrize("value", ["第条", "abc", "0", "第零条", -1, 0, "", "第十五章", "第1十条", "之一",
                                   "第二十条之"])
def test_parse_article_rejects_garbage(value):
    with pytest.raises(ValueError):
        parse_article(value)
