"""Structured answers with citations quoted from the corpus: 违法依据, 处罚依据, 相关规定; abstain when weak."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from corpus.errors import NotFoundError
from corpus.model import Document, Item, Level, Unit, UnitKind
from corpus.names import normalize_title
from corpus.numbers import to_chinese
from corpus.views import source_of

from .linking import best_item, focus_text, penalties_for, referred_penalties
from .search import Hit, SearchResult, Searcher, is_penalty_unit
from .tokenize import bigrams, query_bigrams
from .weights import CORE_COVERAGE, LINKED_PENALTY_FACTOR, MIN_COVERAGE, MIN_TERMS, PARALLEL_JACCARD

ROLE_OBLIGATION = "违法依据"
ROLE_PENALTY = "处罚依据"
ROLE_RELATED = "相关规定"
ABSTAIN_TEXT = "未在知识库中找到明确依据"
LOOKUP_SCORE = 999.0  # shown for an article the question named (its search score is infinite)
LEVEL_RANK = {level.value: level.rank for level in Level}
@dataclass
class Citation:
    law: str
    article: str
    article_no: int | None
    level: str
    status: str
    effective: str | None
    text: str
    source: str
    role: str
    score: float
    unit_id: str
    doc_id: str
    item: str | None = None  # the 项 that fits the finding, quoted
    version: str | None = None
    requested: bool = False  # the question named this article

    def cite(self) -> str:
        return f"《{self.law}》{self.article}"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dense_used: bool = False
    checks: list[dict] = field(default_factory=list)  # citation verification of an LLM's text

    def as_json(self) -> dict:
        keys = ("law", "article", "article_no", "level", "status", "effective", "text", "source", "role", "score")
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [{k: getattr(c, k) for k in keys} | {"item": c.item, "unit_id": c.unit_id}
                          for c in self.citations],
            "notes": self.notes,
            "dense_used": self.dense_used,
            "checks": self.checks,
        }

    def enforcement_block(self) -> str:
        """The 执法依据 lines an inspector pastes into an enforcement document."""
        lines = []
        for role in (ROLE_OBLIGATION, ROLE_PENALTY):
            cites = [c for c in self.citations if c.role == role]
            if cites:
                lines.append(f"{role}：" + "；".join(_cite_with_item(c) for c in cites))
        return "\n".join(lines)


def _cite_with_item(c: Citation) -> str:
    quote = c.item or c.text
    return f"{c.cite()}“{_short(quote, 120)}”"


def _short(text: str, n: int) -> str:
    text = text.replace("\n", "")
    return text if len(text) <= n else text[: n - 1] + "……"


def _item_text(unit: Unit, item: Item) -> str:
    return f"{unit.label}第（{to_chinese(item.number)}）项：{item.text}"


def _citation(hit_unit: Unit, doc: Document, role: str, score: float, as_of: date | None,
              item: Item | None = None) -> Citation:
    return Citation(
        law=doc.title,
        article=hit_unit.label,
        article_no=hit_unit.article_no,
        level=doc.level.value,
        status=doc.status_on(as_of or date.today()).value,
        effective=doc.effective_date.isoformat() if doc.effective_date else None,
        text=hit_unit.text,
        source=source_of(doc, hit_unit),
        role=role,
        score=round(float(score), 4) if score != float("inf") else LOOKUP_SCORE,
        unit_id=hit_unit.unit_id,
        doc_id=doc.doc_id,
        item=_item_text(hit_unit, item) if item is not None else None,
        version=doc.version_date.isoformat() if doc.version_date else None,
    )


def in_domain(searcher: Searcher, result: SearchResult) -> bool:
    """The question must speak of this domain: in its own words, by naming a law, or because the best
    matches are work-safety articles (the corpus holds all national laws, so a tax question finds tax law)."""
    if searcher.lexicon.intent("domain").search(result.query.normalized) or result.query.laws:
        return True
    top = [h for h in result.hits[:3] if h.unit.kind is UnitKind.ARTICLE]
    return (len(top) >= 2 and result.coverage >= CORE_COVERAGE
            and all(normalize_title(h.doc.title) in searcher.core_laws for h in top))


class ExtractiveAnswerer:
    """The default answerer: no LLM; everything it says is quoted from retrieved articles."""

    def __init__(self, searcher: Searcher, min_coverage: float = MIN_COVERAGE):
        self.searcher = searcher
        self.min_coverage = min_coverage

    def retrieve(self, question: str, k: int = 5, law: str | None = None, as_of: date | None = None,
                 levels: set[Level] | None = None) -> SearchResult:
        return self.searcher.search(question, k=max(k, 10), law=law, as_of=as_of, levels=levels)

    def abstain_reason(self, result: SearchResult) -> str | None:
        if result.hits and result.hits[0].lookup:
            return None
        if result.missing:
            return "知识库中没有" + "、".join(result.missing) + "，请核对条号"
        if not result.hits:
            return "知识库中没有与问题相关的条文"
        if not in_domain(self.searcher, result):
            return "问题不属于危险化学品安全监管范围"
        named = {d for m in result.query.laws for d in m.doc_ids}
        if named and not any(h.unit.doc_id in named for h in result.hits[:3]):
            return f"所指的《{result.query.laws[0].name}》中没有与问题相关的条文"
        if len(set(query_bigrams(result.query.normalized))) < MIN_TERMS:
            return "问题过于简短，请描述具体的检查发现或指明法规名称"
        if result.coverage < self.min_coverage:
            return "检索到的条文与问题关联较弱"
        return None

    def compose(self, result: SearchResult, k: int = 5, as_of: date | None = None) -> Answer:
        question = result.query.text
        notes = [] if result.dense_used else ["仅使用了关键词检索（未启用向量检索）"]
        reason = self.abstain_reason(result)
        if reason:
            return Answer(question, f"{ABSTAIN_TEXT}（{reason}）。请换一种说法，或指明法规名称。", True,
                          notes=notes, dense_used=result.dense_used)
        citations = self._citations(result, k, as_of)
        if not citations:  # only non-article units matched: nothing to cite
            return Answer(question, f"{ABSTAIN_TEXT}（检索到的内容中没有可引用的条文）。请换一种说法，或指明法规名称。",
                          True, notes=notes, dense_used=result.dense_used)
        return Answer(question, conclusion(citations, result), False, citations, notes, result.dense_used)

    def _citations(self, result: SearchResult, k: int, as_of: date | None) -> list[Citation]:
        finding = result.query.search_text  # the question in the regulations' words too (坏了 -> 维护、保养)
        out: list[Citation] = []
        seen: set[str] = set()
        units: dict[str, Unit] = {}  # penalty articles found by search: their 项 is chosen below
        penalties: dict[str, Unit] = {}  # every penalty article cited
        obligations: dict[str, Unit] = {}  # their paragraphs the finding is about help choose penalty 项
        table_done = False

        def add(unit: Unit, doc: Document, role: str, score: float, item: Item | None = None,
                requested: bool = False) -> None:
            if unit.unit_id in seen or len(out) >= k + 3:
                return
            seen.add(unit.unit_id)
            if role == ROLE_OBLIGATION:
                obligations[unit.unit_id] = unit
            out.append(_citation(unit, doc, role, score, as_of, item))
            out[-1].requested = requested

        for hit in result.hits:
            if len(out) >= k:
                break
            if hit.unit.kind is UnitKind.TABLE_ROW:
                if not table_done:  # the best-matching inspection-table row only
                    self._add_table_row(hit, add)
                    table_done = True
                continue
            if hit.unit.kind is not UnitKind.ARTICLE:
                continue
            if hit.lookup:
                add(hit.unit, hit.doc, ROLE_PENALTY if hit.is_penalty else ROLE_RELATED, hit.score, requested=True)
                continue
            if hit.is_penalty:
                add(hit.unit, hit.doc, ROLE_PENALTY, hit.score)
                units[hit.unit.unit_id] = penalties[hit.unit.unit_id] = hit.unit
                continue
            add(hit.unit, hit.doc, ROLE_OBLIGATION, hit.score)
            if len([c for c in out if c.role == ROLE_PENALTY]) < 2:
                for link in penalties_for(self.searcher, hit.unit, finding, limit=1):
                    add(link.unit, self.searcher.docs[link.unit.doc_id], ROLE_PENALTY,
                        hit.score * LINKED_PENALTY_FACTOR, link.item)
                    penalties[link.unit.unit_id] = link.unit
        self._add_referred(out, seen, penalties, result, k, as_of)
        # Which 项 of a penalty article applies is judged against the finding and the paragraphs of the
        # obligations found that it is about.
        context = finding + "".join(focus_text(obligations[c.unit_id], finding)
                                    for c in out if c.role == ROLE_OBLIGATION)
        for c in out:
            if c.role == ROLE_PENALTY and c.item is None and c.unit_id in units:
                item = best_item(units[c.unit_id], context)
                c.item = _item_text(units[c.unit_id], item) if item is not None else None
        ordered = _order(out, self._penalty_leads(result))
        named = {d for m in result.query.laws for d in m.doc_ids}
        if named:
            # The question names a law: its articles lead, in the same order.
            ordered = [c for c in ordered if c.doc_id in named] + [c for c in ordered if c.doc_id not in named]
        return ordered[: max(k, 1) + 2]

    def _add_referred(self, out: list[Citation], seen: set[str], penalties: dict[str, Unit], result: SearchResult,
                      k: int, as_of: date | None) -> None:
        """A penalty article that hands the sanction to another law ("依照《安全生产许可证条例》的规定处罚")
        is followed by that law's penalty article, when the corpus holds it."""
        for c in [c for c in out[:k] if c.role == ROLE_PENALTY and c.unit_id in penalties]:
            links = referred_penalties(self.searcher, penalties[c.unit_id], result.query.text, result.scope)
            for link in links[:1]:
                if link.unit.unit_id in seen:
                    continue
                seen.add(link.unit.unit_id)
                out.insert(out.index(c) + 1, _citation(link.unit, self.searcher.docs[link.unit.doc_id], ROLE_PENALTY,
                                                       c.score * LINKED_PENALTY_FACTOR, as_of, link.item))

    def _penalty_leads(self, result: SearchResult) -> bool:
        """Penalties lead when the question asks for the sanction, or when the best-matching article is itself
        a penalty provision (the finding is worded like a 项 of it) and the question does not ask for the duty."""
        question = result.query.text
        lexicon = self.searcher.lexicon
        if lexicon.intent("obligation_first").search(question):
            return False
        if lexicon.intent("penalty_first").search(question):
            return True
        if lexicon.intent("duty").search(question) or lexicon.intent("procedure").search(question):
            return False
        top = next((h for h in result.hits if h.unit.kind is UnitKind.ARTICLE and not h.lookup), None)
        return top is not None and top.is_penalty

    def _add_table_row(self, hit: Hit, add) -> None:
        """A plan's inspection-table row: its 检查依据 / 执法依据 articles, when in the corpus."""
        catalog = self.searcher.catalog
        cells = hit.unit.cells or {}
        unresolved = False
        for stored in catalog.references_from(hit.unit.unit_id):
            target = catalog.resolve(stored)
            if target is None:
                unresolved = unresolved or stored.reference.article_no is not None
                continue
            in_penalty_cell = stored.reference.raw and any(
                "执法" in header and stored.reference.raw in text for header, text in cells.items())
            role = ROLE_PENALTY if in_penalty_cell or is_penalty_unit(target) else ROLE_OBLIGATION
            add(target, self.searcher.docs[target.doc_id], role, hit.score)
        if unresolved:
            # Articles the plan cites that are not in the corpus: show the row itself, quoted from the plan,
            # so the inspector sees what it lists (never as an article of a law we do not hold).
            add(hit.unit, hit.doc, ROLE_RELATED, hit.score)

    def answer(self, question: str, k: int = 5, law: str | None = None, as_of: date | None = None,
               levels: set[Level] | None = None) -> Answer:
        try:
            result = self.retrieve(question, k, law, as_of, levels)
        except NotFoundError as exc:
            return Answer(question, f"{ABSTAIN_TEXT}（{exc}）", True)
        return self.compose(result, k, as_of)


