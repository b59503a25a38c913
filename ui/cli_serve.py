"""`hazkb serve`: the web app. gradio is imported only when the command runs, never by `hazkb --help`."""
from __future__ import annotations

import ipaddress
import logging
import signal

import click

from corpus.errors import ConfigError, HazkbError

log = logging.getLogger("hazkb")

INDEX_WATCH_SECONDS = 2.0  # how often a server checks the catalog's generation stamp (one indexed SELECT)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；供局域网内其他电脑访问时用 0.0.0.0")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.pass_obj
def serve(obj, host: str, port: int) -> None:
    """启动 Web 界面：法规问答、条文检索、现场考试，以及需管理员登录的题库与组卷、评测、知识库管理。"""
    from corpus.admins import FIRST_ADMIN
    from ui.web.startup import StartupPage

    # The port answers at once: a page that says what is loading and opens the app when it is up.
    page = StartupPage(host, port)
    page.start()
    try:
        try:
            import gradio  # noqa: F401
        except ImportError as exc:
            raise ConfigError("Web 界面组件 gradio 未安装；"
                              "请运行 pip install gradio（或重新 pip install -e .）") from exc
        page.stage("正在打开知识库（首次启动时载入内置国家法律库，约需一分钟）…")
        obj.catalog()
        page.stage("正在建立检索索引…")
        obj.searcher()
        page.stage("正在建立违法行为库和 Web 页面…")
        from ui.web.app import launch
        from ui.web.service import WebService

        service = WebService.from_context(obj)  # built-in corpus and index on first run, progress on stderr
    finally:
        page.stop()
    # The rows' vectors, embedded once (about a minute) while the server answers; the console says when they are in.
    obj.vectors_in_background(on_ready=lambda rows: click.echo(
        f"违法行为库向量已建立（{rows} 条）：此后答案的“确定”依据会多一些", err=True))
    obj.watch(INDEX_WATCH_SECONDS)  # another instance's ingest (same database) is picked up within seconds
    settings = obj.settings
    first_password = service.admins.ensure_first_admin()  # only when no admin exists at all
    if first_password:
        # Shown once, on the console only (never logged): the database keeps only its salted hash.
        click.echo(f"首次启动：已建立管理员账号 {FIRST_ADMIN}，初始密码 {first_password}\n"
                   f"（只显示这一次，请记下；登录后可用 hazkb admin passwd {FIRST_ADMIN} 更改，"
                   "hazkb admin add 账号 增加管理员）")
    else:
        click.echo("管理员登录：知识库、题库与组卷、评测页；账号用 hazkb admin list 查看，"
                   "忘记密码用 hazkb admin passwd 账号 重设。", err=True)
    if not _is_loopback(host):
        click.echo(f"注意：Web 服务在 {host} 上以明文 HTTP 开放，管理员密码和考试答卷会以明文在网络上传输。"
                   "请把它放在 HTTPS 反向代理（Caddy 或 nginx，见 README“通过 HTTPS 访问”）之后，"
                   "并让 hazkb 只监听本机（--host 127.0.0.1）。", err=True)
    try:
        demo = launch(service, host=host, port=port, block=False, quiet=True)
    except OSError as exc:
        log.debug("launch failed: %s", exc)
        raise HazkbError(f"无法在 {host}:{port} 上启动 Web 服务（端口已被占用或地址不可用）；"
                         "请用 --port 换一个端口，或用 --host 指定本机的地址") from exc
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"hazkb Web 界面已启动：http://{shown}:{port}  （数据目录 {settings.home}；按 Ctrl+C 停止）", err=True)
    # A service manager stops the server with SIGTERM: treated as Ctrl+C, so that the server closes and the
    # process exits normally (its exit handlers remove the download folder of exported files).
    signal.signal(signal.SIGTERM, _interrupt)
    demo.block_thread()  # until Ctrl+C, then the server is closed


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
