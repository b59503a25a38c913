"""A bureau's own 裁量基准 (administrative-penalty discretion standards), attached to the violation catalog.

Provincial and municipal bureaus keep these as Excel (.xlsx) or Word (.docx) tables: one line per 情形/阶次 of a
违法行为, with its 处罚依据 ("《危险化学品安全法》第一百零一条第一款第（十）项") and 处罚标准 ("处1万元以上3万元以下
的罚款"). `import_discretion` reads such a table (the header row is found by its column names; merged and
multi-line cells are read as the user sees them), turns each line into a `Tier` and attaches it to the catalog
row with the same law, article, 款 (when the citation names one) and 项. A line that cannot be attached (no
citation, a law or article the corpus does not have, no such 项, an unreadable fine) is reported with its row
number and the reason, and not stored; the good lines are stored. A file that is not such a table, or cannot be
opened, raises `DiscretionError` and changes nothing.

Tiers live in their own tables (schema.discretion_files, schema.discretion_tiers). A file is imported in one
transaction: re-importing it unchanged changes nothing, a changed file replaces its tiers, and a file without a
single usable line leaves what was stored before. `tiers_for` reads a row's tiers, `remove_discretion` drops a
file's.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from .. import schema
from ..catalog import Catalog, bump_generation, utc_now
from ..citations import format_reference, parse_references
from ..errors import HazkbError, NotFoundError, StoreError
from ..legal_text import Fine, amounts, fine_range, fines
from ..model import Document, Reference, content_hash
from ..names import normalize_title
from ..numbers import article_label, to_chinese
from .model import ViolationRow
from .store import ViolationStore

log = logging.getLogger(__name__)

FORMATS = (".xlsx", ".xlsm", ".docx")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files, and encrypted (password) OOXML files
_MAX_ROWS = 50_000  # per sheet: a bigger sheet is not a discretion table (or is padded with empty rows)
_HEADER_SCAN = 30  # the header row is looked for among a sheet's first rows
_SAMPLE_WORDS = ("样例", "仅供测试", "非正式", "测试用")
_FIX_FORMAT = "请用 Excel 或 WPS 打开后“另存为”.xlsx（或在 Word 中另存为 .docx）再导入"


class DiscretionError(HazkbError):
    """The file cannot be read as a discretion table; nothing of it was stored."""


# -- the table's columns ----------------------------------------------------------------------------------

# Field -> words a header cell of that column contains; the first rule whose word a header holds wins, so longer
# and more specific words come first (处罚依据 before 依据, 适用情形 before 情形).
_HEADER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seq", ("序号", "编号", "行号")),
    ("penalty", ("处罚依据", "处罚条款", "罚则条款", "处罚的法律依据", "处罚法律依据", "处罚的依据")),
    ("basis", ("违法依据", "违反条款", "违法条款", "违反的法律", "违反法律", "违反规定", "违法的依据")),
    ("standard", ("处罚标准", "裁量标准", "裁量基准", "处罚幅度", "裁量幅度", "处罚内容", "处罚种类和幅度",
                  "处罚种类及幅度", "罚款标准", "罚款幅度", "具体标准", "处罚裁量")),
    ("condition", ("适用条件", "适用情形", "具体情形", "情形描述", "情节描述", "裁量因素", "考量因素", "认定标准",
                   "适用范围", "裁量情节", "具体情节")),
    ("level", ("阶次", "等次", "档次", "等级", "格次", "违法程度", "情节程度", "裁量级别")),
    ("level_or_condition", ("情形", "情节")),
    ("behaviour", ("违法行为", "违法事实", "违法事项", "违法类型", "行为")),
    ("legal", ("法律依据", "依据")),
    ("note", ("备注",)),
)
# What the user is told a discretion table needs.
_COLUMNS_HELP = ("裁量基准表应有表头行，至少包含“处罚依据”（或“法律依据”）和“处罚标准”（或“裁量标准”）两列，"
                 "通常还有“违法行为”“违法依据”“情形/阶次”“适用条件”")
_FIELD_NAMES = {"penalty": "处罚依据", "standard": "处罚标准"}


def _header_field(text: str) -> str | None:
    name = re.sub(r"[\s*＊:：]", "", text)
    if not name or len(name) > 16:
        return None
    for name_field, words in _HEADER_RULES:
        if any(w in name for w in words):
            return name_field
    return None


def _columns(cells: list[str]) -> dict[str, int]:
    """Field -> column index of a header row (the first column of a field wins)."""
    found: dict[str, int] = {}
    either: list[int] = []
    for index, cell in enumerate(cells):
        name_field = _header_field(cell)
        if name_field == "level_or_condition":
            if index not in either:
                either.append(index)
        elif name_field and name_field not in found:
            found[name_field] = index
    # 情形 / 情节: the tier when no 阶次 column names it, else the condition that describes it.
    for index in either:
        for name_field in ("level", "condition"):
            if name_field not in found:
                found[name_field] = index
                break
    legal = found.pop("legal", None)
    if legal is not None:
        if "penalty" not in found:
            found["penalty"] = legal
        elif "basis" not in found:
            found["basis"] = legal
    return found


def _is_header(columns: dict[str, int]) -> bool:
    return "penalty" in columns and "standard" in columns


def _near_header(columns: dict[str, int]) -> bool:
    """Looks like a discretion table's header, but a needed column is missing."""
    return len(columns) >= 2 and bool({"penalty", "standard"} & set(columns))


