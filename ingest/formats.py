"""The document formats hazkb reads: one entry per format (its suffixes, a name for messages, its loader).

The CLI's help, folder scanning, the web upload's file picker and its checks all read this list; adding a format is
one entry here and its loader module. Loaders are imported on use, so listing formats imports neither pypdf nor
python-docx."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus.model import Document

from .document import Overrides

Loader = Callable[[Path, bytes, str, Overrides], Document]


@dataclass(frozen=True)
class Format:
    suffixes: tuple[str, ...]  # lower case, with the dot; the first is the one named in messages
    name: str
    loader_path: str  # "module:function", imported on first use

    def loader(self) -> Loader:
        module, function = self.loader_path.split(":")
        return getattr(importlib.import_module(module), function)


FORMATS = (
    Format((".pdf",), "PDF", "ingest.pdf:load_pdf"),
    Format((".docx",), "Word", "ingest.docx_loader:load_docx"),
    Format((".md", ".markdown"), "Markdown", "ingest.markdown:load_markdown"),
    Format((".txt",), "纯文本", "ingest.text:load_text"),
)


def suffixes() -> tuple[str, ...]:
    return tuple(s for f in FORMATS for s in f.suffixes)


def format_for(path: Path | str) -> Format | None:
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS if suffix in f.suffixes), None)


def suffix_list(sep: str = "、", last: str = " 或 ") -> str:
    """".pdf、.docx、.md、.markdown 或 .txt": the suffixes for a message."""
    known = suffixes()
    return sep.join(known[:-1]) + last + known[-1]
