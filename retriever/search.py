"""Search: lexical (and dense, when on) scores, fused; law-level routing; versions in force; direct lookups."""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from corpus.catalog import Catalog, choose_version
from corpus.errors import NotFoundError
from corpus.model import Document, Level, Status, Unit
from corpus.names import normalize_title
from corpus.numbers import article_label

from .lexical import LexicalIndex
from .sectors import SECTOR_TRIGGERS, sector_factor
from .query import ParsedQuery, alias_index_for, parse_query
from .tokenize import bigrams, query_bigrams

log = logging.getLogger(__name__)

# Work-safety laws proper. A question whose best matches all come from these is in scope even when it uses
# none of the listed domain words (retriever.answer.in_domain).
CORE_LAWS = frozenset({
    "危险化学品安全法", "危险化学品安全管理条例", "安全生产法", "消防法", "职业病防治法", "特种设备安全法",
    "特种设备安全监察条例", "生产安全事故报告和调查处理条例", "生产安全事故应急条例", "安全生产许可证条例",
    "易制毒化学品管理条例", "民用爆炸物品安全管理条例", "烟花爆竹安全管理条例", "城镇燃气管理条例",
    "建设工程安全生产管理条例", "石油天然气管道保护法", "监控化学品管理条例",
})
# The laws this product is about; the built-in corpus also holds patent, tax and family law. The broad ones
# (刑法, 突发事件应对法 ...) are in the domain but do not by themselves put a question in scope.
DOMAIN_LAWS = CORE_LAWS | frozenset({
    "突发事件应对法", "行政处罚法", "行政强制法", "工伤保险条例", "国务院关于特大安全事故行政责任追究的规定",
    "道路交通安全法", "环境保护法", "固体废物污染环境防治法", "大气污染防治法", "水污染防治法", "劳动法", "刑法",
})
PENALTY_CHAPTER = "法律责任"

W_WORD = 0.6  # word field relative to bigrams
W_EXPANSION = 0.6  # synonym expansions relative to the question's own bigrams
W_LAW = 0.35  # law routing
W_DOMAIN = 0.12
W_MENTION = 2.0  # the question names this law: its articles lead
W_PENALTY = 0.08  # the question asks about penalties and the unit is a penalty provision
W_DUTY = 0.3  # "归谁管/哪个部门": the articles that assign duties to departments (总则, 负责)
DUTY_QUESTION = re.compile(r"归谁|谁管|归.{1,12}?管|谁来管|谁监管|监管归|哪个部门|哪一级|谁发|谁批准|谁负责|由谁|哪个单位|哪级")
# Questions whose kind names the law that answers them: a crime (刑法), enforcement procedure.
W_INTENT_LAW = 0.5
INTENT_LAWS = {
    "刑法": re.compile(r"刑事责任|判刑|坐牢|构成.{0,8}罪|够罪|犯罪"),
    "行政强制法": re.compile(r"查封|扣押|强制执行|代履行|加处罚款|滞纳金"),
    "行政处罚法": re.compile(r"听证|陈述|申辩|简易程序|当场|时效|首次违法|情节轻微|从旧|决定书|没收违法所得"),
}
W_COVERAGE = 0.5  # rerank: how many of the question's distinct terms an article covers (BM25 favours repeats)
RERANK_DEPTH = 60
OFF_DOMAIN = 0.55  # multiplier for built-in laws outside work safety, unless the question names them
# Plan sections and loose paragraphs explain; articles (and plan table rows that cite them) are the basis.
# 附则 (definitions, jurisdiction in ports, entry into force) is rarely what a finding breaches.
SUPPLEMENTARY_WEIGHT = 0.7
ASKS_SUPPLEMENTARY = re.compile(r"施行|生效|什么是|是指|含义|定义|解释|适用范围|港区|港口|军事|参照|鉴定")
KIND_WEIGHT = {"article": 1.0, "table_row": 1.0, "section": 0.6, "paragraph": 0.6}


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


CRIMINAL_SANCTION = re.compile(r"处.{0,12}(?:有期徒刑|拘役|管制)")  # 刑法's articles sanction crimes


def is_penalty_unit(unit: Unit) -> bool:
    return any(PENALTY_CHAPTER in p for p in unit.path) or (
        "罚款" in unit.text and ("处" in unit.text or "责令" in unit.text)) or bool(CRIMINAL_SANCTION.search(unit.text))


