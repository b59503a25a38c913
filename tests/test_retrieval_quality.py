"""Quality guards on the shipped gold sets (built-in laws + shared corpus): regressions fail here."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.abstention import run_abstention_eval
from eval.gold import LawKeys, load_gold
from eval.retrieval import evaluate, system_ranker
from retriever.answer import ExtractiveAnswerer

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"


def _report(searcher, name):
    laws = LawKeys(searcher.catalog)
    return evaluate(load_gold(GOLD / name, searcher.catalog), system_ranker(ExtractiveAnswerer(searcher), laws))


def test_inspector_questions(full_searcher):
    """The tuned set: a regression guard, not a quality claim. Lowered from .80/.90 when the lexicon entries that
    existed only to fix its questions were removed (then MRR .804, lenient .844, hit@5 .893; with the article
    questions of 2026-12-06 MRR .847, lenient .885, hit@5 .949)."""
    report = _report(full_searcher, "inspector.jsonl")
    assert report["n"] >= 80
    assert report["hit@5"] >= 0.92, report["hit@5"]
    assert report["lenient_mrr"] >= 0.86, report["lenient_mrr"]
    assert report["mrr"] >= 0.82, report["mrr"]


def test_held_out_questions(full_searcher):
    """Written blind and never tuned on: a floor a little under today's figures (MRR .871, hit@5 .96)."""
    report = _report(full_searcher, "holdout.jsonl")
    assert report["n"] >= 50
    assert report["hit@5"] >= 0.92, report["hit@5"]
    assert report["mrr"] >= 0.83, report["mrr"]


def test_dev_questions(full_searcher):
    """The second blind-written set, since used for development: a floor under today's MRR .860, hit@5 .933."""
    report = _report(full_searcher, "dev.jsonl")
    assert report["n"] >= 60
    assert report["hit@5"] >= 0.90, report["hit@5"]
    assert report["mrr"] >= 0.82, report["mrr"]


@pytest.mark.parametrize("name, n, hit5, mrr", [
    # Questions about rules (time limits, which department, how to apply, what is required), written blind from the
    # law texts on 2026-12-06. Held-out: run to report, never read (MRR .671 -> .723, hit@5 .767 -> .800 in the
    # 28th round; .766 / .883 with the article questions of the 30th; .869 / .967 when yes/no, wh- and choice
    # questions on a rule read as rule questions, the 31st).
    ("rules_holdout.jsonl", 60, 0.93, 0.83),
    # Their development halves, read to find failures (rules_dev .663 -> .796 -> .887 -> .893, rules_dev2 .794 ->
    # .819 -> .863 -> .884; the last two steps are the article questions and the question kind).
    ("rules_dev.jsonl", 60, 0.93, 0.86),
    ("rules_dev2.jsonl", 90, 0.93, 0.85),
    # Written after the 28th round's changes, run only: .722 / .867 on the code before them, .736 / .878 after,
    # .767 / .900 with the article questions, .822 / .944 with the question kind.
    ("rules_dev3.jsonl", 90, 0.91, 0.78),
])
def test_questions_about_rules(full_searcher, name, n, hit5, mrr):
    report = _report(full_searcher, name)
    assert report["n"] >= n
    assert report["hit@5"] >= hit5, report["hit@5"]
    assert report["mrr"] >= mrr, report["mrr"]


def test_rule_questions_and_findings_are_told_apart(full_searcher):
    """A regression guard on the question kind (retriever.question_kind): the questions the article-question writers
    wrote read as rule questions (1,457 of 1,693 on 2026-12-06; 964 before the yes/no, wh- and choice patterns,
    which were written looking at them), and the development sets' findings as findings (6 of 3,174 read as rule
    questions). The two kind sets (eval/gold/kinds_*.tsv, 80 rule questions and 80 findings each, written blind):
    the development one 74 / 1, the held-out one, run once, 74 / 0 (58 / 0 before this round)."""
    import json

    from retriever.question_kind import ARTICLES, question_kind

    def kind(question: str) -> str:
        query = full_searcher.parse(question, None)
        return question_kind(query, full_searcher.lexicon, full_searcher.asked_laws(query.normalized))

    written = [q for asked in full_searcher.lexicon.article_questions.values() for q in asked]
    rules = sum(kind(q) == ARTICLES for q in written)
    assert rules >= 0.83 * len(written), (rules, len(written))
    findings = [json.loads(line)["q"] for path in sorted(GOLD.glob("answers_dev*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    told = sum(kind(q) == ARTICLES for q in findings)
    assert len(findings) > 3000 and told <= 0.005 * len(findings), told
    for name in ("kinds_dev.tsv", "kinds_holdout.tsv"):
        lines = (GOLD / name).read_text(encoding="utf-8").splitlines()[1:]
        kinds = [(said, kind(question)) for said, question in (line.split("\t") for line in lines)]
        assert len(kinds) == 160
        assert sum(k == ARTICLES for said, k in kinds if said == "规定") >= 70, name
        assert sum(k == ARTICLES for said, k in kinds if said == "发现") <= 3, name


def test_article_questions_name_articles_in_force(full_searcher):
    """Every question of corpus/lexicon/article_questions.tsv is attached to an article of the law's version in
    force (the writers wrote for that text); none is dropped for a wrong law name or article number."""
    written = sum(len(q) for q in full_searcher.lexicon.article_questions.values())
    assert written > 1500 and len(full_searcher.asked()) == written


def test_direct_lookups_all_first(full_searcher):
    report = _report(full_searcher, "lookups.jsonl")
    assert report["n"] >= 30 and report["hit@1"] == 1.0, [q for q in report["per_question"] if q["rank"] != 1]


def test_abstention(full_searcher):
    report = run_abstention_eval(ExtractiveAnswerer(full_searcher), GOLD / "out_of_scope.jsonl",
                                 GOLD / "inspector.jsonl")
    assert report["abstention_rate"] == 1.0, report["answered_out_of_scope"]
    assert report["false_abstention_rate"] <= 0.03, report["abstained_on_gold"]
