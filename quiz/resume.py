"""Continuing an exam after a page reload or a server restart.

The browser that started (or resumed) an exam keeps its exam id in the page address and, with a resume key, in
its own storage. On the next page load it presents both and gets the same sheet back without asking for the ID
number; another device, or a browser without the key, is asked for the examinee's ID number instead.

A resume key is an HMAC of the exam id under a secret kept in the data directory (`HOME/exam-resume.key`, made on
first use, readable only by its owner), so keys stay valid across restarts; deleting the file revokes them all.
Where the file cannot be written the secret lives in memory: keys then last until the next restart, after which
the ID number is asked for.

What a page load may offer to continue (`restorable`): an exam not yet submitted whose time limit ended less than
RESTORE_WINDOW ago. Past its deadline such an exam opens at 00:00 and is submitted with the answers the server
holds; an exam abandoned for longer is left alone.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .exam import Exam

log = logging.getLogger(__name__)

RESTORE_WINDOW = timedelta(hours=6)
KEY_FILE = "exam-resume.key"


def _read_or_create(path: Path) -> bytes:
    """The secret in `path`, written there first (mode 0600, never overwritten) when the file does not exist."""
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return text.encode("ascii")
        log.warning("resume key file %s is too short; ignoring it", path)
    except FileNotFoundError:
        pass
    secret = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # written by another process in between (or too short: keep the one on disk)
        return path.read_text(encoding="ascii").strip().encode("ascii")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret.encode("ascii")


class ResumeKeys:
    """Resume keys for exams: `key(exam_id)` for the browser, `check(exam_id, key)` when it comes back."""

    def __init__(self, path: Path | None):
        self.path = path
        try:
            self._secret = _read_or_create(path) if path is not None else secrets.token_hex(32).encode("ascii")
        except (OSError, UnicodeError) as exc:
            log.warning("resume keys kept in memory only (%s); after a restart examinees are asked for their ID "
                        "number", exc)
            self._secret = secrets.token_hex(32).encode("ascii")

    @classmethod
    def for_home(cls, home: Path) -> ResumeKeys:
        return cls(Path(home) / KEY_FILE)

    def key(self, exam_id: str) -> str:
        return hmac.new(self._secret, str(exam_id).encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def check(self, exam_id: str, key: str | None) -> bool:
        if not exam_id or not key:
            return False
        return hmac.compare_digest(self.key(exam_id), str(key).strip())


def restorable(exam: Exam, now: datetime | None = None, window: timedelta = RESTORE_WINDOW) -> bool:
    """Whether a page load should bring this exam back: not submitted, and its deadline (kept on the server:
    start + time limit) passed less than `window` ago."""
    if exam.submitted:
        return False
    moment = now or exam.clock()
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment <= exam.deadline + window
