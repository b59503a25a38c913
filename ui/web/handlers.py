"""Event handlers: parse what the page sent, call the service (the library), return what the page shows.

Each method's return tuple matches the outputs wired in layout.py, in order. Admin handlers check the
session's login state themselves; hiding the panel is not the protection.
"""
from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

import gradio as gr

from corpus.errors import HazkbError
from corpus.legal_text import iso_date

from . import auth, present
from .service import ALL_LAWS, WebService, chapter_of, chosen_unit_type, unit_choice

log = logging.getLogger(__name__)

ALL_CHAPTERS = "全部章节"
LOGIN_DELAY = 1.0  # seconds after a failed login: slows down guessing
INTERNAL_ERROR = "系统内部错误，请稍后重试；如果反复出现，请把服务器日志提供给系统维护人员。"


def parse_as_of(text: str | None) -> date | None:
    """The 按某日有效的版本 box: empty is today's law (None), else a YYYY-MM-DD date (ValueError with the message)."""
    value = (text or "").strip()
    return iso_date(value) if value else None


def _list_info(text: str) -> str:
    return f'<div class="hz-list-info">{present._e(text)}</div>'


class Handlers:
    def __init__(self, service: WebService):
        self.service = service

    def _uploads(self):
        return self.service.uploads

    # -- page load -----------------------------------------------------------------------------------

    def header(self) -> str:
        counts = self.service.catalog.counts()
        mode = "关键词 + 向量检索" if self.service.searcher.dense is not None else "关键词检索"
        return (f'<div class="hz-header"><div class="hz-title">危化安监知识库</div>'
                f'<div class="hz-subtitle">危险化学品安全监管 · 法规问答、条文检索与现场考试 · '
                f'已收录 {counts["documents"]} 个文档、{counts["units"]} 个条文/单元 · {mode}</div></div>')

    def law_filter_update(self):
        return gr.update(choices=[ALL_LAWS, *self.service.law_titles()])

    def after_write(self):
        """After an upload or a removal: the header counts and the law lists.
        -> (header, QA law, browse law, 违法行为库 law)"""
        try:
            rows_laws = gr.update(choices=[ALL_LAWS, *self.service.violations.laws()])
        except Exception:
            log.exception("violation catalog failed to load")
            rows_laws = gr.update()
        return (self.header(), self.law_filter_update(), gr.update(choices=self.service.law_options()), rows_laws)

    # -- 法规问答 -------------------------------------------------------------------------------------

    def ask(self, question: str, law: str | None, levels: list[str] | None, as_of_text: str | None,
            unit_type: str | None = None):
        """-> (notices html, conclusion html, enforcement block textbox, citation cards html, the answer's row
        marks: what the 违法行为库 page says of a row opened from the answer)"""
        from .violation_handlers import answer_marks

        hidden = gr.update(value="", visible=False)
        question = (question or "").strip()
        if not question:
            tip = "请输入检查中发现的问题，例如“储存场所没设安全警示标志，依据哪条？怎么罚？”"
            return present.notice(tip, "info"), "", hidden, "", {}
        try:
            as_of = parse_as_of(as_of_text)
        except ValueError as exc:
            return present.notice(str(exc), "error", "日期有误："), "", hidden, "", {}
        law = None if not law or law == ALL_LAWS else law
        try:
            answer = self.service.ask(question, law=law, levels=levels, as_of=as_of,
                                      unit_type=chosen_unit_type(unit_type))
        except HazkbError as exc:
            return present.notice(str(exc), "error", "查询失败："), "", hidden, "", {}
        except Exception:
            log.exception("question failed: %s", question)
            return present.notice(INTERNAL_ERROR, "error", "查询失败："), "", hidden, "", {}
        block = answer.enforcement_block()  # 确定 citations only: none, no block (the notices say 待核对)
        return (present.answer_notices(answer), present.conclusion_html(answer),
                gr.update(value=block, visible=bool(block)), present.answer_html(answer, self._uploads()),
                answer_marks(answer))

    # -- 条文检索 -------------------------------------------------------------------------------------

    def browse_init(self):
        """On page load: the law list, opened at 危险化学品安全管理条例 (or the first law)."""
        doc_id = self.service.default_doc()
        law = gr.update(choices=self.service.law_options(), value=doc_id)
        return (law, *self.open_law(doc_id))

    def open_law(self, doc_id: str | None):
        """-> (doc header, chapter dropdown, article list, list info, article view, related dropdown)"""
        empty_related = gr.update(choices=[], value=None)
        if not doc_id:
            return ("", gr.update(choices=[ALL_CHAPTERS], value=ALL_CHAPTERS), gr.update(choices=[], value=None),
                    _list_info("请选择法规"), "", empty_related)
        try:
            record, chapters, units = self.service.outline(doc_id)
        except HazkbError as exc:
            return (present.notice(str(exc), "error"), gr.update(choices=[ALL_CHAPTERS], value=ALL_CHAPTERS),
                    gr.update(choices=[], value=None), "", "", empty_related)
        chapter_choices = [ALL_CHAPTERS, *chapters] if len(chapters) > 1 else [ALL_CHAPTERS]
        return (present.doc_header(record, self._uploads()),
                gr.update(choices=chapter_choices, value=ALL_CHAPTERS),
                gr.update(choices=[unit_choice(u) for u in units], value=None),
                _list_info(f"共 {len(units)} 条，点击条文查看原文及关联条文"),
                '<div class="hz-placeholder">从左侧列表选择条文，或在本法规中检索。</div>', empty_related)

    def chapter(self, doc_id: str | None, chapter: str | None):
        """-> (article list, list info)"""
        if not doc_id:
            return gr.update(choices=[], value=None), _list_info("请选择法规")
        _record, _chapters, units = self.service.outline(doc_id)
        if chapter and chapter != ALL_CHAPTERS:
            units = [u for u in units if chapter_of(u) == chapter]
        return (gr.update(choices=[unit_choice(u) for u in units], value=None),
                _list_info(f"{chapter or ALL_CHAPTERS}：{len(units)} 条"))

    def search(self, doc_id: str | None, query: str | None):
        """-> (article list, list info, chapter dropdown)"""
        query = (query or "").strip()
        if not doc_id:
            return gr.update(choices=[], value=None), _list_info("请先选择法规"), gr.update()
        if not query:
            articles, info = self.chapter(doc_id, ALL_CHAPTERS)
            return articles, info, gr.update(value=ALL_CHAPTERS)
        try:
            hits = self.service.search_law(doc_id, query)
        except HazkbError as exc:
            return gr.update(choices=[], value=None), _list_info(str(exc)), gr.update()
        info = f"“{query}”：找到 {len(hits)} 条" if hits else f"“{query}”：本法规中没有找到相关条文"
        return (gr.update(choices=[unit_choice(h.unit) for h in hits], value=None), _list_info(info),
                gr.update(value=ALL_CHAPTERS))

    def open_article(self, unit_id: str | None):
        """-> (article view, related dropdown)"""
        if not unit_id:
            return gr.update(), gr.update()
        try:
            record = self.service.article(unit_id)
        except HazkbError as exc:
            return present.notice(str(exc), "error"), gr.update(choices=[], value=None)
        related = []
        for p in record["penalties"]:
            related.append((f"处罚：《{p['law']}》{p['article']}", p["unit_id"]))
        for s in record["sanctions"]:
            related.append((f"违法行为：《{s['law']}》{s['article']}", s["unit_id"]))
        for c in record["cites"]:
            if c["unit_id"]:
                related.append((f"引用：《{c['law']}》{c['article']}", c["unit_id"]))
        for c in record["cited_by"]:
            related.append((f"被引用：《{c['law']}》{c['article']}", c["unit_id"]))
        unique = list(dict.fromkeys(related))
        return (present.article_html(record, self._uploads()),
                gr.update(choices=unique, value=None, interactive=bool(unique),
                          label=f"打开关联条文（{len(unique)} 条）" if unique else "打开关联条文（无）"))

    def jump(self, unit_id: str | None):
        """Open a related article, in its own law. -> (law, doc header, chapter, article list, list info,
        article view, related)"""
        if not unit_id:
            return (gr.update(),) * 7
        try:
            unit = self.service.catalog.unit(unit_id)
        except HazkbError as exc:
            return (gr.update(),) * 5 + (present.notice(str(exc), "error"), gr.update())
        header, _chapter, _articles, _info, _view, _related = self.open_law(unit.doc_id)
        record, chapters, units = self.service.outline(unit.doc_id)
        chapter = chapter_of(unit)
        in_chapter = [u for u in units if chapter_of(u) == chapter]
        chapter_choices = [ALL_CHAPTERS, *chapters] if len(chapters) > 1 else [ALL_CHAPTERS]
        chapter_value = chapter if chapter in chapter_choices else ALL_CHAPTERS
        shown = in_chapter if chapter_value != ALL_CHAPTERS else units
        view, related = self.open_article(unit_id)
        return (gr.update(value=unit.doc_id), header, gr.update(choices=chapter_choices, value=chapter_value),
                gr.update(choices=[unit_choice(u) for u in shown], value=unit_id),
                _list_info(f"{chapter_value}：{len(shown)} 条"), view, related)

    # -- 知识库 (admin) -------------------------------------------------------------------------------

    def login(self, user: str | None, password: str | None, request: gr.Request):
        """Throttled, logged admin login; success opens a server-side session whose token goes to the page's
        ticket box (the page turns it into an HttpOnly cookie, then the gates open).
        -> (admin state, login box, admin box, login message, password box, ticket, *admin data)"""
        client = auth.client_of(request)
        try:
            outcome = self.service.admins.login(user, password, client)
            ticket = self.service.admins.open_session(outcome.user) if outcome.ok else ""
        except HazkbError as exc:
            return (False, gr.update(), gr.update(), present.notice(str(exc), "error", "登录失败："),
                    gr.update(value=""), "", *self._no_admin_data())
        if outcome.ok:
            return (True, gr.update(), gr.update(), "", gr.update(value=""), ticket, *self.admin_data(True, ""))
        time.sleep(LOGIN_DELAY)
        return (False, gr.update(visible=True), gr.update(visible=False),
                present.notice(outcome.message(), "error"), gr.update(value=""), "", *self._no_admin_data())

    def logout(self):
        return (False, gr.update(visible=True), gr.update(visible=False),
                present.notice("已退出登录。", "info"), gr.update(value=""), auth.LOGOUT, *self._no_admin_data())

    @staticmethod
    def gates(is_admin: bool, count: int):
        """Every tab's login form and admin panel follow the session's login state.
        -> (login box, panel, login message) per gate"""
        updates = []
        for _ in range(count):
            updates += [gr.update(visible=not is_admin), gr.update(visible=bool(is_admin)),
                        "" if is_admin else gr.update()]
        return tuple(updates)

    @staticmethod
    def _no_admin_data():
        return "", gr.update(value=[]), gr.update(choices=[], value=None)

    def admin_data(self, is_admin: bool, title_filter: str | None):
        """-> (document count, document table, removal dropdown)"""
        if not is_admin:
            return self._no_admin_data()
        records = self._records()
        wanted = (title_filter or "").strip()
        shown = [r for r in records if wanted in r["title"]] if wanted else records
        count = present.doc_count(records)
        if wanted:
            count += _list_info(f"标题含“{wanted}”：{len(shown)} 个")
        return (count, gr.update(value=present.doc_rows(shown, self._uploads())),
                gr.update(choices=self.service.law_options(), value=None))

    def _records(self) -> list[dict]:
        from corpus.views import doc_record

        return [doc_record(d) for d in self.service.documents()]

    def upload(self, files, is_admin: bool, title_filter: str | None, progress=gr.Progress(track_tqdm=True)):
        """-> (report html, file box, *admin data)"""
        if not is_admin:
            return (present.notice("请先以管理员身份登录。", "error"), gr.update(), *self._no_admin_data())
        paths = [Path(f if isinstance(f, str) else f.name) for f in (files or [])]
        if not paths:
            return (present.notice("请先选择要上传的文件。", "info"), gr.update(),
                    *self.admin_data(is_admin, title_filter))
        progress(0.1, desc=f"正在导入 {len(paths)} 个文件")
        try:
            outcome = self.service.ingest_uploads([(p, p.name) for p in paths])
        except Exception:
            log.exception("upload failed")
            return (present.notice(INTERNAL_ERROR, "error", "导入失败："), gr.update(),
                    *self.admin_data(is_admin, title_filter))
        progress(1.0, desc="完成")
        html = present.ingest_report_html(outcome.report, outcome.rejected, outcome.names)
        return (html, gr.update(value=None), *self.admin_data(is_admin, title_filter))

    def remove(self, doc_id: str | None, confirmed: bool, is_admin: bool, title_filter: str | None):
        """-> (message, confirm checkbox, *admin data)"""
        if not is_admin:
            return (present.notice("请先以管理员身份登录。", "error"), gr.update(), *self._no_admin_data())
        unchanged = (gr.update(),) * 4  # keep the choice, the checkbox and the list as they are
        if not doc_id:
            return (present.notice("请先选择要删除的文档。", "info"), *unchanged)
        if not confirmed:
            return (present.notice("请勾选“确认删除”后再点删除。", "info"), *unchanged)
        try:
            doc = self.service.remove(doc_id)
        except HazkbError as exc:
            return (present.notice(str(exc), "error"), gr.update(value=False),
                    *self.admin_data(is_admin, title_filter))
        message = present.notice(f"已删除：{doc.title}（{doc.doc_id}，{doc.unit_count} 个单元），检索索引已更新。",
                                 "ok")
        return (message, gr.update(value=False), *self.admin_data(is_admin, title_filter))

    def reindex(self, is_admin: bool, progress=gr.Progress(track_tqdm=True)):
        if not is_admin:
            return present.notice("请先以管理员身份登录。", "error")
        progress(0.05, desc="正在重建检索索引")
        started = time.monotonic()
        units = self.service.reindex()
        return present.notice(f"检索索引已按知识库重建：{units} 个条文/单元，"
                              f"用时 {time.monotonic() - started:.0f} 秒。", "ok")
