"""Admin login for the web app: the page's side (messages, the client of a request, the session script) and the
HTTP side (AdminGuard, an ASGI middleware in front of gradio).

Accounts, lockouts and sessions live in corpus.admins (the database). A login opens a server-side session; the
page hands its token to POST /hazkb/session, which sets it as an HttpOnly cookie. gradio has no per-route
authentication, so AdminGuard refuses /gradio_api/upload without a live session cookie, and answers 404 for the
API docs and monitoring pages.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

import anyio
from starlette.requests import cookie_parser

from corpus.admins import AdminStore

log = logging.getLogger(__name__)

COOKIE = "hazkb_admin"
SESSION_PATH = "/hazkb/session"
UPLOAD_PATH = "/gradio_api/upload"
# Off: FastAPI's and gradio's API descriptions, the monitoring dashboard, the recording upload nothing here uses.
BLOCKED = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/gradio_api/openapi.json",
                     "/gradio_api/info", "/gradio_api/process_recording", "/monitoring"})
BLOCKED_PREFIXES = ("/monitoring/", "/gradio_api/monitoring", "/gradio_api/mcp", "/gradio_api/vibe")

DISABLED_TEXT = ("管理功能未启用：还没有管理员账号。请在服务器上运行 hazkb admin add 账号 建立管理员"
                 "（或设置环境变量 HAZKB_ADMIN_USER 和 HAZKB_ADMIN_PASSWORD），然后重新运行 hazkb serve。"
                 "法规问答、条文检索和现场考试无需登录。")
LOGIN_HINT = ("管理员账号和初始密码在 hazkb serve 首次启动时显示在服务器控制台；"
              "忘记密码请在服务器上运行 hazkb admin passwd 账号 重设。")
UPLOAD_REFUSED = ("上传文件需要管理员登录：请先在“知识库”页以管理员身份登录再选择文件；"
                  "登录已过期（超过规定时长或密码已更改）时，请退出登录后重新登录。")
UPLOAD_TOO_LARGE = "一次上传的文件合计过大：请分批上传，每个文件不超过 50 MB。"

# After a login or a logout: the page's ticket box holds the new session token (login), LOGOUT (logout) or nothing
# (a failed login, which leaves another tab's session alone). Set or drop the HttpOnly session cookie, then clear
# the ticket. Relative URL: works under a reverse proxy's sub-path too.
LOGOUT = "logout"
SYNC_SESSION = ("async (ticket) => { if (!ticket) return ''; try { await fetch('hazkb/session', "
                f"ticket === '{LOGOUT}' ? {{method: 'DELETE', credentials: 'same-origin'}} : "
                "{method: 'POST', body: ticket, credentials: 'same-origin'}); } "
                "catch (e) { console.warn('hazkb session', e); } return ''; }")


def client_of(request) -> str:
    """The client's address as the server sees it (uvicorn takes X-Forwarded-For only from a local proxy)."""
    client = getattr(request, "client", None)
    host = getattr(client, "host", None)
    return str(host) if host else "unknown"


def _app_path(scope) -> str:
    path = scope.get("path") or "/"
    root = scope.get("root_path") or ""
    if root and path.startswith(root):
        path = path[len(root):]
    while "//" in path:
        path = path.replace("//", "/")
    return path.rstrip("/") or "/"


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return ""


async def _respond(send, status: int, text: str = "", headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode("utf-8")
    head = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class AdminGuard:
    """ASGI middleware: admin-only uploads, the session cookie endpoint, and 404 for docs and monitoring."""

    def __init__(self, app, store: Callable[[], AdminStore], session_seconds: int = 12 * 3600,
                 max_request_bytes: int = 10 * 50 * 1024 * 1024):
        self.app = app
        self.store = store
        self.session_seconds = session_seconds
        self.max_request_bytes = max_request_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = _app_path(scope)
        method = scope.get("method", "GET")
        if path in BLOCKED or path.startswith(BLOCKED_PREFIXES):
            await _respond(send, 404, "Not Found")
            return
        if path == SESSION_PATH:
            await self._session(scope, receive, send, method)
            return
        if path == UPLOAD_PATH and method != "OPTIONS":
            if not await self._admin(scope):
                log.warning("upload refused without admin login from %s", self._client(scope))
                await _respond(send, 401, UPLOAD_REFUSED)
                return
            length = _header(scope, b"content-length")
            if length.isdigit() and int(length) > self.max_request_bytes:
                await _respond(send, 413, UPLOAD_TOO_LARGE)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _client(scope) -> str:
        client = scope.get("client")
        return str(client[0]) if client else "unknown"

    @staticmethod
    def _token(scope) -> str | None:
        return cookie_parser(_header(scope, b"cookie")).get(COOKIE) or None

    async def _admin(self, scope) -> str | None:
        token = self._token(scope)
        if not token:
            return None
        return await anyio.to_thread.run_sync(self.store().session_user, token)

    def _cookie(self, scope, value: str, max_age: int) -> tuple[bytes, bytes]:
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        return (b"set-cookie",
                f"{COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Strict{secure}".encode("latin-1"))

    async def _session(self, scope, receive, send, method: str) -> None:
        """POST: adopt a session token just opened by a login (sets the cookie); DELETE: end it."""
        origin = _header(scope, b"origin")
        if origin and urlsplit(origin).netloc != _header(scope, b"host"):
            await _respond(send, 403, "跨站请求被拒绝")
            return
        if method == "POST":
            token = (await _read_body(receive, 512)).decode("utf-8", "replace").strip()
            user = await anyio.to_thread.run_sync(self.store().session_user, token) if token else None
            if user is None:
                await _respond(send, 403, "登录已失效，请重新登录")
                return
            await _respond(send, 204, headers=[self._cookie(scope, token, self.session_seconds)])
        elif method == "DELETE":
            token = self._token(scope)
            if token:
                await anyio.to_thread.run_sync(self.store().close_session, token)
            await _respond(send, 204, headers=[self._cookie(scope, "", 0)])
        else:
            await _respond(send, 405, "Method Not Allowed", headers=[(b"allow", b"POST, DELETE")])


async def _read_body(receive, limit: int) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""
        body += message.get("body", b"")
        if len(body) > limit:
            return b""
        if not message.get("more_body"):
            return body
