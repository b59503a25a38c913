"""A citation in an answer: one article of the corpus, quoted, with its law, level, validity, source, its role in
the answer (违法依据 / 处罚依据 / 对照条款 / 相关规定) and how sure the answer is of it (确定 / 待核对)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from corpus.model import Document, Item, Status, Unit
from corpus.numbers import provision_label
from corpus.views import source_of

ROLE_OBLIGATION = "违法依据"
ROLE_PENALTY = "处罚依据"
ROLE_PARALLEL = "对照条款"  # the superseded law's parallel of a 处罚依据 (条例 2013 beside 危化法 2026)
ROLE_RELATED = "相关规定"
# What the roles are called in an answer to a question that is no finding (a time limit, a definition): nothing was
# found violated, so its articles are the rules asked about and the penalties for breaking them.
_NOT_FINDING_NAMES = {ROLE_OBLIGATION: "相关规定", ROLE_PENALTY: "相关罚则"}


def role_name(role: str, finding: bool = True) -> str:
    """The role as shown: 违法依据 and 处罚依据 only in an answer to a finding."""
    return role if finding else _NOT_FINDING_NAMES.get(role, role)
CONFIRMED = "确定"
TO_CHECK = "待核对"
# A citation of a law in this state on the day asked is never 确定 (it cannot ground an enforcement document).
NOT_IN_FORCE = frozenset({Status.NOT_YET_EFFECTIVE.value, Status.REPEALED.value})
# How the answerer reached a cited unit (Answer.sources records them; the trust evaluation reads that).
VIA_SEARCHED = "searched"  # a search hit (or the 项 of one)
VIA_LINKED = "linked"  # a penalty linked to an obligation hit, an article an inspection-table row cites, or the
# duty of the law in force that a superseded law's obligation hit brings
VIA_REFERRED = "referred"  # where a penalty that hands the sanction to another law leads
VIA_ROW = "row"  # a violation-catalog row matched to the finding: its 项, obligations and parallel
VIA_GAP = "gap"  # a duty no penalty reaches, which the finding fits (the answer's note says so)
VIAS = (VIA_SEARCHED, VIA_LINKED, VIA_REFERRED, VIA_ROW, VIA_GAP)
LOOKUP_SCORE = 999.0  # shown for an article the question named (its search score is infinite)


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
    item: str | None = None  # the 项 (or 款) that fits the finding, quoted with its label
    version: str | None = None
    requested: bool = False  # the question named this article
    confidence: str = TO_CHECK
    para: int | None = None  # the 款 cited
    item_no: int | None = None  # the 项 cited
    clause: str | None = None  # a 项's penalty clause (its 款's lead), quoted
    fine: dict[str, Any] | None = None  # {min, max, unit, basis} of a penalty row
    department: str | None = None  # the enforcing department named by the penalty
    sanctions: list[str] = field(default_factory=list)
    link: str | None = None  # an obligation: how it was linked to its penalty (条文明确引用 / 人工核定 / 措辞匹配)
    row_id: str | None = None  # the violation-catalog row this citation comes from
    parallel_to: str | None = None  # a 对照条款: the row it is the parallel of
    referred_by: str | None = None  # a referred law's penalty: the referring row ("依照…的规定处罚") it belongs with
    tiers: list[dict[str, Any]] = field(default_factory=list)  # the bureau's 裁量基准 for this 项 (情形/阶次, 标准)
    via: str = VIA_SEARCHED  # how the answerer reached it (VIAS)

    def cite(self) -> str:
        return f"《{self.law}》{self.article}"

    def label(self) -> str:
        """The exact place cited: 第一百零一条第一款第（十）项, from the 项's quote when there is one."""
        if self.item:
            return self.item.split("：", 1)[0]  # the label item_text put before the quote
        return provision_label(self.article, self.para)

    def quote(self) -> str:
        """The words cited: the 项's (or 款's) text after its label, else the article's text."""
        return self.item.split("：", 1)[1] if self.item and "：" in self.item else self.text

    def as_dict(self) -> dict:
        return asdict(self)


def item_para(unit: Unit, item: Item) -> int | None:
    """The 款 (1-based) that holds the 项."""
    return next((i for i, p in enumerate(unit.paragraphs, 1) if any(x is item for x in p.items)), None)


def item_text(unit: Unit, item: Item) -> str:
    """第一百零四条第一款第（四）项：… (a one-款 article is cited without its 款, as the violation rows are)."""
    return f"{provision_label(unit.label, item_para(unit, item), item.number, len(unit.paragraphs))}：{item.text}"


def set_item(cite: Citation, unit: Unit, item: Item | None) -> None:
    """The 项 a citation names: quoted, and as numbers (its 款 and 项) for --json and the eval."""
    cite.item = item_text(unit, item) if item is not None else None
    cite.para, cite.item_no = (item_para(unit, item), item.number) if item is not None else (None, None)


def make_citation(unit: Unit, doc: Document, role: str, score: float, as_of: date | None,
                  item: Item | None = None) -> Citation:
    cite = Citation(
        law=doc.title,
        article=unit.label,
        article_no=unit.article_no,
        level=doc.level.value,
        status=doc.status_on(as_of or date.today()).value,
        effective=doc.effective_date.isoformat() if doc.effective_date else None,
        text=unit.text,
        source=source_of(doc, unit),
        role=role,
        score=round(float(score), 4) if score != float("inf") else LOOKUP_SCORE,
        unit_id=unit.unit_id,
        doc_id=doc.doc_id,
        version=doc.version_date.isoformat() if doc.version_date else None,
    )
    set_item(cite, unit, item)
    return cite
