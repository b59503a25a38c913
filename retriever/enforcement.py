"""From a finding to 执法依据: the violation rows it matches, which law comes first, and how sure that is.

Rows are scored like articles (BM25 over the row's behaviour, its obligations' wording and their words, plus the
share of the finding's terms a row covers), then ordered the way an inspector cites: the law in force before the
one it supersedes (shown beside it as the parallel), the special law before the general one when the finding is
about the special law's objects, sector laws only when the finding touches their objects. A row is 确定 only when
it covers the finding well and stands clear of the next row; otherwise it is a 待核对 candidate.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from corpus.lexicon import SPECIAL_RELATIONS, TOXIC_OR_EXPLOSIVE, Relation, UnitProfile
from corpus.model import Status
from corpus.names import normalize_title
from corpus.violations import KIND_PENALTY, KIND_REFERRAL, PERSON_SUBJECTS, ViolationRow
from corpus.violations.parse import without_preamble

from .casualties import row_grade, stated_grades
from .citation import CONFIRMED, TO_CHECK
from .duty_gaps import DutyGaps, gap_note
from .finding_parts import told_clauses
from .query import ParsedQuery
from .row_index import RowIndex
from .search import Searcher, unit_max
from .tokenize import bigrams, chinese_terms, overlap, query_bigrams
from .weights import (
    AFFINITY_COVERAGE,
    AFFINITY_LEAD,
    AGREE_FIRM_COVERAGE,
    AGREE_FIRM_MARGIN,
    AGREE_FIRM_RANK,
    ARTICLE_AGREE_DEPTH,
    CONCEAL_BOOST,
    CONTROL_MISMATCH,
    DECISIVE_COVERAGE,
    DECISIVE_ITEM_MARGIN,
    DECISIVE_MARGIN,
    DECISIVE_SCORE,
    DENSE_AGREE_COVERAGE,
    DENSE_AGREE_MARGIN,
    DENSE_NEAREST_LEAD,
    DISABLE_BOOST,
    DISABLER_LACKS,
    FIRM_COVERAGE,
    FIRM_MARGIN,
    FIRM_SCORE,
    GOODS_MISMATCH,
    HIGHER_MARGIN,
    ITEM_MARGIN,
    LEND_BOOST,
    LENDER_LACKS,
    LIABLE_BOOST,
    LOWER_LAW_WEIGHT,
    MIN_FIRM_HELD,
    MIN_TERMS,
    NAMED_LAW_BOOST,
    NEAREST_ROWS,
    NEAREST_SAID,
    OTHER_GRADE,
    PARALLEL_ROW_JACCARD,
    PERSON_BOOST,
    ROLE_BOOST,
    ROW_CANDIDATES,
    ROW_OFF_SECTOR,
    RULES_MISSING,
    SAID_AGREE_COVERAGE,
    SAID_AGREE_MARGIN,
    SAID_ALL,
    SAID_NEARLY,
    SAID_NEARLY_AGREE,
    SAID_VOTE,
    SAID_VOTE_AGREE,
    SAME_CONDUCT_MARGIN,
    SAME_SUBJECT_OVERLAP,
    SPECIAL_MARGIN,
    STRICT_TYPE_MISMATCH,
    TWIN_CONTAINMENT,
    TYPE_MISMATCH,
    UNCERTIFIED_LACKS,
    UNIT_ASK_PERSON_SCORE,
    UNIT_PERSON_DIVISOR,
    VARIANT_WEIGHT,
    W_ARTICLE_AGREE,
    W_EXPANSION,
    W_ROW_COVERAGE,
    W_ROW_OBLIGATION,
    W_ROW_PHRASE,
    W_ROW_PHRASE_HELD,
    W_ROW_PRECISION,
    W_ROW_WORD,
    W_SAID_AFFINITY,
)

if TYPE_CHECKING:
    from .row_vectors import Nearest

SANCTION_KINDS = (KIND_PENALTY, KIND_REFERRAL)
SEARCH_FILTER_POOL = 4  # rows asked per row shown when subject or sanction filters will drop some
STRICT_TYPES = frozenset({"中介", "港口", "餐饮"})  # units a finding must name for their rows to fit
# Units a finding must name for their rows to be 确定: a row about carrying goods ("运输危险化学品，未…配备必要的
# 防护用品") may be the nearest for protective gear at a filling post, but a finding that speaks of no transport
# cannot confirm its subject.
NAMED_TYPES = frozenset({"运输"})
# A row that presupposes an accident ("发生一般事故的，处…罚款", "发生特种设备事故时，不立即组织抢救"): it fits only a
# finding that speaks of one (the lexicon's "accident" intent).
_AFTER_ACCIDENT = re.compile(r"^(?:违反本(?:法|条例)(?:的)?规定，)?(?:发生|造成|导致)[^，。；]{0,12}事故|"
                             r"事故发生单位对事故发生负有责任|发生(?:一般|较大|重大|特别重大)事故|"
                             r"，导致(?:发生)?[^，。；]{0,16}事故")  # a result clause: "…，导致发生生产安全事故的"

# A row that sanctions lending, renting out or handing on a licence (出租、出借、转让…许可证), not working without one;
# and a row that sanctions working without one (未取得…许可证), which the lender, holding it, did not do.
_LENDS_LICENCE = re.compile(r"(?:倒卖|抵押|出租|出借|转让|涂改)[^，。；向给]{0,16}(?:许可证|许可证书|资质)")
_CONCEALS = re.compile(r"瞒报|谎报|隐瞒不报")  # a row for concealing an accident (not for reporting it late)
# A row for switching off or removing the devices that are there (关闭、破坏监控报警设备; 拆除、停用消防设施), and a row
# for not having them (未装备、未设置), which a unit whose device was bypassed did not do.
_DISABLES = re.compile(r"关闭、破坏[^，。；]{0,12}(?:监控|报警)|拆除、停用|拆除、停止使用")
_LACKS_DEVICE = re.compile(r"未(?:按照[^，。；]{0,12}规定)?(?:装备|设置|安装|配备|配置)")
_LACKS_LICENCE = re.compile(r"未(?:依法)?取得[^，。；]{0,24}(?:许可证|通行证|许可)")
# A row for breaking the rules or procedures that are there (从业人员违反操作规程).
_BREAKS_RULES = re.compile(r"违反[^，。；]{0,16}(?:操作规程|规章制度|安全规程)")
# A row only for dangerous goods (危险物品, 易燃易爆危险品) and for no other kind of unit (矿山、金属冶炼 …).
_GOODS_ONLY = re.compile(r"危险物品|易燃易爆危险品")
_OTHER_UNITS = re.compile(r"矿山|金属冶炼|建筑施工|海洋石油|运输单位")
# The sectors whose objects are dangerous goods (sectors.tsv): a finding that speaks of them speaks of such goods.
GOODS_SECTORS = frozenset({"危险化学品", "民用爆炸物品", "烟花爆竹", "城镇燃气", "油气管道", "易制毒化学品",
                           "监控化学品"})
# A row of the 剧毒化学品、易制爆危险化学品 regime (购买许可, 流向备案, 治安防范): it is not about sulphuric acid.
_CONTROLLED = re.compile(r"剧毒化学品[、或者和]{1,3}易制爆危险化学品")
_SAYS_CONTROLLED = re.compile(r"剧毒|易制爆")
# The note on a row for not installing a device when the finding says the device was bypassed or removed: never 确定.
DISABLED_NOT_MISSING = "检查发现说的是设备设施被关闭、旁路或拆除，本项处罚的是未装备、未设置，请核对"
# The note on a row only for dangerous goods when the finding names none (服装厂车间楼上住着工人): never 确定.
GOODS_NOT_SAID = "本项只处罚危险物品（易燃易爆危险品）的场所和行为，检查发现没有说到危险物品，请核对"
# The note on every row when the finding says the unit provided what the duty asks and its workers do not use it
# (安全帽都发了，工人嫌热不戴): whether the unit is liable at all is the inspector's call, never 确定.
COMPLIED_NOT_MISSING = ("检查发现说单位已经发放、配备，是从业人员不佩戴、不使用：单位“未提供”的罚则不一定适用；"
                        "从业人员不服从管理的，由单位依《安全生产法》第一百零七条批评教育、处分，请核对")


@dataclass(frozen=True)
class _Setting:
    """What a finding says of where it happened, read once per finding (a part of one takes the whole's)."""
    touched: set[str]  # the sectors it speaks of (危险化学品, 特种设备 …)
    types: set[str]  # the kinds of unit it names (运输, 经营, 生产 …)
    accident: bool  # it speaks of an accident that happened
    person: bool  # it asks how a person (not the unit) is sanctioned
    unit: bool  # it asks how the unit is sanctioned
    liable: bool  # it says who was found responsible (for the accident it speaks of)
    lends: bool  # it says a licence was lent, rented out or handed on
    uncertified: bool  # it says a person lacks a qualification (从业资格证, 特种作业操作证), naming no licence
    complied: bool  # it says the unit provided the gear and its workers do not wear it
    no_rules: bool  # it says the unit has no procedures or rules at all (无书面操作规程)
    goods: bool  # it speaks of dangerous goods (a hazardous sector's objects, 易燃易爆, 油漆 …)
    disables: bool  # it says a safety device was bypassed, switched off or removed
    conceals: bool  # it says an accident that happened was not reported (私了, 没往上报)
    uncontrolled: bool  # it names chemicals but nothing of the 剧毒/易制爆 regime (_uncontrolled)
    roles: set[str]  # the persons it asks about by role, as row subjects (安全员 -> 安全生产管理人员)
    grades: set[str] = field(default_factory=set)  # the accident grades it says (较大事故), by name or casualties


@dataclass
class RowMatch:
    row: ViolationRow
    score: float  # final score, the best row of the finding = its own value (not normalised)
    coverage: float  # idf-weighted share of the finding's terms the row's behaviour and obligations hold
    confidence: str = TO_CHECK
    parallel: list[ViolationRow] = field(default_factory=list)  # the superseded law's row, shown beside it
    general: list[ViolationRow] = field(default_factory=list)  # the general law's row the special one displaces
    nearest: bool = False  # the row vectors put this row (or one it stands for) nearest the finding (asked lazily)
    article_rank: int | None = None  # where the article search ranks this row's penalty or obligation article
    asked: bool = False  # the row sanctions the person the finding asks about by role ("能罚安全员本人吗")
    notes: list[str] = field(default_factory=list)


@dataclass
class Matching:
    query: ParsedQuery
    matches: list[RowMatch]  # best first, precedence applied

    @property
    def firm(self) -> list[RowMatch]:
        return [m for m in self.matches if m.confidence == CONFIRMED]


def _own_rows(top: RowMatch) -> set[str]:
    """The best row and the rows it stands for (its superseded parallel, the general law's same conduct)."""
    return {top.row.row_id, *(r.row_id for r in top.parallel), *(r.row_id for r in top.general)}


def _phrases_agree(top: RowMatch, order: list[str]) -> bool:
    """Most of the phrases nearest the finding are the best row's (or of a row it stands for)."""
    own = _own_rows(top)
    return sum(row_id in own for row_id in order[:SAID_VOTE]) >= SAID_VOTE_AGREE


def _phrases_concur(top: RowMatch, order: list[str]) -> bool:
    """(Nearly) all the phrases nearest the finding are the best row's: every one of the first SAID_ALL, or
    SAID_NEARLY_AGREE of the first SAID_NEARLY. Phrases are written per 项, so this tells the 项 from its siblings."""
    own = _own_rows(top)
    first = order[:SAID_ALL]
    return ((len(first) == SAID_ALL and all(row_id in own for row_id in first))
            or sum(row_id in own for row_id in order[:SAID_NEARLY]) >= SAID_NEARLY_AGREE)


def _affinity_leads(top: RowMatch, matches: list[RowMatch], affinity: dict[str, float]) -> bool:
    """The best row's phrases (or those of a row it stands for) are nearer the finding than any other candidate's,
    by AFFINITY_LEAD (mean cosine of each row's AFFINITY_PHRASES phrases nearest it): a sibling 项 too."""
    own = _own_rows(top)
    cosines = {r: affinity[r] for r in own if r in affinity}
    cosines.update((m.row.row_id, affinity.get(m.row.row_id, 0.0)) for m in matches if m.row.row_id not in own)
    return _leads(top, cosines, AFFINITY_LEAD)


def _said_first(matches: list[RowMatch], nearest: Callable[[], Nearest]) -> list[RowMatch]:
    """An unsure best row gives its place to the candidate (nearly) all the phrases nearest the finding are of, or
    else to the one whose score, with its phrases' affinity to the finding added, is ahead of the best row's (which
    counts the best score of all: precedence put it first) — unless a row ahead of it stands for it (its special
    law's or new law's row) or a note rules it out. It stays 待核对: the phrases alone make no row 确定 (of the
    candidates moved first on the dev sets, one in ten was wrong even when the phrases all named it)."""
    if not matches or matches[0].confidence == CONFIRMED or matches[0].notes:
        return matches
    near = nearest()
    standing: set[str] = set()
    eligible: list[int] = []
    for i, m in enumerate(matches):
        if i and not m.notes and m.row.row_id not in standing:
            if _phrases_concur(m, near.said_order):
                return [m, *matches[:i], *matches[i + 1:]]
            eligible.append(i)
        standing |= _own_rows(m)

    def fused(m: RowMatch, score: float) -> float:
        return score + W_SAID_AFFINITY * near.affinity.get(m.row.row_id, 0.0)

    best = fused(matches[0], max(m.score for m in matches))
    ahead = [i for i in eligible if fused(matches[i], matches[i].score) > best]
    if not ahead:
        return matches
    i = max(ahead, key=lambda j: fused(matches[j], matches[j].score))
    return [matches[i], *matches[:i], *matches[i + 1:]]


def _nearest_is(top: RowMatch, nearest: dict[str, float]) -> bool:
    """The row vectors put the best row (or a row it stands for) nearest the finding, ahead of every other row by
    DENSE_NEAREST_LEAD: a hair's difference is no signal, and under load the embedding's last digits may flip it."""
    return _leads(top, nearest, DENSE_NEAREST_LEAD)


def _leads(top: RowMatch, cosines: dict[str, float], lead: float) -> bool:
    """The best row (or a row it stands for) has a cosine, ahead of every other row's by `lead`."""
    own = _own_rows(top)
    mine = max((v for k, v in cosines.items() if k in own), default=None)
    others = max((v for k, v in cosines.items() if k not in own), default=0.0)
    return mine is not None and mine - others >= lead


def _saying(rows: list[ViolationRow], pattern: re.Pattern[str]) -> np.ndarray:
    """Which rows' behaviour the pattern finds (a boolean mask in the row index's order)."""
    return np.array([bool(pattern.search(r.behaviour)) for r in rows], dtype=bool)


def _finding_grams(query: ParsedQuery) -> tuple[frozenset[str], frozenset[str]]:
    """The finding's own bigrams (not those of a clause that only asks, "依据哪条？"), and those only the lexicon's
    expansion adds."""
    return _told_grams(query.content, query.expansion)


@lru_cache(maxsize=64)
def _told_grams(content: str, expansion: str) -> tuple[frozenset[str], frozenset[str]]:
    # Cached: a finding's rows are scored one by one, each asking for the finding's grams (a tenth of its time).
    own = frozenset(query_bigrams(told_clauses(content)))
    return own, frozenset(bigrams(expansion)) - own


@lru_cache(maxsize=64)
def _spoken_grams(content: str, expansion: str) -> frozenset[str]:
    """Every bigram the finding speaks, asking clauses and expansion included (what a row's behaviour is held to)."""
    return frozenset(query_bigrams(content)) | frozenset(bigrams(expansion))


def same_behaviour(a: str, b: str) -> float:
    """overlap of two behaviours without their drafting lead ("违反本条例规定，"), which says nothing of the act."""
    return overlap(without_preamble(a), without_preamble(b))


class ViolationMatcher:
    """Matches findings to the rows of one violation catalog, through one searcher's scope and lexicon."""

    def __init__(self, searcher: Searcher, index: RowIndex, vectors: Any = None,
                 referral_only: set[str] | frozenset[str] = frozenset()):
        self.searcher = searcher
        self.index = index
        self.vectors = vectors  # RowVectors, or None: lexical matching only
        lexicon = searcher.lexicon
        self.relations: list[Relation] = list(lexicon.relations)
        self.row_law = [normalize_title(r.law) for r in index.rows]
        self.sanctioning = np.array([r.kind in SANCTION_KINDS for r in index.rows], dtype=bool)
        # Rows of a law outside the domain that a domain penalty refers to: matched only for that referral.
        self.referral_only = frozenset(referral_only)
        self.own = np.array([r.doc_id not in referral_only for r in index.rows], dtype=bool)
        self.variant = np.array([r.variant for r in index.rows], dtype=bool)
        self.subjects = np.array([r.subject for r in index.rows])
        self.controlled = _saying(index.rows, _CONTROLLED)
        self.lacks_licence = _saying(index.rows, _LACKS_LICENCE)
        self.breaks_rules = _saying(index.rows, _BREAKS_RULES)
        self.goods_only = _saying(index.rows, _GOODS_ONLY) & ~_saying(index.rows, _OTHER_UNITS)
        self.lends_licence = _saying(index.rows, _LENDS_LICENCE)
        self.disabling = _saying(index.rows, _DISABLES)
        self.concealing = _saying(index.rows, _CONCEALS)
        self.lacks_device = _saying(index.rows, _LACKS_DEVICE)
        self.after_accident = _saying(index.rows, _AFTER_ACCIDENT)
        self.grades = [row_grade(r.behaviour, lexicon.accident_grades) for r in index.rows]  # 发生较大事故的 …
        self._behaviour_weight: dict[int, float] = {}  # row position -> idf sum of its behaviour (explained)
        self.unit_rows: dict[str, list[int]] = {}  # penalty article -> its rows' positions
        for i, r in enumerate(index.rows):
            self.unit_rows.setdefault(r.unit_id, []).append(i)
        # Rows that sanction a person: by their subject, or by detention of the unit's responsible persons
        # ("用人单位有下列行为之一，由公安机关对责任人员处以十五日以下拘留").
        self.for_person = np.array([r.subject in PERSON_SUBJECTS or r.sanctions.detention for r in index.rows],
                                   dtype=bool)
        # The kinds of unit a row is written for, read off its subject and opening words.
        self.row_types = [lexicon.unit_kinds(f"{r.subject_text}{r.behaviour[:30]}") for r in index.rows]
        lower = {r.law for r in self.relations if r.relation in ("superseded_by", "lower_than")}
        self.lower = np.array([law in lower for law in self.row_law], dtype=bool)
        self.twins = self._twins()
        self._gaps: DutyGaps | None = None

    @property
    def gaps(self) -> DutyGaps:
        """The duties no row sanctions (built on first use: it reads the core laws' articles)."""
        if self._gaps is None:
            self._gaps = DutyGaps(self.searcher, self.index)
        return self._gaps

    def _twins(self) -> dict[int, int]:
        """For each row of a law that another supersedes, the row of the new law that says the same thing."""
        by_law: dict[str, list[int]] = {}
        for i, law in enumerate(self.row_law):
            by_law.setdefault(law, []).append(i)
        grams: dict[int, set[str]] = {}
        out: dict[int, int] = {}
        for rel in self.relations:
            if rel.relation not in ("superseded_by", "lower_than"):
                continue
            for i in by_law.get(rel.law, []):
                a = grams.setdefault(i, set(bigrams(self.index.rows[i].behaviour)))
                best, best_j = None, 0.0
                for j in by_law.get(rel.other, []):
                    b = grams.setdefault(j, set(bigrams(self.index.rows[j].behaviour)))
                    if not a or not b:
                        continue
                    # The same rule in both laws, or the higher law's row holding what the lower one says.
                    jac = len(a & b) / len(a | b)
                    held = len(a & b) / len(a)
                    fit = max(jac / PARALLEL_ROW_JACCARD, held / TWIN_CONTAINMENT)
                    if fit >= 1.0 and fit > best_j:
                        best, best_j = j, fit
                if best is not None:
                    out[i] = best
        return out

    # -- scoring --------------------------------------------------------------------------------------------

    def _setting(self, query: ParsedQuery) -> _Setting:
        text = query.normalized
        lexicon = self.searcher.lexicon

        def says(intent: str) -> bool:
            return lexicon.says(intent, text)

        touched = self.searcher.touched(query)
        return _Setting(touched=touched, types=self.searcher.unit_kinds(query),
                        accident=says("accident"), person=says("person"), unit=says("unit"), liable=says("liable"),
                        lends=says("lends"), disables=says("disables"),
                        uncertified=says("uncertified") and "许可" not in text, complied=says("complied"),
                        no_rules=says("no_rules"),
                        goods=bool(touched & GOODS_SECTORS) or says("dangerous_goods"),
                        conceals=says("accident") and says("conceals"), uncontrolled=self._uncontrolled(query),
                        roles=lexicon.asked_roles(text), grades=stated_grades(text, lexicon.accident_grades))

    def _uncontrolled(self, query: ParsedQuery) -> bool:
        """Nothing of the 剧毒/易制爆 regime in the finding: the chemicals it names are of neither, or it names
        some (双氧水) but speaks of nothing the regime rules (购买, 流向, 丢失被盗, 治安防范 …) — mixing them up in
        a store is the duty of every hazardous chemical. Saying 剧毒 or 易制爆 is always of the regime."""
        if not query.chemicals or _SAYS_CONTROLLED.search(query.normalized):
            return False
        lexicon = self.searcher.lexicon
        controls = {c for n in query.chemicals for c in lexicon.chemical_controls.get(n, ())}
        return not controls & TOXIC_OR_EXPLOSIVE or not lexicon.says("controlled_act", query.normalized)

    def _scores(self, query: ParsedQuery, mask: np.ndarray, setting: _Setting) -> np.ndarray:
        touched, types = setting.touched, setting.types
        terms, weights = query.weighted_bigrams()
        behaviour = self.index.scores("behaviour", terms, weights)
        obligation = self.index.scores("obligation", terms, weights)
        words = self.index.scores("word", self.searcher.lexical.words.words(query.search_text))
        said = self.index.scores("phrase", terms, weights)
        total = (unit_max(behaviour) + W_ROW_OBLIGATION * unit_max(obligation) + W_ROW_WORD * unit_max(words)
                 + W_ROW_PHRASE * unit_max(said))
        named_docs = query.named_docs
        is_named = np.isin(self.index.doc_ids, list(named_docs)) if named_docs else np.zeros(len(self.row_law), bool)
        named = {law for law, hit in zip(self.row_law, is_named) if hit}
        factors = {law: ROW_OFF_SECTOR if self.searcher.sectors.off_sector(law, touched, law in named) else 1.0
                   for law in set(self.row_law)}
        total = total * np.array([factors[law] for law in self.row_law], dtype=np.float32)
        total = np.where(self.variant, total * VARIANT_WEIGHT, total)
        total = np.where(self.lower & ~is_named, total * LOWER_LAW_WEIGHT, total)
        total = np.where(is_named, total * NAMED_LAW_BOOST, total)
        # A row written for one kind of unit (运输企业) fits a finding about another (经营企业) less; rows for
        # intermediaries and ports fit only findings that speak of them.
        strict = np.array([bool(rt & STRICT_TYPES) and not (rt & types) for rt in self.row_types], dtype=bool)
        # ... and a row for a unit a finding must name (运输: 第一百零九条 for carriers) fits one naming no unit less.
        mismatch = np.array([bool(rt) and not (rt & types) and bool(types or rt & NAMED_TYPES)
                             for rt in self.row_types], dtype=bool)
        total = np.where(mismatch & ~strict, total * TYPE_MISMATCH, total)
        total = np.where(strict, total * STRICT_TYPE_MISMATCH, total)
        if not setting.accident:
            total = np.where(self.after_accident, 0.0, total)
        if setting.person:
            total = np.where(self.for_person, total * PERSON_BOOST, total)
            if setting.roles:
                total = np.where(np.isin(self.subjects, sorted(setting.roles)), total * ROLE_BOOST, total)
            # "安全员个人能罚吗" asks for a person's rows: the unit's (97(1) 未配备安全管理人员) fall behind them
            total = np.where(self.for_person, total, total / UNIT_PERSON_DIVISOR)
        elif setting.unit:  # "公司罚多少": the unit's rows before its persons', the mirror of the above
            total = np.where(self.for_person, total / UNIT_PERSON_DIVISOR, total)
        if setting.uncontrolled:
            total = np.where(self.controlled, total * CONTROL_MISMATCH, total)
        if setting.lends:
            total = np.where(self.lends_licence, total * LEND_BOOST, total)
            total = np.where(self.lacks_licence & ~self.lends_licence, total * LENDER_LACKS, total)
        else:  # working without a licence, or anything else: not lending one
            total = np.where(self.lends_licence, total * LENDER_LACKS, total)
        if setting.uncertified:  # a person's qualification, not the unit's licence (危险货物道路运输许可)
            total = np.where(self.lacks_licence, total * UNCERTIFIED_LACKS, total)
        if setting.no_rules:
            total = np.where(self.breaks_rules, total * RULES_MISSING, total)
        if setting.disables:
            total = np.where(self.disabling, total * DISABLE_BOOST, total)
        if setting.conceals:
            total = np.where(self.concealing, total * CONCEAL_BOOST, total)
        if setting.accident and setting.liable:
            total = np.where(self.after_accident, total * LIABLE_BOOST, total)
        # The row index holds the domain's laws only (Searcher.violation_matcher): a tax law never sanctions a finding.
        return np.where(mask, total, 0.0)


    def coverage(self, query: ParsedQuery, position: int) -> float:
        """idf-weighted share of the finding's terms the row holds: in its behaviour fully, only in its
        obligations' wording at W_ROW_OBLIGATION (a row linked to many long duties holds many words), only in its
        on-site phrases at W_ROW_PHRASE_HELD."""
        own, expansion = _finding_grams(query)
        behaviour, obligation, said = self._row_grams(position)
        idf = self.index.idf
        total = sum(idf(b) for b in own) + W_EXPANSION * sum(idf(b) for b in expansion)
        if total == 0:
            return 0.0

        def held(b: str) -> float:
            if b in behaviour:
                return 1.0
            return max(W_ROW_OBLIGATION if b in obligation else 0.0, W_ROW_PHRASE_HELD if b in said else 0.0)

        found = sum(idf(b) * held(b) for b in own) + W_EXPANSION * sum(idf(b) * held(b) for b in expansion)
        return min(1.0, found / total)

    def _row_grams(self, position: int) -> tuple[set[str], set[str], set[str]]:
        """The bigrams a row holds in its behaviour, in its obligations' wording and in its on-site phrases."""
        index = self.index
        return index.behaviour_grams[position], index.obligation_grams[position], index.phrase_grams[position]

    def explained(self, query: ParsedQuery, position: int) -> float:
        """idf-weighted share of the row's own behaviour the finding speaks of: of two 项 that share the finding's
        words, the one whose other words the finding does not contradict ("未提供" vs "与…不相符") fits better."""
        behaviour = self.index.behaviour_grams[position]
        grams = _spoken_grams(query.content, query.expansion)
        idf = self.index.idf
        total = self._behaviour_weight.get(position)
        if total is None:  # a row's own, asked for each finding's every candidate: summed once
            total = self._behaviour_weight[position] = sum(idf(b) for b in behaviour)
        return sum(idf(b) for b in behaviour if b in grams) / total if total else 0.0

    def search(self, text: str, law: str | None = None, subject: str | None = None, sanction: str | None = None,
               limit: int = ROW_CANDIDATES, unit_type: str | None = None) -> list[RowMatch]:
        """The catalog's finding search (CLI and web page): rows for a finding in plain words, best first, each
        确定 or 待核对, over the laws in force or one law; subject and sanction filters drop rows after matching.
        A law chosen is a law named: its own rows, not those of the law that replaced it. Without one, a superseded
        law's row gives its place to the new law's (its parallel), as in answers. `unit_type`: the inspected unit's
        type by name, as ExtractiveAnswerer.answer takes it (InputError for one the lexicon lacks)."""
        from corpus.violations.views import filter_rows

        scope = self.searcher.in_force(None, law or None)
        pool = limit * SEARCH_FILTER_POOL if subject or sanction else limit
        found = self.match(text, scope=scope, limit=pool, precedence=not law,
                           unit_type=self.searcher.unit_type(unit_type))
        kept = {r.row_id for r in filter_rows([m.row for m in found.matches], subject=subject, sanction=sanction)}
        return [m for m in found.matches if m.row.row_id in kept][:limit]

    def match(self, question: str, scope: set[str] | None = None, as_of: date | None = None,
              limit: int = ROW_CANDIDATES, precedence: bool = True, articles: list[str] | None = None,
              whole: str | None = None, referral: bool = False, unit_type: UnitProfile | None = None,
              usable: AbstractSet[str] | None = None) -> Matching:
        """Rows for a finding, best first. `articles`: the unit ids the article search ranked for the same
        question, best first; a row whose penalty or obligation article ranks there gains (a second, independent
        signal agreeing). `whole`: the finding this one is a part of (split_findings); the unit it speaks of
        (hazardous chemicals, 运输, 经营 …) is the whole finding's, so the same law comes first for every part.
        `referral`: the match follows a penalty's referral, so the referred laws' rows count too. `unit_type`: the
        inspected unit's type, as if the finding said it. `usable`: the rows whose being 确定 the caller can use (a
        part's rows the whole finding ranks); the vectors are not asked about a best row outside them."""
        query = self.searcher.parse(question, unit_type)
        if len(chinese_terms(query.normalized)) < MIN_TERMS:
            return Matching(query, [])  # too vague to name a violation ("罚多少", "x' OR '1'='1")
        setting = self._setting(self.searcher.parse(whole, unit_type) if whole else query)
        allowed = scope if scope is not None else self.searcher.in_force(as_of)
        mask = self.sanctioning & np.array([d in allowed for d in self.index.doc_ids], dtype=bool)
        if not referral:
            mask &= self.own
        scores = self._scores(query, mask, setting)
        top = np.argsort(-scores)[: limit * 4]
        top = top[scores[top] > 0]
        if top.size == 0:
            return Matching(query, [])
        best = float(scores[top[0]])
        if articles is None:  # the article search, as the answer runs it, is the second signal
            found = self.searcher.search(question, as_of=as_of, unit_type=unit_type)
            articles = [h.unit.unit_id for h in found.hits]
        article_rank = {u: i for i, u in reversed(list(enumerate(articles[:ARTICLE_AGREE_DEPTH])))}
        ranked = []
        for pos in top:
            row = self.index.rows[pos]
            cov = self.coverage(query, int(pos))
            ranks = [article_rank[u] for u in [row.unit_id, *(o.unit_id for o in row.obligations)] if u in article_rank]
            agree = W_ARTICLE_AGREE / (1 + min(ranks)) if ranks else 0.0
            explained = W_ROW_PRECISION * self.explained(query, int(pos))
            score = float(scores[pos]) / best + W_ROW_COVERAGE * cov + explained + agree
            factor, notes = self._whole_score(int(pos), setting)
            ranked.append(RowMatch(row, score * factor, cov, article_rank=min(ranks) if ranks else None,
                                   asked=self.subjects[pos] in setting.roles, notes=notes))
        ranked.sort(key=lambda m: -m.score)
        self._other_units(ranked, setting.types)
        named = query.named_docs
        ordered = (self._precedence(ranked, setting.touched, setting.types, as_of, named) if precedence
                   else ranked)[:limit]
        if setting.disables:
            ordered = self._disabling_first(ordered)
        self._not_in_force(ordered, as_of)
        ask = self.vectors is not None and (usable is None or bool(ordered) and ordered[0].row.row_id in usable)
        led = set() if referral else self._led_to_best(ordered, query, allowed, as_of)
        nearest = cache(lambda: self._nearest_rows(question)) if ask else None
        self._confidence(ordered, nearest, led)
        if nearest is not None:
            ordered = _said_first(ordered, nearest)
        self._too_few_words(query, ordered)
        self._gap_closer(query, ordered)
        return Matching(query, ordered)

    def _disabling_first(self, ranked: list[RowMatch]) -> list[RowMatch]:
        """A device bypassed or removed: the rows for not installing it (未装备安全仪表系统), which its being there
        rules out, go behind the best row for disabling one, whatever their share of the finding's words."""
        position = self.index.position
        first = next((i for i, m in enumerate(ranked) if self.disabling[position[m.row.row_id]]), None)
        if not first:
            return ranked
        ahead = ranked[:first]
        lacking = [m for m in ahead if self.lacks_device[position[m.row.row_id]]]
        if not lacking:
            return ranked
        return [m for m in ahead if m not in lacking] + [ranked[first], *lacking] + ranked[first + 1:]

    def _whole_score(self, position: int, setting: _Setting) -> tuple[float, list[str]]:
        """The factor on a row's whole score, coverage included, and its notes: the finding's words name the row's
        objects, but what it says of them rules the row out (the 老板 who acted, when the unit is asked about; a
        device bypassed, for a row about not installing it)."""
        factor, notes = 1.0, []
        if setting.unit and not setting.person and self.for_person[position]:
            factor /= UNIT_ASK_PERSON_SCORE
        if setting.disables and self.lacks_device[position] and not self.disabling[position]:
            factor *= DISABLER_LACKS
            notes.append(DISABLED_NOT_MISSING)
        if setting.complied:
            notes.append(COMPLIED_NOT_MISSING)
        if self.goods_only[position] and not setting.goods:
            factor *= GOODS_MISMATCH
            notes.append(GOODS_NOT_SAID)
        grade = self.grades[position]
        if grade and setting.grades and grade not in setting.grades:
            factor *= OTHER_GRADE
            notes.append(f"{self.index.rows[position].cite()}适用于{grade}，检查发现说的是{'、'.join(sorted(setting.grades))}，"
                         "请核对事故等级")
        return factor, notes

    def needs_accident(self, query: ParsedQuery, unit_id: str) -> bool:
        """Every row of this penalty article presupposes an accident ("…，导致发生…事故的") and the finding speaks of
        none: the article is no candidate for it, however near its words."""
        positions = self.unit_rows.get(unit_id, [])
        return (bool(positions) and all(self.after_accident[i] for i in positions)
                and not self.searcher.lexicon.says("accident", query.normalized))

    def higher_row(self, finding: ParsedQuery, match: RowMatch, scope: set[str], as_of: date | None) -> RowMatch | None:
        """The row of the law above (or replacing) a lower law's row that says what it says and fits the finding
        (事故报告条例第三十五条第（二）项 迟报 -> 安全生产法第一百一十条第二款, the 2021 law first), as sure as it; or
        None. As in _higher_first, only a row for the same party stands in for it."""
        higher = self._higher(normalize_title(match.row.law), as_of)
        if higher is None:
            return None
        docs = {d for d in self.searcher.aliases.get(higher[0], []) if d in scope}
        found = (self.match(finding.text, scope=docs, as_of=as_of, precedence=False, articles=[],
                            unit_type=finding.unit_type).matches if docs else [])
        same = next((m for m in found if same_behaviour(match.row.behaviour, m.row.behaviour) >= SAME_SUBJECT_OVERLAP
                     and self._same_party(match.row, m.row)), None)
        if same is not None:
            same.confidence = match.confidence
        return same

    def best_in_article(self, query: ParsedQuery, unit_id: str, prefer: str | None = None) -> RowMatch | None:
        """The 项 of one penalty article that fits the finding best (for an article found by search, or reached
        through a referral); on a tie the row `prefer`, else the first."""
        positions = self.unit_rows.get(unit_id, [])
        if not positions:
            return None
        mask = np.zeros(len(self.index.rows), dtype=bool)
        mask[positions] = True
        scores = self._scores(query, mask, self._setting(query))
        best = max(positions, key=lambda i: (scores[i] + W_ROW_COVERAGE * self.coverage(query, i),
                                             self.index.rows[i].row_id == prefer, -i))
        return RowMatch(self.index.rows[best], float(scores[best]), self.coverage(query, best))

    def _for_other_unit(self, match: RowMatch, types: AbstractSet[str]) -> bool:
        """The row is written for another kind of unit than the one the finding names."""
        own = self.row_types[self.index.position[match.row.row_id]]
        return bool(own) and bool(types) and not own & types

    def _other_units(self, ranked: list[RowMatch], types: set[str]) -> None:
        """A row written for another kind of unit (运输企业) than the finding names (经营企业), or for a unit of
        NAMED_TYPES the finding does not name, may still be the nearest, but its subject is not the finding's: it
        is never 确定, and the note says why."""
        for m in ranked:
            own = self.row_types[self.index.position[m.row.row_id]]
            if self._for_other_unit(m, types):
                m.notes.append(f"该项针对{'、'.join(sorted(own))}单位，检查发现说的是{'、'.join(sorted(types))}单位，"
                               "请核对适用对象")
            elif not types and own & NAMED_TYPES:
                m.notes.append(f"该项针对{'、'.join(sorted(own & NAMED_TYPES))}单位，检查发现没有说到，请核对适用对象")

    # -- which law first ---------------------------------------------------------------------------------------

    def _higher(self, law: str, as_of: date | None) -> tuple[str, bool] | None:
        """(the law that comes first, whether it supersedes this one) for a superseded or lower law."""
        return self.searcher.lexicon.higher_law(law, as_of or date.today())

    def _special_over(self, general: str, touched: set[str]) -> dict[str, str]:
        """Special laws of a general one whose objects the finding speaks of -> their relation."""
        return {law: r.relation for law, r in self.searcher.lexicon.special_laws(general).items()
                if r.scope in touched}

    def _precedence(self, ranked: list[RowMatch], touched: set[str], types: set[str], as_of: date | None,
                    named: set[str]) -> list[RowMatch]:
        """A superseded (or lower) law's row gives its place to its twin in the new (or higher) law, shown beside it
        as the parallel; a superseded row without a twin stays, with a note, and is never 确定."""
        by_id = {m.row.row_id: m for m in ranked}
        out: list[RowMatch] = []
        placed: dict[str, RowMatch] = {}
        for match in ranked:
            row_id = match.row.row_id
            if row_id in placed:
                continue
            law = normalize_title(match.row.law)
            higher = None if match.row.doc_id in named else self._higher(law, as_of)
            if higher:
                newer, superseded = higher
                twin_pos = self.twins.get(self.index.position[row_id])
                if twin_pos is not None:
                    twin_row = self.index.rows[twin_pos]
                    twin = placed.get(twin_row.row_id) or by_id.get(twin_row.row_id) or RowMatch(
                        twin_row, match.score, match.coverage)
                    twin.parallel.append(match.row)
                    twin.score = max(twin.score, match.score)
                    twin.coverage = max(twin.coverage, match.coverage)
                    placed[row_id] = twin
                    if twin_row.row_id not in placed:
                        placed[twin_row.row_id] = twin
                        out.append(twin)
                    continue
                if superseded:
                    match.notes.append(f"《{newer}》施行后，请核对本条是否仍适用")
            placed[row_id] = match
            out.append(match)
        out.sort(key=lambda m: -m.score)
        return self._special_first(self._higher_first(out, as_of, named), touched, types)

    def _higher_first(self, matches: list[RowMatch], as_of: date | None, named: set[str]) -> list[RowMatch]:
        """A lower (or superseded) law's row ahead of a close row of the higher law gives it the place, unless the
        question names the lower law: the inspector cites the higher law first (上位法优先)."""
        out = list(matches)
        for i, match in enumerate(out):
            higher = None if match.row.doc_id in named else self._higher(normalize_title(match.row.law), as_of)
            if not higher:
                continue
            for j in range(i + 1, len(out)):
                other = out[j]
                if (normalize_title(other.row.law) == higher[0] and other.score >= HIGHER_MARGIN * match.score
                        and overlap(match.row.behaviour, other.row.behaviour) >= SAME_SUBJECT_OVERLAP
                        and self._same_party(match.row, other.row)):
                    other.parallel.append(match.row)
                    out.insert(i, out.pop(j))
                    break
            else:
                # Only a higher-law row about the same conduct of the same party is a rival (安全生产法第一百一十条
                # sanctions the 主要负责人 who concealed an accident, 事故报告条例第三十六条 the unit).
                if any(normalize_title(o.row.law) == higher[0] and self._same_party(match.row, o.row)
                       and overlap(match.row.behaviour, o.row.behaviour) >= SAME_SUBJECT_OVERLAP for o in out[i + 1:]):
                    match.notes.append(f"上位法《{higher[0]}》也有相关规定，请核对适用哪一条")
        return out

    def _same_party(self, one: ViolationRow, other: ViolationRow) -> bool:
        """Both rows sanction a person, or neither does: the higher law's row for the 主要负责人 (安全生产法第一百一十条
        第二款, 瞒报) does not take the place of the lower law's row for the unit (事故报告条例第三十六条第（一）项)."""
        position = self.index.position
        return bool(self.for_person[position[one.row_id]]) == bool(self.for_person[position[other.row_id]])

    def _special_first(self, matches: list[RowMatch], touched: set[str],
                       types: AbstractSet[str] = frozenset()) -> list[RowMatch]:
        """A general-law row ahead of a close special-law row gives it the place, when the finding speaks of the
        special law's objects (安全生产法 after 危化法 for a finding at a hazardous-chemicals unit). A special_of law
        prevails only over the same conduct (a 危化法 row about another act stays behind); a sector_of law's row
        leads whenever the finding is about its objects (a boiler's water treatment before 安全生产法's upkeep of
        safety equipment), the general row staying a rival, so not 确定, unless it says the same thing."""
        out = list(matches)
        for i, match in enumerate(out):
            specials = self._special_over(normalize_title(match.row.law), touched)
            if not specials:
                continue
            for j in range(i + 1, len(out)):
                other = out[j]
                relation = specials.get(normalize_title(other.row.law))
                if relation is None:
                    continue
                same = overlap(match.row.behaviour, other.row.behaviour) >= SAME_SUBJECT_OVERLAP
                if other.score < (SAME_CONDUCT_MARGIN if same else SPECIAL_MARGIN) * match.score:
                    continue
                if self._for_other_unit(other, types):
                    continue  # 危化法's row for 生产企业 does not prevail over 安全生产法 at a 门市 (经营)
                if same or relation == "sector_of":
                    if same:
                        other.general.append(match.row)
                    out.insert(i, out.pop(j))
                    break
        if out:
            self._general_behind(out[0], out[1:])
        return out

    def _general_behind(self, top: RowMatch, rest: list[RowMatch]) -> None:
        """A general-law row behind a special-law row that says the same thing is its general counterpart, as it
        would be had it ranked first: not a rival (安全生产法第九十九条第（一）项 behind 危化法第一百零一条
        第一款第（十）项)."""
        generals = {r.other for r in self.relations
                    if r.relation in SPECIAL_RELATIONS and r.law == normalize_title(top.row.law)}
        for other in rest:
            if (normalize_title(other.row.law) in generals and other.row not in top.general
                    and overlap(top.row.behaviour, other.row.behaviour) >= SAME_SUBJECT_OVERLAP):
                top.general.append(other.row)

    # -- how sure --------------------------------------------------------------------------------------------

    def _not_in_force(self, matches: list[RowMatch], as_of: date | None) -> None:
        """A row of a law not in force on the day asked (尚未生效, 已废止) is never 确定: the note says why."""
        day = as_of or date.today()
        for m in matches:
            status = self.searcher.docs[m.row.doc_id].status_on(day)
            if status in (Status.NOT_YET_EFFECTIVE, Status.REPEALED):
                m.notes.append(f"《{m.row.law}》在 {day.isoformat()} {status.value}，不能作为确定的执法依据")

    def _too_few_words(self, query: ParsedQuery, matches: list[RowMatch]) -> None:
        """A row that holds fewer than MIN_FIRM_HELD of the finding's bigrams is never 确定: coverage counts only
        the words some row holds, so "狗狗打疫苗要多少钱" is "fully covered" by the one row that says 疫苗."""
        if not matches or matches[0].confidence != CONFIRMED:
            return
        grams = self._row_grams(self.index.position[matches[0].row.row_id])
        own, expansion = _finding_grams(query)  # the lexicon's words count too
        held = sum(1 for b in own | expansion if any(b in g for g in grams))
        if held < MIN_FIRM_HELD:
            matches[0].confidence = TO_CHECK

    def _gap_closer(self, query: ParsedQuery, matches: list[RowMatch]) -> None:
        """When the finding fits a duty of the best row's law that no penalty sanctions better than it fits the row,
        the law may have no penalty for what was found (only 责令改正): the row is not 确定, and the note names the
        duty (on an unsure answer too: of the dev sets' unsure answers it flags, half are such real gaps). So too when
        the finding says it is the part of a duty no penalty reaches that was left undone (lexicon partial_duties)."""
        if not matches:
            return
        top = matches[0]
        partial = self.gaps.partial(query)  # the reviewed table's, in the finding's words: it goes first
        duty = self.gaps.closer(query, top.row) if partial is None else None
        if partial is not None:
            top.notes.append(gap_note(partial[1], partial[0]))
        elif duty is not None:
            top.notes.append(gap_note(duty))
        else:
            return
        top.confidence = TO_CHECK

    def _nearest_rows(self, question: str) -> Nearest:
        """The rows the row vectors put nearest the finding (what it tells, not what it asks: "依据哪条？" is no
        behaviour), by their behaviour and by their phrases, with their cosine. Embedding the finding (about 30 ms
        on two cores) costs more than matching it lexically, so it is asked only when no lexical rule makes the best
        row 确定."""
        return self.vectors.nearest(told_clauses(question), NEAREST_ROWS, NEAREST_SAID)

    def _led_to_best(self, matches: list[RowMatch], query: ParsedQuery, scope: set[str],
                     as_of: date | None) -> set[str]:
        """Referral rows ("依照《安全生产法》有关规定追究法律责任") whose referral leads, for this finding, to the best
        row itself, or the row the best row's own referral leads to: the same violation, told by two laws."""
        from .basis import referred_match  # basis builds on this module

        if not matches:
            return set()
        own = _own_rows(matches[0])
        own_target = referred_match(self, matches[0], query, scope, as_of)
        led = set() if own_target is None else {own_target.row.row_id}
        for m in matches[1:]:
            referral = m.row.sanctions.referral
            if (m.row.kind != KIND_REFERRAL or not referral
                    or matches[0].row.doc_id not in self.searcher.referred_docs(referral, m.row.doc_id)):
                continue
            target = referred_match(self, m, query, scope, as_of)
            if target is not None and target.row.row_id in own:
                led.add(m.row.row_id)
        return led

    def _confidence(self, matches: list[RowMatch], nearest_rows: Callable[[], Nearest] | None = None,
                    led: AbstractSet[str] = frozenset()) -> None:
        """The best row is 确定 when it holds enough of the finding, scores well, and stands clear of the best row
        of any other article (and of its own article's other 项, so the 项 too is sure). `nearest_rows` gives the
        rows the vectors put nearest the finding; it is asked only when no lexical rule makes the row 确定. `led`:
        rows at the other end of a referral from or to the best row (_led_to_best)."""
        if not matches:
            return
        top = matches[0]
        # Rows the top one stands for (the general law's, the lower or superseded law's parallel, the other end of a
        # referral) are not rivals.
        displaced = {r.row_id for r in (*top.general, *top.parallel)} | set(led)
        rest = [m for m in matches[1:] if m.row.row_id not in displaced]
        same = (top.row.doc_id, top.row.article_no)
        # The best rival, not the next one listed: precedence may have put a lower-scored row right behind the top.
        other_article = max((m.score for m in rest if (m.row.doc_id, m.row.article_no) != same), default=0.0)
        next_row = max((m.score for m in rest), default=0.0)
        if top.notes:
            return
        clear = top.score - other_article
        item_clear = top.score - next_row >= ITEM_MARGIN
        lexical = top.coverage >= FIRM_COVERAGE and top.score >= FIRM_SCORE and clear >= FIRM_MARGIN
        # Or: well clear of any other article, and the article search, a second signal, ranks the row's penalty
        # or obligation article among its first AGREE_FIRM_RANK + 1 hits. Or: far ahead of any other article.
        agreed = (clear >= AGREE_FIRM_MARGIN and top.coverage >= AGREE_FIRM_COVERAGE
                  and top.article_rank is not None and top.article_rank <= AGREE_FIRM_RANK)
        decisive = (clear >= DECISIVE_MARGIN and top.coverage >= DECISIVE_COVERAGE
                    and top.score >= DECISIVE_SCORE and top.score - next_row >= DECISIVE_ITEM_MARGIN)
        by_rows = item_clear and clear >= DENSE_AGREE_MARGIN and top.coverage >= DENSE_AGREE_COVERAGE
        by_said = item_clear and clear >= SAID_AGREE_MARGIN and top.coverage >= SAID_AGREE_COVERAGE
        by_consensus = top.coverage >= SAID_AGREE_COVERAGE
        by_affinity = clear >= 0 and top.coverage >= AFFINITY_COVERAGE
        if item_clear and (lexical or agreed or decisive):
            top.confidence = CONFIRMED
        elif nearest_rows is not None and (by_rows or by_said or by_consensus or by_affinity):
            # Or: clear of any other article, and the vectors, another independent signal, put the row nearest the
            # finding, or a row it stands for (its superseded parallel, the general law's same conduct): by its
            # behaviour text or by its nearest on-site phrase, or (a weaker lead and coverage suffice) by most of
            # the phrases nearest the finding. Or, however close its rivals, by (nearly) all of them, or by its
            # phrases being, as a whole, clearly nearer than any other candidate's.
            near = nearest_rows()
            top.nearest = ((by_rows and (_nearest_is(top, near.rows) or _nearest_is(top, near.said)))
                           or (by_said and _phrases_agree(top, near.said_order))
                           or (by_consensus and _phrases_concur(top, near.said_order))
                           or (by_affinity and _affinity_leads(top, matches, near.affinity)))
            if top.nearest:
                top.confidence = CONFIRMED
