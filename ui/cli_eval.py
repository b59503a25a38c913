"""`hazkb eval ...`: evaluation commands (thin: parse, call eval/, render)."""
from __future__ import annotations

from pathlib import Path

import click

from . import render
from .cli_params import echo_json


@click.group(name="eval")
def eval_group() -> None:
    """评测：检索准确率、引用可信度、题库作答准确率，以及一条命令生成评测报告（hazkb eval report）。"""


@eval_group.command(name="retrieval")
@click.option("--gold", "gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="评测集 JSONL 文件")
@click.option("--k", default=10, show_default=True)
@click.option("--no-baselines", is_flag=True, help="不计算基线（更快）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def eval_retrieval(obj, gold: Path, k: int, no_baselines: bool, as_json: bool) -> None:
    """按评测集计算 hit@1/5/10、MRR，并与朴素 BM25 基线对比。"""
    from eval.retrieval import run_retrieval_eval
    from retriever.answer import ExtractiveAnswerer

    report = run_retrieval_eval(obj.catalog(), ExtractiveAnswerer(obj.searcher()), gold, k=k,
                                baselines=not no_baselines, progress=not as_json)
    if as_json:
        echo_json(report)
    else:
        click.echo(render.eval_report(report))


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@eval_group.command(name="answers")
@click.option("--gold", "gold", type=_FILE, required=True,
              help="答案层面评测集 JSONL（每条发现列出违法依据与处罚依据，见 eval/gold/README.md）")
@click.option("--unit-types", is_flag=True,
              help="按每条发现的 enterprise 字段（被检查单位类型）作答，如同检查前选定了单位类型（ask --unit-type）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（含逐题结果）")
@click.pass_obj
def eval_answers(obj, gold: Path, unit_types: bool, as_json: bool) -> None:
    """按执法依据评测答案：处罚依据与项是否正确、确定的依据有多少、错在哪里。"""
    from eval.answers import run_answer_eval
    from retriever.answer import ExtractiveAnswerer

    report = run_answer_eval(obj.catalog(), ExtractiveAnswerer(obj.searcher()), gold, progress=not as_json,
                             unit_types=unit_types)
    if as_json:
        echo_json(report)
    else:
        click.echo(render.answer_eval_report(report))


@eval_group.command(name="quiz")
@click.option("--bank", "banks", type=_FILE, multiple=True, help="题库文件（.xlsx / .csv / .json），可重复")
@click.option("--generate", "law", help="另用出题器从该法规生成题目来作答（法规名称或简称）")
@click.option("--n", "n_generated", default=50, show_default=True, help="生成题数量")
@click.option("--seed", default=0, show_default=True, help="生成题随机种子")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def eval_quiz(obj, banks: tuple[Path, ...], law: str | None, n_generated: int, seed: int, as_json: bool) -> None:
    """系统只依据知识库作答题库中的判断、单选、多选题，按题型统计与题库答案的一致率，并列出不一致的题及依据。"""
    from eval.quiz_eval import run_bank_eval, run_generated_eval
    from quiz.solver import solver_for

    if not banks and not law:
        raise click.UsageError("请用 --bank 指定题库文件，或用 --generate 指定出题的法规")
    searcher = obj.searcher()
    solver = solver_for(obj.settings, searcher)
    reports = [run_bank_eval(path, searcher, solver, progress=not as_json) for path in banks]
    if law:
        generated = run_generated_eval(obj.catalog(), searcher, law, n_generated, seed, solver, progress=not as_json)
        if generated is None:
            click.echo("出题器（quiz.generate）不可用，已跳过生成题", err=True)
        else:
            reports.append(generated)
    if as_json:
        echo_json(reports[0] if len(reports) == 1 else reports)
    else:
        click.echo("\n\n".join(render.quiz_eval_report(r) for r in reports))


@eval_group.command(name="trust")
@click.option("--gold", type=_FILE, default=None, help="问题集 JSONL（默认 eval/gold/inspector.jsonl）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_obj
def eval_trust(obj, gold: Path | None, as_json: bool) -> None:
    """引用可信度：回答中的引用是否存在、现行、来自检索结果；编造的引用能否全部识别。"""
    from eval.run_all import GOLD_DIR
    from eval.trust import run_trust_eval

    report = run_trust_eval(obj.catalog(), obj.searcher(), gold or GOLD_DIR / "inspector.jsonl")
    if as_json:
        echo_json(report)
    else:
        click.echo(render.trust_report(report))


@eval_group.command(name="report")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="报告输出目录（写入 report.md、report.html、results.json 和图表）")
@click.option("--gold-dir", "gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="评测集目录（本局自己的评测集，文件名同 eval/gold；默认取 HAZKB_GOLD_DIR，未设置则用随附的）")
@click.option("--gold", type=_FILE, default=None, help="执法问答评测集（默认 评测集目录/inspector.jsonl）")
@click.option("--held-out", "held_out", type=_FILE, default=None,
              help="留出评测集：盲写、未用于调参（默认 评测集目录/holdout.jsonl）")
@click.option("--lookups", type=_FILE, default=None, help="直接查条评测集（默认 评测集目录/lookups.jsonl）")
@click.option("--out-of-scope", "out_of_scope", type=_FILE, default=None,
              help="应拒答的问题集（默认 评测集目录/out_of_scope.jsonl）")
@click.option("--bank", "banks", type=_FILE, multiple=True, help="题库文件，可重复")
@click.option("--generate", "law", default=None, help="生成题所用法规（默认 危险化学品安全管理条例）")
@click.option("--n", "n_generated", default=50, show_default=True, help="生成题数量（0 为不生成）")
@click.option("--no-baselines", is_flag=True, help="不计算基线（更快）")
@click.option("--no-trust", is_flag=True, help="不评测引用可信度（更快）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出文件路径")
@click.pass_obj
def eval_report(obj, out: Path, gold_dir, gold, held_out, lookups, out_of_scope, banks, law, n_generated, no_baselines,
                no_trust, as_json) -> None:
    """一条命令完成全部评测（检索与基线、留出集、查条、拒答、引用可信度、题库作答），\
写出 Markdown 和 HTML 报告及图表。"""
    from dataclasses import replace

    from eval.report import write_report
    from eval.run_all import DEFAULT_GENERATED_LAW, EvalInputs, run_all
    from quiz.solver import solver_for

    inputs = EvalInputs.from_dir(gold_dir or obj.settings.gold_dir, banks=list(banks),
                                 generated_law=law or DEFAULT_GENERATED_LAW, n_generated=n_generated,
                                 baselines=not no_baselines, trust=not no_trust)
    given = {"gold": gold, "held_out": held_out, "lookups": lookups, "out_of_scope": out_of_scope}
    inputs = replace(inputs, **{k: v for k, v in given.items() if v is not None})
    searcher = obj.searcher()
    results = run_all(obj.catalog(), searcher, inputs, solver_for(obj.settings, searcher), progress=not as_json)
    paths = write_report(results, out)
    if as_json:
        echo_json(paths)
    else:
        click.echo(render.report_paths(paths, results))
