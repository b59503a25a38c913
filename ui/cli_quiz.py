"""`hazkb quiz …`: the question bank from the command line (import, export, template, list, review, flags).

ui/cli.py registers this group with `cli.add_command(quiz)`; commands get its Context through @click.pass_obj.
QuizError / HazkbError propagate to ui.cli.main(), which prints them and exits 1.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from quiz.model import ENTERPRISE_TYPES, ROLES, QType, Review

from . import render
from .cli_params import echo_json, iso_date


def _bank(obj):
    return obj.bank()  # app.workspace: the built-in starter bank on first use (unless retired or already filled)


_TYPE = click.Choice([t.value for t in QType])
_REVIEW = click.Choice([r.value for r in Review])
# quiz.generate's families and generators (kept here so that `hazkb --help` does not import the generator)
_FORMS = ("judge-true", "judge-false", "cloze", "choice", "multi", "which-article", "mutation-number",
          "mutation-modal", "mutation-phrase", "mutation-department", "mutation-level", "cloze-deadline",
          "cloze-number", "cloze-amount", "cloze-department", "cloze-term", "cloze-level", "cloze-modal",
          "cloze-phrase", "multi-items", "choice-false", "choice-true", "choice-multi")


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
    """题库与现场考试：导入、导出、模板、列表、审核、过时题目检查；抽卷、考试记录、打印、统计。"""


@quiz.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--role", "roles", multiple=True, type=_ROLE, help="文件未注明适用岗位的题目设为此岗位（可重复）")
@click.option("--enterprise", "enterprise_types", multiple=True, type=_ENTERPRISE,
              help="文件未注明企业类型的题目设为此类型（可重复）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
@click.pass_obj
def import_(obj, file: Path, roles, enterprise_types, as_json: bool) -> None:
    """导入题库文件（.xlsx .csv .json）：标准模板或培训平台导出格式。有问题的行逐行列出原因，重复题不重复导入。

    全部导入成功（或已在题库中）时退出码为 0；有行被拒绝时仍导入其余各行，列出原因，退出码为 1。"""
    from corpus.errors import HazkbError
    from quiz.bank_files import import_file

    try:
        report = import_file(_bank(obj), file, catalog=obj.catalog(), roles=list(roles),
                             enterprise_types=list(enterprise_types))
    except HazkbError as exc:
        if not as_json:
            raise
        echo_json({"imported": 0, "merged": 0, "duplicates": [], "rejected": [], "warnings": [], "error": str(exc)})
        sys.exit(1)
    if as_json:
        echo_json(report.as_json())
    else:
        click.echo(render.quiz_import_report(report))
    if report.rejected:
        click.echo(f"有 {len(report.rejected)} 行未导入（原因见上），其余各行已处理；"
                   "修改这些行后可重新导入同一文件，已导入的题目不会重复导入", err=True)
        sys.exit(1)


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
@click.option("--review", multiple=True, type=_REVIEW,
              help="只列出此审核状态（draft 待审核/approved 已审核/retired 已停用）")
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
        echo_json([question_to_dict(q) for q in items])
        return
    if not items:
        click.echo("没有符合条件的题目。用 hazkb quiz import 文件 导入题库，或 hazkb quiz template 生成模板。")
        return
    rows = [[q.qid, q.qtype.value, q.review.label, str(q.difficulty), q.stem, "；".join(q.flags) or "-"]
            for q in items]
    click.echo(render.table(["编号", "题型", "状态", "难度", "题干", "标记"], rows))
    click.echo(f"共 {len(items)} 道题")


@quiz.command()
@click.option("--exams", "of_exams", is_flag=True,
              help="改为统计现场考试：按企业、岗位、主题的平均分、合格率，及错误率最高的题目")
@click.option("--enterprise", "company", help="与 --exams 同用：只统计此企业（包含即可）")
@click.option("--from", "date_from", callback=iso_date, help="与 --exams 同用：起始日期 YYYY-MM-DD（含）")
@click.option("--to", "date_to", callback=iso_date, help="与 --exams 同用：截止日期 YYYY-MM-DD（含）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def stats(obj, as_json: bool, of_exams: bool = False, company=None, date_from=None, date_to=None) -> None:
    """题库统计：总数、各题型、各审核状态、带标记的题目数；加 --exams 统计现场考试成绩。"""
    if of_exams:
        from quiz.stats import exam_stats

        data = exam_stats(obj.exams().records(enterprise=company, date_from=date_from, date_to=date_to))
        if as_json:
            echo_json(data)
        else:
            click.echo("\n".join(_exam_stats_lines(data)))
        return
    data = _bank(obj).stats()
    if as_json:
        echo_json(data)
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
        echo_json({"flagged": len({r["qid"] for r in rows}), "findings": rows})
        return
    if not rows:
        click.echo("未发现与现行法规不一致的题目。")
        return
    click.echo(render.table(["编号", "题干", "原因"], [[r["qid"], r["stem"], r["reason"]] for r in rows], max_width=60))
    click.echo(f"共 {len({r['qid'] for r in rows})} 道题需要复核；"
               "核对后用 hazkb quiz review 编号 --approve --clear-flags")


# -- on-site exams (逢查必考) ------------------------------------------------------------------------


@quiz.command()
@click.option("--law", default="危险化学品安全法", show_default=True,
              help="从哪部法规出题（名称或简称；默认为现行的危险化学品安全法）")
@click.option("--n", "count", default=20, show_default=True, type=click.IntRange(1, 2000), help="题目数量")
@click.option("--seed", default=0, show_default=True, help="随机种子（相同种子出同样的题）")
@click.option("--type", "qtypes", multiple=True, type=_TYPE, help="只出这些题型，可重复")
@click.option("--form", "forms", multiple=True, type=click.Choice(_FORMS),
              help="只用这些出题方式，可重复；cloze-modal、mutation-modal、which-article、multi-items "
                   "只在这里点名时才出（审题时多被评为只考措辞或干扰项一眼可排除）")
@click.option("--save/--no-save", default=True, show_default=True, help="存入题库（状态为待审核）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def generate(obj, law: str, count: int, seed: int, qtypes, forms, save: bool, as_json: bool) -> None:
    """从法规条文自动出题（不需要大模型），经质量检查后存为待审核题目。"""
    from quiz.generate import generate_for_law
    from quiz.records import question_to_dict

    report = generate_for_law(obj.catalog(), law, count, seed=seed, types=[*qtypes, *forms] or None)
    added = duplicates = 0
    if save and report.kept:
        for _qid, duplicate in _bank(obj).add_many(report.kept):
            duplicates += duplicate
            added += not duplicate
    if as_json:
        echo_json({"law": law, "kept": len(report.kept), "saved": added, "duplicates": duplicates,
                    "rejected": len(report.rejected), "pass_rate": report.pass_rate,
                    "items": [question_to_dict(q) for q in report.kept]})
        return
    click.echo(f"从《{law}》生成 {len(report.kept)} 题（质量检查通过率 {report.pass_rate:.0%}），"
               f"存入题库 {added} 题（待审核），与已有题目重复 {duplicates} 题")
    for reason, n in sorted(report.reason_counts().items(), key=lambda x: -x[1])[:5]:
        click.echo(f"  未通过：{reason} × {n}")


def _paper_lines(paper, with_key: bool) -> list[str]:
    view = paper.public_view()
    counts = "，".join(f"{k} {v} 题" for k, v in view["counts"].items())
    lines = [view["title"], f"岗位：{paper.role}　企业类型：{paper.enterprise_type}　{counts}；满分 "
             f"{paper.total_points:g} 分，{paper.pass_mark:g} 分合格，限时 {paper.time_limit} 分钟",
             view["instructions"], ""]
    for item in paper.items:
        lines.append(f"{item.position}.（{item.qtype.value}，{item.points:g} 分）{item.stem}")
        lines += [f"    {chr(65 + j)}. {text}" for j, text in enumerate(item.options)]
    if with_key:
        lines += ["", "答案：" + "  ".join(f"{i.position}.{i.key}" for i in paper.items)]
    return lines


@quiz.command()
@click.option("--role", required=True, type=_ROLE, help="考生岗位（分管安全负责人按主要负责人的蓝图出题）")
@click.option("--enterprise", "enterprise_type", required=True, type=_ENTERPRISE,
              help="企业类型（经营(不带储存)按经营(带储存)的蓝图出题）")
@click.option("--seed", type=int, default=None, help="随机种子：同一种子、同一题库得到同一份试卷（便于复核）")
@click.option("--with-key", is_flag=True, help="同时输出答案（检查人员用，勿给考生）")
@click.option("--docx", "docx_file", type=click.Path(path_type=Path), help="同时保存为可打印的 Word 试卷")
@click.option("--person", help="考生姓名：给出时开始一场有记录的考试（需同时给出 --id-number、--company、--inspector）")
@click.option("--id-number", help="考生 18 位身份证号（用于避免重复抽到近期做过的题）；没有身份证号时写 无身份证号")
@click.option("--company", help="受检企业名称")
@click.option("--inspector", help="检查人员姓名")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def exam(obj, role, enterprise_type, seed, with_key, docx_file, person, id_number, company, inspector,
         as_json) -> None:
    """按岗位和企业类型的考试蓝图抽一份现场考试试卷（干什么、考什么）；默认不含答案。"""
    from quiz.blueprint import blueprint_for, load_blueprints
    from quiz.paper import draw_paper

    _check_combination(obj, role, enterprise_type)
    exam_id = None
    if person:
        missing = [name for name, value in (("--id-number", id_number), ("--company", company),
                                            ("--inspector", inspector)) if not value]
        if missing:
            raise click.UsageError(f"开始有记录的考试还需要 {'、'.join(missing)}")
        record = obj.exams().start(company, enterprise_type, person, id_number, role, inspector, seed=seed)
        paper, exam_id = record.paper, record.exam_id
    else:
        blueprint = blueprint_for(role, enterprise_type, load_blueprints(obj.settings.home / "blueprints"))
        paper = draw_paper(_bank(obj), blueprint, seed=seed, role=role, enterprise_type=enterprise_type)
    if docx_file is not None:
        from quiz.printout import write_paper_docx

        write_paper_docx(paper, docx_file, with_key=with_key)
    if as_json:
        data = {**paper.public_view(), "seed": paper.seed, "exam_id": exam_id}
        if with_key:
            for entry, item in zip(data["items"], paper.items):
                entry.update(key=item.key, explanation=item.explanation, basis=item.basis)
        echo_json(data)
        return
    click.echo("\n".join(_paper_lines(paper, with_key)))
    click.echo(f"\n随机种子：{paper.seed}（hazkb quiz exam … --seed {paper.seed} 可复现本卷）")
    if exam_id:
        click.echo(f"考试编号：{exam_id}")
    if docx_file is not None:
        click.echo(f"已保存 Word 试卷：{docx_file}")


def _check_combination(obj, role: str, enterprise_type: str) -> None:
    """Refuse a role × enterprise type the bank cannot draw a paper for, naming the ones it can."""
    from quiz.blueprint import load_blueprints
    from quiz.combos import exam_combinations
    from quiz.errors import QuizError

    combos = exam_combinations(_bank(obj), load_blueprints(obj.settings.home / "blueprints"))
    chosen = next(c for c in combos if (c.role, c.enterprise_type) == (role, enterprise_type))
    if chosen.drawable:
        return
    offered = "；".join(f"{c.role}·{c.enterprise_type}" for c in combos if c.drawable) or "无"
    why = ("没有考试蓝图" if not chosen.blueprint else
           "已审核题目不足（" + "，".join(f"{t}还差 {n} 道" for t, n in chosen.missing.items()) + "）")
    raise QuizError(f"“{role}”在“{enterprise_type}”企业暂不能组卷：{why}。"
                    f"目前可以组卷的岗位·企业类型：{offered}。"
                    "可用 hazkb quiz import 导入题库，或 hazkb quiz starter --load 载入内置题库")


@quiz.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def combos(obj, as_json: bool) -> None:
    """各岗位、企业类型能否组卷：所用蓝图、可用题数、还差的题数（现场考试只提供能组卷的组合）。"""
    from quiz.blueprint import load_blueprints
    from quiz.combos import exam_combinations

    found = exam_combinations(_bank(obj), load_blueprints(obj.settings.home / "blueprints"))
    if as_json:
        echo_json([c.as_dict() for c in found])
        return
    rows = [[c.role, c.enterprise_type, c.blueprint or "-", "可以" if c.drawable else "不能",
             "，".join(f"{t} {n}" for t, n in c.available.items() if n) or "-",
             "，".join(f"{t}差 {n}" for t, n in c.missing.items()) or "-"] for c in found]
    click.echo(render.table(["岗位", "企业类型", "蓝图", "组卷", "可用题数", "缺少"], rows, max_width=30))
    click.echo(f"可以组卷 {sum(c.drawable for c in found)} 个组合，共 {len(found)} 个")


@quiz.command()
@click.option("--load", "action", flag_value="load", help="载入内置题库（与本局题库并存；停用后可用此恢复）")
@click.option("--retire", "action", flag_value="retire", help="停用内置题库：其题目设为已停用，以后不再自动载入")
@click.option("--build", "build_file", type=click.Path(path_type=Path),
              help="（维护者用）从当前数据目录的法规重新生成内置题库文件，如 quiz/data/starter_bank.jsonl")
@click.option("--seed", "seeds", multiple=True, type=int, help="与 --build 同用：随机种子，可重复（默认 17）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def starter(obj, action, build_file, seeds, as_json: bool) -> None:
    """内置题库：新数据目录首次使用时自动载入（覆盖全部岗位和企业类型）；可停用，或与本局题库并存。"""
    from quiz.starter import load_starter, retire_starter, starter_status

    if build_file is not None:
        _build_starter(obj, build_file, tuple(seeds) or None, as_json)
        return
    bank = _bank(obj)
    if action == "retire":
        n = retire_starter(bank)
        data = {"retired": n, **starter_status(bank)}
        message = f"已停用内置题库的 {n} 道题；以后不再自动载入（hazkb quiz starter --load 可恢复）"
    elif action == "load":
        outcome = load_starter(bank)
        data = {**outcome, **starter_status(bank)}
        message = (f"内置题库已载入：新增 {outcome['added']} 道，恢复 {outcome['restored']} 道"
                   f"（版本 {outcome['version']}）")
    else:
        data = starter_status(bank)
        counts = "，".join(f"{Review(k).label} {v}" for k, v in data["in_bank"].items()) or "无"
        message = (f"内置题库：{data['status']}（版本 {data['version'] or '-'}）；随程序提供 {data['shipped']} 道题"
                   f"（版本 {data['shipped_version']}）；题库中的内置题目：{counts}")
    if as_json:
        echo_json(data)
    else:
        click.echo(message)


def _build_starter(obj, path: Path, seeds, as_json: bool) -> None:
    from quiz.blueprint import load_blueprints
    from quiz.solver import ExtractiveSolver
    from quiz.starter_build import DEFAULT_SEEDS, build_starter, coverage, write_starter

    build = build_starter(obj.catalog(), ExtractiveSolver(obj.searcher()), seeds=seeds or DEFAULT_SEEDS)
    shipped = write_starter(build, path)
    found = coverage(build.items, load_blueprints())
    summary = {**build.summary(), "version": shipped.version, "file": str(path),
               "combinations": [c.as_dict() for c in found]}
    if as_json:
        echo_json(summary)
        return
    click.echo(f"已生成内置题库 {path}：{len(build.items)} 道题（版本 {shipped.version}）；"
               f"质量检查通过率 {summary['gate_pass_rate']:.0%}，条文作答一致率 {summary['solver_agreement']:.0%}")
    click.echo("各法规：" + "，".join(f"{law} {n}" for law, n in summary["by_law"].items()))
    short = [c for c in found if not c.drawable]
    click.echo(f"可以组卷 {len(found) - len(short)} 个岗位·企业类型组合，共 {len(found)} 个"
               + ("；不能组卷：" + "；".join(f"{c.role}·{c.enterprise_type}" for c in short) if short else ""))


@quiz.command()
@click.option("--enterprise", "company", help="企业名称（包含即可）")
@click.option("--person", help="考生姓名（包含即可）")
@click.option("--id-number", help="考生身份证号")
@click.option("--role", type=_ROLE, help="岗位")
@click.option("--from", "date_from", callback=iso_date, help="起始日期 YYYY-MM-DD（含）")
@click.option("--to", "date_to", callback=iso_date, help="截止日期 YYYY-MM-DD（含）")
@click.option("--export", "export_file", type=click.Path(path_type=Path), help="导出到 Excel 文件（.xlsx）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def records(obj, company, person, id_number, role, date_from, date_to, export_file, as_json) -> None:
    """现场考试记录：企业、考生、岗位、检查人员、日期、得分、是否合格；可按企业、考生、日期筛选并导出 Excel。"""

    found = obj.exams().records(enterprise=company, person=person, id_number=id_number, role=role,
                                             date_from=date_from, date_to=date_to)
    if export_file is not None:
        from quiz.printout import write_records_xlsx

        write_records_xlsx(found, export_file)
    rows = [e.record() for e in found]
    if as_json:
        echo_json(rows)
        return
    if export_file is not None:
        click.echo(f"已导出 {len(rows)} 条考试记录到 {export_file}")
    if not rows:
        click.echo("没有符合条件的考试记录。")
        return
    click.echo(render.table(["考试编号", "企业", "姓名", "身份证号", "岗位", "检查人员", "日期", "得分", "结果"],
                            [[r["exam_id"], r["enterprise"], r["person"], r["id_number"], r["role"], r["inspector"],
                              r["date"], "-" if r["score"] is None else f"{r['score']:g}", r["status"]] for r in rows]))
    click.echo(f"共 {len(rows)} 条")


@quiz.command("print")
@click.argument("exam_id")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--with-key", is_flag=True, help="未交卷的试卷也印出答案（检查人员用）")
@click.pass_obj
def print_(obj, exam_id: str, file: Path, with_key: bool) -> None:
    """把考试 EXAM_ID 打印为 Word 文件 FILE（.docx）：已交卷的印出考生答案、正确答案、解析和依据；含签字栏。"""
    from quiz.printout import write_exam_docx

    record = obj.exams().get(exam_id)
    write_exam_docx(record, file, with_key=with_key)
    kind = "已评分答题记录" if record.result is not None else "试卷"
    click.echo(f"已保存{kind}：{file}（{record.person}，{record.enterprise}）")


def _exam_stats_lines(data: dict) -> list[str]:
    overall = data["overall"]
    if not overall["count"]:
        return ["还没有已交卷的考试。"]

    def pct(rate):
        return "-" if rate is None else f"{100 * rate:.1f}%"

    lines = [f"已交卷 {overall['count']} 场，平均分 {overall['average']:g}，合格率 {pct(overall['pass_rate'])}"
             + (f"；另有 {data['open']} 场未交卷" if data["open"] else "")]
    for key, title in (("by_enterprise", "企业"), ("by_role", "岗位"), ("by_enterprise_type", "企业类型")):
        name = key.removeprefix("by_")
        lines += ["", render.table([title, "场次", "平均分", "合格率"],
                                   [[r[name], str(r["count"]), f"{r['average']:g}", pct(r["pass_rate"])]
                                    for r in data[key]])]
    lines += ["", render.table(["主题", "答题数", "正确率", "得分率"],
                               [[r["topic"], str(r["count"]), pct(r["accuracy"]),
                                 "-" if r["average"] is None else f"{r['average']:.1f}%"] for r in data["by_topic"]])]
    if data["most_missed"]:
        lines += ["", "错误率最高的题目：", render.table(
            ["编号", "题型", "题干", "答题数", "错误率"],
            [[r["qid"], r["qtype"], r["stem"], str(r["count"]), pct(r["miss_rate"])] for r in data["most_missed"]],
            max_width=50)]
    return lines
