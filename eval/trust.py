"""Citation trust: are the answers' citations real, current and grounded, and are invented ones caught?

1. Over every answer to a question set (the gold set): each citation is written out as 《law》第N条“quoted text”
   and checked with retriever.verify.verify_text: the share that exist in the corpus with a faithful quote
   (must be 100%), that are current, that are among the search hits, and that are among the retrieved sources
   (the search hits plus the penalty articles and inspection-table references the answerer linked them to).
2. With a chat model that invents citations (a deterministic fake in tests and reports): answers mixing real
   citations with invented laws, invented article numbers, real articles that were not retrieved, and wrong
   quotes of retrieved articles go through retriever.llm.LLMAnswerer; the share of invented citations it flags
   and removes must be 100%, and real citations must be kept.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from corpus.catalog import Catalog
from corpus.errors import HazkbError
from corpus.model import Status, UnitKind
from retriever.answer import Answer, ExtractiveAnswerer
from retriever.verify import verify_text


def read_questions(path: Path) -> list[str]:
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise HazkbError(f"无法读取问题集 {path}（{exc}）；每行应为一个 JSON 对象，含字段 \"q\"") from exc
    return [row["q"] for row in rows if "q" in row]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def citation_text(answer: Answer) -> str:
    """The answer's citations as an LLM would write them: one sentence each, 《law》第N条规定：“first clause”。"""
    return "\n".join(f"{c.cite()}规定：“{_clause(c.text)}”。" for c in answer.citations)


def citation_trust(catalog: Catalog, answerer: ExtractiveAnswerer, questions: list[str], k: int = 5,
                   as_of: date | None = None) -> dict:
    """Shares of the answers' citations that exist (same article, verbatim text), are current, and were retrieved."""
    answers = citations = exist = current = in_hits = in_sources = 0
    problems: list[dict] = []
    for question in questions:
        result = answerer.retrieve(question, k=k, as_of=as_of)
        answer = answerer.compose(result, k=k, as_of=as_of)
        if answer.abstained:
            continue
        answers += 1
        hits = {h.unit.unit_id for h in result.hits}
        sources = answer.source_ids()  # what the answerer recorded drawing on, as it composed the answer
        checks = verify_text(catalog, citation_text(answer), sources=sources, as_of=as_of)
        by_unit = {c.unit_id: c for c in checks if c.unit_id}
        for cite in answer.citations:
            citations += 1
            check = by_unit.get(cite.unit_id)
            try:
                verbatim = catalog.unit(cite.unit_id).text == cite.text
            except HazkbError:
                verbatim = False
            if cite.article_no is None:
                # A plan section or table row (no 第N条 to parse): it must exist verbatim and be retrieved.
                ok_exists, is_current, in_src = verbatim, cite.status == "现行有效", cite.unit_id in sources
            else:
                ok_exists = check is not None and check.exists and check.quote_matches is not False and verbatim
                is_current, in_src = bool(check and check.current), bool(check and check.in_sources)
            exist += ok_exists
            current += is_current
            in_hits += cite.unit_id in hits
            in_sources += in_src
            if not (ok_exists and is_current and in_src):
                problem = (check.problem if check else None) or ("引文与条文原文不符" if not verbatim else "未能核对")
                problems.append({"q": question, "citation": cite.cite(), "problem": problem})
    return {
        "answers": answers, "citations": citations,
        "exists": _share(exist, citations), "current": _share(current, citations),
        "in_search_hits": _share(in_hits, citations), "in_sources": _share(in_sources, citations),
        "problems": problems,
    }


# -- a chat model that invents citations -----------------------------------------------------------

INVENTED_LAWS = ("危险化学品仓储安全管理办法", "化工企业安全生产监督条例", "危险货物道路运输安全监督规定（试行）")
WRONG_QUOTE = "生产经营单位可以自行决定是否落实本条规定的安全措施"


@dataclass
class Planted:
    raw: str  # the 《X》第N条 as written
    kind: str  # "real", "invented-law", "invented-article", "not-retrieved", "wrong-quote"
    sentence: str


def _unretrieved_article(catalog: Catalog, sources: set[str], as_of: date | None) -> tuple[str, str] | None:
    """A real, current article of a domain law that retrieval did not return (the model 'remembers' it)."""
    for law in ("中华人民共和国安全生产法", "中华人民共和国消防法", "危险化学品安全管理条例"):
        try:
            doc = catalog.find_law(law, as_of)
        except HazkbError:
            continue
        for unit in catalog.units(doc.doc_id):
            if unit.kind is UnitKind.ARTICLE and unit.article_no and unit.unit_id not in sources \
                    and doc.status_on(as_of or date.today()) is Status.CURRENT:
                return doc.title, unit.label
    return None


