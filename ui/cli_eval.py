"""`hazkb eval ...`: evaluation commands (thin: parse, call eval/, render)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from . import render


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(name="eval")
def eval_group() -> None:
    """评测：检索准确率、题库作答准确率。"""


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

    report = run_retrieval_eval(obj.catalog(), obj.answerer(), gold, k=k, baselines=not no_baselines,
                                progress=not as_json)
    if as_json:
        _echo_json(report)
    else:
        click.echo(render.eval_report(report))
