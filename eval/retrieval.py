"""Retrieval evaluation: the system's ranked articles against a gold set, beside two naive BM25 baselines."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from corpus.catalog import Catalog
from retriever.answer import ExtractiveAnswerer

from .gold import GoldQuestion, LawKeys, load_gold
from .metrics import Key, QuestionResult, by_category, summarize

log = logging.getLogger(__name__)

Ranker = Callable[[str], list[Key]]


def system_ranker(answerer: ExtractiveAnswerer, laws: LawKeys, k: int = 10) -> Ranker:
    """What the product shows: the answer's citations in order, then the remaining search hits."""

    def rank(question: str) -> list[Key]:
        result = answerer.retrieve(question, k=k)
        answer = answerer.compose(result, k=k)
        keys: list[Key] = []
        for law, no, label in [(c.law, c.article_no, c.article) for c in answer.citations] + [
                (h.doc.title, h.unit.article_no, h.unit.label) for h in result.hits]:
            key = (laws.key(law), label)
            if no is not None and key not in keys:
                keys.append(key)
        return keys[: max(k, 10)]

    return rank


def evaluate(questions: list[GoldQuestion], ranker: Ranker, k: int = 10, progress: bool = False) -> dict:
    from tqdm import tqdm

    results = [QuestionResult(q.q, q.category, q.gold, q.alt, ranker(q.q))
               for q in tqdm(questions, desc="评测", unit="题", disable=not progress)]
    report = summarize(results, k)
    report["by_category"] = by_category(results, k)
    report["per_question"] = [r.as_dict() for r in results]
    return report


def run_retrieval_eval(catalog: Catalog, answerer: ExtractiveAnswerer, gold_path: Path, k: int = 10,
                       baselines: bool = True, progress: bool = False, rankers: dict | None = None) -> dict:
    """The system's retrieval figures on a gold set, with the baselines' beside them (`rankers`: baselines
    already built, for a caller that evaluates several sets)."""
    questions = load_gold(gold_path, catalog)
    laws = LawKeys(catalog)
    report = evaluate(questions, system_ranker(answerer, laws, k), k, progress)
    if baselines:
        from .baselines import baseline_rankers

        report["baselines"] = {}
        for name, ranker in (rankers or baseline_rankers(catalog, laws, k, progress)).items():
            base = evaluate(questions, ranker, k)
            base.pop("per_question")
            report["baselines"][name] = base
            report["baselines"][name]["mrr_ratio"] = report["mrr"] / base["mrr"] if base["mrr"] else None
    return report
