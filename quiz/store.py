"""The question bank: one `questions` table (SQLAlchemy Core) next to the catalog, SQLite by default.

Every question is checked (quiz.validate) before it is written. Duplicates are found by Question.fingerprint():
adding an item whose fingerprint is already stored returns the stored item's qid and writes nothing, except that
`store_many(merge_tags=True)` (imports) adds the new item's roles, enterprise types and topics to the stored one.
Empty `roles` / `enterprise_types` mean the item applies to every role / enterprise type.

Batches are written under the table's write lock (SQLite: the database's write lock taken before the duplicate
checks; PostgreSQL: LOCK TABLE), so two imports of one bank at once run one after the other and the second sees
the first's items as duplicates; a conflict that still happens is retried, then reported in plain Chinese.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from corpus.catalog import make_engine
from corpus.errors import StoreError
from corpus.tables import create_tables

from .errors import QuizError
from .model import QType, Question, Review
from .records import basis_to_dict, origin_to_dict, stored_question
from .validate import ensure_valid

log = logging.getLogger(__name__)

metadata = MetaData()

questions = Table(
    "questions",
    metadata,
    # `id` keeps insertion order (exports list items as they were imported); `qid` is the public key.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("qid", String(40), nullable=False, unique=True),
    Column("qtype", String(8), nullable=False, index=True),
    Column("stem", Text, nullable=False),
    Column("options", JSON, nullable=False),
    Column("answer", String(8), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("basis", JSON, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("enterprise_types", JSON, nullable=False),
    Column("topics", JSON, nullable=False),
    Column("difficulty", Integer, nullable=False),
    Column("origin", JSON, nullable=False),
    Column("review", String(16), nullable=False, index=True),
    Column("flags", JSON, nullable=False),
    Column("fingerprint", String(32), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


TAG_FIELDS = ("roles", "enterprise_types", "topics")
WRITE_ATTEMPTS = 4  # a batch that meets a conflicting concurrent write is tried this often in all
BUSY_MESSAGE = ("题库正在被另一项导入或修改占用（例如另一位管理员正在导入同一题库），本次没有写入任何题目，"
                "题库未受影响；请稍后重新导入同一文件，已导入的题目不会重复导入")


@dataclass
class Stored:
    """What writing one item did: its qid, whether it was already there, and the tags added to the stored item."""

    qid: str
    duplicate: bool
    added: dict[str, list[str]] = field(default_factory=dict)  # "roles" / "enterprise_types" -> tags added


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _values(question: Question) -> dict:
    return {
        "qtype": question.qtype.value, "stem": question.stem, "options": list(question.options),
        "answer": question.answer, "explanation": question.explanation,
        "basis": [basis_to_dict(b) for b in question.basis], "roles": list(question.roles),
        "enterprise_types": list(question.enterprise_types), "topics": list(question.topics),
        "difficulty": question.difficulty, "origin": origin_to_dict(question.origin),
        "review": question.review.value, "flags": list(question.flags), "fingerprint": question.fingerprint(),
    }


def _new_tags(stored, values: dict) -> dict[str, list[str]]:
    """Tags of a new copy of a stored item that the stored item lacks. Stored empty roles / enterprise types mean
    "all", which a tag would narrow, so those stay empty; topics are simply added."""
    added: dict[str, list[str]] = {}
    for name in TAG_FIELDS:
        current = list(stored[name] or [])
        if not current and name != "topics":
            continue
        extra = [t for t in dict.fromkeys(values[name]) if t not in current]
        if extra:
            added[name] = extra
    return added


def _busy(exc: OperationalError) -> bool:
    """SQLite's "database is locked" / "busy" (another writer held the lock past busy_timeout)."""
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's message without the SQL statement and its parameters."""
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def _question(row) -> Question:
    return stored_question(dict(row._mapping))


def _as_set(value, kind=None) -> set[str] | None:
    """A filter value: None (no filter), one value or several; enums become their values."""
    if value is None:
        return None
    if isinstance(value, (str, QType, Review, int)):
        value = [value]
    out = set()
    for v in value:
        if kind is not None and not isinstance(v, kind):
            v = kind(v)
        out.add(v.value if hasattr(v, "value") else v)
    return out


def _applies(tags: list[str], wanted: set[str] | None) -> bool:
    """Empty tags apply to everyone; otherwise one tag must be among the wanted ones."""
    return wanted is None or not tags or bool(wanted & set(tags))


