"""hazkb's own exceptions. Messages are for users (Chinese) and say how to fix the problem."""
from __future__ import annotations


class HazkbError(Exception):
    """Base class: a problem the user can fix; the CLI prints it and exits 1."""


class IngestError(HazkbError):
    """A file could not be read or parsed; nothing of it was stored."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class NotFoundError(HazkbError):
    """A law, article or document that was asked for is not in the catalog."""


class InputError(HazkbError):
    """Input that cannot be used as given: an empty question, a count or number out of range."""


class ConfigError(HazkbError):
    """A setting is missing or invalid."""


class StoreError(HazkbError):
    """The database could not be opened or written."""
