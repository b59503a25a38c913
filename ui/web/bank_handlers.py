"""Event handlers of the 题库与组卷 page (bank_page.py, admin): import, generate, review, papers, exports.
Admin handlers check the session's login state themselves; hiding a panel is not the protection."""
from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from corpus.errors import HazkbError
from quiz.model import Review

from . import present
from . import quiz_present as qp
from .handlers import INTERNAL_ERROR
from .quiz_service import DeskHandlers

log = logging.getLogger(__name__)

NOT_ADMIN = "请先以管理员身份登录。"
REVIEW_FILTERS = [("待审核", Review.DRAFT.value), ("已审核", Review.APPROVED.value), ("已停用", Review.RETIRED.value),
                  ("全部", "all")]
REVIEW_ACTIONS = {"approve": Review.APPROVED, "retire": Review.RETIRED, "draft": Review.DRAFT}
EXPORT_SCOPES = [("全部题目", "all"), ("仅已审核", Review.APPROVED.value), ("仅待审核", Review.DRAFT.value)]
BANK_SUFFIXES = (".xlsx", ".csv", ".json")


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


class BankHandlers(DeskHandlers):
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

