"""Sector laws: a special law governs its own object (特种设备, 民爆物品, 烟花爆竹, 燃气 ...).

When a question speaks of none of a sector law's objects, that law is unlikely to be the basis an
inspector cites, however many words it shares with the finding ("事故瞒报" matches 特种设备安全法第八十九条
word for word, but the accident was not a special-equipment accident). Such laws are demoted, not removed.
Which law belongs to which sector, and each sector's words, are data (corpus/lexicon: laws.tsv, sectors.tsv).
"""
from __future__ import annotations

import re

from corpus.lexicon import Lexicon
from corpus.names import normalize_title

from .tokenize import straddles
from .weights import OFF_SECTOR

HAZCHEM_SECTOR = "危险化学品"  # a chemical named in the question counts as touching this sector


class Sectors:
    """The sector of each sector law, and whether a question touches it."""

    def __init__(self, lexicon: Lexicon):
        self.law_sector = dict(lexicon.law_sectors)
        self.patterns: dict[str, re.Pattern[str]] = {}
        for sector in set(self.law_sector.values()):
            pattern = lexicon.sector_pattern(sector)
            if pattern is not None:
                self.patterns[sector] = pattern

    def sector_of(self, title: str) -> str | None:
        return self.law_sector.get(normalize_title(title))

    def touched(self, question: str, hazchem: bool, spans: list[tuple[int, int]]) -> set[str]:
        """The sectors whose objects the question speaks of; `hazchem`: it names a hazardous chemical. `spans`: the
        question's words; a sector word beginning in one and ending in another is not said ("气体/检测")."""
        out = {sector for sector, pattern in self.patterns.items()
               if any(not straddles(m.start(), m.end(), spans) for m in pattern.finditer(question))}
        if hazchem:
            out.add(HAZCHEM_SECTOR)
        return out

    def off_sector(self, title: str, touched: set[str], named: bool) -> bool:
        """A sector law the question neither names nor touches."""
        sector = self.sector_of(title)
        return sector is not None and not named and sector not in touched

    def factor(self, title: str, touched: set[str], named: bool) -> float:
        """OFF_SECTOR for a sector law the question neither names nor touches, else 1."""
        return OFF_SECTOR if self.off_sector(title, touched, named) else 1.0
