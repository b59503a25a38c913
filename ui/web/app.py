"""Start the web app: theme (local fonts only, nothing fetched from the internet), styles, launch."""
from __future__ import annotations

import os

# Set before gradio is imported: no telemetry or version check (the bureau's network may be offline).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.middleware.gzip import GZipMiddleware  # noqa: E402

from .auth import AdminGuard  # noqa: E402
from .layout import build  # noqa: E402
from .service import WebService  # noqa: E402
from .style import CSS  # noqa: E402
from .uploads import MAX_UPLOAD_BYTES  # noqa: E402

FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
         "WenQuanYi Zen Hei", "sans-serif"]
MONO = ["Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "monospace"]


def theme():
    return gr.themes.Soft(primary_hue="blue", neutral_hue="slate", font=FONTS, font_mono=MONO)


def launch(service: WebService, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           quiet: bool = False) -> gr.Blocks:
    """Serve the app; with block=False return once it listens (tests, embedding).

    No API docs, no monitoring, no MCP; uploads only with an admin session (ui.web.auth.AdminGuard); responses
    compressed (the page's /config is ~220 KB of JSON; event streams are left alone by GZipMiddleware)."""
    demo = build(service)
    demo.queue(default_concurrency_limit=4)
    gzip = Middleware(GZipMiddleware, minimum_size=1024)
    guard = Middleware(AdminGuard, store=lambda: service.admins,
                       session_seconds=service.settings.admin_session_hours * 3600)
    demo.launch(
        server_name=host, server_port=port, prevent_thread_lock=not block, quiet=quiet, show_error=False,
        footer_links=[], run_history=False, ssr_mode=False, max_file_size=MAX_UPLOAD_BYTES, share=False,
        inbrowser=False, theme=theme(), css=CSS, enable_monitoring=False, mcp_server=False,
        app_kwargs={"openapi_url": None, "docs_url": None, "redoc_url": None, "middleware": [guard, gzip]},
    )
    return demo
