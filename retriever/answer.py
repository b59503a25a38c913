"""Structured answers with citations quoted from the corpus: 违法依据, 处罚依据, 对照条款, 相关规定; abstain when weak.

A finding is matched against the violation catalog's rows (one per penalty 项): a row that fits clearly gives a
确定 违法依据 + 处罚依据 pair, which alone fills the 执法依据 block an inspector copies; rows that fit less clearly are
shown as 待核对 candidates. Questions about duties, time limits, procedure or a named article, and findings no row
fits, are answered from whole articles, 待核对 unless the question named the article.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from corpus.errors import InputError
from corpus.legal_text import fine_text
from corpus.model import Level, UnitKind
from corpus.names import normalize_title
from corpus.violations import ViolationRow

from .articles import ArticleComposer, fits_a_finding, penalty_label
from .basis import duty_citation, penalty_citation, row_citations
from .citation import (
    CONFIRMED,
    LOOKUP_SCORE,
    ROLE_OBLIGATION,
    ROLE_PARALLEL,
    ROLE_PENALTY,
    ROLE_RELATED,
    TO_CHECK,
    VIA_SEARCHED,
    VIAS,
    Citation,
    role_name,
)
from .duty_gaps import gap_note
from .enforcement import Matching, RowMatch, ViolationMatcher
from .finding_parts import split_findings
from .query import ParsedQuery, any_hazardous
from .question_kind import ARTICLES, FINDING
from .records import Record, split_record
from .search import Searcher, SearchResult
from .tokenize import chinese_terms
from .weights import (
    CORE_COVERAGE,
    ENFORCER_COVERAGE,
    MIN_COVERAGE,
    MIN_ROW_COVERAGE,
    MIN_TERMS,
    MIN_TOP_ROW_COVERAGE,
    RELATED_SHOWN,
    ROW_CANDIDATES_SHOWN,
)

ABSTAIN_TEXT = "未在知识库中找到明确依据"
UNSURE_NOTE = "未能确定唯一的执法依据：所列条文均为待核对，请对照原文核对"  # the note of an answer without a firm row
WEAK_MATCH = "检索到的条文与问题关联较弱"
RECORD_ITEM_UNSURE = "（未能确定执法依据：候选依据待核对，请对照原文核对）"  # a record item without a firm row
__all__ = ["ABSTAIN_TEXT", "Answer", "Citation", "ExtractiveAnswerer", "LOOKUP_SCORE", "ROLE_OBLIGATION",
           "ROLE_PARALLEL", "ROLE_PENALTY", "ROLE_RELATED", "in_domain"]


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dense_used: bool = False
    checks: list[dict] = field(default_factory=list)  # citation verification of an LLM's text
    rows: list[dict] = field(default_factory=list)  # the violation-catalog rows the answer rests on
    # The units the answerer drew on, by how it reached them (citation.VIAS): every search hit, and each unit
    # it linked, followed or took from a matched row. Recorded as the answer is composed, not derived later.
    sources: dict[str, list[str]] = field(default_factory=dict)
    unit_type: str | None = None  # the inspected unit's type the finding was matched for (ask --unit-type)
    finding: bool = True  # the question tells what was found wrong (not a time limit, a definition): role_name
    items: list[ItemAnswer] = field(default_factory=list)  # a numbered inspection record: each item's own answer

    @property
    def summary(self) -> str:
        """The answer's first sentence: for a numbered record, its count of items (the items' own answers follow)."""
        return self.answer.split("\n")[0] if self.items else self.answer

    def source_ids(self) -> set[str]:
        return {u for units in self.sources.values() for u in units}

    def as_json(self) -> dict:
        keys = ("law", "article", "article_no", "level", "status", "effective", "text", "source", "role", "score",
                "confidence", "item", "para", "item_no", "clause", "fine", "department", "sanctions", "link",
                "row_id", "parallel_to", "referred_by", "tiers", "unit_id")
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [{k: getattr(c, k) for k in keys} for c in self.citations],
            "violations": self.rows,
            "notes": self.notes,
            "dense_used": self.dense_used,
            "checks": self.checks,
            "sources": self.sources,
            "unit_type": self.unit_type,
            "finding": self.finding,
            "items": [{"no": i.no, "text": i.text, **i.answer.as_json()} for i in self.items],
        }

    def firm(self, role: str) -> list[Citation]:
        return [c for c in self.citations if c.role == role and c.confidence == CONFIRMED]

    def enforcement_block(self) -> str:
        """The 执法依据 an inspector pastes into an enforcement document: firm citations only, each quoted; for a
        numbered record, item by item under the record's numbers."""
        if self.items:
            return _record_block(self.items)
        lines = []
        for c in self.firm(ROLE_OBLIGATION):
            lines.append(f"违法依据：《{c.law}》{c.label()}：“{_quote(c)}”")
        for c in self.firm(ROLE_PENALTY):
            line = f"处罚依据：《{c.law}》{c.label()}：“{_quote(c)}”"
            if c.clause:
                line += f"；按该款：“{_flat(c.clause)}”"
            lines.append(line)
            standard = _standard(c)
            if standard:
                lines.append(f"　　{standard}")
            for tier in c.tiers:
                lines.append(f"　　裁量基准{'（样例）' if tier.get('sample') else ''}：{_tier_text(tier)}")
        return "\n".join(lines)


