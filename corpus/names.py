"""Law titles: normalisation, aliases and short names, level inference, dates written in Chinese."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .model import Level

_PREFIX = "中华人民共和国"
_BRACKETS = str.maketrans({"〈": "", "〉": "", "《": "", "》": "", "<": "", ">": ""})
# "(2021修正)", "（2013年修订）", "(2016-02-06)" after a title
_VERSION_SUFFIX = re.compile(r"[（(][^（）()]*(?:\d{4}|修正|修订|试行|草案)[^（）()]*[）)]$")

_ABBREVIATIONS = (("危险化学品", "危化品"), ("危险化学品", "危化"))


@lru_cache(maxsize=8192)
def normalize_title(title: str) -> str:
    """《中华人民共和国安全生产法》(2021修正) -> 安全生产法."""
    text = re.sub(r"\s+", "", title).translate(_BRACKETS)
    while True:
        stripped = _VERSION_SUFFIX.sub("", text)
        if stripped == text:
            break
        text = stripped
    if text.startswith(_PREFIX) and len(text) > len(_PREFIX):
        text = text[len(_PREFIX):]
    return text


def known_aliases() -> dict[str, tuple[str, ...]]:
    """Short names an inspector actually types, by normalised official title (corpus/lexicon/law_aliases.tsv)."""
    from .lexicon import builtin_lexicon

    return builtin_lexicon().law_aliases


def aliases_for(title: str) -> list[str]:
    """Names under which a law can be cited, the official title first."""
    short = normalize_title(title)
    names = [title, short]
    if not title.startswith(_PREFIX) and short.endswith("法"):
        names.append(_PREFIX + short)
    names.extend(known_aliases().get(short, ()))
    for long, abbr in _ABBREVIATIONS:
        if long in short:
            names.append(short.replace(long, abbr))
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out


def infer_level(title: str, header: str = "") -> Level:
    """Guess a document's level from its title words and issuing lines; the CLI can override it."""
    t = normalize_title(title)
    h = header or ""
    if t == "宪法" or t.startswith("宪法修正案"):
        return Level.CONSTITUTION
    if re.match(r"^(GB|AQ|HG|SH)[/ T]*\d", t, re.I) or "国家标准" in h:
        return Level.NATIONAL_STANDARD
    local = re.match(r"^.{2,8}?(省|自治区|市|州|县)", t) and not t.startswith("国务院")
    if t.endswith("法") or "全国人民代表大会" in h:
        return Level.LAW
    if t.endswith("条例"):
        return Level.LOCAL_REGULATION if local and "国务院令" not in h else Level.ADMIN_REGULATION
    if "国务院令" in h or t.startswith("国务院关于") and t.endswith("规定"):
        return Level.ADMIN_REGULATION
    if re.search(r"(办法|规定|细则|规则)$", t):
        return Level.DEPARTMENT_RULE
    if re.search(r"(要点|方案|计划|预案|总结|报告|安排)", t):
        return Level.WORK_DOCUMENT
    if re.search(r"(意见|通知|决定|指南|目录|标准|规范|导则)", t):
        return Level.NORMATIVE
    return Level.NORMATIVE


_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str | None) -> date | None:
    """First date in '2002年1月26日', '2002 年1 月26  日' or '2021-06-10' form, else None."""
    if not text:
        return None
    for pattern in (_CN_DATE, _ISO_DATE):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def all_dates(text: str) -> list[date]:
    out = []
    for m in _CN_DATE.finditer(text):
        try:
            out.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return out


_DOC_NUMBER = re.compile(r"((?:中华人民共和国)?(?:国务院|[^\s，。]{1,12}(?:部|局|委员会|总局))令\s*第\s*\d+\s*号)")


def find_doc_number(text: str) -> str | None:
    """国务院令第591号 style numbers from issuing lines (the last one is the current version's)."""
    found = [re.sub(r"\s+", "", m.group(1)).replace("中华人民共和国", "") for m in _DOC_NUMBER.finditer(text)]
    return found[-1] if found else None
