"""HTML for the 违法行为库 page: the list of rows (each a link that opens it) and one row in full.

Pure presentation, as present.py: functions take row records (corpus.violations.views.row_record, completed by
ViolationDesk.row) or ViolationRow objects and return escaped HTML. No gradio here.
"""
from __future__ import annotations

from urllib.parse import quote

from corpus.legal_text import fine_text
from corpus.violations import (
    KIND_CRIMINAL,
    KIND_OFFICIALS,
    KIND_OTHER,
    KIND_PENALTY,
    KIND_REFERRAL,
    LINK_EXPLICIT,
    LINK_REVIEWED,
    LINK_SELF,
    LINK_WORDING,
    ViolationRow,
)

from .present import (
    CONFIDENCE_CLASS,
    CONFIRMED,
    _e,
    article_link,
    confidence_badge,
    display_source,
    meta_line,
    notice,
    row_link,
    standard_html,
)
from .uploads import UploadStore

LINK_CLASS = {LINK_EXPLICIT: "explicit", LINK_REVIEWED: "reviewed", LINK_WORDING: "wording", LINK_SELF: "reviewed"}
EVIDENCE_LABEL = {LINK_EXPLICIT: "原文引用", LINK_REVIEWED: "核定说明", LINK_WORDING: "匹配依据", LINK_SELF: "核定说明"}
LINK_HELP = {LINK_EXPLICIT: "处罚条文写明了违反的条款", LINK_REVIEWED: "经人工核定的对应关系",
             LINK_WORDING: "按违法行为与义务条款的相同措辞自动关联，请核对",
             LINK_SELF: "该项本身就是禁止性规定，违法依据与处罚依据为同一条款"}
KIND_NAMES = {KIND_PENALTY: "行政处罚", KIND_REFERRAL: "转致他法处罚", KIND_OFFICIALS: "公职人员责任",
              KIND_CRIMINAL: "刑事责任", KIND_OTHER: "其他法律责任"}
BEHAVIOUR_SHOWN = 90  # characters of a behaviour in the list


def _short(text: str, n: int = BEHAVIOUR_SHOWN) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def list_info(text: str) -> str:
    return f'<div class="hz-list-info">{_e(text)}</div>'


def row_item(row: ViolationRow, confidence: str | None = None, parallel: list[ViolationRow] | None = None,
             notes: list[str] | None = None, successor: ViolationRow | None = None) -> str:
    """One row in the list: a link (the whole card) showing the mark, 处罚依据, behaviour, fine and department, the
    superseded law's parallel rows, and the new law's row when this one's law was replaced."""
    fine = fine_text(row.fine) or "无罚款"
    meta = [fine, row.department or "执法部门未写明", row.subject]
    kind = f" hz-vrow-{CONFIDENCE_CLASS.get(confidence or '', 'plain')}"
    extra = ""
    if parallel:
        extra += ('<div class="hz-vrow-parallel">对照条款：'
                  + "、".join(_e(p.cite()) for p in parallel) + "</div>")
    if successor is not None:
        extra += f'<div class="hz-vrow-successor">新法对应条款：{_e(successor.cite())}</div>'
    for note in notes or []:
        extra += f'<div class="hz-vrow-note">{_e(note)}</div>'
    kind_badge = ""
    if row.kind != KIND_PENALTY:  # a referral, officials' liability, a crime: told apart at a glance
        kind_badge = f'<span class="hz-badge hz-kind">{_e(KIND_NAMES.get(row.kind, row.kind))}</span>'
    body = (f'<div class="hz-vrow-head">{confidence_badge(confidence)}<span class="hz-cite">{_e(row.cite())}</span>'
            f'{kind_badge}</div><div class="hz-vrow-behaviour">{_e(_short(row.behaviour))}</div>'
            f'<div class="hz-vrow-meta">{" · ".join(_e(m) for m in meta)}</div>{extra}')
    origin = "search" if confidence else "list"
    href = quote(row.row_id, safe="")
    return (f'<a class="hz-vrow{kind}" href="?row={href}" data-hz-row="{_e(row.row_id)}"'
            f' data-hz-from="{origin}" data-confidence="{_e(confidence or "")}">{body}</a>')


def rows_html(items: list[str], empty: str) -> str:
    if not items:
        return f'<div class="hz-placeholder">{_e(empty)}</div>'
    return '<div class="hz-vlist">' + "".join(items) + "</div>"


def detail_placeholder() -> str:
    return '<div class="hz-placeholder">点击列表中的条目，查看违法行为、违法依据、处罚依据和罚款幅度。</div>'


def _obligation(o: dict) -> str:
    link = o["link"]
    cite = o["cite"]
    badge = (f'<span class="hz-link hz-link-{LINK_CLASS.get(link, "wording")}" title="{_e(LINK_HELP.get(link, ""))}">'
             f'{_e(o["link_name"])}</span>')
    evidence = ""
    # The phrase a wording link matched is always shown; a citation or a reviewer's note when it adds to the quote.
    if o.get("evidence") and (link == LINK_WORDING or o["evidence"] not in (o.get("quote") or "")):
        evidence = (f'<div class="hz-evidence"><span class="hz-std-key">{_e(EVIDENCE_LABEL.get(link, "说明"))}</span>'
                    f'{_e(o["evidence"])}</div>')
    text = f'<blockquote class="hz-quote">{_e(o["quote"])}</blockquote>' if o.get("quote") else (
        '<div class="hz-muted">知识库中没有该条文的原文。</div>')
    opener = article_link(o.get("unit_id"), f"在条文检索中打开{o['article']}")
    return (f'<li class="hz-obl" data-link="{_e(link)}"><div class="hz-obl-head">'
            f'<span class="hz-cite">{_e(cite)}</span>{badge}</div>{evidence}{text}'
            f'<div class="hz-actions">{opener}</div></li>')


