"""quiz.resume: resume keys that survive a restart and hold on every instance of one database (the secret is a row
in the exam database), a home's older key file adopted, and which exams a page load may bring back (open, and not
abandoned long ago)."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from conftest import POSTGRES_URL
from quiz.exam import ExamBook
from quiz.exam import metadata as exam_metadata
from quiz.resume import LEGACY_FILE, RESTORE_WINDOW, ResumeKeys, restorable
from quiz.store import QuestionBank

EXAM = "0123456789abcdef"


def _book(url: str) -> ExamBook:
    bank = QuestionBank(url)
    bank.create()
    book = ExamBook(bank, blueprints=[])
    book.create()
    return book


def test_keys_survive_a_restart_and_differ_by_exam_and_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'quiz.db'}"
    keys = ResumeKeys.for_book(_book(url), tmp_path)
    key = keys.key(EXAM)
    assert len(key) == 32 and keys.check(EXAM, key)
    assert not keys.check("0123456789abcdee", key)  # another exam
    assert not keys.check(EXAM, "") and not keys.check("", key)
    assert ResumeKeys.for_book(_book(url), tmp_path).check(EXAM, key)  # the server restarted
    other = ResumeKeys.for_book(_book(f"sqlite:///{tmp_path / 'other.db'}"), tmp_path)
    assert not other.check(EXAM, key)


def test_a_home_keeps_the_keys_of_its_older_key_file(tmp_path):
    (tmp_path / LEGACY_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    keys = ResumeKeys.for_book(_book(f"sqlite:///{tmp_path / 'quiz.db'}"), tmp_path)
    assert keys.key(EXAM) == ResumeKeys("ab" * 32).key(EXAM)


def test_unreachable_database_keeps_keys_in_memory(tmp_path):
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'quiz.db'}")  # its folder does not exist
    keys = ResumeKeys.for_engine(engine)
    assert keys.check("abc", keys.key("abc"))


@pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL server: .ci/run starts one and sets TEST_POSTGRES_URL")
def test_instances_starting_together_on_an_empty_postgresql_share_one_secret(tmp_path):
    """Two instances on one database: the tables made and the secret written by whichever comes first; a key one
    instance gave out is accepted by the other (an exam started on A is continued on B)."""
    from corpus.catalog import make_engine
    from quiz.store import metadata as bank_metadata

    engine = make_engine(POSTGRES_URL)
    exam_metadata.drop_all(engine)
    bank_metadata.drop_all(engine)
    engine.dispose()
    made: list = []
    barrier = threading.Barrier(4)

    def start():
        barrier.wait()
        made.append(ResumeKeys.for_book(_book(POSTGRES_URL), tmp_path))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 4
    key = made[0].key(EXAM)
    assert all(keys.check(EXAM, key) for keys in made)


def test_restorable_until_the_window_after_the_deadline():
    from quiz.exam import Exam
    from quiz.paper import Paper

    start = datetime(2026, 5, 1, 8, 0)  # naive UTC, as stored
    paper = Paper(paper_id="p", blueprint="b", role="安全管理人员", enterprise_type="危险化学品生产", seed=1,
                  items=[], time_limit=40, pass_mark=80, total_points=100)
    exam = Exam(exam_id="e", paper=paper, enterprise="某公司", enterprise_type="危险化学品生产", person="张三",
                id_number="无身份证号", role="安全管理人员", inspector="王检查", started_at=start, time_limit=40)
    assert restorable(exam, start + timedelta(minutes=10))
    assert restorable(exam, (start + timedelta(minutes=40) + RESTORE_WINDOW).replace(tzinfo=timezone.utc))
    assert not restorable(exam, start + timedelta(minutes=41) + RESTORE_WINDOW)
    exam.submitted_at = start + timedelta(minutes=20)
    assert not restorable(exam, start + timedelta(minutes=21))
