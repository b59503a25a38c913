"""Benchmark: draw, answer and grade 1,000 on-site exams on the imported shared banks.

A fresh home (SQLite under a temporary directory) gets both shared banks (the manager bank tagged 安全管理人员,
the principal bank's items tagged 主要负责人 too) and the built-in starter bank beside them. Then N exams are run end
to end, cycling through the shipped blueprints and through 200 examinees (so the no-repeat rule is exercised): start
(draw + record), one committed save per item, submit (server-side grading). Also times pure draws from a cached
pool.

Usage: python benchmarks/exam_bench.py [--n 1000] [--banks ../shared/question_banks]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.settings import Settings  # noqa: E402
from quiz.bank_files import import_file  # noqa: E402
from quiz.blueprint import load_blueprints  # noqa: E402
from quiz.exam import open_exams  # noqa: E402
from quiz.paper import candidates, draw_paper  # noqa: E402
from quiz.starter import load_starter  # noqa: E402

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    body = f"3201021985{(n // 28) % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def load_banks(book, folder: Path) -> int:
    bank = book.bank
    import_file(bank, folder / "一般企业安全管理员.xlsx", roles=["安全管理人员"])
    principals = import_file(bank, folder / "一般企业安全负责人.xlsx", roles=["主要负责人"])
    tagged = {d["qid"] for d in principals.duplicates}
    for q in bank.list():
        if q.qid in tagged and "主要负责人" not in q.roles:
            q.roles.append("主要负责人")
            bank.update(q)
    return bank.count()


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"mean {1000 * statistics.mean(values):.2f} ms, median {1000 * statistics.median(values):.2f} ms, " \
           f"p95 {1000 * p95:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--banks", type=Path, default=ROOT.parent / "shared" / "question_banks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, home=tmp, no_builtin=True)
        book = open_exams(settings)
        t0 = time.perf_counter()
        items = load_banks(book, args.banks)
        print(f"banks: {items} items imported and tagged in {time.perf_counter() - t0:.2f} s")
        starter = load_starter(book.bank)  # beside them, as a home that keeps the built-in bank: every blueprint draws
        print(f"starter bank: {starter['added']} items added (version {starter['version']})")

        blueprints = [b for b in load_blueprints()]
        pool = candidates(book.bank, blueprints[0])
        t0 = time.perf_counter()
        for seed in range(args.n):
            draw_paper(book.bank, blueprints[0], seed=seed, pool=pool)
        pure = time.perf_counter() - t0
        print(f"pure draw (cached pool, {blueprints[0].name}): {args.n} papers in {pure:.2f} s "
              f"({1000 * pure / args.n:.2f} ms/paper)")

        starts, saves, submits, per_exam = [], [], [], []
        answers = passed = 0
        t_all = time.perf_counter()
        for n in range(args.n):
            bp = blueprints[n % len(blueprints)]
            person = n % 200
            e0 = time.perf_counter()
            exam = book.start(f"企业{person % 40}", bp.enterprise_type, f"考生{person}", id_number(person), bp.role,
                              "检查人员", seed=n)
            starts.append(time.perf_counter() - e0)
            for item in exam.paper.items:  # examinees of varying skill: 1 item in 3 to 1 in 12 answered wrong
                wrong = (n * 13 + item.position) % (3 + person % 10) == 0
                letters = next((c for c in item.letters if c not in item.key), item.key[:-1]) if wrong else item.key
                s0 = time.perf_counter()
                book.save_answer(exam.exam_id, item.position, letters)
                saves.append(time.perf_counter() - s0)
                answers += 1
            s0 = time.perf_counter()
            result = book.submit(exam.exam_id)
            submits.append(time.perf_counter() - s0)
            passed += result.passed
            per_exam.append(time.perf_counter() - e0)
        total = time.perf_counter() - t_all
        t0 = time.perf_counter()
        records = book.records()
        t_records = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.n} exams end to end (start + {answers} committed answer saves + submit) in {total:.2f} s "
              f"({args.n / total:.1f} exams/s); {passed} passed")
        print(f"  start (blueprint, no-repeat lookup, draw, record): total {sum(starts):.2f} s; {ms(starts)}")
        print(f"  save_answer (one committed transaction each):      total {sum(saves):.2f} s; {ms(saves)}")
        print(f"  submit (server-side grading, record):             total {sum(submits):.2f} s; {ms(submits)}")
        print(f"  per exam:                                           {ms(per_exam)}")
        print(f"records(): {len(records)} exams listed in {t_records:.2f} s; peak RSS {peak_mb:.0f} MB")
        book.bank.close()


if __name__ == "__main__":
    main()
