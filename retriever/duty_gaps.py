"""Duties no penalty sanctions: where a finding fits one better than the penalty row it matched, the law may have a
gap there (only 责令改正), so that row is not 确定 and the answer says which duty the finding is closer to. Likewise
where the finding says, in the words of the lexicon's partial_duties.tsv, that a duty no penalty reaches was left
undone: mostly the part of a 款 whose other part is sanctioned (演练搞了，但没报送演练情况).

The duties are the 款 of the core laws in force that lay a duty on a unit (应当, 不得, 必须, 禁止 …, not addressed to a
government body) and that no violation row links as its obligation ("危化品经营单位每半年演练一次并把演练情况报送
…": 应急条例第八条第二款, which no penalty names). One BM25 field holds them and the rows (behaviour with
obligations), so a duty and a row are scored alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corpus.legal_text import DUTY_WORDS, duty_subject
from corpus.lexicon import PartialDuty, said
from corpus.model import UnitKind
from corpus.names import normalize_title
from corpus.numbers import provision_label
from corpus.violations import ViolationRow

from .lexical import _Field
from .row_index import RowIndex, behaviour_text, obligation_text
from .tokenize import bigrams, overlap
from .weights import GAP_MARGIN, SAME_SUBJECT_OVERLAP

if TYPE_CHECKING:
    from .query import ParsedQuery
    from .search import Searcher

# A duty that only hands this law's duties to another class of persons ("被派遣劳动者…应当履行本法规定的从业人员的
# 义务", 安全生产法第六十一条) is no duty of its own: the penalties of those duties reach it.
_REFERENCE_DUTY = re.compile(r"(?:应当|必须)(?:履行|遵守)本(?:法|条例)(?:规定的)?[^，。；]{0,12}(?:义务|职责|规定)")
# A 款 whose subject (its opening words) is a government body or the state, or the plans they draw up ("燃气发展规划的
# 内容应当包括…"): a duty of the authorities.
_AUTHORITY = re.compile(r"^[^，。；]{0,30}(?:人民政府|管理部门|主管部门|职责的部门|行政部门|机关|国家|部门|机构|规划)")
# Or whose first duty is laid on one, after an opening clause of circumstance ("燃气供应严重短缺…发生后，县级以上
# 地方人民政府应当…", 城镇燃气管理条例第十三条). Wider than corpus.legal_text.authority_duty (bare 机关, and the
# opening above): measured with the gap closer; the stricter test there changed dev answers (1540 -> 1535 firm).
_AUTHORITY_SUBJECT = re.compile(r"人民政府|管理部门|主管部门|职责的部门|行政部门|机关")


def _authority_duty(text: str) -> bool:
    """The clause holding the 款's first duty word names a government body as its subject."""
    subject = duty_subject(text)
    return subject is not None and bool(_AUTHORITY_SUBJECT.search(subject))


@dataclass(frozen=True)
class Duty:
    law: str  # the catalog's title
    article: str  # 第三十八条
    para: int
    paras: int  # 款 in the article: a one-款 article is cited without its 款
    unit_id: str

    def cite(self) -> str:
        return f"《{self.law}》{provision_label(self.article, self.para, paras=self.paras)}"