# -- reading files ----------------------------------------------------------------------------------------

@dataclass
class _Sheet:
    name: str  # the worksheet's name, or 表N for the N-th Word table
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it, cell texts)
    word: bool = False  # a Word table (a table without a header may continue the one before)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _error(path: Path, reason: str) -> DiscretionError:
    return DiscretionError(f"{path.name}：{reason}")


def _sniff(path: Path, data: bytes) -> str:
    """'xlsx' or 'docx' by the file's content (a renamed file is read as what it is); DiscretionError else."""
    suffix = path.suffix.lower()
    if not data:
        raise _error(path, "文件是空的（0 字节）；请确认文件已完整保存或下载后再导入")
    if data.startswith(_OLE_MAGIC):
        if suffix in (".xls", ".et"):
            raise _error(path, f"这是旧版 Excel 97-2003（.xls）文件，无法直接导入；{_FIX_FORMAT}")
        if suffix in (".doc", ".wps"):
            raise _error(path, "这是旧版 Word 97-2003（.doc）文件，无法直接导入；请用 Word 或 WPS 打开后“另存为”.docx"
                               "（或把表格复制到 Excel 另存为 .xlsx）再导入")
        if suffix in FORMATS:
            raise _error(path, "文件设置了打开密码（已加密），或实际是旧版 .xls/.doc 文件，无法读取；请在 Excel/Word 中"
                               "打开，取消密码（文件→信息→保护→用密码进行加密，清空密码）并“另存为”"
                               f"{'.docx' if suffix == '.docx' else '.xlsx'} 后再导入")
        raise _error(path, f"这是旧版 Office（97-2003）文件，无法直接导入；{_FIX_FORMAT}")
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _error(path, f"文件已损坏（压缩包不完整），无法打开；请重新下载或在 Excel/Word 中打开后重新保存。"
                               f"{_FIX_FORMAT}") from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise _error(path, f"这不是 Excel（.xlsx）或 Word（.docx）文件（压缩包中没有工作簿或文档）；{_FIX_FORMAT}")
    if data.startswith(b"%PDF"):
        raise _error(path, "这是 PDF 文件，无法读取其中的表格；请用原始的 Excel 或 Word 文件导入，"
                           "或把 PDF 转换为 Excel 并核对后另存为 .xlsx 再导入")
    if suffix in FORMATS:
        raise _error(path, f"文件已损坏或不是真正的 {suffix} 文件，无法打开；{_FIX_FORMAT}")
    shown = suffix or "无扩展名"
    raise _error(path, f"不支持“{shown}”文件：裁量基准应为 Excel（.xlsx）或 Word（.docx）表格；"
                       f"{'CSV 等文本表格' if suffix in ('.csv', '.txt', '.tsv') else '其他格式'}{_FIX_FORMAT[1:]}")


def _read_xlsx(path: Path, data: bytes) -> list[_Sheet]:
    from openpyxl import load_workbook

    try:
        # Not read-only: merged ranges are only known in a full workbook.
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, lxml and zip errors)
        raise _error(path, f"Excel 文件内容已损坏，无法读取（{type(exc).__name__}）；请在 Excel 或 WPS 中打开后"
                           "重新“另存为”.xlsx 再导入") from exc
    sheets = []
    for sheet in book.worksheets:
        if sheet.max_row > _MAX_ROWS:
            raise _error(path, f"工作表“{sheet.title}”有 {sheet.max_row} 行，超过 {_MAX_ROWS} 行，不像裁量基准表；"
                               "请删除多余的空行或拆分文件后再导入")
        grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                row = grid[r]
                for c in range(merged.min_col - 1, merged.max_col):
                    if c < len(row):
                        row[c] = top
        sheets.append(_Sheet(sheet.title, [(i + 1, row) for i, row in enumerate(grid)]))
    return sheets


