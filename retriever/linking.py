"""Obligation -> penalty linking (and back), from stored cross-references and the 法律责任 chapters.

Most penalty articles describe the sanctioned behaviour instead of citing the obligation's number
(条例第七十八条: "未在作业场所和安全设施、设备上设置明显的安全警示标志的"), so when no reference
links them the penalty item whose wording is closest to the obligation (and the question) is chosen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from corpus.legal_text import DUTY_WORDS, authority_duty
from corpus.model import Item, Unit, UnitKind
from corpus.names import normalize_title

from .search import Searcher, is_penalty_unit
from .tokenize import bigrams
from .weights import FOCUS_RATIO, LINK_CANDIDATES, LINK_QUESTION_WEIGHT, MIN_ITEM_OVERLAP, PARALLEL_JACCARD


@dataclass
class Link:
    unit: Unit
    item: Item | None  # the 项 that sanctions the behaviour, when one stands out
    via_reference: bool


def _cosine(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(a) * len(b)) ** 0.5 if a and b else 0.0


def _overlap(item_text: str, context: set[str]) -> float:
    grams = set(bigrams(item_text))
    return len(grams & context) / len(grams) if grams else 0.0


def best_item(unit: Unit, context_text: str) -> Item | None:
    context = set(bigrams(context_text))
    scored = [(_overlap(i.text, context), i) for p in unit.paragraphs for i in p.items]
    if not scored:
        return None
    score, item = max(scored, key=lambda s: s[0])
    return item if score >= MIN_ITEM_OVERLAP else None


def focus_text(unit: Unit, question: str) -> str:
    """The 款 of an article that the finding is about (条例第二十条: 安全设施 vs 安全警示标志), or the
    whole text when no paragraph stands out; penalties are linked to what was actually breached."""
    if len(unit.paragraphs) < 2 or not question:
        return unit.text
    asked = set(bigrams(question))
    scored = sorted(((_overlap(p.text, asked) * len(set(bigrams(p.text))) ** 0.5, p.text) for p in unit.paragraphs),
                    reverse=True)
    return scored[0][1] if scored[0][0] > 0 and scored[0][0] >= FOCUS_RATIO * scored[1][0] else unit.text


def penalties_for(searcher: Searcher, unit: Unit, question: str = "", limit: int = 2) -> list[Link]:
    """Penalty articles of the same law that sanction this obligation article."""
    if unit.article_no is None or is_penalty_unit(unit):
        return []
    text = focus_text(unit, question)
    catalog = searcher.catalog
    doc = searcher.docs[unit.doc_id]
    links: list[Link] = []
    seen: set[str] = set()
    for stored in catalog.references_to(doc, unit.article_no, unit.article_sub):
        if stored.doc_id != doc.doc_id:
            continue
        source = searcher.unit(stored.from_unit_id)
        if is_penalty_unit(source) and source.unit_id not in seen:
            seen.add(source.unit_id)
            links.append(Link(source, best_item(source, text + question), via_reference=True))
    if len(links) >= limit or authorities_only(unit):
        return links[:limit]  # a penalty citing it, if any: by wording, no unit's penalty sanctions a government's duty
    for candidate in _similar_penalties(searcher, unit.doc_id, text, question):
        if candidate.unit_id not in seen:
            seen.add(candidate.unit_id)
            links.append(Link(candidate, best_item(candidate, text + question), via_reference=False))
        if len(links) >= limit:
            break
    return links


def authorities_only(unit: Unit) -> bool:
    """Every 款 of the article that lays a duty lays it on a government body (规划, 监督检查 …); without a duty word,
    the article's opening names one."""
    duties = [p.text for p in unit.paragraphs if DUTY_WORDS.search(p.text)] or [unit.text]
    return all(authority_duty(text) for text in duties)


def text_jaccard(a: str, b: str) -> float:
    """Share of bigrams two texts have in common (of all either has)."""
    x, y = set(bigrams(a)), set(bigrams(b))
    return len(x & y) / len(x | y) if x and y else 0.0


