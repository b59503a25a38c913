"""The question bank: one `questions` table (SQLAlchemy Core) next to the catalog, SQLite by default.

Every question is checked (quiz.validate) before it is written. Duplicates are found by Question.fingerprint():
adding an item whose fingerprint is already stored returns the stored item's qid and writes nothing.
Empty `roles` / `enterprise_types` mean the item applies to every role / enterprise type.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
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
from sqlalchemy.exc import SQLAlchemyError

from corpus.catalog import make_engine
from corpus.errors import StoreError

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
            metadata.create_all(self.engine)
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
        items = list(items)
        for question in items:
            ensure_valid(question)
        results: list[tuple[str, bool]] = []
        try:
            with self.engine.begin() as conn:
                for question in items:
                    results.append(self._insert(conn, question))
        except SQLAlchemyError as exc:
            raise StoreError(f"写入题库失败，已回滚，题库未受影响（{exc}）") from exc
        return results

    def _insert(self, conn: Connection, question: Question) -> tuple[str, bool]:
        values = _values(question)
        existing = conn.execute(select(questions.c.qid).where(
            questions.c.fingerprint == values["fingerprint"])).scalar()
        if existing is not None:
            return existing, True
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
        return qid, False

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
