"""quiz.resume: resume keys that survive a restart (the secret is a file in the data directory) and which exams a
page load may bring back (open, and not abandoned long ago)."""
from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone

from quiz.resume import KEY_FILE, RESTORE_WINDOW, ResumeKeys, restorable


def test_keys_survive_a_restart_and_differ_by_exam_and_home(tmp_path):
    keys = ResumeKeys.for_home(tmp_path / "home")
    key = keys.key("0123456789abcdef")
    assert len(key) == 32 and keys.check("0123456789abcdef", key)
    assert not keys.check("0123456789abcdee", key)  # another exam
    assert not keys.check("0123456789abcdef", "") and not keys.check("", key)
    path = tmp_path / "home" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = ResumeKeys.for_home(tmp_path / "home")  # the server restarted
    assert again.check("0123456789abcdef", key)
    other = ResumeKeys.for_home(tmp_path / "other-home")
    assert not other.check("0123456789abcdef", key)


def test_unwritable_home_keeps_keys_in_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    keys = ResumeKeys(blocker / "home" / KEY_FILE)  # its parent cannot be made
    assert keys.check("abc", keys.key("abc"))


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
