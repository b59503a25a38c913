"""Chinese numerals and article labels (第一百零一条, 第十五条之一) <-> integers."""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}
_DIGIT_VALUE.update({"〇": 0, "两": 2, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9})
_UNIT_VALUE = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

CN_NUM_CHARS = "零〇一二三四五六七八九十百千两"
# A numeral as written in article labels: Chinese or Arabic (full- or half-width) digits.
NUMERAL = rf"[{CN_NUM_CHARS}]+|[0-9０-９]+"

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

# The range of article numbers hazkb accepts anywhere (headings, references, the command line). The longest code in
# force (民法典) has 1260 articles; 9999 is the largest number an article label (第九千九百九十九条) is written with.
MAX_ARTICLE = 9999
# 第十五条之一: the 之 number, and paragraph (款) and item (项) numbers, stay far below this.
MAX_PART = 99


class ArticleNumberError(ValueError):
    """An article, paragraph or item number outside the range any law uses; the message is for users."""


def check_article(number: int, sub: int = 0) -> None:
    """Raise ArticleNumberError unless 1 <= number <= MAX_ARTICLE and 0 <= sub <= MAX_PART."""
    if not 0 < number <= MAX_ARTICLE:
        raise ArticleNumberError(f"条号 {number} 超出范围：条号应在 1 到 {MAX_ARTICLE} 之间")
    if not 0 <= sub <= MAX_PART:
        raise ArticleNumberError(f"“之{sub}”超出范围：应在 1 到 {MAX_PART} 之间")


def in_range(number: int, sub: int = 0) -> bool:
    return 0 < number <= MAX_ARTICLE and 0 <= sub <= MAX_PART


def to_chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 15 -> 十五, 101 -> 一百零一, 110 -> 一百一十, 1010 -> 一千零一十."""
    if n < 0:
        raise ValueError(f"negative number: {n}")
    if n == 0:
        return "零"
    if n >= 10000:
        raise ValueError(f"number too large for an article label: {n}")
    parts: list[str] = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(DIGITS[digit] + unit)
    text = "".join(parts)
    # 十五, not 一十五, when the number starts with ten (but 一百一十 keeps its 一).
    if text.startswith("一十"):
        text = text[1:]
    return text


def from_chinese(text: str) -> int:
    """Parse a Chinese or Arabic numeral: 十五, 一十五, 一百零一, 二〇, 101, １０１."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    if len(text) > 1 and all(ch in _DIGIT_VALUE for ch in text):
        # Positional digits without units: 二〇 -> 20, 二〇二一 -> 2021.
        return int("".join(str(_DIGIT_VALUE[ch]) for ch in text))
    total = 0
    digit: int | None = None
    for ch in text:
        if ch in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[ch]
        elif ch in _UNIT_VALUE:
            total += (1 if digit is None else digit) * _UNIT_VALUE[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    if digit is not None:
        total += digit
    return total


_LABEL_RE = re.compile(rf"^\s*第?\s*({NUMERAL})\s*条?\s*(?:之\s*({NUMERAL}))?\s*$")


def article_label(number: int, sub: int = 0) -> str:
    """(15, 0) -> 第十五条; (15, 1) -> 第十五条之一; a number no law uses in digits (第99999条), for messages."""
    if not in_range(number, sub):
        return f"第{number}条" + (f"之{sub}" if sub else "")
    label = f"第{to_chinese(number)}条"
    return label + (f"之{to_chinese(sub)}" if sub else "")


def provision_label(article: str, para: int | None = None, item: int | None = None, paras: int | None = None) -> str:
    """第一百零一条第一款第（十）项: the article's label with its 款 and 项. The 款 is named when given, unless the
    article is known to have only one (`paras`): a one-款 article is cited without it."""
    out = article + (f"第{to_chinese(para)}款" if para and (paras is None or paras > 1) else "")
    return out + (f"第（{to_chinese(item)}）项" if item else "")


def parse_article(value: int | str) -> tuple[int, int]:
    """101, "101", "第一百零一条", "第十五条之一", "15之1" -> (number, sub); ArticleNumberError when out of range."""
    if isinstance(value, int):
        check_article(value)
        return value, 0
    match = _LABEL_RE.match(str(value))
    if not match:
        raise ValueError(f"not an article number: {value!r}")
    number = from_chinese(match.group(1))
    sub = from_chinese(match.group(2)) if match.group(2) else 0
    check_article(number, sub)
    return number, sub
