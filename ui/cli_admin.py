"""`hazkb admin …`: the web app's admin accounts (list, add, passwd, remove, unlock).

Thin: prompt, call corpus.admins, print. Passwords are read hidden and twice, never echoed or logged.
HazkbError propagates to ui.cli.main().
"""
from __future__ import annotations

import sys

import click

from . import render
from .cli_params import echo_json

PROMPT_TRIES = 3


def _store(obj):
    from corpus.admins import AdminStore

    return AdminStore.open(obj.settings)


def _new_password(password_stdin: bool) -> str:
    """The new password: one line of stdin (scripts), or typed twice without echo."""
    if password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise click.UsageError("标准输入中没有读到密码；请用 echo 密码 | hazkb admin … --password-stdin")
        return line
    for _ in range(PROMPT_TRIES):
        first = click.prompt("新密码", hide_input=True, err=True)
        second = click.prompt("再次输入新密码", hide_input=True, err=True)
        if first == second:
            return first
        click.echo("两次输入的密码不一致，请重新输入。", err=True)
    raise click.ClickException("两次输入的密码三次都不一致，密码未更改；请重新运行该命令")


@click.group(name="admin")
def admin() -> None:
    """Web 应用的管理员账号：列出、新建、改密码、删除、解除登录锁定。"""


@admin.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def list_accounts(obj, as_json: bool) -> None:
    """列出管理员账号（不显示密码；只保存密码的加盐散列）。"""
    store = _store(obj)
    try:
        accounts = store.accounts()
        env_user = store.env_account[0] if store.env_account else None
    finally:
        store.close()
    if as_json:
        echo_json({"accounts": [{"user": a.user, "created_at": a.created_at.isoformat(timespec="seconds"),
                                 "updated_at": a.updated_at.isoformat(timespec="seconds")} for a in accounts],
                   "env_user": env_user})
        return
    if accounts:
        click.echo(render.table(["账号", "创建时间（UTC）", "密码更改时间（UTC）"],
                                [[a.user, f"{a.created_at:%Y-%m-%d %H:%M}", f"{a.updated_at:%Y-%m-%d %H:%M}"]
                                 for a in accounts]))
    else:
        click.echo("还没有管理员账号；hazkb serve 首次启动时会自动建立 admin 并显示密码，"
                   "或用 hazkb admin add 账号 新建。")
    if env_user:
        click.echo(f"另有环境变量 HAZKB_ADMIN_USER / HAZKB_ADMIN_PASSWORD 设置的账号：{env_user}")


@admin.command()
@click.argument("user")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（脚本用），不提示")
@click.pass_obj
def add(obj, user: str, password_stdin: bool) -> None:
    """新建管理员账号 USER，密码输入两次（不显示）。"""
    from corpus.admins import already_exists, check_name

    name = check_name(user)
    store = _store(obj)
    try:
        if store.exists(name):  # say so before asking for a password
            raise already_exists(name)
        store.add(name, _new_password(password_stdin))
    finally:
        store.close()
    click.echo(f"已新建管理员账号：{name}")


@admin.command()
@click.argument("user")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（脚本用），不提示")
@click.pass_obj
def passwd(obj, user: str, password_stdin: bool) -> None:
    """更改管理员 USER 的密码（输入两次，不显示）；该账号已有的网页登录随之失效。"""
    from corpus.admins import unknown_account

    store = _store(obj)
    try:
        if not store.exists(user):  # say so before asking for a password
            raise unknown_account(user)
        store.set_password(user, _new_password(password_stdin))
    finally:
        store.close()
    click.echo(f"已更改管理员 {user.strip()} 的密码；请用新密码重新登录。")


@admin.command()
@click.argument("user")
@click.option("--yes", is_flag=True, help="不再确认")
@click.pass_obj
def remove(obj, user: str, yes: bool) -> None:
    """删除管理员账号 USER（至少保留一个）。"""
    if not yes:
        click.confirm(f"确定删除管理员账号“{user}”？", abort=True, err=True)
    store = _store(obj)
    try:
        store.remove(user)
    finally:
        store.close()
    click.echo(f"已删除管理员账号：{user.strip()}")


@admin.command()
@click.argument("user", required=False)
@click.pass_obj
def unlock(obj, user: str | None) -> None:
    """解除登录锁定：清除 USER（不指定则全部）最近的登录失败记录。"""
    store = _store(obj)
    try:
        cleared = store.unlock(user)
    finally:
        store.close()
    who = f"账号“{user}”" if user else "全部账号和来源"
    click.echo(f"已解除{who}的登录锁定（清除 {cleared} 条失败记录）。")
