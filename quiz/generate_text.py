"""Text analysis for rule-based question generation: rule statements, numbers, departments, licences, levels.

Everything here works on the verbatim article text; nothing is paraphrased except by the callers. The legal
vocabulary (numerals, departments, government levels, rule words) is corpus.legal_text's; this module picks
what a question may ask about and how it varies it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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

BLANK = "（　　）"
_TO_FULL = str.maketrans({"(": "（", ")": "）"})

# -- statements --------------------------------------------------------------------------------

_ITEM_LINE = re.compile(r"^\s*[(（]([一二三四五六七八九十]+)[)）]\s*")
_SENTENCE = re.compile(r"[^。]+。?")
# A duty or rule: the rule words of corpus.legal_text (应当/不得/必须/禁止, a fine, a definition, a licensing or
# exemption rule), or 由…负责.
_RULE = re.compile(
    RULE_WORDS.pattern + r"|由[^，。；]{2,40}?(?:负责|决定|划定|确定|制定|接收|发布|核发|颁发|备案|处罚|审查|组织)"
)
# Text that only makes sense with its context (the previous paragraph, a list, the report just mentioned).
_CONTEXT_WORDS = ("前款", "前项", "本款", "本条第", "本条规定", "下列", "前述", "上述", "接到报告", "接到举报",
                  "依照本条", "前两款")
_CONTEXT_START = ("其", "该", "此", "这", "对此", "同时", "但", "具体", "有关部门", "予以批准", "不予批准",
                  "根据鉴定结果", "处理所需", "申请人", "拒不", "逾期", "情节", "构成", "有违法所得", "并")
# A clause after ； that names its own subject, e.g. "安全生产监督管理部门应当自收到报告之日起45日内…".
_SUBJECT_LED = re.compile(
    r"^[^，；：]{0,40}?(?:部门|机关|机构|单位|企业|人员|托运人|承运人|个人|经营人|人民政府|责任人)"
    r"(?:应当|不得|必须|负责(?!人)|可以)"
)
_ARTICLE_REF = re.compile(r"第[一二三四五六七八九十百零]+条")
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


def self_contained(text: str) -> bool:
    if any(w in text for w in _CONTEXT_WORDS):
        return False
    return not text.startswith(_CONTEXT_START)


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
        for raw in _SENTENCE.findall(line):
            sentence = raw.strip().rstrip("。；;").strip()
            if not sentence:
                continue
            number += 1
            if is_item and not _SUBJECT_LED.match(sentence):
                continue  # a list item (a condition, a measure) is not a statement on its own
            pieces = [(sentence, True, 0)]
            clauses = [c.strip() for c in sentence.split("；") if c.strip()]
            if len(clauses) > 1:
                pieces.append((clauses[0], False, 0))
                pieces.extend((c, False, i) for i, c in enumerate(clauses) if i and _SUBJECT_LED.match(c))
            for text, whole, clause in pieces:
                if not (MIN_STATEMENT <= len(text) <= MAX_STATEMENT):
                    continue
                if not is_rule(text) or not self_contained(text) or text in found:
                    continue
                found.append(text)
                meta.append((number, whole, clause))
    return [Statement(t, unit.unit_id, i, s, w, c) for i, (t, (s, w, c)) in enumerate(zip(found, meta))]


def display(text: str) -> str:
    """Statement text as shown in a stem: full-width brackets, 本条例/本法 named as 该条例/该法."""
    text = text.translate(_TO_FULL)
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

KEYWORDS = ("剧毒化学品", "易制爆危险化学品", "重大危险源", "安全评价", "应急预案", "应急救援", "安全生产许可证",
            "安全使用许可证", "经营许可证", "购买许可证", "道路运输通行证", "登记", "专用仓库", "包装", "安全标签",
            "安全技术说明书", "押运", "内河", "港口", "监督检查", "罚款", "事故", "管道", "安全条件审查", "废弃")


def chapter(unit: Unit) -> str | None:
    for part in reversed(unit.path):
        m = re.match(r"^第[一二三四五六七八九十百零]+章\s*(.+)$", part)
        if m:
            return m.group(1).strip()
    return unit.path[0].strip() if unit.path else None


def topics(unit: Unit, text: str, limit: int = 3) -> list[str]:
    out = []
    head = chapter(unit)
    if head:
        out.append(head)
    out.extend([k for k in KEYWORDS if k in text][:limit])
    return out
