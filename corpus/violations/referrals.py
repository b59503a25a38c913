"""Where a referral row leads, reviewed: the provision of the referred law that sanctions the same behaviour.

A referral row ("依照《中华人民共和国邮政法》的规定处理、处罚") names a law, not a provision. The answer finds the
provision by wording; for a law outside the domain (邮政法, 港口法, 治安管理处罚法) that has no on-site phrases or
reviewed links, wording alone is only ever 待核对. A reviewer who read both texts can say which provision it is
(reviewed_referrals.tsv, each line's evidence checked verbatim by a test): then it is as sure as the referral.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import HazkbError
from ..lexicon import RowKey
from ..names import normalize_title
from ..numbers import article_label, provision_label
from ..tsv import int_cell, read_tsv

REFERRALS = Path(__file__).resolve().parent / "reviewed_referrals.tsv"
REFERRAL_COLUMNS = ("法规", "条", "款", "项", "依照法规", "依照条", "依照款", "依照项", "依据")


class ReferralTableError(HazkbError):
    """reviewed_referrals.tsv has a bad line."""


@dataclass(frozen=True)
class ReviewedReferral:
    row: RowKey  # the referral row
    law: str  # the referred provision: its law (normalised), article,
    article: int
    para: int | None  # 款 (None: the article's only one)
    item: int | None  # and 项 (None: the 款's, or the one that fits the finding when the 款 has items)
    evidence: str  # words of the referred provision that show it sanctions the same behaviour
    where: str
    title: str = ""  # the referred law as the table writes it

    def cite(self) -> str:
        """《中华人民共和国邮政法》第七十五条第一款 (the 款 as the table gives it: left out for a one-款 article)."""
        return f"《{self.title or self.law}》{provision_label(article_label(self.article), self.para, self.item)}"


def _int(value: str, where: str, column: str) -> int | None:
    return int_cell(value, where, column, ReferralTableError, minimum=1)


def read_referrals(path: Path = REFERRALS) -> list[ReviewedReferral]:
    out: list[ReviewedReferral] = []
    seen: set[RowKey] = set()
    for where, fields in read_tsv(path, REFERRAL_COLUMNS, ReferralTableError, ("款", "项", "依照款", "依照项")):
        law, art, para, item, r_law, r_art, r_para, r_item, evidence = fields
        row = (normalize_title(law), _int(art, where, "条") or 0, _int(para, where, "款") or 1, _int(item, where, "项"))
        if row in seen:
            raise ReferralTableError(f"{where}：同一转致只核定一个去向（这一项前面已有一行）")
        seen.add(row)
        out.append(ReviewedReferral(row, normalize_title(r_law), _int(r_art, where, "依照条") or 0,
                                    _int(r_para, where, "依照款"), _int(r_item, where, "依照项"), evidence, where,
                                    r_law))
    return out


@cache
def reviewed_referrals() -> dict[RowKey, ReviewedReferral]:
    """The shipped table, by referral row."""
    return {r.row: r for r in read_referrals()}


def referred_for(key: RowKey) -> ReviewedReferral | None:
    """The reviewed referred provision of a referral row, by its key (law, article, 款, 项)."""
    return reviewed_referrals().get(key)