# A law and a regulation on the same subject share their title once the form words are cut off:
# 危险化学品安全法 / 危险化学品安全管理条例 -> 危险化学品; 特种设备安全法 / 特种设备安全监察条例 -> 特种设备.
_FORM_WORDS = re.compile(r"(?:安全)?(?:管理|监察|保护|防治|监督管理)?(?:条例|法|规定|办法|细则)$")


def _precedence(c: Citation) -> tuple:
    return (LEVEL_RANK.get(c.level, 0), c.version or "")


def _jaccard(a: Citation, b: Citation) -> float:
    x, y = set(bigrams(a.text)), set(bigrams(b.text))
    return len(x & y) / len(x | y) if x and y else 0.0


def _parallel(a: Citation, b: Citation) -> bool:
    return a.doc_id != b.doc_id and _jaccard(a, b) >= PARALLEL_JACCARD


def _family(c: Citation) -> str:
    return _FORM_WORDS.sub("", normalize_title(c.law))


def _higher_first(group: list[Citation]) -> list[Citation]:
    """Within one role: of a law and a regulation on the same subject (or two parallel articles),
    the higher and newer law's articles take the places the lower one held."""
    out = list(group)
    families: dict[str, list[int]] = {}
    for i, c in enumerate(out):
        families.setdefault(_family(c), []).append(i)
    for slots in families.values():
        held = [out[i] for i in slots]
        remaining = sorted(held, key=_precedence, reverse=True)
        for slot, before in zip(slots, held):
            tier = [c for c in remaining if _precedence(c) == _precedence(remaining[0])]
            pick = tier[0]
            if _precedence(before) < _precedence(pick):
                # The slot of a lower-law article goes to its parallel in the higher law, if one is cited.
                best = max(tier, key=lambda c: _jaccard(c, before))
                pick = best if _jaccard(best, before) >= PARALLEL_JACCARD else pick
            remaining.remove(pick)
            out[slot] = pick
    i = 0
    while i < len(out):
        for j in range(i + 1, len(out)):
            if _parallel(out[i], out[j]) and _precedence(out[j]) > _precedence(out[i]):
                out.insert(i, out.pop(j))
                break
        else:
            i += 1
    return out


