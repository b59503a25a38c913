"""Event handlers of the 违法行为库 page, and the in-page links of every page (a row of the 违法行为库, an article of
条文检索): parse what the page sent, call ViolationDesk (the library), return what the page shows.

Each method's return tuple matches the outputs wired in layout.py, in order.
"""
from __future__ import annotations

import logging
import math

import gradio as gr

from corpus.errors import HazkbError
from retriever.citation import ROLE_PARALLEL, ROLE_PENALTY
from retriever.enforcement import RowMatch

from . import present
from . import violation_present as vp
from .handlers import INTERNAL_ERROR, Handlers
from .service import ALL_LAWS, WebService, chosen_unit_type
from .violation_service import PAGE_SIZE

log = logging.getLogger(__name__)

ALL_SUBJECTS = "全部违法主体"
ALL_SANCTIONS = "全部处罚种类"
TAB_ID = "violations"  # the page's tab id (layout.py)
BROWSE_TAB_ID = "browse"
BROWSE_OUTPUTS = 7  # Handlers.jump: law, doc header, chapter, article list, list info, article view, related


def _choice(value: str | None, everything: str) -> str | None:
    value = (value or "").strip()
    return None if not value or value == everything else value


def _page(value) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def marks_of(found: list[RowMatch], origin: str = "search") -> dict[str, dict]:
    """What the detail view says of a row the search (or an answer) matched: row id -> confidence, notes."""
    return {f.row.row_id: {"confidence": f.confidence, "notes": list(f.notes), "origin": origin} for f in found}


def answer_marks(answer) -> dict[str, dict]:
    """The rows an answer rests on, and the parallels it cites, with the answer's confidence in each."""
    marks = {r["row_id"]: {"confidence": r["confidence"], "notes": [], "origin": "qa"} for r in answer.rows}
    for c in answer.citations:
        if c.row_id and c.row_id not in marks and c.role in (ROLE_PENALTY, ROLE_PARALLEL):
            marks[c.row_id] = {"confidence": c.confidence, "notes": [], "origin": "qa"}
    return marks


