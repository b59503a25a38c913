"""The page: every tab, component and event wiring of the web app, in one place.

Tabs: 法规问答, 条文检索 and 违法行为库 (open; links in answers and rows open a row or an article in this page, and
?row= / ?unit= in the address open one on load), 现场考试 (open: the inspector starts an exam, the examinee answers
on the phone; built in exam_page.py, ?exam= in the address brings an exam back on load),
题库与组卷, 评测 and 知识库 (admin: one login, shared by the three tabs' login forms).
"""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from corpus.model import Level
from corpus.violations.views import SANCTIONS
from quiz.model import ENTERPRISE_TYPES, ROLES

from . import auth, exam_page, present
from . import quiz_present as qp
from . import violation_present as vio_present
from .handlers import ALL_CHAPTERS, Handlers
from .quiz_handlers import BANK_SUFFIXES, EVAL_SOURCES, EXPORT_SCOPES, REVIEW_FILTERS, QuizHandlers
from .service import ALL_LAWS, WebService
from .uploads import ALLOWED_SUFFIXES, MAX_UPLOAD_LABEL
from .violation_handlers import ALL_SANCTIONS, ALL_SUBJECTS, ViolationHandlers

APP_TITLE = "危化安监知识库"
EXAMPLES = [
    "储存场所没设安全警示标志，依据哪条？怎么罚？",
    "危化品仓库没有专人管理怎么处罚",
    "企业未按规定对从业人员进行安全培训",
    "一书一签不全怎么罚",
]
PRIVATE = {"api_visibility": "private"}  # the page calls these; API clients cannot
# On a phone the article opens below the list: bring it into view.
SCROLL_TO_ARTICLE = ("() => { if (window.innerWidth < 768) "
                     "document.getElementById('browse-article')?.scrollIntoView({behavior: 'smooth'}); }")
# After a link opened a row or an article: bring it into view (on a phone it sits below the list; on a desktop
# only when it is off the screen).
SCROLL_TO_OPENED = ("() => { const shown = ['vio-detail', 'browse-article'].map((id) => document.getElementById(id))"
                    ".find((el) => el && el.offsetParent !== null); if (!shown) return; "
                    "const top = shown.getBoundingClientRect().top; "
                    "if (window.innerWidth < 768 || top < 0 || top > window.innerHeight * 0.6) "
                    "shown.scrollIntoView({behavior: 'smooth', block: 'start'}); }")
DEFAULT_LAW = "危险化学品安全管理条例"


@dataclass
class Gate:
    """The admin login form of one tab and the panel it opens; every tab's gate follows the one login state."""

    login_box: gr.Column
    panel: gr.Column
    user: gr.Textbox
    password: gr.Textbox
    login_btn: gr.Button
    message: gr.HTML
    logout_btn: gr.Button | None = None


def _login_form(prefix: str, intro: str) -> tuple:
    with gr.Column(visible=True, elem_id=f"{prefix}-login") as login_box:
        gr.HTML(present.notice(intro, "info"))
        user = gr.Textbox(label="管理员账号", elem_id=f"{prefix}-user")
        password = gr.Textbox(label="密码", type="password", elem_id=f"{prefix}-password")
        login_btn = gr.Button("登录", variant="primary", elem_id=f"{prefix}-login-btn")
        message = gr.HTML(elem_id=f"{prefix}-login-msg")
        gr.HTML(f'<div class="hz-list-info">{present._e(auth.LOGIN_HINT)}</div>')
    return login_box, user, password, login_btn, message


def _admin_bar(prefix: str) -> gr.Button:
    with gr.Row(equal_height=True):
        gr.HTML('<div class="hz-admin-bar">已以管理员身份登录</div>')
        return gr.Button("退出登录", size="sm", scale=0, min_width=100, elem_id=f"{prefix}-logout")


def _reviewer(qh: QuizHandlers, action: str):
    def review(qid, is_admin, review_filter, text):
        return qh.set_review(action, qid, is_admin, review_filter, text)

    review.__name__ = f"review_{action}"
    return review


def _gate_sync(h: Handlers, count: int):
    def sync(is_admin):
        return h.gates(is_admin, count)

    return sync


