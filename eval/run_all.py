"""The whole evaluation in one call: retrieval vs baselines, lookups, abstention, citation trust, quiz answering.

    results = run_all(catalog, searcher, EvalInputs(gold=..., banks=[...]))
    paths = eval.report.write_report(results, out_dir)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from corpus.catalog import Catalog
from corpus.errors import ConfigError
from retriever.answer import ExtractiveAnswerer

from .gold import LawKeys, load_gold
from .retrieval import run_retrieval_eval, system_ranker

log = logging.getLogger(__name__)

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DEFAULT_GENERATED_LAW = "危险化学品安全管理条例"


# Every gold set, blind held-out first: (name, file, what it is). The headline figures are the held-out ones.
SETS = (
    ("answers_holdout10", "answers_holdout10.jsonl", "第十留出集（最新盲写，按日常检查的比例，从未逐题查看）"),
    ("answers_holdout9", "answers_holdout9.jsonl", "第九留出集（盲写，按日常检查的比例，从未逐题查看）"),
    ("answers_holdout8", "answers_holdout8.jsonl", "第八留出集（盲写，按日常检查的比例，从未逐题查看）"),
    ("answers_holdout7", "answers_holdout7.jsonl", "第七留出集（盲写，按日常比例，从未逐题查看；AE 部分曾误显示）"),
    ("answers_holdout6", "answers_holdout6.jsonl", "第六留出集（盲写，按日常检查的比例，从未逐题查看）"),
    ("answers_holdout5", "answers_holdout5.jsonl", "第五留出集（盲写，从未逐题查看）"),
    ("answers_holdout4", "answers_holdout4.jsonl", "第四留出集（盲写，从未逐题查看）"),
    ("answers_holdout3", "answers_holdout3.jsonl", "第三留出集（盲写，从未逐题查看）"),
    ("answers_holdout2", "answers_holdout2.jsonl", "第二留出集（盲写，从未逐题查看）"),
    ("answers_holdout", "answers_holdout.jsonl", "留出集（盲写，从未逐题查看）"),
    ("holdout", "holdout.jsonl", "旧留出集（盲写，仅看过总分）"),
    ("rules_holdout", "rules_holdout.jsonl", "规定问题留出集（问时限、部门、办理、要求，盲写，从未逐题查看）"),
    ("answers_formal_holdout", "answers_formal_holdout.jsonl", "记录式留出集（检查记录写法，盲写，从未逐题查看）"),
    ("answers_formal_dev", "answers_formal_dev.jsonl", "记录式开发集（检查记录写法，盲写，先盲跑再查找问题）"),
    ("answers_dev11", "answers_dev11.jsonl", "第十一开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev12", "answers_dev12.jsonl", "第十二开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev13", "answers_dev13.jsonl", "第十三开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev14", "answers_dev14.jsonl", "第十四开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev15", "answers_dev15.jsonl", "第十五开发集（盲写，只在第十六轮开始和结束时各盲跑一次，未逐题查看）"),
    ("answers_dev16", "answers_dev16.jsonl", "第十六开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev17", "answers_dev17.jsonl", "第十七开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev18", "answers_dev18.jsonl", "第十八开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev19", "answers_dev19.jsonl", "第十九开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev20", "answers_dev20.jsonl", "第二十开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev28", "answers_dev28.jsonl", "第二十八开发集（盲写，按日常检查的比例，第二十五轮中途写成后盲跑）"),
    ("answers_dev27", "answers_dev27.jsonl", "第二十七开发集（盲写，按日常检查的比例，第二十四轮中途写成后盲跑）"),
    ("answers_dev26", "answers_dev26.jsonl", "第二十六开发集（盲写，按日常检查的比例，第二十三轮改动后写成并盲跑）"),
    ("answers_dev25", "answers_dev25.jsonl", "第二十五开发集（盲写，按日常检查的比例，第二十二轮开始时写成后盲跑）"),
    ("answers_dev24", "answers_dev24.jsonl", "第二十四开发集（盲写，按日常检查的比例，第二十轮结束前写成后盲跑）"),
    ("answers_dev23", "answers_dev23.jsonl", "第二十三开发集（盲写，按日常检查的比例，第十九轮中途写成后盲跑）"),
    ("answers_dev22", "answers_dev22.jsonl", "第二十二开发集（盲写，按日常检查的比例，第十八轮改动后盲跑）"),
    ("answers_dev21", "answers_dev21.jsonl", "第二十一开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev10", "answers_dev10.jsonl", "第十开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev9", "answers_dev9.jsonl", "第九开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev8", "answers_dev8.jsonl", "第八开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev7", "answers_dev7.jsonl", "第七开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev6", "answers_dev6.jsonl", "第六开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_dev5", "answers_dev5.jsonl", "第五开发集（盲写，按日常检查的比例，先盲跑一次，再用于查找问题）"),
    ("answers_sector", "answers_sector.jsonl", "行业法规开发集（燃气、烟花爆竹、民爆、管道，盲写，先盲跑再查找问题）"),
    ("answers_dev4", "answers_dev4.jsonl", "第四开发集（盲写，先盲跑一次，再用于查找问题）"),
    ("answers_dev2", "answers_dev2.jsonl", "第二开发集（盲写，先盲跑一次，再用于查找问题）"),
    ("answers_dev", "answers_dev.jsonl", "开发集（盲写，用于查找问题）"),
    ("rules_dev", "rules_dev.jsonl", "规定问题开发集（盲写，先盲跑一次，再用于查找问题）"),
    ("rules_dev2", "rules_dev2.jsonl", "第二规定问题开发集（盲写，写成后先盲跑，再用于查找问题）"),
    ("rules_dev3", "rules_dev3.jsonl", "第三规定问题开发集（本轮改动完成后盲写，只盲跑、只看总数）"),
    ("dev", "dev.jsonl", "旧开发集（盲写后用于开发）"),
    ("inspector", "inspector.jsonl", "调参集（反复用于调参）"),
)


@dataclass
class EvalInputs:
    gold: Path = GOLD_DIR / "inspector.jsonl"
    held_out: Path | None = GOLD_DIR / "holdout.jsonl"  # written blind, never used for tuning
    lookups: Path | None = GOLD_DIR / "lookups.jsonl"
    out_of_scope: Path | None = GOLD_DIR / "out_of_scope.jsonl"
    banks: list[Path] = field(default_factory=list)
    generated_law: str | None = DEFAULT_GENERATED_LAW
    n_generated: int = 50
    seed: int = 0
    baselines: bool = True
    trust: bool = True
    k: int = 10
    sets: bool = True  # also every set side by side (answer level and retrieval)
    gold_dir: Path = GOLD_DIR  # where the sets shown side by side are read (the SETS file names)

    @classmethod
    def from_dir(cls, gold_dir: Path | None = None, **options) -> EvalInputs:
        """Inputs read from one folder of gold sets under the shipped file names (a bureau keeps its own blind
        sets there; None: the shipped eval/gold). The retrieval set inspector.jsonl must be there; the others are
        left out when absent."""
        folder = Path(gold_dir) if gold_dir is not None else GOLD_DIR
        gold = folder / "inspector.jsonl"
        if not gold.is_file():
            raise ConfigError(f"评测集目录 {folder} 中没有 inspector.jsonl（检索评测集）；"
                              "请放入该文件，或不设置 HAZKB_GOLD_DIR 以使用随附的评测集")

        def present(name: str) -> Path | None:
            path = folder / name
            return path if path.is_file() else None

        return cls(gold=gold, held_out=present("holdout.jsonl"), lookups=present("lookups.jsonl"),
                   out_of_scope=present("out_of_scope.jsonl"), gold_dir=folder, **options)


def lookup_accuracy(catalog: Catalog, answerer: ExtractiveAnswerer, path: Path) -> dict:
    """A lookup is right when its named articles are exactly the first ones returned."""
    laws = LawKeys(catalog)
    rank = system_ranker(answerer, laws)
    questions = load_gold(path, catalog)
    right, failures = 0, []
    for q in questions:
        ranked = rank(q.q)
        ok = bool(q.gold) and set(q.gold) <= set(ranked[: len(q.gold)])
        right += ok
        if not ok:
            failures.append({"q": q.q, "gold": [list(g) for g in q.gold], "top": [list(r) for r in ranked[:3]]})
    n = len(questions)
    return {"n": n, "accuracy": right / n if n else None, "failures": failures}


def run_all(catalog: Catalog, searcher, inputs: EvalInputs, solver=None, progress: bool = False) -> dict:
    """Run every evaluation; a part whose input is missing is left out (None)."""
    from quiz.solver import ExtractiveSolver

    from .abstention import run_abstention_eval
    from .quiz_eval import run_bank_eval, run_generated_eval

    answerer = ExtractiveAnswerer(searcher)
    results: dict = {
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "corpus": catalog.counts(),
        "dense": searcher.dense is not None,
        "gold": str(inputs.gold),
    }
    log.info("retrieval: %s", inputs.gold)
    rankers = None
    if inputs.baselines:  # built once (two BM25 indexes over the whole corpus), used for every set
        from .baselines import baseline_rankers

        rankers = baseline_rankers(catalog, LawKeys(catalog), inputs.k, progress)
    results["retrieval"] = run_retrieval_eval(catalog, answerer, inputs.gold, k=inputs.k,
                                              baselines=inputs.baselines, progress=progress, rankers=rankers)
    results["held_out"] = (run_retrieval_eval(catalog, answerer, inputs.held_out, k=inputs.k,
                                              baselines=inputs.baselines, progress=progress, rankers=rankers)
                           if inputs.held_out else None)
    results["lookups"] = lookup_accuracy(catalog, answerer, inputs.lookups) if inputs.lookups else None
    results["abstention"] = (run_abstention_eval(answerer, inputs.out_of_scope, inputs.gold)
                             if inputs.out_of_scope else None)
    if inputs.trust:
        from .trust import run_trust_eval

        results["trust"] = run_trust_eval(catalog, searcher, inputs.gold)
    else:
        results["trust"] = None
    solver = solver or ExtractiveSolver(searcher)
    quiz = [run_bank_eval(path, searcher, solver, progress) for path in inputs.banks]
    if inputs.generated_law and inputs.n_generated > 0:
        generated = run_generated_eval(catalog, searcher, inputs.generated_law, inputs.n_generated, inputs.seed,
                                       solver, progress)
        if generated is not None:
            quiz.append(generated)
    results["quiz"] = quiz
    if inputs.sets:
        done = {Path(inputs.gold).resolve(): results["retrieval"]}
        if inputs.held_out:
            done[Path(inputs.held_out).resolve()] = results["held_out"]
        results["sets"] = run_sets(catalog, answerer, inputs, progress, rankers, done)
    return results


def run_sets(catalog: Catalog, answerer: ExtractiveAnswerer, inputs: EvalInputs, progress: bool = False,
             rankers: dict | None = None, done: dict[Path, dict] | None = None) -> list:
    """Answer-level and retrieval figures of every gold set found, held-out first (with the bigram BM25
    baseline's retrieval beside them). `done`: retrieval reports already run, by resolved path."""
    from .answers import run_answer_eval
    from .baselines import baseline_rankers
    from .retrieval import evaluate

    laws = LawKeys(catalog)
    if inputs.baselines and rankers is None:
        rankers = baseline_rankers(catalog, laws, inputs.k, progress)
    bigram = rankers.get("bigram_bm25") if rankers else None
    figures = ("hit@1", "hit@5", "mrr", "lenient_mrr")
    out = []
    for name, file, what in SETS:
        path = inputs.gold_dir / file
        if not path.is_file():
            continue
        answers = run_answer_eval(catalog, answerer, path, progress)
        answers.pop("per_question", None)
        # The same findings asked as an inspector who chose the unit's type first (ask --unit-type) would.
        with_types = run_answer_eval(catalog, answerer, path, progress, unit_types=True) if answers["n"] else None
        if with_types is not None:
            with_types.pop("per_question", None)
        earlier = (done or {}).get(path.resolve())
        base = None
        if earlier is not None:
            retrieval = {k: v for k, v in earlier.items() if k not in ("per_question", "by_category", "baselines")}
            if bigram is not None and "bigram_bm25" in earlier.get("baselines", {}):
                base = {k: earlier["baselines"]["bigram_bm25"][k] for k in figures}
        else:
            questions = load_gold(path, catalog)
            retrieval = evaluate(questions, system_ranker(answerer, laws, inputs.k), inputs.k)
            retrieval.pop("per_question", None)
            retrieval.pop("by_category", None)
            if bigram is not None:
                full = evaluate(questions, bigram, inputs.k)
                base = {k: full[k] for k in figures}
        out.append({"name": name, "what": what, "file": str(path), "answers": answers,
                    "answers_unit_type": with_types if with_types and with_types["unit_types"] else None,
                    "retrieval": retrieval, "baseline": base})
    return out