def _read_docx(path: Path, data: bytes) -> tuple[list[_Sheet], list[str]]:
    """The tables (merged cells repeated in each row and column they span) and the paragraphs before the first."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _error(path, "Word 文件已损坏或不是 .docx 文档，无法打开；请用 Word 或 WPS 打开后重新“另存为”.docx "
                           "再导入") from exc
    except Exception as exc:  # lxml parse errors inside the package
        raise _error(path, f"Word 文件内容已损坏，无法读取（{type(exc).__name__}）；请用 Word 或 WPS 打开后重新"
                           "保存再导入") from exc
    sheets = []
    for number, table in enumerate(document.tables, 1):
        rows = []
        for index, row in enumerate(table.rows, 1):
            cells = [""] * (getattr(row, "grid_cols_before", 0) or 0) + [_cell_text(c.text) for c in row.cells]
            rows.append((index, cells))
        sheets.append(_Sheet(f"表{number}", rows, word=True))
    preamble = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}tbl"):
            break
        if child.tag.endswith("}p"):
            text = _cell_text("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            if text:
                preamble.append(text)
    return sheets, preamble[:5]


# -- fines ------------------------------------------------------------------------------------------------

_NO_FINE = re.compile(r"不予(?:行政)?处罚|免予(?:行政)?处罚|不予罚款|免予罚款|不罚款|不处罚款|不处以罚款")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_RANGE = re.compile(r"(?P<a>\d+(?:\.\d+)?)(?P<ua>万元|万|元)?(?:[-—–~～]+|至|到)(?P<b>\d+(?:\.\d+)?)(?P<ub>万元|元)")
_CLAUSE = re.compile(r"[^，,；;。]+")


def _fine_text(standard: str) -> str:
    """A 处罚标准 as legal_text.fines reads it: 1-3万元 -> 1万元以上3万元以下, 罚款1万元 -> 处1万元的罚款."""
    text = re.sub(r"\s+", "", standard).translate(_FULLWIDTH)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)

    def fill(m: re.Match[str]) -> str:
        unit_b = m.group("ub")
        unit_a = {"万": "万元", "万元": "万元", "元": "元"}.get(m.group("ua") or "", unit_b)
        return f"{m.group('a')}{unit_a}以上{m.group('b')}{unit_b}以下"

    text = _RANGE.sub(fill, text)
    if fines(text):
        return text
    # "罚款1万元以上3万元以下" / "1万元以上3万元以下罚款": the fine written the other way round.
    out = []
    for clause in _CLAUSE.finditer(text):
        part = clause.group()
        money_ = [a for a in amounts(part) if a.unit in ("元", "倍", "%")]
        if "罚款" in part and money_ and not fines(part):
            head = re.sub(r"(?:并处|处以|处|罚款)", "", part[:money_[0].start])
            part = f"{head}处{part[money_[0].start:money_[-1].end]}的罚款"
        out.append(part)
    return "；".join(out)


def _fine_record(fine: Fine) -> dict[str, Any]:
    return {"min": fine.min, "max": fine.max, "unit": fine.unit, "basis": fine.basis, "target": fine.target,
            "label": fine.label()}


def _main_fine(found: list[Fine]) -> dict[str, Any] | None:
    """The fine on the unit (or person) the line is about: {min, max, unit, basis}."""
    own = [f for f in found if f.target is None] or found
    if not own:
        return None
    same = [f for f in own if f.unit == own[0].unit]
    lows = [f.min for f in same if f.min is not None]
    highs = [f.max for f in same if f.max is not None]
    return {"min": min(lows) if lows else None, "max": max(highs) if highs else None, "unit": own[0].unit,
            "basis": own[0].basis}


def _amount(value: float, unit: str) -> str:
    return fine_range({"min": value, "max": value, "unit": unit})


# -- tiers, the report ------------------------------------------------------------------------------------

@dataclass
class Tier:
    """One 情形/阶次 of a bureau's discretion standard, attached to a violation-catalog row."""

    row_id: str  # the catalog row it belongs to
    law: str  # the row's law, as titled in the catalog
    article_no: int
    article_sub: int
    para: int | None  # the row's 款 and 项
    item: int | None
    row_cite: str  # the row's citation: 《中华人民共和国危险化学品安全法》第一百零一条第一款第（十）项
    cited: str  # the line's 处罚依据 as written
    behaviour: str  # the line's 违法行为 as the bureau wrote it
    basis: str  # the line's 违法依据 as written
    level: str  # 情形 / 阶次: 轻微, 一般, 较重, 严重, 第一阶次 ...
    condition: str  # 适用条件 (when the table describes the 情形 in its own column)
    standard: str  # 处罚标准 as written
    fine: dict[str, Any] | None  # the main fine parsed from the standard: {min, max, unit, basis}
    fines: list[dict[str, Any]] = field(default_factory=list)  # every fine of the standard, with who is fined
    note: str = ""  # 备注
    number: str = ""  # the line's 序号
    source: str = ""  # the imported file (its resolved path)
    file: str = ""  # the file's name
    title: str | None = None  # the file's title row
    sample: bool = False  # the file says it is a sample, not a bureau's real standard
    sheet: str = ""  # worksheet name, or 表N of a Word file
    line: int = 0  # row number in the sheet or table
    seq: int = 0  # order within the file

    def fine_label(self) -> str:
        """3万元以下, 1万元–3万元; '' when the standard sets no fine."""
        return fine_range(self.fine)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fine_label"] = self.fine_label()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tier:
        return cls(**{k: v for k, v in data.items() if k != "fine_label"})


