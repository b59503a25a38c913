"""Text analysis for rule-based question generation: rule statements, numbers, departments, licences, levels.

Everything here works on the verbatim article text; nothing is paraphrased except by the callers. The legal
vocabulary (numerals, departments, government levels, rule words) is corpus.legal_text's; this module picks
what a question may ask about and how it varies it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.legal_text import (
    NUMERAL,
    RULE_WORDS,
    Department,
    GovLevel,
    department_cores,
    gov_level_mentions,
    money,
    number_value,
    numeral_text,
)
from corpus.legal_text import departments as all_departments
from corpus.model import Unit

from .domain import QuizDomain, Subject
from .model import ENTERPRISE_TYPES, ROLES

BLANK = "（　　）"
_TO_FULL = str.maketrans({"(": "（", ")": "）"})

# -- statements --------------------------------------------------------------------------------

_ITEM_LINE = re.compile(r"^\s*[(（]([一二三四五六七八九十]+)[)）]\s*")
_SENTENCE = re.compile(r"[^。]+。?")
# A duty or rule: the rule words of corpus.legal_text (应当/不得/必须/禁止, a fine, a definition, a licensing or
# exemption rule), a right (有权: 从业人员有权拒绝违章指挥), or 由…负责.
_RULE = re.compile(
    RULE_WORDS.pattern + r"|有权|由[^，。；]{2,40}?(?:负责|决定|划定|确定|制定|接收|发布|核发|颁发|备案|处罚|审查|组织)"
)
# Text that only makes sense with its context (the previous paragraph, a list, the report just mentioned).
# ("接到报告后" is fine once the statement names who receives it: "单位负责人接到报告后，应当于1小时内…".)
_CONTEXT_WORDS = ("前款", "前项", "本款", "本条第", "本条规定", "下列", "前述", "上述", "接到举报", "依照本条",
                  "前两款", "将其", "把其")
_CONTEXT_START = ("其", "该", "此", "这", "对此", "同时", "但", "具体", "有关部门", "予以批准", "不予批准",
                  "根据鉴定结果", "处理所需", "申请人", "拒不", "逾期", "情节", "构成", "有违法所得", "并")
# A clause after ； that names its own subject, e.g. "安全生产监督管理部门应当自收到报告之日起45日内…".
_SUBJECT_LED = re.compile(
    r"^[^，；：]{0,40}?(?:部门|机关|机构|单位|企业|人员|托运人|承运人|个人|经营人|人民政府|责任人|负责人)"
    r"(?:[^，；：]{1,12}[后时]，)?(?:应当|不得|必须|负责(?!人)|可以)"
)
_ARTICLE_REF = re.compile(r"第[一二三四五六七八九十百零]+条")
# What follows a rule and limits it: "但是…", "…的除外", "除…外", "另有规定的…".
_QUALIFIER = re.compile(r"但|除外|除[^，。；]{1,40}外|另有规定")
_QUALIFIER_START = ("但", "除", "另有规定")
MIN_STATEMENT, MAX_STATEMENT = 14, 165


@dataclass(frozen=True)
class Statement:
    """A rule stated in an article: verbatim text (no final 。) and whether it is a whole sentence."""

    text: str
    unit_id: str
    index: int
    sentence: int  # which sentence of the article it comes from (clauses share their sentence's number)
    whole: bool
    clause: int = 0  # 0 for a whole sentence and its first clause, i for the i-th clause after ；

    @property
    def key(self) -> str:
        return f"{self.unit_id}#{self.index}"

    @property
    def group(self) -> str:
        return f"{self.unit_id}#s{self.sentence}"

    @property
    def fact(self) -> str:
        """The rule stated: a whole sentence and its first clause state the same one."""
        return f"{self.group}c{self.clause}"


def is_rule(text: str) -> bool:
    return bool(_RULE.search(text))


# "从事其他危险化学品经营的企业应当…": 其他 in the subject contrasts with a case named in an earlier sentence.
_OTHER_SUBJECT = re.compile(r"(?<![和及或、])其他")


def self_contained(text: str) -> bool:
    if any(w in text for w in _CONTEXT_WORDS):
        return False
    predicate = _PREDICATE.search(text)
    if predicate and _OTHER_SUBJECT.search(text, 0, predicate.start()):
        return False
    for m in re.finditer(r"该([\u4e00-\u9fff]{2})", text):
        if m.group(1) not in text[:m.start()]:
            return False  # "置于该特种设备的显著位置": the thing was named in an earlier sentence
    return not text.startswith(_CONTEXT_START)


# Addressees a law names again and again: a sentence that starts with one of them stands on its own.
_ADDRESSEES = ("生产经营单位", "用人单位", "危险化学品单位", "从业人员", "劳动者")


def continues(sentence: str, before: str) -> bool:
    """Whether a sentence takes its subject from the sentence before it in the paragraph ("对重复使用的包装物、容器，
    使用单位在重复使用前应当进行检查。使用单位应当对检查情况作出记录"): what precedes its predicate repeats four
    or more characters of that sentence, other than a law-wide addressee."""
    predicate = _PREDICATE.search(sentence)
    lead = sentence[:predicate.start()] if predicate else sentence[:12]
    for name in _ADDRESSEES:
        lead = lead.replace(name, "　")
    return any(lead[i:i + 4] in before for i in range(len(lead) - 3) if "　" not in lead[i:i + 4])


def has_article_ref(text: str) -> bool:
    return bool(_ARTICLE_REF.search(text))


def article_lines(unit: Unit) -> list[tuple[str, bool]]:
    """The article's lines with whether each is an enumerated item (label stripped)."""
    texts = [p.text for p in unit.paragraphs] or [unit.text]
    out = []
    for text in texts:
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            m = _ITEM_LINE.match(line)
            out.append((line[m.end():] if m else line, bool(m)))
    return out


def statements(unit: Unit) -> list[Statement]:
    """Self-contained rule statements: whole sentences, first clauses and subject-led clauses after ；."""
    found: list[str] = []
    meta: list[tuple[int, bool, int]] = []
    number = -1
    for line, is_item in article_lines(unit):
        sentences = [raw.strip().rstrip("。；;").strip() for raw in _SENTENCE.findall(line)]
        listed = "下列" in line  # "存在下列情形之一的，…。…五年内不得担任…：" depends on the list that follows
        for k, sentence in enumerate(sentences):
            if not sentence:
                continue
            number += 1
            if listed or sentence.endswith(("：", ":")):
                continue
            if is_item and not _SUBJECT_LED.match(sentence):
                continue  # a list item (a condition, a measure) is not a statement on its own
            if k and continues(sentence, sentences[k - 1]):
                continue
            # "…。但是…" qualifies the sentence before it: on its own that sentence overstates the rule.
            qualified = k + 1 < len(sentences) and sentences[k + 1].startswith(_QUALIFIER_START)
            pieces = [(sentence, True, 0)]
            clauses = [c.strip() for c in sentence.split("；") if c.strip()]
            if len(clauses) > 1:
                pieces.append((clauses[0], False, 0))
                pieces.extend((c, False, i) for i, c in enumerate(clauses)
                              if i and _SUBJECT_LED.match(c) and not continues(c, clauses[i - 1]))
            for text, whole, clause in pieces:
                if not (MIN_STATEMENT <= len(text) <= MAX_STATEMENT):
                    continue
                if not is_rule(text) or not self_contained(text) or text in found:
                    continue
                rest = sentence[sentence.find(text) + len(text):]
                if qualified or _QUALIFIER.search(rest):
                    continue  # an exception follows ("但是…", "…的除外"): the clause alone would be wrong
                if "逾期未改正" in rest:
                    continue  # "…责令限期改正" without the fine that follows: nothing left to ask
                found.append(text)
                meta.append((number, whole, clause))
    return [Statement(t, unit.unit_id, i, s, w, c) for i, (t, (s, w, c)) in enumerate(zip(found, meta))]


# -- who a rule binds --------------------------------------------------------------------------

# The main predicate of a rule: a modal verb or 负责; a penalty (责令…, 处…罚款) when there is none.
_PREDICATE = re.compile(r"应当|必须|不得|禁止|严禁|可以|有权|只能|方可|不需要|无需|负责(?!人)")
_PENALTY = re.compile(r"责令|处[^，。；]{0,24}罚款|给予[^，。；]{0,8}处分|追究[^，。；]{0,6}责任")
_SEGMENT_RE = re.compile(r"[^，；：]+")
_CONDITION_END = ("的", "时")
_LATER_CLAUSE = ("并", "且", "同时", "还")
_RELATIVE = re.compile(r"[\u4e00-\u9fff]{1,2}的")
_JOINERS = ("以及", "或者", "和", "、", "及", "或")
_OBJECT_MARKS = "向对为给同"  # "向用人单位提供…的": the words after these are an object, not the subject
EVERYONE = "任何单位"  # the subjects.tsv entry a sentence-initial 禁止 binds


@dataclass(frozen=True)
class Holder:
    """Who a rule binds, as the statement names it: the subject phrase and the examinees it concerns."""

    text: str  # the subject phrase as written: 生产经营单位的主要负责人
    start: int
    end: int
    kind: str  # subjects.tsv 类别: 单位 / 人员 bind examinees; 政府 / 其他 do not
    roles: tuple[str, ...]  # () = every role
    enterprise_types: tuple[str, ...]  # () = every type

    @property
    def examinee(self) -> bool:
        return self.kind in ("单位", "人员")


@dataclass(frozen=True)
class Claim:
    """A rule statement read for questions: who it binds and its main predicate."""

    text: str
    holder: Holder | None
    predicate: tuple[int, int, str] | None  # (start, end, word) of the main modal; None for a penalty
    penalty: bool = False
    notes: list[str] = field(default_factory=list, compare=False)

    @property
    def examinee(self) -> bool:
        return self.holder is not None and self.holder.examinee


def _segments(text: str, upto: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if upto is None else upto
    return [(m.start(), m.end()) for m in _SEGMENT_RE.finditer(text[:end])]


def _subject_matches(domain: QuizDomain, text: str, start: int, end: int) -> list[tuple[int, int, Subject]]:
    out = []
    for subject in domain.subjects:
        i = text.find(subject.pattern, start, end)
        while i >= 0:
            if i == start or text[i - 1] not in _OBJECT_MARKS:
                out.append((i, i + len(subject.pattern), subject))
            i = text.find(subject.pattern, i + 1, end)
    return sorted(out, key=lambda m: (m[0], -(m[1] - m[0])))


def _activity_types(domain: QuizDomain, modifier: str) -> tuple[str, ...]:
    """Enterprise types named by the activities in "生产、储存危险化学品的单位"; every hazchem type when none."""
    found = [types for word, types in domain.activities.items() if word in modifier]
    pool = found or list(domain.activities.values())
    return tuple(t for t in ENTERPRISE_TYPES if any(t in types for types in pool))


def _holder(domain: QuizDomain, text: str, matches: list[tuple[int, int, Subject]], seg_start: int,
            from_end: bool = False) -> Holder:
    """The subject phrase among the clause's matches: "X的Y" is Y, "X和Y" binds both.

    In the predicate's own clause the subject is the phrase right before the predicate (`from_end`: "…建设项目的
    施工单位必须…" is the 施工单位); in an earlier clause (a condition: "危险化学品单位发现…的，应当…") it is the
    phrase the clause starts with."""
    if from_end:
        head = max(matches, key=lambda m: (m[1], m[1] - m[0]))
        members, start = [head], head[0]
        while True:
            before = [m for m in matches if m[0] < start and (m[1] >= start or (m[1] + 1 == start
                                                                                and text[m[1]] == "的"))]
            joined = [m for m in matches if m[1] < start and text[m[1]:start] in _JOINERS]
            if before:
                start = min(m[0] for m in before)
            elif joined:
                member = max(joined, key=lambda m: m[1] - m[0])
                members.insert(0, member)
                start = member[0]
            else:
                break
        first = min((m for m in matches if m[0] == start), key=lambda m: -(m[1] - m[0]))
        end = head[1]
    else:
        first = head = matches[0]
        while True:
            reach = head[1] + (1 if text[head[1]:head[1] + 1] == "的" else 0)
            longer = [m for m in matches if head[0] < m[0] <= reach and m[1] > head[1]]
            if not longer:
                break
            head = max(longer, key=lambda m: (m[1], m[1] - m[0]))
        members = [head]
        while True:
            last = members[-1]
            joined = [m for m in matches if m[0] > last[1] and text[last[1]:m[0]] in _JOINERS]
            if not joined:
                break
            members.append(joined[0])
        end = members[-1][1]
    # "建设单位、施工单位不得施工", "任何单位和个人": a rule binding an examinee among others binds the examinee.
    bound = [m[2] for m in members if m[2].examinee] or [head[2]]
    subject = bound[-1]
    roles: tuple[str, ...] = ()
    if all(s.roles for s in bound):
        roles = tuple(dict.fromkeys(r for s in bound for r in s.roles))
    types: list[str] = []
    owner = first[2]  # "危险化学品生产企业从业人员": the enterprise named first narrows the types
    if owner not in bound and owner.examinee and owner.enterprise_types:
        bound = [owner]
    for s in bound:
        if s.enterprise_types is None:
            types.extend(_activity_types(domain, text[seg_start:first[0]]))
        elif not s.enterprise_types:
            types = []
            break
        else:
            types.extend(s.enterprise_types)
    ordered = tuple(t for t in ENTERPRISE_TYPES if t in types)
    return Holder(text[first[0]:end], first[0], end, subject.kind, roles,
                  () if len(ordered) == len(ENTERPRISE_TYPES) else ordered)


# A clause opening with a preposition is an adverbial ("在安全设施设计中，", "对重复使用的包装物，"): what it names
# is not the subject.
_ADVERBIAL = re.compile(r"^(?:在|对(?!外)|依照|按照|根据|依据|除)")
_WHEN = re.compile(r"在[^，；：]{1,30}?(?:时|前|后|中|期间)$")


def holder_before(domain: QuizDomain, text: str, upto: int) -> Holder | None:
    """The subject of a predicate at `upto`: in the nearest clause before it (or its own) naming one."""
    segments = _segments(text, upto)
    fallback: Holder | None = None
    for start, end in reversed(segments):
        if _ADVERBIAL.match(text[start:end]):
            continue
        own = end == upto and (start, end) == segments[-1]  # the predicate's own clause
        if own:  # "使用单位在重复使用前应当…": what the time phrase names is not the subject
            when = _WHEN.search(text, start, end)
            end = when.start() if when else end
        matches = _subject_matches(domain, text, start, end)
        if not matches:
            continue
        if own:
            return _holder(domain, text, matches, start, from_end=True)
        # An earlier clause that starts with its subject ("工会对生产经营单位…，侵犯从业人员合法权益的行为，有权…")
        # wins over a nearer one that only names someone inside it; otherwise the nearest one.
        if matches[0][0] == start:
            return _holder(domain, text, matches, start)
        fallback = fallback or _holder(domain, text, matches, start)
    return fallback


def duty_end(claim: Claim, domain: QuizDomain | None = None) -> int:
    """Where the holder's own duty ends: at the first ；, at a clause handing something to someone else
    ("，由国务院…制定", "，具体办法由…"), or (with the domain) at a clause led by a body no examinee is
    ("，审查部门及其负责审查的人员对审查结果负责"). Blanks and changes stay before it."""
    text = claim.text
    start = claim.predicate[1] if claim.predicate else (claim.holder.end if claim.holder else 0)
    for m in re.finditer(r"；|，(?:由|具体)", text):
        if m.start() >= start:
            end = m.start()
            break
    else:
        end = len(text)
    if domain is not None:
        for seg_start, seg_end in _segments(text):
            if seg_start <= start or seg_start >= end:
                continue
            verb = _PREDICATE.search(text, seg_start, seg_end)
            matches = _subject_matches(domain, text, seg_start, verb.start() if verb else seg_end)
            if matches and not matches[0][2].examinee:
                return seg_start - 1
    return end


def analyse(text: str, domain: QuizDomain) -> Claim:
    """Who a statement binds and its main predicate (the first modal of the main clause after its subject).

    Modals in a condition ("依法应当取得许可的，…", "…时，") or an exception ("除…外") are not the main one.
    A penalty without a modal binds whoever the violation clause names ("生产经营单位未…的，责令…").
    """
    segments = _segments(text)
    if text.startswith(("禁止", "严禁")) and "由" not in text and not _subject_matches(domain, text, 0, len(text)):
        everyone = next((s for s in domain.subjects if s.pattern == EVERYONE), None)
        if everyone is not None:  # "禁止在互联网上销售剧毒化学品": a ban on everyone
            implicit = Holder("", 0, 0, everyone.kind, everyone.roles, everyone.enterprise_types or ())
            return Claim(text, implicit, (0, 2, text[:2]))
    first_clause = text.find("；")
    for m in _PREDICATE.finditer(text):
        if 0 <= first_clause < m.start():
            break  # the main predicate is in the first clause; a later one has its own subject
        seg = next((s for s in segments if s[0] <= m.start() < s[1]), None)
        if seg is None:
            continue
        clause = text[seg[0]:seg[1]]
        if clause.endswith(_CONDITION_END) or "除" in text[seg[0]:m.start()]:
            continue
        if _RELATIVE.match(text, m.end()):
            continue  # "应当具备的安全生产条件": a modal inside a noun phrase, not the predicate
        if clause.startswith(_LATER_CLAUSE):
            continue  # "…的权利，并应当依法履行…义务": a second predicate, not the main one
        holder = holder_before(domain, text, m.start())
        if holder is not None and holder.end <= m.start():
            return Claim(text, holder, (m.start(), m.end(), m.group(0)))
    if _PENALTY.search(text):
        for start, end in segments:
            matches = _subject_matches(domain, text, start, end)
            if matches:
                return Claim(text, _holder(domain, text, matches, start), None, penalty=True)
            if text[start:end].endswith(_CONDITION_END):
                break
        return Claim(text, None, None, penalty=True)
    return Claim(text, None, None)


_DUTY_MODAL = re.compile(r"应当|必须|不得|禁止|严禁|可以|无需|不需要")


def modals_in(text: str) -> list[str]:
    """The predicate words (应当, 不得 …) in a text."""
    return _DUTY_MODAL.findall(text)


_ANSWER_FOR_UNIT = ("主要负责人", "分管安全负责人", "安全管理人员")


def claim_roles(claim: Claim, domain: QuizDomain) -> tuple[str, ...]:
    """The roles a claim is asked of: its holder's, plus those audiences.tsv adds when an enterprise duty names
    them ("…为从业人员提供劳动防护用品" is also for 从业人员); a penalty on a unit only for those who answer for it."""
    holder = claim.holder
    if holder is None or not holder.roles:
        return () if holder is None else holder.roles
    roles = list(holder.roles)
    if holder.kind != "人员" and claim.penalty:
        # A fine on a unit is for those who answer for the unit, not for its workers (2026-12 audit).
        return tuple(r for r in ROLES if r in roles and r in _ANSWER_FOR_UNIT)
    if holder.kind == "单位":
        for word, extra in domain.audiences:
            if word in claim.text:
                roles.extend(extra)
    return tuple(r for r in ROLES if r in roles)


def dept_level(text: str, dept: Department) -> str:
    """The government level a department mention sits at: 国务院 / 省 / 市 / 县 (a local one by default)."""
    if dept.national:
        return "国务院"
    before = text[max(0, dept.start - 24):dept.start]
    mentions = gov_level_mentions(before)
    if mentions and before.endswith(mentions[-1].text):
        level = mentions[-1].level
        return {"国务院": "国务院", "省级": "省", "省、自治区、直辖市": "省", "设区的市级": "市"}.get(level, "县")
    return "县"


# Drafting traces an exam author strikes out: "（以下简称危险化学品登记机构）", "（含聘用合同，下同）".
_DRAFTING_NOTE = re.compile(r"（(?:以下简称|以下统称|以下称|下称)[^（）]{1,30}）|（下同）")
_SAME_BELOW = re.compile(r"(（[^（）]{1,30})[，,]下同）")  # "（…除外，下同）": the exception stays, "下同" goes
# "符合本法第四十九条规定条件的": a cross-reference the examinee cannot look up; "规定" says the same in an exam.
# "遵守该法第三章关于储存危险化学品的规定": a chapter the examinee cannot look up; said as "有关…的规定".
# "违反本法规定，生产经营单位…的，处…罚款": the lead says nothing an exam needs.
_BREACH_LEAD = re.compile(r"^违反(?:本|该)(?:法|条例|办法|规定|细则)(?:的)?规定[，,]")
_CHAPTER_REF = re.compile(r"(?:本|该)(?:法|条例|办法|规定|细则)第[一二三四五六七八九十]+章(?:关于|的)?")
_CROSS_REF = re.compile(r"(?:本|该)(?:法|条例|办法|规定|细则)第[一二三四五六七八九十百零]+条"
                        r"(?:第[一二三四五六七八九十]+款)?(?:第[（(][一二三四五六七八九十]+[)）]项)?(?P<tail>的规定|规定)")


def display(text: str) -> str:
    """Statement text as shown in a stem: full-width brackets, 本条例/本法 named as 该条例/该法, drafting notes
    ("以下简称…", "…下同") struck, a cross-reference "本法第X条规定" said as "有关规定"/"规定"."""
    text = _SAME_BELOW.sub(r"\1）", _DRAFTING_NOTE.sub("", text.translate(_TO_FULL)))
    text = _CROSS_REF.sub(lambda m: "有关规定" if m.group("tail") == "的规定" else "规定", text)
    text = _CHAPTER_REF.sub("有关", text)
    text = _BREACH_LEAD.sub("", text)
    return re.sub(r"本(条例|法|办法|规定|细则)", r"该\1", text)


def clean_item(text: str) -> str:
    return text.strip().rstrip("；;。，,").strip()


# -- numbers -----------------------------------------------------------------------------------

# Number tokens are quiz-specific (what a question may ask about, with the variants it may offer), built on the
# numerals of corpus.legal_text. Amounts of money stand alone or as a fine range; counts have these units.
_COUNT_UNITS = "个工作日|个月|小时|日|天|年|人|次|%|米|公里|吨|倍"
_NUMBER_RE = re.compile(
    rf"(?P<range>(?P<rlo>{NUMERAL})(?P<rlu>万元|元)以上(?P<rhi>{NUMERAL})(?P<rhu>万元|元)以下)"
    r"|(?P<date>(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日)"
    rf"|(?P<amount>(?P<av>{NUMERAL})(?P<au>万元|元)(?P<ab>以上|以下)?)"
    rf"|(?P<count>(?P<cv>{NUMERAL})(?P<cu>{_COUNT_UNITS}))"
)
COUNT_VARIANTS = {
    "日": [1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90],
    "天": [1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90],
    "个工作日": [3, 5, 7, 10, 15, 20, 30],
    "小时": [1, 2, 4, 6, 8, 12, 24, 48, 72],
    "个月": [1, 2, 3, 6, 12],
    "年": [1, 2, 3, 4, 5, 10],
    "人": [1, 2, 3, 4, 5],
    "次": [1, 2, 3, 4],
    "%": [5, 10, 15, 20, 25, 30, 50],
}
AMOUNT_VARIANTS = [1000, 2000, 5000, 10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 300_000, 500_000,
                   1_000_000, 2_000_000, 5_000_000]
RANGE_VARIANTS = [(10_000, 30_000), (10_000, 50_000), (20_000, 50_000), (20_000, 100_000), (50_000, 100_000),
                  (50_000, 200_000), (100_000, 200_000), (100_000, 500_000), (200_000, 500_000),
                  (200_000, 1_000_000), (500_000, 1_000_000), (500_000, 2_000_000), (1_000_000, 2_000_000),
                  (1_000_000, 5_000_000)]


def _num(text: str) -> float:
    """A numeral's value, whole numbers as int (so that values compare and print as written)."""
    value = number_value(text)
    if value is None:
        raise ValueError(f"not a number: {text!r}")
    return int(value) if value.is_integer() else value


def _yuan(value: str, unit: str) -> float:
    return _num(value) * (10_000 if unit == "万元" else 1)


@dataclass(frozen=True)
class NumberToken:
    """A number with its unit as written: a day count, an amount, a fine range, a date."""

    text: str
    start: int
    end: int
    kind: str  # "count:日", "amount:以下", "range", "date"
    value: tuple  # comparable value: (n,), (yuan,), (lo, hi), (y, m, d)
    chinese: bool = False  # written in Chinese numerals (三十日): variants are written the same way

    def render(self, value: tuple) -> str:
        return render_number(self.kind, value, self.chinese)


def render_number(kind: str, value: tuple, chinese: bool = False) -> str:
    if kind == "range":
        return f"{money(value[0], chinese)}以上{money(value[1], chinese)}以下"
    if kind == "date":
        return f"{value[0]}年{value[1]}月{value[2]}日"
    if kind.startswith("amount:"):
        return money(value[0], chinese) + kind.split(":", 1)[1]
    unit = kind.split(":", 1)[1]
    return f"{numeral_text(value[0], chinese)}{unit}"


_ROUND_THE_CLOCK = re.compile(r"(?:应急)?值(?:班|守)|不间断")


def number_tokens(text: str) -> list[NumberToken]:
    out = []
    for m in _NUMBER_RE.finditer(text):
        chinese = not m.group(0)[0].isdigit()
        try:
            if m.group("range"):
                bounds = (_yuan(m.group("rlo"), m.group("rlu")), _yuan(m.group("rhi"), m.group("rhu")))
                out.append(NumberToken(m.group(0), m.start(), m.end(), "range", bounds, chinese))
            elif m.group("date"):
                ymd = (int(m.group("y")), int(m.group("m")), int(m.group("d")))
                out.append(NumberToken(m.group(0), m.start(), m.end(), "date", ymd))
            elif m.group("amount"):
                kind = "amount:" + (m.group("ab") or "")
                amount = (_yuan(m.group("av"), m.group("au")),)
                out.append(NumberToken(m.group(0), m.start(), m.end(), kind, amount, chinese))
            else:
                unit = m.group("cu")
                count = _num(m.group("cv"))
                if unit == "年" and count >= 1900:
                    continue  # a year, not a duration
                if chinese and (unit in ("次", "%") or count == 1):
                    continue  # 一次, 一日: wording, not a quantity to ask about
                if unit == "小时" and _ROUND_THE_CLOCK.match(text, m.end()):
                    continue  # "实行24小时应急值班": round the clock, not a time limit to ask about
                unit = "日" if unit == "天" else unit
                out.append(NumberToken(m.group(0), m.start(), m.end(), f"count:{unit}", (count,), chinese))
        except ValueError:
            continue
    return out


def number_variants(token: NumberToken) -> list[tuple]:
    """Plausible other values of the same kind (for distractors and mutations)."""
    if token.kind == "range":
        return [v for v in RANGE_VARIANTS if v != token.value]
    if token.kind == "date":
        y, m, d = token.value
        shifted = [(y, mm, 1) for mm in (1, 3, 5, 6, 7, 9, 10, 12)] + [(y - 1, m, d), (y + 1, m, d)]
        return [v for v in shifted if v != token.value]
    if token.kind.startswith("amount:"):
        base = token.value[0]
        return [(v,) for v in AMOUNT_VARIANTS if v != base and base / 20 <= v <= base * 20]
    unit = token.kind.split(":", 1)[1]
    n = token.value[0]
    pool = COUNT_VARIANTS.get(unit) or sorted({n * 2, n * 3, max(1, n // 2), n + 1})
    return [(v,) for v in pool if v != n]


def mutation_direction(text: str, token: NumberToken) -> int:
    """Which way a changed value is certainly not implied by the rule: +1 larger, -1 smaller, 0 either.

    "7日前通知" -> 15日前 (a stricter notice the law does not require); "5日内" -> 3日内; "不得少于2年" ->
    3年; "每3年一次" -> 每2年; a fine cap "5万元以下" -> 10万元以下 (beyond the authority given).
    """
    before = text[max(0, token.start - 5):token.start]
    after = text[token.end:token.end + 3]
    if token.kind in ("range", "date"):
        return 0
    if token.kind.startswith("amount:"):
        return 1
    if re.search(r"(不得少于|不少于|至少|满)$", before) or after.startswith(("以上", "前")):
        return 1
    if re.search(r"(不超过|不得超过|最长|每)$", before) or after.startswith(("内", "以内", "以下")):
        return -1
    return 0


def clearly_different(token: NumberToken, value: tuple) -> bool:
    """A changed fine range must not overlap the original; other kinds just differ."""
    if token.kind == "range":
        lo, hi = token.value
        return value[1] <= lo or value[0] >= hi
    return value != token.value


# -- departments -------------------------------------------------------------------------------

# A department mention (corpus.legal_text.Department): text as written, core as written (安全生产监督管理, not
# renamed: the question quotes the article), national, start/end, clean.
DeptMention = Department


def departments(text: str) -> list[Department]:
    """The departments a question may ask about or swap: each one particular department named in full
    (not 负有…职责的部门 or 原发证机关, whose meaning depends on the matter)."""
    return [d for d in all_departments(text) if d.specific]


def dept_cores_in(text: str) -> set[str]:
    """Every department core named in a text as written, including the members of abbreviated lists."""
    return department_cores(text, renamed=False)


# -- licences and levels -----------------------------------------------------------------------

_LICENCE_RE = re.compile(r"(?:取得|核发|颁发|持|凭|申请|吊销)([\u4e00-\u9fff]{2,16}?(?:许可证|通行证|证书))")
_LICENCE_BAD = re.compile(r"的|相应|相关|有关|其|上岗|资格|本单位|依照|规定|持|凭|人")


def licence_terms(texts: list[str]) -> list[str]:
    """Names of licences and certificates granted in the texts (e.g. 危险化学品经营许可证), longest first."""
    terms: list[str] = []
    for text in texts:
        for m in _LICENCE_RE.finditer(text):
            term = re.sub(r"^(?:申请|依法|取得)+", "", m.group(1))
            if len(term) >= 6 and not _LICENCE_BAD.search(term) and term not in terms:
                terms.append(term)
    return sorted(terms, key=lambda t: (-len(t), t))


# Administrative levels of a 人民政府: the first three are what laws assign duties to; the last is a distractor.
LEVELS = ["县级", "设区的市级", "省、自治区、直辖市", "乡、镇"]
_ASKED_LEVELS = ("县级", "设区的市级", "省、自治区、直辖市", "省级")


def level_mentions(text: str) -> list[GovLevel]:
    """The levels a question may ask about or swap: one of the three duty levels right before 人民政府
    (设区的市级人民政府, not 县级以上地方人民政府); start/end span the level words."""
    return [g for g in gov_level_mentions(text) if g.level in _ASKED_LEVELS and g.plain]


# -- topics ------------------------------------------------------------------------------------

def chapter(unit: Unit) -> str | None:
    for part in reversed(unit.path):
        m = re.match(r"^第[一二三四五六七八九十百零]+章\s*(.+)$", part)
        if m:
            return m.group(1).strip()
    return unit.path[0].strip() if unit.path else None


def topics(unit: Unit, text: str, domain: QuizDomain, limit: int = 3) -> list[str]:
    """The article's chapter, then up to `limit` topics of quiz/data/topics.tsv whose keywords the text has."""
    out = []
    head = chapter(unit)
    if head:
        out.append(head)
    out.extend([topic for topic, words in domain.topics if any(w in text for w in words)][:limit])
    return list(dict.fromkeys(out))
