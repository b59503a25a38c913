"""The hazkb command line: parses input, calls the library, translates its exceptions. No logic of its own."""
from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import click

from app.workspace import Workspace
from corpus.errors import HazkbError, InputError
from corpus.model import Level
from corpus.settings import Settings

from . import render
from .cli_params import echo_json, iso_date, result_count

log = logging.getLogger("hazkb")


# Every command gets the application layer's Workspace (app.workspace) as its click object.
Context = Workspace


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False), default=None,
              help="数据目录（知识库、索引、题库、考试记录），默认为用户数据目录；也可设 HAZKB_HOME")
@click.option("--no-builtin", is_flag=True, default=None, help="不载入内置国家法律库（HAZKB_NO_BUILTIN=1）")
@click.option("-v", "--verbose", count=True, help="输出更多日志")
@click.version_option(package_name="hazkb")
@click.pass_context
def cli(ctx: click.Context, home: str | None, no_builtin: bool | None, verbose: int) -> None:
    """hazkb 危化安监知识库：法规导入、条文查询、依据检索与现场考试。"""
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2), format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    # pypdf warns about each malformed file it reads; ingest reports those files itself, in Chinese.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    ctx.obj = Workspace(Settings.from_env(home=home, no_builtin=no_builtin), progress=True)


@cli.command()
# readable=False: a file that cannot be read is reported by ingest (in Chinese), the others are still ingested.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--level", type=click.Choice([lv.value for lv in Level]),
              help="文件的效力层级（覆盖自动识别）")