@dataclass
class DiscretionReport:
    """What an import did: lines read, tiers attached, lines rejected (with row and reason), warnings."""

    file: str  # the file's name
    source: str
    status: str = "imported"  # imported | replaced | unchanged | rejected (no usable line: nothing changed)
    title: str | None = None
    sample: bool = False
    sheets: list[str] = field(default_factory=list)  # the sheets or tables read
    lines: int = 0  # data lines read (title, header, heading and empty rows not counted)
    tiers: int = 0  # tiers attached (a line citing two 项 attaches two)
    rows: int = 0  # distinct catalog rows the tiers attach to
    replaced: int = 0  # tiers of the file's previous import that this one replaced
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"sheet", "row", "reason"}
    warnings: list[dict[str, Any]] = field(default_factory=list)  # {"sheet", "row" (or None), "reason"}
    same_as: str | None = None  # unchanged: the source already imported with the same content

    @property
    def ok(self) -> bool:
        """Something of the file is in the catalog (now or from before, unchanged)."""
        return self.status != "rejected"

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "source": self.source, "status": self.status, "ok": self.ok, "title": self.title,
                "sample": self.sample, "sheets": self.sheets, "lines": self.lines, "tiers": self.tiers,
                "rows": self.rows, "replaced": self.replaced, "rejected": self.rejected, "warnings": self.warnings,
                "same_as": self.same_as}


# -- resolving a 处罚依据 to catalog rows -----------------------------------------------------------------

class _Bad(Exception):
    """A citation that names no catalog row. `soft`: the article exists but sets no penalty (a 违法依据 cited
    alongside the 处罚依据 is ignored when another citation of the line resolves)."""

    def __init__(self, reason: str, soft: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.soft = soft


class _Resolver:
    def __init__(self, catalog: Catalog, store: ViolationStore):
        self.catalog = catalog
        self.store = store
        self._laws: dict[str, Document | None] = {}
        self._rows: dict[str, dict[tuple[int, int], list[ViolationRow]]] = {}

    def law(self, name: str) -> Document | None:
        key = normalize_title(name)
        if key not in self._laws:
            try:
                self._laws[key] = self.catalog.find_law(name)
            except NotFoundError:
                self._laws[key] = None
        return self._laws[key]

    def _articles(self, doc: Document) -> dict[tuple[int, int], list[ViolationRow]]:
        if doc.doc_id not in self._rows:
            table: dict[tuple[int, int], list[ViolationRow]] = {}
            for row in self.store.rows(doc_ids=[doc.doc_id]):
                table.setdefault((row.article_no, row.article_sub), []).append(row)
            self._rows[doc.doc_id] = table
        return self._rows[doc.doc_id]

    def resolve(self, ref: Reference) -> ViolationRow:
        assert ref.law is not None and ref.article_no is not None
        doc = self.law(ref.law)
        if doc is None:
            raise _Bad(f"知识库中没有《{normalize_title(ref.law)}》；请核对法规名称，或先用 hazkb ingest 导入该法规")
        title = f"《{normalize_title(doc.title)}》"
        label = title + article_label(ref.article_no, ref.article_sub)
        rows = self._articles(doc).get((ref.article_no, ref.article_sub), [])
        if not rows:
            try:
                self.catalog.article(doc.doc_id, ref.article_no, ref.article_sub)
            except NotFoundError:
                raise _Bad(f"{title}中没有{article_label(ref.article_no, ref.article_sub)}；请核对条号") from None
            raise _Bad(f"{label}不是罚则条文，违法行为库中没有它的条目；“处罚依据”应引用法律责任一章的条文",
                       soft=True)
        para_count = rows[0].para_count
        candidates = rows
        where = label
        if ref.paragraph:
            where = f"{label}第{to_chinese(ref.paragraph)}款"
            candidates = [r for r in rows if r.para == ref.paragraph]
            if not candidates:
                if ref.paragraph > para_count:
                    raise _Bad(f"{label}只有{to_chinese(para_count)}款，没有第{to_chinese(ref.paragraph)}款；"
                               "请核对款号")
                raise _Bad(f"{where}不是处罚条款，违法行为库中没有它的条目；请核对款号", soft=True)
        if ref.item:
            hits = [r for r in candidates if r.item == ref.item]
            if not hits:
                items = sorted({r.item for r in candidates if r.item})
                if items:
                    part = "款" if ref.paragraph or len({r.para for r in candidates if r.item}) == 1 else "条"
                    raise _Bad(f"{where}没有第（{to_chinese(ref.item)}）项（该{part}共{to_chinese(max(items))}项）；"
                               "请核对项号")
                raise _Bad(f"{where}不分项，没有第（{to_chinese(ref.item)}）项；请删去项号或核对款号")
            plain = [r for r in hits if not r.variant]
            if len(hits) > 1 and len(plain) == 1:
                hits = plain
            if len(hits) > 1:
                raise _Bad(f"{where}有{len(hits)}款都含第（{to_chinese(ref.item)}）项；请写明第几款，"
                           f"例如“{label}第一款第（{to_chinese(ref.item)}）项”")
            return hits[0]
        paras = sorted({r.para for r in candidates})
        if len(paras) > 1:
            raise _Bad(f"{label}有{to_chinese(para_count)}款，未写明第几款；请写明款号，例如“{label}第一款”")
        whole = [r for r in candidates if r.item is None]
        if whole:
            return whole[0]
        count = len([r for r in candidates if r.item])
        raise _Bad(f"{where}分为{to_chinese(count)}项，未写明第几项；请写明项号，例如“{where}第（一）项”")


# -- reading the lines of a table -------------------------------------------------------------------------

_PENALTY_MARK = re.compile(r"处罚依据[:：]?")
_BASIS_MARK = re.compile(r"违法依据[:：]?")
_LAW_NAME = re.compile(r"《([^《》]{2,60})》")
_ENUM = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|第[一二三四五六七八九十\d]+[部分章节类]、?)\s*")
# A 处罚标准 cell that lists its tiers: "1.情节轻微的，处…；2.情节严重的，处…".
_LEVEL_MARK = re.compile(r"^(?:[（(]?\d+[)）、.．]\s*|[（(][一二三四五六七八九十]+[)）]\s*)?(?:违法)?(?:情节|情形)?"
                         r"(?P<level>特别严重|较轻|轻微|一般|较重|严重|第[一二三四五六七八九十\d]+(?:阶次|档|等次|档次))"
                         r"(?:的)?[：:，,]\s*(?P<rest>.+)$")


