"""Answers built from whole articles (the fallback when no violation row fits, lookups, duty and procedure
questions, plan inspection tables): obligations found by search, the penalty articles linked to them, the 项
chosen by wording. Nothing here is 确定 except an article the question named itself."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from corpus.legal_text import scope_or_terms
from corpus.model import Document, Item, Level, Unit, UnitKind
from corpus.names import normalize_title

from .citation import (
    CONFIRMED,
    NOT_IN_FORCE,
    ROLE_OBLIGATION,
    ROLE_PENALTY,
    ROLE_RELATED,
    VIA_LINKED,
    VIA_REFERRED,
    VIA_SEARCHED,
    Citation,
    make_citation,
    set_item,
)
from .linking import (
    authorities_only,
    best_item,
    focus_text,
    parallel_article,
    penalties_for,
    referred_penalties,
    text_jaccard,
)
from .search import Hit, Searcher, SearchResult, is_penalty_unit
from .weights import LINKED_PENALTY_FACTOR, PARALLEL_JACCARD

LEVEL_RANK = {level.value: level.rank for level in Level}


class ArticleComposer:
    """Citations from search hits at article level."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher

    def related(self, hit: Hit, as_of: date | None) -> Citation:
        """An article shown beside row-based basis as 相关规定 (never as basis)."""
        return make_citation(hit.unit, hit.doc, ROLE_RELATED, hit.score, as_of)

    def citations(self, result: SearchResult, k: int, as_of: date | None, violation: bool = False) -> list[Citation]:
        """`violation`: the question tells what a unit did wrong; an article of the authorities' duties found for
        it, one that only sets the law's scope or defines its words, or one of a law on how the authorities sanction
        (laws.tsv group procedure) is shown as 相关规定, never as its 违法依据 or 处罚依据."""
        finding = result.query.search_text  # the question in the regulations' words too (坏了 -> 维护、保养)
        out: list[Citation] = []
        seen: set[str] = set()
        units: dict[str, Unit] = {}  # penalty articles found by search: their 项 is chosen below
        penalties: dict[str, Unit] = {}  # every penalty article cited
        obligations: dict[str, Unit] = {}  # their paragraphs the finding is about help choose penalty 项
        table_done = False
        # A question about a rule (not a finding) is answered by the articles search found, in its order; the
        # penalties linked to them follow all of them (相关罚则) instead of taking the places of further articles.
        later: list[Citation] = []

        def add(unit: Unit, doc: Document, role: str, score: float, item: Item | None = None,
                requested: bool = False, via: str = VIA_SEARCHED, into: list[Citation] = out) -> None:
            if unit.unit_id in seen or len(into) >= k + 3:
                return
            seen.add(unit.unit_id)
            if role == ROLE_OBLIGATION:
                obligations[unit.unit_id] = unit
            into.append(make_citation(unit, doc, role, score, as_of, item))
            into[-1].requested, into[-1].via = requested, via
            if requested and into[-1].status not in NOT_IN_FORCE:
                into[-1].confidence = CONFIRMED  # the article the question named: what was asked

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
            if violation and not fits_a_finding(self.searcher, hit, result):
                continue
            if violation and normalize_title(hit.doc.title) in self.searcher.procedure_laws:
                add(hit.unit, hit.doc, ROLE_RELATED, hit.score)  # binds the authorities (行政处罚法): no unit's duty
                continue
            if hit.is_penalty:
                add(hit.unit, hit.doc, ROLE_PENALTY, hit.score)
                units[hit.unit.unit_id] = penalties[hit.unit.unit_id] = hit.unit
                higher = self._higher_parallel(hit, result, as_of)
                if higher is not None:  # the law in force's penalty before the superseded one's (_higher_first)
                    add(*higher, ROLE_PENALTY, hit.score, via=VIA_LINKED)
                    units[higher[0].unit_id] = penalties[higher[0].unit_id] = higher[0]
                continue
            if violation and (authorities_only(hit.unit) or scope_or_terms(hit.unit.text)):
                add(hit.unit, hit.doc, ROLE_RELATED, hit.score)
                continue
            add(hit.unit, hit.doc, ROLE_OBLIGATION, hit.score)
            higher = self._higher_parallel(hit, result, as_of)
            if higher is not None:  # ordered before the lower law's article below (_higher_first)
                add(*higher, ROLE_OBLIGATION, hit.score, via=VIA_LINKED)
            # The penalty of the law in force first: the higher law's duty brings its own.
            for duty in ([higher[0]] if higher is not None else []) + [hit.unit]:
                if len([c for c in out + later if c.role == ROLE_PENALTY]) >= 2:
                    break
                for link in penalties_for(self.searcher, duty, finding, limit=1):
                    add(link.unit, self.searcher.docs[link.unit.doc_id], ROLE_PENALTY,
                        hit.score * LINKED_PENALTY_FACTOR, link.item, via=VIA_LINKED,
                        into=out if violation else later)
                    penalties[link.unit.unit_id] = link.unit
        self._add_referred(out, seen, penalties, result, k, as_of)
        # Which 项 of a penalty article applies is judged against the finding and the paragraphs of the
        # obligations found that it is about.
        context = finding + "".join(focus_text(obligations[c.unit_id], finding)
                                    for c in out if c.role == ROLE_OBLIGATION)
        for c in out:
            if c.role == ROLE_PENALTY and c.item is None and c.unit_id in units:
                set_item(c, units[c.unit_id], best_item(units[c.unit_id], context))
        if violation:
            ordered = _order(out, self._penalty_leads(result))
        else:  # measured on a blind set of questions about rules (rules_dev): hit@5 .817 -> .850, MRR unchanged
            ordered = [c for c in out if c.requested] + _higher_first([c for c in out if not c.requested]) + later
        named = result.query.named_docs
        if named:
            # The question names a law: its articles lead, in the same order.
            ordered = [c for c in ordered if c.doc_id in named] + [c for c in ordered if c.doc_id not in named]
        return ordered[: max(k, 1) + 2]

    def _higher_parallel(self, hit: Hit, result: SearchResult, as_of: date | None) -> tuple[Unit, Document] | None:
        """A duty or penalty article of a superseded or lower law found by search (the 2013 条例's) brings the
        article of the law that comes first (危化法) laying the same duty or sanction, unless the question names the
        lower law or the search leaves the higher one out."""
        if hit.doc.doc_id in result.query.named_docs:
            return None
        higher = self.searcher.lexicon.higher_law(normalize_title(hit.doc.title), as_of or date.today())
        doc = self.searcher.law_doc(higher[0], as_of) if higher is not None else None
        if doc is None or (result.scope and doc.doc_id not in result.scope):
            return None
        unit = parallel_article(self.searcher, hit.unit, doc.doc_id)
        return None if unit is None else (unit, doc)

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
                cite = make_citation(link.unit, self.searcher.docs[link.unit.doc_id], ROLE_PENALTY,
                                     c.score * LINKED_PENALTY_FACTOR, as_of, link.item)
                cite.via = VIA_REFERRED
                out.insert(out.index(c) + 1, cite)

    def _penalty_leads(self, result: SearchResult) -> bool:
        """Penalties lead when the question asks for the sanction, or when the best-matching article is itself
        a penalty provision (the finding is worded like a 项 of it) and the question does not ask for the duty."""
        question = result.query.text
        lexicon = self.searcher.lexicon
        if lexicon.intent("obligation_first").search(question):
            return False
        if lexicon.intent("penalty_first").search(question):
            return True
        if lexicon.asks("duty", question) or lexicon.asks("procedure", question):
            return False
        top = next((h for h in result.hits if h.unit.kind is UnitKind.ARTICLE and not h.lookup), None)
        return top is not None and top.is_penalty

    def _add_table_row(self, hit: Hit, add: Any) -> None:
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
            add(target, self.searcher.docs[target.doc_id], role, hit.score, via=VIA_LINKED)
        if unresolved:
            # Articles the plan cites that are not in the corpus: show the row itself, quoted from the plan,
            # so the inspector sees what it lists (never as an article of a law we do not hold).
            add(hit.unit, hit.doc, ROLE_RELATED, hit.score)


