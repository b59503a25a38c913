"""Citations inside a legal text or a plan table cell: 《X》第N条第Y款第（Z）项, 本法第N条, lists and ranges.

`parse_references` runs one tokenizer regex over the text and walks the tokens with a little state:

* a law prefix (《X》, 本法/本条例/..., or an unbracketed known name such as 刑法) applies to the
  第N条 token directly after it;
* an article token (第十二条, 第十二、十八、二十一条, 第十五条之一, 第20条) yields one reference per
  article; 第N款 / 第（N）项 directly after it refine the last one;
* the law carries on through a chain of citations joined by 、/和/及/或者/至 (至 is a range), and
  anything else (；, 。, ，, a new 《Y》, plain words) ends the chain;
* 第N款 / 第N项 that do not follow an article (前款第二项, 本条第一款) and 前条/该法 references name no
  target and are skipped, as are 第N章/节/编, 第N号, 第N次 and a 《X》 with no article after it.

A bare 第N条 with no law in front of it means the same document (law=None), except an article
heading at the start of a line (第一条　为了…), which is the article itself, not a citation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from .model import Reference
from .names import known_aliases
from .numbers import MAX_PART, NUMERAL, article_label, from_chinese, in_range, to_chinese

_NUM = rf"(?:{NUMERAL})"
_ITEM_NUM = rf"[（(]?\s*{_NUM}\s*[）)]?"

# Ordered alternatives: at one position the first that matches wins.
_TOKEN_RE = re.compile(
    "|".join(
        (
            # 《X》, optionally with a version note: 《中华人民共和国安全生产法》（2021修正）
            r"《(?P<title>[^《》\n]{1,80})》(?:\s*[（(][^（）()\n]{0,30}[）)])?",
            # The same document. 本条例 must be tried before 本条.
            r"(?P<self>本(?:实施细则|实施办法|条例|办法|规定|细则|规则|决定|法)(?!律))",
            # A place with no article to resolve: skip the 款/项 that follow it.
            r"(?P<skip>本条(?!例)|本款|前款|前条|前两款|前三款|该法|该条例|该办法|该规定)",
            rf"(?P<chapter>第\s*{_NUM}\s*[编章节])",
            # 第十二条, 第十二、十八、二十一条, 第十二至十五条, 第十五条之一; without 第 only inside a chain.
            rf"(?P<art_di>第)?\s*(?P<arts>{_NUM}(?:\s*[、至到]\s*第?\s*{_NUM})*)\s*条(?!例)"
            rf"(?:\s*之\s*(?P<sub>{_NUM}))?",
            rf"第\s*(?P<paras>{_NUM}(?:\s*、\s*第?\s*{_NUM})*)\s*款",
            rf"第\s*(?P<items>{_ITEM_NUM}(?:\s*、\s*第?\s*{_ITEM_NUM})*)\s*项",
        )
    )
)

# What may stand between two citations of one chain.
_JOIN_RE = re.compile(r"\s*(?:、|和|及|以及|或者|或|与|至|到)\s*")
_RANGE_WORDS = ("至", "到")
# A range wider than this is kept as its two ends (a typo, not a real range).
_MAX_RANGE = 50

# Unbracketed law names: 依照刑法第一百三十四条, 安全生产法第101条.
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]{1,40}$")
_TRIGGER_RE = re.compile(r"(?:依照|依据|违反|按照|根据|适用|参照|对照|执行|符合|遵守|落实)")
_LAW_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{1,40}(?:法|条例|办法|规定|细则|规则|决定)$")
_NOT_A_NAME_START = ("本", "前", "该", "有关", "相关", "其他", "上述", "此", "各", "下列", "依法")


@cache
def _known_names() -> list[str]:
    """Law names the parser recognises without 《》: the domain's laws and their short names (read once)."""
    from .lexicon import builtin_lexicon

    names: set[str] = set()
    for short in builtin_lexicon().law_groups:
        names.update((short, "中华人民共和国" + short))
    for short, aliases in known_aliases().items():
        names.update((short, "中华人民共和国" + short))
        names.update(a for a in aliases if not a[-1].isdigit() and "号" not in a)
    return sorted(names, key=len, reverse=True)



