"""The vocabulary of legal texts, in one place: numbers and amounts with units, fine ranges, departments (with
the 2018 renamings), government levels, modal verbs and dates. Used by the violation catalog, quiz generation
(quiz.generate_text), the outdated-item check (quiz.outdated), the exam solver (quiz.solver) and the CLI and
web date options.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .numbers import from_chinese, to_chinese
from .text import clause_start

# -- numbers and amounts --------------------------------------------------------------------------------------

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_CN_SMALL = CN_DIGITS.replace("万", "")
# A numeral: Arabic (not the day of a date: 12月31日, but 每月40%), or Chinese not part of a word or an ordinal
# (第三十日, 统一) and not a bare 万 (上万元, 每万元 name no amount).
NUMERAL = rf"(?:(?<![\d.])(?<!\d月)\d+(?:\.\d+)?|(?<![第统单唯同逐{CN_DIGITS}])[{_CN_SMALL}][{CN_DIGITS}]*)"
# Amount units as written -> as compared (万元 amounts are multiplied out: 二十万元 -> 200000 元).
UNITS = {"万元": "元", "元": "元", "个工作日": "工作日", "工作日": "工作日", "日": "日", "天": "日", "小时": "小时",
         "分钟": "分钟", "个月": "月", "年": "年", "倍": "倍", "%": "%", "％": "%"}
# Units of counted things (people, times, lengths, weights, floors ...): a number before one is a number too,
# though not an amount that `amounts` reports.
COUNT_UNITS = ("周岁", "周", "人", "名", "次", "米", "公里", "千米", "吨", "级", "个", "公斤", "千克", "平方米",
               "立方米", "层", "台")
_UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
# Every unit a number is written with, as a regex alternation, longest first (个工作日 before 个, 周岁 before 周).
NUMBER_UNIT = "|".join(sorted(map(re.escape, {*UNITS, *COUNT_UNITS}), key=lambda u: (-len(u), u)))
_AMOUNT = re.compile(rf"(?P<num>{NUMERAL})\s*(?P<unit>{_UNIT_RE})(?P<bound>以上|以下|以内)?")
_PERCENT = re.compile(rf"百分之(?P<num>{NUMERAL})(?P<bound>以上|以下)?")
_DATE_CN = re.compile(rf"[\d{CN_DIGITS}]{{2,4}}年[\d{CN_DIGITS}]{{1,3}}月[\d{CN_DIGITS}]{{1,3}}日"
                      rf"|[\d{CN_DIGITS}]{{1,3}}月[\d{CN_DIGITS}]{{1,3}}日|[\d〇零一二三四五六七八九]{{4}}年")
# A Chinese numeral right before a unit; 万 stays with the unit (二十万元 -> 二十 + 万元).
_CN_BEFORE_UNIT = re.compile(rf"(?<![第统单唯同逐{CN_DIGITS}])([{_CN_SMALL}]+)(?=(?:{NUMBER_UNIT}))")


def number_value(numeral: str) -> float | None:
    """'十五' -> 15, '二十万' -> 200000, '5' -> 5, '0.5' -> .5; None when it is not a number."""
    numeral = numeral.strip()
    if not numeral:
        return None
    if numeral[0].isdigit():
        try:
            return float(numeral)
        except ValueError:
            return None
    try:
        if "万" in numeral:
            high, _, low = numeral.partition("万")
            return float((from_chinese(high) if high else 1) * 10000 + (from_chinese(low) if low else 0))
        return float(from_chinese(numeral))
    except ValueError:
        return None


def numeral_text(value: float, chinese: bool = False) -> str:
    """A number as a text writes it: 15 -> '15' or '十五', 0.5 -> '0.5', 30000 -> '30000' or '三万'.

    Chinese numerals are for whole numbers below 10^8; others are written in Arabic digits."""
    whole = float(value).is_integer()
    if chinese and whole and 0 <= value < 100_000_000:
        high, low = divmod(int(value), 10_000)
        if not high:
            return to_chinese(low)
        rest = to_chinese(low) if low else ""
        if 0 < low < 1000:  # 十万零五, 十万零一十五
            rest = "零" + ("一" + rest if rest.startswith("十") else rest)
        return f"{to_chinese(high)}万{rest}"
    return str(int(value)) if whole else f"{value:g}"


def arabic_numerals(text: str) -> str:
    """Chinese numerals before a unit in Arabic digits: 十五日 -> 15日, 两年 -> 2年, 二十万元 -> 20万元."""
    def arabic(m: re.Match) -> str:
        value = number_value(m.group(1))
        return m.group(1) if value is None else numeral_text(value)

    return _CN_BEFORE_UNIT.sub(arabic, text or "")


def amount_label(value: float, unit: str) -> str:
    """(50000, '元') -> '5万元', (15, '日') -> '15日'."""
    if unit == "元" and value >= 10000:
        return f"{value / 10000:g}万元"
    return f"{value:g}{unit}"


@dataclass(frozen=True)
class Amount:
    """A number with its unit as written: '五万元以下' -> Amount(50000, '元', '以下')."""

    value: float
    unit: str  # 元, 日, 工作日, 小时, 分钟, 月, 年, 倍, %
    bound: str | None  # 以上 / 以下 / 以内 / None
    start: int
    end: int
    text: str

    def label(self) -> str:
        return amount_label(self.value, self.unit)


def amounts(text: str, with_dates: bool = False) -> list[Amount]:
    """Every amount with a unit, in order. Dates (2021年6月10日) are skipped unless asked for, and so is anything
    overlapping one ("1.2022年以来": a list number before a year)."""
    text = text or ""
    blocked = [] if with_dates else [(m.start(), m.end()) for m in _DATE_CN.finditer(text)]
    out = []
    for m in _AMOUNT.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in blocked):
            continue
        value = number_value(m.group("num"))
        if value is None:
            continue
        raw_unit = m.group("unit")
        if raw_unit == "万元":
            value *= 10000
        out.append(Amount(value, UNITS[raw_unit], m.group("bound"), m.start(), m.end(), m.group(0)))
    for m in _PERCENT.finditer(text):
        value = number_value(m.group("num"))
        if value is not None:
            out.append(Amount(value, "%", m.group("bound"), m.start(), m.end(), m.group(0)))
    return sorted(out, key=lambda a: a.start)


def amount_set(text: str) -> set[tuple[float, str]]:
    """{(value, unit)} of a text: what a statement asserts, for comparing two texts."""
    return {(a.value, a.unit) for a in amounts(text)}


def money(value: float, chinese: bool = False) -> str:
    """50000 -> 5万元 (五万元 in Chinese numerals), 15000 -> 1.5万元, 2000 -> 2000元 (二千元)."""
    if value >= 10_000 and value % 10_000 == 0:  # 亿 is not written: 20000万元
        return f"{numeral_text(value // 10_000, chinese and value < 100_000_000)}万元"
    if value >= 10_000:
        return f"{value / 10_000:g}万元"
    return f"{numeral_text(value, chinese)}元"


def fine_range(fine: dict | None, joiner: str = "–") -> str:
    """A fine {min, max, unit, basis} as people write it: 20万元以下, 1万元–5万元, 违法所得2倍–5倍, 5万元以上;
    "" when there is none. A minimum of 0 is no minimum."""
    if not fine:
        return ""
    low, high, unit = fine.get("min") or None, fine.get("max"), fine.get("unit") or "元"
    basis = fine.get("basis") or ""

    def amount(value: float) -> str:
        return money(value) if unit == "元" else f"{value:g}{'倍' if unit == '倍' else '%'}"

    if low is not None and high is not None:
        return f"{basis}{amount(low)}" if low == high else f"{basis}{amount(low)}{joiner}{amount(high)}"
    if high is not None:
        return f"{basis}{amount(high)}以下"
    return f"{basis}{amount(low)}以上" if low is not None else ""



def fine_text(fine: dict | None) -> str:
    """罚款20万元以下 / 罚款1万元至5万元, as an answer states it; "" when the penalty sets no fine."""
    label = fine_range(fine, "至")
    return f"罚款{label}" if label else ""


# -- fines -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fine:
    """A fine as a penalty clause states it: '处五万元以上十万元以下的罚款' -> Fine(50000, 100000, '元').
    A multiple of a basis ('违法所得一倍以上五倍以下') has unit '倍' and the basis named."""

    min: float | None
    max: float | None
    unit: str  # 元, 倍 or %
    basis: str | None  # 违法所得, 货值金额, 上一年年收入 ... for 倍 and %
    target: str | None  # who is fined when the clause names them (直接负责的主管人员 ...), None for the unit
    text: str  # the clause as written

    def label(self) -> str:
        def fmt(v: float) -> str:
            return money(v) if self.unit == "元" else f"{v:g}{'倍' if self.unit == '倍' else '%'}"

        basis = self.basis or ""
        if self.min is not None and self.max is not None:
            return f"{basis}{fmt(self.min)}以上{fmt(self.max)}以下"
        if self.max is not None:
            return f"{basis}{fmt(self.max)}以下"
        return f"{basis}{fmt(self.min)}" if self.min is not None else basis


# One fine: "处X以上Y以下的罚款", "处Y以下的罚款", "并处违法所得一倍以上五倍以下的罚款",
# "处上一年年收入百分之三十的罚款".
# 刑法's articles sanction crimes: "处三年以下有期徒刑或者拘役".
CRIMINAL_SANCTION = re.compile(r"处.{0,12}(?:有期徒刑|拘役|管制)")
_FINE = re.compile(r"(?:处|并处|单处|罚款)(?P<body>[^。；;，]{0,60}?)(?:的)?罚款")
_BASIS = re.compile(r"(违法所得|货值金额|上一年年收入|年收入|违法销售额|违法经营额|违法收入)")
_TARGET = re.compile(r"对(?:其)?(直接负责的主管人员和其他直接责任人员|直接负责的主管人员|主要负责人|个人|有关人员"
                     r"|从业人员)")


def fines(text: str) -> list[Fine]:
    """The fines a penalty clause states, in order, each with who is fined when the clause says so."""
    out = []
    for m in _FINE.finditer(text or ""):
        body = m.group("body")
        found = amounts(body)
        money_ = [a for a in found if a.unit in ("元", "倍", "%")]
        if not money_:
            continue
        unit = money_[0].unit
        lows = [a.value for a in money_ if a.bound == "以上"]
        highs = [a.value for a in money_ if a.bound in ("以下", "以内")]
        if not lows and not highs:
            # "百分之六十至百分之一百": a range without 以上/以下; one amount alone is fixed (处二百元罚款)
            lows, highs = [money_[0].value], [money_[-1].value]
        basis = _BASIS.search(body)
        before = (text or "")[max(0, m.start() - 40):m.start()]
        target = None
        for t in _TARGET.finditer(before):
            target = t.group(1)
        out.append(Fine(min(lows) if lows else None, max(highs) if highs else None, unit,
                        basis.group(1) if basis and unit != "元" else None, target, m.group(0)))
    return out


# -- who a duty falls on ---------------------------------------------------------------------------------------

DUTY_WORDS = re.compile(r"应当|不得|必须|禁止|严禁")
# An article that says what the law applies to or what its words mean ("…适用本条例", "本法下列用语的含义").
_SCOPE_OR_TERMS = re.compile(r"适用本(?:法|条例|规定)|本(?:法|条例|规定)所称|下列用语的含义")


def scope_or_terms(text: str) -> bool:
    """The article only sets the law's scope or defines its words: it lays no duty a unit could break."""
    return bool(_SCOPE_OR_TERMS.search(text)) and not DUTY_WORDS.search(text)


