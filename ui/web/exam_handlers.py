"""Event handlers of the 现场考试 page (exam_page.py): parse what the page sent, call the library (through
ui.web.quiz_service.QuizDesk), return what the page shows, one value per name in EXAM_VIEW.

The exam id lives in a server-side gr.State; the examinee's screen gets the public view only until 交卷. The
browser keeps the exam id (address, localStorage) with a resume key and the answers the server has not confirmed;
it sends them (ClientState, as JSON in a hidden box) on page load, 继续考试 and the retry of unsaved answers.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import gradio as gr

from corpus.errors import HazkbError
from quiz.exam import NO_ID

from . import present
from . import quiz_present as qp
from .handlers import INTERNAL_ERROR
from .quiz_service import DeskHandlers

log = logging.getLogger(__name__)

# What every 现场考试 handler returns, in this order (layout.py wires the same names to its components).
EXAM_VIEW = ("exam_id", "armed", "form", "sheet", "result", "form_msg", "head", "timer", "sheet_msg", "result_head",
             "result_items", "record", "restore", "restore_msg", "restore_exam")
MAX_CLIENT_TEXT = 64_000  # the browser's state: an exam id, a key and a few pending answers


def _shown(visible: bool):
    return gr.update(visible=visible)


def _letters(value) -> str:
    """A radio's letter or a checkbox group's letters -> sorted letters ("" when unanswered)."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return "".join(sorted(value))


@dataclass
class ClientState:
    """What the browser sent (quiz_present.CLIENT_JS): the exam in the address or in its storage, its resume key,
    and the answers it holds unconfirmed by exam id (position -> letters)."""

    exam: str = ""
    address: bool = False  # the exam id came from the page address (a reload), not only from storage
    key: str = ""
    pending: dict[str, dict[int, str]] = field(default_factory=dict)


def parse_client(text) -> ClientState:
    """The hidden box's JSON; anything malformed or oversized counts as nothing kept."""
    raw = str(text or "")
    if not raw or len(raw) > MAX_CLIENT_TEXT:
        return ClientState()
    try:
        data = json.loads(raw)
    except ValueError:
        return ClientState()
    if not isinstance(data, dict):
        return ClientState()
    pending: dict[str, dict[int, str]] = {}
    for exam_id, items in (data.get("pending") or {}).items() if isinstance(data.get("pending"), dict) else ():
        if not isinstance(items, dict):
            continue
        answers = {int(p): str(v or "")[:16] for p, v in items.items() if str(p).isdigit() and 0 < int(p) <= 1000}
        if answers:
            pending[str(exam_id)[:64]] = answers
    return ClientState(exam=str(data.get("exam") or "").strip()[:64], address=bool(data.get("address")),
                       key=str(data.get("key") or "")[:128], pending=pending)