@click.option("--title", help="文件标题（覆盖自动识别）")
@click.option("--effective", callback=iso_date, help="施行日期 YYYY-MM-DD（覆盖自动识别）")
@click.option("--replace", is_flag=True,
              help="标题和版本与其他文件导入的文档相同时，用本文件替换它（原文本存入历史，可用 docs --restore 恢复）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
@click.pass_obj
def ingest(obj: Workspace, paths, level, title, effective, replace, as_json) -> None:
    """导入文件或目录（支持的格式见 ingest.formats：.pdf .docx .md .markdown .txt）。未变化的文件不会重复导入。"""
    from ingest.document import Overrides

    overrides = Overrides(title=title, level=Level(level) if level else None, effective=effective)
    report = obj.ingest(list(paths), overrides, replace=replace, progress=not as_json)
    if as_json:
        echo_json(report.as_json())
    else:
        click.echo(render.ingest_report(report))
    if report.failed:
        click.echo(render.failures(report), err=True)
        sys.exit(1)


@cli.command()
@click.option("--history", is_flag=True, help="列出被替换或删除的文档历史版本（可恢复）")
@click.option("--restore", type=int, metavar="历史编号", help="恢复一个历史版本（编号见 --history）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def docs(obj: Workspace, history: bool, restore: int | None, as_json: bool) -> None:
    """列出知识库中的文档：编号、标题、层级、状态、施行日期、条文数、来源。"""
    if restore is not None:
        doc, archived = obj.restore(restore, progress=not as_json)
        if as_json:
            echo_json({"restored": render.doc_row(doc), "archived": archived})
        else:
            click.echo(render.restored(doc, archived))
        return
    if history:
        entries = [e.as_dict() for e in obj.catalog().history()]
        if as_json:
            echo_json(entries)
        else:
            click.echo(render.history_table(entries))
        return
    rows = [render.doc_row(d) for d in obj.catalog().documents()]
    if as_json:
        echo_json(rows)
    else:
        click.echo(render.doc_table(rows))


@cli.command()
@click.argument("law")
@click.argument("article")
@click.option("--as-of", callback=iso_date, help="按某日有效的版本 YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def show(obj: Workspace, law: str, article: str, as_of: date | None, as_json: bool) -> None:
    """显示一条条文。LAW 为法规名称或简称，ARTICLE 如 101、第一百零一条、第十五条之一。"""
    try:
        data = obj.article(law, article, as_of)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        echo_json(data)
    else:
        click.echo(render.article_text(data))


@cli.command()
@click.argument("doc_id")
@click.pass_obj
def remove(obj: Workspace, doc_id: str) -> None:
    """从知识库删除一个文档（编号见 hazkb docs）。"""
    doc = obj.remove(doc_id)
    entries = obj.catalog().history(doc_id)
    restore = f"；如需恢复：hazkb docs --restore {entries[0].id}" if entries else ""
    click.echo(f"已删除：{render.one_line(doc.title)}（{doc.doc_id}，{doc.unit_count} 个单元）{restore}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def doctor(obj: Workspace, as_json: bool) -> None:
    """检查安装和配置：知识库规模、检索组件、向量模型、大模型接口，缺失时给出修复方法。"""
    from ui.doctor import run_checks

    checks = run_checks(obj.settings)
    if as_json:
        echo_json(checks)
    else:
        click.echo(render.checks(checks))


@cli.command()
@click.option("--dense", is_flag=True, help="同时建立向量索引（需配置 HAZKB_EMBEDDING_MODEL）")
@click.pass_obj
def index(obj: Workspace, dense: bool) -> None:
    """从知识库重建检索索引（关键词索引和违法行为库的向量；加 --dense 同时建立条文的向量索引）。"""
    out = obj.reindex(dense=dense)
    vectors = (f"（向量 {out['row_vectors']} 条，现场说法向量 {out.get('phrase_vectors', 0)} 条）"
               if out.get("row_vectors") else "（未建向量，只用关键词匹配）")
    click.echo(f"关键词索引：{out['lexical_units']} 个条文/单元；违法行为库：{out['violation_rows']} 条" + vectors +
               (f"；向量索引：{out['dense']} 条" if out["dense"] is not None else ""))


@cli.command()
@click.argument("question")
@click.option("--k", default=5, show_default=True, callback=result_count, help="最多返回的依据条数（1–50）")
@click.option("--law", help="只在该法规中查找（名称或简称）")
@click.option("--level", "levels", multiple=True, type=click.Choice([lv.value for lv in Level]),
              help="只在这些效力层级中查找，可重复")
@click.option("--as-of", callback=iso_date, help="按某日有效的版本 YYYY-MM-DD")
@click.option("--unit-type", help="被检查单位的类型（如 危险化学品经营、加油加气站、一般工贸企业）；"
                             "检查发现没写单位是什么时按它匹配。不知道可写的类型时随便写一个，提示会列出全部")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def ask(obj: Workspace, question: str, k: int, law: str | None, levels, as_of: date | None, unit_type: str | None,
        as_json: bool) -> None:
    """用日常语言提问，返回违法依据、处罚依据和相关规定（均引自知识库原文）。

    编号的检查记录（1.…；2.…，或（1）、①、一、）逐项给出依据；QUESTION 写 - 时从标准输入读入，可粘贴整份记录。"""
    if question == "-":
        question = sys.stdin.read()
    answer = obj.ask(question, k=k, law=law, as_of=as_of, levels={Level(v) for v in levels} or None,
                     unit_type=unit_type)
    if as_json:
        echo_json(answer.as_json())
    else:
        click.echo(render.answer_text(answer))


@cli.command()
@click.argument("text")
@click.option("--as-of", callback=iso_date, help="按某日有效的版本 YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def verify(obj: Workspace, text: str, as_of: date | None, as_json: bool) -> None:
    """核对文字中的每一处《X》第N条：是否存在、是否现行、引文是否与原文一致。"""
    from retriever.verify import verify_text

    checks = verify_text(obj.catalog(), text, as_of=as_of)
    if not checks:
        raise HazkbError("文字中没有找到《法规名》第N条形式的引用，没有可核对的内容；"
                         "请把引用写成“《危险化学品安全管理条例》第二十条”的形式")
    if as_json:
        echo_json({"text": text, "citations": [c.as_dict() for c in checks],
                    "ok": all(c.ok and c.current for c in checks)})
    else:
        click.echo(render.verify_text(checks))


from ui.cli_admin import admin  # noqa: E402  (command groups live in their own modules)
from ui.cli_backup import backup  # noqa: E402
from ui.cli_eval import eval_group  # noqa: E402
from ui.cli_quiz import quiz  # noqa: E402
from ui.cli_serve import serve  # noqa: E402
from ui.cli_violations import violations  # noqa: E402

cli.add_command(quiz)
cli.add_command(eval_group)
cli.add_command(serve)
cli.add_command(violations)
cli.add_command(admin)
cli.add_command(backup)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else 1)
    except HazkbError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
