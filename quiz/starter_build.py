"""Build the starter bank file (quiz/data/starter_bank.jsonl) from a home holding the laws in force.

    hazkb --home 建库目录 quiz starter --build quiz/data/starter_bank.jsonl [--seed 17 --seed 29]

The home needs the laws of quiz/data/starter_laws.tsv: the built-in national laws, plus 生产安全事故应急条例 and
生产安全事故报告和调查处理条例 (`hazkb ingest ../shared/corpus/regulations/生产安全事故*.md`), and its search index.
The same home and seeds give the same file.

Every item comes from quiz.generate over all those laws at once (so near-duplicates and items answering each other
are caught across laws), passes the gates, and is kept only when the extractive solver (quiz.solver) answers it
correctly from the articles. Items are approved (a bureau retires the whole bank or single items), cite their law
and article without the home's unit ids, and carry their roles, enterprise types and topics.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from corpus.errors import NotFoundError
from corpus.tsv import read_tsv

from .domain import DATA_DIR
from .errors import QuizError
from .gates import Gatekeeper
from .generate import common_bigrams, generate, law_articles
from .model import QType, Question, Review
from .records import question_to_dict
from .starter import FORMAT, ORIGIN_FILE, StarterBank

log = logging.getLogger(__name__)

DEFAULT_SEEDS = (17,)
# 判断 items answered 正确, at most this share of the starter's 判断 items. Above the gate's 0.6 because a paper
# balances its own 判断 answers (quiz.paper.JUDGE_SHARE) as far as the bank allows.
STARTER_JUDGE_SHARE = 0.7
STARTER_JUDGE_SLACK = 3  # 判断 items one answer may hold over that share (a paper balances its own, quiz.paper)
_EVERYTHING = 1_000_000  # ask for more than the laws allow: every candidate is examined


@dataclass
class StarterBuild:
    items: list[Question]
    laws: list[str]
    seeds: tuple[int, ...]
    examined: int = 0
    gate_rejected: Counter = field(default_factory=Counter)  # by gate
    solver_rejected: list[tuple[Question, str]] = field(default_factory=list)  # (item, the solver's answer)
    skipped: Counter = field(default_factory=Counter)  # statements not used, by reason

    @property
    def gate_passed(self) -> int:
        return self.examined - sum(self.gate_rejected.values())

    def summary(self) -> dict:
        by_law = Counter(q.basis[0].law for q in self.items if q.basis)
        return {
            "items": len(self.items), "laws": self.laws, "seeds": list(self.seeds),
            "examined": self.examined, "gate_passed": self.gate_passed,
            "gate_pass_rate": round(self.gate_passed / self.examined, 3) if self.examined else None,
            "gate_rejected": dict(self.gate_rejected.most_common()),
            "solver_checked": self.gate_passed, "solver_rejected": len(self.solver_rejected),
            "solver_agreement": (round(1 - len(self.solver_rejected) / self.gate_passed, 3)
                                 if self.gate_passed else None),
            "statements_skipped": dict(self.skipped.most_common()),
            "by_law": dict(by_law.most_common()),
            "by_type": dict(Counter(q.qtype.value for q in self.items)),
            "by_generator": dict(Counter(q.origin.generator for q in self.items).most_common()),
        }


def starter_laws(path: Path = DATA_DIR / "starter_laws.tsv") -> list[str]:
    return [law for _where, (law, _reason) in read_tsv(path, ("法规", "理由"), QuizError)]


def build_starter(catalog, solver, laws: list[str] | None = None,
                  seeds: tuple[int, ...] = DEFAULT_SEEDS) -> StarterBuild:
    """Generate, gate and solver-check the starter items from the laws (default: starter_laws.tsv)."""
    from .gates import gate_name

    laws = laws or starter_laws()
    articles = []
    for law in laws:
        try:
            articles.extend(law_articles(catalog, law))
        except NotFoundError:
            raise QuizError(f"建库目录中没有《{law}》；内置题库需要 starter_laws.tsv 所列的全部法规"
                            "（两部条例用 hazkb ingest 从 ../shared/corpus/regulations 导入）") from None
    # Items of different forms on one article may all stay (one_per_rule=False): a paper draws one item per
    # article and balances its 判断 answers (quiz.paper), so the bank may hold more of both kinds.
    keeper = Gatekeeper(common=common_bigrams([u.text for _, u in articles]), one_per_rule=False,
                        judge_share=STARTER_JUDGE_SHARE)
    build = StarterBuild(items=[], laws=laws, seeds=tuple(seeds))
    for seed in seeds:
        report = generate(articles, _EVERYTHING, seed=seed, keeper=keeper)  # the exam-worthy forms (not ON_REQUEST)
        build.examined += report.examined
        build.gate_rejected.update(gate_name(reason) for _, reason in report.rejected)
        if not build.skipped:
            build.skipped.update(report.skipped)
        for question in report.kept:
            answer = solver.solve(question).letters
            if answer != question.answer:
                build.solver_rejected.append((question, answer))
                continue
            build.items.append(_shipped(question))
    build.items = _judged_balanced(build.items)
    build.items.sort(key=lambda q: (laws.index(_law_of(q, laws)), q.basis[0].article_no, q.basis[0].article_sub,
                                    q.qtype.value, q.stem))
    log.info("starter bank: %d items (%d examined, %d failed a gate, %d the solver)", len(build.items),
             build.examined, sum(build.gate_rejected.values()), len(build.solver_rejected))
    return build


def _judged_balanced(items: list[Question]) -> list[Question]:
    """The gatekeeper balances the 判断 answers among what it keeps, but the solver turns away more false statements
    than true ones: while one answer holds more than STARTER_JUDGE_SHARE of the 判断 items (give or take
    STARTER_JUDGE_SLACK), one of those is dropped, from the article that has the most items in the bank (the last
    such item generated)."""
    items = list(items)
    per_article = Counter(_article_of(q) for q in items)
    while True:
        judged = [q for q in items if q.qtype is QType.TRUE_FALSE]
        counts = Counter(q.answer for q in judged)
        if not counts:
            return items
        answer, most = counts.most_common(1)[0]
        if most <= STARTER_JUDGE_SLACK + STARTER_JUDGE_SHARE * len(judged):
            return items
        drop = max((q for q in reversed(judged) if q.answer == answer), key=lambda q: per_article[_article_of(q)])
        items.remove(drop)
        per_article[_article_of(drop)] -= 1


def _article_of(q: Question) -> tuple[str, int | None]:
    return (q.basis[0].law, q.basis[0].article_no) if q.basis else ("", None)


def _law_of(q: Question, laws: list[str]) -> str:
    law = q.basis[0].law if q.basis else ""
    return law if law in laws else laws[0]


def _shipped(q: Question) -> Question:
    """The item as shipped: approved, a starter item, no unit ids (they belong to the building home)."""
    basis = [replace(b, unit_id=None) for b in q.basis]
    origin = replace(q.origin, file=ORIGIN_FILE, unit_id=None)
    shipped = replace(q, basis=basis, origin=origin, review=Review.APPROVED, flags=[])
    shipped.qid = shipped.fingerprint()
    return shipped


def coverage(items: list[Question], blueprints) -> list:
    """quiz.combos.exam_combinations for a bank holding just these items (read from a throwaway in-memory bank)."""
    from .combos import exam_combinations
    from .store import QuestionBank

    bank = QuestionBank("sqlite://")
    try:
        bank.create()
        bank.add_many([replace(q, review=Review.APPROVED) for q in items])
        return exam_combinations(bank, blueprints)
    finally:
        bank.close()


def starter_text(build: StarterBuild) -> str:
    """The file: a header line, then one item per line."""
    lines = [json.dumps(question_to_dict(q), ensure_ascii=False, sort_keys=True) for q in build.items]
    version = hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:12]
    summary = build.summary()
    header = {"format": FORMAT, "version": version, "built": date.today().isoformat(), "count": len(lines),
              "laws": build.laws, "seeds": list(build.seeds), "gate_pass_rate": summary["gate_pass_rate"],
              "solver_agreement": summary["solver_agreement"]}
    return "\n".join([json.dumps(header, ensure_ascii=False), *lines]) + "\n"


def write_starter(build: StarterBuild, path: Path) -> StarterBank:
    from .starter import parse_starter

    text = starter_text(build)
    path.write_text(text, encoding="utf-8")
    return parse_starter(text, str(path))
