"""An inspection record pasted as it stands in a 现场检查记录: numbered findings ("1.…；2.…；3.…", "（1）…", "①…",
"一、…"). Each numbered finding gets its own 执法依据, in the record's order, so that the basis of item 2 is written
beside item 2 of a 责令限期整改指令书; one answer for the whole record ranks its rows by score and cannot say which
item each row is for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numbers import from_chinese

from .finding_parts import asks_only

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HAN = "一二三四五六七八九十"
# A number opens an item only at the start of the text or after a break, and only in one of the forms records use:
# "1." "1、" "1）" (not "1.5米"), "（1）", "①", "一、", "（一）". "第3、4条", "2号罐", "第（一）项" open none.
# A circled number opens one anywhere ("没有说明书②没贴标签").
_MARKER = re.compile(
    r"(?:(?:^|(?<=[\s：:；;。，,！!？?]))"
    r"(?:(?P<arabic>\d{1,2})\s*[.．、)）](?!\d)|[（(](?P<paren>\d{1,2})[)）]|(?P<han>[" + _HAN + r"]{1,3})、"
    r"|[（(](?P<hanparen>[" + _HAN + r"]{1,3})[)）]))"
    r"|(?P<circled>[" + _CIRCLED + r"])")
_SENTENCE_END = re.compile(r"(?<=[。？?！!\n])")
MIN_ITEMS = 2


@dataclass(frozen=True)
class RecordItem:
    no: int
    text: str  # the finding as the record words it, without its number


@dataclass(frozen=True)
class Record:
    items: list[RecordItem]
    ask: str  # what the record asks of every item, said before the first or after the last one
    heading: str = ""  # what the record says before its first item ("对一家危化品经营店检查发现："), asks aside

    def question(self, item: RecordItem) -> str:
        """The item asked the way the record asks of all its items ("依据哪条？怎么罚？")."""
        return f"{item.text}。{self.ask}" if self.ask else item.text

    def context(self, item: RecordItem) -> str | None:
        """The finding an item is a part of, for what it says of the unit (its type, its objects): the item under
        the record's heading, which may name the unit for all items. Not the other items, which speak of other
        things, and not in the words matched: three random dev findings per record, the whole record as each
        item's context: 46 fewer firm answers, 18 more wrong ones; the heading "现场检查发现：" in each item's
        words: 127 fewer firm, 8 more wrong; as the context only: 2 fewer firm, 1 less wrong (of 1539 and 41)."""
        return f"{self.heading}{item.text}" if self.heading else None


def _number(match: re.Match[str]) -> tuple[str, int]:
    """The marker's form and its number."""
    if match.group("arabic"):
        return "arabic", int(match.group("arabic"))
    if match.group("paren"):
        return "paren", int(match.group("paren"))
    if match.group("circled"):
        return "circled", _CIRCLED.index(match.group("circled")) + 1
    form = "han" if match.group("han") else "hanparen"
    return form, from_chinese(match.group(form))


def _numbered_run(text: str) -> list[re.Match[str]]:
    """The markers numbering the record: the first run of one form counting 1, 2, 3 … from its start."""
    by_form: dict[str, list[re.Match[str]]] = {}
    for match in _MARKER.finditer(text):
        form, number = _number(match)
        run = by_form.setdefault(form, [])
        if number == len(run) + 1:
            run.append(match)
    runs = [run for run in by_form.values() if len(run) >= MIN_ITEMS]
    return min(runs, key=lambda run: run[0].start()) if runs else []


def _trailing_ask(text: str) -> tuple[str, str]:
    """The last item's text and the sentences after it that only ask ("依据哪条？怎么罚？")."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    cut = len(sentences)
    while cut > 1 and asks_only(sentences[cut - 1]):
        cut -= 1
    return "".join(sentences[:cut]), "".join(sentences[cut:])


def split_record(text: str) -> Record | None:
    """The numbered findings of an inspection record, or None when the text numbers fewer than two."""
    markers = _numbered_run(text or "")
    if not markers:
        return None
    bounds = [m.end() for m in markers]
    ends = [m.start() for m in markers[1:]] + [len(text)]
    bodies = [text[start:end] for start, end in zip(bounds, ends)]
    bodies[-1], after = _trailing_ask(bodies[-1])
    before = [s for s in _SENTENCE_END.split(text[: markers[0].start()]) if s.strip()]
    ask = "".join(s for s in before if asks_only(s)) + after
    heading = "".join(s for s in before if not asks_only(s)).strip()
    items = [RecordItem(no, body.strip(" \n\t，,；;。")) for no, body in enumerate(bodies, 1)]
    if sum(1 for item in items if item.text) < MIN_ITEMS:
        return None
    return Record([item for item in items if item.text], ask.strip(), heading)
