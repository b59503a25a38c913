"""The 知识库 page (admin): upload documents, list and remove them, rebuild the index."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from . import present
from .admin_gate import Gate, admin_bar, login_form
from .events import PRIVATE
from .handlers import Handlers
from .uploads import ALLOWED_SUFFIXES, MAX_UPLOAD_LABEL


@dataclass
class AdminPage:
    gate: Gate
    data: list  # the document count, table and removal choice: what a login or a write refreshes


def build(h: Handlers, is_admin: gr.State, after_write: list) -> AdminPage:
    """`after_write`: components of other pages that list laws (refreshed after an upload or a removal)."""
    login_box, user, password, login_btn, login_msg = login_form(
        "admin", "上传、删除文档和重建索引需要管理员登录；法规问答和条文检索无需登录。")
    with gr.Column(visible=False, elem_id="admin-panel") as admin_box:
        logout_btn = admin_bar("admin")
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
    gate = Gate(login_box, admin_box, user, password, login_btn, login_msg, logout_btn)
    upload_btn.click(h.upload, [files, is_admin, title_filter], [upload_result, files, *admin_data],
                     **PRIVATE).then(h.after_write, None, after_write, **PRIVATE)
    title_filter.submit(h.admin_data, [is_admin, title_filter], admin_data, **PRIVATE)
    title_filter.blur(h.admin_data, [is_admin, title_filter], admin_data, **PRIVATE)
    remove_btn.click(h.remove, [remove_pick, confirm, is_admin, title_filter], [remove_msg, confirm, *admin_data],
                     **PRIVATE).then(h.after_write, None, after_write, **PRIVATE)
    reindex_btn.click(h.reindex, [is_admin], reindex_msg, **PRIVATE)
    return AdminPage(gate, admin_data)