class QuestionBank:
    """Read and write questions. Construct with a database URL; call `create()` once per home."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)

    def create(self) -> None:
        try:
            create_tables(metadata, self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"无法创建题库数据表（{exc}）；请检查数据目录的写权限或数据库地址") from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------------------

    def add(self, question: Question) -> tuple[str, bool]:
        """Store one question; returns (qid, is_duplicate). A duplicate returns the stored item's qid."""
        return self.add_many([question])[0]

    def add_many(self, items: Iterable[Question]) -> list[tuple[str, bool]]:
        """Store several questions in one transaction; one (qid, is_duplicate) per item, in order.

        A later item with the fingerprint of an earlier one in the same batch is a duplicate too.
        A qid already used by another item is replaced by a fresh one (the item's qid is updated).
        """
        return [(s.qid, s.duplicate) for s in self.store_many(items)]

    def store_many(self, items: Iterable[Question], merge_tags: bool = False) -> list[Stored]:
        """Store several questions in one transaction under the bank's write lock; one Stored per item, in order.

        With `merge_tags`, an item already stored gets the new item's roles, enterprise types and topics it lacks
        (a stored item with no roles / enterprise types applies to all of them already and is left so).
        A conflict with a concurrent writer is retried; if it persists, QuizError with a plain retry message.
        """
        items = list(items)
        for question in items:
            ensure_valid(question)
        given = [q.qid for q in items]
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.engine.begin() as conn:
                    self._lock(conn)
                    return [self._insert(conn, q, merge_tags) for q in items]
            except (IntegrityError, OperationalError) as exc:
                if isinstance(exc, OperationalError) and not _busy(exc):
                    raise StoreError(f"写入题库失败，已回滚，题库未受影响（{_reason(exc)}）") from exc
                for question, qid in zip(items, given):
                    question.qid = qid  # the rolled-back attempt may have assigned new ones
                log.warning("题库写入与另一项写入冲突（第 %d 次）：%s", attempt, _reason(exc))
                if attempt == WRITE_ATTEMPTS:
                    raise QuizError(BUSY_MESSAGE) from exc
                time.sleep(0.2 * attempt)
            except SQLAlchemyError as exc:
                raise StoreError(f"写入题库失败，已回滚，题库未受影响（{_reason(exc)}）") from exc
        raise AssertionError("unreachable")

    def _lock(self, conn: Connection) -> None:
        """Take the write lock before reading what is stored, so that concurrent batches run one after another."""
        if self.engine.dialect.name == "postgresql":
            conn.exec_driver_sql("LOCK TABLE questions IN SHARE ROW EXCLUSIVE MODE")
        elif self.engine.dialect.name == "sqlite":
            # A write statement begins SQLite's write transaction (waiting for busy_timeout) even when it matches
            # no row; the duplicate checks that follow then see every committed item.
            conn.exec_driver_sql("UPDATE questions SET id = id WHERE 0")

    def _insert(self, conn: Connection, question: Question, merge_tags: bool = False) -> Stored:
        values = _values(question)
        existing = conn.execute(select(questions.c.qid, questions.c.roles, questions.c.enterprise_types,
                                       questions.c.topics).where(
            questions.c.fingerprint == values["fingerprint"])).first()
        if existing is not None:
            added = _new_tags(existing._mapping, values) if merge_tags else {}
            if added:
                merged = {name: list(existing._mapping[name] or []) + added.get(name, []) for name in TAG_FIELDS}
                conn.execute(update(questions).where(questions.c.qid == existing.qid)
                             .values(**merged, updated_at=_now()))
            # Who gets the item changed only with roles / enterprise types; a topic is reported as a duplicate.
            return Stored(existing.qid, True, {k: v for k, v in added.items() if k != "topics"})
        qid = question.qid or values["fingerprint"]
        if self._qid_taken(conn, qid):
            old, qid, n = qid, values["fingerprint"], 1
            while self._qid_taken(conn, qid):
                n += 1
                qid = f"{values['fingerprint']}-{n}"
            log.info("题目编号 %s 已被另一道题使用，新题改用 %s", old, qid)
        question.qid = qid
        now = _now()
        conn.execute(insert(questions), [{**values, "qid": qid, "created_at": now, "updated_at": now}])
        return Stored(qid, False)

    @staticmethod
    def _qid_taken(conn: Connection, qid: str) -> bool:
        return conn.execute(select(questions.c.id).where(questions.c.qid == qid)).first() is not None

    def update(self, question: Question) -> None:
        """Rewrite a stored question (found by its qid) with the given contents."""
        ensure_valid(question)
        values = _values(question)
        with self.engine.begin() as conn:
            other = conn.execute(select(questions.c.qid).where(
                questions.c.fingerprint == values["fingerprint"], questions.c.qid != question.qid)).scalar()
            if other is not None:
                raise QuizError(f"修改后的题目 {question.qid} 与题库中的题目 {other} 重复；"
                                "请修改题干或选项，或停用其中一道")
            done = conn.execute(update(questions).where(questions.c.qid == question.qid)
                                .values(**values, updated_at=_now())).rowcount
        if not done:
            raise self._missing(question.qid)

    def set_review(self, qid: str, review: Review, clear_flags: bool = False) -> None:
        values: dict[str, object] = {"review": Review(review).value, "updated_at": _now()}
        if clear_flags:
            values["flags"] = []
        with self.engine.begin() as conn:
            done = conn.execute(update(questions).where(questions.c.qid == qid).values(**values)).rowcount
        if not done:
            raise self._missing(qid)

    def delete(self, qid: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(delete(questions).where(questions.c.qid == qid)).rowcount
        if not done:
            raise self._missing(qid)

    @staticmethod
    def _missing(qid: str) -> QuizError:
        return QuizError(f"题库中没有编号为 {qid} 的题目；用 hazkb quiz list 查看题目及其编号")

    # -- reading -------------------------------------------------------------------------------

    def get(self, qid: str) -> Question:
        with self.engine.connect() as conn:
            row = conn.execute(select(questions).where(questions.c.qid == qid)).first()
        if row is None:
            raise self._missing(qid)
        return _question(row)

    def find(self, fingerprint: str) -> Question | None:
        """The stored item with this fingerprint, if any."""
        with self.engine.connect() as conn:
            row = conn.execute(select(questions).where(questions.c.fingerprint == fingerprint)).first()
        return _question(row) if row else None

    def list(self, qtype=None, roles=None, enterprise_types=None, topics=None, review=None, difficulty=None,
             flagged: bool | None = None) -> list[Question]:
        """Questions in insertion order. Each filter takes one value or several (any of them matches).

        An item with no roles (enterprise types) matches every role (enterprise type) asked for;
        `topics` must share at least one topic; `flagged` True / False keeps items with / without flags.
        """
        query = select(questions).order_by(questions.c.id)
        qtypes, reviews, levels = _as_set(qtype, QType), _as_set(review, Review), _as_set(difficulty)
        if qtypes is not None:
            query = query.where(questions.c.qtype.in_(qtypes))
        if reviews is not None:
            query = query.where(questions.c.review.in_(reviews))
        if levels is not None:
            query = query.where(questions.c.difficulty.in_(levels))
        with self.engine.connect() as conn:
            items = [_question(r) for r in conn.execute(query)]
        wanted_roles, wanted_types, wanted_topics = _as_set(roles), _as_set(enterprise_types), _as_set(topics)
        return [
            q for q in items
            if _applies(q.roles, wanted_roles) and _applies(q.enterprise_types, wanted_types)
            and (wanted_topics is None or bool(wanted_topics & set(q.topics)))
            and (flagged is None or bool(q.flags) == flagged)
        ]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(questions)).scalar() or 0

    def stats(self) -> dict:
        """{"total", "by_type": {"判断": n, ...}, "by_review": {"approved": n, ...}, "flagged"}."""
        with self.engine.connect() as conn:
            by_type: dict[str, int] = dict(conn.execute(select(questions.c.qtype, func.count())
                                                        .group_by(questions.c.qtype)).all())
            by_review: dict[str, int] = dict(conn.execute(select(questions.c.review, func.count())
                                                          .group_by(questions.c.review)).all())
            flags = conn.execute(select(questions.c.flags)).scalars().all()
        return {
            "total": sum(by_type.values()),
            "by_type": {t.value: by_type.get(t.value, 0) for t in QType},
            "by_review": {r.value: by_review.get(r.value, 0) for r in Review},
            "flagged": sum(1 for f in flags if f),
        }


def open_bank(settings) -> QuestionBank:
    """Open (and create if new) the question bank of a home: the catalog's database, its own table."""
    from corpus.catalog import prepare_home

    prepare_home(settings)
    bank = QuestionBank(settings.db_url)
    bank.create()
    return bank