class ExamHandlers(DeskHandlers):
    # == 现场考试 ========================================================================================
    # Every handler returns one value per name in EXAM_VIEW (layout.py wires the components in that order).

    @staticmethod
    def _view(**values):
        return tuple(values.get(name, gr.update()) for name in EXAM_VIEW)

    def _form(self, message: str = ""):
        return self._view(exam_id=None, armed=False, form=_shown(True), sheet=_shown(False), result=_shown(False),
                          restore=_shown(False), restore_exam=None, form_msg=message, head="", timer="",
                          sheet_msg="", result_head="", result_items="", record=gr.update(value=None, visible=False))

    def _unchanged_with(self, message: str, armed: bool | None = None):
        """Stay on the current screen, showing `message` under the sheet."""
        return self._view(armed=gr.update() if armed is None else armed, sheet_msg=message)

    def _sheet(self, exam, saved: dict[int, str] | None = None, refused: dict[int, str] | None = None):
        view = exam.public_view()  # the paper without keys, explanations or bases
        total = len(view["paper"]["items"])
        return self._view(
            exam_id=exam.exam_id, armed=False, form=_shown(False), sheet=_shown(True), result=_shown(False),
            restore=_shown(False), restore_exam=None, form_msg="",
            head=qp.exam_head(view, self.desk.resume_key(exam)),
            timer=qp.timer_html(exam.exam_id, view["remaining_seconds"]),
            sheet_msg=qp.saved_html(exam.exam_id, view["answers"], total, saved, refused, view["remaining_seconds"]),
            result_head="", result_items="", record=gr.update(value=None, visible=False))

    def _result(self, exam):
        try:
            record = gr.update(value=str(self.desk.exam_docx(exam)), visible=True)
        except Exception:
            log.exception("exam record %s could not be written", exam.exam_id)
            record = gr.update(value=None, visible=False)
        return self._view(exam_id=exam.exam_id, armed=False, form=_shown(False), sheet=_shown(False),
                          result=_shown(True), restore=_shown(False), restore_exam=None, form_msg="",
                          result_head=qp.result_head_html(exam), result_items=qp.result_items_html(exam),
                          record=record)

    def _restore(self, exam, message: str = ""):
        """Ask for the examinee's ID number before showing a sheet this browser has no resume key for."""
        return self._view(exam_id=None, armed=False, form=_shown(False), sheet=_shown(False), result=_shown(False),
                          restore=_shown(True), restore_exam=exam.exam_id,
                          restore_msg=qp.restore_html(exam.public_view()) + message)

    def _continue(self, exam, client: ClientState):
        """The sheet of an open exam, after saving what this browser kept unsaved for it (or its result)."""
        if exam.submitted:
            return self._result(exam)
        kept = client.pending.get(exam.exam_id) or {}
        saved, refused = self.desk.save_answers(exam.exam_id, kept) if kept else ({}, {})
        if kept:
            log.info("exam %s: %d answers kept by the browser saved, %d refused", exam.exam_id, len(saved),
                     len(refused))
            exam = self.desk.exam(exam.exam_id)
        return self._sheet(exam, saved, refused)

    def start_exam(self, enterprise, enterprise_type, person, id_number, no_id, role, inspector):
        id_number = NO_ID if no_id else id_number
        missing = [name for name, value in (("企业名称", enterprise), ("企业类型", enterprise_type), ("姓名", person),
                                            ("身份证号", id_number), ("岗位", role), ("检查人员", inspector))
                   if not str(value or "").strip()]
        if missing:
            hint = "；考生没有身份证号时勾选“无身份证号”" if "身份证号" in missing else ""
            return self._form(present.notice(f"请填写或选择：{'、'.join(missing)}（带 * 的都是必填项）{hint}。",
                                             "error", "无法开始考试："))
        try:
            exam = self.desk.start_exam(enterprise, enterprise_type, person, id_number, role, inspector)
        except HazkbError as exc:
            return self._form(present.notice(str(exc), "error", "无法开始考试："))
        except Exception:
            log.exception("exam start failed")
            return self._form(present.notice(INTERNAL_ERROR, "error", "无法开始考试："))
        return self._sheet(exam)

    def resume_exam(self, exam_id, id_number, no_id, client):
        """继续未交卷的考试 with the exam id and the ID number (another device, or no resume key in this one)."""
        id_number = NO_ID if no_id else id_number
        if not (exam_id or "").strip() or not (id_number or "").strip():
            return self._form(present.notice("请填写考试编号和考生身份证号（考生没有身份证号时勾选“无身份证号”）。",
                                             "info"))
        try:
            exam = self.desk.resume(exam_id, id_number)
            return self._continue(exam, parse_client(client))
        except HazkbError as exc:
            return self._form(present.notice(str(exc), "error", "无法继续考试："))
        except Exception:
            log.exception("resuming exam %s failed", exam_id)
            return self._form(present.notice(INTERNAL_ERROR, "error", "无法继续考试："))

    def restore_on_load(self, client):
        """Page load: the exam in the address (or kept by this browser) comes back, straight to the sheet when
        the browser holds its resume key, else after the ID number. -> (*EXAM_VIEW, tabs)"""
        state = parse_client(client)
        if not state.exam:
            return (*self._view(), gr.update())
        tab = gr.update(selected="exam") if state.address else gr.update()
        try:
            exam = self.desk.stored_exam(state.exam)
            if exam is None:
                note = ""
                if state.address:
                    note = present.notice(f"地址中的考试 {state.exam} 已交卷、已过期或不存在，无需继续；"
                                          "需要时请由检查人员在考试记录中查看。", "info")
                return (*self._view(form_msg=qp.forget_marker(state.exam) + note), tab)
            tab = gr.update(selected="exam")
            if self.desk.key_fits(exam, state.key):
                log.info("exam %s resumed on page load", exam.exam_id)
                return (*self._continue(exam, state), tab)
            return (*self._restore(exam), tab)
        except HazkbError as exc:
            return (*self._form(present.notice(str(exc), "error", "无法继续考试：")), tab)
        except Exception:
            log.exception("restoring exam %s on page load failed", state.exam)
            return (*self._form(present.notice(INTERNAL_ERROR, "error", "无法继续考试：")), tab)

    def confirm_restore(self, exam_id, id_number, no_id, client):
        """The examinee confirmed the exam found on page load with the ID number."""
        if not exam_id:
            return self._form()
        id_number = NO_ID if no_id else id_number
        if not (id_number or "").strip():
            return self._restore_message(
                exam_id, present.notice("请填写考生的身份证号（考生没有身份证号时勾选“无身份证号”）。", "error"))
        try:
            exam = self.desk.resume(exam_id, id_number)
            return self._continue(exam, parse_client(client))
        except HazkbError as exc:
            return self._restore_message(exam_id, present.notice(str(exc), "error", "无法继续考试："))
        except Exception:
            log.exception("restoring exam %s failed", exam_id)
            return self._restore_message(exam_id, present.notice(INTERNAL_ERROR, "error", "无法继续考试："))

    def _restore_message(self, exam_id: str, message: str):
        try:
            return self._restore(self.desk.exam(exam_id), message)
        except HazkbError as exc:
            return self._form(present.notice(str(exc), "error", "无法继续考试："))

    def leave_restore(self, exam_id):
        """返回考试登记: not this examinee's exam; this browser forgets it."""
        return self._form(qp.forget_marker(exam_id) if exam_id else "")

    def sheet_view(self, exam_id) -> dict | None:
        """For the sheet's render: the public view of an open exam (None: nothing to show)."""
        if not exam_id:
            return None
        try:
            exam = self.desk.exam(exam_id)
        except HazkbError:
            return None
        return None if exam.submitted else exam.public_view()

    def save_answer(self, position: int, exam_id, value):
        """One answer changed on the examinee's screen: store it at once. -> sheet message (the status bar, whose
        data attributes confirm the stored letters to the page's script)"""
        if not exam_id:
            return qp.lost_html()
        letters = _letters(value)
        try:
            stored = self.desk.save_answer(exam_id, position, letters)
            exam = self.desk.exam(exam_id)
        except HazkbError as exc:
            return self._status(exam_id, refused={position: str(exc)})
        except Exception:
            log.exception("saving an answer failed: exam %s item %s", exam_id, position)
            return present.notice(INTERNAL_ERROR, "error", f"第 {position} 题未保存：")
        return qp.saved_html(exam_id, exam.answers, len(exam.paper.items), {position: stored},
                             remaining=exam.remaining_seconds())

    def save_kept(self, exam_id, client):
        """The page resends answers the server had not confirmed (after an outage). -> sheet message"""
        if not exam_id:
            return qp.lost_html()
        kept = parse_client(client).pending.get(exam_id) or {}
        try:
            saved, refused = self.desk.save_answers(exam_id, kept) if kept else ({}, {})
            if kept:
                log.info("exam %s: %d kept answers saved on retry, %d refused", exam_id, len(saved), len(refused))
            return self._status(exam_id, saved, refused)
        except Exception:
            log.exception("saving kept answers failed: exam %s", exam_id)
            return present.notice(INTERNAL_ERROR, "error", "本机暂存的答案未保存：")

    def _status(self, exam_id: str, saved: dict[int, str] | None = None, refused: dict[int, str] | None = None):
        try:
            exam = self.desk.exam(exam_id)
        except HazkbError as exc:
            return present.notice(str(exc), "error")
        return qp.saved_html(exam_id, exam.answers, len(exam.paper.items), saved, refused, exam.remaining_seconds())

    def submit_exam(self, exam_id, armed, *values):
        """交卷: with unanswered items the first press only warns; the second submits."""
        shown = {i + 1: _letters(v) for i, v in enumerate(values)}
        missing = [p for p, letters in shown.items() if not letters]
        if missing and not armed:
            listed = "、".join(str(p) for p in missing[:15]) + ("等" if len(missing) > 15 else "")
            return self._unchanged_with(present.notice(
                f"还有 {len(missing)} 题未作答（第 {listed} 题），未答的题不得分。确认交卷请再点一次“交卷”。",
                "warn", "尚未答完："), armed=True)
        return self._submit(exam_id, shown)

    def submit_on_timeout(self, exam_id, *values):
        """The countdown reached zero: submit what is answered."""
        return self._submit(exam_id, {i + 1: _letters(v) for i, v in enumerate(values)})

    def _submit(self, exam_id, shown: dict[int, str]):
        if not exam_id:
            return self._form(present.notice("考试未开始或已结束。", "info"))
        try:
            exam = self.desk.exam(exam_id)
            if not exam.submitted:
                exam = self.desk.submit(exam_id, shown)
        except HazkbError as exc:
            return self._unchanged_with(present.notice(str(exc), "error", "交卷失败："))
        except Exception:
            log.exception("submitting exam %s failed", exam_id)
            return self._unchanged_with(present.notice(INTERNAL_ERROR, "error", "交卷失败："))
        return self._result(exam)

    def new_exam(self):
        """Back to the form for the next examinee (enterprise, type and inspector stay filled).
        -> (*EXAM_VIEW, person, id number, no-ID box)"""
        return (*self._form(), gr.update(value=""), gr.update(value="", interactive=True), gr.update(value=False))

    @staticmethod
    def no_id_changed(no_id):
        """无身份证号 ticked: the ID field holds NO_ID and is locked; unticked: empty again."""
        if no_id:
            return gr.update(value=NO_ID, interactive=False)
        return gr.update(value="", interactive=True)