# The bodies a duty of the authorities is laid on, as the subject of its clause.
# (机关 alone is also a unit: "机关、团体、企业、事业等单位应当履行下列消防安全职责", 消防法第十六条.)
_AUTHORITY_SUBJECT = re.compile(r"人民政府|国务院|管理部门|主管部门|职责的部门|行政部门|有关部门|消防救援机构"
                                r"|(?:公安|监察|行政|管理|颁发管理)机关")


def duty_subject(text: str) -> str | None:
    """The words before the 款's first duty word in its clause (its subject: "县级以上地方人民政府" in "…，县级以上地方
    人民政府应当…"); None when the 款 has no duty word."""
    first = DUTY_WORDS.search(text)
    return None if first is None else text[clause_start(text, first.start()):first.start()]


def authority_duty(text: str) -> bool:
    """The 款 lays its duty on a government body, not on a unit or a person: the clause of its first duty word has
    one as its subject ("县级以上地方人民政府应当…对…加油站、加气站等进行规划", 危险化学品安全法第二十一条); a 款
    without a duty word, when its opening clause names one ("…实施安全监督管理的有关部门…，依照下列规定履行职责")
    or the state."""
    subject = duty_subject(text)
    if subject is None:  # or the state's policy ("国家对危险化学品的生产、储存实行统筹规划")
        opening = re.split(r"[，。；：]", text, maxsplit=1)[0]
        return opening.startswith("国家") or bool(_AUTHORITY_SUBJECT.search(opening))
    return bool(_AUTHORITY_SUBJECT.search(subject))


