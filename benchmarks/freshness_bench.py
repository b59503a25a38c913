"""Benchmark: how long after an ingest on instance A does instance B (another process, same catalog, its own index
directory) answer from the new document? B watches the catalog's generation stamp (Workspace.watch).

Usage: python benchmarks/freshness_bench.py --home HOME [--interval 2] [--runs 3]
HOME is a data directory with the full corpus already indexed (e.g. one `hazkb docs` built); it is copied, not
changed. Prints each run and the median, in seconds, from A's commit to B seeing the new law.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.workspace import Workspace  # noqa: E402
from corpus.settings import Settings  # noqa: E402

WATCHER = """
import sys, time
from dataclasses import replace
from app.workspace import Workspace
from corpus.settings import Settings
home, url, interval, title = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
ws = Workspace(replace(Settings.from_env({}, home=home, no_builtin=True), database_url=url))
ws.ask("储存场所没设安全警示标志怎么罚")  # a serving instance: jieba and the violation catalog loaded
print("ready", flush=True)
ws.watch(interval)
while True:
    if any(d.title == title for d in ws.searcher().docs.values()):
        print(f"seen {time.time():.3f}", flush=True)
        break
    time.sleep(0.05)
"""

LAW = "中华人民共和国新鲜度测试法{n}\n\n第一条 为了测试，制定本法。\n\n第二条 储罐区应当设置明显的安全警示标志。\n"


def run(home: Path, interval: float, runs: int) -> list[float]:
    work = Path(tempfile.mkdtemp(prefix="hazkb-fresh-"))
    a_home, b_home = work / "a", work / "b"
    shutil.copytree(home, a_home, ignore=shutil.ignore_patterns("chroma", "uploads"))
    b_home.mkdir()
    shutil.copytree(a_home / "index", b_home / "index")  # B's own index directory, warm
    url = f"sqlite:///{a_home / 'catalog.db'}"
    a = Workspace(Settings.from_env({}, home=a_home, no_builtin=True))
    times = []
    for n in range(runs):
        title = f"中华人民共和国新鲜度测试法{n}"
        b = subprocess.Popen([sys.executable, "-c", WATCHER, str(b_home), url, str(interval), title],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert b.stdout is not None and b.stdout.readline().strip() == "ready"
        path = work / f"test{n}.md"
        path.write_text(LAW.format(n=n), encoding="utf-8")
        a.ingest([path])
        committed = time.time()
        seen = float(b.stdout.readline().split()[1])
        b.wait(timeout=60)
        times.append(seen - committed)
        print(f"run {n + 1}: {seen - committed:.2f} s", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = run(args.home, args.interval, args.runs)
    print(f"ingest on A -> answered on B: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
          f"(poll interval {args.interval} s, {len(times)} runs)")


if __name__ == "__main__":
    main()
