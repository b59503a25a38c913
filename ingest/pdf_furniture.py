"""Page furniture of PDFs: page numbers and running headers/footers, which are not document text."""
from __future__ import annotations

import re
from collections import Counter

from .pdf_layout import Line

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_·•\s]*[0-9０-９]{1,4}[-—–－_·•\s]*"
    r"|第\s*[0-9０-９一二三四五六七八九十百]+\s*页(?:\s*[，,/]?\s*共\s*[0-9０-９一二三四五六七八九十百]+\s*页)?"
    r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$"
)
_EDGE_LINES = 2  # furniture sits among the first or last lines of a page
_REPEAT_SHARE = 0.5  # a running header/footer appears on at least half of the pages
_MIN_PAGES = 3
_MAX_LEN = 40


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _signature(line: Line) -> str:
    """Height on the page and text with numbers masked: '第3页 危化条例' and '第4页 危化条例' compare equal."""
    return f"{round(line.y / 4)}|" + re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", line.text))


def _candidate(line: Line) -> bool:
    """Running headers and footers are short and are not sentences."""
    return len(line.text) <= _MAX_LEN and not line.text.endswith(("。", "；", "，"))


def _edges(lines: list[Line]) -> list[Line]:
    if len(lines) <= 2 * _EDGE_LINES:
        return list(lines)
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


def running_signatures(pages: list[list[Line]]) -> set[str]:
    """Signatures of short lines found at the top or bottom of most pages."""
    if len(pages) < _MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_signature(line) for line in _edges(lines) if _candidate(line)})
    needed = max(_MIN_PAGES, int(len(pages) * _REPEAT_SHARE + 0.999))
    return {sig for sig, n in counts.items() if n >= needed}


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without their page-number lines and running headers/footers."""
    running = running_signatures(pages)
    cleaned: list[list[Line]] = []
    for lines in pages:
        edges = {id(line) for line in _edges(lines)}
        cleaned.append(
            [
                line
                for line in lines
                if id(line) not in edges
                or not (is_page_number(line.text) or _signature(line) in running)
            ]
        )
    return cleaned
