"""Plain-text files: UTF-8, UTF-16 with a BOM, the GBK/GB18030 that Chinese offices still produce, or Big5.

One block per non-empty line, except tables as Word's "save as text" writes them: each cell on
its own TAB-led line, a blank line after each row; these become one table block.
"""
from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import IngestError
from corpus.model import Document

from .document import Overrides, assemble
from .structure import Block
from .tables import clean_rows, flat_text

log = logging.getLogger(__name__)


# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Without a BOM, what the detector may choose between: Chinese offices' GBK/GB2312 (GB18030 is their superset)
# and the Big5 of traditional-script sources. GB18030 decodes almost any byte string, so a decode that merely
# succeeds proves nothing; the detector's chaos score (0: reads as text, 1: noise) decides.
_CANDIDATES = {"gb18030": "GB18030（GBK）", "big5": "Big5"}
# Accept the best candidate only when it reads cleanly and clearly better than the other one.
_MAX_CHAOS = 0.1
_MIN_MARGIN = 0.1
_TRIED = "UTF-8、UTF-16/UTF-32（带 BOM）、GB18030（含 GBK、GB2312）和 Big5"
_RESAVE = "请用记事本或 WPS 打开文件，确认文字显示正常后“另存为”UTF-8 编码再导入"
# Share of traditional-only characters among the Chinese characters above which a text is traditional script.
_TRADITIONAL_SHARE = 0.1
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Decoded:
    """A text file's text, the encoding it was read with, and notes for the ingest report."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _detect(path: Path, data: bytes) -> str:
    """The codec of a file that is not UTF-8 and has no BOM, or IngestError when it is not certain."""
    from charset_normalizer import from_bytes

    matches = sorted((m for m in from_bytes(data, cp_isolation=list(_CANDIDATES)) if m.encoding in _CANDIDATES),
                     key=lambda m: m.chaos)
    log.debug("%s: encoding candidates %s", path, [(m.encoding, m.chaos) for m in matches])
    if matches and matches[0].chaos <= _MAX_CHAOS and (
            len(matches) == 1 or matches[1].chaos - matches[0].chaos >= _MIN_MARGIN):
        return matches[0].encoding
    if matches and matches[0].chaos <= _MAX_CHAOS:
        guess = "、".join(_CANDIDATES[m.encoding] for m in matches)
        why = f"按 {guess} 解码都像是文字，无法确定是哪一种"
    else:
        why = "按这些编码解码都会出现乱码"
    raise IngestError(str(path), f"无法确定文件编码：已尝试 {_TRIED}，{why}（也可能这不是文本文件）；{_RESAVE}")


def _is_text(text: str) -> bool:
    """No NUL, and hardly any control characters, noncharacters or unassigned code points."""
    if "\x00" in text:
        return False
    sample = text[:20000]
    bad = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f") or c in "\ufffe\uffff"
              or unicodedata.category(c) in ("Cn", "Cs", "Co"))
    return bad <= len(sample) // 100


def is_traditional(text: str) -> bool:
    """True for traditional-script Chinese: many characters that Big5 has and the simplified GB2312 lacks."""
    chars = _CJK.findall(text[:20000])
    if not chars:
        return False
    traditional = 0
    for char in chars:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            try:
                char.encode("big5")
                traditional += 1
            except UnicodeEncodeError:
                pass
    return traditional >= 3 and traditional / len(chars) >= _TRADITIONAL_SHARE


def decode(path: Path, data: bytes) -> Decoded:
    """Decode a text file: a BOM names its encoding, else strict UTF-8, else GB18030 or Big5 as the detector
    finds with certainty. Anything else is refused (IngestError), never stored as mojibake."""
    if not data.strip():
        raise IngestError(str(path), "文件为空，没有可导入的内容；请检查文件是否正确导出")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(str(path), f"文件开头标明是 {name} 编码，但第 {exc.start} 字节起的内容不是有效的 "
                                             f"{name}（文件可能已损坏）；{_RESAVE}") from exc
            if not _is_text(text):
                raise IngestError(str(path), f"文件开头标明是 {name} 编码，但内容中有大量控制字符或非文字字符，"
                                             f"不是 {name} 文本（文件可能已损坏，或不是文本文件）；{_RESAVE}")
            return _finish(Decoded(_normalise(text), name))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _is_text(text):
            return _finish(Decoded(_normalise(text), "UTF-8"))
    if b"\x00" in data:
        raise IngestError(str(path), "文件中含有空字节，不是文本文件，或是不带 BOM 的 UTF-16 文本，无法确定编码；"
                                     f"{_RESAVE}")
    codec = _detect(path, data)
    return _finish(Decoded(_normalise(data.decode(codec)), _CANDIDATES[codec]))


def _finish(decoded: Decoded) -> Decoded:
    """Say so when the text is traditional script (stored as it is) or came in Big5."""
    big5 = "文件编码为 Big5，已识别并转为 UTF-8 保存"
    if is_traditional(decoded.text):
        decoded.notes.append((big5 + "；" if decoded.encoding == "Big5" else "") +
                             "文件是繁体中文，已按繁体原文保存，未转换为简体；用简体字检索可能找不到其中的条文，"
                             "如需简体请先转换后重新导入")
    elif decoded.encoding == "Big5":
        decoded.notes.append(big5)
    return decoded


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
                block = _table_block(rows)
                block.line = i + 1
                blocks.append(block)
                i = end
                continue
        line = clean_line(lines[i])
        if line:
            blocks.append(Block(line, line=i + 1))
        i += 1
    return blocks


def load_text(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    decoded = decode(path, data)
    doc = assemble(text_blocks(decoded.text), path=path, content_hash=content_hash, overrides=overrides)
    doc.warnings[:0] = decoded.notes
    return doc
