"""Later amendments of a law whose text in the corpus is not the current one.

The built-in 刑法 is the 2020-12-26 text (修正案（十一）, adopted that day, is in it); 修正案（十二）, adopted
2023-12-29 and in force 2024-03-01, changed seven of its articles. An inspector citing 第一百三十四条之一 (危险作业罪)
needs to know whether it is among them. An amendment says what it changes in its own words before the new text:
"将刑法第三百九十条修改为：…", "在刑法第一百六十五条中增加一款…",
"在刑法第一百三十四条后增加一条，作为第一百三十四条之一：…".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .catalog import Catalog
from .model import Document
from .names import normalize_title
from .numbers import NUMERAL, article_label, from_chinese

_ARTICLE = re.compile(rf"第({NUMERAL})条(?:之({NUMERAL}))?")
# The instruction ends where the new text begins (its quotation or the colon before it).
_NEW_TEXT = re.compile(r"[：:“\"「]")


@dataclass(frozen=True)
class LaterAmendment:
    title: str
    effective: date | None
    articles: frozenset[tuple[int, int]]  # (article, 之 sub) of the amended law it changes or adds


def amended_articles(text: str, short_title: str) -> set[tuple[int, int]]:
    """The articles of `short_title` (刑法) one amendment item changes or adds, read from its instruction only."""
    instruction = _NEW_TEXT.split(text, maxsplit=1)[0]
    if short_title not in instruction:
        return set()
    # "在刑法第一百三十四条后增加一条": 第一百三十四条 only says where the new one goes.
    return {(from_chinese(m.group(1)), from_chinese(m.group(2)) if m.group(2) else 0)
            for m in _ARTICLE.finditer(instruction) if not instruction.startswith("后", m.end())}


def later_amendments(catalog: Catalog, doc: Document) -> list[LaterAmendment]:
    """The amendments (《X修正案（…）》) in the catalog adopted after this text of X was made (one adopted the same day
    is in the text)."""
    base = normalize_title(doc.title)
    made = doc.version_date or doc.effective_date
    out = []
    for other in catalog.documents():
        adopted = other.version_date or other.publish_date or other.effective_date
        if not normalize_title(other.title).startswith(f"{base}修正案") or not made or not adopted or adopted <= made:
            continue
        articles: set[tuple[int, int]] = set()
        for unit in catalog.units(other.doc_id):
            articles |= amended_articles(unit.text, base)
        out.append(LaterAmendment(other.title, other.effective_date or adopted, frozenset(articles)))
    return sorted(out, key=lambda a: a.effective or date.min)


def amendment_note(doc: Document, articles: list[tuple[int, int]], later: list[LaterAmendment]) -> str | None:
    """What an answer or article page says of cited articles (number, 之 sub) of a text that `later` amendments
    changed: which of them they changed and which they left; None without amendments or articles."""
    articles = list(dict.fromkeys(articles))
    if not later or not articles:
        return None
    changed = {a for amendment in later for a in amendment.articles}
    labels: dict[bool, list[str]] = {True: [], False: []}
    for number, sub in articles:
        labels[(number, sub) in changed].append(article_label(number, sub))
    said = [f"修改了{'、'.join(labels[True])}（请以修改后的条文为准）"] if labels[True] else []
    said += [f"没有修改{'、'.join(labels[False])}"] if labels[False] else []
    names = "、".join(f"《{a.title}》（{a.effective} 施行）" for a in later)
    return f"所引《{doc.title}》是 {doc.version_date or doc.effective_date} 的文本；其后的{names}" + "，".join(said)
