"""The 违法行为库 page: rows of the violation catalog, found from a finding or listed by law, subject, sanction."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from corpus.violations.views import SANCTIONS

from . import present
from . import violation_present as vio_present
from .events import PRIVATE
from .service import ALL_LAWS, ANY_UNIT, unit_type_choices
from .violation_handlers import ALL_SANCTIONS, ALL_SUBJECTS, ViolationHandlers


@dataclass
class ViolationsPage:
    page: gr.State
    query: gr.Textbox
    search: gr.Button
    clear: gr.Button
    law: gr.Dropdown
    subject: gr.Dropdown
    sanction: gr.Dropdown
    unit_type: gr.Dropdown
    info: gr.HTML
    rows: gr.HTML
    prev: gr.Button
    next: gr.Button
    detail: gr.HTML

    def out(self, marks: gr.State) -> list:
        return [self.page, marks, self.info, self.rows, self.prev, self.next]


def build() -> ViolationsPage:
    page = gr.State(0)
    with gr.Row(equal_height=True):
        query = gr.Textbox(label="检查发现（用日常语言描述，查找对应的违法行为）", lines=1, scale=5, min_width=260,
                           elem_id="vio-query", placeholder="例如：储存场所没设安全警示标志；留空则按筛选条件列出")
        search = gr.Button("查找", variant="primary", scale=1, min_width=80, elem_id="vio-search")
        clear = gr.Button("清除", scale=0, min_width=70, elem_id="vio-clear")
    with gr.Row():
        law = gr.Dropdown(label="法规", choices=[ALL_LAWS], value=ALL_LAWS, filterable=True, scale=2, min_width=240,
                          elem_id="vio-law")
        subject = gr.Dropdown(label="违法主体", choices=[ALL_SUBJECTS], value=ALL_SUBJECTS, scale=1, min_width=150,
                              elem_id="vio-subject")
        sanction = gr.Dropdown(label="处罚种类", choices=[ALL_SANCTIONS, *SANCTIONS], value=ALL_SANCTIONS, scale=1,
                               min_width=150, elem_id="vio-sanction")
        # As on the 法规问答 page: a finding searched is matched for the unit's type (only a search uses it).
        unit_type = gr.Dropdown(label="被检查单位类型（按描述查找时）", choices=unit_type_choices(), value=ANY_UNIT,
                                scale=1, min_width=150, elem_id="vio-unit-type")
    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            info = gr.HTML(elem_id="vio-info")
            rows = gr.HTML(elem_id="vio-list", js_on_load=present.NAV_JS)
            with gr.Row(equal_height=True):
                prev = gr.Button("上一页", size="sm", visible=False, min_width=90, elem_id="vio-prev")
                next_ = gr.Button("下一页", size="sm", visible=False, min_width=90, elem_id="vio-next")
        with gr.Column(scale=3, min_width=320):
            detail = gr.HTML(vio_present.detail_placeholder(), elem_id="vio-detail", js_on_load=present.NAV_JS)
    return ViolationsPage(page, query, search, clear, law, subject, sanction, unit_type, info, rows, prev, next_,
                          detail)


def wire(page: ViolationsPage, vh: ViolationHandlers, marks: gr.State) -> None:
    filters = [page.query, page.law, page.subject, page.sanction, page.unit_type]
    out = page.out(marks)
    page.search.click(vh.listing, filters, out, **PRIVATE)
    page.query.submit(vh.listing, filters, out, **PRIVATE)
    for box in (page.law, page.subject, page.sanction, page.unit_type):
        box.input(vh.listing, filters, out, **PRIVATE)
    page.clear.click(vh.clear, filters[1:], [page.query, *out], **PRIVATE)
    page.prev.click(vh.previous, [*filters, page.page], out, **PRIVATE)
    page.next.click(vh.next, [*filters, page.page], out, **PRIVATE)
