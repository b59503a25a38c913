"""The 现场考试, 题库与组卷 and 评测 tabs, for real: the app on a free localhost port serving a copy of the full test
home whose question bank holds the shared bank 一般企业安全管理员.xlsx (tagged 安全管理人员) and 100 approved items
generated from 安全生产法 (these carry explanations and bases), driven by headless Chromium through playwright.

The answer key must never reach the browser before 交卷: every network response of the exam session and the page
itself are recorded and compared with the keys, explanations and bases the server-side library holds.
Screenshots: artifacts/screenshots/exam-*, bank-*, eval-*.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import timedelta

import pytest

from exam_driver import answer as _answer
from exam_driver import fill_form, resident_id, start_exam
from exam_driver import option as _option
from exam_driver import some_answer as _some_answer
from homes import small_gold_dir, write_two_item_bank
from web_driver import (
    DESKTOP,
    PHONE,
    new_page,
    open_tab,
    pick_dropdown,
    screenshot,
    serve,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")

ADMIN_USER = "admin"
ADMIN_PASSWORD = "安监-Test-2026"
ENTERPRISE = "某某化工有限公司"
ROLE = "安全管理人员"
ENTERPRISE_TYPE = "危险化学品生产"  # blueprint: 15 判断 + 15 单选 + 5 多选, 40 minutes, 80 of 100 to pass


@pytest.fixture(scope="module")
def exam_settings(full_settings, shared_dir, tmp_path_factory):
    """A private copy of the full home with a question bank, and an admin."""
    from corpus.catalog import open_catalog
    from quiz.bank_files import import_file
    from quiz.generate import generate_for_law
    from quiz.model import Review
    from quiz.store import open_bank

    home = tmp_path_factory.mktemp("web-exam") / "home"
    shutil.copytree(full_settings.home, home)
    settings = replace(full_settings, home=home, admin_user=ADMIN_USER, admin_password=ADMIN_PASSWORD,
                       gold_dir=small_gold_dir(home.parent / "gold"))  # the bureau's own (small) gold sets
    bank, catalog = open_bank(settings), open_catalog(settings)
    report = import_file(bank, shared_dir / "question_banks" / "一般企业安全管理员.xlsx", catalog=catalog, roles=[ROLE])
    assert report.imported > 250 and not report.rejected
    for qid, duplicate in bank.add_many(generate_for_law(catalog, "中华人民共和国安全生产法", 100, seed=3).kept):
        if not duplicate:
            bank.set_review(qid, Review.APPROVED)
    bank.close()
    catalog.close()
    return settings


@pytest.fixture(scope="module")
def web_app(exam_settings):
    demo, url, service = serve(exam_settings)
    yield url, service
    demo.close()




# -- driving the exam ---------------------------------------------------------------------------------


def _fill_form(page, person: str, id_number: str, role: str = ROLE, enterprise_type: str = ENTERPRISE_TYPE) -> None:
    fill_form(page, enterprise=ENTERPRISE, enterprise_type=enterprise_type, person=person, id_number=id_number,
              role=role)


def _start_exam(page, person: str, id_number: str, role: str = ROLE, enterprise_type: str = ENTERPRISE_TYPE) -> str:
    return start_exam(page, enterprise=ENTERPRISE, enterprise_type=enterprise_type, person=person,
                      id_number=id_number, role=role)


def _submit(page) -> None:
    page.locator("#exam-submit").click()
    page.locator("#exam-result-view .hz-result").wait_for()
    page.wait_for_timeout(600)  # the event's loading shade fades out


def _readable(body: str) -> str:
    """A response body with JSON strings decoded (gradio may escape Chinese as \\uXXXX): the SSE events' data
    lines and whole JSON bodies are parsed and written back out with the characters themselves."""
    parts = [body]
    candidates = [body] + [line[5:].strip() for line in body.splitlines() if line.startswith("data:")]
    for text in candidates:
        try:
            parts.append(json.dumps(json.loads(text), ensure_ascii=False))
        except ValueError:
            continue
    return "\n".join(parts)


# In the page, before the app's scripts: every gradio API response read by fetch (the queue's event streams
# included) is teed and its text kept in window.__hzResponses, however the stream ends.
TEE_FETCH = """
(() => {
  const original = window.fetch;
  window.__hzResponses = [];
  window.fetch = async function (...args) {
    const response = await original.apply(this, args);
    const url = String((args[0] && args[0].url) || args[0]);
    if (url.includes('/gradio_api/') && response.body) {
      const entry = {url, text: ''};
      window.__hzResponses.push(entry);
      const reader = response.clone().body.getReader();
      const decoder = new TextDecoder();
      (async () => {
        try {
          for (;;) {
            const {done, value} = await reader.read();
            if (done) break;
            entry.text += decoder.decode(value, {stream: true});
          }
        } catch (e) { entry.error = String(e); }
      })();
    }
    return response;
  };
})();
"""


class Recorder:
    """Every gradio response of a page (config, queue joins, the SSE event streams): through playwright's response
    events (bodies read in full) and through the in-page fetch tee (for streams whose body playwright cannot keep)."""

    def __init__(self):
        self.bodies: list[tuple[str, str]] = []
        self.unread: list[str] = []

    def attach(self, page) -> None:
        page.add_init_script(TEE_FETCH)
        page.on("response", self.record)

    def record(self, response) -> None:
        url = response.url
        if "/gradio_api/" not in url and not url.rstrip("/").endswith("/config"):
            return
        try:
            self.bodies.append((url, _readable(response.body().decode("utf-8", "replace"))))
        except Exception:  # e.g. an event stream the client closed: the in-page tee has its text
            self.unread.append(url)

    def text(self, page) -> str:
        teed = page.evaluate("window.__hzResponses.map(r => [r.url, r.text])")
        assert teed and any("queue/data" in url and text for url, text in teed)
        assert all("queue/data" in url for url in self.unread), self.unread  # only streams may be unreadable
        return "\n".join([body for _url, body in self.bodies] + [_readable(text) for _url, text in teed])


def _secrets(paper) -> list[str]:
    """What must not reach the browser before 交卷: each item's explanation and basis (unless the public view
    itself contains that text, e.g. a 依据题 whose options name articles)."""
    public = json.dumps(paper.public_view(), ensure_ascii=False)
    found = []
    for item in paper.items:
        for text in [item.explanation, *item.basis]:
            if text and text not in public:
                found.append(text)
    return found


KEY_FIELD = re.compile(r'"(?:key|answer)"\s*:\s*"[A-H]{1,8}"')


def _assert_no_key(text: str, paper, where: str) -> None:
    for secret in _secrets(paper):
        assert secret not in text, f"{where} contains an explanation or basis before submission: {secret[:60]}"
    assert not KEY_FIELD.search(text), f"{where} contains a key mapping: {KEY_FIELD.search(text).group(0)}"
    for field in ('"explanation"', '"basis"', '"order"', '"seed"'):
        assert field not in text, f"{where} contains the paper's {field} field"
    assert "正确答案" not in text and "解析：" not in text, f"{where} shows graded results before submission"


# -- 现场考试 -------------------------------------------------------------------------------------------


def test_phone_exam_never_sends_the_key_before_submission_then_grades_and_prints(browser, web_app, tmp_path):
    from docx import Document

    _url, service = web_app
    book = service.quiz.book
    recorder = Recorder()
    page = new_page(browser, web_app[0], PHONE, before_load=recorder.attach)
    open_tab(page, "现场考试")
    screenshot(page, "exam-form-phone")
    exam_id = _start_exam(page, "张三", resident_id("11010519800101123"))

    exam = book.get(exam_id)
    assert (exam.person, exam.role, exam.enterprise_type, len(exam.paper.items)) == ("张三", ROLE, ENTERPRISE_TYPE, 35)
    assert any(_secrets(exam.paper)), "the paper should hold generated items with explanations and bases"
    timer = page.locator("#exam-timer .hz-timer-text")
    assert re.fullmatch(r"(39|40):\d\d", timer.inner_text()), timer.inner_text()
    page.wait_for_timeout(1200)
    assert timer.inner_text() < "40:00"  # it counts down

    chosen = {}
    for position in range(1, 36):
        chosen[position] = _some_answer(page, position)
        _answer(page, position, chosen[position])
        if position == 3:
            screenshot(page, "exam-sheet-phone", full_page=False)
    assert book.get(exam_id).answers == chosen  # each answer was stored on the server as it was given
    assert "已答 35 / 35 题" in page.locator("#exam-saved").inner_text()

    # Before 交卷: neither the page nor any response the browser received holds a key, explanation or basis.
    dom = page.content()
    page.wait_for_timeout(500)  # the last event stream has delivered everything
    network = recorder.text(page)
    assert any("queue/data" in url for url, _ in recorder.bodies)
    assert all(item.stem in network for item in exam.paper.items)  # the recording does see the public paper
    _assert_no_key(dom, exam.paper, "the page")
    _assert_no_key(network, exam.paper, "a network response")

    _submit(page)
    exam = book.get(exam_id)
    assert exam.submitted and exam.result is not None
    card = page.locator("#exam-result-view .hz-result")
    assert card.get_attribute("data-score") == f"{exam.score:g}"
    assert ("不合格" if not exam.passed else "合格") in card.inner_text()
    items = page.locator("#exam-result-items .hz-ritem")
    assert items.count() == 35
    for review in exam.result.items:
        shown = items.nth(review.position - 1).inner_text()
        assert f"正确答案：{review.key}" in shown and f"考生答案：{review.answer}" in shown
        if review.explanation:
            assert review.explanation in shown and all(b in shown for b in review.basis)
    screenshot(page, "exam-result-phone", full_page=False)

    with page.expect_download() as download:
        page.locator("#exam-record").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"考试记录-张三-{exam_id}.docx"
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "现场考试答题记录（已评分）" in text and f"得分 {exam.score:g}" in text
    page.context.close()


def test_two_examinees_at_once_get_their_own_papers_answers_and_records(browser, web_app):
    _url, service = web_app
    book = service.quiz.book
    desk = new_page(browser, web_app[0], DESKTOP)
    phone = new_page(browser, web_app[0], PHONE)
    open_tab(desk, "现场考试")
    screenshot(desk, "exam-form-desktop")
    id_a, id_b = resident_id("32010219900202345"), resident_id("44030519851212678")
    exam_a = _start_exam(desk, "李四", id_a)
    exam_b = _start_exam(phone, "王五", id_b)
    assert exam_a != exam_b
    paper_a, paper_b = book.get(exam_a).paper, book.get(exam_b).paper
    assert paper_a.signature() != paper_b.signature()  # drawn separately

    # Interleaved answers: each lands in its own exam only.
    _answer(desk, 1, "A")
    _answer(phone, 1, "B")
    _answer(desk, 2, "B")
    _answer(phone, 3, _some_answer(phone, 3))
    _answer(desk, 1, "B")  # a changed answer replaces the stored one
    screenshot(desk, "exam-sheet-desktop", full_page=False)
    assert book.get(exam_a).answers == {1: "B", 2: "B"}
    assert book.get(exam_b).answers == {1: "B", 3: _some_answer(phone, 3)}

    # Another device resumes with the exam id and the ID number; the wrong ID number is refused.
    other = new_page(browser, web_app[0], PHONE)
    open_tab(other, "现场考试")
    other.locator("#exam-resume").get_by_text("继续未交卷的考试").click()
    other.locator("#exam-resume-id :is(input, textarea)").fill(exam_a)
    other.locator("#exam-resume-idnumber :is(input, textarea)").fill(id_b)
    other.locator("#exam-resume-btn").click()
    other.locator("#exam-form-msg", has_text="考试编号与身份证号不符").wait_for()
    other.locator("#exam-resume-idnumber :is(input, textarea)").fill(id_a)
    other.locator("#exam-resume-btn").click()
    other.locator("#exam-q1").wait_for()
    assert _option(other, 1, "B").locator("input").is_checked()
    assert _option(other, 2, "B").locator("input").is_checked()
    assert not _option(other, 1, "A").locator("input").is_checked()
    assert other.locator("#exam-head .hz-exam-head").get_attribute("data-exam") == exam_a
    other.context.close()

    # 交卷 with unanswered items warns first; the second press submits.
    desk.locator("#exam-submit").click()
    desk.locator("#exam-saved", has_text="还有 33 题未作答").wait_for()
    assert not book.get(exam_a).submitted
    _submit(desk)
    screenshot(desk, "exam-result-desktop", full_page=False)
    phone.locator("#exam-submit").click()
    phone.locator("#exam-saved", has_text="还有 33 题未作答").wait_for()
    _submit(phone)

    a, b = book.get(exam_a), book.get(exam_b)
    assert a.submitted and b.submitted
    assert {r.position: r.answer for r in a.result.items if r.answer} == {1: "B", 2: "B"}
    assert {r.position: r.answer for r in b.result.items if r.answer} == {1: "B", 3: _some_answer(phone, 3)}
    assert f"考试编号 {exam_a}" in desk.locator("#exam-result-view").inner_text()
    assert "李四" in desk.locator("#exam-result-view").inner_text()
    assert f"考试编号 {exam_b}" in phone.locator("#exam-result-view").inner_text()
    assert "王五" in phone.locator("#exam-result-view").inner_text()
    assert [e.exam_id for e in book.records(person="李四")] == [exam_a]
    assert [e.exam_id for e in book.records(person="王五")] == [exam_b]

    # The next examinee: the form again, the enterprise kept, the person cleared.
    desk.locator("#exam-next").click()
    desk.locator("#exam-form").wait_for()
    assert desk.locator("#exam-enterprise :is(input, textarea)").input_value() == ENTERPRISE
    assert desk.locator("#exam-person :is(input, textarea)").input_value() == ""
    desk.context.close()
    phone.context.close()


def test_time_up_submits_by_itself_after_a_reload_and_a_wrong_id_number_is_explained(browser, web_app):
    from sqlalchemy import update

    from quiz.exam import exams

    _url, service = web_app
    book = service.quiz.book
    page = new_page(browser, web_app[0], PHONE)
    id_number = resident_id("51010719750505111")
    exam_id = _start_exam(page, "赵六", id_number)
    _answer(page, 1, "A")
    started = book.get(exam_id).started_at
    with book.engine.begin() as conn:  # the exam began 45 minutes ago (its limit is 40)
        conn.execute(update(exams).where(exams.c.exam_id == exam_id).values(started_at=started - timedelta(minutes=45)))
    # The reload brings the exam back by itself (its id in the address, its resume key in this browser); by the
    # server's clock no time is left, so the countdown stands at zero and presses 交卷.
    page.reload()
    page.locator("#hz-header .hz-title").wait_for()
    page.locator("#exam-result-view .hz-result").wait_for()
    exam = book.get(exam_id)
    assert exam.submitted and exam.answers == {1: "A"}

    page.locator("#exam-next").click()
    page.locator("#exam-form").wait_for()
    wrong = resident_id("51010719750505222")
    wrong = wrong[:17] + ("0" if wrong[17] != "0" else "1")  # a mistyped last digit
    _fill_form(page, "钱七", wrong)
    page.locator("#exam-start").click()
    page.locator("#exam-form-msg .hz-error", has_text="校验位不正确").wait_for()  # the library's reason, on the form
    assert not page.locator("#exam-q1").count()
    page.context.close()


# -- 题库与组卷 ------------------------------------------------------------------------------------------


def _login(page, tab: str, prefix: str) -> None:
    open_tab(page, tab)
    page.locator(f"#{prefix}-user :is(input, textarea)").fill(ADMIN_USER)
    page.locator(f"#{prefix}-password input").fill(ADMIN_PASSWORD)
    page.locator(f"#{prefix}-login-btn").click()
    page.locator(f"#{prefix}-panel").wait_for()


def _bad_bank(path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"])
    sheet.append(["单选", "负责危险化学品安全监督管理综合工作的是（）。", "应急管理部门", "教育部门", "文化部门",
                  "体育部门", "A", "条例第六条规定由安全生产监督管理部门负责综合工作。",
                  "《危险化学品安全管理条例》第六条"])
    sheet.append(["单选", "这一行的答案不在选项之中（）。", "甲", "乙", "", "", "E", "", ""])
    sheet.append(["判断", "储存危险化学品的仓库应当设置明显的安全警示标志。", "正确", "错误", "", "", "对", "", ""])
    sheet.append(["单选", "负责危险化学品安全监督管理综合工作的是（）。", "应急管理部门", "教育部门", "文化部门",
                  "体育部门", "A", "", ""])
    workbook.save(path)


def test_admin_bank_import_reports_bad_rows_generate_review_paper_and_export(browser, web_app, tmp_path):
    from quiz.model import Review

    _url, service = web_app
    bank = service.quiz.bank
    phone = new_page(browser, web_app[0], PHONE)
    open_tab(phone, "题库与组卷")
    assert not phone.locator("#bank-panel").is_visible()
    screenshot(phone, "bank-login-phone")
    phone.context.close()

    page = new_page(browser, web_app[0], DESKTOP)
    _login(page, "题库与组卷", "bank")
    page.locator("#bank-stats .hz-summary").wait_for()
    total = bank.count()
    assert page.locator("#bank-stats .hz-summary").get_attribute("data-total") == str(total)

    bad = tmp_path / "现场题库-有错行.xlsx"
    _bad_bank(bad)
    page.locator("#bank-file input[type=file]").set_input_files(str(bad))
    page.locator("#bank-file", has_text="现场题库-有错行").wait_for()
    page.locator("#bank-import").click()
    page.locator("#bank-import-result .hz-summary").wait_for()
    report = page.locator("#bank-import-result").inner_text()
    assert "读取 4 行题目，导入 2 道，重复 1 道（已跳过），拒绝 1 行" in report
    assert "✗ 第 3 行（工作表“题目”）：答案中的 E 超出了选项范围" in report
    assert "= 第 5 行（工作表“题目”）：与题库中的题目" in report
    assert bank.count() == total + 2
    screenshot(page, "bank-import-desktop")

    open_tab(page, "生成题目")
    page.wait_for_function("document.querySelector('#bank-gen-law input').value === '危险化学品安全管理条例'")
    page.locator("#bank-gen-n input").fill("5")
    page.locator("#bank-gen-seed input").fill("11")
    page.locator("#bank-generate").click()
    page.locator("#bank-gen-result .hz-summary").wait_for()
    generated = page.locator("#bank-gen-result").inner_text()
    assert "从《危险化学品安全管理条例》生成 5 道题（要求 5 道）：新增待审核 5 道" in generated
    drafts = bank.list(review=Review.DRAFT)
    assert len(drafts) == 5 and all(q.basis[0].law == "危险化学品安全管理条例" and q.explanation for q in drafts)
    screenshot(page, "bank-generate-desktop")

    open_tab(page, "审核题目")
    page.locator('#bank-info .hz-list-info[data-count="5"]').wait_for()
    target = drafts[0]
    pick_dropdown(page, "bank-item", target.qid, f"{target.qid}　[{target.qtype.value}·待审核] "
                  + (target.stem if len(target.stem) <= 36 else target.stem[:35] + "…"))
    page.locator(f'#bank-item-view .hz-qview[data-qid="{target.qid}"]').wait_for()
    assert target.explanation in page.locator("#bank-item-view").inner_text()
    page.locator("#bank-approve").click()
    page.locator("#bank-review-msg", has_text=f"题目 {target.qid} 已设为“已审核”").wait_for()
    page.locator('#bank-info .hz-list-info[data-count="4"]').wait_for()
    assert bank.get(target.qid).review is Review.APPROVED
    screenshot(page, "bank-review-desktop")

    open_tab(page, "组卷")
    pick_dropdown(page, "paper-role", ROLE)
    pick_dropdown(page, "paper-type", ENTERPRISE_TYPE)
    page.locator("#paper-seed :is(input, textarea)").fill("42")
    page.locator("#paper-build").click()
    page.locator('#paper-view .hz-summary[data-items="35"]').wait_for()
    page.locator("#paper-docx").click()
    page.locator("#paper-msg", has_text="已生成空白试卷").wait_for()
    page.locator("#paper-file", has_text=".docx").wait_for()
    screenshot(page, "bank-paper-desktop")

    open_tab(page, "导出与考试记录")
    page.locator("#bank-export").click()
    page.locator("#bank-export-msg", has_text=f"已导出 {bank.count()} 道题").wait_for()
    page.locator("#bank-export-file", has_text=".xlsx").wait_for()
    page.locator("#records-export").click()
    page.locator("#records-msg", has_text="场考试的记录和答题明细").wait_for()
    page.locator("#records-file", has_text=".xlsx").wait_for()
    screenshot(page, "bank-export-desktop")

    page.set_viewport_size(PHONE)  # the same session at phone width
    page.wait_for_timeout(800)  # the tab bars re-measure which tabs fit
    open_tab(page, "审核题目")
    page.locator("#bank-info .hz-list-info").wait_for()
    screenshot(page, "bank-review-phone")
    page.context.close()


# -- 评测 ----------------------------------------------------------------------------------------------


def test_eval_tab_runs_the_evaluation_and_shows_figures(browser, web_app, tmp_path):
    bank_file = write_two_item_bank(tmp_path / "小题库.json")
    page = new_page(browser, web_app[0], DESKTOP)
    open_tab(page, "评测")
    assert not page.locator("#eval-panel").is_visible()
    _login(page, "评测", "eval")
    assert "本局评测集目录" in page.locator("#eval-panel").inner_text()  # the sets it runs, not the shipped ones
    page.locator("#eval-source label", has_text="上传的题库文件").click()
    page.locator("#eval-file input[type=file]").set_input_files(str(bank_file))
    page.locator("#eval-file", has_text="小题库").wait_for()
    page.locator("#eval-n input").fill("5")
    page.locator("#eval-run").click()
    page.locator("#eval-status .hz-notice").wait_for(timeout=600_000)
    assert "评测完成" in page.locator("#eval-status").inner_text()
    table = page.locator("#eval-table").inner_text()
    for text in ("检索（4 题）：本系统", "hit@1", "MRR", "直接查条", "拒答率", "题库作答：小题库.json", "生成题"):
        assert text in table, text
    charts = page.locator("#eval-charts .hz-chart img")
    assert charts.count() == 4  # retrieval, categories, lookups/abstention, quiz
    assert all(charts.nth(i).get_attribute("src").startswith("data:image/png;base64,") for i in range(4))
    assert charts.first.evaluate("img => img.naturalWidth") > 300
    assert page.locator("#eval-files", has_text="results").count() == 1
    screenshot(page, "eval-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(500)
    screenshot(page, "eval-phone")

    # One login opens every admin tab of the session.
    open_tab(page, "知识库")
    page.locator("#admin-panel").wait_for()
    page.locator("#admin-logout").click()
    page.locator("#admin-login").wait_for()
    open_tab(page, "评测")
    page.locator("#eval-login").wait_for()
    assert not page.locator("#eval-panel").is_visible()
    page.context.close()