@dataclass
class ItemAnswer:
    """One numbered finding of an inspection record and its own answer."""

    no: int
    text: str
    answer: Answer


def _record_block(items: list[ItemAnswer]) -> str:
    blocks = [item.answer.enforcement_block() for item in items]
    if not any(blocks):
        return ""
    lines = []
    for item, block in zip(items, blocks):
        lines += [f"{item.no}. {item.text}", block or RECORD_ITEM_UNSURE]
    return "\n".join(lines)


def _flat(text: str) -> str:
    return text.replace("\n", "")


def _quote(c: Citation) -> str:
    return _flat(c.quote())


def _standard(c: Citation) -> str:
    parts = [p for p in (fine_text(c.fine), "、".join(s for s in c.sanctions if s != "罚款"),
                         f"执法部门：{c.department}" if c.department else "") if p]
    return "；".join(parts)


def _tier_text(tier: dict[str, Any]) -> str:
    parts = [tier.get("level") or "", tier.get("condition") or "", tier.get("standard") or ""]
    return "，".join(p for p in parts if p)


def in_domain(searcher: Searcher, result: SearchResult) -> bool:
    """The question must speak of this domain: in its own words, by naming a law or a hazardous chemical, or because
    the best matches are work-safety articles, or articles of the laws on how the authorities sanction and coerce
    (laws.tsv group procedure: "查封期限最长能多久" is an inspector's question). The corpus holds all national laws,
    so a tax question finds tax law."""
    if searcher.lexicon.intent("domain").search(result.query.normalized) or result.query.laws:
        return True
    if any_hazardous(result.query.chemicals, searcher.lexicon):  # "液化气供应站把满瓶存在居民楼车库里"
        return True
    top = [h for h in result.hits[:3] if h.unit.kind is UnitKind.ARTICLE]
    own = searcher.core_laws | searcher.procedure_laws
    return (len(top) >= 2 and result.coverage >= CORE_COVERAGE
            and all(normalize_title(h.doc.title) in own for h in top))


