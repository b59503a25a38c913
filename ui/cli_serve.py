"""`hazkb serve`: the web app. gradio is imported only when the command runs, never by `hazkb --help`."""
from __future__ import annotations

import ipaddress
import logging

import click

from corpus.errors import ConfigError, HazkbError

log = logging.getLogger("hazkb")


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
    try:
        import gradio  # noqa: F401
    except ImportError as exc:
        raise ConfigError("Web 界面组件 gradio 未安装；请运行 pip install gradio（或重新 pip install -e .）") from exc
    from ui.web.app import launch
    from ui.web.service import WebService

    service = WebService.from_context(obj)  # built-in corpus and index on first run, progress on stderr
    settings = obj.settings
    if not service.admin_enabled:
        click.echo("提示：未设置 HAZKB_ADMIN_USER / HAZKB_ADMIN_PASSWORD，题库、评测与知识库管理页不可用"
                   "（问答、检索与现场考试不受影响）", err=True)
    elif not _is_loopback(host):
        click.echo("注意：管理员密码将以明文 HTTP 传输；在局域网开放时请置于 HTTPS 反向代理之后", err=True)
    try:
        demo = launch(service, host=host, port=port, block=False, quiet=True)
    except OSError as exc:
        log.debug("launch failed: %s", exc)
        raise HazkbError(f"无法在 {host}:{port} 上启动 Web 服务（端口已被占用或地址不可用）；"
                         "请用 --port 换一个端口，或用 --host 指定本机的地址") from exc
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"hazkb Web 界面已启动：http://{shown}:{port}  （数据目录 {settings.home}；按 Ctrl+C 停止）", err=True)
    demo.block_thread()  # until Ctrl+C, then the server is closed
