"""Obligation -> penalty linking (and back), from stored cross-references and the 法律责任 chapters.

Most penalty articles describe the sanctioned behaviour instead of citing the obligation's number
(条例第七十八条: "未在作业场所和安全设施、设备上设置明显的安全警示标志的"), so when no reference
links them the penalty item whose wording is closest to the obligation (and the question) is chosen.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corpus.model import Item, Unit

from .search import Searcher, is_penalty_unit
from .tokenize import bigrams

MIN_ITEM_OVERLAP = 0.18  # share of an item's bigrams found in the obligation + question


@dataclass
class Link:
    unit: Unit
    item: Item | None  # the 项 that sanctions the behaviour, when one stands out
    via_reference: bool


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
    return scored[0][1] if scored[0][0] > 0 and scored[0][0] >= 1.5 * scored[1][0] else unit.text


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
        source = catalog.unit(stored.from_unit_id)
        if is_penalty_unit(source) and source.unit_id not in seen:
            seen.add(source.unit_id)
            links.append(Link(source, best_item(source, text + question), via_reference=True))
    if len(links) >= limit:
        return links[:limit]
    for candidate in _similar_penalties(searcher, unit.doc_id, text, question):
        if candidate.unit_id not in seen:
            seen.add(candidate.unit_id)
            links.append(Link(candidate, best_item(candidate, text + question), via_reference=False))
        if len(links) >= limit:
            break
    return links


def _similar_penalties(searcher: Searcher, doc_id: str, text: str, question: str) -> list[Unit]:
    lexical = searcher.lexical
    mask = searcher.doc_units_mask(doc_id) & searcher.penalty_mask
    if not mask.any():
        return []
    scores = lexical.scores("bigram", bigrams(text) + 2 * bigrams(question))
    scores = np.where(mask, scores, 0.0)
    order = np.argsort(-scores)[:5]
    out = []
    for pos in order:
        if scores[pos] <= 0:
            break
        candidate = searcher.catalog.unit(lexical.unit_ids[pos])
        if is_penalty_unit(candidate):
            out.append(candidate)
    return out


def obligations_for(searcher: Searcher, penalty: Unit, limit: int = 3) -> list[Unit]:
    """The obligation articles a penalty article sanctions: the ones it cites in the same law."""
    out = []
    for stored in searcher.catalog.references_from(penalty.unit_id):
        target = searcher.catalog.resolve(stored)
        if target is not None and not is_penalty_unit(target) and target.unit_id not in {u.unit_id for u in out}:
            out.append(target)
    return out[:limit]
