"""The vocabulary of legal texts, in one place: amounts with units, fine ranges, departments (with the 2018
renamings), government levels, modal verbs and dates. Used by the violation catalog, quiz generation, the
outdated-item check, the exam solver and the CLI/web date options.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .numbers import from_chinese

# -- numbers and amounts --------------------------------------------------------------------------------------

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# A numeral: Arabic (not the day of a date: 12月31日), or Chinese not part of a word or an ordinal (第三十日, 统一).
NUMERAL = rf"(?:(?<![\d.月])\d+(?:\.\d+)?|(?<![第统单唯同逐{CN_DIGITS}])[{CN_DIGITS}]+)"
UNITS = {"万元": "元", "元": "元", "个工作日": "工作日", "工作日": "工作日", "日": "日", "天": "日", "小时": "小时",
         "分钟": "分钟", "个月": "月", "年": "年", "倍": "倍", "%": "%", "％": "%"}
_UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_AMOUNT = re.compile(rf"(?P<num>{NUMERAL})\s*(?P<unit>{_UNIT_RE})(?P<bound>以上|以下|以内)?")
_PERCENT = re.compile(rf"百分之(?P<num>{NUMERAL})(?P<bound>以上|以下)?")
_DATE_CN = re.compile(rf"[\d{CN_DIGITS}]{{2,4}}年[\d{CN_DIGITS}]{{1,3}}月[\d{CN_DIGITS}]{{1,3}}日"
                      rf"|[\d{CN_DIGITS}]{{1,3}}月[\d{CN_DIGITS}]{{1,3}}日|[\d〇零一二三四五六七八九]{{4}}年")


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
        if self.unit == "元" and self.value >= 10000:
            return f"{self.value / 10000:g}万元"
        return f"{self.value:g}{self.unit}"


def amounts(text: str, with_dates: bool = False) -> list[Amount]:
    """Every amount with a unit, in order. Dates (2021年6月10日) are skipped unless asked for."""
    text = text or ""
    blocked = [] if with_dates else [(m.start(), m.end()) for m in _DATE_CN.finditer(text)]
    out = []
    for m in _AMOUNT.finditer(text):
        if any(s <= m.start() < e for s, e in blocked):
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


def money(value: float) -> str:
    """50000 -> 5万元, 2000 -> 2000元."""
    return f"{value / 10000:g}万元" if value >= 10000 else f"{value:g}元"


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


# One fine: "处X以上Y以下的罚款", "处Y以下的罚款", "并处违法所得一倍以上五倍以下的罚款", "处上一年年收入百分之三十的罚款".
_FINE = re.compile(r"(?:处|并处|单处|罚款)(?P<body>[^。；;，]{0,60}?)(?:的)?罚款")
_BASIS = re.compile(r"(违法所得|货值金额|上一年年收入|年收入|违法销售额|违法经营额|违法收入)")
_TARGET = re.compile(r"对(?:其)?(直接负责的主管人员和其他直接责任人员|直接负责的主管人员|主要负责人|个人|有关人员|从业人员)")


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


# -- departments and government levels -------------------------------------------------------------------------

# Department name cores as the laws write them; the value is what the department is called since the 2018
# State Council reorganisation (the bank questions and older regulations use the old names).
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
    "燃气管理": "燃气管理", "监察": "监察",
}
_DEPT_CORES = sorted(DEPARTMENTS, key=len, reverse=True)
_DEPT_RE = re.compile(r"(?P<national>国务院)?(?P<core>" + "|".join(_DEPT_CORES) + r")(?P<suffix>主管部门|的部门|部门|机关|机构)"
                      r"|(?P<special>海事管理机构|港口行政管理部门|原发证机关|颁发管理机关|工会)")


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
        if self.core in ("海事管理机构", "原发证机关", "颁发管理机关", "工会"):
            return self.core
        if self.current.startswith("负有"):
            return f"{self.current}的部门"
        suffix = "机关" if self.current in ("公安", "监察") else "部门"
        return f"{'国务院' if self.national else ''}{self.current}{suffix}"


def departments(text: str) -> list[Department]:
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


def department_cores(text: str) -> set[str]:
    """Every department named in a text, by its current name, including members of abbreviated lists."""
    return {DEPARTMENTS[c] for c in _DEPT_CORES if c in (text or "")} | ({"海事"} if "海事" in (text or "") else set())


GOV_LEVEL = re.compile(r"(乡、镇|县级|设区的市级|省级|省、自治区、直辖市|国务院)(以上)?(?:地方)?(?:各级)?人民政府")


def gov_levels(text: str) -> list[str]:
    """Government levels named: ['县级以上', '设区的市级'] for '县级以上地方人民政府 … 设区的市级人民政府'."""
    return [m.group(1) + (m.group(2) or "") for m in GOV_LEVEL.finditer(text or "")]


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
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"日期“{value}”无效，请写成 YYYY-MM-DD，例如 2026-05-01") from exc
