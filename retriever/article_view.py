"""One article as the CLI's `show` and the web's 条文检索 present it: the catalog's record (law, level, validity,
source, what it cites, what cites it) plus the links only the searcher knows: the penalty 项 that sanction an
obligation article, or the obligations a penalty article's 项 sanction.

The violation catalog's links (explicit, reviewed or verified wording) come first; articles outside it (laws beyond
the domain) fall back to the linking heuristic, marked as such."""
from __future__ import annotations

import re
from datetime import date

from corpus.catalog import Catalog
from corpus.model import Document, Unit, UnitKind
from corpus.numbers import to_chinese
from corpus.views import article_record
from corpus.violations.model import LINK_EXPLICIT, LINK_NAMES, ViolationRow

from .linking import obligations_for, penalties_for
from .search import Searcher, is_penalty_unit

PENALTIES_SHOWN = 3  # penalty articles listed under an obligation by the heuristic (the catalog's links: all)
HEURISTIC = "按违法行为匹配"
_ITEM_LABEL = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]\s*")


def article_view(catalog: Catalog, searcher: Searcher, doc: Document, unit: Unit,
                 as_of: date | None = None) -> dict:
    record = article_record(catalog, doc, unit, as_of)
    record["is_penalty"] = unit.kind is UnitKind.ARTICLE and is_penalty_unit(unit)
    record["penalties"], record["sanctions"] = [], []
    if unit.doc_id not in searcher.docs or unit.kind is not UnitKind.ARTICLE:  # new since the searcher opened
        return record
    record["amendment"] = searcher.amendment_note(unit.doc_id, [unit.unit_id])
    rows = searcher.violation_matcher().index.rows
    if record["is_penalty"]:
        record["sanctions"] = _sanctioned(rows, unit) or [
            {"law": doc.title, "article": u.label, "unit_id": u.unit_id, "how": HEURISTIC, "rows": []}
            for u in obligations_for(searcher, unit)]
    else:
        record["penalties"] = _sanctioning(rows, unit) or _heuristic_penalties(searcher, unit)
    return record


def _sanctioning(rows: list[ViolationRow], unit: Unit) -> list[dict]:
    """The catalog rows (penalty 项) whose obligations include this article, in the catalog's order."""
    out = []
    for row in rows:
        links = [o for o in row.obligations if o.unit_id == unit.unit_id]
        if not links:
            continue
        out.append({"law": row.law, "article": row.article, "unit_id": row.unit_id, "row_id": row.row_id,
                    "item": f"{row.label}：{_ITEM_LABEL.sub('', row.item_quote)}",
                    "via_reference": links[0].link == LINK_EXPLICIT, "how": LINK_NAMES[links[0].link]})
    return out


def _sanctioned(rows: list[ViolationRow], unit: Unit) -> list[dict]:
    """The obligation articles this penalty article's rows sanction, each once, with the 项 that sanction it."""
    found: dict[tuple[str, str], dict] = {}
    for row in rows:
        if row.unit_id != unit.unit_id:
            continue
        for o in row.obligations:
            entry = found.setdefault((o.law, o.article), {"law": o.law, "article": o.article, "unit_id": o.unit_id,
                                                          "how": LINK_NAMES[o.link], "rows": []})
            if row.label not in entry["rows"]:
                entry["rows"].append(row.label)
    return list(found.values())


def _heuristic_penalties(searcher: Searcher, unit: Unit) -> list[dict]:
    out = []
    for link in penalties_for(searcher, unit, limit=PENALTIES_SHOWN):
        item = None
        if link.item is not None:
            item = f"{link.unit.label}第（{to_chinese(link.item.number)}）项：{link.item.text}"
        out.append({"law": searcher.docs[link.unit.doc_id].title, "article": link.unit.label,
                    "unit_id": link.unit.unit_id, "row_id": None, "item": item, "via_reference": link.via_reference,
                    "how": LINK_NAMES[LINK_EXPLICIT] if link.via_reference else HEURISTIC})
    return out