@dataclass
class _Line:
    sheet: str
    row: int
    cells: dict[str, str]


def _penalty_citations(text: str) -> str:
    """The 处罚依据 part of a cell: a combined 法律依据 cell reads '违法依据：…处罚依据：…'."""
    text = re.sub(r"\s+", "", text)
    mark = _PENALTY_MARK.search(text)
    if mark:
        text = text[mark.end():]
        basis = _BASIS_MARK.search(text)
        if basis:
            text = text[:basis.start()]
    return text


def _split_levels(standard: str) -> list[tuple[str, str]]:
    """[(level, standard)] of a cell that lists two or more tiers, one per line or clause; [] otherwise."""
    for pieces in (standard.split("\n"), re.split(r"[；;]", standard)):
        pieces = [p.strip() for p in pieces if p.strip()]
        if len(pieces) < 2:
            continue
        found = [_LEVEL_MARK.match(p) for p in pieces]
        if all(found):
            return [(m.group("level"), m.group("rest").rstrip("；;")) for m in found if m]
    return []


def _single_law(text: str, resolver: _Resolver) -> str | None:
    """The one law a cell or heading names (《X》 or a known name), None when it names none or several."""
    names = {normalize_title(n) for n in _LAW_NAME.findall(text)}
    names |= {normalize_title(r.law) for r in parse_references(text) if r.law}
    if not names:
        bare = _ENUM.sub("", re.sub(r"\s+", "", text)).rstrip("：:。")
        bare = re.sub(r"[（(][^）)]*[）)]$", "", bare)
        if 2 <= len(bare) <= 40 and bare[-1] in "法例定则法" and resolver.law(bare) is not None:
            names = {normalize_title(bare)}
    known = {n for n in names if resolver.law(n) is not None}
    return known.pop() if len(known) == 1 else None


