"""PDF text with positions: pypdf text fragments -> lines, with Chinese-aware spacing.

pypdf's plain `extract_text` loses two things this project needs: where a line starts (an indented
line opens a paragraph; a table's cells sit in columns) and where curly quotes belong (some PDFs
draw “ ” separately, and pypdf leaves a space in the text where they were drawn). Collecting the
fragments with their positions keeps both.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Quote marks that some PDFs draw as separate fragments over a placeholder space.
QUOTES = "“”‘’"
_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f\u2018-\u201f\u2026\u00b7\u2014"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass
class Fragment:
    """A piece of text drawn at one position (x, y: PDF points, origin bottom-left)."""

    x: float
    y: float
    size: float
    text: str

    @property
    def end(self) -> float:
        return self.x + text_width(self.text, self.size)


@dataclass
class Line:
    """Fragments sharing a baseline, left to right."""

    page: int  # 1-based
    y: float
    size: float
    fragments: list[Fragment] = field(default_factory=list)

    @property
    def x(self) -> float:
        return self.fragments[0].x

    @property
    def end(self) -> float:
        return max(f.end for f in self.fragments)

    @property
    def text(self) -> str:
        return join_fragments(self.fragments)


def char_width(ch: str, size: float) -> float:
    """Approximate advance width: full width for CJK, half for Latin, in between for ambiguous."""
    kind = unicodedata.east_asian_width(ch)
    if kind in ("W", "F"):
        return size
    if kind == "A":
        return 0.6 * size
    return 0.5 * size


def text_width(text: str, size: float) -> float:
    return sum(char_width(ch, size) for ch in text)


def tidy(text: str) -> str:
    """Collapse spaces and drop those next to Chinese text: '2011 年12 月1 日' -> '2011年12月1日'."""
    text = _SPACES.sub(" ", text)
    return _SPACE_NEAR_CJK.sub("", text).strip()


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_fragments(fragments: list[Fragment]) -> str:
    """Line text from fragments in x order; a visible gap between two Latin words keeps a space."""
    parts: list[str] = []
    previous: Fragment | None = None
    for fragment in fragments:
        text = fragment.text
        if previous is not None and parts and parts[-1] and text:
            gap = fragment.x - previous.end
            if gap > 0.25 * fragment.size and _is_ascii_word(parts[-1][-1]) and _is_ascii_word(text[0]):
                parts.append(" ")
        parts.append(text)
        previous = fragment
    return tidy("".join(parts))


# --- collecting fragments -------------------------------------------------------------------


def _position(cm: list[float], tm: list[float]) -> tuple[float, float, float]:
    """(x, y, vertical scale) of the text origin in page space: the text matrix times the CTM."""
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale_x = tm[2] * cm[0] + tm[3] * cm[2]
    scale_y = tm[2] * cm[1] + tm[3] * cm[3]
    return x, y, (scale_x * scale_x + scale_y * scale_y) ** 0.5


def page_fragments(page) -> list[Fragment]:
    """Non-blank text fragments of a pypdf page, in drawing order, with their positions."""
    fragments: list[Fragment] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        text = (text or "").replace("\n", "").replace("\r", "")
        if not text.strip():
            return
        x, y, scale = _position(cm, tm)
        size = abs(font_size * scale) if font_size and scale else abs(font_size or 0) or 10.0
        fragments.append(Fragment(x=x, y=y, size=size, text=text))

    page.extract_text(visitor_text=visit)
    return fragments


# --- curly quotes drawn over placeholder spaces ---------------------------------------------


def _is_quote_fragment(fragment: Fragment) -> bool:
    stripped = fragment.text.replace(" ", "")
    return bool(stripped) and all(ch in QUOTES for ch in stripped)


def _slots(fragment: Fragment) -> list[tuple[float, int]]:
    """(x, index) of every space inside a fragment that also holds other text."""
    if not fragment.text.strip() or " " not in fragment.text:
        return []
    slots = []
    x = fragment.x
    for index, ch in enumerate(fragment.text):
        if ch == " ":
            slots.append((x, index))
        x += char_width(ch, fragment.size)
    return slots


def _fill_line_quotes(fragments: list[Fragment]) -> list[Fragment]:
    """Put quote fragments into the placeholder spaces of the text drawn on the same line."""
    hosts = [f for f in fragments if not _is_quote_fragment(f)]
    free: list[tuple[float, int, int]] = sorted(  # (x, host index, char index)
        (x, h, i) for h, host in enumerate(hosts) for x, i in _slots(host)
    )
    texts = [list(host.text) for host in hosts]
    leftover: list[Fragment] = []
    for quote in (f for f in fragments if _is_quote_fragment(f)):
        glyphs = quote.text.replace(" ", "")
        tolerance = 1.5 * quote.size
        start = next((k for k, slot in enumerate(free) if slot[0] >= quote.x - tolerance), None)
        if start is None or free[start][0] > quote.x + tolerance or len(free) - start < len(glyphs):
            leftover.append(quote)
            continue
        for glyph, (_, h, i) in zip(glyphs, free[start:start + len(glyphs)]):
            texts[h][i] = glyph
        del free[start:start + len(glyphs)]
    filled = [Fragment(h.x, h.y, h.size, "".join(t)) for h, t in zip(hosts, texts)]
    return filled + leftover


# --- lines ------------------------------------------------------------------------------------


def group_lines(fragments: list[Fragment], page_no: int) -> list[Line]:
    """Lines top to bottom; fragments whose baselines are within a third of the font size share a line."""
    lines: list[Line] = []
    for fragment in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if lines and abs(lines[-1].y - fragment.y) <= 0.35 * max(lines[-1].size, fragment.size):
            lines[-1].fragments.append(fragment)
            lines[-1].size = max(lines[-1].size, fragment.size)
        else:
            lines.append(Line(page=page_no, y=fragment.y, size=fragment.size, fragments=[fragment]))
    for line in lines:
        line.fragments = sorted(_fill_line_quotes(line.fragments), key=lambda f: f.x)
        line.fragments = [f for f in line.fragments if f.text.strip()]
    return [line for line in lines if line.fragments and line.text]