class ExtractiveAnswerer:
    """The default answerer: no LLM; everything it says is quoted from the corpus."""

    def __init__(self, searcher: Searcher, min_coverage: float = MIN_COVERAGE):
        self.searcher = searcher
        self.min_coverage = min_coverage
        self.articles = ArticleComposer(searcher)

    @property
    def matcher(self) -> ViolationMatcher:
        return self.searcher.violation_matcher()

    def retrieve(self, question: str, k: int = 5, law: str | None = None, as_of: date | None = None,
                 levels: set[Level] | None = None, unit_type: str | None = None) -> SearchResult:
        """`unit_type`: the inspected unit's type by name (unit_profiles.tsv); InputError for one the lexicon
        lacks."""
        return self.searcher.search(question, k=max(k, 10), law=law, as_of=as_of, levels=levels,
                                    unit_type=self.searcher.unit_type(unit_type))

    def abstain_reason(self, result: SearchResult) -> str | None:
        if result.hits and result.hits[0].lookup:
            return None
        if result.missing:
            return "知识库中没有" + "、".join(result.missing) + "，请核对条号"
        if not result.hits:
            return "知识库中没有与问题相关的条文"
        if not in_domain(self.searcher, result):
            return "问题不属于危险化学品安全监管范围"
        named = result.query.named_docs
        if named and not any(h.unit.doc_id in named for h in result.hits[:3]):
            return f"所指的《{result.query.laws[0].name}》中没有与问题相关的条文"
        if len(chinese_terms(result.query.normalized)) < MIN_TERMS:
            return "问题过于简短，请描述具体的检查发现或指明法规名称"
        if result.coverage < self.min_coverage and not self._asks_its_law(result):
            return WEAK_MATCH
        return None

    def _asks_its_law(self, result: SearchResult) -> bool:
        """The best article is of a law the question names ("按行政许可法，……") or asks about by kind (查封, 处罚时效):
        a question about that law's rules says them in its own words, a low share of them is no reason to refuse."""
        top = next((h for h in result.hits if h.unit.kind is UnitKind.ARTICLE), None)
        if top is None:
            return False
        if top.doc.doc_id in result.query.named_docs:
            return True
        return normalize_title(top.doc.title) in self.searcher.asked_laws(result.query.normalized)

    def compose(self, result: SearchResult, k: int = 5, as_of: date | None = None, whole: str | None = None
                ) -> Answer:
        """The answer to a search: composed on the search's own date (`as_of`, when given, must agree). `whole`:
        the finding the searched one is a part of (a record's item under its heading: Record.context)."""
        if as_of is not None and as_of != result.as_of:
            raise ValueError(f"compose(as_of={as_of}) differs from the search's date {result.as_of}")
        answer = self._compose(result, k, result.as_of, whole)
        answer.sources = _sources(result, answer)
        by_doc: dict[str, list[str]] = {}  # articles of a text later amendments changed: did they change these?
        for cite in answer.citations:
            by_doc.setdefault(cite.doc_id, []).append(cite.unit_id)
        answer.notes += [n for d, units in by_doc.items() if (n := self.searcher.amendment_note(d, units))]
        answer.unit_type = result.query.unit_type.name if result.query.unit_type else None
        return answer

    def _compose(self, result: SearchResult, k: int, as_of: date | None, whole: str | None = None) -> Answer:
        question = result.query.text
        # The articles were searched by keywords only (the rows' vectors, on by default, only confirm matched rows).
        notes = [] if result.dense_used else ["条文检索仅使用了关键词（未启用条文向量检索）"]
        reason = self.abstain_reason(result)
        # A finding is matched to violation rows; when the articles share little with it, a row may still fit (its
        # obligations' wording and the lexicon reach further), so the rows answer instead of abstaining.
        kind = result.kind if reason in (None, WEAK_MATCH) else ARTICLES
        # A question read as a rule question whose articles match it weakly may be a finding asked as a question
        # ("夫妻店卖点稀料，也要登记吗？"): its rows answer, as 待核对 candidates, instead of a refusal.
        unsure_rule = kind == ARTICLES and reason == WEAK_MATCH
        # A row for the person asked about by role says little of what was found ("未履行…管理职责"): it counts.
        rows = self.match_rows(question, result, as_of, whole) if kind != ARTICLES or unsure_rule else []
        if unsure_rule:
            for m in rows:
                m.confidence = TO_CHECK
        # "…，谁来管？" asks which department sanctions what was found: a row that holds the finding well names it
        # (执法部门), so the rows answer; a question about a department's remit holds no row that well.
        finding = kind == FINDING or unsure_rule or (bool(rows) and rows[0].coverage >= ENFORCER_COVERAGE)
        rows = rows if finding else []
        # A long colloquial finding holds little of any row: its best row still answers, the others only when
        # they hold more (or sanction the person asked about by role, whose row says little of what was found).
        matched = [m for i, m in enumerate(rows) if m.coverage >= (MIN_TOP_ROW_COVERAGE if i == 0 else MIN_ROW_COVERAGE)
                   or m.asked]
        if reason == WEAK_MATCH and matched:
            reason = None
        if reason:
            return Answer(question, f"{ABSTAIN_TEXT}（{reason}）。请换一种说法，或指明法规名称。", True,
                          notes=notes, dense_used=result.dense_used)
        if any(m.confidence == CONFIRMED for m in matched):
            return self._row_answer(result, matched, k, as_of, notes)
        citations = self.articles.citations(result, k, as_of, violation=finding)
        if matched:
            # No row is sure: the articles search found and the best rows' penalties are 待核对 candidates; a
            # penalty article both found takes the row's 项 (chosen with the obligations' wording).
            by_unit: dict[str, Citation] = {}
            siblings: list[Citation] = []  # another 项 of an article already there: the choice between them is open
            # A row a referral leads to may be a candidate of its own as well: it is shown once.
            shown: set[tuple[str, int | None, int | None]] = set()
            for m in matched[:ROW_CANDIDATES_SHOWN]:
                for c in row_citations(self.matcher, m, result.query, result.scope, as_of):
                    if c.role != ROLE_PENALTY or (c.unit_id, c.para, c.item_no) in shown:
                        continue
                    shown.add((c.unit_id, c.para, c.item_no))
                    if c.unit_id in by_unit:
                        siblings.append(c)
                    else:
                        by_unit[c.unit_id] = c
            citations = [by_unit.pop(c.unit_id) if c.role == ROLE_PENALTY and c.unit_id in by_unit
                         else self._row_item(c, result.query, as_of) for c in citations
                         if not (c.role == ROLE_PENALTY and self.matcher.needs_accident(result.query, c.unit_id))]
            citations = _unsure_order(citations, matched[0].row, by_unit, siblings)
            notes.append(UNSURE_NOTE)
            notes += [n for n in dict.fromkeys(n for m in matched[:ROW_CANDIDATES_SHOWN] for n in m.notes)
                      if n not in notes]
        # The finding names a duty (or the part of one) no penalty reaches: it leads, the basis for 责令改正. Asked
        # here, not only by the matcher (which keeps its best row from 确定), because that row may be below
        # MIN_ROW_COVERAGE or no row may match. Leading with the duty-gap closer's duty as well lowered dev MRR
        # (answers_dev6 .801 -> .789): it is the finding's duty half the time.
        partial = self.matcher.gaps.partial(result.query) if finding else None
        if partial is not None:
            part, duty = partial
            citations = [duty_citation(self.searcher, duty.unit_id, duty.para, as_of),
                         *(c for c in citations if not (c.unit_id == duty.unit_id and c.role == ROLE_OBLIGATION))]
            note = gap_note(duty, part)
            if note not in notes:
                notes.append(note)
        if not citations:  # only non-article units matched: nothing to cite
            return Answer(question, f"{ABSTAIN_TEXT}（检索到的内容中没有可引用的条文）。请换一种说法，或指明法规名称。",
                          True, notes=notes, dense_used=result.dense_used)
        return Answer(question, _article_conclusion(citations, result, finding), False, citations, notes,
                      result.dense_used, finding=finding)

    # -- findings ------------------------------------------------------------------------------------------

    def match_rows(self, question: str, result: SearchResult, as_of: date | None, whole: str | None = None
                   ) -> list[RowMatch]:
        """Rows for the finding; a finding naming two violations may give two firm rows (one per part). `whole`:
        the finding this one is a part of (Record.context)."""
        articles = [h.unit.unit_id for h in result.hits]
        unit_type = result.query.unit_type
        matching: Matching = self.matcher.match(question, scope=result.scope, as_of=as_of, articles=articles,
                                                whole=whole, unit_type=unit_type)
        out = list(matching.matches)
        firm_ids = {m.row.row_id for m in matching.firm}
        parts = split_findings(question)
        if len(parts) > 1:
            # A part's row counts only when the whole finding also ranks it: a short part matches too easily.
            known = {m.row.row_id for m in matching.matches}
            for part in parts:
                stood_for = {p.row_id for f in out if f.confidence == CONFIRMED for p in f.parallel}
                usable = known - firm_ids - stood_for  # embedding a part (25 ms) pays only for these rows
                sub = self.matcher.match(part, scope=result.scope, as_of=as_of, articles=articles,
                                         whole=whole or question, unit_type=unit_type, usable=usable)
                for m in sub.firm:
                    if m.row.row_id not in usable:
                        continue
                    firm_ids.add(m.row.row_id)
                    out = [x for x in out if x.row.row_id != m.row.row_id]
                    out.insert(len([x for x in out if x.confidence == CONFIRMED]), m)
        return out

    def _row_item(self, cite: Citation, query: ParsedQuery, as_of: date | None) -> Citation:
        """A penalty article found by search takes the 项 (violation row) of it that fits the finding best."""
        if cite.role != ROLE_PENALTY or cite.row_id:
            return cite
        best = self.matcher.best_in_article(query, cite.unit_id)
        if best is None:
            return cite
        return penalty_citation(self.searcher, best.row, cite.score, TO_CHECK, as_of, via=cite.via)

    def _row_answer(self, result: SearchResult, matched: list[RowMatch], k: int, as_of: date | None,
                    notes: list[str]) -> Answer:
        firm = [m for m in matched if m.confidence == CONFIRMED]
        candidates = [m for m in matched if m.confidence != CONFIRMED]
        citations: list[Citation] = []
        seen: set[tuple[str, str, int | None, int | None]] = set()

        def add(cites: list[Citation]) -> None:
            for c in cites:
                key = (c.role, c.unit_id, c.para, c.item_no)
                if key not in seen:
                    seen.add(key)
                    citations.append(c)

        for m in firm:
            add(row_citations(self.matcher, m, result.query, result.scope, as_of))
        # A row a firm referral leads to is already cited, firmly: it is no 待核对 candidate as well.
        referred = {c.row_id for c in citations if c.referred_by and c.confidence == CONFIRMED}
        candidates = [m for m in candidates if m.row.row_id not in referred][:ROW_CANDIDATES_SHOWN]
        for m in candidates:
            add(row_citations(self.matcher, m, result.query, result.scope, as_of))
        for m in firm + candidates:
            notes += [n for n in m.notes if n not in notes]
        cited_units = {c.unit_id for c in citations}
        related = [h for h in result.hits if h.unit.kind is UnitKind.ARTICLE and h.unit.unit_id not in cited_units
                   and fits_a_finding(self.searcher, h, result)]
        for hit in related[:RELATED_SHOWN]:
            cite = self.articles.related(hit, as_of)
            citations.append(cite)
        ordered = _row_order(citations, self.searcher.lexicon.intent("penalty_first").search(result.query.text))
        rows = [_row_summary(m) for m in firm + candidates]
        return Answer(result.query.text, _row_conclusion(firm, candidates, ordered), False, ordered, notes,
                      result.dense_used, rows=rows)

    def answer(self, question: str, k: int = 5, law: str | None = None, as_of: date | None = None,
               levels: set[Level] | None = None, unit_type: str | None = None) -> Answer:
        """NotFoundError for a law the catalog lacks and InputError for an empty question or k < 1, as `show`
        does for a missing law: such a request is a mistake to fix, not a question without an answer."""
        check_question(question, k)
        record = split_record(question)
        if record is not None:
            return self._answer_items(question, record, k, law, as_of, levels, unit_type)
        result = self.retrieve(question, k, law, as_of, levels, unit_type)
        return self.compose(result, k, as_of)

    def _answer_items(self, question: str, record: Record, k: int, law: str | None, as_of: date | None,
                       levels: set[Level] | None, unit_type: str | None) -> Answer:
        """Each numbered finding answered on its own, under the record's heading (Record.context)."""
        items = []
        for item in record.items:
            result = self.retrieve(record.question(item), k, law, as_of, levels, unit_type)
            items.append(ItemAnswer(item.no, item.text, self.compose(result, k, as_of, whole=record.context(item))))
        return record_answer(question, items)