def plant_citations(catalog: Catalog, answer: Answer, n: int, as_of: date | None = None) -> list[Planted]:
    """A fake model reply for one answer: real citations (faithful quotes) mixed with invented ones."""
    sources = {c.unit_id for c in answer.citations}
    real = answer.citations[0]
    planted = [Planted(real.cite(), "real", f"{real.cite()}规定：“{_clause(real.text)}”。")]
    law = INVENTED_LAWS[n % len(INVENTED_LAWS)]
    planted.append(Planted(f"《{law}》第{'十二三四五六七八九'[n % 9]}条", "invented-law",
                           f"另据《{law}》第{'十二三四五六七八九'[n % 9]}条，应当从重处罚。"))
    planted.append(Planted(f"《{real.law}》第九百九十九条", "invented-article",
                           f"《{real.law}》第九百九十九条规定：“{_clause(real.text)}”。"))
    other = _unretrieved_article(catalog, sources, as_of)
    if other is not None:
        planted.append(Planted(f"《{other[0]}》{other[1]}", "not-retrieved", f"还可参照《{other[0]}》{other[1]}。"))
    if len(answer.citations) > 1:
        second = answer.citations[1]
        if second.cite() != real.cite():
            planted.append(Planted(second.cite(), "wrong-quote", f"{second.cite()}规定：“{WRONG_QUOTE}”。"))
    return planted


def _clause(text: str) -> str:
    """A verbatim clause of an article, short enough to quote."""
    first = re.split(r"[。；\n]", text.strip())[0]
    return first[:60]


def invented_citation_catch(searcher, questions: list[str], k: int = 5, as_of: date | None = None,
                            limit: int | None = None) -> dict:
    """Run LLMAnswerer with a fake chat model whose replies mix real and invented citations; count the catches."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from retriever.llm import LLMAnswerer

    extractive = ExtractiveAnswerer(searcher)
    plans: list[tuple[str, list[Planted]]] = []
    for n, question in enumerate(questions):
        base = extractive.answer(question, k=k, as_of=as_of)
        if base.abstained or not base.citations:
            continue
        plans.append((question, plant_citations(searcher.catalog, base, n, as_of)))
        if limit and len(plans) >= limit:
            break
    if not plans:
        return {"answers": 0, "invented": 0, "caught": 0, "caught_share": None, "real": 0, "real_kept": 0,
                "real_kept_share": None, "by_kind": {}, "missed": []}
    replies = ["结论：见下列依据。" + "".join(p.sentence for p in planted) for _, planted in plans]
    llm = LLMAnswerer(searcher, FakeListChatModel(responses=replies))
    by_kind: dict[str, list[int]] = {}
    missed: list[dict] = []
    real = real_kept = 0
    for question, planted in plans:
        answer = llm.answer(question, k=k, as_of=as_of)
        failed = {c["raw"] for c in answer.checks if not (c["exists"] and c["quote_matches"] is not False
                                                          and c["in_sources"] is not False)}
        for p in planted:
            if p.kind == "real":
                real += 1
                real_kept += p.raw not in failed and p.raw in answer.answer
                continue
            is_caught = p.raw in failed and p.sentence not in answer.answer
            counts = by_kind.setdefault(p.kind, [0, 0])
            counts[0] += 1
            counts[1] += is_caught
            if not is_caught:
                missed.append({"q": question, "citation": p.raw, "kind": p.kind})
    invented = sum(v[0] for v in by_kind.values())
    caught = sum(v[1] for v in by_kind.values())
    return {
        "answers": len(plans), "invented": invented, "caught": caught, "caught_share": _share(caught, invented),
        "real": real, "real_kept": real_kept, "real_kept_share": _share(real_kept, real),
        "by_kind": {kind: {"n": n, "caught": c} for kind, (n, c) in sorted(by_kind.items())},
        "missed": missed,
    }


def run_trust_eval(catalog: Catalog, searcher, gold_path: Path, k: int = 5, as_of: date | None = None,
                   fake_limit: int | None = None) -> dict:
    questions = read_questions(gold_path)
    return {
        "citations": citation_trust(catalog, ExtractiveAnswerer(searcher), questions, k, as_of),
        "invented": invented_citation_catch(searcher, questions, k, as_of, fake_limit),
    }
