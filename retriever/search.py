"""Search: lexical (and dense, when on) scores, fused; law-level routing; versions in force; direct lookups."""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from corpus.amendments import LaterAmendment, amendment_note, later_amendments
from corpus.catalog import Catalog, choose_version
from corpus.errors import InputError, NotFoundError
from corpus.legal_text import CRIMINAL_SANCTION
from corpus.lexicon import DOMAIN_GROUPS, Lexicon, UnitProfile, builtin_lexicon
from corpus.model import Document, Level, Status, Unit
from corpus.names import normalize_title
from corpus.numbers import article_label

from .asked import AskedIndex
from .lexical import LexicalIndex, is_domain_doc
from .query import ParsedQuery, alias_index_for, any_hazardous, parse_query, regime_controls, strict_precursors
from .question_kind import ARTICLES, FINDING, question_kind
from .sectors import Sectors
from .tokenize import bigrams, query_bigrams
from .weights import (
    DENSE_DEPTH,
    FUSION_DEPTH,
    KIND_WEIGHT,
    LAW_BEST_UNITS,
    LAW_CANDIDATES,
    OFF_DOMAIN,
    RERANK_DEPTH,
    RESULT_DEPTH,
    RRF_C,
    SUPPLEMENTARY_WEIGHT,
    W_ASKED,
    W_COVERAGE,
    W_DOMAIN,
    W_DUTY,
    W_EXPANSION,
    W_INTENT_LAW,
    W_LAW,
    W_MENTION,
    W_PENALTY,
    W_WORD,
)

log = logging.getLogger(__name__)

PENALTY_CHAPTER = "法律责任"
PARSE_CACHE = 256  # questions whose parse is kept (an answer parses its question several times)


@dataclass
class Hit:
    unit: Unit
    doc: Document
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    lookup: bool = False  # the question asked for exactly this article

    @property
    def is_penalty(self) -> bool:
        return is_penalty_unit(self.unit)


@dataclass
class SearchResult:
    query: ParsedQuery
    hits: list[Hit]
    coverage: float  # share of the question's informative bigrams found in the best hit
    dense_used: bool = False
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # articles the question named that the corpus lacks
    scope: set[str] = field(default_factory=set)  # the documents searched (versions in force, filters applied)
    as_of: date | None = None  # the day the search was for (None: today); the answer is composed for the same day
    kind: str = FINDING  # what the question is answered by (retriever.question_kind)




def is_penalty_unit(unit: Unit) -> bool:
    return any(PENALTY_CHAPTER in p for p in unit.path) or (
        "罚款" in unit.text and ("处" in unit.text or "责令" in unit.text)) or bool(CRIMINAL_SANCTION.search(unit.text))