def check_question(question: str, k: int) -> None:
    if not (question or "").strip():
        raise InputError("问题为空；请描述检查发现的问题，例如“储存场所没设安全警示标志，依据哪条？怎么罚？”")
    if k < 1:
        raise InputError(f"返回条数 k={k} 无效；应为不小于 1 的整数（默认 5）")


def record_answer(question: str, items: list[ItemAnswer]) -> Answer:
    """A numbered record's answer: its items' answers in the record's order, and what they cite, rest on and drew
    on, each once; the notes every item shares ("条文检索仅使用了关键词") said once for the record."""
    firm = sum(1 for i in items if i.answer.firm(ROLE_PENALTY))
    lines = [f"检查记录共{len(items)}项，逐项匹配：{firm}项有确定的执法依据，{len(items) - firm}项待核对或未找到依据。"]
    lines += [f"{i.no}. {i.text}——{i.answer.answer}" for i in items]
    citations: list[Citation] = []
    seen: set[tuple] = set()
    rows: dict[str, dict] = {}
    sources: dict[str, list[str]] = {}
    for item in items:
        for c in item.answer.citations:
            key = (c.role, c.unit_id, c.para, c.item_no, c.confidence)
            if key not in seen:
                seen.add(key)
                citations.append(c)
        for r in item.answer.rows:
            rows.setdefault(r["row_id"], r)
        for via, units in item.answer.sources.items():
            sources[via] = list(dict.fromkeys([*sources.get(via, []), *units]))
    shared = [n for n in items[0].answer.notes if all(n in i.answer.notes for i in items[1:])]
    return Answer(question, "\n".join(lines), all(i.answer.abstained for i in items), citations, shared,
                  any(i.answer.dense_used for i in items), rows=list(rows.values()), sources=sources,
                  unit_type=items[0].answer.unit_type, finding=any(i.answer.finding for i in items), items=items)


