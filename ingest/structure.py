"""Structure of a regulation: 编/章/节 headings, articles (条), paragraphs (款) and items (项).

Loaders turn their format into a list of `Block`s (one paragraph of text each, with its page);
`split_articles` then finds the articles. It is shared by the Markdown, TXT, DOCX and PDF loaders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Item, Paragraph, Unit, UnitKind
from corpus.numbers import NUMERAL, article_label, from_chinese, in_range

# Heading: 第一编 / 第二章 / 第三节, then its name (PDF text may omit the space); traditional script too.
HEADING_RE = re.compile(rf"^\s*第\s*({NUMERAL})\s*(分编|编|章|节|分編|編|節)\s*(.*)$")
# Article start: 第十五条 or 第十五条之一 (條 in traditional script), the space after it, then the body.
ARTICLE_RE = re.compile(rf"^\s*第\s*({NUMERAL})\s*[条條](?:\s*之\s*({NUMERAL}))?([\s\u3000]*)(.*)$", re.S)
# Item start: （一） (一) 一、 (1) 1.
ITEM_RE = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$", re.S)
# A body that starts with these continues a cross-reference (第十条、第十二条 / 第十条第二款 / 第十条至第十五条 /
# 第十条的规定), not a new article. Words such as 第一审, 规模, 定期, 和解, 项目 do open articles.
# After a label and a space (第十条 与本案有关的…) only a list or a further label is a continuation.
_LIST = rf"[、，,；;）)]|[至到和及或与]?\s*第\s*(?:{NUMERAL})\s*[条款项]"
_NOT_A_BODY = re.compile(rf"^(?:{_LIST}|[至到和及或与]\s*本|的|规定|[款项](?:[的、，,；]|规定))")
_NOT_A_SPACED_BODY = re.compile(rf"^(?:{_LIST})")
_LEVELS = {"编": 0, "分编": 1, "章": 2, "节": 3, "編": 0, "分編": 1, "節": 3}
# How far ahead the next article number may be and still count as the next article without a warning of its own.
MAX_STEP = 5
# Problems found in one document's numbering beyond this many are summed up in one line.
MAX_PROBLEMS = 20


@dataclass
class Block:
    """One paragraph of source text and where it is: its page (PDF) or its line (text formats), or None."""

    text: str
    page: int | None = None
    page_end: int | None = None
    # A table (first row is the header); text is then a flat rendering for display.
    table: list[list[str]] | None = None
    line: int | None = None


@dataclass
class ArticleStart:
    """A block that opens an article: its number, 之 number, body, and whether a space follows the label."""

    number: int
    sub: int
    body: str
    spaced: bool


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


def parse_start(text: str) -> ArticleStart | None:
    """The article label at the start of a block, whatever its number; None when the block does not open with
    one, or when what follows the label reads as a cross-reference (第十条、第十二条 / 第十条规定的)."""
    m = ARTICLE_RE.match(text)
    if not m:
        return None
    body, spaced = m.group(4), bool(m.group(3))
    if not body or (_NOT_A_SPACED_BODY if spaced else _NOT_A_BODY).match(body):
        return None
    number = from_chinese(m.group(1))
    sub = from_chinese(m.group(2)) if m.group(2) else 0
    return ArticleStart(number, sub, body.strip(), spaced)


def in_sequence(start: ArticleStart, last: tuple[int, int] | None) -> bool:
    """Whether a start is where the next article is expected: 第十五条之一 right after 第十五条, else a number a
    little ahead of the last; the first article is 第一条 (or close, when a preamble is split oddly)."""
    if last is None:
        return start.number <= MAX_STEP or bool(start.sub)
    last_no, last_sub = last
    if start.sub:
        return start.number == last_no and start.sub > last_sub
    return last_no < start.number <= last_no + MAX_STEP


def article_start(text: str, last: tuple[int, int] | None) -> tuple[int, int, str] | None:
    """(number, sub, body) when text opens the next article; None for a reference like 第十条、第十二条."""
    start = parse_start(text)
    if start is None or not in_sequence(start, last) or not in_range(start.number, start.sub):
        return None
    return start.number, start.sub, start.body


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


def place(block: Block) -> str:
    """Where a block is, for a warning: 第12行 / 第3页, and its opening words."""
    where = f"第{block.line}行" if block.line else f"第{block.page}页" if block.page else ""
    text = " ".join(block.text.split())
    return f"{where}“{text[:24]}{'…' if len(text) > 24 else ''}”"


@dataclass
class Structure:
    """What `split_articles` found: front matter, article units, and problems with the numbering (for users)."""

    front: list[Block]
    units: list[Unit]
    problems: list[str]


class _Numbering:
    """Checks article numbers as they are found: repeated, backwards, far ahead, skipped, or out of range."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, int], Block] = {}
        self.problems: list[str] = []

    def check(self, start: ArticleStart, block: Block, last: tuple[int, int] | None, last_block: Block | None) -> None:
        label = article_label(start.number, start.sub)
        if (start.number, start.sub) in self.seen:
            self.problems.append(
                f"条号重复：{label}出现了不止一次（{place(self.seen[(start.number, start.sub)])}；{place(block)}），"
                f"已分别保存为两个条文，按条号查询（hazkb show）只返回第一次出现的；请核对原文，改正条号后重新导入")
            return
        self.seen[(start.number, start.sub)] = block
        if last is None or last_block is None:
            return
        last_label = article_label(*last)
        if start.sub:
            if start.number != last[0]:
                self.problems.append(f"条号顺序异常：{place(block)}排在{last_label}之后，已单独保存为一条；请核对原文")
            return
        if start.number <= last[0]:
            self.problems.append(f"条号顺序异常：{place(block)}排在{last_label}（{place(last_block)}）之后，"
                                 "已单独保存为一条；请核对原文，改正条号后重新导入")
        elif start.number > last[0] + MAX_STEP:
            gap = start.number - last[0] - 1
            self.problems.append(f"条号跳跃：{last_label}之后是{place(block)}，中间缺少 {gap} 条，"
                                 "已单独保存为一条；请核对条号是否写错或有条文遗漏")
        elif start.number > last[0] + 1:
            missing = "、".join(article_label(n) for n in range(last[0] + 1, start.number))
            self.problems.append(f"条号不连续：{last_label}之后是{place(block)}，缺少{missing}；请核对原文是否有条文遗漏")

    def out_of_range(self, start: ArticleStart, block: Block, into: str | None, front: bool) -> None:
        fate = f"其文字已并入{into}" if into else "已作为前言保存" if front else "未导入"
        self.problems.append(f"条号超出范围：{place(block)}的条号 {start.number} 不是有效的条号，未作为单独的条文，"
                             f"{fate}；请核对原文")

    def stray(self, block: Block) -> None:
        """Text after a heading and before the first article under it belongs to no article."""
        self.problems.append(f"{place(block)}位于章节标题之后、第一条之前，不属于任何条文，未导入；"
                             "如是条文的一部分，请把它移到所属条文中后重新导入")

    def summary(self) -> list[str]:
        if len(self.problems) <= MAX_PROBLEMS:
            return self.problems
        more = len(self.problems) - MAX_PROBLEMS
        return [*self.problems[:MAX_PROBLEMS], f"条号另有 {more} 处问题未列出；请核对原文的条号"]


