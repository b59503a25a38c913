"""Admin login for the 知识库 tab: credentials from Settings (HAZKB_ADMIN_USER / HAZKB_ADMIN_PASSWORD)."""
from __future__ import annotations

import hmac

from corpus.settings import Settings

DISABLED_TEXT = ("管理功能未启用。请在启动服务前设置环境变量 HAZKB_ADMIN_USER（管理员账号）和 "
                 "HAZKB_ADMIN_PASSWORD（密码），然后重新运行 hazkb serve。法规问答和条文检索无需登录。")


def enabled(settings: Settings) -> bool:
    return bool(settings.admin_user and settings.admin_password)


def check(settings: Settings, user: str | None, password: str | None) -> bool:
    """Constant-time comparison of both fields; always False when admin login is not configured."""
    if not enabled(settings):
        return False
    user_ok = hmac.compare_digest((user or "").strip().encode("utf-8"), settings.admin_user.encode("utf-8"))
    password_ok = hmac.compare_digest((password or "").encode("utf-8"), settings.admin_password.encode("utf-8"))
    return user_ok and password_ok
