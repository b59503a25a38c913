"""`hazkb backup DEST` and `hazkb backup --check DEST`: thin wrappers around corpus.backup.

HazkbError propagates to ui.cli.main() (message on stderr, exit 1).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_params import echo_json


def _size(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.1f} KB"
    return f"{n} 字节"


def _counts(counts: dict[str, int]) -> str:
    from corpus.backup import COUNTED

    return "、".join(f"{label} {counts.get(table, 0)}" for table, label in COUNTED.items())


@click.command(name="backup")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="不备份，只检查 DEST 处已有的备份：打开数据库副本，检查完整性，核对各项数目与文件")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def backup(obj, dest: Path, check_only: bool, as_json: bool) -> None:
    """把数据目录备份到新目录 DEST，hazkb serve 运行时也可以。

    数据库用 SQLite 在线备份复制：同一时刻的一致副本，不阻塞正在写入的服务。

    同时复制不能重建的文件：uploads/ lexicon/ blueprints/ exam-resume.key。

    index/ 与 chroma/ 是索引缓存，不复制，恢复后重建。

    数据库在 PostgreSQL 上时不复制数据库，给出 pg_dump 命令。

    恢复：停止服务，把 DEST 的内容复制到一个空的数据目录（见 docs/deploy.md）。
    """
    from corpus.backup import backup_home, check_backup

    if check_only:
        checked = check_backup(dest)
        if as_json:
            echo_json(checked.as_dict())
        elif checked.ok:
            what = f"数据库完整，{_counts(checked.counts)}，与备份时一致" if checked.database_copied \
                else "不含数据库（PostgreSQL，已有 pg_dump 文件）"
            click.echo(f"备份 {checked.dest}（{checked.created_at}）检查通过：{what}。")
        else:
            click.echo(f"备份 {checked.dest} 检查未通过：", err=True)
            for problem in checked.problems:
                click.echo(f"  - {problem}", err=True)
        if not checked.ok:
            sys.exit(1)
        return

    report = backup_home(obj.settings, dest)
    if as_json:
        echo_json(report.as_dict())
        return
    click.echo(f"已备份到 {report.dest}（用时 {report.seconds:.1f} 秒）")
    if report.database_copied:
        click.echo(f"  数据库：{report.database_source} → catalog.db（{_size(report.database_bytes)}，"
                   "SQLite 在线备份，为同一时刻的一致副本）")
        click.echo(f"  内容：{_counts(report.counts)}")
    for tree in report.copied:
        click.echo(f"  已复制：{tree.path}（{tree.files} 个文件，{_size(tree.bytes)}）")
    for path, reason in report.skipped:
        click.echo(f"  未复制：{path}（{reason}）")
    if not report.database_copied:
        click.echo(f"数据库在 PostgreSQL 服务器 {report.database_source} 上，hazkb backup 不复制它；"
                   "请另行运行下面的命令（密码放在 ~/.pgpass 或环境变量 PGPASSWORD 中，不要写在命令行上）：")
        click.echo(f"  {report.pg_dump}")
    click.echo(f"检查这份备份：hazkb backup --check {report.dest}")
    click.echo("恢复：先停止 hazkb serve，再把该目录的全部内容复制到一个空的数据目录"
               f"（cp -a {report.dest}/. 数据目录/），详见 docs/deploy.md")
