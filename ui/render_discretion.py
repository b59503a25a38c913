"""Plain-text rendering of a bureau's 裁量基准 (discretion standards): the import report and a row's tiers.

Both take the JSON records (DiscretionReport.as_json(), Tier.as_dict(), views.row_record), as --json prints them.
"""
from __future__ import annotations

import re
from typing import Any

from .render import fine_cell

_STATUS = {
    "imported": "已导入",
    "replaced": "已导入，替换了该文件上次导入的内容",
    "unchanged": "文件未变化，未重复导入",
    "rejected": "没有一行可以导入，未作任何改动",
}
_SAMPLE = "注意：该文件标注为样例（非正式），不是应急管理部门发布的裁量基准，不得用于执法。"


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _place(sheet: str | None, row: int | None, named: bool) -> str:
    """第 7 行, 工作表“裁量基准”第 7 行, 表1第 5 行."""
    prefix = ""
    if named and sheet:
        prefix = sheet if re.fullmatch(r"表\d+", sheet) else f"工作表“{sheet}”"
    return prefix + f"第 {row} 行"


def _entry(sign: str, entry: dict[str, Any], named: bool) -> str:
    if not entry.get("row"):
        return f"  {sign} {entry['reason']}"
    return f"  {sign} {_place(entry.get('sheet'), entry['row'], named)}：{entry['reason']}"


def _named(sheets: list[str]) -> bool:
    """Name the sheet in a place when there are several, or when it is a Word table (表1第 5 行)."""
    return len(sheets) > 1 or any(re.fullmatch(r"表\d+", s) for s in sheets)


def import_report(data: dict[str, Any]) -> str:
    """`hazkb violations import`: what happened, the counts, every rejected line and warning with its place."""
    status = _STATUS.get(data["status"], data["status"])
    if data.get("same_as"):
        status = f"内容与已导入的 {data['same_as']} 相同，未重复导入"
    lines = [f"裁量基准 {data['file']}：{status}"]
    if data.get("title"):
        lines.append(f"标题：{data['title']}")
    lines.append(f"读取 {data['lines']} 行，挂接 {data['tiers']} 条裁量阶次（对应违法行为库 {data['rows']} 个条目），"
                 f"拒绝 {len(data['rejected'])} 行")
    if data.get("replaced"):
        done = "已删除" if data["status"] == "unchanged" else "已替换"
        lines.append(f"{done}该文件上次导入的 {data['replaced']} 条裁量阶次")
    named = _named(data.get("sheets") or [])
    lines += [_entry("✗", e, named) for e in data["rejected"]]
    lines += [_entry("!", w, named) for w in data["warnings"]]
    if data.get("sample"):
        lines.append(_SAMPLE)
    if data["status"] == "rejected":
        lines.append("请按上面列出的原因修改文件后重新导入；此前导入的内容（如有）保持不变。")
    return "\n".join(lines)


def tiers_text(row: dict[str, Any], tiers: list[dict[str, Any]]) -> str:
    """`hazkb violations tiers`: the row, its statutory fine, then each file's tiers in the file's order."""
    lines = [f"{row['cite']}（{row['id']}）", f"违法行为：{row['behaviour']}",
             f"法定罚款：{fine_cell(row.get('fine'))}"]
    if not tiers:
        lines.append("该条目没有已导入的裁量基准；可用 hazkb violations import 裁量基准.xlsx 导入本局的裁量基准。")
        return "\n".join(lines)
    source = None
    for tier in tiers:
        if tier["source"] != source:
            source = tier["source"]
            head = f"裁量基准：{tier['file']}" + (f"，{tier['title']}" if tier.get("title") else "")
            lines += ["", head + ("（样例，非正式，不得用于执法）" if tier.get("sample") else "")]
        lines.append(f"  {tier['level'] or '（未分阶次）'}：{_one_line(tier['standard'])}")
        if tier.get("condition"):
            lines.append(f"    适用条件：{_one_line(tier['condition'])}")
        if tier.get("fine_label"):
            lines.append(f"    罚款：{tier['fine_label']}")
        where = _place(tier.get("sheet"), tier.get("line"), True)
        lines.append(f"    出处：{where}，处罚依据：{''.join(tier['cited'].split())}")
    return "\n".join(lines)