def build(service: WebService) -> gr.Blocks:
    h = Handlers(service)
    qh = QuizHandlers(service)
    vh = ViolationHandlers(service, h)
    admin_on = service.admin_enabled
    gates: list[Gate] = []
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(900, 1800), fill_width=True) as demo:
        is_admin = gr.State(False)
        # A login's session token, on its way into the HttpOnly cookie (auth.SYNC_SESSION), then cleared.
        ticket = gr.Textbox(visible=False, elem_id="admin-ticket")
        qa_marks = gr.State({})  # the last answer's rows and how sure it is of each (shown when one is opened)
        vio_marks = gr.State({})  # the same for the last search of the 违法行为库 page
        header = gr.HTML(elem_id="hz-header")
        exam_page.connection_watch()  # unsaved answers, the exam in the address, the banner while offline

        with gr.Tabs(elem_id="hz-tabs") as tabs:
            # -- 法规问答 --------------------------------------------------------------------------
            with gr.Tab("法规问答", id="qa", elem_id="tab-qa"):
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="检查发现的问题（回车查询）", lines=1, max_lines=6, scale=5,
                                          min_width=300,
                                          placeholder="用日常语言描述，例如：储存场所没设安全警示标志，依据哪条？怎么罚？",
                                          elem_id="qa-question")
                    ask_btn = gr.Button("查询依据", variant="primary", scale=1, min_width=120, elem_id="qa-ask")
                with gr.Accordion("筛选条件：法规、效力层级、有效日期", open=False, elem_id="qa-filters"):
                    with gr.Row():
                        law = gr.Dropdown(label="只查某部法规", choices=[ALL_LAWS], value=ALL_LAWS, filterable=True,
                                          scale=2, elem_id="qa-law")
                        as_of = gr.Textbox(label="按某日有效的版本", placeholder="YYYY-MM-DD，留空为今天", scale=1,
                                           elem_id="qa-asof")
                    levels = gr.CheckboxGroup(label="效力层级（不选即全部）", choices=[lv.value for lv in Level],
                                              elem_id="qa-levels")
                gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="示例问题")
                qa_notice = gr.HTML(elem_id="qa-notice")
                qa_conclusion = gr.HTML(elem_id="qa-conclusion", js_on_load=present.NAV_JS)
                block = gr.Textbox(label="执法依据（可复制；只含“确定”的依据，可直接粘贴到执法文书）", lines=3,
                                   max_lines=12, interactive=False, visible=False, buttons=["copy"],
                                   elem_id="qa-block")
                qa_result = gr.HTML(elem_id="qa-result", js_on_load=present.NAV_JS)

            # -- 条文检索 --------------------------------------------------------------------------
            with gr.Tab("条文检索", id="browse", elem_id="tab-browse"):
                with gr.Row():
                    with gr.Column(scale=2, min_width=320):
                        law_pick = gr.Dropdown(label="法规（可输入名称筛选）", choices=[], filterable=True,
                                               elem_id="browse-law")
                        doc_info = gr.HTML(elem_id="browse-doc")
                        chapter = gr.Dropdown(label="章节", choices=[ALL_CHAPTERS], value=ALL_CHAPTERS,
                                              elem_id="browse-chapter")
                        with gr.Row(equal_height=True):
                            query = gr.Textbox(label="在本法规中检索",
                                               placeholder="关键词或条号，如：警示标志、第二十条",
                                               scale=4, elem_id="browse-query")
                            search_btn = gr.Button("检索", scale=1, min_width=80, elem_id="browse-search")
                        list_info = gr.HTML(elem_id="browse-info")
                        articles = gr.Radio(label="条文", choices=[], elem_classes=["hz-list"],
                                            elem_id="browse-articles")
                    with gr.Column(scale=3, min_width=320):
                        article_view = gr.HTML(elem_id="browse-article")
                        related = gr.Dropdown(label="打开关联条文", choices=[], interactive=False,
                                              elem_id="browse-related")

            # -- 违法行为库 ------------------------------------------------------------------------
            with gr.Tab("违法行为库", id="violations", elem_id="tab-violations"):
                vio_page = gr.State(0)
                with gr.Row(equal_height=True):
                    vio_query = gr.Textbox(label="检查发现（用日常语言描述，查找对应的违法行为）", lines=1, scale=5,
                                           min_width=260, elem_id="vio-query",
                                           placeholder="例如：储存场所没设安全警示标志；留空则按筛选条件列出")
                    vio_search = gr.Button("查找", variant="primary", scale=1, min_width=80, elem_id="vio-search")
                    vio_clear = gr.Button("清除", scale=0, min_width=70, elem_id="vio-clear")
                with gr.Row():
                    vio_law = gr.Dropdown(label="法规", choices=[ALL_LAWS], value=ALL_LAWS, filterable=True, scale=2,
                                          min_width=240, elem_id="vio-law")
                    vio_subject = gr.Dropdown(label="违法主体", choices=[ALL_SUBJECTS], value=ALL_SUBJECTS, scale=1,
                                              min_width=150, elem_id="vio-subject")
                    vio_sanction = gr.Dropdown(label="处罚种类", choices=[ALL_SANCTIONS, *SANCTIONS],
                                               value=ALL_SANCTIONS, scale=1, min_width=150, elem_id="vio-sanction")
                with gr.Row():
                    with gr.Column(scale=2, min_width=320):
                        vio_info = gr.HTML(elem_id="vio-info")
                        vio_list = gr.HTML(elem_id="vio-list", js_on_load=present.NAV_JS)
                        with gr.Row(equal_height=True):
                            vio_prev = gr.Button("上一页", size="sm", visible=False, min_width=90, elem_id="vio-prev")
                            vio_next = gr.Button("下一页", size="sm", visible=False, min_width=90, elem_id="vio-next")
                    with gr.Column(scale=3, min_width=320):
                        vio_detail = gr.HTML(vio_present.detail_placeholder(), elem_id="vio-detail",
                                             js_on_load=present.NAV_JS)

            # -- 现场考试（无需登录）: ui/web/exam_page.py ------------------------------------------------
            with gr.Tab("现场考试", id="exam", elem_id="tab-exam"):
                exam = exam_page.build(qh)

            # -- 题库与组卷（管理员）--------------------------------------------------------------------
            with gr.Tab("题库与组卷", id="bank", elem_id="tab-bank"):
                if not admin_on:
                    gr.HTML(present.notice(auth.DISABLED_TEXT, "info", "题库与组卷需要管理员登录。"),
                            elem_id="bank-disabled")
                else:
                    login_box, user, password, login_btn, login_msg = _login_form(
                        "bank", "导入题库、生成与审核题目、组卷和考试记录需要管理员登录；现场考试无需登录。")
                    with gr.Column(visible=False, elem_id="bank-panel") as bank_panel:
                        logout_btn = _admin_bar("bank")
                        bank_stats = gr.HTML(elem_id="bank-stats")
                        with gr.Tabs(elem_id="bank-tabs"):
                            with gr.Tab("导入题库", id="bank-import-tab"):
                                bank_file = gr.File(label="题库文件（标准模板或培训平台导出的 .xlsx，或 .csv、.json）",
                                                    file_types=list(BANK_SUFFIXES), elem_id="bank-file")
                                bank_roles = gr.CheckboxGroup(
                                    label="适用岗位（文件中未注明的题目按此标注；不选即适用所有岗位）",
                                    choices=list(ROLES), elem_id="bank-roles")
                                bank_types = gr.CheckboxGroup(label="适用企业类型（同上；不选即适用所有企业类型）",
                                                              choices=list(ENTERPRISE_TYPES), elem_id="bank-types")
                                import_btn = gr.Button("导入题库", variant="primary", elem_id="bank-import")
                                import_result = gr.HTML(elem_id="bank-import-result")
                            with gr.Tab("生成题目", id="bank-generate-tab"):
                                gr.HTML(present.notice("从法规条文自动出题（判断、单选、多选、依据题），每题附解析和依据条文；"
                                                       "生成的题目为“待审核”，审核通过后才用于组卷。", "info"))
                                with gr.Row():
                                    gen_law = gr.Dropdown(label="法规（可输入名称筛选）", choices=[], filterable=True,
                                                          scale=3, min_width=260, elem_id="bank-gen-law")
                                    gen_n = gr.Number(label="题数", value=10, precision=0, minimum=1, maximum=200,
                                                      scale=1, min_width=100, elem_id="bank-gen-n")
                                    gen_seed = gr.Number(label="随机种子", value=0, precision=0, scale=1, min_width=100,
                                                         elem_id="bank-gen-seed")
                                gen_btn = gr.Button("生成题目", variant="primary", elem_id="bank-generate")
                                gen_result = gr.HTML(elem_id="bank-gen-result")
                            with gr.Tab("审核题目", id="bank-review-tab"):
                                with gr.Row(equal_height=True):
                                    review_filter = gr.Radio(label="审核状态", choices=REVIEW_FILTERS,
                                                             value=REVIEW_FILTERS[0][1], scale=2, min_width=280,
                                                             elem_id="bank-review-filter")
                                    bank_search = gr.Textbox(label="按题干、编号或依据筛选（回车）", scale=2,
                                                             min_width=220, elem_id="bank-search")
                                bank_info = gr.HTML(elem_id="bank-info")
                                bank_table = gr.Dataframe(headers=qp.QUESTION_HEADERS, interactive=False, wrap=True,
                                                          max_height=420, column_widths=qp.QUESTION_WIDTHS,
                                                          elem_id="bank-table")
                                bank_item = gr.Dropdown(label="选择题目", choices=[], filterable=True,
                                                        elem_id="bank-item")
                                item_view = gr.HTML(elem_id="bank-item-view")
                                with gr.Row():
                                    approve_btn = gr.Button("审核通过", variant="primary", min_width=100,
                                                            elem_id="bank-approve")
                                    retire_btn = gr.Button("停用", variant="stop", min_width=100, elem_id="bank-retire")
                                    draft_btn = gr.Button("退回待审核", min_width=100, elem_id="bank-draft")
                                review_msg = gr.HTML(elem_id="bank-review-msg")
                            with gr.Tab("组卷", id="bank-paper-tab"):
                                paper = gr.State(None)  # the drawn paper, keys included: server-side only
                                gr.HTML(present.notice("按考试蓝图（岗位 + 企业类型）从已审核的题目中抽题组卷，"
                                                       "可导出 Word 试卷打印；"
                                                       "随机种子相同则抽出的试卷相同，留空为随机。", "info"))
                                with gr.Row():
                                    paper_role = gr.Dropdown(label="岗位", choices=list(ROLES), value=None,
                                                             min_width=180, elem_id="paper-role")
                                    paper_type = gr.Dropdown(label="企业类型", choices=list(ENTERPRISE_TYPES),
                                                             value=None, min_width=180, elem_id="paper-type")
                                    paper_seed = gr.Textbox(label="随机种子（可留空）", min_width=140,
                                                            elem_id="paper-seed")
                                paper_btn = gr.Button("组卷", variant="primary", elem_id="paper-build")
                                with gr.Row(equal_height=True):
                                    paper_key = gr.Checkbox(label="含答案、解析和依据（检查人员用）", value=False,
                                                            elem_id="paper-with-key")
                                    paper_docx_btn = gr.Button("导出 Word 试卷", elem_id="paper-docx")
                                paper_msg = gr.HTML(elem_id="paper-msg")
                                paper_file = gr.File(label="Word 试卷", interactive=False, elem_id="paper-file")
                                paper_view = gr.HTML(elem_id="paper-view")
                            with gr.Tab("导出与考试记录", id="bank-export-tab"):
                                gr.Markdown("### 导出题库")
                                with gr.Row(equal_height=True):
                                    export_scope = gr.Radio(label="导出范围", choices=EXPORT_SCOPES, value="all",
                                                            elem_id="bank-export-scope")
                                    export_btn = gr.Button("导出 Excel", elem_id="bank-export")
                                export_msg = gr.HTML(elem_id="bank-export-msg")
                                export_file = gr.File(label="题库 Excel", interactive=False, elem_id="bank-export-file")
                                gr.Markdown("### 考试记录")
                                records_table = gr.Dataframe(headers=qp.RECORD_HEADERS, interactive=False, wrap=True,
                                                             max_height=420, column_widths=qp.RECORD_WIDTHS,
                                                             elem_id="records-table")
                                records_btn = gr.Button("刷新并导出考试记录（Excel）", elem_id="records-export")
                                records_msg = gr.HTML(elem_id="records-msg")
                                records_file = gr.File(label="考试记录 Excel", interactive=False,
                                                       elem_id="records-file")
                    gates.append(Gate(login_box, bank_panel, user, password, login_btn, login_msg, logout_btn))

                    bank_view = [bank_stats, bank_info, bank_table, bank_item]
                    view_in = [is_admin, review_filter, bank_search]
                    import_btn.click(qh.import_bank, [bank_file, bank_roles, bank_types, *view_in],
                                     [import_result, bank_file, *bank_view], **PRIVATE)
                    gen_btn.click(qh.generate, [gen_law, gen_n, gen_seed, *view_in], [gen_result, *bank_view],
                                  **PRIVATE)
                    review_filter.change(qh.bank_data, view_in, bank_view, **PRIVATE)
                    bank_search.submit(qh.bank_data, view_in, bank_view, **PRIVATE)
                    bank_item.input(qh.show_item, [bank_item, is_admin], item_view, **PRIVATE)
                    for button, action in ((approve_btn, "approve"), (retire_btn, "retire"), (draft_btn, "draft")):
                        button.click(_reviewer(qh, action), [bank_item, *view_in],
                                     [review_msg, item_view, *bank_view], **PRIVATE)
                    paper_btn.click(qh.build_paper, [paper_role, paper_type, paper_seed, is_admin],
                                    [paper, paper_view, paper_file], **PRIVATE)
                    paper_docx_btn.click(qh.paper_docx, [paper, paper_key, is_admin], [paper_msg, paper_file],
                                         **PRIVATE)
                    export_btn.click(qh.export_bank, [export_scope, is_admin], [export_msg, export_file], **PRIVATE)
                    records_btn.click(qh.export_records, is_admin, [records_msg, records_file, records_table],
                                      **PRIVATE)

            # -- 评测（管理员）--------------------------------------------------------------------------
            with gr.Tab("评测", id="eval", elem_id="tab-eval"):
                if not admin_on:
                    gr.HTML(present.notice(auth.DISABLED_TEXT, "info", "评测需要管理员登录。"), elem_id="eval-disabled")
                else:
                    login_box, user, password, login_btn, login_msg = _login_form(
                        "eval", "运行评测需要管理员登录（评测占用服务器约半分钟到两分钟）。")
                    with gr.Column(visible=False, elem_id="eval-panel") as eval_panel:
                        logout_btn = _admin_bar("eval")
                        gr.HTML(present.notice(
                            "评测本系统：用随系统附带的执法问答评测集（eval/gold/inspector.jsonl）"
                            "计算检索准确率（hit@k、MRR），并评测直接查条和拒答；"
                            "可选与朴素 BM25 基线对比、评测引用可信度。"
                            "题库作答：系统只依据知识库作答题库中的题目，与题库答案比较。通常需要半分钟到两分钟。",
                            "info"))
                        eval_source = gr.Radio(label="题库作答评测", choices=EVAL_SOURCES, value="none",
                                               elem_id="eval-source")
                        eval_file = gr.File(label="要评测的题库文件（.xlsx / .csv / .json）",
                                            file_types=list(BANK_SUFFIXES), visible=False, elem_id="eval-file")
                        eval_n = gr.Number(label=f"另从《{DEFAULT_LAW}》生成题目作答（题数，0 为不生成）", value=20,
                                           precision=0, minimum=0, maximum=200, elem_id="eval-n")
                        with gr.Row():
                            eval_baselines = gr.Checkbox(label="与朴素 BM25 基线对比（较慢）", value=False,
                                                         elem_id="eval-baselines")
                            eval_trust = gr.Checkbox(label="评测引用可信度（较慢）", value=False, elem_id="eval-trust")
                        eval_btn = gr.Button("开始评测", variant="primary", elem_id="eval-run")
                        eval_status = gr.HTML(elem_id="eval-status")
                        eval_table = gr.Dataframe(headers=qp.EVAL_HEADERS, interactive=False, wrap=True,
                                                  column_widths=["40%", "35%", "25%"], elem_id="eval-table")
                        eval_charts = gr.HTML(elem_id="eval-charts")
                        eval_files = gr.File(label="评测报告（HTML、Markdown、JSON）", file_count="multiple",
                                             interactive=False, elem_id="eval-files")
                    gates.append(Gate(login_box, eval_panel, user, password, login_btn, login_msg, logout_btn))
                    eval_source.change(lambda s: gr.update(visible=s == "upload"), eval_source, eval_file, **PRIVATE)
                    eval_btn.click(qh.run_eval, [eval_source, eval_file, eval_n, eval_baselines, eval_trust, is_admin],
                                   [eval_status, eval_table, eval_charts, eval_files], concurrency_limit=1,
                                   concurrency_id="eval", **PRIVATE)

            # -- 知识库（管理员）--------------------------------------------------------------------
            with gr.Tab("知识库", id="admin", elem_id="tab-admin"):
                if not admin_on:
                    gr.HTML(present.notice(auth.DISABLED_TEXT, "info", "知识库管理需要管理员登录。"),
                            elem_id="admin-disabled")
                else:
                    login_box, user, password, login_btn, login_msg = _login_form(
                        "admin", "上传、删除文档和重建索引需要管理员登录；法规问答和条文检索无需登录。")
                    with gr.Column(visible=False, elem_id="admin-panel") as admin_box:
                        logout_btn = _admin_bar("admin")
                        gr.Markdown("### 上传文档")
                        files = gr.File(label=f"选择文件（{' '.join(ALLOWED_SUFFIXES)}，"
                                              f"单个不超过 {MAX_UPLOAD_LABEL}）",
                                        file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                                        elem_id="admin-files")
                        upload_btn = gr.Button("导入知识库", variant="primary", elem_id="admin-upload")
                        upload_result = gr.HTML(elem_id="admin-upload-result")
                        gr.Markdown("### 文档列表")
                        doc_count = gr.HTML(elem_id="admin-count")
                        title_filter = gr.Textbox(label="按标题筛选", placeholder="输入标题中的文字",
                                                  elem_id="admin-filter")
                        table = gr.Dataframe(headers=present.DOC_HEADERS, interactive=False, wrap=True,
                                             max_height=420, column_widths=present.DOC_WIDTHS,
                                             elem_id="admin-table")
                        gr.Markdown("### 删除文档")
                        remove_pick = gr.Dropdown(label="选择要删除的文档", choices=[], filterable=True,
                                                  elem_id="admin-remove-doc")
                        confirm = gr.Checkbox(label="确认删除该文档（不可恢复；网页上传的原文件一并删除）",
                                              elem_id="admin-confirm")
                        remove_btn = gr.Button("删除文档", variant="stop", elem_id="admin-remove")
                        remove_msg = gr.HTML(elem_id="admin-remove-msg")
                        gr.Markdown("### 检索索引")
                        gr.HTML(present.notice("导入和删除后索引会自动更新；如怀疑索引与知识库不一致，可按知识库重建。",
                                               "info"))
                        reindex_btn = gr.Button("重建检索索引", elem_id="admin-reindex")
                        reindex_msg = gr.HTML(elem_id="admin-reindex-msg")

                    admin_data = [doc_count, table, remove_pick]
                    gates.append(Gate(login_box, admin_box, user, password, login_btn, login_msg, logout_btn))
                    upload_btn.click(h.upload, [files, is_admin, title_filter], [upload_result, files, *admin_data],
                                     **PRIVATE).then(h.after_write, None, [header, law, law_pick, vio_law], **PRIVATE)
                    title_filter.submit(h.admin_data, [is_admin, title_filter], admin_data, **PRIVATE)
                    title_filter.blur(h.admin_data, [is_admin, title_filter], admin_data, **PRIVATE)
                    remove_btn.click(h.remove, [remove_pick, confirm, is_admin, title_filter],
                                     [remove_msg, confirm, *admin_data],
                                     **PRIVATE).then(h.after_write, None, [header, law, law_pick, vio_law], **PRIVATE)
                    reindex_btn.click(h.reindex, [is_admin], reindex_msg, **PRIVATE)

        # -- wiring: the admin login, shared by the 知识库, 题库与组卷 and 评测 tabs ----------------------------
        if admin_on:
            gate_view = [c for g in gates for c in (g.login_box, g.panel, g.message)]
            # One login at a time (with the delay after a failure): guessing is throttled overall.
            login_queue = {"concurrency_limit": 1, "concurrency_id": "admin-login", **PRIVATE}
            for g in gates:
                session = [is_admin, g.login_box, g.panel, g.message, g.password, ticket]
                for event in (g.login_btn.click(h.login, [g.user, g.password], session + admin_data, **login_queue),
                              g.password.submit(h.login, [g.user, g.password], session + admin_data, **login_queue),
                              g.logout_btn.click(h.logout, None, session + admin_data, **PRIVATE)):
                    event.then(None, ticket, ticket, js=auth.SYNC_SESSION, **PRIVATE).then(
                        _gate_sync(h, len(gates)), is_admin, gate_view, **PRIVATE).then(
                        qh.bank_data, view_in, bank_view, **PRIVATE).then(
                        qh.records_data, is_admin, records_table, **PRIVATE)

        # -- wiring: 法规问答 ----------------------------------------------------------------------
        qa_out = [qa_notice, qa_conclusion, block, qa_result, qa_marks]
        ask_btn.click(h.ask, [question, law, levels, as_of], qa_out, **PRIVATE)
        question.submit(h.ask, [question, law, levels, as_of], qa_out, **PRIVATE)

        # -- wiring: 条文检索 ----------------------------------------------------------------------
        law_view = [doc_info, chapter, articles, list_info, article_view, related]
        law_pick.input(h.open_law, law_pick, law_view, **PRIVATE)
        chapter.input(h.chapter, [law_pick, chapter], [articles, list_info], **PRIVATE)
        search_btn.click(h.search, [law_pick, query], [articles, list_info, chapter], **PRIVATE)
        query.submit(h.search, [law_pick, query], [articles, list_info, chapter], **PRIVATE)
        articles.input(h.open_article, articles, [article_view, related], **PRIVATE).then(
            None, js=SCROLL_TO_ARTICLE, **PRIVATE)
        related.input(h.jump, related, [law_pick, *law_view], **PRIVATE).then(None, js=SCROLL_TO_ARTICLE, **PRIVATE)

        # -- wiring: 违法行为库, and the row and article links of every page --------------------------------
        vio_filters = [vio_query, vio_law, vio_subject, vio_sanction]
        vio_out = [vio_page, vio_marks, vio_info, vio_list, vio_prev, vio_next]
        vio_search.click(vh.listing, vio_filters, vio_out, **PRIVATE)
        vio_query.submit(vh.listing, vio_filters, vio_out, **PRIVATE)
        for box in (vio_law, vio_subject, vio_sanction):
            box.input(vh.listing, vio_filters, vio_out, **PRIVATE)
        vio_clear.click(vh.clear, vio_filters[1:], [vio_query, *vio_out], **PRIVATE)
        vio_prev.click(vh.previous, [*vio_filters, vio_page], vio_out, **PRIVATE)
        vio_next.click(vh.next, [*vio_filters, vio_page], vio_out, **PRIVATE)
        opened = [tabs, vio_detail, law_pick, *law_view]
        for links in (qa_conclusion, qa_result, vio_list, vio_detail):
            links.click(vh.navigate, [vio_marks, qa_marks], opened, **PRIVATE).then(None, js=SCROLL_TO_OPENED,
                                                                                   **PRIVATE)

        demo.load(h.header, None, header, **PRIVATE)
        demo.load(h.law_filter_update, None, law, **PRIVATE)
        demo.load(h.browse_init, None, [law_pick, *law_view], **PRIVATE).then(
            vh.deep_link, None, opened, **PRIVATE).then(None, js=SCROLL_TO_OPENED, **PRIVATE)
        demo.load(vh.init, None, [vio_law, vio_subject, *vio_out], **PRIVATE)
        exam_page.on_load(demo, qh, exam, tabs)
        if admin_on:
            demo.load(lambda: qh.law_choices(DEFAULT_LAW), None, gen_law, **PRIVATE)
    return demo
