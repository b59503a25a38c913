"""Two `hazkb serve` processes on one PostgreSQL database (as a province would run them behind a proxy), started
together on empty exam tables: an ingest through one instance's data directory is answered by the other within
seconds; an exam started on one instance is answered on the other and submitted on the first with every answer
kept (exam state and the resume-key secret live in the database); an admin login made on one instance is honoured
by the other (sessions live in the database)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from conftest import POSTGRES_URL
from corpus import schema
from corpus.admins import AdminStore
from corpus.admins import metadata as admin_metadata
from corpus.catalog import open_catalog
from corpus.settings import Settings
from exam_driver import answer, checked, resident_id, some_answer, start_exam
from quiz.exam import metadata as exam_metadata
from quiz.store import metadata as bank_metadata
from web_driver import ROOT, free_port, new_page, open_tab, wait_http

ADMIN, PASSWORD = "admin", "多实例-Test-2026"
LAW_A = ("中华人民共和国甲实例安全法\n\n第一条 为了加强安全管理，制定本法。\n\n"
         "第二条 生产经营单位应当在储罐区设置明显的安全警示标志。\n")
LAW_B = ("中华人民共和国乙实例安全法\n\n第一条 为了加强危险化学品储存安全管理，制定本法。\n\n"
         "第二条 液氯钢瓶与氨气瓶不得混放在同一库房内储存。\n\n"
         "第三条 违反本法第二条规定，将液氯钢瓶与氨气瓶混放储存的，责令改正，处一万元以上五万元以下的罚款。\n")
FRESH_SECONDS = 30  # watch interval 2 s + a rebuild on a loaded two-core CI machine (measured ~3-10 s)

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL server: .ci/run starts one and sets "
                                                         "TEST_POSTGRES_URL")


def _env(home) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    return env | {"HAZKB_HOME": str(home), "HAZKB_DATABASE_URL": POSTGRES_URL or "", "HAZKB_NO_BUILTIN": "1",
                  "HF_HUB_OFFLINE": "1"}


def _hazkb(home, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], env=_env(home), cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
    pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")
    root = tmp_path_factory.mktemp("multi")
    settings = Settings.from_env({}, home=root / "a", no_builtin=True, database_url=POSTGRES_URL)
    catalog = open_catalog(settings)
    schema.metadata.drop_all(catalog.engine)  # a shared server: start from empty tables
    schema.metadata.create_all(catalog.engine)
    catalog.close()
    store = AdminStore.open(settings)
    admin_metadata.drop_all(store.engine)  # accounts, sessions and lockouts of earlier runs on the shared server
    admin_metadata.create_all(store.engine)
    store.add(ADMIN, PASSWORD)
    exam_metadata.drop_all(store.engine)  # both instances make the exam tables and load the starter bank at once
    bank_metadata.drop_all(store.engine)
    store.close()
    law = root / "甲实例安全法.md"
    law.write_text(LAW_A, encoding="utf-8")
    assert _hazkb(root / "a", "ingest", str(law)).returncode == 0
    procs, urls = [], []
    for name in ("a", "b"):
        port = free_port()
        log = (root / f"serve-{name}.log").open("w")
        procs.append(subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
                                      env=_env(root / name), cwd=ROOT, stdout=log, stderr=log))
        urls.append(f"http://127.0.0.1:{port}/")
    try:
        for url in urls:
            wait_http(url, timeout=300)
        yield root, urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def _ask(page, question: str) -> str:
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-ask").click()
    page.locator("#qa-result .hz-card, #qa-notice .hz-warn").first.wait_for()
    return page.locator("#qa-result").inner_text() + page.locator("#qa-notice").inner_text()


def test_an_ingest_on_one_instance_is_answered_by_the_other(instances, browser):
    root, (url_a, url_b) = instances
    page = new_page(browser, url_b)
    law = root / "乙实例安全法.md"
    law.write_text(LAW_B, encoding="utf-8")
    assert _hazkb(root / "a", "ingest", str(law)).returncode == 0  # through instance A's data directory
    committed = time.monotonic()
    while True:
        page.goto(url_b)  # a new page session: what B answers now
        if "乙实例安全法" in _ask(page, "液氯钢瓶和氨气瓶混放在同一库房储存"):
            break
        assert time.monotonic() - committed < FRESH_SECONDS, "instance B never answered from the new law"
        time.sleep(1)
    page.context.close()


def test_an_exam_started_on_one_instance_is_answered_on_the_other_and_submitted_on_the_first(instances, browser):
    """Behind a proxy both instances are one origin, so the browser's storage (exam id and resume key) goes with
    the examinee from A to B; here the test carries it across the two ports."""
    from quiz.exam import open_exams

    root, (url_a, url_b) = instances
    page_a = new_page(browser, url_a)
    exam_id = start_exam(page_a, enterprise="某某化工有限公司", enterprise_type="危险化学品生产", person="孙八",
                         id_number=resident_id("11010519800101123"), role="安全管理人员")
    chosen = {1: some_answer(page_a, 1), 2: some_answer(page_a, 2)}
    for position, letters in chosen.items():
        answer(page_a, position, letters)
    stored = page_a.evaluate("localStorage.getItem('hz-exam')")
    assert exam_id in stored

    page_b = new_page(browser, url_b)
    page_b.evaluate("s => localStorage.setItem('hz-exam', s)", stored)
    page_b.goto(f"{url_b}?exam={exam_id}")
    page_b.locator("#exam-q1").wait_for()  # B accepts A's resume key: no ID number asked
    assert {p: checked(page_b, p) for p in chosen} == chosen
    for position in (3, 4):
        chosen[position] = some_answer(page_b, position)
        answer(page_b, position, chosen[position])
    page_b.context.close()

    page_a.reload()
    page_a.locator("#exam-q1").wait_for()
    assert {p: checked(page_a, p) for p in chosen} == chosen  # B's answers, read by A from the database
    page_a.locator("#exam-submit").click()
    page_a.locator("#exam-saved", has_text="题未作答").wait_for()  # asked to confirm an incomplete sheet
    page_a.locator("#exam-submit").click()
    page_a.locator("#exam-result-view .hz-result").wait_for()
    page_a.context.close()
    settings = Settings.from_env({}, home=root / "a", no_builtin=True, database_url=POSTGRES_URL)
    book = open_exams(settings)
    exam = book.get(exam_id)
    book.bank.close()
    assert exam.submitted and exam.answers == chosen


def test_an_admin_session_from_one_instance_is_honoured_by_the_other(instances, browser):
    _root, (url_a, url_b) = instances
    page = new_page(browser, url_a)
    open_tab(page, "知识库")
    page.locator("#admin-user :is(input, textarea)").fill(ADMIN)
    page.locator("#admin-password input").fill(PASSWORD)
    page.locator("#admin-login-btn").click()
    page.locator("#admin-panel").wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == "hazkb_admin")
    page.context.close()
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.md\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n")
    body = head.encode() + LAW_A.encode() + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    assert _status(url_b + "gradio_api/upload", body, headers) == 401  # no session: refused
    headers["Cookie"] = f"hazkb_admin={cookie['value']}"
    assert _status(url_b + "gradio_api/upload", body, headers) == 200  # A's session, checked in the database


def _status(url: str, data: bytes, headers: dict) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