class DutyGaps:
    """The unsanctioned duties of the core laws in force, beside the rows of one row index."""

    def __init__(self, searcher: Searcher, index: RowIndex):
        linked = {(o.unit_id, o.para) for r in index.rows for o in r.obligations if o.unit_id}
        sanctioning = {r.unit_id for r in index.rows}
        core = searcher.lexicon.laws_in("core")
        self.duties: list[Duty] = []
        self.duty_law: list[str] = []
        self.texts: list[str] = []  # each duty's 款
        field = _Field()
        for doc_id in sorted(searcher.in_force(None)):
            doc = searcher.docs[doc_id]
            law = normalize_title(doc.title)
            if law not in core:
                continue
            for unit in searcher.catalog.units(doc_id):
                if (unit.kind is not UnitKind.ARTICLE or unit.unit_id in sanctioning
                        or (unit.unit_id, None) in linked):
                    continue
                for para, paragraph in enumerate(unit.paragraphs, 1):
                    text = paragraph.text
                    if ((unit.unit_id, para) in linked or not DUTY_WORDS.search(_REFERENCE_DUTY.sub("", text))
                            or _AUTHORITY.search(text) or _authority_duty(text)):
                        continue
                    self.duties.append(Duty(doc.title, unit.label, para, len(unit.paragraphs), unit.unit_id))
                    self.duty_law.append(law)
                    self.texts.append(text)
                    field.add(bigrams(text))
        self.partials = [(part, *found) for part in searcher.lexicon.partial_duties
                         if (found := _partial_duty(searcher, part)) is not None]
        self.row_position = {r.row_id: len(self.duties) + i for i, r in enumerate(index.rows)}
        for row in index.rows:
            field.add(bigrams(f"{behaviour_text(row)} {obligation_text(row)}"))
        field.compile()
        self.field = field
        self.size = len(self.duties) + len(index.rows)

    def closer(self, query: ParsedQuery, row: ViolationRow) -> Duty | None:
        """The duty of the row's own law that fits the finding by GAP_MARGIN better than the row does, if any. A
        duty beside the row's own obligation in its article that says much the same (安全生产法第二十七条第一款
        beside its second 款, which 第九十七条第（二）项 sanctions) is that matter in other words, not a gap; one
        that says another thing is (城镇燃气管理条例第十七条第二款, 公示收费标准, beside the first 款's supply)."""
        candidates = np.array([law == normalize_title(row.law) and not self._same_matter(d, text, row)
                               for law, d, text in zip(self.duty_law, self.duties, self.texts)], dtype=bool)
        if not candidates.any():
            return None
        terms, weights = query.weighted_bigrams()
        scores = self.field.score(terms, self.size, weights)
        duty_scores = np.where(candidates, scores[: len(self.duties)], -1.0)
        best = int(np.argmax(duty_scores))
        if duty_scores[best] > scores[self.row_position[row.row_id]] * (1 + GAP_MARGIN):
            return self.duties[best]
        return None

    @staticmethod
    def _same_matter(duty: Duty, text: str, row: ViolationRow) -> bool:
        """The duty (its 款's text) is the row's obligation, or beside it in its article and saying much the same."""
        return any(o.unit_id == duty.unit_id and (o.para is None or overlap(text, o.quote) >= SAME_SUBJECT_OVERLAP)
                   for o in row.obligations)

    def partial(self, query: ParsedQuery) -> tuple[PartialDuty | None, Duty] | None:
        """The duty no penalty reaches that the finding says, in the table's words, was left undone: its 款, and the
        part of it the table names (None when that is the whole 款)."""
        return next(((None if whole else part, duty) for part, whole, duty in self.partials
                     if said(part.said, query.normalized)), None)


def _partial_duty(searcher: Searcher, part: PartialDuty) -> tuple[bool, Duty] | None:
    """The 款 a table entry names, in the law's version in force, and whether the entry is all of it (None when the
    corpus lacks the law)."""
    found = searcher.law_article(part.law, part.article)
    if found is None or part.para > len(found[0].paragraphs):
        return None
    unit, doc = found
    whole = part.part.rstrip("。") == unit.paragraphs[part.para - 1].text.strip().rstrip("。")
    return whole, Duty(doc.title, unit.label, part.para, len(unit.paragraphs), unit.unit_id)


def gap_note(duty: Duty, part: PartialDuty | None = None) -> str:
    """What an answer says of a duty no penalty reaches (or of the part of one) that the finding fits."""
    if part is None:
        return f"检查发现更贴近{duty.cite()}，违法行为库中没有处罚该款的项（可能只能责令改正），请核对"
    return (f"检查发现说的是{duty.cite()}中“{part.part}”这一要求，违法行为库中没有处罚这一部分的项"
            "（可能只能责令改正），请核对")