class _Reader:
    """Walks a file's sheets: finds each header, skips title, heading and empty rows, carries merged-away values,
    and yields the data lines."""

    def __init__(self, path: Path, sheets: list[_Sheet], preamble: list[str], resolver: _Resolver):
        self.path = path
        self.sheets = sheets
        self.preamble = list(preamble)
        self.resolver = resolver
        self.read: list[str] = []
        self.skipped: list[str] = []

    def lines(self) -> list[tuple[_Line, str | None]]:
        """(line, the law its section heading names)."""
        out: list[tuple[_Line, str | None]] = []
        near: tuple[str, int, dict[str, int]] | None = None
        previous_columns: dict[str, int] | None = None
        previous_width = 0
        for sheet in self.sheets:
            rows = [(n, cells) for n, cells in sheet.rows if any(cells)]
            if not rows:
                continue
            first, start, columns = self._header(rows)
            if columns is None:
                width = max(len(c) for _, c in rows)
                if previous_columns is not None and sheet.word and width == previous_width:
                    # A Word table continued on the next page as a table of its own, without a header.
                    columns, start = previous_columns, 0
                else:
                    for n, cells in rows[:_HEADER_SCAN]:
                        candidate = _columns(cells)
                        if near is None and _near_header(candidate):
                            near = (sheet.name, n, candidate)
                    if any(any(c for c in cells) for _, cells in rows):
                        self.skipped.append(sheet.name)
                    continue
            else:
                self.preamble += [" ".join(dict.fromkeys(c for c in cells if c)) for _, cells in rows[:first]]
            previous_columns, previous_width = columns, max(len(c) for _, c in rows)
            self.read.append(sheet.name)
            out += self._data(sheet.name, rows[start:], columns)
        if not self.read:
            raise self._not_a_table(near)
        return out

    def _header(self, rows: list[tuple[int, list[str]]]) -> tuple[int, int, dict[str, int] | None]:
        """(index of the header row, of the first data row, field -> column); (0, 0, None) without a header."""
        for index, (_, cells) in enumerate(rows[:_HEADER_SCAN]):
            columns = _columns(cells)
            start = index + 1
            if len(columns) >= 2 and start < len(rows):
                # A two-row header: 法律依据 over 违法依据 | 处罚依据, or 裁量 over 阶次 | 处罚标准; the cells of the
                # second row are column names, or the first row's merged down.
                below = rows[start][1]
                names = [_header_field(c) for c in below]
                if any(names) and all(not c or name or (i < len(cells) and c == cells[i])
                                      for i, (c, name) in enumerate(zip(below, names))):
                    merged = [b if name else (cells[i] if i < len(cells) else "")
                              for i, (b, name) in enumerate(zip(below, names))]
                    merged += cells[len(merged):]
                    if _is_header(_columns(merged)):
                        return index, start + 1, _columns(merged)
            if _is_header(columns):
                return index, start, columns
        return 0, 0, None

    def _not_a_table(self, near: tuple[str, int, dict[str, int]] | None) -> DiscretionError:
        if not any(any(c) for s in self.sheets for _, c in s.rows):
            what = "没有任何内容" if any(not s.word for s in self.sheets) else "没有任何表格"
            return _error(self.path, f"文件中{what}，不是裁量基准表；{_COLUMNS_HELP}")
        if near is not None:
            sheet, row, columns = near
            missing = "、".join(f"“{name}”" for key, name in _FIELD_NAMES.items() if key not in columns)
            return _error(self.path, f"“{sheet}”第 {row} 行像是裁量基准表的表头，但缺少{missing}列；请补上该列"
                                     f"（列名可为 处罚依据/法律依据，处罚标准/裁量标准）后再导入")
        return _error(self.path, f"没有找到裁量基准表的表头，这个文件不是裁量基准表；{_COLUMNS_HELP}；"
                                 "请确认表头行的列名后再导入")

    def _data(self, sheet: str, rows: list[tuple[int, list[str]]],
              columns: dict[str, int]) -> list[tuple[_Line, str | None]]:
        out: list[tuple[_Line, str | None]] = []
        section_law: str | None = None
        previous: dict[str, str] | None = None
        for number, cells in rows:
            values = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
            filled = [c for c in cells if c]
            if len(filled) >= 2 and all(_header_field(c) for c in filled):
                continue  # the header repeated (a Word table's header row on each page)
            only = {i for i, c in enumerate(cells) if c}
            if len(set(filled)) == 1 and (len(filled) > 1 or only != {columns["standard"]}):
                # A heading spread across the row (一、危险化学品安全法) or a note under the table.
                section_law = _single_law(filled[0], self.resolver) or section_law
                continue
            if not any(v for k, v in values.items() if k != "seq"):
                continue
            if previous is not None and not values.get("penalty") and (
                    not values.get("behaviour") or values.get("behaviour") == previous.get("behaviour")):
                # Another tier of the line above, its merged-away cells left blank.
                for key in ("seq", "behaviour", "basis", "penalty"):
                    if not values.get(key) and previous.get(key):
                        values[key] = previous[key]
            out.append((_Line(sheet, number, values), section_law))
            previous = values
        return out


# -- import ----------------------------------------------------------------------------------------------

def _place(line: _Line, reason: str) -> dict[str, Any]:
    return {"sheet": line.sheet, "row": line.row, "reason": reason}


def _read_file(path: Path) -> tuple[bytes, str]:
    if not path.exists():
        raise DiscretionError(f"找不到文件 {path}；请检查路径和文件名")
    if path.is_dir():
        raise DiscretionError(f"{path} 是一个目录；请指定一个裁量基准文件（.xlsx 或 .docx）")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DiscretionError(f"无法读取 {path}（{exc.strerror}）；请检查文件权限，或关闭正在打开它的程序") from exc
    return data, content_hash(data)


