"""Continuing an exam after a page reload or a server restart.

The browser that started (or resumed) an exam keeps its exam id in the page address and, with a resume key, in
its own storage. On the next page load it presents both and gets the same sheet back without asking for the ID
number; another device, or a browser without the key, is asked for the examinee's ID number instead.

A resume key is an HMAC of the exam id under a secret kept in the exam database (table exam_secrets, made on first
use), so keys stay valid across restarts and every instance serving one database accepts the keys of the others:
an exam started on one instance is continued on another. A home from before this kept the secret in
`HOME/exam-resume.key`; that secret is adopted, so keys given out then stay valid. Deleting the row revokes all
keys. Where the database cannot be written the secret lives in memory: keys then last until the next restart, after
which the ID number is asked for.

What a page load may offer to continue (`restorable`): an exam not yet submitted whose time limit ended less than
RESTORE_WINDOW ago. Past its deadline such an exam opens at 00:00 and is submitted with the answers the server
holds; an exam abandoned for longer is left alone.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .exam import Exam, exam_secrets

log = logging.getLogger(__name__)

RESTORE_WINDOW = timedelta(hours=6)
SECRET_NAME = "exam-resume"
LEGACY_FILE = "exam-resume.key"  # where a home kept the secret before it moved into the database


def _new_secret() -> str:
    return secrets.token_hex(32)


def _legacy_secret(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return None
    return text if len(text) >= 32 else None


def _stored_secret(engine: Engine, legacy: Path | None) -> str:
    """The secret in the database, written there first (from the legacy file, else fresh) when it has none. Two
    instances starting at once both try the insert; the loser reads the winner's secret."""
    query = select(exam_secrets.c.value).where(exam_secrets.c.name == SECRET_NAME)
    with engine.connect() as conn:
        value = conn.execute(query).scalar()
    if value:
        return value
    try:
        with engine.begin() as conn:
            conn.execute(insert(exam_secrets).values(name=SECRET_NAME,
                                                     value=_legacy_secret(legacy) or _new_secret()))
    except IntegrityError:
        pass
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


class ResumeKeys:
    """Resume keys for exams: `key(exam_id)` for the browser, `check(exam_id, key)` when it comes back."""

    def __init__(self, secret: str):
        self._secret = secret.encode("ascii")

    @classmethod
    def for_engine(cls, engine: Engine, legacy: Path | None = None) -> ResumeKeys:
        """Keys under the secret shared through the exam database `engine` (its tables made by ExamBook.create)."""
        try:
            return cls(_stored_secret(engine, legacy))
        except SQLAlchemyError as exc:
            log.warning("resume keys kept in memory only (%s); after a restart examinees are asked for their ID "
                        "number", exc)
            return cls(_new_secret())

    @classmethod
    def for_book(cls, book, home: Path) -> ResumeKeys:
        """Keys for the exams of `book` (quiz.exam.ExamBook), adopting the secret a home kept in a file before."""
        return cls.for_engine(book.engine, Path(home) / LEGACY_FILE)

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