class Searcher:
    """Search the catalog through its lexical index (and an optional dense index)."""

    def __init__(self, catalog: Catalog, lexical: LexicalIndex, dense=None):
        self.catalog = catalog
        self.lexical = lexical
        self.dense = dense
        self.docs: dict[str, Document] = {d.doc_id: d for d in catalog.documents()}
        self.aliases = alias_index_for(catalog.law_names())
        positions = {d: i for i, d in enumerate(self.docs)}
        self._unit_doc = np.array([positions.get(d, -1) for d in lexical.doc_ids], dtype=np.int32)
        self.penalty_mask = self._penalty_mask()
        self.duty_mask = self._term_mask("负责") & self._term_mask("部门")
        self.supplementary_mask = self._term_mask("附则")  # the chapter path is part of the indexed text
        self.kind_weight = np.array([KIND_WEIGHT.get(k, 1.0) for k in lexical.kinds], dtype=np.float32)
        self.intent_laws = [(pattern, np.array([normalize_title(d.title) == law for d in self.docs.values()],
                                               dtype=np.float32)) for law, pattern in INTENT_LAWS.items()]
        self._sector_docs = [(i, d) for i, d in enumerate(self.docs.values())
                             if normalize_title(d.title) in SECTOR_TRIGGERS]
        self.domain = np.array([self.is_domain(d) for d in self.docs.values()], dtype=bool)
        self._units_cache: dict[str, Unit] = {}

    @staticmethod
    def is_domain(doc: Document) -> bool:
        return normalize_title(doc.title) in DOMAIN_LAWS or not doc.source.startswith("builtin:")

    def doc_units_mask(self, doc_id: str) -> np.ndarray:
        """Positions (in the lexical index) of one document's units."""
        return np.array([d == doc_id for d in self.lexical.doc_ids], dtype=bool)

    def _term_mask(self, gram: str) -> np.ndarray:
        """Units containing a bigram (read off the postings, without loading every unit)."""
        mask = np.zeros(len(self.lexical), dtype=bool)
        f = self.lexical.fields["bigram"]
        tid = f.vocab.get(gram)
        if tid is not None:
            mask[f.post_units[f.offsets[tid]:f.offsets[tid + 1]]] = True
        return mask

    def _penalty_mask(self) -> np.ndarray:
        return self._term_mask("罚款")

    # -- scope -----------------------------------------------------------------------------------

    def in_force(self, as_of: date | None, law: str | None = None,
                 levels: set[Level] | None = None) -> set[str]:
        """Doc ids to search: for each law the version in force on as_of (current by default)."""
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

    def _lexical_scores(self, query: ParsedQuery) -> np.ndarray:
        own = query_bigrams(query.content)
        expansion = [b for b in bigrams(query.expansion) if b not in set(own)]
        weights = {b: W_EXPANSION for b in expansion}
        big = self.lexical.scores("bigram", own + expansion, weights)
        words = self.lexical.words.words(query.search_text)
        word = self.lexical.scores("word", words)
        return _unit_max(big) + W_WORD * _unit_max(word)

    def _law_scores(self, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Per document: mean of its three best unit scores (how well the law as a whole explains the question)."""
        n_docs = len(self.docs)
        law = np.zeros(n_docs, dtype=np.float32)
        candidates = np.flatnonzero(mask & (scores > 0))
        if candidates.size == 0:
            return law
        top = candidates[np.argsort(-scores[candidates])[:400]]
        best: dict[int, list[float]] = defaultdict(list)
        for i in top:
            d = self._unit_doc[i]
            if len(best[d]) < 3:
                best[d].append(float(scores[i]))
        for d, vals in best.items():
            law[d] = sum(vals) / 3.0
        return _unit_max(law)

    def search(self, question: str, k: int = 10, law: str | None = None, as_of: date | None = None,
               levels: set[Level] | None = None) -> SearchResult:
        query = parse_query(question, self.aliases)
        allowed = self.in_force(as_of, law, levels)
        doc_allowed = np.array([d in allowed for d in self.docs], dtype=bool)
        mask = doc_allowed[self._unit_doc] if len(self._unit_doc) else np.zeros(0, dtype=bool)

        scores = self._lexical_scores(query) * self.kind_weight
        mentioned = {d for m in query.laws for d in m.doc_ids}
        off_domain = np.array([not dom and d not in mentioned for d, dom in zip(self.docs, self.domain)])
        scores = np.where(off_domain[self._unit_doc], scores * OFF_DOMAIN, scores)
        sector = np.ones(len(self.docs), dtype=np.float32)
        for i, doc in self._sector_docs:
            sector[i] = sector_factor(doc.title, query.normalized, doc.doc_id in mentioned)
        scores = scores * sector[self._unit_doc]
        if not ASKS_SUPPLEMENTARY.search(query.normalized):
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
        for pattern, law_docs in self.intent_laws:
            if pattern.search(query.normalized):
                final += W_INTENT_LAW * law_docs[self._unit_doc] * (fused > 0)
        if DUTY_QUESTION.search(query.normalized):
            final += W_DUTY * self.duty_mask * (fused > 0)

        order = self._rerank(query, _ranked(final, mask)[:RERANK_DEPTH], final)[: max(k * 3, 30)]
        lexical_rank = {int(u): r + 1 for r, u in enumerate(lexical_order[:200])}
        hits = [self._hit(int(i), float(final[i]), lexical_rank.get(int(i)), dense_ranks.get(int(i)))
                for i in order]
        hits, missing = self._put_lookup_first(query, hits, as_of)
        coverage = max((self.coverage(query, h.unit) for h in hits[:3]), default=0.0)
        return SearchResult(query=query, hits=hits[:k], coverage=coverage, dense_used=dense_used, missing=missing,
                            scope=allowed)

    def _term_ids(self, query: ParsedQuery) -> tuple[np.ndarray, np.ndarray]:
        """Bigram ids of the question (weight 1) and of its expansions (weight .5), with idf weights."""
        f = self.lexical.fields["bigram"]
        own = set(query_bigrams(query.content))
        weights: dict[int, float] = {}
        for gram in set(bigrams(query.expansion)) - own:
            if gram in f.vocab:
                weights[f.vocab[gram]] = 0.5
        for gram in own:
            if gram in f.vocab:
                weights[f.vocab[gram]] = 1.0
        ids = np.fromiter(weights, dtype=np.int32, count=len(weights))
        w = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        return ids, w * f.idf[ids] if len(ids) else w

    def _rerank(self, query: ParsedQuery, order: np.ndarray, final: np.ndarray) -> np.ndarray:
        if W_COVERAGE == 0 or order.size == 0:
            return order
        ids, weights = self._term_ids(query)
        total = float(weights.sum())
        if total <= 0:
            return order
        tokens = self.lexical.fields["bigram"].tokens
        top = float(final[order[0]]) or 1.0
        rescored = [(float(final[pos]) / top + W_COVERAGE * float(weights[np.isin(ids, tokens[pos][0])].sum()) / total,
                     int(pos)) for pos in order]
        return np.array([pos for _, pos in sorted(rescored, key=lambda x: -x[0])], dtype=np.int64)

    def _dense_ranks(self, text: str, mask: np.ndarray) -> dict[int, int]:
        ranks: dict[int, int] = {}
        for rank, (unit_id, _score) in enumerate(self.dense.search(text, 100), start=1):
            pos = self.lexical.position(unit_id)
            if pos is not None and mask[pos]:
                ranks[pos] = rank
        return ranks

    def _hit(self, pos: int, score: float, lexical_rank: int | None, dense_rank: int | None) -> Hit:
        unit_id = self.lexical.unit_ids[pos]
        unit = self._units_cache.get(unit_id) or self.catalog.unit(unit_id)
        self._units_cache[unit_id] = unit
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
        found += 0.5 * sum(field_.term_idf(b) for b in expansion if b in unit_grams)
        return min(1.0, found / total)


def _unit_max(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _ranked(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(mask & (scores > 0))
    return idx[np.argsort(-scores[idx], kind="stable")]


def _rrf_blend(scores: np.ndarray, lexical_order: np.ndarray, dense_ranks: dict[int, int], c: int = 60) -> np.ndarray:
    """Reciprocal-rank fusion of the lexical order and the dense ranks, scaled to [0, 1]."""
    fused = np.zeros_like(scores)
    for rank, pos in enumerate(lexical_order[:200], start=1):
        fused[pos] += 1.0 / (c + rank)
    for pos, rank in dense_ranks.items():
        fused[pos] += 1.0 / (c + rank)
    return _unit_max(fused)