@dataclass
class _Chain:
    """The citation being read: its law, where its text starts, what its last token was."""

    law: str | None
    start: int
    last: str  # "art", "para" or "item"
    unresolved: bool = False  # its last article number is one no law uses: its 款 and 项 are left alone too


def parse_references(text: str, out_of_range: list[Reference] | None = None) -> list[Reference]:
    """All article citations in `text`, in order, one Reference per (law, article[, 款, 项]) target.

    Citations of article numbers no law uses (第零条, 第99999条) are left out; pass `out_of_range` to collect them
    (ingest warns about them, verify and lookups report them as missing)."""
    refs: list[Reference] = []
    rejected = out_of_range if out_of_range is not None else []
    pending: tuple[str, str | None, int] | None = None  # ("law"|"skip", law, start) before an article
    chain: _Chain | None = None
    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        gap = text[prev_end:m.start()]
        prev_end = m.end()
        adjacent = not gap.strip()
        joined = _JOIN_RE.fullmatch(gap) is not None
        if pending is not None and not adjacent:
            pending = None

        if m.group("title") is not None:
            pending, chain = ("law", m.group("title").strip(), m.start()), None
        elif m.group("self") is not None:
            pending, chain = ("law", None, m.start()), None
        elif m.group("skip") is not None:
            pending, chain = ("skip", None, m.start()), None
        elif m.group("chapter") is not None:
            chain = None  # 《X》第三章第十条 keeps the pending law
        elif m.group("arts") is not None:
            chain, pending = _article(text, m, gap, joined, pending, chain, refs, rejected), None
        elif m.group("paras") is not None:
            chain = _refine(text, m, "para", adjacent, joined, chain, refs)
            pending = None
        else:
            chain = _refine(text, m, "item", adjacent, joined, chain, refs)
            pending = None
    return refs


def _article(
    text: str,
    m: re.Match[str],
    gap: str,
    joined: bool,
    pending: tuple[str, str | None, int] | None,
    chain: _Chain | None,
    refs: list[Reference],
    rejected: list[Reference],
) -> _Chain | None:
    """Handle one 第N条 token; returns the chain it starts or continues, None when it is no citation.

    `pending` (a law prefix or a skip word) is only set when it stands right before the token.
    """
    numbers = _article_numbers(m.group("arts"))
    sub = from_chinese(m.group("sub")) if m.group("sub") else 0
    if pending is not None and pending[0] == "skip":
        return None
    if pending is not None:
        law, start = pending[1], pending[2]
    elif chain is not None and joined:
        law, start = chain.law, m.start()
        if gap.strip() in _RANGE_WORDS and refs:
            # 第六十七条至第六十九条: the raw text is the whole range
            numbers = _range_fill(refs[-1].article_no, numbers[0]) + numbers
            start = chain.start
    elif not m.group("art_di") or _is_heading(text, m):
        return None
    else:
        law, start = _unbracketed_law(text, m.start())
    first = len(refs) + len(rejected)
    raw = text[start:m.end()]
    for i, number in enumerate(numbers):
        article_sub = sub if i == len(numbers) - 1 else 0
        if not in_range(number, article_sub):
            # No law has it: left unresolved rather than stored as a number SQLite may not hold.
            rejected.append(Reference(raw=raw, law=law, article_no=number, article_sub=article_sub))
            continue
        refs.append(Reference(raw=raw, law=law, article_no=number, article_sub=article_sub))
    if len(refs) + len(rejected) == first:
        return None
    return _Chain(law=law, start=start, last="art", unresolved=not in_range(numbers[-1], sub))


