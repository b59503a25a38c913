"""Sweep each named retrieval weight (retriever/weights.py) one at a time and print MRR on the tuned and dev sets.

The held-out sets are never used here. Usage (a home holding the built-in laws and ../shared/corpus):
    python benchmarks/weight_sweep.py --home DIR [--only W_LAW,OFF_SECTOR] [--sets inspector,dev,answers_dev]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.catalog import open_catalog  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from eval.gold import LawKeys, load_gold  # noqa: E402
from eval.retrieval import evaluate, system_ranker  # noqa: E402
from eval.run_all import GOLD_DIR  # noqa: E402
from retriever import search as search_module  # noqa: E402
from retriever import sectors as sectors_module  # noqa: E402
from retriever.answer import ExtractiveAnswerer  # noqa: E402
from retriever.kb import open_searcher  # noqa: E402

# name -> the module attributes that hold it (weights are imported by name into the modules that use them)
WEIGHTS = {
    "W_WORD": [search_module], "W_EXPANSION": [search_module], "W_LAW": [search_module],
    "W_DOMAIN": [search_module], "W_PENALTY": [search_module], "W_DUTY": [search_module],
    "W_INTENT_LAW": [search_module], "OFF_DOMAIN": [search_module], "OFF_SECTOR": [sectors_module],
    "SUPPLEMENTARY_WEIGHT": [search_module], "W_COVERAGE": [search_module],
}
FACTORS = (0.5, 1.0, 1.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", required=True)
    parser.add_argument("--only", default="")
    parser.add_argument("--sets", default="inspector,dev,answers_dev")
    args = parser.parse_args()
    settings = Settings.from_env({}, home=args.home, no_builtin=True)
    catalog = open_catalog(settings)
    searcher, _ = open_searcher(settings, catalog)
    laws = LawKeys(catalog)
    sets = {name: load_gold(GOLD_DIR / f"{name}.jsonl", catalog) for name in args.sets.split(",")}
    names = [n for n in WEIGHTS if not args.only or n in args.only.split(",")]
    print("weight".ljust(22) + "".join(f"{name} x{f:g}".rjust(18) for name in sets for f in FACTORS))
    for name in names:
        original = getattr(WEIGHTS[name][0], name)
        cells = []
        for factor in FACTORS:
            for module in WEIGHTS[name]:
                setattr(module, name, original * factor)
            searcher._parse_cache.clear()
            ranker = system_ranker(ExtractiveAnswerer(searcher), laws)
            cells.append({s: evaluate(q, ranker)["mrr"] for s, q in sets.items()})
        for module in WEIGHTS[name]:
            setattr(module, name, original)
        print(f"{name}={original:g}".ljust(22) + "".join(f"{cells[i][s]:.3f}".rjust(18)
                                                        for s in sets for i in range(len(FACTORS))), flush=True)


if __name__ == "__main__":
    main()
