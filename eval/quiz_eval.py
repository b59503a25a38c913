"""Evaluation of the exam solver (quiz.solver): it answers a bank's items, or freshly generated ones, from the corpus
alone; its answers are compared with the keys, by type and by method, with each disagreement and its evidence."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from quiz.model import QType, Question
from quiz.solver import ExtractiveSolver, Solver
from retriever.search import Searcher


def load_bank(path: str | Path, catalog=None) -> tuple[list[Question], dict]:
    """Read a bank file (.xlsx / .csv / .json) through a throwaway in-memory bank: its items, and what was skipped."""
    from quiz.bank_files import import_file
    from quiz.store import QuestionBank

    bank = QuestionBank("sqlite://")
    try:
        bank.create()
        report = import_file(bank, path, catalog=catalog)
        items = bank.list()
    finally:
        bank.close()
    return items, {"rows": report.rows, "duplicates": len(report.duplicates), "rejected": len(report.rejected)}


def evaluate_items(items: Iterable[Question], solver: Solver, progress: bool = False) -> dict:
    """Solve each item and compare with its key: {"n", "accuracy", "by_type", "disagreements", ...}."""
    from tqdm import tqdm

    items = list(items)
    by_type: dict[str, list[int]] = {t.value: [0, 0] for t in QType}
    methods: Counter = Counter()
    method_correct: Counter = Counter()
    disagreements = []
    for question in tqdm(items, desc="答题", unit="题", disable=not progress):
        solution = solver.solve(question)
        correct = solution.letters == question.answer
        by_type[question.qtype.value][0] += 1
        by_type[question.qtype.value][1] += int(correct)
        methods[solution.method] += 1
        method_correct[solution.method] += int(correct)
        if not correct:
            disagreements.append({
                "stem": question.stem, "qtype": question.qtype.value, "options": list(question.options),
                "key": question.answer, "system": solution.letters, "method": solution.method,
                "reasons": solution.reasons, "evidence": [e.as_dict() for e in solution.evidence],
            })
    n = len(items)
    correct_total = sum(c for _, c in by_type.values())
    return {
        "n": n,
        "accuracy": correct_total / n if n else 0.0,
        "by_type": {t: {"n": total, "correct": c, "accuracy": c / total if total else None}
                    for t, (total, c) in by_type.items() if total},
        "by_method": {m: {"n": total, "accuracy": method_correct[m] / total} for m, total in methods.items()},
        "solver": getattr(solver, "name", type(solver).__name__),
        "disagreements": disagreements,
    }


def run_bank_eval(path: str | Path, searcher: Searcher, solver: Solver | None = None, progress: bool = False) -> dict:
    items, read = load_bank(path)
    report = evaluate_items(items, solver or ExtractiveSolver(searcher), progress)
    return {"source": Path(path).name, **read, **report}


def run_generated_eval(catalog, searcher: Searcher, law: str, n: int = 50, seed: int = 0,
                       solver: Solver | None = None, progress: bool = False) -> dict | None:
    """Solve n items generated from one law by quiz.generate (None when the generator is not installed)."""
    try:
        from quiz.generate import generate_for_law
    except ImportError:
        return None
    items = generate_for_law(catalog, law, n, seed=seed).kept
    report = evaluate_items(items, solver or ExtractiveSolver(searcher), progress)
    return {"source": f"生成题：{law}（{len(items)} 题，seed={seed}）", **report}