def _sources(result: SearchResult, answer: Answer) -> dict[str, list[str]]:
    """Every hit as searched; each cited unit the answerer reached otherwise, by how it reached it."""
    out: dict[str, list[str]] = {via: [] for via in VIAS}
    out[VIA_SEARCHED] = [h.unit.unit_id for h in result.hits]
    for c in answer.citations:
        if c.unit_id not in out[c.via]:
            out[c.via].append(c.unit_id)
    return {via: units for via, units in out.items() if units}


def _unsure_order(citations: list[Citation], top: ViolationRow, unfound: dict[str, Citation],
                  siblings: list[Citation]) -> list[Citation]:
    """No row is sure: the best row's penalty leads, since it names a gold article first more often than the article
    search does (MRR on the three dev sets .772 -> .803, tuned .825 -> .827); when the search's first article is
    that row's own (its obligation), the pair stays together. The other rows' penalties the search did not find
    (`unfound`) follow the articles, and each sibling 项 comes right after its article's first one."""
    out = list(citations)
    first_own = bool(out) and out[0].unit_id in {top.unit_id, *(o.unit_id for o in top.obligations)}
    lead = unfound.pop(top.unit_id, None)
    if lead is None and not first_own:
        lead = next((c for c in out if c.row_id == top.row_id and c.role == ROLE_PENALTY), None)
        if lead is not None:
            out.remove(lead)
    if lead is not None:
        out.insert(1 if first_own else 0, lead)
    out += unfound.values()
    for sibling in siblings:
        at = next(i for i, c in enumerate(out) if c.unit_id == sibling.unit_id and c.role == ROLE_PENALTY)
        out.insert(at + 1, sibling)
    # As in a firm answer, a referral's sanction (the referred law's 项) comes before the referring provision.
    for cite in [c for c in out if c.referred_by]:
        referring = next((i for i, c in enumerate(out) if c.row_id == cite.referred_by and not c.referred_by
                          and c.role == ROLE_PENALTY), None)
        if referring is not None and referring < out.index(cite):
            out.remove(cite)
            out.insert(referring, cite)
    return out


