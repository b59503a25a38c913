"""Turn a loader's blocks into a Document: find its structure, infer title, level and dates."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from corpus.model import DocKind, Document, Level, Paragraph, Unit, UnitKind
from corpus.names import aliases_for, all_dates, find_doc_number, infer_level, normalize_title

from .structure import Block, split_articles

# Fewer articles than this and a document is not treated as a regulation (a plan may quote one).
MIN_ARTICLES = 2
_FILENAME_DATE = re.compile(r"[（(](\d{4}-\d{2}-\d{2})[)）]")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*$")


@dataclass
class Overrides:
    """Metadata given by the user on the command line; it wins over anything inferred."""

    title: str | None = None
    level: Level | None = None
    effective: date | None = None
    # The file's original name (an upload stored under a generated name): title and date are read from it.
    source_name: str | None = None

    def content_key(self) -> str:
        """What of the overrides changes the stored document (the display name does not)."""
        return repr((self.title, self.level, self.effective))


def filename_date(path: Path) -> date | None:
    m = _FILENAME_DATE.search(path.stem)
    return date.fromisoformat(m.group(1)) if m else None


def title_from_filename(path: Path) -> str:
    return _FILENAME_DATE.sub("", path.stem).strip() or path.stem


def title_line(front: list[Block]) -> str | None:
    """The first short line(s) of the front matter, skipping 附件N and date lines; None when there is none."""
    parts: list[str] = []
    for block in front[:6]:
        text = block.text.strip()
        if not text or _ATTACHMENT.match(text):
            if parts:
                break
            continue
        if all_dates(text) or len(text) > 30 or re.search(r"[。；：:，,]", text):
            break
        parts.append(text)
        if text.endswith(("法", "条例", "办法", "规定", "要点", "方案", "细则", "通知", "意见")):
            break
    return "".join(parts) if parts else None


def _dates(header: str, path: Path, overrides: Overrides) -> tuple[date | None, date | None, date | None]:
    """(publish, effective, version) from the issuing lines and the file name."""
    dates = all_dates(header)
    publish = dates[0] if dates else None
    version = filename_date(path) or (dates[-1] if dates else None)
    effective = overrides.effective
    if effective is None:
        m = re.search(r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?:起)?\s*施行", header)
        effective = all_dates(m.group(1))[0] if m else version
    return publish, effective, version


def _effective_from_articles(units: list[Unit]) -> date | None:
    """'本条例自2011年12月1日起施行' in the last articles."""
    for unit in reversed(units[-3:]):
        m = re.search(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起施行", unit.text)
        if m:
            return all_dates(m.group(1))[0]
    return None


def plain_units(blocks: list[Block]) -> list[Unit]:
    """No recognisable structure: every paragraph becomes a unit so nothing is dropped."""
    units: list[Unit] = []
    for block in blocks:
        text = block.text.strip()
        if text:
            units.append(
                Unit(kind=UnitKind.PARAGRAPH, seq=len(units), text=text, paragraphs=[Paragraph(text)],
                     page_start=block.page, page_end=block.page_end or block.page, key=f"p{len(units) + 1}")
            )
    return units


def assemble(
    blocks: list[Block],
    *,
    path: Path,
    content_hash: str,
    overrides: Overrides | None = None,
    title: str | None = None,
    header: str | None = None,
) -> Document:
    """Build a Document from blocks. `title`/`header` come from loaders that know them (Markdown, DOCX)."""
    from .plan import split_plan  # plan splitting is a sibling concern, imported lazily to keep modules small

    overrides = overrides or Overrides()
    name_path = Path(overrides.source_name) if overrides.source_name else path
    structure = split_articles(blocks)
    front, articles = structure.front, structure.units
    header_text = header if header is not None else "\n".join(b.text for b in front)
    warnings: list[str] = []
    doc_title = overrides.title or title or title_line(front)
    title_warning = None
    if not doc_title:
        doc_title = title_from_filename(name_path)
        title_warning = f"未找到标题行，已用文件名“{doc_title}”作为标题；如不对，可用 --title 指定标题后重新导入"
    if len(articles) >= MIN_ARTICLES:
        kind, units = DocKind.REGULATION, articles
        warnings += structure.problems
    else:
        units = split_plan(blocks)
        if units:
            kind = DocKind.PLAN
        else:
            kind, units = DocKind.PLAIN, plain_units(blocks)
            warnings.append("未识别出条文（第X条）或章节编号（一、（一）1.），已按段落保存；如为法规请检查文件格式")
    if title_warning:
        warnings.append(title_warning)
    publish, effective, version = _dates(header_text, name_path, overrides)
    if kind is DocKind.REGULATION and overrides.effective is None:
        # 'X年X月X日起施行' in the text is the original effective date; a revision takes effect on its own date.
        from_articles = _effective_from_articles(units)
        if from_articles and (version is None or from_articles >= version):
            effective = from_articles
    level = overrides.level or infer_level(doc_title, header_text)
    doc = Document(
        title=doc_title,
        level=level,
        kind=kind,
        aliases=aliases_for(doc_title),
        doc_number=find_doc_number(header_text),
        publish_date=publish,
        effective_date=effective,
        version_date=version or effective,
        source=str(path),
        content_hash=content_hash,
        history=[line.strip() for line in header_text.splitlines() if all_dates(line)],
        units=units,
        warnings=warnings,
    )
    if not normalize_title(doc.title):
        doc.title = title_from_filename(name_path)
        doc.warnings.append(f"标题“{doc_title}”中没有文字，已用文件名“{doc.title}”作为标题；"
                            "如不对，可用 --title 指定标题后重新导入")
    return doc
