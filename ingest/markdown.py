"""Markdown regulations: '# title', issuing history lines, '<!-- INFO END -->', '## 第X章', one article a paragraph."""
from __future__ import annotations

import re
from pathlib import Path

from corpus.model import Document

from .document import Overrides, assemble
from .structure import Block
from .text import decode_text

_INFO_END = "<!-- INFO END -->"
_MD_HEADING = re.compile(r"^#{1,6}\s*")


def load_markdown(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    text = decode_text(path, data)
    title = None
    header_lines: list[str] = []
    body = text
    if _INFO_END in text:
        head, body = text.split(_INFO_END, 1)
        for line in head.splitlines():
            line = line.strip()
            if line.startswith("# ") and title is None:
                title = line[2:].strip()
            elif line:
                header_lines.append(line)
    blocks: list[Block] = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#") and title is None and line.startswith("# "):
            title = line[2:].strip()
            continue
        blocks.append(Block(_MD_HEADING.sub("", line)))
    return assemble(blocks, path=path, content_hash=content_hash, overrides=overrides, title=title,
                    header="\n".join(header_lines) if header_lines else None)
