"""Penalty provisions -> violation rows: one row per 项, or per 款 when the 款 has no 项.

A 款 with items reads "有下列情形之一的，由X部门责令…，处…罚款：（一）…（二）…": the lead is the penalty clause
and each item a behaviour. A 款 without items reads "<behaviour>的，由X部门责令…，处…罚款": the behaviour is the
text before the sanction. "依照前款/本条第一款的规定处罚" takes the sanctions of the 款 it names.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..legal_text import CRIMINAL_SANCTION, departments, fines
from ..model import Document, Paragraph, Unit, UnitKind
from ..names import normalize_title
from ..numbers import NUMERAL, from_chinese
from .departments import reviewed_departments
from .model import (
    KIND_CRIMINAL,
    KIND_OFFICIALS,
    KIND_OTHER,
    KIND_PENALTY,
    KIND_REFERRAL,
    Sanctions,
    ViolationRow,
)

PENALTY_CHAPTER = re.compile(r"法律责任|罚则")
# Words that make a 款 a sanction (outside 法律责任 chapters only a fine, detention or a criminal sanction counts).
SANCTION = re.compile(r"罚款|警告|没收|吊销|暂扣|停产停业|停业整顿|停产整顿|责令停止|拘留|处分|追究刑事责任|"
                      r"有期徒刑|拘役|规定[^，。；]{0,6}处(?:理、处)?罚|规定处理|追究法律责任|关闭|取缔|撤销")
# "依照本条例第十九条的规定处罚": the sanction of another article of the same law.
SAME_LAW = re.compile(rf"依照本(?:法|条例)第({NUMERAL})条(?:第({NUMERAL})款)?的?规定(?:予以)?处(?:理、处)?罚")
# Detention too: 治安管理处罚法 has no 法律责任 chapter, and its 第三十六条 (危险物质, where 消防法第六十二条 leads)
# sanctions by 拘留 alone.
OUTSIDE_CHAPTER = re.compile(rf"处[^。；]{{0,40}}(?:罚款|拘留)|{CRIMINAL_SANCTION.pattern}|{SAME_LAW.pattern}")
# Clauses that aggravate the behaviour before them rather than name a new one.
AGGRAVATION = re.compile(r"^(?:逾期|拒不|情节|构成|造成|导致|有违法所得|没有违法所得|违法所得|给他人|对逃匿|货值金额|"
                         r"违法生产、使用、经营的危险化学品货值|其中|相关许可证件被吊销)|拒不执行|拒不改正")
# Where a behaviour clause ends and its sanction begins: "…的，由…", "…的，处…", "…的，责令…".
SANCTION_START = re.compile(r"的[，,]\s*(?=(?:由|处|责令|依照|按照|对|没收|给予|吊销|予以|该协议|分别|除|应当|可以|"
                            r"依法|并处|禁止|公安|应急|安全生产|交通|市场|海事|港口|县级|有关|其|所在地|上级))")
REFERRAL = re.compile(r"依照(?:《([^》]+)》(?:、《[^》]+》)*|有关([^，。；]{2,40}?)(?:的)?法律、(?:行政)?法规)"
                      r"(?:的)?(?:有关)?规定(?:[^，。；]{0,6}处(?:理、处)?罚|追究法律责任|限制从业|处理)")
SAME_ARTICLE = re.compile(rf"依照(?:本条)?(前款|第({NUMERAL})款)(?:的)?规定")
CIVIL_ONLY = re.compile(r"赔偿责任|协议无效|禁止上道路行驶")
# How penalties are decided, executed or appealed, not a behaviour: "本法规定的行政处罚，由…决定", "当事人逾期不执行…
# 决定的，由…强制执行", "被责令停产停业的，应当在整改后…报告", "…由…报请本级人民政府依法决定", and what follows a
# penalty ("被依法吊销许可证的，自吊销之日起三年内…不予受理其新的许可申请").
PROCEDURE = re.compile(r"^[^，。；]{0,40}规定的行政处罚，由|"
                       r"^当事人(?:对[^，。；]{0,30}不服|逾期不执行[^，。；]{0,30}决定)|"
                       r"^被责令[^，。；]{0,30}的，应当|由[^，。；]{0,40}报请[^，。；]{0,20}决定。?$|"
                       r"被(?:依法)?吊销[^，。；]{0,10}的，自[^，。；]{0,20}之日起")
# A catch-all clause, not a behaviour: "违反本法规定，构成违反治安管理行为的，依法给予治安管理处罚；构成犯罪的…"
GENERIC = re.compile(r"^(?:违反本(?:法|条例)(?:的)?规定[，,])?(?:构成|造成|给他人造成)")

# Who is sanctioned: the category whose words come first in the behaviour's opening (or the 款's lead);
# "X单位的主要负责人" is the person, not the unit.
SUBJECTS = [
    ("国家机关及其工作人员", r"(?:部门|机构|机关)(?:的|及其)?工作人员|国家工作人员|人民政府|"
                        r"负有[^，。；]{0,20}职责的部门|监督管理部门|行政部门|主管部门|国家机关"),
    ("主要负责人", r"主要负责人|法定代表人|实际控制人|投资人|决策机构"),
    ("安全生产管理人员", r"其他负责人|安全生产管理人员|安全管理人员"),
    ("从业人员", r"从业人员|作业人员|驾驶人员|押运人员|装卸管理人员|申报人员|检查员|船员|操作人员|劳动者|职工"),
    ("中介服务机构", r"(?:评价|认证|检测|检验|鉴定|中介)[^，。；]{0,12}机构"),
    ("个人", r"^个人|或者个人|的个人"),
    ("单位", r"单位|企业|经营者|经营人|承运人|托运人|公司|业主|港口|码头|用人单位"),
]
_SUBJECT_RE = [(name, re.compile(p)) for name, p in SUBJECTS]
OPENING = 24  # the subject is named at the start of the clause; later nouns are objects
_SUBJECT_TEXT = re.compile(r"^(?:违反本(?:法|条例)(?:的)?规定[，,])?(.{2,40}?)(?:有下列|存在下列|未|不|在|对|将|向|与|"
                           r"擅自|违反|拒绝|以)")
_ITEM_TAIL = re.compile(r"[；;。，,]+$")


def _sanctions(text: str) -> Sanctions:
    referral = REFERRAL.search(text)
    referred = None
    if referral:
        referred = (f"《{normalize_title(referral.group(1))}》" if referral.group(1)
                    else f"有关{referral.group(2)}的法律、行政法规")
    return Sanctions(
        order_correct=bool(re.search(r"责令(?:限期|立即)?(?:改正|消除|整改)|限期改正", text)),
        warning=bool(re.search(r"警告", text)),
        fines=fines(text),
        confiscate=bool(re.search(r"没收", text)),
        suspend=bool(re.search(r"停产停业|停业整顿|停产整顿|停止建设|停止生产|停止经营|停止使用|"
                               r"暂停从业|暂停营业", text)),
        revoke=bool(re.search(r"吊销|撤销[^。；]{0,10}(?:许可|资格|证)", text)),
        withhold=bool(re.search(r"暂扣|暂停[^。；]{0,6}资格", text)),
        close=bool(re.search(r"予以关闭|提请[^。；]{0,12}关闭|取缔", text)),
        detention=bool(re.search(r"拘留", text)),
        disciplinary=bool(re.search(r"处分", text)),
        criminal=bool(re.search(r"追究刑事责任|有期徒刑|拘役", text)),
        referral=referred,
    )


def _lead(paragraph: Paragraph) -> str:
    """The 款's text before its first item: "有下列情形之一的，由…处…罚款："."""
    first = paragraph.items[0]
    at = paragraph.text.find(first.label + first.text[:8]) if first.label else -1
    if at < 0:
        at = paragraph.text.find(first.text[:12])
    return paragraph.text[:at].rstrip() if at > 0 else paragraph.text.split("\n", 1)[0]


