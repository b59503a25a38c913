"""The 法规问答 page: a finding in plain words -> 执法依据 (conclusion, copyable block, cited articles)."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from corpus.model import Level

from . import present
from .events import PRIVATE
from .handlers import Handlers
from .service import ALL_LAWS, ANY_UNIT, unit_type_choices

EXAMPLES = [
    "储存场所没设安全警示标志，依据哪条？怎么罚？",
    "危化品仓库没有专人管理怎么处罚",
    "企业未按规定对从业人员进行安全培训",
    "一书一签不全怎么罚",
    "检查记录：1.剧毒化学品没有双人收发；2.液氯钢瓶和氨气瓶混放；3.装卸区没有设置静电接地装置",
]


@dataclass
class QaPage:
    question: gr.Textbox
    ask_btn: gr.Button
    unit_type: gr.Dropdown
    law: gr.Dropdown
    as_of: gr.Textbox
    levels: gr.CheckboxGroup
    notice: gr.HTML
    conclusion: gr.HTML
    block: gr.Textbox
    result: gr.HTML


def build() -> QaPage:
    with gr.Row(equal_height=True):
        question = gr.Textbox(label="检查发现的问题（回车查询）", lines=1, max_lines=6, scale=5, min_width=300,
                              placeholder="用日常语言描述，例如：储存场所没设安全警示标志，依据哪条？怎么罚？",
                              elem_id="qa-question")
        # The unit's type is chosen once per inspection; a finding that does not say what the unit is then gets
        # the special law's rows for it (危险化学品生产: 危化法 before 安全生产法).
        unit_type = gr.Dropdown(label="被检查单位类型", choices=unit_type_choices(), value=ANY_UNIT,
                                scale=1, min_width=160, elem_id="qa-unit-type")
        ask_btn = gr.Button("查询依据", variant="primary", scale=1, min_width=120, elem_id="qa-ask")
    with gr.Accordion("筛选条件：法规、效力层级、有效日期", open=False, elem_id="qa-filters"):
        with gr.Row():
            law = gr.Dropdown(label="只查某部法规", choices=[ALL_LAWS], value=ALL_LAWS, filterable=True, scale=2,
                              elem_id="qa-law")
            as_of = gr.Textbox(label="按某日有效的版本", placeholder="YYYY-MM-DD，留空为今天", scale=1,
                               elem_id="qa-asof")
        levels = gr.CheckboxGroup(label="效力层级（不选即全部）", choices=[lv.value for lv in Level],
                                  elem_id="qa-levels")
    gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="示例问题")
    notice = gr.HTML(elem_id="qa-notice")
    conclusion = gr.HTML(elem_id="qa-conclusion", js_on_load=present.NAV_JS)
    block = gr.Textbox(label="执法依据（可复制；只含“确定”的依据，可直接粘贴到执法文书）", lines=3, max_lines=12,
                       interactive=False, visible=False, buttons=["copy"], elem_id="qa-block")
    result = gr.HTML(elem_id="qa-result", js_on_load=present.NAV_JS)
    return QaPage(question, ask_btn, unit_type, law, as_of, levels, notice, conclusion, block, result)


def wire(page: QaPage, h: Handlers, marks: gr.State) -> None:
    out = [page.notice, page.conclusion, page.block, page.result, marks]
    inputs = [page.question, page.law, page.levels, page.as_of, page.unit_type]
    page.ask_btn.click(h.ask, inputs, out, **PRIVATE)
    page.question.submit(h.ask, inputs, out, **PRIVATE)
