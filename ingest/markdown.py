"""Markdown regulations: '# title', issuing history lines, '<!-- INFO END -->', '## 第X章', one article a paragraph."""
from __future__ import annotations

import re
from pathlib import Path

from corpus.model import Document

from .document import Overrides, assemble
from .structure import Block
from .text import decode

_INFO_END = "<!-- INFO END -->"
_MD_HEADING = re.compile(r"^#{1,6}\s*")


def load_markdown(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    decoded = decode(path, data)
    text = decoded.text
    title = None
    header_lines: list[str] = []
    body = text
    first_body_line = 1  # the source line number of body's first line, for places in warnings
    if _INFO_END in text:
        head, body = text.split(_INFO_END, 1)
        first_body_line = head.count("\n") + 1
        for line in head.splitlines():
            line = line.strip()
            if line.startswith("# ") and title is None:
                title = line[2:].strip()
            elif line:
                header_lines.append(line)
    blocks: list[Block] = []
    for number, line in enumerate(body.split("\n"), start=first_body_line):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#") and title is None and line.startswith("# "):
            title = line[2:].strip()
            continue
        blocks.append(Block(_MD_HEADING.sub("", line), line=number))
    doc = assemble(blocks, path=path, content_hash=content_hash, overrides=overrides, title=title,
                   header="\n".join(header_lines) if header_lines else None)
    doc.warnings[:0] = decoded.notes
    return doc
