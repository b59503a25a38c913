"""The admin login shared by the 题库与组卷, 评测 and 知识库 pages: each page's login form and the panel it opens
(a Gate); every gate follows the one login state of the session."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from . import auth, present


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


def login_form(prefix: str, intro: str) -> tuple:
    with gr.Column(visible=True, elem_id=f"{prefix}-login") as login_box:
        gr.HTML(present.notice(intro, "info"))
        user = gr.Textbox(label="管理员账号", elem_id=f"{prefix}-user")
        password = gr.Textbox(label="密码", type="password", elem_id=f"{prefix}-password")
        login_btn = gr.Button("登录", variant="primary", elem_id=f"{prefix}-login-btn")
        message = gr.HTML(elem_id=f"{prefix}-login-msg")
        gr.HTML(f'<div class="hz-list-info">{present._e(auth.LOGIN_HINT)}</div>')
    return login_box, user, password, login_btn, message


def admin_bar(prefix: str) -> gr.Button:
    with gr.Row(equal_height=True):
        gr.HTML('<div class="hz-admin-bar">已以管理员身份登录</div>')
        return gr.Button("退出登录", size="sm", scale=0, min_width=100, elem_id=f"{prefix}-logout")


def disabled(what: str, elem_id: str) -> None:
    """The page's place when no admin can log in (no account and no HAZKB_ADMIN_* variables)."""
    gr.HTML(present.notice(auth.DISABLED_TEXT, "info", what), elem_id=elem_id)