def _parse_line(line: _Line, section_law: str | None, resolver: _Resolver,
                report: DiscretionReport) -> list[tuple[ViolationRow, dict[str, Any]]] | str:
    """The tiers of one line, each with its row; or the reason the line is rejected."""
    cells = line.cells
    penalty = cells.get("penalty", "")
    if not penalty and _PENALTY_MARK.search(cells.get("basis", "")):
        penalty = cells["basis"]  # one 依据 cell holding both: "违法依据：…处罚依据：…"
    standard = cells.get("standard", "")
    if not penalty:
        return "“处罚依据”为空；请填写所依据的罚则条文，例如《安全生产法》第九十九条第（一）项"
    if not standard:
        return "“处罚标准”为空；请填写该情形的处罚标准，例如“处1万元以上3万元以下的罚款”"
    text = _penalty_citations(penalty)
    refs = [r for r in parse_references(text) if r.article_no]
    if not refs:
        return (f"“处罚依据”中没有可识别的条文引用（“{penalty[:60]}”）；请写成《法规名称》第N条第N款第（N）项，"
                "例如《安全生产法》第九十九条第（一）项")
    default_law = _single_law(cells.get("basis", ""), resolver) or section_law
    rows: list[ViolationRow] = []
    problems: list[_Bad] = []
    for ref in refs:
        if ref.law is None:
            if default_law is None:
                problems.append(_Bad(f"“{ref.raw}”没有写明法规名称；请写成《法规名称》{format_reference(ref)}"))
                continue
            ref.law = default_law
        try:
            row = resolver.resolve(ref)
        except _Bad as bad:
            problems.append(bad)
            continue
        if row.row_id not in {r.row_id for r in rows}:
            rows.append(row)
    if not rows:
        return "；".join(dict.fromkeys(p.reason for p in problems))
    for problem in problems:
        if not problem.soft:
            report.warnings.append(_place(line, f"处罚依据中的另一处引用未能挂接：{problem.reason}"))

    levels = [(cells.get("level", ""), standard)]
    if not cells.get("level"):
        levels = _split_levels(standard) or levels
    tiers: list[tuple[ViolationRow, dict[str, Any]]] = []
    for level, level_standard in levels:
        found = fines(_fine_text(level_standard))
        if not found and "罚款" in level_standard and not _NO_FINE.search(level_standard):
            return (f"“处罚标准”中的罚款数额无法识别（“{level_standard[:60]}”）；请写明数额，例如"
                    "“处1万元以上3万元以下的罚款”或“处5万元以下的罚款”")
        for fine in found:
            if fine.min is not None and fine.max is not None and fine.min > fine.max:
                low, high = _amount(fine.min, fine.unit), _amount(fine.max, fine.unit)
                return f"“处罚标准”的罚款下限（{low}）高于上限（{high}）；请核对数额"
        main = _main_fine(found)
        for row in rows:
            legal = row.fine
            if (main and legal and main["max"] is not None and legal.get("max") is not None
                    and main["unit"] == legal.get("unit") and main["max"] > legal["max"]):
                report.warnings.append(_place(line, f"罚款上限{_amount(main['max'], main['unit'])}超过{row.cite()}"
                                                    f"规定的上限{_amount(legal['max'], main['unit'])}，请核对"))
            tiers.append((row, {"cited": penalty, "behaviour": cells.get("behaviour", ""),
                                "basis": cells.get("basis", ""), "level": level,
                                "condition": cells.get("condition", ""), "standard": level_standard, "fine": main,
                                "fines": [_fine_record(f) for f in found], "note": cells.get("note", ""),
                                "number": cells.get("seq", "")}))
    return tiers


def import_discretion(catalog: Catalog, path: str | Path, source: str | None = None,
                      progress: bool = False) -> DiscretionReport:
    """Import a bureau's discretion table (.xlsx or .docx) and attach its tiers to the violation catalog.

    `source` names the file in the catalog (default: its resolved path); `progress` shows the violation catalog
    being built when it is not yet. Raises DiscretionError when the file cannot be read as a discretion table;
    nothing is stored then.
    """
    path = Path(path)
    data, digest = _read_file(path)
    source = source or str(path.resolve())
    report = DiscretionReport(file=path.name, source=source)
    files = schema.discretion_files
    with catalog.engine.connect() as conn:
        stored = conn.execute(select(files).where(files.c.source == source)).first()
        other = conn.execute(select(files).where(files.c.content_hash == digest, files.c.source != source)).first()
    if stored is not None and stored.content_hash == digest:
        return _unchanged(report, stored)
    if other is not None:
        # The content is in the catalog already, from another file; this file's own outdated tiers go.
        report = _unchanged(report, other)
        if stored is not None:
            try:
                with catalog.engine.begin() as conn:
                    report.replaced = _delete(conn, source)
                    bump_generation(conn)
            except SQLAlchemyError as exc:
                raise StoreError(f"删除过时的裁量基准失败，已回滚（{exc}）") from exc
        return report

    kind = _sniff(path, data)
    preamble: list[str] = []
    if kind == "xlsx":
        sheets = _read_xlsx(path, data)
    else:
        sheets, preamble = _read_docx(path, data)
    store = ViolationStore(catalog)
    store.sync(progress=progress)
    resolver = _Resolver(catalog, store)
    reader = _Reader(path, sheets, preamble, resolver)
    lines = reader.lines()
    report.sheets = reader.read
    for name in reader.skipped:
        report.warnings.append({"sheet": name, "row": None, "reason": f"“{name}”中没有裁量基准表头，已跳过"})
    heading = [t for t in reader.preamble if t]
    report.title = heading[0][:200] if heading else None
    report.sample = any(w in t for t in heading for w in _SAMPLE_WORDS)

    records: list[dict[str, Any]] = []
    attached: set[str] = set()
    report.lines = len(lines)
    for line, section_law in lines:
        result = _parse_line(line, section_law, resolver, report)
        if isinstance(result, str):
            report.rejected.append(_place(line, result))
            continue
        for row, parts in result:
            tier = Tier(row_id=row.row_id, law=row.law, article_no=row.article_no, article_sub=row.article_sub,
                        para=row.para, item=row.item, row_cite=row.cite(), source=source, file=path.name,
                        title=report.title, sample=report.sample, sheet=line.sheet, line=line.row, seq=len(records),
                        **parts)
            records.append(_tier_record(tier, row))
            attached.add(row.row_id)
    report.tiers = len(records)
    report.rows = len(attached)
    if not records:
        report.status = "rejected"
        return report
    report.status = "imported" if stored is None else "replaced"
    try:
        with catalog.engine.begin() as conn:
            report.replaced = _delete(conn, source)
            conn.execute(insert(schema.discretion_tiers), records)
            conn.execute(insert(files), [_file_record(report, digest)])
            bump_generation(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"写入裁量基准失败，已回滚，原有内容未受影响（{exc}）") from exc
    log.info("discretion %s: %d lines, %d tiers, %d rejected", path.name, report.lines, report.tiers,
             len(report.rejected))
    return report


