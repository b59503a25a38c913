"""Which obligation article (违法依据) a penalty row sanctions, and how that was established.

Three ways, strongest first: the penalty text cites the article ("违反本法第三十七条规定", "本法第五十八条第一款规定的
许可证件"); a reviewed table says so (reviewed_links.tsv, checked against the text by a test); or the behaviour's
wording is found in one article of the same law, verified by a shared phrase of at least MIN_PHRASE characters.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from ..citations import parse_references
from ..errors import HazkbError
from ..model import Unit, UnitKind
from ..names import normalize_title
from ..text import bigrams
from ..tsv import int_cell, read_tsv
from .model import LINK_EXPLICIT, LINK_WORDING, ObligationLink, ViolationRow

REVIEWED = Path(__file__).resolve().parent / "reviewed_links.tsv"
REVIEWED_COLUMNS = ("法规", "条", "款", "项", "义务法规", "义务条", "义务款", "依据")
NO_OBLIGATION = "无"  # a reviewed row whose duty depends on the case (事故责任, 按日连续处罚) or that has none
SELF_OBLIGATION = "本项"  # a reviewed row whose 项 (or 款) is itself the prohibition: 出租、出借许可证的
MIN_WORDING_SCORE = 0.34  # idf-weighted share of the behaviour's bigrams found in the obligation article
MIN_PHRASE = 5  # characters the behaviour and the article must share verbatim to call the match verified
# Phrases that every article of a hazardous-chemicals law shares: they verify nothing.
_COMMON = re.compile(r"^(?:危险化学品|生产经营单位|按照国家有关规定|国家标准|安全生产|化学品|的单位|有关规定)+$")


class ReviewedTableError(HazkbError):
    """reviewed_links.tsv has a bad line."""


@dataclass(frozen=True)
class Reviewed:
    law: str
    article: int
    para: int | None
    item: int | None
    obligation_law: str | None  # None: NO_OBLIGATION or SELF_OBLIGATION
    obligation_article: int | None
    obligation_para: int | None
    evidence: str
    where: str
    self_contained: bool = False  # SELF_OBLIGATION: the obligation is the row's own provision


def _int(value: str, where: str, column: str) -> int | None:
    return int_cell(value, where, column, ReviewedTableError)


def read_reviewed(path: Path = REVIEWED) -> list[Reviewed]:
    out = []
    optional = ("款", "项", "义务条", "义务款")
    for where, fields in read_tsv(path, REVIEWED_COLUMNS, ReviewedTableError, optional):
        law, art, para, item, o_law, o_art, o_para, evidence = fields
        none, own = o_law == NO_OBLIGATION, o_law == SELF_OBLIGATION
        if not (none or own) and not o_art:
            raise ReviewedTableError(f"{where}：“义务条”不能为空（没有义务条款时“义务法规”写“无”，"
                                     f"罚则本身即禁止性规定时写“本项”）")
        linked = not (none or own)
        out.append(Reviewed(normalize_title(law), _int(art, where, "条") or 0, _int(para, where, "款"),
                            _int(item, where, "项"), normalize_title(o_law) if linked else None,
                            _int(o_art, where, "义务条") if linked else None, _int(o_para, where, "义务款"),
                            evidence, where, self_contained=own))
    return out


@cache
def reviewed_index() -> dict[tuple[str, int, int, int | None], list[Reviewed]]:
    """(law, article, 款 (1 when not given), 项) -> its reviewed links."""
    index: dict[tuple[str, int, int, int | None], list[Reviewed]] = {}
    for r in read_reviewed():
        index.setdefault((r.law, r.article, r.para or 1, r.item), []).append(r)
    return index


def reviewed_for(row: ViolationRow) -> list[Reviewed] | None:
    """The reviewed links of a row (an empty list: reviewed, no obligation), or None when not reviewed."""
    found = reviewed_index().get(row.key)
    return None if found is None else [r for r in found if r.obligation_law is not None or r.self_contained]


def explicit_links(row: ViolationRow, lead: str) -> list[ObligationLink]:
    """Articles the row's own text (or its 款's lead, "违反本法第X条规定，有下列…") cites."""
    out: list[ObligationLink] = []
    for text in (row.item_quote, lead):
        for ref in parse_references(text):
            if ref.article_no is None:
                continue
            law = row.law if ref.law is None else ref.law
            if ref.law is None and ref.article_no == row.article_no:
                continue  # 本条第一款: the penalty itself
            link = ObligationLink(law, ref.article_no, ref.article_sub, ref.paragraph, LINK_EXPLICIT, ref.raw)
            if all((o.law, o.article_no, o.para) != (link.law, link.article_no, link.para) for o in out):
                out.append(link)
    return out


class WordingLinker:
    """Finds the obligation article of one law whose wording the behaviour repeats."""

    def __init__(self, law: str, units: list[Unit], penalty_units: set[str]):
        self.law = law
        self.articles = [u for u in units if u.kind is UnitKind.ARTICLE and u.article_no
                         and u.unit_id not in penalty_units]
        self._grams: list[set[str]] | None = None  # built on the first row that needs a wording link
        self.idf: dict[str, float] = {}

    @property
    def grams(self) -> list[set[str]]:
        if self._grams is None:
            self._grams = [set(bigrams(u.text)) for u in self.articles]
            df = Counter(g for grams in self._grams for g in grams)
            n = max(len(self.articles), 1)
            self.idf = {g: math.log(1 + n / c) for g, c in df.items()}
        return self._grams

    def link(self, behaviour: str) -> ObligationLink | None:
        grams = set(bigrams(behaviour))
        if not grams or not self.articles:
            return None
        articles = self.grams
        # fsum: exactly rounded whatever the set's order, so the same text links the same way in every process
        # (a plain sum over a set differs in the last bits with the hash seed, and a tie or the threshold can flip).
        total = math.fsum(self.idf.get(g, math.log(2)) for g in grams)
        if total == 0:
            return None
        score, best = max(((math.fsum(self.idf[g] for g in grams & article) / total, i)
                           for i, article in enumerate(articles)), key=lambda s: (s[0], -s[1]))
        if score < MIN_WORDING_SCORE:
            return None
        unit = self.articles[best]
        phrase = longest_common(behaviour, unit.text)
        if len(phrase) < MIN_PHRASE or _COMMON.match(phrase):
            return None
        para = _para_of(unit, phrase)
        return ObligationLink(self.law, unit.article_no or 0, unit.article_sub, para, LINK_WORDING,
                              f"共同措辞“{phrase}”（相似度 {score:.2f}）")


def _para_of(unit: Unit, phrase: str) -> int | None:
    hits = [i for i, p in enumerate(unit.paragraphs, start=1) if phrase in p.text]
    return hits[0] if len(unit.paragraphs) > 1 and len(hits) == 1 else None


def longest_common(a: str, b: str) -> str:
    """The longest run of Chinese text the two share (punctuation and digits break a run)."""
    best = ""
    for run in re.findall(r"[\u4e00-\u9fff]+", a):
        if len(run) <= len(best):
            continue
        match = SequenceMatcher(None, run, b, autojunk=False).find_longest_match(0, len(run), 0, len(b))
        if match.size > len(best):
            best = run[match.a:match.a + match.size]
    return best
