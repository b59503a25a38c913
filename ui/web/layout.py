"""The app: its tabs, one builder per page, and the wiring that joins pages (the shared admin login, links that open
a row or an article in another page, what a page load fills in).

Pages: 法规问答 (qa_page), 条文检索 (browse_page) and 违法行为库 (violations_page) are open; links in answers and rows
open a row or an article, and ?row= / ?unit= in the address open one on load. 现场考试 (exam_page) is open: the
inspector starts an exam, the examinee answers on the phone; ?exam= brings an exam back on load. 题库与组卷
(bank_page), 评测 (eval_page) and 知识库 (admin_page) need the admin login (admin_gate), one login for the three.
"""
from __future__ import annotations

import gradio as gr

from . import admin_gate, admin_page, auth, bank_page, browse_page, eval_page, exam_page, qa_page, violations_page
from .admin_gate import Gate
from .bank_handlers import BankHandlers
from .eval_handlers import EvalHandlers
from .eval_page import DEFAULT_LAW
from .events import PRIVATE
from .exam_handlers import ExamHandlers
from .handlers import Handlers
from .service import WebService
from .violation_handlers import ViolationHandlers

APP_TITLE = "危化安监知识库"
# After a link opened a row or an article: bring it into view (on a phone it sits below the list; on a desktop
# only when it is off the screen).
SCROLL_TO_OPENED = ("() => { const shown = ['vio-detail', 'browse-article'].map((id) => document.getElementById(id))"
                    ".find((el) => el && el.offsetParent !== null); if (!shown) return; "
                    "const top = shown.getBoundingClientRect().top; "
                    "if (window.innerWidth < 768 || top < 0 || top > window.innerHeight * 0.6) "
                    "shown.scrollIntoView({behavior: 'smooth', block: 'start'}); }")


def _gate_sync(h: Handlers, count: int):
    def sync(is_admin):
        return h.gates(is_admin, count)

    return sync


def build(service: WebService) -> gr.Blocks:
    h = Handlers(service)
    xh, bh, eh = ExamHandlers(service), BankHandlers(service), EvalHandlers(service)
    vh = ViolationHandlers(service, h)
    admin_on = service.admin_enabled
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(900, 1800), fill_width=True) as demo:
        is_admin = gr.State(False)
        # A login's session token, on its way into the HttpOnly cookie (auth.SYNC_SESSION), then cleared.
        ticket = gr.Textbox(visible=False, elem_id="admin-ticket")
        qa_marks = gr.State({})  # the last answer's rows and how sure it is of each (shown when one is opened)
        vio_marks = gr.State({})  # the same for the last search of the 违法行为库 page
        header = gr.HTML(elem_id="hz-header")
        exam_page.connection_watch()  # unsaved answers, the exam in the address, the banner while offline

        with gr.Tabs(elem_id="hz-tabs") as tabs:
            with gr.Tab("法规问答", id="qa", elem_id="tab-qa"):
                qa = qa_page.build()
            with gr.Tab("条文检索", id="browse", elem_id="tab-browse"):
                browse = browse_page.build()
            with gr.Tab("违法行为库", id="violations", elem_id="tab-violations"):
                vio = violations_page.build()
            with gr.Tab("现场考试", id="exam", elem_id="tab-exam"):
                exam = exam_page.build(xh)
            gates: list[Gate] = []
            with gr.Tab("题库与组卷", id="bank", elem_id="tab-bank"):
                if admin_on:
                    bank = bank_page.build(bh, is_admin)
                    gates.append(bank.gate)
                else:
                    admin_gate.disabled("题库与组卷需要管理员登录。", "bank-disabled")
            with gr.Tab("评测", id="eval", elem_id="tab-eval"):
                if admin_on:
                    gates.append(eval_page.build(eh, is_admin))
                else:
                    admin_gate.disabled("评测需要管理员登录。", "eval-disabled")
            with gr.Tab("知识库", id="admin", elem_id="tab-admin"):
                if admin_on:
                    admin = admin_page.build(h, is_admin, [header, qa.law, browse.law_pick, vio.law])
                    gates.append(admin.gate)
                else:
                    admin_gate.disabled("知识库管理需要管理员登录。", "admin-disabled")

        if admin_on:  # one login, shared by the three admin pages' forms
            gate_view = [c for g in gates for c in (g.login_box, g.panel, g.message)]
            # One login at a time (with the delay after a failure): guessing is throttled overall.
            login_queue = {"concurrency_limit": 1, "concurrency_id": "admin-login", **PRIVATE}
            for g in gates:
                session = [is_admin, g.login_box, g.panel, g.message, g.password, ticket]
                for event in (g.login_btn.click(h.login, [g.user, g.password], session + admin.data, **login_queue),
                              g.password.submit(h.login, [g.user, g.password], session + admin.data, **login_queue),
                              g.logout_btn.click(h.logout, None, session + admin.data, **PRIVATE)):
                    event.then(None, ticket, ticket, js=auth.SYNC_SESSION, **PRIVATE).then(
                        _gate_sync(h, len(gates)), is_admin, gate_view, **PRIVATE).then(
                        bh.bank_data, bank.view_in, bank.view, **PRIVATE).then(
                        bh.records_data, is_admin, bank.records_table, **PRIVATE)

        qa_page.wire(qa, h, qa_marks)
        browse_page.wire(browse, h)
        violations_page.wire(vio, vh, vio_marks)
        # The row and article links of every page open the row (违法行为库) or the article (条文检索).
        opened = [tabs, vio.detail, browse.law_pick, *browse.law_view]
        for links in (qa.conclusion, qa.result, vio.rows, vio.detail):
            links.click(vh.navigate, [vio_marks, qa_marks], opened, **PRIVATE).then(None, js=SCROLL_TO_OPENED,
                                                                                   **PRIVATE)

        demo.load(h.header, None, header, **PRIVATE)
        demo.load(h.law_filter_update, None, qa.law, **PRIVATE)
        demo.load(h.browse_init, None, [browse.law_pick, *browse.law_view], **PRIVATE).then(
            vh.deep_link, None, opened, **PRIVATE).then(None, js=SCROLL_TO_OPENED, **PRIVATE)
        demo.load(vh.init, None, [vio.law, vio.subject, *vio.out(vio_marks)], **PRIVATE)
        exam_page.on_load(demo, xh, exam, tabs)
        if admin_on:
            demo.load(lambda: bh.law_choices(DEFAULT_LAW), None, bank.gen_law, **PRIVATE)
    return demo
