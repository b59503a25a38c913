"""Event handlers of the 现场考试, 题库与组卷 and 评测 tabs: parse what the page sent, call the library (through
ui.web.quiz_service.QuizDesk), return what the page shows. Each return tuple matches the outputs wired in layout.py.

The exam id lives in a server-side gr.State; the examinee's screen gets the public view only until 交卷. The
browser keeps the exam id (address, localStorage) with a resume key and the answers the server has not confirmed;
it sends them (ClientState, as JSON in a hidden box) on page load, 继续考试 and the retry of unsaved answers.
Admin handlers check the session's login state themselves; hiding a panel is not the protection.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from corpus.errors import HazkbError
from quiz.exam import NO_ID
from quiz.model import Review

from . import present
from . import quiz_present as qp
from .handlers import INTERNAL_ERROR

log = logging.getLogger(__name__)

NOT_ADMIN = "请先以管理员身份登录。"
REVIEW_FILTERS = [("待审核", Review.DRAFT.value), ("已审核", Review.APPROVED.value), ("已停用", Review.RETIRED.value),
                  ("全部", "all")]
REVIEW_ACTIONS = {"approve": Review.APPROVED, "retire": Review.RETIRED, "draft": Review.DRAFT}
EXPORT_SCOPES = [("全部题目", "all"), ("仅已审核", Review.APPROVED.value), ("仅待审核", Review.DRAFT.value)]
EVAL_SOURCES = [("不评测题库", "none"), ("本系统题库（已审核题目）", "bank"), ("上传的题库文件", "upload")]
BANK_SUFFIXES = (".xlsx", ".csv", ".json")
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


def _path(upload) -> Path | None:
    if upload is None:
        return None
    return Path(upload if isinstance(upload, str) else upload.name)


def _seed(text) -> int | None:
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise ValueError(f"随机种子应为整数，而不是“{value}”；留空则随机抽题") from None


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


class QuizHandlers:
    def __init__(self, service):
        self.service = service

    @property
    def desk(self):
        return self.service.quiz

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

    # == 题库与组卷 (admin) ==============================================================================

    def bank_data(self, is_admin: bool, review: str | None, text: str | None):
        """-> (bank stats, list info, item table, item dropdown)"""
        if not is_admin:
            return "", "", gr.update(value=[]), gr.update(choices=[], value=None)
        wanted = None if not review or review == "all" else review
        items = self.desk.items(wanted, text)
        label = dict((v, k) for k, v in REVIEW_FILTERS).get(review or "all", "全部")
        return (qp.bank_stats_html(self.desk.bank.stats()),
                qp.items_info(len(items[:qp.SHOWN_ITEMS]), len(items), label),
                gr.update(value=qp.question_rows(items)),
                gr.update(choices=[qp.question_choice(q) for q in items[:qp.SHOWN_ITEMS]], value=None))

    def records_data(self, is_admin: bool):
        if not is_admin:
            return gr.update(value=[])
        return gr.update(value=qp.record_rows(self.desk.records()))

    def import_bank(self, upload, roles, enterprise_types, is_admin, review, text,
                    progress=gr.Progress()):
        """-> (report html, file box, *bank data)"""
        if not is_admin:
            return (present.notice(NOT_ADMIN, "error"), gr.update(), *self.bank_data(False, review, text))
        path = _path(upload)
        if path is None:
            return (present.notice("请先选择题库文件（.xlsx、.csv 或 .json）。", "info"), gr.update(),
                    *self.bank_data(is_admin, review, text))
        progress(0.2, desc=f"正在导入 {path.name}")
        try:
            report = self.desk.import_bank(path, roles, enterprise_types)
        except HazkbError as exc:
            return (present.notice(str(exc), "error", f"{path.name} 未导入："), gr.update(),
                    *self.bank_data(is_admin, review, text))
        except Exception:
            log.exception("bank import failed: %s", path)
            return (present.notice(INTERNAL_ERROR, "error", "导入失败："), gr.update(),
                    *self.bank_data(is_admin, review, text))
        return (qp.import_report_html(report, path.name), gr.update(value=None),
                *self.bank_data(is_admin, review, text))

    def law_choices(self, default: str):
        titles = self.service.law_titles()
        return gr.update(choices=titles, value=default if default in titles else (titles[0] if titles else None))

    def generate(self, law, n, seed, is_admin, review, text, progress=gr.Progress()):
        """-> (report html, *bank data)"""
        if not is_admin:
            return (present.notice(NOT_ADMIN, "error"), *self.bank_data(False, review, text))
        if not law:
            return (present.notice("请先选择法规。", "info"), *self.bank_data(is_admin, review, text))
        try:
            count = int(n or 0)
            seed_value = _seed(seed) or 0
        except (TypeError, ValueError) as exc:
            return (present.notice(str(exc), "error"), *self.bank_data(is_admin, review, text))
        if not 1 <= count <= 200:
            return (present.notice("生成数量应为 1–200 道。", "error"), *self.bank_data(is_admin, review, text))
        progress(0.2, desc=f"正在从《{law}》生成题目")
        try:
            outcome = self.desk.generate(law, count, seed_value)
        except HazkbError as exc:
            return (present.notice(str(exc), "error", "生成失败："), *self.bank_data(is_admin, review, text))
        except Exception:
            log.exception("generation failed: %s", law)
            return (present.notice(INTERNAL_ERROR, "error", "生成失败："), *self.bank_data(is_admin, review, text))
        return (qp.generation_html(law, count, outcome), *self.bank_data(is_admin, review, text))

    def show_item(self, qid, is_admin):
        if not is_admin or not qid:
            return ""
        try:
            return qp.question_html(self.desk.question(qid))
        except HazkbError as exc:
            return present.notice(str(exc), "error")

    def set_review(self, action: str, qid, is_admin, review, text):
        """-> (message, item view, *bank data)"""
        if not is_admin:
            return (present.notice(NOT_ADMIN, "error"), "", *self.bank_data(False, review, text))
        if not qid:
            return (present.notice("请先在“选择题目”中选一道题。", "info"), gr.update(),
                    *(gr.update(),) * 4)
        target = REVIEW_ACTIONS[action]
        try:
            question = self.desk.set_review(qid, target)
        except HazkbError as exc:
            return (present.notice(str(exc), "error"), gr.update(), *self.bank_data(is_admin, review, text))
        message = present.notice(f"题目 {qid} 已设为“{target.label}”。"
                                 + ("审核通过的题目可用于组卷和现场考试。" if target is Review.APPROVED else ""), "ok")
        stats, info, table, _choices = self.bank_data(is_admin, review, text)
        return message, qp.question_html(question), stats, info, table, gr.update()

    def build_paper(self, role, enterprise_type, seed, is_admin):
        """-> (paper state, paper html, docx file)"""
        if not is_admin:
            return None, present.notice(NOT_ADMIN, "error"), gr.update(value=None)
        if not role or not enterprise_type:
            return None, present.notice("请选择岗位和企业类型。", "info"), gr.update(value=None)
        try:
            paper = self.desk.build_paper(role, enterprise_type, _seed(seed))
        except ValueError as exc:
            return None, present.notice(str(exc), "error"), gr.update(value=None)
        except HazkbError as exc:
            return None, present.notice(str(exc), "error", "无法组卷："), gr.update(value=None)
        return paper, qp.paper_html(paper), gr.update(value=None)

    def paper_docx(self, paper, with_key, is_admin):
        """-> (message, docx file)"""
        if not is_admin:
            return present.notice(NOT_ADMIN, "error"), gr.update(value=None)
        if paper is None:
            return present.notice("请先组卷。", "info"), gr.update(value=None)
        path = self.desk.paper_docx(paper, with_key=bool(with_key))
        what = "含答案的检查人员用卷" if with_key else "空白试卷"
        return present.notice(f"已生成{what}：{path.name}", "ok"), gr.update(value=str(path))

    def export_bank(self, scope, is_admin):
        """-> (message, xlsx file)"""
        if not is_admin:
            return present.notice(NOT_ADMIN, "error"), gr.update(value=None)
        path, count = self.desk.export_bank(None if not scope or scope == "all" else scope)
        return (present.notice(f"已导出 {count} 道题：{path.name}（标准模板格式，可修改后重新导入）", "ok"),
                gr.update(value=str(path)))

    def export_records(self, is_admin):
        """-> (message, xlsx file, records table)"""
        if not is_admin:
            return present.notice(NOT_ADMIN, "error"), gr.update(value=None), gr.update(value=[])
        exams = self.desk.records()
        path = self.desk.records_xlsx(exams)
        return (present.notice(f"已导出 {len(exams)} 场考试的记录和答题明细：{path.name}", "ok"),
                gr.update(value=str(path)), gr.update(value=qp.record_rows(exams)))

    # == 评测 (admin) ===================================================================================

    def run_eval(self, source, upload, n_generated, baselines, trust, is_admin,
                 progress=gr.Progress(track_tqdm=True)):
        """-> (status html, figures table, charts gallery, report files)"""
        empty = (gr.update(value=[]), "", gr.update(value=None))
        if not is_admin:
            return (present.notice(NOT_ADMIN, "error"), *empty)
        banks: list[Path] = []
        if source == "upload":
            path = _path(upload)
            if path is None:
                return (present.notice("请先选择要评测的题库文件（.xlsx、.csv 或 .json）。", "info"), *empty)
            if path.suffix.lower() not in BANK_SUFFIXES:
                return (present.notice(f"不支持的题库文件类型：{path.name}；支持 .xlsx、.csv、.json", "error"), *empty)
            banks.append(path)
        elif source == "bank":
            snapshot, count = self.desk.bank_snapshot()
            if not count:
                return (present.notice("本系统题库中还没有已审核的题目；请先导入或审核题目，或选择上传题库文件。",
                                       "info"), *empty)
            banks.append(snapshot)
        try:
            n = int(n_generated or 0)
        except (TypeError, ValueError):
            n = 0
        progress(0.02, desc="正在评测：检索准确率、查条、拒答" + ("、引用可信度" if trust else "")
                 + ("、题库作答" if banks or n else ""))
        started = time.monotonic()
        try:
            results, paths = self.desk.run_eval(banks, n, bool(baselines), bool(trust))
        except ImportError as exc:
            log.warning("evaluation unavailable: %s", exc)
            return (present.notice("评测图表需要 matplotlib；请运行 pip install -e '.[eval]' 后重新启动服务。",
                                   "error"), *empty)
        except HazkbError as exc:
            return (present.notice(str(exc), "error", "评测失败："), *empty)
        except Exception:
            log.exception("evaluation failed")
            return (present.notice(INTERNAL_ERROR, "error", "评测失败："), *empty)
        files = [paths["html"], paths["markdown"], paths["json"]]
        return (qp.eval_summary_html(results, paths, time.monotonic() - started),
                gr.update(value=qp.eval_rows(results)), qp.charts_html(paths["charts"]), gr.update(value=files))