def fits_a_finding(searcher: Searcher, hit: Hit, result: SearchResult) -> bool:
    """An article cited for a finding comes from the domain's laws (laws.tsv) or the bureau's own documents: not
    from another law the corpus holds (民法典), nor from a broad law whose objects the finding does not speak of
    (刑法第三百六十二条's 通风报信 for "喷漆房没有通风"), unless the question names that law."""
    if hit.doc.doc_id in result.query.named_docs:
        return True
    if not searcher.is_domain(hit.doc):
        return False
    title = normalize_title(hit.doc.title)
    if title not in searcher.broad_laws:
        return True
    return not searcher.sectors.off_sector(title, searcher.touched(result.query), named=False)


# A law and a regulation on the same subject share their title once the form words are cut off:
# 危险化学品安全法 / 危险化学品安全管理条例 -> 危险化学品; 特种设备安全法 / 特种设备安全监察条例 -> 特种设备.
_FORM_WORDS = re.compile(r"(?:安全)?(?:管理|监察|保护|防治|监督管理)?(?:条例|法|规定|办法|细则)$")


def _precedence(c: Citation) -> tuple:
    return (LEVEL_RANK.get(c.level, 0), c.version or "")


def _jaccard(a: Citation, b: Citation) -> float:
    return text_jaccard(a.text, b.text)


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




def penalty_label(c: Citation) -> str:
    return f"《{c.law}》{c.label()}" if c.item else c.cite()
