"""Benchmark: ingest all of laws.db plus the shared corpus into a fresh home; print time and peak memory, and the
time to read the 24-page regulation PDF alone (target < 2 s).

Usage: python benchmarks/ingest_bench.py [--shared ../shared/corpus]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.catalog import open_catalog  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from ingest.builtin import load_builtin  # noqa: E402
from ingest.document import Overrides  # noqa: E402
from ingest.pdf import load_pdf  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, home=tmp, no_builtin=True)
        catalog = open_catalog(settings)
        t0 = time.perf_counter()
        laws = load_builtin(catalog)
        t1 = time.perf_counter()
        report = ingest_paths(catalog, [args.shared]) if args.shared.is_dir() else None
        t2 = time.perf_counter()
        counts = catalog.counts()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"built-in laws.db: {laws} documents in {t1 - t0:.2f} s")
        if report is not None:
            print(f"shared corpus: {len(report.ingested)} files ingested, {len(report.failed)} rejected "
                  f"(bad inputs), in {t2 - t1:.2f} s")
        print(f"catalog: {counts['documents']} documents, {counts['units']} units, {counts['references']} references")
        print(f"total: {t2 - t0:.2f} s ({counts['units'] / (t2 - t0):.0f} units/s); peak RSS {peak_mb:.0f} MB; "
              f"target < 60 s")
    pdf = args.shared / "office" / "危险化学品安全管理条例.pdf"
    if pdf.is_file():
        t0 = time.perf_counter()
        doc = load_pdf(pdf, pdf.read_bytes(), "bench", Overrides())
        print(f"regulation PDF (24 pages): {len(doc.articles)} articles in {time.perf_counter() - t0:.2f} s; "
              f"target < 2 s")


if __name__ == "__main__":
    main()