# -- departments and government levels -------------------------------------------------------------------------

# THE list of departments: name cores as the laws write them, each with what the department is called since the
# 2018 State Council reorganisation (the bank questions and older regulations use the old names).
DEPARTMENTS: dict[str, str] = {
    "安全生产监督管理": "应急管理", "应急管理": "应急管理", "负有安全生产监督管理职责": "负有安全生产监督管理职责",
    "负有危险化学品安全监督管理职责": "负有危险化学品安全监督管理职责",
    "工业和信息化": "工业和信息化", "环境保护": "生态环境", "生态环境": "生态环境",
    "质量监督检验检疫": "市场监督管理", "质量技术监督": "市场监督管理", "工商行政管理": "市场监督管理",
    "市场监督管理": "市场监督管理", "特种设备安全监督管理": "特种设备安全监督管理", "交通运输": "交通运输",
    "邮政管理": "邮政管理", "港口行政管理": "港口行政管理", "卫生": "卫生健康", "卫生健康": "卫生健康",
    "卫生行政": "卫生健康", "农业": "农业农村", "农业农村": "农业农村", "铁路监管": "铁路监管", "民用航空": "民用航空",
    "住房和城乡建设": "住房和城乡建设", "住房城乡建设": "住房和城乡建设", "建设": "住房和城乡建设", "公安": "公安",
    "商务": "商务", "海关": "海关", "消防救援": "消防救援", "公安消防": "消防救援", "自然资源": "自然资源",
    "水行政": "水行政", "人力资源社会保障": "人力资源社会保障", "劳动保障": "人力资源社会保障", "财政": "财政",
    # 社会保险行政部门 (工伤保险条例, 社会保险法) is the 人社 department; not 劳动行政部门, which in 矿山安全法 is the
    # mine safety authority and in 劳动法 the labour one.
    "社会保险行政": "人力资源社会保障", "劳动保障行政": "人力资源社会保障", "人力资源社会保障行政": "人力资源社会保障",
    "燃气管理": "燃气管理", "监察": "监察",
}
# Bodies named whole, without a suffix (工会 also as 工会组织): their name is their core and their current name.
# 负有监督管理职责的行政主管部门: 易制毒化学品管理条例's penalty authority (药品监督管理、公安、应急管理、商务 …, each
# for what it supervises).
SPECIAL_DEPARTMENTS = ("海事管理机构", "港口行政管理部门", "原发证机关", "颁发管理机关", "工会",
                       "负有监督管理职责的行政主管部门")
