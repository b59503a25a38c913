"""The 现场考试 tab: its components and their wiring (layout.py calls `connection_watch`, `build` and `on_load`).

The inspector fills in the form and starts the exam; the examinee answers on the phone. The exam id stays in a
server-side State; the paper with its keys stays in the exam book. The page's scripts (quiz_present.CONNECTION_JS)
keep the exam id in the address and in the browser with a resume key, mark answers the server has not confirmed,
resend them, and show a banner while the server cannot be reached; on page load the exam comes back
(ExamHandlers.restore_on_load).
"""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from quiz.exam import NO_ID
from quiz.model import ENTERPRISE_TYPES, ROLES

from . import present
from . import quiz_present as qp
from .events import PRIVATE
from .exam_handlers import EXAM_VIEW, ExamHandlers

SCROLL_TO_TOP = "() => { document.getElementById('tab-exam')?.scrollIntoView(); }"
SCROLL_TO_RESULT = "() => { document.getElementById('exam-result')?.scrollIntoView(); }"
FOCUS_RESTORE_ID = ("() => { setTimeout(() => document.querySelector('#exam-restore-idnumber input, "
                    "#exam-restore-idnumber textarea')?.focus(), 300); }")
NO_ID_LABEL = NO_ID  # the checkbox says what it fills in (quiz.exam.NO_ID)


@dataclass
class ExamPage:
    view: dict  # EXAM_VIEW name -> component
    client: gr.Textbox  # the browser's state (exam in the address, resume key, unsaved answers) as JSON

    @property
    def outputs(self) -> list:
        return [self.view[name] for name in EXAM_VIEW]


def connection_watch() -> gr.HTML:
    """The page-wide script: unsaved answers, the address, the Chinese banner while the server is unreachable."""
    return gr.HTML(elem_id="hz-conn", js_on_load=qp.CONNECTION_JS, container=False)


def _saver(qh: ExamHandlers, position: int):
    """The save handler of one item of the sheet (gradio passes only the inputs)."""
    def save(exam_id, value):
        return qh.save_answer(position, exam_id, value)

    save.__name__ = f"save_answer_{position}"
    return save


