"""Work documents (plans): numbered sections 一、/（一）/1./（1） with heading paths, and table rows.

A plan may bundle attachments ("附件1" followed by a title of one or two short lines); each
attachment restarts the numbering. Every numbered heading opens a section unit that runs to the
next numbered heading; text before an attachment's first heading is its intro unit. Table blocks
become one unit per data row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Paragraph, Unit, UnitKind
from corpus.numbers import from_chinese

from .structure import Block
from .tables import header_names, row_cells, row_text

_CN = "一二三四五六七八九十百"
# (level, pattern): 一、 / （一） / 1. / （1）; the number is group 1.
_NUMBERED = (
    (1, re.compile(rf"^([{_CN}]+)\s*、\s*(?=\S)")),
    (2, re.compile(rf"^[（(]\s*([{_CN}]+)\s*[)）]\s*(?=\S)")),
    (3, re.compile(r"^([0-9０-９]{1,3})\s*[.．、]\s*(?=\S)")),
    (4, re.compile(r"^[（(]\s*([0-9０-９]{1,3})\s*[)）]\s*(?=\S)")),
)
_DEPTH = 4
# "附件3", "附件 3：标题", "附件三"; a bare "附件" opens an attachment's own appendix.
_ATTACHMENT = re.compile(rf"^附\s*件\s*([0-9０-９]+|[{_CN}]+)?\s*[:：]?\s*(.*)$")
_SENTENCE_PUNCT = re.compile(r"[。；;：:，,！？!?]")
_TITLE_END = ("要点", "方案", "计划", "通知", "意见", "办法", "规定", "细则", "制度", "清单", "目录", "报告",
              "表", "总结")
_TITLE_MAX = 40
_CAPTION_MAX = 30
_HEADING_MAX = 50


def numbered(text: str) -> tuple[int, int] | None:
    """(level, number) when the line opens a numbered section, else None."""
    for level, pattern in _NUMBERED:
        m = pattern.match(text)
        if m:
            return level, from_chinese(m.group(1))
    return None


def attachment(text: str) -> tuple[int | None, str] | None:
    """(number or None for a bare 附件, title on the same line) for an attachment line, else None."""
    m = _ATTACHMENT.match(text.strip())
    if not m:
        return None
    number, rest = m.group(1), m.group(2).strip()
    if number is None:
        return (None, "") if not rest else None
    if rest and (len(rest) > _TITLE_MAX or _SENTENCE_PUNCT.search(rest)):
        return None
    return from_chinese(number), rest


def heading_line(text: str) -> str:
    """A section's own heading: its lead sentence when the line carries the content too."""
    text = text.strip()
    end = text.find("。")
    if 0 <= end < len(text) - 1:
        text = text[: end + 1]
    return text if len(text) <= _HEADING_MAX else text[: _HEADING_MAX - 1] + "…"


def _title_like(text: str) -> bool:
    return len(text) <= _TITLE_MAX and not _SENTENCE_PUNCT.search(text) and numbered(text) is None


def _caption_like(text: str) -> bool:
    return len(text) <= _CAPTION_MAX and not _SENTENCE_PUNCT.search(text) and numbered(text) is None


@dataclass
class _Open:
    """The unit being collected: a numbered section or free text."""

    key: str
    heading: str | None
    path: list[str]
    blocks: list[Block] = field(default_factory=list)
    numbered: bool = False


