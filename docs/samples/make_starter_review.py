"""Write the hand-check sample of the built-in starter bank: starter_bank_review.tsv in this folder.

    .venv/bin/python docs/samples/make_starter_review.py --home 建库目录 [--n 90] [--seed N]

A stratified sample of quiz/data/starter_bank.jsonl (every generator kind represented, the rest in proportion),
drawn with a fixed seed, each item with the article it cites (read from the home's catalog) and empty 结论 / 说明
columns for the reviewer. The same starter bank gives the same file.
"""
from __future__ import annotations

import argparse
import logging
import math
import random
from collections import defaultdict
from pathlib import Path

from corpus.catalog import open_catalog
from corpus.errors import NotFoundError
from corpus.settings import Settings
from quiz.model import LETTERS, QType
from quiz.starter import shipped_starter

log = logging.getLogger("make_starter_review")

OUT = Path(__file__).resolve().parent / "starter_bank_review.tsv"
COLUMNS = ("序号", "编号", "题型", "生成方式", "题干", "选项", "答案", "依据", "条文原文", "适用岗位", "企业类型",
           "结论", "说明")
SEED = 20261207  # a new seed for every fresh review (20261202-20261206 drew the earlier ones)


def _cell(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").split("\n"))


def sample(items, n: int, seed: int = SEED):
    """Every generator kind at least twice (or all its items), the rest in proportion; in bank order."""
    rng = random.Random(seed)
    by_kind = defaultdict(list)
    for q in items:
        by_kind[q.origin.generator].append(q)
    quota = {k: min(len(v), max(2, math.floor(n * len(v) / len(items)))) for k, v in by_kind.items()}
    while sum(quota.values()) < n:
        k = max(by_kind, key=lambda k: (len(by_kind[k]) - quota[k]) / len(by_kind[k]))
        if quota[k] >= len(by_kind[k]):
            break
        quota[k] += 1
    chosen = {q.qid for k, v in by_kind.items() for q in rng.sample(v, quota[k])}
    return [q for q in items if q.qid in chosen]


def _article(catalog, basis) -> str:
    try:
        doc = catalog.find_law(basis.law)
        return catalog.article(doc.doc_id, basis.article_no, basis.article_sub).text
    except NotFoundError:
        return "（建库目录中找不到该条文）"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--home", required=True, help="a home holding the laws of quiz/data/starter_laws.tsv")
    parser.add_argument("--n", type=int, default=90)
    parser.add_argument("--seed", type=int, default=SEED, help="another seed draws another sample (a fresh audit)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    catalog = open_catalog(Settings.from_env({}, home=Path(args.home), no_builtin=True))
    rows = ["\t".join(COLUMNS)]
    chosen = sample(list(shipped_starter().items), args.n, args.seed)
    for number, q in enumerate(chosen, start=1):
        articles = [_article(catalog, b) for b in q.basis]  # 下列说法 items rest on four articles
        article = articles[0] if len(articles) == 1 else "　".join(
            f"【{b.article}】{text}" for b, text in zip(q.basis, articles))
        options = "" if q.qtype is QType.TRUE_FALSE else "　".join(
            f"{LETTERS[i]}. {o}" for i, o in enumerate(q.options))
        answer = ("正确" if q.answer == "A" else "错误") if q.qtype is QType.TRUE_FALSE else q.answer
        rows.append("\t".join(_cell(v) for v in (
            number, q.qid, q.qtype.value, q.origin.generator or "", q.stem, options, answer,
            "、".join(b.cite() for b in q.basis), article,
            "、".join(q.roles) or "全部", "、".join(q.enterprise_types) or "全部", "", "")))
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    log.info("wrote %s: %d items of %d", OUT, len(chosen), len(shipped_starter().items))


if __name__ == "__main__":
    main()