def _refine(
    text: str, m: re.Match[str], kind: str, adjacent: bool, joined: bool, chain: _Chain | None, refs: list[Reference]
) -> _Chain | None:
    """A 第N款 / 第（N）项 token: narrows the last article, or adds sibling targets after 、."""
    if kind == "para":
        values = [from_chinese(v) for v in re.findall(_NUM, m.group("paras"))]
    else:
        values = [from_chinese(v) for v in re.findall(_NUM, m.group("items"))]
    values = [v for v in values if 0 < v <= MAX_PART]
    if chain is not None and chain.unresolved:
        return chain
    if chain is None or not values:
        return None
    last = refs[-1]
    raw = text[chain.start:m.end()]
    if adjacent and (chain.last == "art" or (kind == "item" and chain.last == "para")):
        # 第三条第二款 / 第二十一条第（二）项 / 第八十条第一款第（二）项
        _set(last, kind, values[0])
        last.raw = raw
        siblings = values[1:]
    elif joined and chain.last in (("para", "item") if kind == "para" else ("item",)):
        # 第三十八条第一款、第二款 / 第九条第一项、第四项
        siblings = values
    else:
        return None
    for value in siblings:
        sibling = replace(last, raw=raw, item=None) if kind == "para" else replace(last, raw=raw)
        _set(sibling, kind, value)
        refs.append(sibling)
    chain.last = kind
    return chain


def _set(ref: Reference, kind: str, value: int) -> None:
    if kind == "para":
        ref.paragraph = value
    else:
        ref.item = value


def _article_numbers(body: str) -> list[int]:
    """'十二、十八、二十一' -> [12, 18, 21]; '十二至十五' -> [12, 13, 14, 15]."""
    numbers: list[int] = []
    pieces = re.split(r"\s*([、至到])\s*第?\s*", body)
    for i in range(0, len(pieces), 2):
        number = from_chinese(pieces[i])
        if i and pieces[i - 1] in _RANGE_WORDS and numbers:
            numbers.extend(_range_fill(numbers[-1], number))
        numbers.append(number)
    return numbers


def _range_fill(low: int | None, high: int) -> list[int]:
    """The articles strictly between the two ends of 第六十七条至第六十九条."""
    if low is None or not 0 < high - low <= _MAX_RANGE:
        return []
    return list(range(low + 1, high))


def _is_heading(text: str, m: re.Match[str]) -> bool:
    """第一条　为了… at a line start is the article's own label, not a citation."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    return not text[line_start:m.start()].strip() and text[m.end():m.end() + 1] in (" ", "\t", "\u3000")


def _unbracketed_law(text: str, pos: int) -> tuple[str | None, int]:
    """(law, start) for a name written without 《》 right before `pos`; (None, pos) when there is none."""
    run = _CJK_RUN_RE.search(text, max(0, pos - 40), pos)
    if run is None:
        return None, pos
    words = run.group()
    for name in _known_names():
        if words.endswith(name):
            before = words[: -len(name)]
            if not before or _TRIGGER_RE.search(before[-2:]) or before[-1] in "和及与或":
                return name, pos - len(name)
    triggers = list(_TRIGGER_RE.finditer(words))
    name = words[triggers[-1].end():] if triggers else words
    if (
        len(name) >= 3
        and _LAW_NAME_RE.match(name)
        and "的" not in name
        and not name.startswith(_NOT_A_NAME_START)
    ):
        return name, pos - len(name)
    return None, pos


def format_reference(ref: Reference) -> str:
    """《危险化学品安全管理条例》第二十条第一款第（二）项; without a law: 第二十条."""
    parts = [f"《{ref.law}》"] if ref.law else []
    if ref.article_no:
        parts.append(article_label(ref.article_no, ref.article_sub))
        if ref.paragraph:
            parts.append(f"第{to_chinese(ref.paragraph)}款")
        if ref.item:
            parts.append(f"第（{to_chinese(ref.item)}）项")
    return "".join(parts)
