"""While `hazkb serve` loads the knowledge base, its port answers with a Chinese progress page (503, so scripts
waiting for the app keep waiting) and a status endpoint the page polls; the port is free again when it stops."""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

from ui.web.startup import STATUS_PATH, StartupPage
from web_driver import free_port


def test_the_port_answers_with_progress_until_the_app_takes_it():
    port = free_port()
    page = StartupPage("127.0.0.1", port)
    assert page.start()
    try:
        page.stage("正在建立检索索引…")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
            raise AssertionError("the startup page must not answer 200")
        except urllib.error.HTTPError as exc:
            assert exc.code == 503 and exc.headers.get("Retry-After") == "5"
            html = exc.read().decode("utf-8")
        assert "危化安监知识库正在启动" in html and "正在建立检索索引" in html and "自动打开" in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{STATUS_PATH}", timeout=10) as response:
            status = json.loads(response.read())
        assert status["stage"] == "正在建立检索索引…" and status["elapsed"] >= 0
        assert not StartupPage("127.0.0.1", port).start()  # taken: the second one says so instead of failing
    finally:
        page.stop()
    with socket.socket() as s:  # free for the app (which, like uvicorn, reuses the address)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