class Searcher:
    """Search the catalog through its lexical index (and an optional dense index)."""

    def __init__(self, catalog: Catalog, lexical: LexicalIndex, dense=None, lexicon: Lexicon | None = None,
                 row_index_path: Path | None = None, progress: bool = False,
                 row_vectors: Callable[[Any], Any] | None = None, previous_rows: Any = None):
        self.catalog = catalog
        self.row_index_path = row_index_path
        self.previous_rows = previous_rows  # a RowIndex of an earlier searcher: its unchanged rows' tokens are reused
        self.row_vectors = row_vectors  # opens a row index's vectors (when a model is configured and they are built)
        self.progress = progress
        self.lexical = lexical
        self.dense = dense
        self.lexicon = lexicon or lexical.words.lexicon or builtin_lexicon()
        self.core_laws = self.lexicon.laws_in("core")
        self.domain_laws = self.lexicon.laws_in(*DOMAIN_GROUPS)
        # Laws on how the authorities sanction: never the duty or the sanction of what a unit was found doing.
        self.procedure_laws = self.lexicon.laws_in("procedure")
        self.broad_laws = self.lexicon.laws_in("broad")
        self.sectors = Sectors(self.lexicon)
        self.docs: dict[str, Document] = {d.doc_id: d for d in catalog.documents()}
        self.aliases = alias_index_for(catalog.law_names())
        positions = {d: i for i, d in enumerate(self.docs)}
        self._doc_position = positions
        self._unit_doc = np.array([positions.get(d, -1) for d in lexical.doc_ids], dtype=np.int32)
        self.penalty_mask = self._penalty_mask()
        self.duty_mask = self._term_mask("负责") & self._term_mask("部门")
        self.supplementary_mask = self._term_mask("附则")  # the chapter path is part of the indexed text
        self.kind_weight = np.array([KIND_WEIGHT.get(k, 1.0) for k in lexical.kinds], dtype=np.float32)
        # The laws some kinds of question are about (查封 -> 行政强制法): normalised title -> (pattern, its documents)
        self.intent_laws: dict[str, tuple[re.Pattern[str], np.ndarray]] = {}
        for law, pattern in self.lexicon.law_intents().items():
            name = normalize_title(law)
            docs = np.array([normalize_title(d.title) == name for d in self.docs.values()], dtype=np.float32)
            self.intent_laws[name] = (pattern, docs)
        self._sector_docs = [(i, d) for i, d in enumerate(self.docs.values()) if self.sectors.sector_of(d.title)]
        self.domain = np.array([self.is_domain(d) for d in self.docs.values()], dtype=bool)
        self._units_cache: dict[str, Unit] = {}
        self._articles_cache: dict[tuple[str, int, int], Unit | None] = {}
        self._scope_cache: dict[tuple, frozenset[str]] = {}
        self._parse_cache: dict[tuple[str, str | None], ParsedQuery] = {}
        self._amendments_cache: dict[str, list[LaterAmendment]] = {}
        self._tiers_cache: dict[str, list[Any]] = {}
        self._matcher: Any = None
        self._asked: AskedIndex | None = None

    # The catalog does not change under a searcher (a new one is opened after an ingest): what it reads is kept.
    def unit(self, unit_id: str) -> Unit:
        unit = self._units_cache.get(unit_id)
        if unit is None:
            unit = self._units_cache[unit_id] = self.catalog.unit(unit_id)
        return unit

    def units(self, unit_ids: list[str]) -> list[Unit]:
        """unit() for several ids, the ones not yet read fetched in one query."""
        missing = [u for u in unit_ids if u not in self._units_cache]
        if missing:
            self._units_cache.update(self.catalog.units_by_id(missing))
        return [self.unit(u) for u in unit_ids]

    def article(self, doc_id: str, number: int, sub: int = 0) -> Unit | None:
        key = (doc_id, number, sub)
        if key not in self._articles_cache:
            try:
                self._articles_cache[key] = self.catalog.article(doc_id, number, sub)
            except NotFoundError:
                self._articles_cache[key] = None
        return self._articles_cache[key]

    def law_article(self, law: str, number: int, sub: int = 0,
                    as_of: date | None = None) -> tuple[Unit, Document] | None:
        """An article of a law named by title or alias, in the version in force on the day (None when the corpus
        lacks the law or the article)."""
        doc = self.law_doc(law, as_of)
        unit = None if doc is None else self.article(doc.doc_id, number, sub)
        return None if unit is None or doc is None else (unit, doc)

    def law_doc(self, law: str, as_of: date | None = None) -> Document | None:
        """The version in force on the day of a law named by title or alias (None when the corpus lacks it)."""
        versions = [self.docs[d] for d in self.aliases.get(normalize_title(law), []) if d in self.docs]
        return choose_version(versions, as_of) if versions else None

    def discretion_tiers(self, row_id: str) -> list[Any]:
        """The bureau's 裁量基准 tiers attached to a violation row (read once per row)."""
        if row_id not in self._tiers_cache:
            from corpus.violations import tiers_for

            self._tiers_cache[row_id] = tiers_for(self.catalog, row_id)
        return self._tiers_cache[row_id]

    def violation_matcher(self) -> Any:
        """The violation catalog's rows, synced with the catalog and indexed (built on first use; the index is
        cached at `row_index_path` when the searcher was opened for a home)."""
        if self._matcher is None:
            from corpus.violations import KIND_REFERRAL, ViolationStore

            from .enforcement import ViolationMatcher
            from .row_index import open_row_index

            store = ViolationStore(self.catalog)
            store.sync(progress=self.progress)
            # Findings are matched to the domain's laws and the bureau's own documents (a tax law never
            # sanctions a finding); rows of other laws stay in the catalog for listing and export. A law a domain
            # penalty refers to ("依照《中华人民共和国邮政法》的规定处罚") is indexed too, reached only through
            # that referral.
            domain = {d for d, doc in self.docs.items() if self.is_domain(doc)}
            referred = {d for r in store.rows(doc_ids=domain, kind=KIND_REFERRAL) if r.sanctions.referral
                        for d in self.referred_docs(r.sanctions.referral, r.doc_id)} - domain
            index = open_row_index(store, self.lexical.words, self.row_index_path, domain | referred,
                                   previous=self.previous_rows, lexicon=self.lexicon)
            self.previous_rows = None
            vectors = self.row_vectors(index) if self.row_vectors else None
            self._matcher = ViolationMatcher(self, index, vectors, referral_only=referred)
        return self._matcher

    def touched(self, query: ParsedQuery) -> set[str]:
        """The sectors a question speaks of (a chemical's name speaks of 危险化学品)."""
        # 胡椒醛 speaks of 易制毒化学品; 甲苯 or 盐酸 (third class, everyday chemicals) only with an act the regime
        # rules (卖给谁没记, 运输备案): twelve dev sets, two more firm answers, both right, no new wrong one.
        controls = " ".join(regime_controls(query.normalized, query.chemicals, self.lexicon)
                            or strict_precursors(query.chemicals, self.lexicon))
        text = f"{query.normalized} {controls}"
        said = self.sectors.touched(text, any_hazardous(query.chemicals, self.lexicon), self.lexical.words.spans(text))
        return said | query.unit_type.sectors if query.unit_type else said

    def asked_laws(self, text: str) -> list[str]:
        """The laws the text asks about by kind of question (a crime, 查封, 处罚时效): normalised titles."""
        return [law for law, (pattern, _docs) in self.intent_laws.items() if pattern.search(text)]

    def unit_kinds(self, query: ParsedQuery) -> set[str]:
        """The kinds of unit a question speaks of (运输, 经营 …): those it names and its unit type's."""
        said = self.lexicon.unit_kinds(query.normalized)
        return said | query.unit_type.kinds if query.unit_type else said

    def referred_docs(self, referral: str, own_doc: str) -> set[str]:
        """The documents a penalty's referral names: "《邮政法》" by title or alias, or "有关道路运输、水路运输的法律、
        行政法规" by the subjects in their titles."""
        name = referral.strip("《》")
        if referral.startswith("《"):
            return {d for d in self.aliases.get(normalize_title(name), []) if d in self.docs}
        subjects = [s for s in name.removeprefix("有关").split("的法律")[0].split("、") if len(s) >= 2]
        return {d.doc_id for d in self.docs.values()
                if any(s in normalize_title(d.title) for s in subjects) and d.doc_id != own_doc}

    def is_domain(self, doc: Document) -> bool:
        return is_domain_doc(doc, self.domain_laws)

    def parse(self, question: str, unit_type: UnitProfile | None = None) -> ParsedQuery:
        key = (question, unit_type.name if unit_type else None)
        query = self._parse_cache.get(key)
        if query is None:
            if len(self._parse_cache) > PARSE_CACHE:
                self._parse_cache.clear()
            query = self._parse_cache[key] = parse_query(question, self.aliases, self.lexicon, self.lexical.words,
                                                         unit_type)
        return query

    def amendment_note(self, doc_id: str, unit_ids: list[str]) -> str | None:
        """For articles of a text that later amendments in the corpus changed (the built-in 刑法 of 2020 and its
        修正案（十二）), which of them they changed; None for a current text."""
        doc = self.docs.get(doc_id)
        if doc is None or doc.status is not Status.AMENDED:
            return None
        if doc_id not in self._amendments_cache:
            self._amendments_cache[doc_id] = later_amendments(self.catalog, doc)
        articles = [(u.article_no, u.article_sub) for u in self.units(unit_ids) if u.article_no]
        return amendment_note(doc, articles, self._amendments_cache[doc_id])

    def unit_type(self, name: str | None) -> UnitProfile | None:
        """The inspected unit's type by name (None for none); InputError naming the known types otherwise."""
        if not name:
            return None
        profile = self.lexicon.unit_profile(name)
        if profile is None:
            known = "、".join(p.name for p in self.lexicon.unit_profiles)
            raise InputError(f"没有“{name}”这种被检查单位类型；应为{known}之一，或不指定")
        return profile

    def doc_units_mask(self, doc_id: str) -> np.ndarray:
        """Positions (in the lexical index) of one document's units."""
        return self._unit_doc == self._doc_position.get(doc_id, -2)  # -1 marks units of no catalog document

    def _term_mask(self, gram: str) -> np.ndarray:
        """Units containing a bigram (read off the postings, without loading every unit)."""
        mask = np.zeros(len(self.lexical), dtype=bool)
        f = self.lexical.fields["bigram"]
        tid = f.vocab.get(gram)
        if tid is not None:
            offsets, post_units, _ = f.postings()
            mask[post_units[offsets[tid]:offsets[tid + 1]]] = True
        return mask

    def _penalty_mask(self) -> np.ndarray:
        return self._term_mask("罚款")

    # -- scope -----------------------------------------------------------------------------------

    def in_force(self, as_of: date | None, law: str | None = None,
                 levels: set[Level] | None = None) -> set[str]:
        """Doc ids to search: for each law the version in force on as_of (current by default)."""
        key = (as_of or date.today(), law, frozenset(levels or ()))
        if key not in self._scope_cache:
            self._scope_cache[key] = frozenset(self._in_force(as_of, law, levels))
        return set(self._scope_cache[key])

    def _in_force(self, as_of: date | None, law: str | None, levels: set[Level] | None) -> set[str]:
        groups: dict[str, list[Document]] = defaultdict(list)
        for doc in self.docs.values():
            groups[normalize_title(doc.title)].append(doc)
        allowed = set()
        for versions in groups.values():
            chosen = choose_version(versions, as_of)
            if chosen.status is Status.REPEALED and as_of is None:
                continue
            allowed.add(chosen.doc_id)
        if law:
            wanted = {d.doc_id for d in self.catalog.versions(law)}
            if not wanted:
                raise NotFoundError(f"知识库中没有名为“{law}”的法规；用 hazkb docs 查看已收录的法规")
            allowed &= wanted
        if levels:
            allowed = {d for d in allowed if self.docs[d].level in levels}
        return allowed

    # -- scoring ---------------------------------------------------------------------------------

    def asked(self) -> AskedIndex:
        """The lexicon's article questions, indexed on first use."""
        if self._asked is None:
            def current(law: str) -> str | None:
                doc = self.law_doc(law)
                return None if doc is None else doc.doc_id

            self._asked = AskedIndex.build(self.lexicon, current, self.article, self.lexical.position,
                                           len(self.lexical))
        return self._asked

    def _lexical_scores(self, query: ParsedQuery, rule: bool) -> np.ndarray:
        terms, weights = query.weighted_bigrams()
        big = self.lexical.scores("bigram", terms, weights)
        words = self.lexical.words.words(query.search_text)
        word = self.lexical.scores("word", words)
        total = unit_max(big) + W_WORD * unit_max(word)
        if rule and W_ASKED:  # the questions were written for rule questions; findings are matched to rows
            total += W_ASKED * unit_max(self.asked().scores(terms, weights))
        return total

    def _law_scores(self, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Per document: mean of its three best unit scores (how well the law as a whole explains the question)."""
        n_docs = len(self.docs)
        law = np.zeros(n_docs, dtype=np.float32)
        candidates = np.flatnonzero(mask & (scores > 0))
        if candidates.size == 0:
            return law
        top = candidates[np.argsort(-scores[candidates])[:LAW_CANDIDATES]]
        best: dict[int, list[float]] = defaultdict(list)
        for i in top:
            d = self._unit_doc[i]
            if len(best[d]) < LAW_BEST_UNITS:
                best[d].append(float(scores[i]))
        for d, vals in best.items():
            law[d] = sum(vals) / LAW_BEST_UNITS
        return unit_max(law)

    def search(self, question: str, k: int = 10, law: str | None = None, as_of: date | None = None,
               levels: set[Level] | None = None, unit_type: UnitProfile | None = None) -> SearchResult:
        query = self.parse(question, unit_type)
        allowed = self.in_force(as_of, law, levels)
        doc_allowed = np.array([d in allowed for d in self.docs], dtype=bool)
        mask = doc_allowed[self._unit_doc] if len(self._unit_doc) else np.zeros(0, dtype=bool)

        asked_laws = self.asked_laws(query.normalized)
        kind = question_kind(query, self.lexicon, asked_laws)
        scores = self._lexical_scores(query, kind == ARTICLES) * self.kind_weight
        mentioned = query.named_docs
        off_domain = np.array([not dom and d not in mentioned for d, dom in zip(self.docs, self.domain)])
        scores = np.where(off_domain[self._unit_doc], scores * OFF_DOMAIN, scores)
        sector = np.ones(len(self.docs), dtype=np.float32)
        touched = self.touched(query)
        for i, doc in self._sector_docs:
            sector[i] = self.sectors.factor(doc.title, touched, doc.doc_id in mentioned)
        scores = scores * sector[self._unit_doc]
        if not self.lexicon.intent("supplementary").search(query.normalized):
            scores = np.where(self.supplementary_mask, scores * SUPPLEMENTARY_WEIGHT, scores)
        lexical_order = _ranked(scores, mask)
        fused = scores.copy()
        dense_used = False
        dense_ranks: dict[int, int] = {}
        if self.dense is not None:
            dense_ranks = self._dense_ranks(query.search_text, mask)
            dense_used = bool(dense_ranks)
            fused = _rrf_blend(scores, lexical_order, dense_ranks)

        law_scores = self._law_scores(fused, mask)
        final = fused + W_LAW * law_scores[self._unit_doc]
        final += W_DOMAIN * self.domain[self._unit_doc] * (fused > 0)
        if mentioned:
            bonus = np.array([d in mentioned for d in self.docs], dtype=np.float32)
            final += W_MENTION * bonus[self._unit_doc] * (fused > 0)
        if query.wants_penalty:
            final += W_PENALTY * self.penalty_mask * (fused > 0)
        for law in asked_laws:
            final += W_INTENT_LAW * self.intent_laws[law][1][self._unit_doc] * (fused > 0)
        if self.lexicon.asks("duty", query.normalized):
            final += W_DUTY * self.duty_mask * (fused > 0)

        order = self._rerank(query, _ranked(final, mask)[:RERANK_DEPTH], final)[: max(k * 3, RESULT_DEPTH)]
        lexical_rank = {int(u): r + 1 for r, u in enumerate(lexical_order[:FUSION_DEPTH])}
        self.units([self.lexical.unit_ids[int(i)] for i in order])
        hits = [self._hit(int(i), float(final[i]), lexical_rank.get(int(i)), dense_ranks.get(int(i)))
                for i in order]
        hits, missing = self._put_lookup_first(query, hits, as_of)
        coverage = max((self.coverage(query, h.unit) for h in hits[:3]), default=0.0)
        return SearchResult(query=query, hits=hits[:k], coverage=coverage, dense_used=dense_used, missing=missing,
                            scope=allowed, as_of=as_of, kind=kind)

    def _term_ids(self, query: ParsedQuery) -> tuple[np.ndarray, np.ndarray]:
        """Bigram ids of the question (weight 1) and of its expansions (W_EXPANSION), with idf weights."""
        f = self.lexical.fields["bigram"]
        own = set(query_bigrams(query.content))
        weights: dict[int, float] = {}
        for gram in set(bigrams(query.expansion)) - own:
            if gram in f.vocab:
                weights[f.vocab[gram]] = W_EXPANSION
        for gram in own:
            if gram in f.vocab:
                weights[f.vocab[gram]] = 1.0
        ids = np.fromiter(weights, dtype=np.int32, count=len(weights))
        w = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        return ids, w * f.idf_values()[ids] if len(ids) else w

    def _rerank(self, query: ParsedQuery, order: np.ndarray, final: np.ndarray) -> np.ndarray:
        if W_COVERAGE == 0 or order.size == 0:
            return order
        ids, weights = self._term_ids(query)
        total = float(weights.sum())
        if total <= 0:
            return order
        field = self.lexical.fields["bigram"]
        tokens = field.tokens
        # Where each of the query's term ids sits in `ids` (-1: not a query term), so a unit's share is read with
        # one lookup of its own term ids instead of an np.isin per unit (most of a search's time, measured).
        slot = np.full(len(field.vocab), -1, dtype=np.int32)
        slot[ids] = np.arange(len(ids), dtype=np.int32)

        def held(pos: int) -> float:
            found = slot[tokens[pos][0]]  # a unit's term ids are ids of this field's vocab
            mask = np.zeros(len(ids), dtype=bool)
            mask[found[found >= 0]] = True
            return float(weights[mask].sum())

        top = float(final[order[0]]) or 1.0
        rescored = [(float(final[pos]) / top + W_COVERAGE * held(int(pos)) / total, int(pos)) for pos in order]
        return np.array([pos for _, pos in sorted(rescored, key=lambda x: -x[0])], dtype=np.int64)

    def _dense_ranks(self, text: str, mask: np.ndarray) -> dict[int, int]:
        ranks: dict[int, int] = {}
        for rank, (unit_id, _score) in enumerate(self.dense.search(text, DENSE_DEPTH), start=1):
            pos = self.lexical.position(unit_id)
            if pos is not None and mask[pos]:
                ranks[pos] = rank
        return ranks

    def _hit(self, pos: int, score: float, lexical_rank: int | None, dense_rank: int | None) -> Hit:
        unit_id = self.lexical.unit_ids[pos]
        unit = self.unit(unit_id)
        return Hit(unit=unit, doc=self.docs[unit.doc_id], score=score, lexical_rank=lexical_rank,
                   dense_rank=dense_rank)

    def _put_lookup_first(self, query: ParsedQuery, hits: list[Hit],
                          as_of: date | None) -> tuple[list[Hit], list[str]]:
        """Articles the question names ("安全生产法第一百零一条") come first, in the order named.
        Returns the hits and the named articles the corpus does not have."""
        found: list[Hit] = []
        missing: list[str] = []
        for mention, number, sub in query.lookups:
            versions = [self.docs[d] for d in mention.doc_ids if d in self.docs]
            if not versions:
                continue
            doc = choose_version(versions, as_of)
            try:
                unit = self.catalog.article(doc.doc_id, number, sub)
            except NotFoundError:
                missing.append(f"《{doc.title}》{article_label(number, sub)}")
                continue
            found.append(Hit(unit=unit, doc=doc, score=float("inf"), lookup=True))
        ids = {h.unit.unit_id for h in found}
        return [*found, *[h for h in hits if h.unit.unit_id not in ids]], missing

    def coverage(self, query: ParsedQuery, unit: Unit) -> float:
        """idf-weighted share of the question's bigrams (and expansions) that occur in the unit."""
        field_ = self.lexical.fields["bigram"]
        unit_grams = set(bigrams(" ".join([*unit.path, unit.text])))
        own = set(query_bigrams(query.content))
        expansion = set(bigrams(query.expansion)) - own
        total = sum(field_.term_idf(b) for b in own)
        if total == 0:
            return 0.0
        found = sum(field_.term_idf(b) for b in own if b in unit_grams)
        found += W_EXPANSION * sum(field_.term_idf(b) for b in expansion if b in unit_grams)
        return min(1.0, found / total)


def unit_max(scores: np.ndarray) -> np.ndarray:
    """Scores scaled so the best is 1 (all zero stays zero)."""
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _ranked(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(mask & (scores > 0))
    return idx[np.argsort(-scores[idx], kind="stable")]


def _rrf_blend(scores: np.ndarray, lexical_order: np.ndarray, dense_ranks: dict[int, int],
               c: int = RRF_C) -> np.ndarray:
    """Reciprocal-rank fusion of the lexical order and the dense ranks, scaled to [0, 1]."""
    fused = np.zeros_like(scores)
    for rank, pos in enumerate(lexical_order[:FUSION_DEPTH], start=1):
        fused[pos] += 1.0 / (c + rank)
    for pos, rank in dense_ranks.items():
        fused[pos] += 1.0 / (c + rank)
    return unit_max(fused)