# Named by the role they have in a matter, not one particular department: 原发证机关, 负有…职责的部门, 负责…的部门.
_ROLE_DEPARTMENTS = ("原发证机关", "颁发管理机关", "负有监督管理职责的行政主管部门")
# Words before a core that make it something else: 医疗卫生机构 (hospitals), 煤矿安全监察机构 (not 监察机关).
_NOT_AFTER = {"卫生": "医疗", "监察": "安全"}
_DEPT_CORES = sorted(DEPARTMENTS, key=len, reverse=True)
_CORE_RE = "|".join(f"(?<!{_NOT_AFTER[c]}){c}" if c in _NOT_AFTER else c for c in _DEPT_CORES)
_DEPT_RE = re.compile(rf"(?P<national>国务院)?(?P<core>{_CORE_RE})(?P<suffix>主管部门|的部门|部门|机关|机构)"
                      rf"|(?P<special>{'|'.join(SPECIAL_DEPARTMENTS)})(?:(?<=工会)组织)?")


@dataclass(frozen=True)
class Department:
    text: str  # as written: 国务院安全生产监督管理部门, 公安机关, 负有危险化学品安全监督管理职责的部门
    core: str  # as written, without suffix: 安全生产监督管理
    current: str  # the name since 2018: 应急管理
    national: bool
    start: int
    end: int
    clean: bool  # not a member of an abbreviated list ("工业和信息化、公安、…农业主管部门")

    @property
    def name(self) -> str:
        """The department as it is called today: 应急管理部门, 公安机关, 市场监督管理部门."""
        if self.core in SPECIAL_DEPARTMENTS:
            return self.core
        if self.current.startswith("负有"):
            return f"{self.current}的部门"
        suffix = "机关" if self.current in ("公安", "监察") else "部门"
        return f"{'国务院' if self.national else ''}{self.current}{suffix}"

    @property
    def specific(self) -> bool:
        """One particular department (公安机关, 海事管理机构, 工会), not a department named by its role in the
        matter (负有…职责的部门, 负责特种设备安全监督管理的部门, 原发证机关)."""
        return not self.text.endswith("的部门") and self.core not in _ROLE_DEPARTMENTS


