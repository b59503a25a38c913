"""The violation catalog as records (CLI --json, the web page, the Excel export) and filtered lists."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import HazkbError
from ..names import normalize_title
from ..spreadsheet import safe_row
from .model import LINK_NAMES, LINK_REVIEWED, ViolationRow
from .referrals import referred_for

SANCTIONS = ("警告", "罚款", "没收", "责令停产停业整顿", "暂扣、暂停", "吊销", "关闭", "拘留", "处分", "追究刑事责任")


def row_record(row: ViolationRow) -> dict[str, Any]:
    """One row: id, behaviour, subject, 处罚依据 with both quotes, obligations with how they were linked, fine,
    department and sanctions."""
    return {
        "id": row.row_id,
        "cite": row.cite(),
        "behaviour": row.behaviour,
        "subject": row.subject,
        "subject_text": row.subject_text,
        "kind": row.kind,
        "penalty": {"law": row.law, "article": row.article, "article_no": row.article_no, "para": row.para,
                    "item": row.item, "label": row.label, "quote": row.item_quote, "clause": row.clause_quote},
        "obligations": [{"law": o.law, "article": o.article, "article_no": o.article_no, "para": o.para,
                         "cite": o.cite(), "link": o.link, "link_name": LINK_NAMES.get(o.link, o.link),
                         "evidence": o.evidence, "quote": o.quote} for o in row.obligations],
        "fine": row.fine,
        "department": row.department,
        "department_text": row.department_text,
        "sanctions": row.sanctions.names(),
        "referral": row.sanctions.referral,
        "referred": _referred(row),
    }


def _referred(row: ViolationRow) -> dict[str, Any] | None:
    """Where a referral row leads, when a reviewer named the provision (reviewed_referrals.tsv)."""
    found = referred_for(row.key) if row.sanctions.referral else None
    if found is None:
        return None
    return {"law": found.title, "article_no": found.article, "para": found.para, "item": found.item,
            "cite": found.cite(), "link": LINK_REVIEWED, "link_name": LINK_NAMES[LINK_REVIEWED],
            "evidence": found.evidence}


def filter_rows(rows: list[ViolationRow], law: str | None = None, subject: str | None = None,
                sanction: str | None = None, kind: str | None = None) -> list[ViolationRow]:
    """Rows of a law (any of its names), a subject category, naming a sanction, of a kind."""
    if sanction and sanction not in SANCTIONS:
        raise HazkbError(f"处罚种类“{sanction}”无效；可选：{'、'.join(SANCTIONS)}")
    out = rows
    if law:
        wanted = normalize_title(law)
        out = [r for r in out if normalize_title(r.law) == wanted]
    if subject:
        out = [r for r in out if r.subject == subject]
    if kind:
        out = [r for r in out if r.kind == kind]
    if sanction:
        out = [r for r in out if sanction in r.sanctions.names()]
    return out


EXPORT_COLUMNS = ("编号", "违法行为", "违法主体", "违法依据", "违法依据关联方式", "处罚依据", "处罚依据原文（项）",
                  "处罚条款原文（款）", "罚款下限", "罚款上限", "罚款单位", "处罚种类", "执法部门", "转致")


def _money(value: float | None) -> float | str:
    return "" if value is None else value


def _referral_cell(row: ViolationRow) -> str:
    """"依照《邮政法》处罚，即《中华人民共和国邮政法》第七十五条第一款（人工核定）"; empty when the row sanctions
    by itself."""
    if not row.sanctions.referral:
        return ""
    to = _referred(row)
    return f"依照{row.sanctions.referral}处罚" + (f"，即{to['cite']}（{to['link_name']}）" if to else "")


def export_rows(rows: list[ViolationRow], path: Path) -> int:
    """Write the rows to an Excel workbook (one sheet, one line per row); returns the count written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    if path.suffix.lower() != ".xlsx":
        raise HazkbError(f"导出文件应为 .xlsx，实际为“{path.name}”；例如 hazkb violations export 违法行为库.xlsx")
    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has one sheet; keeps the type checker sure of it
        sheet = book.create_sheet()
    sheet.title = "违法行为库"
    sheet.append(list(EXPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        fine = row.fine or {}
        sheet.append(safe_row([  # a behaviour or quote starting with = - + @ stays text
            row.row_id, row.behaviour, row.subject, "；".join(o.cite() for o in row.obligations),
            "；".join(LINK_NAMES.get(o.link, o.link) for o in row.obligations), row.cite(), row.item_quote,
            row.clause_quote, _money(fine.get("min")), _money(fine.get("max")), fine.get("unit") or "",
            "、".join(row.sanctions.names()), row.department or "", _referral_cell(row),
        ]))
    for column, width in zip("ABCDEFGHIJKLMN", (36, 50, 12, 40, 14, 40, 60, 60, 10, 10, 8, 30, 24, 40)):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as exc:
        raise HazkbError(f"无法写入 {path}（{exc.strerror}）；请检查目录是否存在、文件是否被 Excel 打开") from exc
    return len(rows)
