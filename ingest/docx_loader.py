"""Word (.docx) files: paragraphs and tables in body order; the Title-style paragraph names the document."""
from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from corpus.errors import IngestError
from corpus.model import Document

from .document import Overrides, assemble
from .structure import Block
from .tables import clean_rows, flat_text

logger = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, .xls, ...
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(path: Path, data: bytes):
    """The python-docx Document, or IngestError saying why the file cannot be opened."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            str(path),
            "这是旧版 Word 97-2003（.doc）文件，无法直接导入；请用 Word 或 WPS 打开后“另存为”.docx 格式再导入",
        )
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(
            str(path),
            "无法打开 Word 文件：文件已损坏或不是 Word 文档；请确认是 .docx（不是旧版 .doc），"
            "可用 Word 或 WPS 打开后重新“另存为”.docx 再导入",
        ) from exc
    except Exception as exc:  # lxml parse errors and other damage inside the package
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise IngestError(
                str(path),
                "无法打开 Word 文件：文件内容已损坏；请确认是 .docx（不是旧版 .doc），"
                "用 Word 或 WPS 打开后重新保存再导入",
            ) from exc
        raise


def table_rows(table) -> list[list[str]]:
    """Cell texts row by row; a horizontally merged cell (repeated by python-docx) is kept once."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(cell.text.strip())
        rows.append(cells)
    return rows


def _body_items(container):
    """Paragraph and table elements in order, looking inside content controls (w:sdt)."""
    for child in container.iterchildren():
        if child.tag == f"{_W_NS}sdt":
            content = child.find(f"{_W_NS}sdtContent")
            if content is not None:
                yield from _body_items(content)
        elif child.tag in (f"{_W_NS}p", f"{_W_NS}tbl"):
            yield child


def _is_title(paragraph) -> bool:
    style = paragraph.style
    return style is not None and (style.name or "").lower() in ("title", "标题")


def docx_blocks(document) -> tuple[list[Block], str | None]:
    """(blocks in body order, the first Title-style paragraph's text or None)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    title: str | None = None
    for element in _body_items(document.element.body):
        if element.tag == f"{_W_NS}tbl":
            rows = clean_rows(table_rows(Table(element, document)))
            if rows:
                blocks.append(Block(flat_text(rows), table=rows))
            continue
        paragraph = Paragraph(element, document)
        text = paragraph.text.strip()
        if not text:
            continue
        if title is None and _is_title(paragraph):
            title = text
        # Title paragraphs stay as blocks too: an attachment's title follows its "附件N" line.
        blocks.append(Block(text))
    return blocks, title


def load_docx(path: Path, data: bytes, content_hash: str, overrides: Overrides) -> Document:
    document = open_docx(path, data)
    blocks, title = docx_blocks(document)
    if not blocks:
        raise IngestError(str(path), "Word 文件中没有文字内容；请确认文件内容不是图片，或另存为文字格式后再导入")
    logger.debug("%s: %d blocks from Word", path, len(blocks))
    return assemble(blocks, path=path, content_hash=content_hash, overrides=overrides, title=title)
