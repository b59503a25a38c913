"""Citation verifier: every 《X》第N条 in a text must exist, be current, quote the article faithfully,
and (for answers) be among the retrieved sources. Failures are reported, and can be removed from a text."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from corpus.catalog import Catalog
from corpus.citations import parse_references
from corpus.errors import NotFoundError
from corpus.model import Reference, Status
from corpus.numbers import MAX_ARTICLE, article_label

# A quotation right after a citation: 《X》第N条规定：“……”
_QUOTE_AFTER = re.compile(r"^[^“\"「。；\n]{0,12}[“\"「]([^”\"」]{2,400})[”\"」]")
_PUNCT = re.compile(r"[\s\u3000，,。.、；;：:！!？?（）()“”\"'‘’《》【】]+")


@dataclass
class CitationCheck:
    raw: str
    law: str
    article: str
    exists: bool
    current: bool
    quote: str | None
    quote_matches: bool | None  # None when the text quotes nothing
    in_sources: bool | None  # None when no source list was given
    unit_id: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.exists and self.quote_matches is not False and self.in_sources is not False

    def as_dict(self) -> dict:
        return asdict(self)


def _norm(text: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text or ""))


def quote_in(quote: str, article_text: str) -> bool:
    """A quote matches when each of its fragments (split at ……) occurs in the article, ignoring punctuation."""
    body = _norm(article_text)
    fragments = [f for f in (_norm(p) for p in re.split(r"…+|\.{3,}", quote)) if f]
    return bool(fragments) and all(f in body for f in fragments)


def _citation_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end())
            for m in re.finditer(r"《[^《》]{1,80}》\s*第[^。；，\n]{1,30}?条(?:之[一二三四五六七八九十]+)?", text)]


def verify_text(catalog: Catalog, text: str, sources: set[str] | None = None,
                as_of: date | None = None) -> list[CitationCheck]:
    """Check each 《X》第N条 in text. `sources`: unit ids that were retrieved for the answer."""
    checks: list[CitationCheck] = []
    for start, end in _citation_spans(text):
        segment = text[start:end]
        quote_match = _QUOTE_AFTER.match(text[end:])
        quote = quote_match.group(1) if quote_match else None
        bad: list[Reference] = []
        good = parse_references(segment, out_of_range=bad)
        for ref, valid in [(r, True) for r in good] + [(r, False) for r in bad]:
            if ref.law is None or ref.article_no is None:
                continue
            label = article_label(ref.article_no, ref.article_sub)
            check = CitationCheck(raw=segment, law=ref.law, article=label, exists=False, current=False,
                                  quote=quote, quote_matches=None, in_sources=None)
            if not valid:
                check.problem = f"{label}不是有效的条号（条号应在 1 到 {MAX_ARTICLE} 之间），没有这一条"
                check.quote_matches = False if quote else None
                check.in_sources = False if sources is not None else None
                checks.append(check)
                continue
            try:
                doc = catalog.find_law(ref.law, as_of)
                unit = catalog.article(doc.doc_id, ref.article_no, ref.article_sub)
            except NotFoundError:
                check.problem = f"知识库中没有《{ref.law}》{label}"
                check.quote_matches = False if quote else None
                check.in_sources = False if sources is not None else None
                checks.append(check)
                continue
            check.exists = True
            check.unit_id = unit.unit_id
            check.law = doc.title
            check.current = doc.status_on(as_of or date.today()) is Status.CURRENT
            if quote is not None:
                check.quote_matches = quote_in(quote, unit.text)
                if not check.quote_matches:
                    check.problem = "引文与条文原文不符"
            if sources is not None:
                check.in_sources = unit.unit_id in sources
                if not check.in_sources and check.problem is None:
                    check.problem = "该条文不在本次检索到的依据中"
            if not check.current and check.problem is None:
                check.problem = f"《{doc.title}》当前状态为{doc.status_on(as_of or date.today()).value}"
            checks.append(check)
    return checks


def strip_failed(text: str, checks: list[CitationCheck]) -> str:
    """Remove the sentences that carry a failed citation; the caller flags what was removed."""
    bad = {c.raw for c in checks if not c.ok}
    if not bad:
        return text
    sentences = re.split(r"(?<=[。；\n])", text)
    kept = [s for s in sentences if not any(raw in s for raw in bad)]
    return "".join(kept).strip()