def _closest_units(searcher: Searcher, mask: np.ndarray, terms: list[str]) -> list[Unit]:
    """The LINK_CANDIDATES units of `mask` (positions in the lexical index) the bigram field scores best for
    `terms`, best first."""
    lexical = searcher.lexical
    units = np.flatnonzero(mask)
    scores = lexical.scores_of("bigram", terms, units)
    best = [int(units[i]) for i in np.argsort(-scores, kind="stable")[:LINK_CANDIDATES] if scores[i] > 0]
    return searcher.units([lexical.unit_ids[pos] for pos in best])


def parallel_article(searcher: Searcher, unit: Unit, doc_id: str) -> Unit | None:
    """The article of another law (`doc_id`) that lays the duty `unit` lays (or sanctions what it sanctions), as the
    2013 条例 and the 2026 危化法 say the same thing: of its articles of the same kind (duty or penalty) the closest
    by bigrams, kept when the two share PARALLEL_JACCARD of their bigrams."""
    kind = searcher.penalty_mask if is_penalty_unit(unit) else ~searcher.penalty_mask
    found = _closest_units(searcher, searcher.doc_units_mask(doc_id) & kind, bigrams(unit.text))
    scored = [(text_jaccard(u.text, unit.text), u) for u in found if u.kind is UnitKind.ARTICLE]
    best_score, best_unit = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best_unit if best_score >= PARALLEL_JACCARD else None


def _similar_penalties(searcher: Searcher, doc_id: str, text: str, question: str) -> list[Unit]:
    found = _closest_units(searcher, searcher.doc_units_mask(doc_id) & searcher.penalty_mask,
                           bigrams(text) + LINK_QUESTION_WEIGHT * bigrams(question))
    return [unit for unit in found if is_penalty_unit(unit)]


def obligations_for(searcher: Searcher, penalty: Unit, limit: int = 3) -> list[Unit]:
    """The obligation articles a penalty article sanctions: the ones it cites in the same law."""
    out: list[Unit] = []
    for stored in searcher.catalog.references_from(penalty.unit_id):
        target = searcher.catalog.resolve(stored)
        if target is not None and not is_penalty_unit(target) and target.unit_id not in {u.unit_id for u in out}:
            out.append(target)
    return out[:limit]


# "依照《安全生产许可证条例》的规定处罚", "依照有关安全生产许可、工业产品生产许可法律、行政法规的规定处理、处罚"
_REFERRAL = re.compile(r"依照(?:《([^》]+)》(?:、《([^》]+)》)*|有关([^，。；]{2,40}?)(?:的)?法律、(?:行政)?法规)"
                       r"(?:的)?规定[^，。；]{0,6}处(?:理、处)?罚")
_TITLE = re.compile(r"《([^》]+)》")


def referrals(text: str) -> list[tuple[str, str]]:
    """(subject, behaviour) for each law a penalty provision hands the sanction over to, by title or by
    subject; the behaviour is the wording before the referral, which the other law's article sanctions."""
    out: list[tuple[str, str]] = []
    start = 0
    for m in _REFERRAL.finditer(text):
        behaviour = text[start:m.start()]
        names = ([s.strip() for s in m.group(3).split("、")] if m.group(3) else _TITLE.findall(m.group(0)))
        out += [(normalize_title(name), behaviour) for name in names if len(name) >= 2]
        start = m.end()
    return out


def referred_penalties(searcher: Searcher, penalty: Unit, question: str, scope: set[str]) -> list[Link]:
    """When the paragraph of a penalty article that fits the finding only refers to another law
    (危化法第一百条第一款 -> 安全生产许可证条例), the penalty article of that law, if the corpus holds it."""
    text = focus_text(penalty, question)
    if text == penalty.text and len(penalty.paragraphs) > 1:
        return []  # no paragraph stands out: the referral may be about another finding
    own = normalize_title(searcher.docs[penalty.doc_id].title)
    links = []
    for subject, behaviour in referrals(text):
        for doc_id in scope:
            title = normalize_title(searcher.docs[doc_id].title)
            if title == own or subject not in title:
                continue
            candidates = _similar_penalties(searcher, doc_id, behaviour, question)
            if candidates:
                # Set overlap, not BM25: a long article repeating "安全生产许可证" is not the closer one.
                context = set(bigrams(behaviour + question))
                unit = max(candidates, key=lambda u: _cosine(set(bigrams(u.text)), context))
                links.append(Link(unit, best_item(unit, behaviour + question), via_reference=True))
    return links
