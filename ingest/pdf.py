"""PDF files via pypdf: page-aware paragraphs, page furniture dropped, tables recovered.

Bad input is refused with a reason the user can act on: a file that is not a PDF, a damaged or
truncated PDF, an encrypted one, and a scan without a text layer (which needs OCR first).
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

from corpus.errors import IngestError
from corpus.model import Document

from .document import Overrides, assemble
from .pdf_furniture import drop_furniture
from .pdf_layout import Line, group_lines, page_fragments
from .pdf_paragraphs import pdf_blocks

logger = logging.getLogger(__name__)

_HEADER_WINDOW = 1024  # readers accept "%PDF-" anywhere in the first KiB
_EOF_WINDOW = 2048  # "%%EOF" must be near the end of a complete file
_MIN_TEXT_CHARS = 20  # fewer visible characters in the whole file: no text layer

NOT_PDF = "不是有效的 PDF 文件（文件头不是 %PDF），可能只是改了扩展名；请确认文件格式，或用原程序重新导出为 PDF"
DAMAGED = "PDF 文件已损坏或不完整（可能下载或复制时被截断），无法读取；请重新导出或重新下载后再导入"
ENCRYPTED = "PDF 文件已加密，需要密码才能读取；请先在 PDF 阅读器中取消密码保护（或另存为不加密的 PDF）后再导入"
NO_PAGES = "PDF 文件中没有任何页面（0 页），没有可导入的内容；请检查原文件是否完整，重新导出为 PDF 后再导入"
NO_TEXT = "未找到文字层（可能是扫描件或图片），无法提取文字；请先用 OCR 软件识别成可检索的 PDF 或文字后再导入"


def has_pdf_header(data: bytes) -> bool:
    return b"%PDF-" in data[:_HEADER_WINDOW]


def looks_truncated(data: bytes) -> bool:
    """A complete PDF ends with %%EOF (trailing whitespace and padding aside)."""
    return b"%%EOF" not in data.rstrip(b"\x00\t\n\r\f ")[-_EOF_WINDOW:]


def open_pdf(path: Path, data: bytes):
    """A pypdf reader for data, or IngestError: not a PDF, damaged/truncated, or encrypted."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(str(path), ENCRYPTED)
        page_count = len(reader.pages)
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise IngestError(str(path), DAMAGED if has_pdf_header(data) else NOT_PDF) from exc
    if not has_pdf_header(data):
        raise IngestError(str(path), NOT_PDF)
    if looks_truncated(data):
        raise IngestError(str(path), DAMAGED)
    if page_count == 0:
        raise IngestError(str(path), NO_PAGES)
    return reader


def read_lines(path: Path, reader) -> list[list[Line]]:
    """Text lines of every page; a page pypdf cannot parse means the file is damaged."""
    from pypdf.errors import PyPdfError

    pages: list[list[Line]] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            fragments = page_fragments(page)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
            raise IngestError(str(path), f"{DAMAGED}（第{number}页无法解析）") from exc
        pages.append(group_lines(fragments, number))
    return pages


def check_text_layer(path: Path, pages: list[list[Line]]) -> None:
    visible = sum(len("".join(line.text.split())) for lines in pages for line in lines)
    if visible < _MIN_TEXT_CHARS:
        raise IngestError(str(path), NO_TEXT)


def blank_page_warning(pages: list[list[Line]]) -> str | None:
    """A warning naming pages without text (scanned pages inside a text PDF)."""
    blank = [str(n) for n, lines in enumerate(pages, start=1) if not lines]
    if not blank:
        return None
    return f"第{'、'.join(blank)}页没有文字层（可能是扫描页），这些页的内容未导入；如需导入请先用 OCR 软件识别"


def load_pdf(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    reader = open_pdf(path, data)
    pages = read_lines(path, reader)
    check_text_layer(path, pages)
    blocks = pdf_blocks(drop_furniture(pages))
    logger.debug("%s: %d pages, %d blocks", path, len(pages), len(blocks))
    doc = assemble(blocks, path=path, content_hash=content_hash, overrides=overrides)
    warning = blank_page_warning(pages)
    if warning:
        doc.warnings.append(warning)
    return doc
