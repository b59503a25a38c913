"""`hazkb quiz …`: the question bank from the command line (import, export, template, list, review, flags).

ui/cli.py registers this group with `cli.add_command(quiz)`; commands get its Context through @click.pass_obj.
QuizError / HazkbError propagate to ui.cli.main(), which prints them and exits 1.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import click

from quiz.model import ENTERPRISE_TYPES, ROLES, QType, Review

from . import render


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _bank(obj):
    from quiz.store import open_bank

    return open_bank(obj.settings)


def _where(entry: dict) -> str:
    return (f"工作表“{entry['sheet']}”" if entry.get("sheet") else "") + f"第 {entry['row']} 行"


_TYPE = click.Choice([t.value for t in QType])
_REVIEW = click.Choice([r.value for r in Review])


class _Tag(click.ParamType):
    """A role or enterprise type; full-width brackets and spaces are accepted (经营（带储存）)."""

    def __init__(self, allowed: tuple[str, ...], what: str):
        self.allowed, self.what = allowed, what
        self.name = what

    def convert(self, value, param, ctx):
        text = unicodedata.normalize("NFKC", str(value)).replace(" ", "")
        if text not in self.allowed:
            self.fail(f"{self.what}“{value}”不在可选范围内；可选：{'、'.join(self.allowed)}", param, ctx)
        return text

    def get_metavar(self, param, *args, **kwargs) -> str:
        return "[" + "|".join(self.allowed) + "]"


_ROLE = _Tag(ROLES, "岗位")
_ENTERPRISE = _Tag(ENTERPRISE_TYPES, "企业类型")


@click.group()
def quiz() -> None:
    """题库：导入、导出、模板、列表、审核、过时题目检查。"""


@quiz.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--role", "roles", multiple=True, type=_ROLE, help="文件未注明适用岗位的题目设为此岗位（可重复）")
@click.option("--enterprise", "enterprise_types", multiple=True, type=_ENTERPRISE,
              help="文件未注明企业类型的题目设为此类型（可重复）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
@click.pass_obj
def import_(obj, file: Path, roles, enterprise_types, as_json: bool) -> None:
    """导入题库文件（.xlsx .csv .json）：标准模板或培训平台导出格式。有问题的行逐行列出原因，重复题不重复导入。"""
    from quiz.bank_files import import_file

    report = import_file(_bank(obj), file, catalog=obj.catalog(), roles=list(roles),
                         enterprise_types=list(enterprise_types))
    if as_json:
        _echo_json(report.as_json())
        return
    click.echo(f"导入 {report.imported} 道，重复 {len(report.duplicates)} 道，拒绝 {len(report.rejected)} 行")
    for entry in report.duplicates:
        click.echo(f"  = {_where(entry)}：与题库中的题目 {entry['qid']} 重复，未重复导入")
    for entry in report.rejected:
        click.echo(f"  ✗ {_where(entry)}：{entry['reason']}")
    for warning in report.warnings:
        click.echo(f"  ! {warning}")


@quiz.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--type", "qtype", multiple=True, type=_TYPE, help="只导出此题型（可重复）")
@click.option("--role", "roles", multiple=True, type=_ROLE, help="只导出适用于此岗位的题目（可重复）")
@click.option("--enterprise", "enterprise_types", multiple=True, type=_ENTERPRISE, help="只导出适用于此企业类型的题目")
@click.option("--review", multiple=True, type=_REVIEW, help="只导出此审核状态的题目（draft/approved/retired）")
@click.option("--topic", "topics", multiple=True, help="只导出此主题的题目（可重复）")
@click.pass_obj
def export(obj, file: Path, qtype, roles, enterprise_types, review, topics) -> None:
    """导出题库到 FILE（按扩展名：.xlsx、.csv 为标准模板列，.json 为完整字段）；已有文件会被覆盖。"""
    from quiz.bank_files import export_file

    n = export_file(_bank(obj), file, qtype=qtype or None, roles=roles or None,
                    enterprise_types=enterprise_types or None, review=review or None, topics=topics or None)
    click.echo(f"已导出 {n} 道题到 {file}")


@quiz.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="FILE 已存在时覆盖")
def template(file: Path, force: bool) -> None:
    """生成空白标准模板（.xlsx，含表头、示例行和填写说明），填好后用 hazkb quiz import 导入。"""
    from quiz.errors import QuizError
    from quiz.io_excel import write_template

    if file.exists() and not force:
        raise QuizError(f"{file} 已存在，为免覆盖已填写的题目未生成模板；请换一个文件名，或加 --force 覆盖")
    write_template(file)
    click.echo(f"已生成模板：{file}（填写说明见其中的“填写说明”工作表）")


@quiz.command("list")
@click.option("--review", multiple=True, type=_REVIEW, help="只列出此审核状态（draft 待审核/approved 已审核/retired 已停用）")
@click.option("--type", "qtype", multiple=True, type=_TYPE, help="只列出此题型")
@click.option("--role", "roles", multiple=True, type=_ROLE, help="只列出适用于此岗位的题目")
@click.option("--enterprise", "enterprise_types", multiple=True, type=_ENTERPRISE, help="只列出适用于此企业类型的题目")
@click.option("--flagged", is_flag=True, help="只列出带有复核标记的题目")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（完整字段）")
@click.pass_obj
def list_(obj, review, qtype, roles, enterprise_types, flagged: bool, as_json: bool) -> None:
    """列出题目：编号、题型、状态、难度、题干、标记。"""
    from quiz.records import question_to_dict

    items = _bank(obj).list(qtype=qtype or None, roles=roles or None, enterprise_types=enterprise_types or None,
                            review=review or None, flagged=True if flagged else None)
    if as_json:
        _echo_json([question_to_dict(q) for q in items])
        return
    if not items:
        click.echo("没有符合条件的题目。用 hazkb quiz import 文件 导入题库，或 hazkb quiz template 生成模板。")
        return
    rows = [[q.qid, q.qtype.value, q.review.label, str(q.difficulty), q.stem, "；".join(q.flags) or "-"]
            for q in items]
    click.echo(render.table(["编号", "题型", "状态", "难度", "题干", "标记"], rows))
    click.echo(f"共 {len(items)} 道题")


@quiz.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def stats(obj, as_json: bool) -> None:
    """题库统计：总数、各题型、各审核状态、带标记的题目数。"""
    data = _bank(obj).stats()
    if as_json:
        _echo_json(data)
        return
    by_type = "，".join(f"{k} {v}" for k, v in data["by_type"].items())
    by_review = "，".join(f"{Review(k).label} {v}" for k, v in data["by_review"].items())
    click.echo(f"共 {data['total']} 道题（{by_type}）；{by_review}；带复核标记 {data['flagged']} 道")


@quiz.command()
@click.argument("qid")
@click.option("--approve", "action", flag_value=Review.APPROVED.value, help="审核通过，可用于组卷")
@click.option("--retire", "action", flag_value=Review.RETIRED.value, help="停用，不再用于组卷")
@click.option("--draft", "action", flag_value=Review.DRAFT.value, help="退回待审核")
@click.option("--clear-flags", is_flag=True, help="同时清除复核标记（已核对无误时）")
@click.pass_obj
def review(obj, qid: str, action: str | None, clear_flags: bool) -> None:
    """设置题目 QID 的审核状态：--approve 通过，--retire 停用，--draft 退回待审核。"""
    if action is None:
        raise click.UsageError("请指定 --approve、--retire 或 --draft 之一")
    status = Review(action)
    _bank(obj).set_review(qid, status, clear_flags=clear_flags)
    click.echo(f"题目 {qid} 已设为：{status.label}" + ("，复核标记已清除" if clear_flags else ""))


@quiz.command("flag-outdated")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def flag_outdated_(obj, as_json: bool) -> None:
    """按知识库中的现行法规检查题目：依据已修订、已废止、条文已不存在，或题中数字与现行条文不一致的，加复核标记。"""
    from quiz.outdated import flag_outdated

    bank = _bank(obj)
    findings = flag_outdated(bank, obj.catalog())
    stems = {q.qid: q.stem for q in bank.list()} if findings else {}
    rows = [{"qid": qid, "reason": reason, "stem": stems.get(qid, "")} for qid, reason in findings]
    if as_json:
        _echo_json({"flagged": len({r["qid"] for r in rows}), "findings": rows})
        return
    if not rows:
        click.echo("未发现与现行法规不一致的题目。")
        return
    click.echo(render.table(["编号", "题干", "原因"], [[r["qid"], r["stem"], r["reason"]] for r in rows], max_width=60))
    click.echo(f"共 {len({r['qid'] for r in rows})} 道题需要复核；核对后用 hazkb quiz review 编号 --approve --clear-flags")