def _order(citations: list[Citation], penalty_first: bool = False) -> list[Citation]:
    """Obligations, then penalties (or the reverse when the question asks for the sanction), then related
    rules. Inside a role the search order stands, but the higher and newer law comes first."""
    roles = [ROLE_PENALTY, ROLE_OBLIGATION] if penalty_first else [ROLE_OBLIGATION, ROLE_PENALTY]
    out: list[Citation] = [c for c in citations if c.requested]
    for role in [*roles, ROLE_RELATED]:
        out += _higher_first([c for c in citations if c.role == role and not c.requested])
    return out


def conclusion(citations: list[Citation], result: SearchResult) -> str:
    obligations = [c for c in citations if c.role == ROLE_OBLIGATION]
    penalties = [c for c in citations if c.role == ROLE_PENALTY]
    parts = []
    if result.hits and result.hits[0].lookup:
        first = citations[0]
        return f"{first.cite()}（{first.level}，{first.status}）原文如下。"
    if obligations:
        parts.append("违法依据：" + "、".join(c.cite() for c in obligations[:2]))
    if penalties:
        parts.append("处罚依据：" + "、".join(_penalty_label(c) for c in penalties[:2]))
    if not parts and citations:
        parts.append("相关规定：" + "、".join(c.cite() for c in citations[:2]))
    return "；".join(parts) + "。"


def _penalty_label(c: Citation) -> str:
    return f"《{c.law}》{c.item.split('：', 1)[0]}" if c.item else c.cite()