def _item_quote(paragraph: Paragraph, index: int) -> str:
    item = paragraph.items[index]
    quote = f"{item.label}{item.text}"
    return quote if quote in paragraph.text else item.text


# "…滥用职权、玩忽职守，构成犯罪的": the condition of a sanction, not part of the behaviour.
TRAILING_CONDITION = re.compile(r"[，,](?:尚不)?构成犯罪的$|[，,]情节严重的$")
# "从事危险化学品仓储经营的港口经营人有前款规定情形的": the 款 before, for another subject and department.
VARIANT = re.compile(r"有前款(?:规定)?(?:情形|行为|违法行为)|有前款所列")


def _behaviour_of(text: str) -> str:
    """A 款 without items: the behaviour clauses before their sanctions ("…未取得经营许可证从事经营的"); a 款
    naming two behaviours ("…转让安全生产许可证的，没收…；接受转让的，依照…") keeps both, joined by "；". A clause
    that only extends the 款 before to another subject ("港口经营人有前款规定情形的") is kept only when it is all."""
    found: list[str] = []
    variants: list[str] = []
    for segment in re.split(r"[；;。]", text):
        m = SANCTION_START.search(segment)
        if m is None:
            continue
        clause = TRAILING_CONDITION.sub("的", segment[:m.start() + 1].strip())
        if clause and not AGGRAVATION.search(clause):
            (variants if VARIANT.search(clause) else found).append(clause)
    if found or variants:
        return "；".join(found or variants)
    first = re.split(r"[；;。]", text, maxsplit=1)[0]
    cut = re.search(r"[，,](?:依法|由|处|给予|责令)", first)
    return first[:cut.start()] if cut else first