def _row_order(citations: list[Citation], penalty_first: Any) -> list[Citation]:
    """Row by row, firm rows first: the obligation that fits best and the penalty (the penalty first when the
    question asks for the sanction), the parallel beside it; then each row's other obligations; related last."""
    out: list[Citation] = []
    rows = list(dict.fromkeys(c.row_id for c in citations
                              if c.row_id and c.role != ROLE_PARALLEL and not c.referred_by))
    for row_id in rows:
        own = [c for c in citations if c.row_id == row_id and not c.referred_by]
        obligations = [c for c in own if c.role == ROLE_OBLIGATION][:1]
        # A referral's sanction is in the law it refers to: that law's 项 first, the referring provision after it.
        referred = [c for c in citations if c.referred_by == row_id]
        penalties = referred + [c for c in own if c.role == ROLE_PENALTY]
        parallels = [c for c in citations if c.role == ROLE_PARALLEL and c.parallel_to == row_id]
        pair = [*penalties, *parallels, *obligations] if penalty_first else [*obligations, *penalties, *parallels]
        out += [c for c in pair if c not in out]
    out += [c for c in citations if c not in out and c.role != ROLE_RELATED]
    out += [c for c in citations if c not in out]
    return out


def _row_summary(m: RowMatch) -> dict[str, Any]:
    row = m.row
    return {"row_id": row.row_id, "cite": row.cite(), "behaviour": row.behaviour, "subject": row.subject,
            "confidence": m.confidence, "score": round(m.score, 4), "coverage": round(m.coverage, 3),
            "fine": row.fine, "department": row.department,
            "obligations": [{"law": o.law, "article": o.article, "para": o.para, "link": o.link}
                            for o in row.obligations],
            "parallel": [p.cite() for p in m.parallel], "general": [g.cite() for g in m.general]}