@dataclass
class _Splitter:
    units: list[Unit] = field(default_factory=list)
    attachment_no: int = 0
    attachment_heading: str | None = None
    title_parts: list[str] | None = None  # collecting an attachment's title lines
    stack: list[tuple[int, int, str]] = field(default_factory=list)  # (level, number, heading)
    current: _Open | None = None
    tables: int = 0
    used_keys: set[str] = field(default_factory=set)

    # --- keys and paths -------------------------------------------------------------------
    def unique(self, key: str) -> str:
        candidate, n = key, 2
        while candidate in self.used_keys:
            candidate = f"{key}-{n}"
            n += 1
        self.used_keys.add(candidate)
        return candidate

    def base_path(self) -> list[str]:
        return [self.attachment_heading] if self.attachment_heading else []

    def section_key(self) -> str:
        numbers = [0] * _DEPTH
        for level, number, _ in self.stack:
            numbers[level - 1] = number
        depth = self.stack[-1][0] if self.stack else 0
        return "s" + ".".join(str(n) for n in [self.attachment_no, *numbers[:depth]])

    # --- units ----------------------------------------------------------------------------
    def close(self) -> None:
        unit, self.current = self.current, None
        if unit is None or not unit.blocks:
            return
        texts = [b.text.strip() for b in unit.blocks if b.text.strip()]
        pages = [b.page for b in unit.blocks if b.page is not None]
        ends = [end for b in unit.blocks if (end := b.page_end or b.page) is not None]
        self.units.append(
            Unit(
                kind=UnitKind.SECTION,
                seq=len(self.units),
                text="\n".join(texts),
                path=unit.path,
                paragraphs=[Paragraph(t) for t in texts],
                page_start=pages[0] if pages else None,
                page_end=max(ends) if ends else None,
                heading=unit.heading,
                key=self.unique(unit.key),
            )
        )

    def open_free(self, block: Block) -> None:
        """Text outside any numbered section: an intro, or text after a table inside a section."""
        if self.stack:
            heading = self.stack[-1][2]
            path = self.base_path() + [h for _, _, h in self.stack]
            self.current = _Open(self.section_key(), heading, path, [block])
        else:
            self.current = _Open(f"s{self.attachment_no}.0", None, self.base_path(), [block])

    # --- block kinds ----------------------------------------------------------------------
    def on_attachment(self, number: int | None, title: str) -> None:
        self.close()
        self.stack = []
        if number is None:  # a bare 附件: the attachment's appendix, numbering restarts
            return
        self.attachment_no = number
        self.attachment_heading = f"附件{number}" + (f" {title}" if title else "")
        self.title_parts = [title] if title else []

    def on_title_line(self, text: str) -> bool:
        """Collect the attachment title's lines; False when text is not part of the title."""
        parts = self.title_parts
        if parts is None:
            return False
        if len(parts) >= 2 or (parts and parts[-1].endswith(_TITLE_END)) or not _title_like(text):
            self.title_parts = None
            return False
        parts.append(text)
        self.attachment_heading = f"附件{self.attachment_no} {''.join(parts)}"
        return True

    def on_numbered(self, block: Block, level: int, number: int) -> None:
        self.close()
        heading = heading_line(block.text)
        self.stack = [entry for entry in self.stack if entry[0] < level] + [(level, number, heading)]
        path = self.base_path() + [h for _, _, h in self.stack]
        self.current = _Open(self.section_key(), heading, path, [block], numbered=True)

    def on_text(self, block: Block) -> None:
        if self.current is None:
            self.open_free(block)
        else:
            self.current.blocks.append(block)

    def take_caption(self) -> str | None:
        """The short line just before a table (not a section's heading line) is its caption."""
        current = self.current
        if current is None or not current.blocks:
            return None
        if current.numbered and len(current.blocks) == 1:
            return None
        text = current.blocks[-1].text.strip()
        if not _caption_like(text):
            return None
        current.blocks.pop()
        return text

    def on_table(self, block: Block) -> None:
        self.title_parts = None
        caption = self.take_caption()
        path = self.base_path() + [h for _, _, h in self.stack] + ([caption] if caption else [])
        self.close()
        rows = [row for row in (block.table or []) if any(cell.strip() for cell in row)]
        if len(rows) < 2:
            return
        self.tables += 1
        width = max(len(row) for row in rows)
        names = header_names(rows[0], width)
        seen = 0
        for row in rows[1:]:
            if [c.strip() for c in row] == [c.strip() for c in rows[0]]:
                continue  # a header row repeated on a following page
            seen += 1
            cells = row_cells(names, [c.strip() for c in row])
            self.units.append(
                Unit(
                    kind=UnitKind.TABLE_ROW,
                    seq=len(self.units),
                    text=row_text(cells),
                    path=list(path),
                    page_start=block.page,
                    page_end=block.page_end or block.page,
                    heading=f"{caption or f'表{self.tables}'} 第{seen}行",
                    key=self.unique(f"t{self.tables}.r{seen}"),
                    cells=cells,
                )
            )

    def feed(self, block: Block) -> None:
        if block.table is not None:
            self.on_table(block)
            return
        text = block.text.strip()
        if not text:
            return
        found = attachment(text)
        if found is not None:
            self.on_attachment(*found)
            return
        if self.on_title_line(text):
            return
        level = numbered(text)
        if level is not None:
            self.on_numbered(block, *level)
        else:
            self.on_text(block)


def has_plan_structure(blocks: list[Block]) -> bool:
    """True when some block is a table or a numbered section heading."""
    return any(b.table is not None or numbered(b.text.strip()) is not None for b in blocks)


def split_plan(blocks: list[Block]) -> list[Unit]:
    """Section and table-row units of a plan; [] when there are no numbered sections or tables."""
    if not has_plan_structure(blocks):
        return []
    splitter = _Splitter()
    for block in blocks:
        splitter.feed(block)
    splitter.close()
    return splitter.units