_PREAMBLE = re.compile(r"^(?:违反本(?:法|条例)(?:的)?规定[，,]|有下列情形之一的[，,]?)")


def without_preamble(text: str) -> str:
    """A clause without its drafting lead ("违反本条例规定，", "有下列情形之一的，"), which names no act."""
    return _PREAMBLE.sub("", text)


# The actor comes before the verb: "阻碍消防救援机构的工作人员依法执行职务的" names an object, not a subject.
_VERB = re.compile(r"未|不(?!同)|擅自|阻碍|拒绝|违反|滥用|伪造|冒用|谎报|非法|要求|收取|包庇|出具")
_OWNED = re.compile(r"[^，,。；;]{0,12}?的")  # the rest of a list of units, up to the "的" of what is theirs


def _subject_in(opening: str) -> str | None:
    found = []
    verb = _VERB.search(opening)
    for name, pattern in _SUBJECT_RE:
        m = pattern.search(opening)
        # Named after the verb, it is what the act concerns ("不按照要求配备押运人员"), not who acts.
        if m and not (verb and verb.start() < m.start()):
            found.append((m.start(), -len(m.group(0)), name, m.end()))
    if not found:
        return None
    found.sort()
    _start, _len, name, end = found[0]
    if name == "单位":
        # "生产经营单位的主要负责人", "道路运输企业、水路运输企业的驾驶人员": the person of the unit(s) is sanctioned.
        owner = _OWNED.match(opening, end)
        rest = _subject_in(opening[owner.end():owner.end() + 12]) if owner else None
        if rest and rest != "单位":
            return rest
        # "事故发生单位主要负责人", without "的": the unit's head. Not its staff: "危险化学品生产企业从业人员未满足…学历
        # 要求" is the enterprise's failing, and the enterprise is fined.
        if _HEAD.match(opening, end):
            return "主要负责人"
    return name


_HEAD = next(pattern for name, pattern in _SUBJECT_RE if name == "主要负责人")


def _subject(behaviour: str, lead: str, detention: bool) -> tuple[str, str]:
    """(category, as written) of who is sanctioned; unnamed, a unit, or a person when the sanction is detention
    (消防法第六十四条: "处十日以上十五日以下拘留"), which only a person can be given."""
    # "有下列情形之一的，由…部门…": the lead names the department, not the subject; the item names it.
    sources = (behaviour,) if lead.startswith("有下列") else (lead, behaviour)
    for source in sources:
        opening = without_preamble(source or "")[:OPENING]
        opening = re.split(r"有下列|存在下列", opening, maxsplit=1)[0]
        name = _subject_in(opening) if opening else None
        if name:
            written = _SUBJECT_TEXT.match(without_preamble(source))
            return name, written.group(1) if written else opening
    return ("个人" if detention else "单位"), ""


def _administrative(s: Sanctions) -> bool:
    return bool(s.fines or s.warning or s.suspend or s.revoke or s.confiscate or s.detention or s.close
                or s.withhold or s.order_correct)


def _kind(clause: str, behaviour: str, sanctions: Sanctions, law: str, subject: str) -> str:
    if law == "刑法":
        return KIND_CRIMINAL
    if GENERIC.search(behaviour) or _DEFAULT_DEPARTMENT.search(behaviour) or PROCEDURE.search(clause):
        return KIND_OTHER
    if GENERIC.search(clause) and not _administrative(sanctions):  # "违反本法规定，构成犯罪的，依法追究刑事责任"
        return KIND_OTHER
    if subject == "国家机关及其工作人员":
        return KIND_OFFICIALS
    if sanctions.referral and not sanctions.fines and not sanctions.warning:
        return KIND_REFERRAL
    if _administrative(sanctions):
        return KIND_PENALTY
    return KIND_OTHER if CIVIL_ONLY.search(clause) or not (sanctions.criminal or sanctions.disciplinary) \
        else KIND_PENALTY