def departments(text: str) -> list[Department]:
    """Every department named in full (core and suffix), in order."""
    out = []
    for m in _DEPT_RE.finditer(text or ""):
        if m.group("special"):
            core = m.group("special")
            current, national = core, False
        else:
            core, national = m.group("core"), bool(m.group("national"))
            current = DEPARTMENTS[core]
        start = m.start()
        clean = True
        if start > 0 and text[start - 1] in "、和及" and not national:
            # "A部门、B部门" is a list of full names; "工业和信息化、公安、卫生主管部门" is abbreviated.
            clean = bool(re.search(r"(部门|机关|机构)$", text[:start - 1]))
        out.append(Department(m.group(0), core, current, national, start, m.end(), clean))
    return out


def department_cores(text: str, renamed: bool = True) -> set[str]:
    """Every department named in a text, including members of abbreviated lists ("环境保护、公安、卫生主管部门"):
    by its current name, or as written (renamed=False: the `core` of a Department)."""
    text = text or ""
    cores = {c for c in _DEPT_CORES if c in text}
    specials = {s for s in SPECIAL_DEPARTMENTS if s in text}
    return ({DEPARTMENTS[c] for c in cores} if renamed else cores) | specials


GOV_LEVEL = re.compile(r"(乡、镇|县级|设区的市级|省级|省、自治区、直辖市|国务院)(以上)?(?:地方)?(?:各级)?人民政府")
# Two ways of writing one level.
SAME_LEVEL = {"省级": "省、自治区、直辖市"}


@dataclass(frozen=True)
class GovLevel:
    """A government named by its level: '县级以上地方人民政府' -> GovLevel('县级', True, ...)."""

    level: str  # 乡、镇 / 县级 / 设区的市级 / 省级 / 省、自治区、直辖市 / 国务院
    above: bool  # 以上
    start: int  # of the level words: text[start:end] == level
    end: int
    text: str  # the whole mention: 县级以上地方人民政府

    @property
    def plain(self) -> bool:
        """The level words right before 人民政府 (县级人民政府, not 县级以上地方人民政府)."""
        return self.text == self.level + "人民政府"


def gov_level_mentions(text: str) -> list[GovLevel]:
    return [GovLevel(m.group(1), bool(m.group(2)), m.start(1), m.end(1), m.group(0))
            for m in GOV_LEVEL.finditer(text or "")]


def gov_levels(text: str, same: bool = False) -> list[str]:
    """Government levels named: ['县级以上', '设区的市级'] for '县级以上地方人民政府 … 设区的市级人民政府'.
    same=True writes each level one way (省级 -> 省、自治区、直辖市)."""
    out = [g.level + ("以上" if g.above else "") for g in gov_level_mentions(text)]
    if same:
        for written, one in SAME_LEVEL.items():
            out = [x.replace(written, one) for x in out]
    return out


# -- modal verbs ---------------------------------------------------------------------------------------------

# (pattern, kind): kind is must / forbid / may / maynot / right / noright / only. Longer forms first.
MODALS: list[tuple[str, str]] = [
    ("可以不", "maynot"), ("不必", "maynot"), ("无需", "maynot"), ("无须", "maynot"), ("不需要", "maynot"),
    ("不需", "maynot"), ("不得", "forbid"), ("禁止", "forbid"), ("严禁", "forbid"), ("不准", "forbid"),
    ("不应当", "forbid"), ("不应", "forbid"), ("不能", "forbid"), ("不允许", "forbid"), ("应当", "must"),
    ("必须", "must"), ("应(?![急用对聘收届付答变征验有])", "must"), ("(?<![必无])须(?!知)", "must"),
    ("可以", "may"), ("允许", "may"), ("(?<![不])可(?![能靠燃行视见信疑以])", "may"), ("有权", "right"),
    ("无权", "noright"), ("只能", "only"),
]
NEGATIVE_MODALS = frozenset({"maynot", "forbid", "noright"})
_MODAL_RE = re.compile("|".join(f"(?P<m{i}>{pattern})" for i, (pattern, _) in enumerate(MODALS)))
# Words that make a sentence a rule: a duty, a ban, a permission, a definition, a fine.
RULE_WORDS = re.compile(r"应当|不得|必须|禁止|严禁|不需要|方可|只能|负责(?!人)|是指|处[^，。；]{0,24}罚款")


def modals(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each modal verb."""
    out = []
    for m in _MODAL_RE.finditer(text or ""):
        index = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        out.append((m.start(), m.end(), MODALS[index][1]))
    return out


# -- dates ---------------------------------------------------------------------------------------------------

def iso_date(value: str) -> date:
    """'2026-05-01' -> date; ValueError with a message for users (in Chinese) otherwise."""
    text = value.strip() if isinstance(value, str) else value
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        raise ValueError(f"日期格式应为 YYYY-MM-DD，例如 2026-05-01，而不是“{text}”") from None