def _related_rows(title: str, rows: list[dict], note: str) -> str:
    if not rows:
        return ""
    items = "".join(f'<li>{row_link(r["id"], r["cite"], "row")}<div class="hz-muted">{_e(_short(r["behaviour"]))}'
                    "</div></li>" for r in rows)
    return (f'<section class="hz-vsec hz-vsec-parallel"><h4>{_e(title)}</h4><div class="hz-muted">{_e(note)}</div>'
            f'<ul class="hz-vrefs">{items}</ul></section>')


def row_detail(record: dict, mark: dict | None = None, uploads: UploadStore | None = None) -> str:
    """One row in full: behaviour and subject; 处罚依据 with the 项 quote and the 款 penalty clause; fine range,
    sanctions and department; each 违法依据 with how it was linked and its quote; the parallel rows; links that open
    the cited articles in 条文检索. `mark`: how the search (or the answer) that led here matched it."""
    penalty, doc = record["penalty"], record["doc"]
    badges = [f'<span class="hz-badge hz-kind">{_e(KIND_NAMES.get(record["kind"], record["kind"]))}</span>',
              f'<span class="hz-badge">违法主体：{_e(record["subject"])}</span>']
    head_mark = ""
    if mark and mark.get("confidence"):
        where = "查找结果" if mark.get("origin") == "search" else "本次问答"
        sure = mark["confidence"] == CONFIRMED
        explain = "与描述相符" if sure else "请对照原文核对"
        head_mark = (f'<div class="hz-vmark">{confidence_badge(mark["confidence"])}'
                     f'<span>{_e(where)}：{_e(explain)}</span></div>')
    notes = "".join(notice(n, "warn", "提示：") for n in (mark or {}).get("notes", []))
    subject = _e(record["subject_text"]) if record["subject_text"] else _e(record["subject"])
    clause = ""
    if penalty["clause"] and penalty["clause"] != penalty["quote"]:
        clause = (f'<div class="hz-item hz-clause"><span class="hz-item-label">按该款</span>'
                  f'{_e(penalty["clause"])}</div>')
    item_kind = "项" if penalty["item"] else "款"
    referral = ""
    if record.get("referral"):
        referred = record.get("referred")
        target = f'，即{_e(referred["cite"])}（{_e(referred["link_name"])}）' if referred else ""
        referral = (f'<div class="hz-evidence"><span class="hz-std-key">转致</span>'
                    f'依照{_e(record["referral"])}处罚{target}</div>')
    standard = standard_html(record["fine"], record["sanctions"], record["department"], record["department_text"])
    if not standard:
        standard = '<div class="hz-muted">该条款未规定罚款等处罚（见条文原文）。</div>'
    if record["obligations"]:
        obligations = f'<ul class="hz-obls">{"".join(_obligation(o) for o in record["obligations"])}</ul>'
    else:
        obligations = '<div class="hz-muted">无单独的义务条款：该项本身即为禁止性规定。</div>'
    successor = record.get("successor")
    opener = article_link(penalty.get("unit_id"), f"在条文检索中打开{penalty['article']}")
    return (
        f'<div class="hz-vdetail" data-row="{_e(record["id"])}">'
        '<a class="hz-back" href="#vio-info">↑ 返回列表</a>'  # phones: the list is above, often long
        f'<h3>{_e(record["cite"])}</h3>{head_mark}'
        f'<div class="hz-meta">{"".join(badges)}</div>'
        f'{meta_line(doc["level"], doc["status"], doc["effective"], doc.get("version"))}'
        f"{notes}"
        f'<section class="hz-vsec"><h4>违法行为</h4><p class="hz-behaviour">{_e(record["behaviour"])}</p>'
        f'<div class="hz-muted">违法主体：{subject}</div></section>'
        f'<section class="hz-vsec hz-vsec-penalty"><h4>处罚依据<span class="hz-cite">{_e(record["cite"])}</span></h4>'
        f'<div class="hz-item"><span class="hz-item-label">{item_kind}</span>{_e(penalty["quote"])}</div>{clause}'
        f'<div class="hz-actions">{opener}</div>'
        f"</section>"
        f'<section class="hz-vsec"><h4>处罚标准</h4>{standard}{referral}</section>'
        f'<section class="hz-vsec hz-vsec-obligation"><h4>违法依据<span class="hz-count">'
        f'{len(record["obligations"])} 条</span></h4>{obligations}</section>'
        + _related_rows("对照条款", record.get("parallels", []),
                        "被新法取代的原法规中的对应条款，仅供对照；新法施行后适用本条。")
        + _related_rows("新法对应条款", [successor] if successor else [],
                        "本条所在法规已被新法取代或为下位法，新法施行后优先适用以下条款。")
        + f'<footer class="hz-source">编号：{_e(record["id"])} · 来源：{_e(display_source(doc["source"], uploads))}'
        f"</footer></div>"
    )