def _is_sanction(unit: Unit, paragraph: Paragraph) -> bool:
    if any(PENALTY_CHAPTER.search(p) for p in unit.path):
        return bool(SANCTION.search(paragraph.text))
    return bool(OUTSIDE_CHAPTER.search(paragraph.text))


class DefaultDepartment(NamedTuple):
    """The department a law names once for its penalties; `fines_only`: for its fines alone ("罚款的行政处罚");
    `reviewed`: named by reviewed_departments.tsv, not by the law's words."""
    name: str
    text: str
    fines_only: bool = False
    reviewed: bool = False

    def covers(self, sanctions: Sanctions) -> bool:
        """事故报告条例's is for its fines, not its 处分 and 吊销证照; a reviewed one never for 拘留 (the police's)
        nor a referral, and only for a fine or a warning."""
        if self.fines_only and not sanctions.fines:
            return False
        return not self.reviewed or not (sanctions.detention or sanctions.referral) and bool(
            sanctions.fines or sanctions.warning)


# "…处100万元以上500万元以下的罚款；…构成违反治安管理行为的，由公安机关依法给予治安管理处罚": the police act on
# the public-order part; the fines are the law's penalty department's (事故报告条例第三十六条).
_PUBLIC_ORDER = re.compile(r"构成违反治安管理行为的[^；;。]*")


def _named_department(clause: str) -> tuple[str, str] | None:
    found = [d for d in departments(clause) if d.clean]
    # "由X部门责令…": the department after 由 enforces; others in the clause (原发证机关, 工商) act on its request.
    after_you = [d for d in found if clause[max(0, d.start - 2):d.start].endswith("由") or
                 clause[max(0, d.start - 3):d.start].endswith("分别由")]
    candidates = after_you or found
    return (candidates[0].name, candidates[0].text) if candidates else None


def _department(clause: str, default: DefaultDepartment | None, own: str = "") -> tuple[str | None, str | None]:
    """The row's own sentences' department when the 款 has several ("港口经营人…由港口行政管理部门…。储存剧毒化学品…
    由公安机关…"); else the 款's outside its public-order part; else the law's default when that part has a fine;
    else the public-order part's (the row is that referral itself); else the default."""
    if own:
        named = _named_department(_PUBLIC_ORDER.sub("", own)) or _named_department(own)
        if named is not None:
            return named
    rest = _PUBLIC_ORDER.sub("", clause)
    named = _named_department(rest)
    if named is None and default is not None and "罚款" in rest:
        return default.name, default.text
    named = named or _named_department(clause)  # a row that is the public-order referral itself
    if named is not None:
        return named
    if _BY_THE_UNIT.search(rest):  # the unit's own 批评教育 and 处分 (安全生产法第一百零七条): no department's penalty
        return None, None
    return (default.name, default.text) if default else (None, None)


# "由生产经营单位给予批评教育，依照有关规章制度给予处分": the worker's own unit sanctions, no administrative department.
_BY_THE_UNIT = re.compile(r"由(?:其?所在|生产经营|用人)单位(?:依法|依照有关规定)?(?:给予|予以)")


# "本条例规定的罚款的行政处罚，由安全生产监督管理部门决定" (事故报告条例第四十三条) names it for its fines.
_DEFAULT_DEPARTMENT = re.compile(r"本(?:法|条例)规定的(?:罚款的)?行政处罚[，,]由(.{2,60}?)(?:按照职责分工)?决定")


def _reviewed_default(title: str) -> DefaultDepartment | None:
    reviewed = reviewed_departments().get(normalize_title(title))
    return DefaultDepartment(reviewed.name, reviewed.text, reviewed=True) if reviewed else None


def default_department(units: list[Unit]) -> DefaultDepartment | None:
    """A law that names its penalty authority once ("本法规定的行政处罚，由应急管理部门…决定")."""
    for unit in units:
        m = _DEFAULT_DEPARTMENT.search(unit.text)
        if m:
            found = departments(m.group(1))
            if found:
                return DefaultDepartment(found[0].name, m.group(1), "罚款的" in m.group(0))
    return None


def _sanctions_of_para(unit: Unit, index: int, seen: set[int] | None = None) -> str:
    """A 款 that says "依照前款/本条第一款的规定处罚" takes the clause of that 款."""
    text = unit.paragraphs[index].text
    m = SAME_ARTICLE.search(text)
    seen = (seen or set()) | {index}
    if not m:
        return text
    target = index - 1 if m.group(1) == "前款" else from_chinese(m.group(2)) - 1
    if not 0 <= target < len(unit.paragraphs) or target in seen:
        return text
    ref = unit.paragraphs[target]
    clause = _lead(ref) if ref.items else _sanctions_of_para(unit, target, seen)
    return text + "\n" + clause


