"""While `hazkb serve` loads the knowledge base (the built-in laws, the indexes, the violation catalog: about a minute
on a fresh home), its port already answers: 503 with a Chinese page that says what is being done and turns into the
app by itself once it is up. Standard library only; stopped just before the app takes the port."""
from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger(__name__)

STATUS_PATH = "/__hazkb_startup"
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>危化安监知识库 · 正在启动</title>
<style>body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:15vh auto;max-width:36em;
padding:0 1em;color:#1e293b}h1{font-size:1.4em}#stage{font-size:1.1em;margin:1em 0}.muted{color:#64748b}</style>
</head><body><h1>危化安监知识库正在启动</h1><div id="stage">__STAGE__</div>
<div class="muted">已用时 <span id="t">__ELAPSED__</span> 秒。准备好后本页会自动打开，无需刷新。</div>
<script>
async function poll(){
  try{
    const s=await fetch('__STATUS__',{cache:'no-store'});
    if(s.ok){const d=await s.json();document.getElementById('stage').textContent=d.stage;
      document.getElementById('t').textContent=d.elapsed;}
    else{const r=await fetch('/',{cache:'no-store'});if(r.ok){location.reload();return;}}
  }catch(e){}
  setTimeout(poll,2000);
}
setTimeout(poll,2000);
</script></body></html>"""


class StartupPage:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._stage = "正在准备知识库…"
        self._started = time.monotonic()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> bool:
        """Listen on the port; False when it cannot be bound (the app's own launch then reports why)."""
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                elapsed = int(time.monotonic() - page._started)
                if self.path.startswith(STATUS_PATH):
                    body = json.dumps({"stage": page._stage, "elapsed": elapsed}, ensure_ascii=False)
                    self._send(200, "application/json; charset=utf-8", body)
                    return
                html = (PAGE.replace("__STAGE__", page._stage).replace("__ELAPSED__", str(elapsed))
                        .replace("__STATUS__", STATUS_PATH))
                self._send(503, "text/html; charset=utf-8", html)

            def _send(self, status: int, kind: str, text: str) -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Retry-After", "5")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
                log.debug("startup page: " + format, *args)

        try:
            self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        except OSError as exc:
            log.debug("startup page not served: %s", exc)
            return False
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="hazkb-startup-page", daemon=True).start()
        return True

    def stage(self, text: str) -> None:
        self._stage = text

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
