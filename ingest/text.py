"""Plain-text files: UTF-8 or the GBK/GB18030 that Chinese offices still produce."""
from __future__ import annotations

from pathlib import Path

from corpus.errors import IngestError
from corpus.model import Document

from .document import Overrides, assemble
from .structure import Block


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


def load_text(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    text = decode_text(path, data)
    blocks = [Block(line.strip()) for line in text.split("\n") if line.strip()]
    return assemble(blocks, path=path, content_hash=content_hash, overrides=overrides)
