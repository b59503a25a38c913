"""Tables in PDFs, recovered from text positions.

A table starts at a line whose text falls into three or more separate column groups (its header);
the column bounds come from that header. Following lines belong to the table while every fragment
fits inside one column, also across a page break. A new row starts where the first column gets
text. Cell lines are re-joined, so a column-wrapped cell reads as it was written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_layout import Fragment, Line, join_fragments

_MIN_COLUMNS = 3
_COLUMN_GAP = 1.5  # font sizes of empty space that separate two columns
_MAX_ROW_GAP = 2.5  # line pitches; a larger vertical gap on the same page ends the table
_SERIAL = re.compile(r"^(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})[.、．]?$")
_CELL_BREAK = ("；", ";", "。")


@dataclass
class PdfTable:
    rows: list[list[str]]
    page: int
    page_end: int


@dataclass
class _Columns:
    starts: list[float]
    bounds: list[float]  # right bound of each column but the last

    def index(self, x: float, size: float) -> int:
        for i, bound in enumerate(self.bounds):
            if x < bound - 0.25 * size:
                return i
        return len(self.bounds)

    def fits(self, line: Line) -> bool:
        for fragment in line.fragments:
            i = self.index(fragment.x, fragment.size)
            if i < len(self.bounds) and fragment.end > self.bounds[i] + 0.5 * fragment.size:
                return False
        return True

    def split(self, line: Line) -> list[list[Fragment]]:
        cells: list[list[Fragment]] = [[] for _ in self.starts]
        for fragment in line.fragments:
            cells[self.index(fragment.x, fragment.size)].append(fragment)
        return cells


def segments(line: Line) -> list[list[Fragment]]:
    """Groups of fragments separated by a gap wider than a column gap."""
    groups: list[list[Fragment]] = []
    end = None
    for fragment in line.fragments:
        if end is None or fragment.x - end > _COLUMN_GAP * fragment.size:
            groups.append([])
        groups[-1].append(fragment)
        end = fragment.end if end is None else max(end, fragment.end)
    return groups


def header_columns(line: Line) -> _Columns | None:
    groups = segments(line)
    if len(groups) < _MIN_COLUMNS:
        return None
    starts = [g[0].x for g in groups]
    ends = [max(f.end for f in g) for g in groups]
    bounds = [(ends[i] + starts[i + 1]) / 2 for i in range(len(groups) - 1)]
    return _Columns(starts=starts, bounds=bounds)


def join_cell_lines(lines: list[str]) -> str:
    """Wrapped cell lines joined back; a line ending a clause (；。) keeps its line break."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith(_CELL_BREAK):
            text += "\n" + line
        elif text[-1].isascii() and text[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            text += " " + line
        else:
            text += line
    return text


@dataclass
class _Collector:
    columns: _Columns
    header: list[list[str]]  # column -> header lines (a header cell may wrap too)
    rows: list[list[list[str]]] = field(default_factory=list)  # row -> column -> cell lines
    last_first_cell: str | None = None

    def header_texts(self) -> list[str]:
        return [join_cell_lines(lines) for lines in self.header]

    def add(self, line: Line) -> None:
        cells = [join_fragments(fs) if fs else "" for fs in self.columns.split(line)]
        if cells == [lines[0] if lines else "" for lines in self.header]:
            return  # the header repeated on a following page
        first = cells[0]
        if first and (not self.rows or not self.last_first_cell or _SERIAL.match(first)):
            self.rows.append([[] for _ in self.columns.starts])
        target = self.rows[-1] if self.rows else self.header
        for i, cell in enumerate(cells):
            if cell:
                target[i].append(cell)
        self.last_first_cell = first

    def table_rows(self) -> list[list[str]]:
        return [self.header_texts()] + [[join_cell_lines(c) for c in row] for row in self.rows]


def _pitch(lines: list[Line]) -> float:
    gaps = sorted(a.y - b.y for a, b in zip(lines, lines[1:]) if a.page == b.page and a.y > b.y)
    return gaps[len(gaps) // 2] if gaps else 0.0


def read_table(lines: list[Line], start: int) -> tuple[PdfTable | None, int]:
    """The table whose header is lines[start], and the index after its last line; (None, start) if none."""
    columns = header_columns(lines[start])
    if columns is None:
        return None, start
    header = [[join_fragments(fs)] if fs else [] for fs in columns.split(lines[start])]
    collector = _Collector(columns=columns, header=header)
    end = start + 1
    body: list[Line] = [lines[start]]
    while end < len(lines):
        line, previous = lines[end], lines[end - 1]
        if not columns.fits(line):
            break
        pitch = _pitch(body) or 1.2 * line.size
        if line.page == previous.page and previous.y - line.y > _MAX_ROW_GAP * pitch:
            break
        if line.page != previous.page and not collector.rows:
            break
        collector.add(line)
        body.append(line)
        end += 1
    if not collector.rows:
        return None, start
    table = PdfTable(rows=collector.table_rows(), page=lines[start].page, page_end=lines[end - 1].page)
    return table, end
