"""Structure of a regulation: 编/章/节 headings, articles (条), paragraphs (款) and items (项).

Loaders turn their format into a list of `Block`s (one paragraph of text each, with its page);
`split_articles` then finds the articles. It is shared by the Markdown, TXT, DOCX and PDF loaders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Item, Paragraph, Unit, UnitKind
from corpus.numbers import NUMERAL, from_chinese

# Heading: 第一编 / 第二章 / 第三节, then its name (PDF text may omit the space).
HEADING_RE = re.compile(rf"^\s*第\s*({NUMERAL})\s*(编|章|节)\s*(.*)$")
# Article start: 第十五条 or 第十五条之一, then the body (PDF text may omit the space).
ARTICLE_RE = re.compile(rf"^\s*第\s*({NUMERAL})\s*条\s*(?:之\s*({NUMERAL}))?[\s\u3000]*(.*)$", re.S)
# Item start: （一） (一) 一、 (1) 1.
ITEM_RE = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$", re.S)
# A body that starts with these is a cross-reference list, not a new article.
_NOT_A_BODY = re.compile(r"^[、，,至到和及或第的规定款项]")
_LEVELS = {"编": 0, "章": 1, "节": 2}


@dataclass
class Block:
    """One paragraph of source text and the page it starts on (PDF) or None."""

    text: str
    page: int | None = None
    page_end: int | None = None
    # A table (first row is the header); text is then a flat rendering for display.
    table: list[list[str]] | None = None


def heading_of(text: str) -> tuple[str, int] | None:
    """('第二章 生产、储存安全', level) for a heading line, else None."""
    m = HEADING_RE.match(text)
    if not m or len(text.strip()) > 40 or re.search(r"[。；：]", text):
        return None
    name = m.group(3).strip()
    if name.startswith(("、", "，", "的", "规定", "第")):
        return None
    label = f"第{m.group(1)}{m.group(2)}"
    return (f"{label} {name}".strip(), _LEVELS[m.group(2)])


def article_start(text: str, last: tuple[int, int] | None) -> tuple[int, int, str] | None:
    """(number, sub, body) when text opens the next article; None for a reference like 第十条、第十二条."""
    m = ARTICLE_RE.match(text)
    if not m:
        return None
    body = m.group(3)
    if not body or _NOT_A_BODY.match(body):
        return None
    number = from_chinese(m.group(1))
    sub = from_chinese(m.group(2)) if m.group(2) else 0
    if last is not None:
        last_no, _ = last
        # Articles are numbered in order; a jump backwards or far ahead is a wrapped cross-reference.
        if sub and number != last_no:
            return None
        if not sub and not (last_no < number <= last_no + 5):
            return None
    elif number > 5 and not sub:
        # The first article of a document is 第一条 (or close, when a preamble is split oddly).
        return None
    return number, sub, body.strip()


def split_items(text: str) -> list[Item]:
    """Items （一）… found at line starts inside a paragraph's text."""
    items: list[Item] = []
    for line in text.split("\n"):
        m = ITEM_RE.match(line)
        if m:
            label = line[: m.start(2)].strip()
            items.append(Item(number=from_chinese(m.group(1)), label=label, text=m.group(2).strip()))
    return items


def build_paragraphs(lines: list[str]) -> list[Paragraph]:
    """Group an article's lines into paragraphs (款); item lines (项) belong to the paragraph before them."""
    paragraphs: list[Paragraph] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if ITEM_RE.match(line) and paragraphs:
            paragraphs[-1].text += "\n" + line
        else:
            paragraphs.append(Paragraph(text=line))
    for p in paragraphs:
        p.items = split_items(p.text)
    return paragraphs


def split_articles(blocks: list[Block]) -> tuple[list[Block], list[Unit]]:
    """Split blocks into front matter (before the first heading or article) and article units."""
    front: list[Block] = []
    units: list[Unit] = []
    path: list[tuple[int, str]] = []  # (level, heading)
    current: dict | None = None
    last: tuple[int, int] | None = None

    def close() -> None:
        if current is None:
            return
        paragraphs = build_paragraphs(current["lines"])
        units.append(
            Unit(
                kind=UnitKind.ARTICLE,
                seq=len(units),
                text="\n".join(p.text for p in paragraphs),
                path=current["path"],
                article_no=current["no"],
                article_sub=current["sub"],
                paragraphs=paragraphs,
                page_start=current["page"],
                page_end=current["page_end"],
            )
        )

    started = False
    for block in blocks:
        text = block.text.strip()
        if not text or block.table is not None:
            continue
        heading = heading_of(text)
        if heading is not None:
            title, level = heading
            close()
            current = None
            path = [(lv, h) for lv, h in path if lv < level] + [(level, title)]
            started = True
            continue
        start = article_start(text, last)
        if start is not None:
            close()
            number, sub, body = start
            current = {
                "no": number,
                "sub": sub,
                "lines": body.split("\n"),
                "path": [h for _, h in path],
                "page": block.page,
                "page_end": block.page_end or block.page,
            }
            last = (number, sub)
            started = True
            continue
        if current is not None:
            current["lines"].extend(text.split("\n"))
            current["page_end"] = block.page_end or block.page or current["page_end"]
        elif not started:
            front.append(block)
        # Text between a heading and the first article of its chapter (rare) is dropped with the heading.
    close()
    return front, units
