"""From a finding to 执法依据: the violation rows it matches, which law comes first, and how sure that is.

Rows are scored like articles (BM25 over the row's behaviour, its obligations' wording and their words, plus the
share of the finding's terms a row covers), then ordered the way an inspector cites: the law in force before the
one it supersedes (shown beside it as the parallel), the special law before the general one when the finding is
about the special law's objects, sector laws only when the finding touches their objects. A row is 确定 only when
it covers the finding well and stands clear of the next row; otherwise it is a 待核对 candidate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from corpus.lexicon import Relation
from corpus.names import normalize_title
from corpus.violations import KIND_PENALTY, KIND_REFERRAL, ViolationRow

from .query import ParsedQuery, mentions_hazchem
from .row_index import RowIndex, behaviour_text, obligation_text
from .search import Searcher
from .tokenize import bigrams, query_bigrams
from .weights import (
    FIRM_COVERAGE, FIRM_MARGIN, OFF_DOMAIN, PARALLEL_ROW_JACCARD, ROW_CANDIDATES, SPECIAL_MARGIN, W_EXPANSION,
    W_ROW_COVERAGE, W_ROW_OBLIGATION, W_ROW_WORD,
)

CONFIRMED = "确定"
TO_CHECK = "待核对"
SANCTION_KINDS = (KIND_PENALTY, KIND_REFERRAL)
# A finding that names two violations: "没有安全技术说明书，也没贴标签".
_SECOND_VIOLATION = re.compile(r"[，,；;。]\s*(?:也|还|并且|而且|同时|另外|此外)|，又|；")


@dataclass
class RowMatch:
    row: ViolationRow
    score: float  # final score, the best row of the finding = its own value (not normalised)
    coverage: float  # idf-weighted share of the finding's terms the row's behaviour and obligations hold
    confidence: str = TO_CHECK
    parallel: list[ViolationRow] = field(default_factory=list)  # the superseded law's row, shown beside it
    general: list[ViolationRow] = field(default_factory=list)  # the general law's row the special one displaces
    notes: list[str] = field(default_factory=list)


@dataclass
class Matching:
    query: ParsedQuery
    matches: list[RowMatch]  # best first, precedence applied

    @property
    def firm(self) -> list[RowMatch]:
        return [m for m in self.matches if m.confidence == CONFIRMED]


def _jaccard(a: str, b: str) -> float:
    x, y = set(bigrams(a)), set(bigrams(b))
    return len(x & y) / len(x | y) if x and y else 0.0


class ViolationMatcher:
    """Matches findings to the rows of one violation catalog, through one searcher's scope and lexicon."""

    def __init__(self, searcher: Searcher, index: RowIndex):
        self.searcher = searcher
        self.index = index
        lexicon = searcher.lexicon
        self.relations: list[Relation] = list(lexicon.relations)
        self.row_law = [normalize_title(r.law) for r in index.rows]
        self.sanctioning = np.array([r.kind in SANCTION_KINDS for r in index.rows], dtype=bool)
        docs = searcher.docs
        self.domain = np.array([searcher.is_domain(docs[r.doc_id]) if r.doc_id in docs else False
                                for r in index.rows], dtype=bool)
        self.texts = [f"{behaviour_text(r)} {obligation_text(r)}" for r in index.rows]

    # -- scoring --------------------------------------------------------------------------------------------

    def _scores(self, query: ParsedQuery, mask: np.ndarray) -> np.ndarray:
        own = query_bigrams(query.content)
        expansion = [b for b in bigrams(query.expansion) if b not in set(own)]
        weights = {b: W_EXPANSION for b in expansion}
        behaviour = self.index.scores("behaviour", own + expansion, weights)
        obligation = self.index.scores("obligation", own + expansion, weights)
        words = self.index.scores("word", self.searcher.lexical.words.words(query.search_text))
        total = _unit_max(behaviour) + W_ROW_OBLIGATION * _unit_max(obligation) + W_ROW_WORD * _unit_max(words)
        total = np.where(self.domain, total, total * OFF_DOMAIN)
        touched = self.searcher.sectors.touched(
            query.normalized, mentions_hazchem(query.normalized, self.searcher.lexicon, self.searcher.lexical.words))
        named = {normalize_title(m.name) for m in query.laws}
        factors = {law: self.searcher.sectors.factor(law, touched, law in named) for law in set(self.row_law)}
        total = total * np.array([factors[law] for law in self.row_law], dtype=np.float32)
        return np.where(mask, total, 0.0)

    def coverage(self, query: ParsedQuery, position: int) -> float:
        own = set(query_bigrams(query.content))
        expansion = set(bigrams(query.expansion)) - own
        grams = set(bigrams(self.texts[position]))
        idf = self.index.idf
        total = sum(idf(b) for b in own)
        if total == 0:
            return 0.0
        found = sum(idf(b) for b in own if b in grams) + W_EXPANSION * sum(idf(b) for b in expansion if b in grams)
        return min(1.0, found / total)

    def match(self, question: str, scope: set[str] | None = None, as_of: date | None = None,
              limit: int = ROW_CANDIDATES) -> Matching:
        query = self.searcher.parse(question)
        allowed = scope if scope is not None else self.searcher.in_force(as_of)
        mask = self.sanctioning & np.array([d in allowed for d in self.index.doc_ids], dtype=bool)
        scores = self._scores(query, mask)
        top = np.argsort(-scores)[: limit * 4]
        top = top[scores[top] > 0]
        if top.size == 0:
            return Matching(query, [])
        best = float(scores[top[0]])
        ranked = []
        for pos in top:
            cov = self.coverage(query, int(pos))
            ranked.append(RowMatch(self.index.rows[pos], float(scores[pos]) / best + W_ROW_COVERAGE * cov, cov))
        ranked.sort(key=lambda m: -m.score)
        ordered = self._precedence(ranked, query, as_of)[:limit]
        self._confidence(ordered)
        return Matching(query, ordered)

    # -- which law first ---------------------------------------------------------------------------------------

    def _superseding(self, law: str, as_of: date | None) -> str | None:
        day = as_of or date.today()
        for r in self.relations:
            if r.law == law and r.relation == "superseded_by" and (r.since is None or r.since <= day):
                return r.other
        return None

    def _special_over(self, general: str) -> list[str]:
        return [r.law for r in self.relations if r.relation == "special_of" and r.other == general]

    def _precedence(self, ranked: list[RowMatch], query: ParsedQuery, as_of: date | None) -> list[RowMatch]:
        out: list[RowMatch] = []
        used: set[str] = set()
        for match in ranked:
            if match.row.row_id in used:
                continue
            law = normalize_title(match.row.law)
            newer = self._superseding(law, as_of)
            if newer:
                twin = self._parallel_in(match, ranked, newer)
                if twin is not None and twin.row.row_id not in used:
                    twin.parallel.append(match.row)
                    twin.score = max(twin.score, match.score)
                    used |= {twin.row.row_id, match.row.row_id}
                    out.append(twin)
                    continue
                match.notes.append(f"《{newer}》施行后，请核对本条是否仍适用")
            used.add(match.row.row_id)
            out.append(match)
        return self._special_first(out, query)

    def _parallel_in(self, match: RowMatch, ranked: list[RowMatch], law: str) -> RowMatch | None:
        """The row of `law` that says what the superseded row says (among the candidates)."""
        best, best_j = None, PARALLEL_ROW_JACCARD
        for other in ranked:
            if normalize_title(other.row.law) != law:
                continue
            j = _jaccard(match.row.behaviour, other.row.behaviour)
            if j >= best_j:
                best, best_j = other, j
        return best

    def _special_first(self, matches: list[RowMatch], query: ParsedQuery) -> list[RowMatch]:
        """A general-law row ahead of a close special-law row gives it the place (安全生产法 after 危化法 for a
        finding at a hazardous-chemicals unit: the sector demotion already keeps 危化法 back when it is not)."""
        out = list(matches)
        for i, match in enumerate(out):
            specials = self._special_over(normalize_title(match.row.law))
            if not specials:
                continue
            for j in range(i + 1, len(out)):
                other = out[j]
                if normalize_title(other.row.law) in specials and other.score >= SPECIAL_MARGIN * match.score:
                    other.general.append(match.row)
                    out.insert(i, out.pop(j))
                    break
        return out

    # -- how sure --------------------------------------------------------------------------------------------

    def _confidence(self, matches: list[RowMatch]) -> None:
        if not matches:
            return
        top = matches[0]
        rest = [m for m in matches[1:] if m.row.row_id not in {r.row_id for r in top.general}]
        margin = top.score - (rest[0].score if rest else 0.0)
        if top.coverage >= FIRM_COVERAGE and margin >= FIRM_MARGIN and not top.notes:
            top.confidence = CONFIRMED


def _unit_max(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores
