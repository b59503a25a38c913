"""On-site exams (逢查必考): start, save each answer at once, submit, grade on the server, keep the record.

Two tables next to the question bank (same database): `exams` (one row per exam: the full paper with its seed and
keys, who sat it, where, the inspector, times, score, pass/fail and the per-item review) and `exam_answers` (one
row per answered item). Every `save_answer` is its own committed transaction, so a crash of the app, the browser
or the machine's process loses no answer that was acknowledged.

Times are stored as naive UTC; `local()` turns them into the local time for display and date filters.
Grading uses only what is stored: the paper's keys and points (from the blueprint), 多选 all-or-nothing.
"""
from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import overload

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    desc,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from corpus.errors import StoreError
from corpus.tables import create_tables

from .blueprint import Blueprint, blueprint_for, load_blueprints
from .errors import QuizError
from .model import QType, normalize_answer
from .paper import Paper, PaperItem, candidates, draw_paper
from .qtypes import rule
from .store import QuestionBank, open_bank, questions

metadata = MetaData()

exams = Table(
    "exams",
    metadata,
    Column("exam_id", String(32), primary_key=True),
    Column("paper", JSON, nullable=False),  # Paper.to_dict(): seed, items, keys, option order, points
    Column("blueprint", String(200), nullable=False),
    Column("enterprise", String(200), nullable=False, index=True),
    Column("enterprise_type", String(32), nullable=False),
    Column("person", String(100), nullable=False, index=True),
    Column("id_number", String(40), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("inspector", String(100), nullable=False),
    Column("started_at", DateTime, nullable=False, index=True),
    Column("submitted_at", DateTime, nullable=True),
    Column("score", Float, nullable=True),
    Column("passed", Boolean, nullable=True),
    Column("time_limit", Integer, nullable=False),  # minutes
    Column("result", JSON, nullable=True),  # per-item review, written at submission
)

# secrets of the exam service that every instance on this database must share (the resume-key secret, quiz.resume)
exam_secrets = Table(
    "exam_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(128), nullable=False),
)

exam_answers = Table(
    "exam_answers",
    metadata,
    Column("exam_id", String(32), ForeignKey("exams.exam_id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("answer", String(8), nullable=False),  # sorted letters in the presented order; "" = cleared
    Column("saved_at", DateTime, nullable=False),
)

GRACE = timedelta(minutes=2)  # answers still accepted this long after the time limit (clock drift, slow network)
NO_REPEAT = 3  # a person's last N exams are kept out of the next draw while the bank has other items
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@overload
def local(moment: datetime) -> datetime: ...
@overload
def local(moment: None) -> None: ...
def local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as the local time of this machine."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc).astimezone()


def _utc_bound(day: date) -> datetime:
    """Local midnight at the start of `day`, as naive UTC."""
    return _naive_utc(datetime.combine(day, time.min).astimezone())


def clean_text(value, what: str) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        raise QuizError(f"{what}不能为空；请填写{what}")
    return text


NO_ID = "无身份证号"  # what a form or `--id-number` passes for an examinee who has no resident ID with them
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")
_ID_HELP = f"请填写 18 位居民身份证号（前 17 位数字，最后一位数字或 X）；考生没有身份证号时请选择（命令行写）“{NO_ID}”"


def clean_id_number(value) -> str:
    """An 18-character resident ID (17 digits and a digit or X) with a valid check digit, upper case, spaces
    removed; or NO_ID for an examinee without one. Anything else is refused with what to type."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).upper()
    if not text:
        raise QuizError(f"身份证号不能为空（用于核对身份和避免重复抽到做过的题）；{_ID_HELP}")
    if text == NO_ID:
        return NO_ID
    if not _RESIDENT_ID.fullmatch(text):
        what = f"有 {len(text)} 位" if len(text) != 18 else "含有数字和末位 X 以外的字符"
        raise QuizError(f"身份证号格式不对：应为 18 位，填写的{what}；{_ID_HELP}")
    total = sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS))
    if "10X98765432"[total % 11] != text[17]:
        raise QuizError(f"身份证号 {mask_id(text)} 的校验位不正确（最后一位与前 17 位对不上，可能有数字填错）；"
                        "请核对后重新填写")
    return text


def mask_id(id_number: str) -> str:
    """'110101199003071234' -> '110***********1234': the middle digits hidden for printouts and exports."""
    text = id_number or ""
    if text == NO_ID:
        return text
    if len(text) <= 4:
        return "*" * len(text)
    if len(text) <= 8:
        return text[:1] + "*" * (len(text) - 3) + text[-2:]
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


@dataclass
class ItemReview:
    """One graded item: the presented item, the examinee's answer, the key, and why."""

    position: int
    qid: str
    qtype: QType
    stem: str
    options: list[str]
    answer: str  # "" = not answered
    key: str
    correct: bool
    points: float
    earned: float
    explanation: str = ""
    basis: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"position": self.position, "qid": self.qid, "qtype": self.qtype.value, "stem": self.stem,
                "options": list(self.options), "answer": self.answer, "key": self.key, "correct": self.correct,
                "points": self.points, "earned": self.earned, "explanation": self.explanation,
                "basis": list(self.basis), "topics": list(self.topics)}

    @classmethod
    def from_dict(cls, data: dict) -> ItemReview:
        return cls(position=int(data["position"]), qid=data["qid"], qtype=QType(data["qtype"]), stem=data["stem"],
                   options=list(data["options"]), answer=data.get("answer") or "", key=data["key"],
                   correct=bool(data["correct"]), points=data["points"], earned=data["earned"],
                   explanation=data.get("explanation") or "", basis=list(data.get("basis") or []),
                   topics=list(data.get("topics") or []))


@dataclass
class ExamResult:
    exam_id: str
    score: float
    total_points: float
    pass_mark: float
    passed: bool
    submitted_at: datetime
    items: list[ItemReview]

    @property
    def correct_count(self) -> int:
        return sum(1 for i in self.items if i.correct)

    def as_dict(self) -> dict:
        return {"exam_id": self.exam_id, "score": self.score, "total_points": self.total_points,
                "pass_mark": self.pass_mark, "passed": self.passed, "submitted_at": self.submitted_at.isoformat(),
                "correct": self.correct_count, "items": [i.as_dict() for i in self.items]}


def grade(paper: Paper, answers: dict[int, str]) -> tuple[float, list[ItemReview]]:
    """Score a paper: an item earns its points only when the answer equals the key (多选: all and only the keys)."""
    reviews = []
    for item in paper.items:
        given = answers.get(item.position, "")
        correct = rule(item.qtype).grade(given, item.key)
        reviews.append(ItemReview(
            position=item.position, qid=item.qid, qtype=item.qtype, stem=item.stem, options=list(item.options),
            answer=given, key=item.key, correct=correct, points=item.points, earned=item.points if correct else 0,
            explanation=item.explanation, basis=list(item.basis), topics=list(item.topics)))
    return sum(r.earned for r in reviews), reviews


@dataclass
class Exam:
    exam_id: str
    paper: Paper
    enterprise: str
    enterprise_type: str
    person: str
    id_number: str
    role: str
    inspector: str
    started_at: datetime  # naive UTC
    time_limit: int  # minutes
    submitted_at: datetime | None = None
    score: float | None = None
    passed: bool | None = None
    answers: dict[int, str] = field(default_factory=dict)  # position -> letters (only answered items)
    result: ExamResult | None = None
    clock: Callable[[], datetime] = field(default=utc_now, repr=False, compare=False)  # the book's clock

    @property
    def deadline(self) -> datetime:
        return self.started_at + timedelta(minutes=self.time_limit)

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def remaining_seconds(self, now: datetime | None = None) -> int:
        now = _naive_utc(now or self.clock())
        return max(0, int((self.deadline - now).total_seconds()))

    def status(self, now: datetime | None = None) -> str:
        if self.submitted:
            return "合格" if self.passed else "不合格"
        return "已超时未交卷" if self.remaining_seconds(now) == 0 else "考试中"

    def record(self, mask: bool = True) -> dict:
        """One row for listings and exports (the ID number masked unless mask=False)."""
        started = local(self.started_at)
        return {"exam_id": self.exam_id, "enterprise": self.enterprise, "enterprise_type": self.enterprise_type,
                "person": self.person, "id_number": mask_id(self.id_number) if mask else self.id_number,
                "role": self.role, "inspector": self.inspector, "blueprint": self.paper.blueprint,
                "started_at": started.isoformat(timespec="seconds"), "date": started.date().isoformat(),
                "submitted_at": (local(self.submitted_at).isoformat(timespec="seconds")
                                 if self.submitted_at is not None else None),
                "score": self.score, "total_points": self.paper.total_points, "pass_mark": self.paper.pass_mark,
                "passed": self.passed, "status": self.status(), "answered": len(self.answers),
                "items": len(self.paper.items)}

    def public_view(self, now: datetime | None = None) -> dict:
        """For the examinee's screen: the paper without keys, the saved answers and the time left."""
        return {"exam_id": self.exam_id, "person": self.person, "enterprise": self.enterprise, "role": self.role,
                "paper": self.paper.public_view(), "answers": {str(k): v for k, v in sorted(self.answers.items())},
                "remaining_seconds": self.remaining_seconds(now), "submitted": self.submitted}


class ExamBook:
    """Exam sessions and their records, in the question bank's database.

    `clock` returns the current time (aware UTC by default); tests pass their own to move time on.
    """

    def __init__(self, bank: QuestionBank, blueprints: list[Blueprint] | None = None,
                 clock: Callable[[], datetime] = utc_now, grace: timedelta = GRACE, no_repeat: int = NO_REPEAT):
        self.bank = bank
        self.engine = bank.engine
        self.blueprints = load_blueprints() if blueprints is None else blueprints
        self.clock = clock
        self.grace = grace
        self.no_repeat = no_repeat
        # candidate items per examinee kind, while the bank is unchanged
        self._pools: dict[tuple, tuple[tuple, list]] = {}

    def create(self) -> None:
        try:
            create_tables(metadata, self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"无法创建考试记录数据表（{exc}）；请检查数据目录的写权限或数据库地址") from exc

    def _now(self) -> datetime:
        return _naive_utc(self.clock())

    # -- sessions --------------------------------------------------------------------------------

    def start(self, enterprise: str, enterprise_type: str, person: str, id_number: str, role: str, inspector: str,
              seed: int | None = None) -> Exam:
        """Draw a paper by the blueprint for this role and enterprise type (leaving out what this person
        answered in the last `no_repeat` exams while the bank has other items) and open the exam."""
        enterprise = clean_text(enterprise, "企业名称")
        person = clean_text(person, "考生姓名")
        inspector = clean_text(inspector, "检查人员")
        id_number = clean_id_number(id_number)
        blueprint = blueprint_for(role, enterprise_type, self.blueprints)
        role = unicodedata.normalize("NFKC", role).replace(" ", "")
        enterprise_type = unicodedata.normalize("NFKC", enterprise_type).replace(" ", "")
        paper = draw_paper(self.bank, blueprint, seed=seed, role=role, enterprise_type=enterprise_type,
                           avoid=self.recent_qids(id_number), pool=self._pool(blueprint, role, enterprise_type))
        exam = Exam(exam_id=uuid.uuid4().hex[:16], paper=paper, enterprise=enterprise,
                    enterprise_type=enterprise_type, person=person, id_number=id_number, role=role,
                    inspector=inspector, started_at=self._now().replace(microsecond=0),
                    time_limit=blueprint.time_limit, clock=self.clock)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(exams), [{
                    "exam_id": exam.exam_id, "paper": paper.to_dict(), "blueprint": blueprint.name,
                    "enterprise": enterprise, "enterprise_type": enterprise_type, "person": person,
                    "id_number": id_number, "role": role, "inspector": inspector, "started_at": exam.started_at,
                    "time_limit": exam.time_limit}])
        except SQLAlchemyError as exc:
            raise StoreError(f"无法保存考试记录（{exc}）；请检查数据目录的写权限或数据库地址") from exc
        return exam

    def _pool(self, blueprint: Blueprint, role: str, enterprise_type: str) -> list:
        """The candidate items, read again only when the bank changed (item count, last change or last id)."""
        with self.engine.connect() as conn:
            version = tuple(conn.execute(select(func.count(), func.max(questions.c.updated_at),
                                                func.max(questions.c.id))).one())
        key = (blueprint.role, blueprint.enterprise_type, blueprint.topics, role, enterprise_type)
        cached = self._pools.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        pool = candidates(self.bank, blueprint, role, enterprise_type)
        self._pools[key] = (version, pool)
        return pool

    def recent_qids(self, id_number: str, n: int | None = None) -> set[str]:
        """The items of this person's last n exams (by ID number). Without an ID number (NO_ID) the person is
        unknown: nothing is avoided, so examinees without one are not taken for one person."""
        n = self.no_repeat if n is None else n
        if n <= 0 or clean_id_number(id_number) == NO_ID:
            return set()
        with self.engine.connect() as conn:
            papers = conn.execute(select(exams.c.paper).where(exams.c.id_number == clean_id_number(id_number))
                                  .order_by(desc(exams.c.started_at)).limit(n)).scalars().all()
        return {item["qid"] for paper in papers for item in _json(paper)["items"]}

    def save_answer(self, exam_id: str, position: int, letters: str) -> str:
        """Store (or replace) the answer to one item, committed at once; "" clears it. Returns the stored letters.

        Refused after submission and after the time limit (plus a short grace)."""
        now = self._now()
        with self.engine.begin() as conn:
            exam = _exam(self._row(conn, exam_id))
            self._check_open(exam, now)
            item = exam.paper.item(int(position))
            answer = _check_answer(item, letters)
            done = conn.execute(update(exam_answers).where(and_(
                exam_answers.c.exam_id == exam_id, exam_answers.c.position == item.position))
                .values(answer=answer, saved_at=now)).rowcount
            if not done:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(exam_answers), [{"exam_id": exam_id, "position": item.position,
                                                            "answer": answer, "saved_at": now}])
                except IntegrityError:  # saved by a concurrent request in between: overwrite it
                    conn.execute(update(exam_answers).where(and_(
                        exam_answers.c.exam_id == exam_id, exam_answers.c.position == item.position))
                        .values(answer=answer, saved_at=now))
        return answer

    def _check_open(self, exam: Exam, now: datetime) -> None:
        if exam.submitted:
            raise QuizError(f"考试 {exam.exam_id} 已于 {_hm(exam.submitted_at)} 交卷，不能再作答或修改答案")
        if now > exam.deadline + self.grace:
            raise QuizError(f"考试 {exam.exam_id} 的作答时间已到（限时 {exam.time_limit} 分钟，{_hm(exam.started_at)} "
                            f"开考），不能再作答或修改答案；已保存的答案有效，请交卷")

    def submit(self, exam_id: str) -> ExamResult:
        """Grade the exam from the stored paper and answers and record the result; only once."""
        now = self._now()
        with self.engine.begin() as conn:
            exam = _exam(self._row(conn, exam_id))
            if exam.submitted:
                raise QuizError(f"考试 {exam_id} 已于 {_hm(exam.submitted_at)} 交卷"
                                f"（得分 {exam.score:g}），不能重复交卷")
            answers = self._answers(conn, exam_id)
            score, reviews = grade(exam.paper, answers)
            passed = score >= exam.paper.pass_mark
            result = ExamResult(exam_id=exam_id, score=score, total_points=exam.paper.total_points,
                                pass_mark=exam.paper.pass_mark, passed=passed, submitted_at=now, items=reviews)
            done = conn.execute(update(exams).where(and_(exams.c.exam_id == exam_id, exams.c.submitted_at.is_(None)))
                                .values(submitted_at=now, score=score, passed=passed,
                                        result=[r.as_dict() for r in reviews])).rowcount
            if not done:  # submitted by a concurrent request in between
                raise QuizError(f"考试 {exam_id} 已交卷，不能重复交卷")
        return result

    def resume(self, exam_id: str) -> Exam:
        """The exam with every saved answer (after a crash, a reload or a change of device)."""
        return self.get(exam_id)

    def get(self, exam_id: str) -> Exam:
        with self.engine.connect() as conn:
            exam = _exam(self._row(conn, exam_id), self.clock)
            exam.answers = self._answers(conn, exam_id)
        return exam

    def delete(self, exam_id: str) -> None:
        with self.engine.begin() as conn:
            self._row(conn, exam_id)
            conn.execute(delete(exam_answers).where(exam_answers.c.exam_id == exam_id))
            conn.execute(delete(exams).where(exams.c.exam_id == exam_id))

    @staticmethod
    def _row(conn, exam_id: str):
        row = conn.execute(select(exams).where(exams.c.exam_id == str(exam_id).strip())).first()
        if row is None:
            raise QuizError(f"没有编号为 {exam_id} 的考试；用 hazkb quiz records 查看考试记录及其编号")
        return row

    @staticmethod
    def _answers(conn, exam_id: str) -> dict[int, str]:
        rows = conn.execute(select(exam_answers.c.position, exam_answers.c.answer)
                            .where(exam_answers.c.exam_id == exam_id)).all()
        return {int(p): a for p, a in rows if a}

    # -- records ---------------------------------------------------------------------------------

    def records(self, enterprise: str | None = None, person: str | None = None, id_number: str | None = None,
                role: str | None = None, date_from: date | None = None, date_to: date | None = None,
                submitted: bool | None = None, with_answers: bool = True) -> list[Exam]:
        """Exams, newest first. `enterprise` / `person` match a part of the name; dates are local calendar days,
        both ends included; `submitted` True / False keeps only submitted / open exams."""
        query = select(exams).order_by(desc(exams.c.started_at), exams.c.exam_id)
        if enterprise:
            query = query.where(exams.c.enterprise.contains(enterprise.strip(), autoescape=True))
        if person:
            query = query.where(exams.c.person.contains(person.strip(), autoescape=True))
        if id_number:
            query = query.where(exams.c.id_number == clean_id_number(id_number))
        if role:
            query = query.where(exams.c.role == unicodedata.normalize("NFKC", role).replace(" ", ""))
        if date_from:
            query = query.where(exams.c.started_at >= _utc_bound(date_from))
        if date_to:
            query = query.where(exams.c.started_at < _utc_bound(date_to + timedelta(days=1)))
        if submitted is not None:
            query = query.where(exams.c.submitted_at.isnot(None) if submitted else exams.c.submitted_at.is_(None))
        with self.engine.connect() as conn:
            found = [_exam(r, self.clock) for r in conn.execute(query)]
            if with_answers and found:
                ids = [e.exam_id for e in found]
                by_exam: dict[str, dict[int, str]] = {}
                for start in range(0, len(ids), 500):
                    rows = conn.execute(select(exam_answers).where(exam_answers.c.exam_id.in_(ids[start:start + 500])))
                    for r in rows:
                        if r.answer:
                            by_exam.setdefault(r.exam_id, {})[int(r.position)] = r.answer
                for e in found:
                    e.answers = by_exam.get(e.exam_id, {})
        return found


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _exam(row, clock: Callable[[], datetime] = utc_now) -> Exam:
    data = row._mapping
    paper = Paper.from_dict(_json(data["paper"]))
    exam = Exam(exam_id=data["exam_id"], paper=paper, enterprise=data["enterprise"],
                enterprise_type=data["enterprise_type"], person=data["person"], id_number=data["id_number"],
                role=data["role"], inspector=data["inspector"], started_at=data["started_at"],
                time_limit=data["time_limit"], submitted_at=data["submitted_at"], score=data["score"],
                passed=data["passed"], clock=clock)
    if data["result"] is not None and exam.submitted_at is not None and exam.score is not None:
        exam.result = ExamResult(exam_id=exam.exam_id, score=exam.score, total_points=paper.total_points,
                                 pass_mark=paper.pass_mark, passed=bool(exam.passed), submitted_at=exam.submitted_at,
                                 items=[ItemReview.from_dict(d) for d in _json(data["result"])])
    return exam


def _hm(moment: datetime | None) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _check_answer(item: PaperItem, letters) -> str:
    raw = unicodedata.normalize("NFKC", str(letters or "")).strip()
    answer = normalize_answer(raw) if raw else ""
    if raw and not answer:
        raise QuizError(f"第 {item.position} 题的答案“{letters}”无法识别；请填写选项字母，如 A 或 ABD")
    beyond = [c for c in answer if c not in item.letters]
    if beyond:
        raise QuizError(f"第 {item.position} 题只有 {item.letters[0]}–{item.letters[-1]} {len(item.letters)} 个选项，"
                        f"答案中的 {''.join(beyond)} 无效")
    if answer and rule(item.qtype).max_keys == 1 and len(answer) != 1:
        raise QuizError(f"第 {item.position} 题是{item.qtype.value}题，只能选一个答案，收到“{answer}”")
    return answer


def open_exams(settings, clock: Callable[[], datetime] = utc_now) -> ExamBook:
    """The exam book of a home: the bank's database, the shipped blueprints plus HOME/blueprints/*.json."""
    bank = open_bank(settings)
    book = ExamBook(bank, blueprints=load_blueprints(settings.home / "blueprints"), clock=clock)
    book.create()
    return book

