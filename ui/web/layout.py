"""The page: every tab, component and event wiring of the web app, in one place."""
from __future__ import annotations

import gradio as gr

from corpus.model import Level

from . import auth, present
from .handlers import ALL_CHAPTERS, Handlers
from .service import ALL_LAWS, WebService
from .uploads import ALLOWED_SUFFIXES, MAX_UPLOAD_LABEL

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


def build(service: WebService) -> gr.Blocks:
    h = Handlers(service)
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(900, 1800), fill_width=True) as demo:
        is_admin = gr.State(False)
        header = gr.HTML(elem_id="hz-header")

        with gr.Tabs(elem_id="hz-tabs"):
            # -- 法规问答 --------------------------------------------------------------------------
            with gr.Tab("法规问答", id="qa", elem_id="tab-qa"):
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="检查发现的问题", lines=2, max_lines=6, scale=5, min_width=300,
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
                qa_conclusion = gr.HTML(elem_id="qa-conclusion")
                block = gr.Textbox(label="复制执法依据（可直接粘贴到执法文书）", lines=3, max_lines=12,
                                   interactive=False, visible=False, buttons=["copy"], elem_id="qa-block")
                qa_result = gr.HTML(elem_id="qa-result")

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
                            query = gr.Textbox(label="在本法规中检索", placeholder="关键词或条号，如：警示标志、第二十条",
                                               scale=4, elem_id="browse-query")
                            search_btn = gr.Button("检索", scale=1, min_width=80, elem_id="browse-search")
                        list_info = gr.HTML(elem_id="browse-info")
                        articles = gr.Radio(label="条文", choices=[], elem_classes=["hz-list"],
                                            elem_id="browse-articles")
                    with gr.Column(scale=3, min_width=320):
                        article_view = gr.HTML(elem_id="browse-article")
                        related = gr.Dropdown(label="打开关联条文", choices=[], interactive=False,
                                              elem_id="browse-related")

            # -- 知识库（管理员）--------------------------------------------------------------------
            with gr.Tab("知识库", id="admin", elem_id="tab-admin"):
                if not auth.enabled(service.settings):
                    gr.HTML(present.notice(auth.DISABLED_TEXT, "info", "知识库管理需要管理员登录。"),
                            elem_id="admin-disabled")
                else:
                    with gr.Column(visible=True, elem_id="admin-login") as login_box:
                        gr.HTML(present.notice("上传、删除文档和重建索引需要管理员登录；法规问答和条文检索无需登录。",
                                               "info"))
                        user = gr.Textbox(label="管理员账号", elem_id="admin-user")
                        password = gr.Textbox(label="密码", type="password", elem_id="admin-password")
                        login_btn = gr.Button("登录", variant="primary", elem_id="admin-login-btn")
                        login_msg = gr.HTML(elem_id="admin-login-msg")
                    with gr.Column(visible=False, elem_id="admin-panel") as admin_box:
                        with gr.Row(equal_height=True):
                            gr.HTML('<div class="hz-admin-bar">已以管理员身份登录</div>')
                            logout_btn = gr.Button("退出登录", size="sm", scale=0, min_width=100)
                        gr.Markdown("### 上传文档")
                        files = gr.File(label=f"选择文件（{' '.join(ALLOWED_SUFFIXES)}，单个不超过 {MAX_UPLOAD_LABEL}）",
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
                    session = [is_admin, login_box, admin_box, login_msg, password]
                    login_btn.click(h.login, [user, password], session + admin_data, **PRIVATE)
                    password.submit(h.login, [user, password], session + admin_data, **PRIVATE)
                    logout_btn.click(h.logout, None, session + admin_data, **PRIVATE)
                    upload_btn.click(h.upload, [files, is_admin, title_filter], [upload_result, files, *admin_data],
                                     **PRIVATE).then(h.after_write, None, [header, law, law_pick], **PRIVATE)
                    title_filter.submit(h.admin_data, [is_admin, title_filter], admin_data, **PRIVATE)
                    title_filter.blur(h.admin_data, [is_admin, title_filter], admin_data, **PRIVATE)
                    remove_btn.click(h.remove, [remove_pick, confirm, is_admin, title_filter],
                                     [remove_msg, confirm, *admin_data],
                                     **PRIVATE).then(h.after_write, None, [header, law, law_pick], **PRIVATE)
                    reindex_btn.click(h.reindex, [is_admin], reindex_msg, **PRIVATE)

        # -- wiring: 法规问答 ----------------------------------------------------------------------
        qa_out = [qa_notice, qa_conclusion, block, qa_result]
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

        demo.load(h.header, None, header, **PRIVATE)
        demo.load(h.law_filter_update, None, law, **PRIVATE)
        demo.load(h.browse_init, None, [law_pick, *law_view], **PRIVATE)
    return demo
