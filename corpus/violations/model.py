"""A violation-catalog row: one penalty 项 (or one 款 that has no 项), with its 处罚依据, the sanctions it sets,
the enforcing department and the obligation articles (违法依据) it sanctions."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..legal_text import Fine
from ..names import normalize_title
from ..numbers import article_label, provision_label

# How an obligation was linked to a penalty row, strongest first.
LINK_EXPLICIT = "explicit"  # the penalty text cites it: "违反本法第三十七条规定"
LINK_REVIEWED = "reviewed"  # a reviewed table says so (corpus/violations/reviewed_links.tsv)
LINK_WORDING = "wording"  # the behaviour's wording found in the obligation article, verified by a shared phrase
LINK_SELF = "self"  # reviewed: the 项 itself is the prohibition ("出借许可证的"), 违法依据 and 处罚依据 alike
LINK_NAMES = {LINK_EXPLICIT: "条文明确引用", LINK_REVIEWED: "人工核定", LINK_WORDING: "措辞匹配",
              LINK_SELF: "罚则自含禁止性规定"}

# What a row sanctions.
KIND_PENALTY = "penalty"  # an administrative penalty on a unit or person (罚款, 警告, 停产停业, 吊销 ...)
KIND_REFERRAL = "referral"  # "依照《X》的规定处罚": the sanction is in another law
KIND_OFFICIALS = "officials"  # 处分 of government staff, or duties of government bodies
KIND_CRIMINAL = "criminal"  # 刑法: a crime and its punishment
KIND_OTHER = "other"  # civil liability, measures without a sanction (该协议无效, 禁止上道路行驶 ...)
KINDS = (KIND_PENALTY, KIND_REFERRAL, KIND_OFFICIALS, KIND_CRIMINAL, KIND_OTHER)
# Who is sanctioned (parse.SUBJECTS finds it), in the order an inspector meets them: the filters list them so.
SUBJECT_ORDER = ("单位", "主要负责人", "安全生产管理人员", "从业人员", "中介服务机构", "个人", "国家机关及其工作人员")
# The subjects that are a person, not a unit.
PERSON_SUBJECTS = frozenset({"主要负责人", "安全生产管理人员", "从业人员", "个人"})


@dataclass
class ObligationLink:
    law: str  # the obligation's law, as titled in the catalog
    article_no: int
    article_sub: int = 0
    para: int | None = None
    link: str = LINK_WORDING
    evidence: str = ""  # the citation as written, the shared phrase, or the reviewer's note
    unit_id: str | None = None  # the obligation article's unit (None: not in the corpus, or not resolved yet)
    quote: str = ""  # the obligation's text: its 项 or 款 when one is named, else the whole article
    item: int | None = None  # only a LINK_SELF link names a 项: the row's own

    @property
    def article(self) -> str:
        return article_label(self.article_no, self.article_sub)

    def cite(self) -> str:
        return f"《{self.law}》{provision_label(self.article, self.para, self.item)}"


@dataclass
class Sanctions:
    """The sanctions a row's clause sets (what an inspector reads off the 处罚标准)."""

    order_correct: bool = False  # 责令改正 / 责令限期改正 / 责令立即消除
    warning: bool = False
    fines: list[Fine] = field(default_factory=list)
    confiscate: bool = False  # 没收违法所得 / 没收 … 物品
    suspend: bool = False  # 责令停产停业整顿 / 停业整顿 / 停止建设
    revoke: bool = False  # 吊销 / 撤销 许可证件、资格
    withhold: bool = False  # 暂扣 / 暂停
    close: bool = False  # 关闭 / 取缔
    detention: bool = False  # 拘留
    disciplinary: bool = False  # 处分
    criminal: bool = False  # 追究刑事责任 / 有期徒刑 / 拘役
    referral: str | None = None  # the law the clause refers the sanction to

    def names(self) -> list[str]:
        out = [label for flag, label in (
            (self.order_correct, "责令改正"), (self.warning, "警告"), (bool(self.fines), "罚款"),
            (self.confiscate, "没收"), (self.suspend, "责令停产停业整顿"), (self.withhold, "暂扣、暂停"),
            (self.revoke, "吊销"), (self.close, "关闭"), (self.detention, "拘留"), (self.disciplinary, "处分"),
            (self.criminal, "追究刑事责任")) if flag]
        if self.referral:
            out.append(f"依照{self.referral}处罚")
        return out


@dataclass
class ViolationRow:
    row_id: str  # "<unit id>#<款>[.<项>]": stable across re-ingest of the same version
    doc_id: str
    unit_id: str
    law: str  # title as in the catalog
    article_no: int
    article_sub: int
    para: int  # 1-based 款
    item: int | None  # 1-based 项, None when the 款 has none
    behaviour: str  # the sanctioned behaviour, in the law's words
    subject: str  # who is sanctioned, as a category: 单位, 主要负责人, 从业人员 ...
    subject_text: str  # as written: 危险化学品生产企业、进口企业
    item_quote: str  # the 项 exactly as written (label included), or the behaviour clause of the 款
    clause_quote: str  # the penalty clause that applies to it (the 款's lead, or the whole 款)
    kind: str = KIND_PENALTY
    sanctions: Sanctions = field(default_factory=Sanctions)
    department: str | None = None  # the enforcing department by its current name
    department_text: str | None = None  # as the article writes it
    obligations: list[ObligationLink] = field(default_factory=list)

    @property
    def article(self) -> str:
        return article_label(self.article_no, self.article_sub)

    @property
    def label(self) -> str:
        """第一百零一条第一款第（十）项 / 第一百零二条（one-款 articles name no 款）."""
        return provision_label(self.article, self.para, self.item, self.para_count)

    para_count: int = 1  # 款 in the article: a single-款 article is cited without its 款
    variant: bool = False  # "有前款规定情形的": the 款 before, extended to another subject (港口经营人 …)

    def cite(self) -> str:
        return f"《{self.law}》{self.label}"

    @property
    def key(self) -> tuple[str, int, int, int | None]:
        """(normalised law, article, 款, 项): how the reviewed tables (links, on-site phrases) name the row."""
        return normalize_title(self.law), self.article_no, self.para, self.item

    @property
    def fine(self) -> dict[str, Any] | None:
        """The main fine on the unit (or person) the row names: {min, max, unit, basis}."""
        own = [f for f in self.sanctions.fines if f.target is None] or self.sanctions.fines
        if not own:
            return None
        same = [f for f in own if f.unit == own[0].unit]
        highs = [f.max for f in same if f.max is not None]
        # Over every tier of the clause (可以处十万元以下；逾期未改正的，处十万元以上二十万元以下 -> 0-20万).
        return {"min": min(f.min or 0.0 for f in same), "max": max(highs) if highs else None, "unit": own[0].unit,
                "basis": own[0].basis}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = self.label
        data["cite"] = self.cite()
        data["fine"] = self.fine
        data["sanction_names"] = self.sanctions.names()
        return data
