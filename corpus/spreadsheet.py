"""Cells written to spreadsheets (Excel, CSV): text that a spreadsheet would run as a formula is neutralised.

A cell whose text starts with = + - @ (or a tab or carriage return, which some spreadsheets skip before one of
those) is a formula to Excel, WPS and LibreOffice: `=HYPERLINK("http://…","点我领奖")` typed as an examinee's name
would become a live link in the records export an administrator opens. Following the OWASP advice on CSV/formula
injection, such text is written with a leading apostrophe and stored as text. Importers reverse it with
`restore_cell`, so a bank exported and imported again keeps its texts unchanged.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAFE_PREFIX = "'"

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """Text that a spreadsheet would take for a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return SAFE_PREFIX + value
    return value


def safe_row(values: Iterable[T]) -> list[T | str]:
    """`safe_cell` applied to every value of a row (numbers, dates and None pass unchanged)."""
    return [safe_cell(v) for v in values]


def restore_cell(text: str) -> str:
    """The text `safe_cell` was given: the apostrophe in front of = + - @ (tab, CR) removed."""
    if text.startswith(SAFE_PREFIX) and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
