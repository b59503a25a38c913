"""Answer-level evaluation: is the 执法依据 an answer gives right, at 项 level, and does it say when it is unsure?

Gold (JSONL, see eval/gold/README.md): each finding lists its violations; each violation its obligation article(s)
and the penalty an expert cites first (law, article, 款, 项), with acceptable second choices in `_alt` lists, or
`no_penalty` when no provision sanctions it. Articles are compared by (law, article); 项 by (款, 项).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.catalog import Catalog
from corpus.errors import HazkbError
from retriever.answer import Answer
from retriever.citation import CONFIRMED, ROLE_OBLIGATION, ROLE_PENALTY

from .gold import LawKeys, read_jsonl

Key = tuple[str, int]  # (normalised law, article number)


@dataclass
class GoldPenalty:
    key: Key
    para: int | None
    item: int | None


@dataclass
class GoldViolation:
    obligations: set[Key]
    obligation_alt: set[Key]
    penalties: list[GoldPenalty]
    penalty_alt: set[Key]
    no_penalty: bool


@dataclass
class GoldFinding:
    id: str
    q: str
    violations: list[GoldViolation]
    enterprise: str | None = None  # the inspected unit's type the writer had in mind ("危险化学品经营")

    @property
    def penalties(self) -> list[GoldPenalty]:
        return [p for v in self.violations for p in v.penalties]

    @property
    def penalty_keys(self) -> set[Key]:
        return {p.key for p in self.penalties}

    @property
    def penalty_alt(self) -> set[Key]:
        return set().union(*(v.penalty_alt for v in self.violations)) if self.violations else set()

    @property
    def obligations(self) -> set[Key]:
        return set().union(*(v.obligations | v.obligation_alt for v in self.violations)) if self.violations else set()


def _key(cite: dict, laws: LawKeys, where: str) -> Key:
    try:
        return laws.key(cite["law"]), int(cite["article"])
    except (KeyError, TypeError, ValueError) as exc:
        raise HazkbError(f"{where}：依据应写成 {{\"law\": \"法规全称\", \"article\": 条号}}（{exc}）") from exc


def load_answer_gold(path: Path, catalog: Catalog) -> list[GoldFinding]:
    laws = LawKeys(catalog)
    out = []
    for n, where, row in read_jsonl(path):
        if "q" in row and "violations" not in row and "gold" in row:
            converted = _from_retrieval_gold(row, catalog, laws, where)
            if converted is not None:
                out.append(GoldFinding(str(row.get("id", n)), row["q"], [converted]))
            continue
        if "q" not in row or not isinstance(row.get("violations"), list):
            raise HazkbError(f"{where} 缺少 \"q\" 或 \"violations\"；格式见 eval/gold/README.md")
        violations = []
        for v in row["violations"]:
            violations.append(GoldViolation(
                obligations={_key(c, laws, where) for c in v.get("obligation", [])},
                obligation_alt={_key(c, laws, where) for c in v.get("obligation_alt", [])},
                penalties=[GoldPenalty(_key(c, laws, where), c.get("para"), c.get("item"))
                           for c in v.get("penalty", [])],
                penalty_alt={_key(c, laws, where) for c in v.get("penalty_alt", [])},
                no_penalty=bool(v.get("no_penalty")),
            ))
        out.append(GoldFinding(str(row.get("id", n)), row["q"], violations, row.get("enterprise") or None))
    return out


def _from_retrieval_gold(row: dict, catalog: Catalog, laws: LawKeys, where: str) -> GoldViolation | None:
    """A retrieval gold question (gold/alt articles) as one violation, when its gold names a penalty article:
    the penalty articles are the penalties (no 项 known), the others the obligations. Questions about duties,
    departments or procedure (no penalty article in gold) are left out."""
    from retriever.search import is_penalty_unit

    def split(items: list[dict]) -> tuple[set[Key], set[Key]]:
        penalties: set[Key] = set()
        obligations: set[Key] = set()
        for c in items or []:
            key = _key(c, laws, where)
            try:
                unit = catalog.article(catalog.find_law(c["law"]).doc_id, int(c["article"]), int(c.get("sub") or 0))
            except (HazkbError, ValueError):
                continue
            (penalties if is_penalty_unit(unit) else obligations).add(key)
        return penalties, obligations

    if row.get("role") not in ("违法依据", "处罚依据"):
        return None
    gold_p, gold_o = split(row.get("gold", []))
    alt_p, alt_o = split(row.get("alt", []))
    if not gold_p:
        return None
    return GoldViolation(gold_o, alt_o, [GoldPenalty(k, None, None) for k in sorted(gold_p)], alt_p, False)


@dataclass
class Scored:
    """One answer against its gold."""

    id: str
    q: str
    abstained: bool
    firm_penalties: list[tuple[Key, int | None, int | None]] = field(default_factory=list)
    candidate_penalties: list[tuple[Key, int | None, int | None]] = field(default_factory=list)
    firm_obligations: list[Key] = field(default_factory=list)
    gold_penalty_cited: bool = False  # a gold penalty article among all 处罚依据 (firm or 待核对)
    first_firm_wrong: bool = False
    first_firm_alt: bool = False  # ... wrong, but one of the gold's alternatives (an expert would cite it second)
    first_firm_item_wrong: bool = False  # the first firm one has a gold article but another 项 (or 款) than the gold's
    item_right: bool | None = None  # None: no cited penalty has the gold article, or gold names no 项
    obligation_hits: int = 0
    penalty_hits: int = 0
    violations_found: int = 0
    gold_violations: int = 0
    gold_penalties: int = 0
    has_gold_penalty: bool = False
    cited: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def score_answer(gold: GoldFinding, answer: Answer, laws: LawKeys) -> Scored:
    def key(c: Any) -> Key:
        return laws.key(c.law), int(c.article_no or 0)

    firm_p = [(key(c), c.para, c.item_no) for c in answer.citations
              if c.role == ROLE_PENALTY and c.confidence == CONFIRMED]
    cand_p = [(key(c), c.para, c.item_no) for c in answer.citations
              if c.role == ROLE_PENALTY and c.confidence != CONFIRMED]
    firm_o = [key(c) for c in answer.citations if c.role == ROLE_OBLIGATION and c.confidence == CONFIRMED]
    s = Scored(gold.id, gold.q, answer.abstained, firm_p, cand_p, firm_o,
               cited=[f"{c.confidence} {c.role} {c.cite()}" + (f" {c.label()}" if c.item else "")
                      for c in answer.citations if c.role in (ROLE_OBLIGATION, ROLE_PENALTY)])
    gold_keys = gold.penalty_keys
    s.has_gold_penalty = bool(gold_keys)
    s.gold_penalties = len(gold_keys)
    s.gold_violations = len(gold.violations)
    s.gold_penalty_cited = any(k in gold_keys for k, _, _ in firm_p + cand_p)
    if firm_p:
        s.first_firm_wrong = firm_p[0][0] not in gold_keys
        s.first_firm_alt = s.first_firm_wrong and firm_p[0][0] in gold.penalty_alt
        s.first_firm_item_wrong = _item_right(gold, *firm_p[0]) is False
    s.penalty_hits = sum(1 for k, _, _ in firm_p if k in gold_keys | gold.penalty_alt)
    s.obligation_hits = sum(1 for k in firm_o if k in gold.obligations)
    for k, para, item in firm_p + cand_p:  # the first cited penalty with a gold article: is its 项 right?
        if any(p.key == k for p in gold.penalties):
            s.item_right = _item_right(gold, k, para, item)
            break
    s.violations_found = sum(
        1 for v in gold.violations
        if any(k in v.obligations | v.obligation_alt for k in firm_o)
        or any(k in {p.key for p in v.penalties} for k, _, _ in firm_p))
    return s


def _item_right(gold: GoldFinding, k: Key, para: int | None, item: int | None) -> bool | None:
    """Whether a penalty of a gold article names the gold's 项 (and 款); None when the article is not the gold's or
    the gold names no 项 or 款 for it."""
    with_item = [p for p in gold.penalties if p.key == k and (p.item is not None or p.para is not None)]
    if not with_item:
        return None
    return any(p.item == item and (p.para is None or p.para == para) for p in with_item)


def _share(num: float, den: float) -> float | None:
    return round(num / den, 3) if den else None


def summarize(scored: list[Scored]) -> dict[str, Any]:
    n = len(scored)
    with_gold = [s for s in scored if s.has_gold_penalty]
    firm = [s for s in scored if s.firm_penalties]
    item_known = [s for s in scored if s.item_right is not None]
    firm_o = sum(len(s.firm_obligations) for s in scored)
    firm_p = sum(len(s.firm_penalties) for s in scored)
    return {
        "n": n,
        "gold_penalty_cited": _share(sum(s.gold_penalty_cited for s in with_gold), len(with_gold)),
        "first_firm_penalty_wrong": _share(sum(s.first_firm_wrong for s in scored), n),
        "first_firm_penalty_wrong_of_firm": _share(sum(s.first_firm_wrong for s in firm), len(firm)),
        # Of those, the ones that are no gold alternative either: a legal error, not a choice between two articles
        # the writer also accepts.
        "first_firm_penalty_wrong_not_alt": _share(sum(s.first_firm_wrong and not s.first_firm_alt for s in scored), n),
        # A firm 处罚依据 of the right article but another 项: as much a legal error as a wrong article.
        "first_firm_item_wrong": _share(sum(s.first_firm_item_wrong for s in scored), n),
        "item_accuracy": _share(sum(bool(s.item_right) for s in item_known), len(item_known)),
        "firm_penalty_share": _share(len(firm), n),
        "violation_precision": _share(sum(s.obligation_hits for s in scored), firm_o),
        "violation_recall": _share(sum(s.violations_found for s in scored), sum(s.gold_violations for s in scored)),
        "penalty_precision": _share(sum(s.penalty_hits for s in scored), firm_p),
        "penalty_recall": _share(sum(min(s.penalty_hits, s.gold_penalties) for s in scored),
                                 sum(s.gold_penalties for s in scored)),
        "abstention": _share(sum(s.abstained for s in scored), n),
        "with_gold_penalty": len(with_gold),
        "with_item": len(item_known),
    }


def evaluate_answers(gold: list[GoldFinding], answer: Callable[[GoldFinding], Answer], laws: LawKeys,
                     progress: bool = False) -> dict[str, Any]:
    from tqdm import tqdm

    scored = [score_answer(g, answer(g), laws) for g in tqdm(gold, desc="评测", unit="题", disable=not progress)]
    report = summarize(scored)
    report["per_question"] = [s.as_dict() for s in scored]
    return report


def run_answer_eval(catalog: Catalog, answerer: Any, gold_path: Path, progress: bool = False,
                    unit_types: bool = False) -> dict[str, Any]:
    """`unit_types`: each finding is asked with its `enterprise` as the inspected unit's type (ask --unit-type), as an
    inspector who chose the unit before writing findings would; a type the lexicon does not know is left out."""
    gold = load_answer_gold(gold_path, catalog)
    lexicon = answerer.searcher.lexicon

    def unit_of(finding: GoldFinding) -> str | None:
        profile = lexicon.unit_profile(finding.enterprise) if unit_types and finding.enterprise else None
        return profile.name if profile else None

    report = evaluate_answers(gold, lambda g: answerer.answer(g.q, unit_type=unit_of(g)), LawKeys(catalog), progress)
    report["gold"] = str(gold_path)
    report["unit_types"] = sum(unit_of(g) is not None for g in gold) if unit_types else None
    return report