def split_articles(blocks: list[Block]) -> Structure:
    """Split blocks into front matter (before the first heading or article) and article units, and check the
    numbering. An article label out of sequence starts an article of its own (with a problem reported) when a
    space follows it, as in every article of a well-formed text; without one it is read as a cross-reference
    that a PDF line happened to start with, and continues the article before it."""
    front: list[Block] = []
    units: list[Unit] = []
    path: list[tuple[int, str]] = []  # (level, heading)
    current: dict | None = None
    last: tuple[int, int] | None = None
    last_block: Block | None = None
    numbering = _Numbering()

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
        start = parse_start(text)
        reported = False
        if start is not None and not in_range(start.number, start.sub):
            if start.spaced:
                numbering.out_of_range(start, block, into=article_label(*last) if current and last else None,
                                       front=not started)
                reported = True
            start = None
        elif start is not None and not in_sequence(start, last) and not (start.spaced and last is not None):
            start = None  # a cross-reference at the start of a line, or a first article far into the numbering
        if start is not None:
            close()
            numbering.check(start, block, last, last_block)
            current = {
                "no": start.number,
                "sub": start.sub,
                "lines": start.body.split("\n"),
                "path": [h for _, h in path],
                "page": block.page,
                "page_end": block.page_end or block.page,
            }
            last, last_block = (start.number, start.sub), block
            started = True
            continue
        if current is not None:
            current["lines"].extend(text.split("\n"))
            current["page_end"] = block.page_end or block.page or current["page_end"]
        elif not started:
            front.append(block)
        elif not reported:
            numbering.stray(block)
    close()
    return Structure(front, units, numbering.summary())
