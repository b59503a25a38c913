"""Plain-text files: UTF-8 or the GBK/GB18030 that Chinese offices still produce.

One block per non-empty line, except tables as Word's "save as text" writes them: each cell on
its own TAB-led line, a blank line after each row; these become one table block.
"""
from __future__ import annotations

import re
from pathlib import Path

from corpus.errors import IngestError
from corpus.model import Document

from .document import Overrides, assemble
from .structure import Block
from .tables import clean_rows, flat_text


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    if not data.strip():
        raise IngestError(str(path), "文件为空，没有可导入的内容；请检查文件是否正确导出")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text.replace("\r\n", "\n").replace("\r", "\n")
    raise IngestError(
        str(path),
        "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030），或这不是文本文件；请用记事本“另存为 UTF-8”后重新导入",
    )


# Word's "save as text" leaves bookmark markers such as "[bookmark: _GoBack]" in the text.
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def clean_line(line: str) -> str:
    return _BOOKMARK.sub("", line).strip()


def _table_block(rows: list[list[str]]) -> Block:
    rows = clean_rows(rows)
    return Block(flat_text(rows), table=rows)


def _is_table(rows: list[list[str]]) -> bool:
    """A header of two or more cells and at least one data row; a lone tab-indented line is not a table."""
    rows = clean_rows(rows)
    return len(rows) >= 2 and len(rows[0]) >= 2


def _read_table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Rows of a tab-led table from lines[start]; returns (rows, index of the first line after it).

    Each line starting with a TAB opens a new cell, a line without one continues the previous cell,
    and a blank line ends the row. The table ends at a line without a TAB that follows a blank line.
    """
    rows: list[list[str]] = []
    row: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            row.append(clean_line(line))
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
        elif row:
            row[-1] = f"{row[-1]}\n{clean_line(line)}" if row[-1] else clean_line(line)
        else:
            break
        i += 1
    if row:
        rows.append(row)
    return rows, i


def text_blocks(text: str) -> list[Block]:
    """One block per non-empty line; a tab-led table (as Word exports it) becomes one table block."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("\t") and lines[i].strip():
            rows, end = _read_table(lines, i)
            if _is_table(rows):
                blocks.append(_table_block(rows))
                i = end
                continue
        line = clean_line(lines[i])
        if line:
            blocks.append(Block(line))
        i += 1
    return blocks


def load_text(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    text = decode_text(path, data)
    return assemble(text_blocks(text), path=path, content_hash=content_hash, overrides=overrides)