def rows_of_article(doc: Document, unit: Unit, default: DefaultDepartment | None) -> list[ViolationRow]:
    """The rows of one article (none when no 款 of it sanctions anything)."""
    if unit.kind is not UnitKind.ARTICLE or unit.article_no is None:
        return []
    law = normalize_title(doc.title)
    out: list[ViolationRow] = []
    for p_index, paragraph in enumerate(unit.paragraphs):
        if not _is_sanction(unit, paragraph):
            continue
        if paragraph.items:
            lead = _lead(paragraph)
            for i_index, item in enumerate(paragraph.items):
                behaviour = _ITEM_TAIL.sub("", item.text)
                own = _sanctions(item.text)
                # Items that carry their own sanction (安全生产法第九十五条: 一般事故…百分之四十) use it.
                clause_text = lead + "\n" + item.text if own.fines or own.referral else lead
                out.append(_row(doc, unit, law, p_index, i_index, behaviour, lead, _item_quote(paragraph, i_index),
                                lead, clause_text, default))
        else:
            clause_text = _sanctions_of_para(unit, p_index)
            behaviour = _behaviour_of(paragraph.text)
            out.append(_row(doc, unit, law, p_index, None, behaviour, "", paragraph.text, paragraph.text, clause_text,
                            default, _sentences_of(paragraph.text, behaviour)))
    return out


def _sentences_of(text: str, behaviour: str) -> str:
    """The sentences of a 款 that hold its behaviour: "港口经营人有前款规定情形的，由港口行政管理部门…。储存剧毒化学品…
    未…设置…技术防范设施的，由公安机关…" names two departments, and the row's is the one of its own sentence."""
    clauses = [c for c in behaviour.split("；") if c]
    return "；".join(s for s in re.split(r"[；;。]", text) if any(c in s for c in clauses))


def _row(doc: Document, unit: Unit, law: str, p_index: int, i_index: int | None, behaviour: str, lead: str,
         item_quote: str, clause_quote: str, clause_text: str, default: DefaultDepartment | None,
         own_sentences: str = "") -> ViolationRow:
    sanctions = _sanctions(clause_text)
    department, department_text = _department(
        clause_text, default if default is not None and default.covers(sanctions) else None, own_sentences)
    subject, subject_text = _subject(behaviour, lead, sanctions.detention)
    kind = _kind(clause_text, behaviour, sanctions, law, subject)
    place = f"{p_index + 1}" + (f".{i_index + 1}" if i_index is not None else "")
    return ViolationRow(
        row_id=f"{unit.unit_id}#{place}", doc_id=doc.doc_id, unit_id=unit.unit_id, law=doc.title,
        article_no=unit.article_no or 0, article_sub=unit.article_sub, para=p_index + 1,
        item=None if i_index is None else i_index + 1, behaviour=behaviour.strip(), subject=subject,
        subject_text=subject_text, item_quote=item_quote, clause_quote=clause_quote, kind=kind, sanctions=sanctions,
        department=department, department_text=department_text, para_count=len(unit.paragraphs),
        variant=bool(VARIANT.search(behaviour)),
    )


def rows_of_document(doc: Document, units: list[Unit]) -> list[ViolationRow]:
    """Every row of a regulation; plans and plain documents have none."""
    default = default_department(units) or _reviewed_default(doc.title)
    out: list[ViolationRow] = []
    for unit in units:
        out += rows_of_article(doc, unit, default)
    _same_law_sanctions(out)
    return out


def _same_law_sanctions(rows: list[ViolationRow]) -> None:
    """Rows sanctioned "依照本条例第十九条的规定" take that article's sanctions and department."""
    first: dict[tuple[int, int], ViolationRow] = {}
    for row in rows:
        first.setdefault((row.article_no, row.para), row)
        first.setdefault((row.article_no, 0), row)
    for row in rows:
        m = SAME_LAW.search(row.clause_quote)
        if m is None or row.sanctions.fines:
            continue
        target = first.get((from_chinese(m.group(1)), from_chinese(m.group(2)) if m.group(2) else 0))
        if target is None or target is row:
            continue
        row.sanctions = target.sanctions
        row.department, row.department_text = row.department or target.department, \
            row.department_text or target.department_text
        if row.kind == KIND_OTHER:
            row.kind = target.kind
