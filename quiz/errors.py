"""Quiz exceptions: QuizError for the user (Chinese, says how to fix it), RowRejected for one bad input row."""
from __future__ import annotations

from corpus.errors import HazkbError


class QuizError(HazkbError):
    """A question bank or bank file problem the user can fix; the CLI prints it and exits 1."""


class RowRejected(Exception):
    """One row of an imported file is unusable; `reason` (Chinese) goes into the import report."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)