def _row_conclusion(firm: list[RowMatch], candidates: list[RowMatch], citations: list[Citation]) -> str:
    parts = []
    for m in firm:
        row = m.row
        cited = [c for c in citations if c.row_id == row.row_id and c.role == ROLE_OBLIGATION
                 and c.confidence == CONFIRMED]
        obligations = "、".join(f"《{c.law}》{c.label()}" for c in cited) or "（该项本身即禁止性规定）"
        referred = next((c for c in citations if c.referred_by == row.row_id), None)
        if referred is not None and referred.confidence == CONFIRMED:  # "依照有关安全生产许可的法律…处罚"
            text = f"违法依据：{obligations}；处罚依据：《{referred.law}》{referred.label()}"
            fine, department, via = referred.fine, referred.department, f"{row.cite()}规定依照该条处罚"
        else:
            text = f"违法依据：{obligations}；处罚依据：{row.cite()}"
            fine, department = row.fine, row.department
            via = f"所依照的《{referred.law}》{referred.label()}待核对" if referred is not None else ""
        extra = "，".join(p for p in (fine_text(fine), f"由{department}处罚" if department else "") if p)
        extra = "；".join(p for p in (via, extra) if p)
        parts.append(text + (f"（{extra}）" if extra else ""))
        for p in m.parallel:
            parts.append(f"{p.cite()}为对照条款（新法施行后优先适用前者）")
    if not firm and candidates:
        parts.append("未能确定唯一的执法依据，以下候选依据请对照原文核对（待核对）："
                     + "、".join(c.row.cite() for c in candidates[:3]))
    elif candidates:
        parts.append("其他可能相关的依据（待核对）：" + "、".join(c.row.cite() for c in candidates[:2]))
    return "。".join(parts) + "。"


def _article_conclusion(citations: list[Citation], result: SearchResult, finding: bool = True) -> str:
    """A finding's unsure 违法依据 and 处罚依据; a question that is no finding (a time limit, a definition, who
    issues a licence) gets the articles found as 相关规定 and 相关罚则: nothing was found violated."""
    obligations = [c for c in citations if c.role == ROLE_OBLIGATION]
    penalties = [c for c in citations if c.role == ROLE_PENALTY]
    if result.hits and result.hits[0].lookup:
        first = citations[0]
        return f"{first.cite()}（{first.level}，{first.status}）原文如下。"
    parts = []
    if obligations:
        parts.append(f"{role_name(ROLE_OBLIGATION, finding)}：" + "、".join(c.cite() for c in obligations[:2]))
    if penalties:
        parts.append(f"{role_name(ROLE_PENALTY, finding)}：" + "、".join(penalty_label(c) for c in penalties[:2]))
    if not parts and citations:
        parts.append("相关规定：" + "、".join(c.cite() for c in citations[:2]))
    if not finding:
        return "；".join(parts) + "（检索所得的条文，请对照原文核对）。"
    return "；".join(parts) + "（待核对：未匹配到违法行为库中的确定条目，请对照原文核对）。"

