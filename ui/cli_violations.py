"""`hazkb violations …`: the violation catalog (违法行为库) from the command line: search, list, show, export, import.

Thin: parse, call corpus.violations / retriever.enforcement, render. HazkbError propagates to ui.cli.main().
"""
from __future__ import annotations

from pathlib import Path

import click

from . import render
from .cli_params import echo_json

# The catalog's categories, written out: `hazkb --help` must not import the library (corpus.violations.model
# SUBJECT_ORDER and KINDS; tests/test_cli_violations.py checks they agree).
_SUBJECTS = ("单位", "主要负责人", "安全生产管理人员", "从业人员", "中介服务机构", "个人", "国家机关及其工作人员")
_KINDS = ("penalty", "referral", "officials", "criminal", "other")


def _store(obj, progress: bool = True):
    from corpus.violations import ViolationStore

    store = ViolationStore(obj.catalog())
    store.sync(progress=progress)
    return store


def _law_docs(obj, law: str | None) -> list[str] | None:
    """The documents of a law named by any of its names (the version in force); an unknown name is an error."""
    if not law:
        return None
    return [obj.catalog().find_law(law).doc_id]


@click.group(name="violations")
def violations() -> None:
    """违法行为库：每个罚则的项（或款）一条，含违法行为、违法依据、处罚依据、罚款幅度和执法部门。"""


@violations.command(name="search")
@click.argument("text")
@click.option("--law", help="只在该法规中查找（名称或简称）")
@click.option("--limit", default=8, show_default=True, help="最多返回的条目数")
@click.option("--unit-type", help="被检查单位的类型（同 hazkb ask --unit-type）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def search(obj, text: str, law: str | None, limit: int, unit_type: str | None, as_json: bool) -> None:
    """用检查发现的描述查找违法行为库条目（确定 / 待核对）。"""
    from corpus.violations.views import row_record

    found = obj.searcher().violation_matcher().search(text, law, limit=limit, unit_type=unit_type)
    records = [row_record(m.row) | {"confidence": m.confidence, "score": round(m.score, 4),
                                    "coverage": round(m.coverage, 3), "parallel": [p.cite() for p in m.parallel],
                                    "notes": m.notes} for m in found]
    if as_json:
        echo_json({"query": text, "rows": records})
    else:
        click.echo(render.violation_table(records) if records else "违法行为库中没有与描述相符的条目。")


@violations.command(name="list")
@click.option("--law", help="法规名称或简称")
@click.option("--subject", type=click.Choice(_SUBJECTS), help="违法主体")
@click.option("--sanction", help="处罚种类，如 罚款、吊销、责令停产停业整顿")
@click.option("--kind", type=click.Choice(_KINDS), help="条目类型（penalty 行政处罚、referral 转致他法 …）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def list_rows(obj, law: str | None, subject: str | None, sanction: str | None, kind: str | None,
              as_json: bool) -> None:
    """列出违法行为库条目，可按法规、违法主体、处罚种类筛选。"""
    from corpus.violations.views import filter_rows, row_record

    store = _store(obj, progress=not as_json)
    rows = filter_rows(store.rows(doc_ids=_law_docs(obj, law)), subject=subject, sanction=sanction, kind=kind)
    records = [row_record(r) for r in rows]
    if as_json:
        echo_json(records)
    else:
        click.echo(render.violation_table(records) if records else "没有符合条件的条目。")


@violations.command(name="show")
@click.argument("row_id")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def show(obj, row_id: str, as_json: bool) -> None:
    """显示一个条目：违法行为、违法依据（原文）、处罚依据（项和款的原文）、罚款幅度、执法部门。"""
    from corpus.violations.views import row_record

    record = row_record(_store(obj, progress=not as_json).row(row_id))
    if as_json:
        echo_json(record)
    else:
        click.echo(render.violation_detail(record))


@violations.command(name="export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--law", help="只导出该法规的条目")
@click.pass_obj
def export(obj, path: Path, law: str | None) -> None:
    """导出违法行为库为 Excel（.xlsx）。"""
    from corpus.violations.views import export_rows

    store = _store(obj)
    n = export_rows(store.rows(doc_ids=_law_docs(obj, law)), path)
    click.echo(f"已导出 {n} 条到 {path}")


@violations.command(name="import")
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出导入报告")
@click.pass_obj
def import_discretion(obj, path: Path, as_json: bool) -> None:
    """导入本局的行政处罚裁量基准（Excel .xlsx 或 Word .docx 表格）。

    按表头识别 违法行为、违法依据、处罚依据、情形/阶次、适用条件、处罚标准 等列，每行按“处罚依据”引用的法规、条、款、项
    挂接到违法行为库的条目；无法挂接的行逐行列出行号和原因，不导入。未变化的文件不重复导入，修改过的文件替换上次的内容。
    文件无法读取时退出码为 1；没有一行可导入时也为 1（此前导入的内容保持不变）。
    """
    from corpus.violations.discretion import import_discretion as run_import

    from .render_discretion import import_report

    report = run_import(obj.catalog(), path, progress=not as_json)
    if as_json:
        echo_json(report.as_json())
    else:
        click.echo(import_report(report.as_json()))
    if not report.ok:
        click.echo(f"错误：{report.file} 中没有一行可以挂接到违法行为库，未导入；"
                   "请按报告中列出的行号和原因修改后重新导入", err=True)
        raise SystemExit(1)


@violations.command(name="tiers")
@click.argument("row_id")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def tiers(obj, row_id: str, as_json: bool) -> None:
    """显示违法行为库一个条目的裁量阶次（来自已导入的裁量基准）：情形/阶次、适用条件、处罚标准、罚款幅度、出处。"""
    from corpus.violations.discretion import tiers_for
    from corpus.violations.views import row_record

    from .render_discretion import tiers_text

    row = _store(obj, progress=not as_json).row(row_id)
    found = [t.as_dict() for t in tiers_for(obj.catalog(), row)]
    if as_json:
        echo_json({"row": row_record(row), "tiers": found})
    else:
        click.echo(tiers_text(row_record(row), found))