class ViolationHandlers:
    def __init__(self, service: WebService, articles: Handlers):
        self.service = service
        self.articles = articles  # the 条文检索 handlers: an article link opens there

    @property
    def desk(self):
        return self.service.violations

    # -- page load -----------------------------------------------------------------------------------

    def init(self):
        """-> (law filter, subject filter, *listing outputs)"""
        try:
            laws, subjects = self.desk.laws(), self.desk.subjects()
        except Exception:
            log.exception("violation catalog failed to load")
            failed = present.notice(INTERNAL_ERROR, "error", "违法行为库载入失败：")
            return (gr.update(), gr.update(), 0, {}, failed, "", gr.update(visible=False), gr.update(visible=False))
        return (gr.update(choices=[ALL_LAWS, *laws]), gr.update(choices=[ALL_SUBJECTS, *subjects]),
                *self.listing("", ALL_LAWS, ALL_SUBJECTS, ALL_SANCTIONS))

    # -- the list ------------------------------------------------------------------------------------

    def listing(self, query: str | None, law: str | None, subject: str | None, sanction: str | None,
                unit_type: str | None = None, page=0):
        """A finding searched (rows with 确定 / 待核对; for the inspected unit's type, when one is chosen), or the
        filtered rows a page at a time.
        -> (page, search marks, info html, list html, previous-page button, next-page button)"""
        no_pager = (gr.update(visible=False), gr.update(visible=False))
        text = (query or "").strip()
        law_name, subject_name, sanction_name = (_choice(law, ALL_LAWS), _choice(subject, ALL_SUBJECTS),
                                                 _choice(sanction, ALL_SANCTIONS))
        scope = "、".join(x for x in (law_name and f"《{law_name}》", subject_name, sanction_name) if x)
        unit_name = chosen_unit_type(unit_type)
        searched_for = "、".join(x for x in (scope, unit_name and f"按{unit_name}") if x)
        try:
            if text:
                found = self.desk.search(text, law_name, subject_name, sanction_name, unit_type=unit_name)
                firm = sum(f.confidence == present.CONFIRMED for f in found)
                where = f"（{searched_for}）" if searched_for else ""
                if found:
                    info = f"“{text}”{where}：找到 {len(found)} 条，其中确定 {firm} 条；点击条目查看详情"
                elif not self.desk.searchable(law_name):
                    info = (f"按描述查找只覆盖危险化学品安全监管相关法规，不含《{law_name}》；"
                            "请清空查找框，按法规浏览该法规的条目")
                else:
                    info = f"“{text}”{where}：违法行为库中没有相符的条目，请换一种说法或放宽筛选条件"
                items = [self._item(f.row, f) for f in found]
                return (0, marks_of(found), vp.list_info(info), vp.rows_html(items, "没有相符的条目"), *no_pager)
            rows = self.desk.listing(law_name, subject_name, sanction_name)
        except HazkbError as exc:
            return (0, {}, present.notice(str(exc), "error", "查找失败："), "", *no_pager)
        except Exception:
            log.exception("violation search failed: %s", text)
            return (0, {}, present.notice(INTERNAL_ERROR, "error", "查找失败："), "", *no_pager)
        pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
        page = min(_page(page), pages - 1)
        shown = rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        info = f"{scope or '全部现行有效法规'}：共 {len(rows)} 条"
        if pages > 1:
            info += f"，第 {page + 1}/{pages} 页（第 {page * PAGE_SIZE + 1}–{page * PAGE_SIZE + len(shown)} 条）"
        items = [self._item(r) for r in shown]
        return (page, {}, vp.list_info(info), vp.rows_html(items, "没有符合筛选条件的条目"),
                gr.update(visible=pages > 1, interactive=page > 0),
                gr.update(visible=pages > 1, interactive=page < pages - 1))

    def _item(self, row, found: RowMatch | None = None) -> str:
        """A row in the list, with the superseded law's parallels and the new law's successor; a searched row with
        its mark (and the parallels the search placed beside it)."""
        parallels, successor = self.desk.relations(row.row_id)
        if found is None:
            return vp.row_item(row, None, parallels, None, successor)
        return vp.row_item(row, found.confidence, found.parallel or parallels, found.notes, successor)

    def previous(self, query, law, subject, sanction, unit_type, page):
        return self.listing(query, law, subject, sanction, unit_type, _page(page) - 1)

    def next(self, query, law, subject, sanction, unit_type, page):
        return self.listing(query, law, subject, sanction, unit_type, _page(page) + 1)

    def clear(self, law, subject, sanction, unit_type):
        """Empty the search box and list the filtered rows again. -> (query, *listing outputs)"""
        return ("", *self.listing("", law, subject, sanction, unit_type))

    # -- one row, and the links of every page --------------------------------------------------------

    def detail(self, row_id: str | None, mark: dict | None = None) -> str:
        if not row_id:
            return vp.detail_placeholder()
        try:
            record = self.desk.row(row_id)
        except HazkbError as exc:
            return present.notice(str(exc), "error")
        except Exception:
            log.exception("violation row failed: %s", row_id)
            return present.notice(INTERNAL_ERROR, "error")
        return vp.row_detail(record, mark, self.service.uploads)

    def navigate(self, search_marks: dict | None, qa_marks: dict | None, evt: gr.EventData):
        """A link clicked in an answer, the list or a row: open the row here, or the article in 条文检索.
        -> (tabs, row detail, *条文检索 outputs of Handlers.jump)"""
        data = getattr(evt, "_data", None) or {}
        row_id, unit_id, origin = data.get("row") or "", data.get("unit") or "", data.get("origin") or ""
        marks = {"qa": qa_marks, "search": search_marks}.get(origin) or {}
        return self._open(row_id, unit_id, marks.get(row_id))

    def deep_link(self, request: gr.Request):
        """The app opened at ?row=<row id> or ?unit=<unit id> (a link opened in a new tab or shared)."""
        params = getattr(request, "query_params", None) or {}
        return self._open(params.get("row") or "", params.get("unit") or "", None)

    def _open(self, row_id: str, unit_id: str, mark: dict | None):
        keep = (gr.update(),) * BROWSE_OUTPUTS
        if row_id:
            return (gr.update(selected=TAB_ID), self.detail(row_id, mark), *keep)
        if unit_id:
            return (gr.update(selected=BROWSE_TAB_ID), gr.update(), *self.articles.jump(unit_id))
        return (gr.update(), gr.update(), *keep)
