"""PDF lines -> paragraph blocks: re-join lines that the page layout broke, keep tables whole.

A line opens a new paragraph when it is indented past the page's left margin, follows a clearly
larger vertical gap or a change of font size, or when the line before it stopped short of the
page's usual right edge (a full line runs to the edge; the last line of a paragraph does not)
and ends a sentence, or stopped far short of it.
A line that starts like 第X条/（一）/1. after a line ending a sentence also opens one.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .pdf_layout import Line
from .pdf_table import header_columns, read_table
from .structure import Block
from .tables import flat_text

_MARKER = re.compile(
    r"^(?:第\s*[零〇一二三四五六七八九十百千0-9]+\s*[编章节条]|[（(]\s*[一二三四五六七八九十0-9]+\s*[)）]"
    r"|[一二三四五六七八九十]+\s*、|[0-9]{1,3}\s*[.．、])"
)
_SENTENCE_END = ("。", "；", "：", ";", ":", "！", "？", "!", "?")
_INDENT = 0.8  # font sizes past the margin that count as an indent
_SHORT = 1.5  # font sizes before the right edge that make a line short
_VERY_SHORT = 0.3  # share of the line width missing that makes a line short whatever its end
_GAP = 1.45  # line pitches that make a paragraph gap
_TITLE_SCALE = 1.2  # a font this much larger than the body is a title


@dataclass
class PageMetrics:
    margin: float  # the usual line start
    right: float  # the usual right edge of a full line
    pitch: float  # the usual distance between baselines
    body_size: float


def _body_size(lines: list[Line]) -> float:
    return Counter(round(line.size, 1) for line in lines).most_common(1)[0][0]


def measure(lines: list[Line]) -> PageMetrics:
    """Margins and line pitch of body text (lines in the most common font size)."""
    size = _body_size(lines)
    body = [line for line in lines if abs(line.size - size) < 0.5] or lines
    margin = Counter(round(line.x) for line in body).most_common(1)[0][0]
    ends = sorted(line.end for line in body)
    right = ends[int(0.9 * (len(ends) - 1))]
    gaps = sorted(a.y - b.y for a, b in zip(body, body[1:]) if 0 < a.y - b.y < 3 * size)
    pitch = gaps[len(gaps) // 2] if gaps else 1.4 * size
    return PageMetrics(margin=margin, right=right, pitch=pitch, body_size=size)


def page_metrics(pages: list[list[Line]]) -> dict[int, PageMetrics]:
    """Metrics per page number; a page with few lines borrows those of the whole document."""
    everything = [line for lines in pages for line in lines]
    if not everything:
        return {}
    overall = measure(everything)
    metrics: dict[int, PageMetrics] = {}
    for lines in pages:
        if lines:
            metrics[lines[0].page] = measure(lines) if len(lines) >= 5 else overall
    return metrics


def _title_continues(previous: Line, line: Line, m: PageMetrics) -> bool:
    """A second line of a large title (often centred) belongs to the first."""
    return (
        abs(line.size - previous.size) < 0.5
        and line.size > _TITLE_SCALE * m.body_size
        and line.page == previous.page
        and previous.y - line.y <= 1.6 * line.size
    )


def _ends_short(line: Line, m: PageMetrics) -> bool:
    """The line stops before the right edge, so its paragraph ends there.

    Widths are estimated from character counts, and justified lines are stretched by character
    spacing that pypdf does not report; so a line a few characters short only counts as ending its
    paragraph when it also ends a sentence, while a clearly short line always does.
    """
    shortfall = m.right - line.end
    if shortfall > _VERY_SHORT * (m.right - m.margin):
        return True
    return shortfall > _SHORT * line.size and line.text.endswith(_SENTENCE_END)


def starts_paragraph(previous: Line | None, line: Line, metrics: dict[int, PageMetrics]) -> bool:
    if previous is None:
        return True
    m, pm = metrics[line.page], metrics[previous.page]
    if _title_continues(previous, line, m):
        return False
    if abs(line.size - previous.size) >= 0.5:
        return True
    if line.x - m.margin >= _INDENT * line.size:
        return True
    if line.page == previous.page and previous.y - line.y > _GAP * m.pitch:
        return True
    if _ends_short(previous, pm):
        return True
    return bool(_MARKER.match(line.text)) and previous.text.endswith(_SENTENCE_END)


def join_lines(first: str, second: str) -> str:
    """Chinese lines join directly; two Latin words keep a space."""
    if first and second and first[-1].isascii() and first[-1].isalnum() and second[0].isascii() and second[0].isalpha():
        return f"{first} {second}"
    return first + second


@dataclass
class _Paragraph:
    text: str
    page: int
    page_end: int

    def block(self) -> Block:
        return Block(self.text, page=self.page, page_end=self.page_end)


def pdf_blocks(pages: list[list[Line]]) -> list[Block]:
    """Paragraph blocks and table blocks, in reading order, with their pages."""
    metrics = page_metrics(pages)
    lines = [line for page in pages for line in page]
    blocks: list[Block] = []
    current: _Paragraph | None = None
    previous: Line | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if header_columns(line) is not None:
            table, end = read_table(lines, i)
            if table is not None:
                if current is not None:
                    blocks.append(current.block())
                current, previous = None, None
                blocks.append(Block(flat_text(table.rows), page=table.page, page_end=table.page_end, table=table.rows))
                i = end
                continue
        if current is None or starts_paragraph(previous, line, metrics):
            if current is not None:
                blocks.append(current.block())
            current = _Paragraph(line.text, line.page, line.page)
        else:
            current.text = join_lines(current.text, line.text)
            current.page_end = line.page
        previous = line
        i += 1
    if current is not None:
        blocks.append(current.block())
    return blocks
