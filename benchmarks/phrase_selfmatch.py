"""Which violation rows the on-site phrases (corpus/lexicon/row_phrases.tsv) cannot tell apart, without any gold set.

Each row's phrases are split in two at random; the rows are indexed with one half and matched with the other half as
findings, then the other way round. A phrase whose best row is another row names a confusable pair. This chose the
rows for the third round of phrase writing (2026-12-02: 225 rows with half or more of their phrases matched
elsewhere). Usage (a home holding the built-in laws and ../shared/corpus):
    python benchmarks/phrase_selfmatch.py --home DIR [--rows FILE.tsv]
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.catalog import open_catalog  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from retriever.enforcement import ViolationMatcher  # noqa: E402
from retriever.kb import open_searcher  # noqa: E402
from retriever.row_index import RowIndex  # noqa: E402

CONFUSED = 0.5  # a row is confusable when at least this share of its phrases match another row first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", required=True)
    parser.add_argument("--rows", type=Path, help="write the confusable rows here (TSV)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    settings = Settings.from_env({}, home=args.home, no_builtin=True)
    searcher, _ = open_searcher(settings, open_catalog(settings))
    index = searcher.violation_matcher().index
    said = [searcher.lexicon.row_phrases.get(r.key, ()) if not r.article_sub else () for r in index.rows]
    rng = random.Random(args.seed)
    halves: list[list[list[str]]] = [[], []]
    for phrases in said:
        shuffled = list(phrases)
        rng.shuffle(shuffled)
        halves[0].append(shuffled[::2])
        halves[1].append(shuffled[1::2])
    tried, missed = Counter(), Counter()
    confused: dict[tuple, Counter] = defaultdict(Counter)
    for known in (0, 1):
        matcher = ViolationMatcher(searcher, RowIndex(index.rows, index.words, index, halves[known]))
        for position, phrases in enumerate(halves[1 - known]):
            key = index.rows[position].key
            for phrase in phrases:
                tried[key] += 1
                top = matcher.match(phrase).matches[:1]
                if not top or top[0].row.key != key:
                    missed[key] += 1
                    if top:
                        confused[key][top[0].row.cite()] += 1
    n = sum(tried.values())
    print(f"phrases matched to their own row first: {1 - sum(missed.values()) / n:.3f} of {n}")
    rows = [k for k in tried if missed[k] / tried[k] >= CONFUSED]
    print(f"rows with at least {CONFUSED:.0%} of their phrases matched to another row: {len(rows)} of {len(tried)}")
    if args.rows:
        with args.rows.open("w", encoding="utf-8") as out:
            out.write("法规\t条\t款\t项\t说法数\t匹配到别的项\t最常混淆的项\n")
            for law, article, para, item in sorted(rows, key=str):
                key = (law, article, para, item)
                common = "；".join(f"{cite}（{c}）" for cite, c in confused[key].most_common(2))
                out.write(f"{law}\t{article}\t{para}\t{item or ''}\t{tried[key]}\t{missed[key]}\t{common}\n")


if __name__ == "__main__":
    main()