def _tier_record(tier: Tier, row: ViolationRow) -> dict[str, Any]:
    fine = tier.fine or {}
    return {"source": tier.source, "row_id": tier.row_id, "doc_id": row.doc_id, "norm_law": normalize_title(row.law),
            "article_no": tier.article_no, "article_sub": tier.article_sub, "para": tier.para, "item": tier.item,
            "level": tier.level or None, "fine_min": fine.get("min"), "fine_max": fine.get("max"),
            "fine_unit": fine.get("unit"), "line": tier.line, "seq": tier.seq, "data": tier.as_dict()}


def _file_record(report: DiscretionReport, digest: str) -> dict[str, Any]:
    return {"source": report.source, "name": report.file, "content_hash": digest, "title": report.title,
            "sample": int(report.sample), "lines": report.lines, "tiers": report.tiers,
            "report": {"sheets": report.sheets, "rows": report.rows, "rejected": report.rejected,
                       "warnings": report.warnings},
            "imported_at": utc_now()}


def _delete(conn: Connection, source: str) -> int:
    tiers = schema.discretion_tiers
    count = conn.execute(select(func.count()).select_from(tiers).where(tiers.c.source == source)).scalar() or 0
    conn.execute(delete(tiers).where(tiers.c.source == source))
    conn.execute(delete(schema.discretion_files).where(schema.discretion_files.c.source == source))
    return count


def _unchanged(report: DiscretionReport, stored: Any) -> DiscretionReport:
    saved = stored.report or {}
    report.status = "unchanged"
    report.title = stored.title
    report.sample = bool(stored.sample)
    report.lines = stored.lines
    report.tiers = stored.tiers
    report.sheets = saved.get("sheets", [])
    report.rows = saved.get("rows", 0)
    report.rejected = saved.get("rejected", [])
    report.warnings = saved.get("warnings", [])
    if stored.source != report.source:
        report.same_as = stored.source
    return report


# -- reading and removing -------------------------------------------------------------------------------

def tiers_for(catalog: Catalog, row: ViolationRow | str) -> list[Tier]:
    """The discretion tiers attached to a catalog row (or row id), file by file in the files' order."""
    row_id = row if isinstance(row, str) else row.row_id
    tiers = schema.discretion_tiers
    with catalog.engine.connect() as conn:
        found = conn.execute(select(tiers.c.data).where(tiers.c.row_id == row_id)
                             .order_by(tiers.c.source, tiers.c.seq)).all()
    return [Tier.from_dict(r.data) for r in found]


def discretion_files(catalog: Catalog) -> list[dict[str, Any]]:
    """The imported files: source, name, title, sample, lines, tiers, imported_at."""
    files = schema.discretion_files
    with catalog.engine.connect() as conn:
        rows = conn.execute(select(files).order_by(files.c.name, files.c.source)).all()
    return [{"source": r.source, "file": r.name, "title": r.title, "sample": bool(r.sample), "lines": r.lines,
             "tiers": r.tiers, "imported_at": r.imported_at} for r in rows]


def remove_discretion(catalog: Catalog, source: str | Path) -> int:
    """Drop an imported file's tiers; `source` is the stored source, the file's path or its name (when only one
    imported file has that name). Returns the number of tiers removed."""
    files = schema.discretion_files
    text = str(source)
    with catalog.engine.connect() as conn:
        known = [(r.source, r.name) for r in conn.execute(select(files.c.source, files.c.name))]
    wanted = {text, str(Path(text).expanduser().resolve())}
    matches = [s for s, _ in known if s in wanted] or [s for s, name in known if name == Path(text).name]
    if not matches:
        listed = "、".join(name for _, name in known) or "（无）"
        raise NotFoundError(f"没有导入过裁量基准“{text}”；已导入的文件：{listed}")
    if len(matches) > 1:
        raise NotFoundError(f"有 {len(matches)} 个已导入的文件名为“{Path(text).name}”；请用完整路径指定：" +
                            "、".join(matches))
    try:
        with catalog.engine.begin() as conn:
            removed = _delete(conn, matches[0])
            bump_generation(conn)
            return removed
    except SQLAlchemyError as exc:
        raise StoreError(f"删除裁量基准失败，已回滚（{exc}）") from exc