def build(qh: ExamHandlers) -> ExamPage:
    """The tab's content; call inside `with gr.Tab("现场考试", ...)`."""
    exam_id = gr.State(None)
    armed = gr.State(False)  # 交卷 pressed once with unanswered items: the next press submits
    restore_exam = gr.State(None)  # the exam a page load found in this browser, until the ID number confirms it
    client = gr.Textbox(visible=False, elem_id="exam-client")  # filled by qp.CLIENT_JS when an event starts
    with gr.Column(visible=True, elem_id="exam-form") as exam_form:
        gr.HTML(present.notice(
            "检查人员填写考生信息后点“开始考试”，再把手机或平板交给考生作答。试卷按岗位和企业类型从已审核的"
            "题库中随机抽取，每题作答后自动保存，交卷后当场评分。带 * 的为必填项。", "info"))
        with gr.Row():
            enterprise = gr.Textbox(label="企业名称 *", min_width=240, elem_id="exam-enterprise")
            etype = gr.Dropdown(label="企业类型 *", choices=list(ENTERPRISE_TYPES), value=None, min_width=200,
                                elem_id="exam-etype")
        with gr.Row():
            person = gr.Textbox(label="姓名 *", min_width=200, elem_id="exam-person")
            with gr.Column(min_width=240):
                id_number = gr.Textbox(label="身份证号 *", placeholder="18 位居民身份证号",
                                       elem_id="exam-idnumber")
                no_id = gr.Checkbox(label=NO_ID_LABEL, value=False, elem_id="exam-noid")
        with gr.Row():
            role = gr.Dropdown(label="岗位 *", choices=list(ROLES), value=None, min_width=200, elem_id="exam-role")
            inspector = gr.Textbox(label="检查人员 *", min_width=200, elem_id="exam-inspector")
        start_btn = gr.Button("开始考试", variant="primary", elem_id="exam-start")
        form_msg = gr.HTML(elem_id="exam-form-msg")
        with gr.Accordion("继续未交卷的考试（换用其他设备时）", open=False, elem_id="exam-resume"):
            with gr.Row():
                resume_id = gr.Textbox(label="考试编号", min_width=200, elem_id="exam-resume-id")
                with gr.Column(min_width=200):
                    resume_idn = gr.Textbox(label="身份证号", elem_id="exam-resume-idnumber")
                    resume_noid = gr.Checkbox(label=NO_ID_LABEL, value=False, elem_id="exam-resume-noid")
            resume_btn = gr.Button("继续考试", elem_id="exam-resume-btn")
    with gr.Column(visible=False, elem_id="exam-restore") as restore_box:
        restore_msg = gr.HTML(elem_id="exam-restore-msg")
        restore_idn = gr.Textbox(label="身份证号 *", placeholder="18 位居民身份证号", elem_id="exam-restore-idnumber")
        restore_noid = gr.Checkbox(label=NO_ID_LABEL, value=False, elem_id="exam-restore-noid")
        with gr.Row():
            restore_btn = gr.Button("继续考试", variant="primary", min_width=160, elem_id="exam-restore-btn")
            leave_btn = gr.Button("返回考试登记", min_width=160, elem_id="exam-restore-leave")
    with gr.Column(visible=False, elem_id="exam-sheet", elem_classes=["hz-sheet"]) as exam_sheet:
        timer = gr.HTML(elem_id="exam-timer", js_on_load=qp.TIMER_JS)
        sheet_head = gr.HTML(elem_id="exam-head")

        # Every component and listener has a key: gradio may run this render twice for one change (on page load
        # the State's change fires again when the selected tab mounts); with keys the second run keeps the first
        # one's ids, so a tap or the 时间到 press in between still reaches its handler.
        @gr.render(inputs=[exam_id], triggers=[exam_id.change], show_progress="minimal")
        def exam_items(current):
            view = qh.sheet_view(current)  # Exam.public_view(): no keys, explanations or bases
            if view is None:
                return
            tag = f"exam-{view['exam_id']}"
            boxes = []
            for item in view["paper"]["items"]:
                position = item["position"]
                saved = view["answers"].get(str(position), "")
                common = dict(label=qp.item_label(item), info=qp.item_info(item),
                              choices=qp.item_choices(item), key=f"{tag}-{position}",
                              elem_id=f"exam-q{position}", elem_classes=["hz-q"])
                with gr.Column(elem_classes=["hz-qcard"], key=f"{tag}-card-{position}"):  # one card per item
                    if item["qtype"] == "多选":
                        box = gr.CheckboxGroup(value=list(saved), **common)
                    else:
                        box = gr.Radio(value=saved or None, **common)
                box.input(_saver(qh, position), [exam_id, box], sheet_msg, trigger_mode="always_last",
                          show_progress="hidden", key=f"{tag}-save-{position}", **PRIVATE)
                boxes.append(box)
            submit_btn = gr.Button("交卷", variant="primary", elem_id="exam-submit", key=f"{tag}-submit")
            timeout_btn = gr.Button("时间到", visible="hidden", elem_id="exam-timeout", key=f"{tag}-timeout")
            submit_btn.click(qh.submit_exam, [exam_id, armed, *boxes], outputs, key=f"{tag}-submit-click",
                             **PRIVATE).then(None, js=SCROLL_TO_RESULT, key=f"{tag}-submit-scroll", **PRIVATE)
            timeout_btn.click(qh.submit_on_timeout, [exam_id, *boxes], outputs, key=f"{tag}-timeout-click",
                              **PRIVATE).then(None, js=SCROLL_TO_RESULT, key=f"{tag}-timeout-scroll", **PRIVATE)

        # Pressed by the page's script: resend the answers the server has not confirmed.
        retry_btn = gr.Button("重新提交未保存的答案", visible="hidden", elem_id="exam-retry")
        sheet_msg = gr.HTML(elem_id="exam-saved")
    with gr.Column(visible=False, elem_id="exam-result") as exam_result:
        result_head = gr.HTML(elem_id="exam-result-view")
        with gr.Row():
            record_btn = gr.DownloadButton("下载答题记录（Word，可打印）", visible=False, variant="primary",
                                           min_width=220, elem_id="exam-record")
            next_btn = gr.Button("下一位考生", min_width=160, elem_id="exam-next")
        result_items = gr.HTML(elem_id="exam-result-items")

    page = ExamPage(view={
        "exam_id": exam_id, "armed": armed, "form": exam_form, "sheet": exam_sheet, "result": exam_result,
        "form_msg": form_msg, "head": sheet_head, "timer": timer, "sheet_msg": sheet_msg, "result_head": result_head,
        "result_items": result_items, "record": record_btn, "restore": restore_box, "restore_msg": restore_msg,
        "restore_exam": restore_exam}, client=client)
    outputs = page.outputs

    no_id.input(qh.no_id_changed, no_id, id_number, **PRIVATE)
    resume_noid.input(qh.no_id_changed, resume_noid, resume_idn, **PRIVATE)
    restore_noid.input(qh.no_id_changed, restore_noid, restore_idn, **PRIVATE)
    start_btn.click(qh.start_exam, [enterprise, etype, person, id_number, no_id, role, inspector], outputs,
                    **PRIVATE).then(None, js=SCROLL_TO_TOP, **PRIVATE)
    resume_btn.click(qh.resume_exam, [resume_id, resume_idn, resume_noid, client], outputs, js=qp.CLIENT_JS,
                     **PRIVATE).then(None, js=SCROLL_TO_TOP, **PRIVATE)
    restore_btn.click(qh.confirm_restore, [restore_exam, restore_idn, restore_noid, client], outputs,
                      js=qp.CLIENT_JS, **PRIVATE).then(None, js=SCROLL_TO_TOP, **PRIVATE)
    restore_idn.submit(qh.confirm_restore, [restore_exam, restore_idn, restore_noid, client], outputs,
                       js=qp.CLIENT_JS, **PRIVATE).then(None, js=SCROLL_TO_TOP, **PRIVATE)
    leave_btn.click(qh.leave_restore, restore_exam, outputs, **PRIVATE)
    retry_btn.click(qh.save_kept, [exam_id, client], sheet_msg, js=qp.CLIENT_JS, trigger_mode="once",
                    show_progress="hidden", **PRIVATE)
    next_btn.click(qh.new_exam, None, [*outputs, person, id_number, no_id], **PRIVATE).then(
        None, js=SCROLL_TO_TOP, **PRIVATE)
    return page


def on_load(demo: gr.Blocks, qh: ExamHandlers, page: ExamPage, tabs: gr.Tabs) -> None:
    """On page load, bring back the exam in the address (or the one this browser kept)."""
    demo.load(qh.restore_on_load, page.client, [*page.outputs, tabs], js=qp.CLIENT_JS, **PRIVATE).then(
        None, js=FOCUS_RESTORE_ID, **PRIVATE)
