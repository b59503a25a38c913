"""The web app, for real: `ui.web.app.launch` serving a copy of the full test home on a free localhost port,
driven by headless Chromium (Debian's package) through playwright. Screenshots: artifacts/screenshots/."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from web_driver import (
    DESKTOP,
    PHONE,
    ROOT,
    free_port,
    new_page,
    open_tab,
    pick_dropdown,
    screenshot,
    serve,
    wait_http,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")

ADMIN_USER = "admin"
ADMIN_PASSWORD = "安监-Test-2026"
QUESTION = "储存场所没设安全警示标志，依据哪条？怎么罚？"
GOOD_MD = """# 某县危险化学品仓库检查工作细则

第一条 为规范本县危险化学品仓库的监督检查，制定本细则。

第二条 检查人员应当核查仓库是否设置明显的安全警示标志，是否配备专人管理，是否建立出入库登记制度。

第三条 本细则自2026年1月1日起施行。
"""


@pytest.fixture(scope="module")
def web_settings(full_settings, tmp_path_factory):
    """A private copy of the full home (uploads must not change what other tests read), with an admin."""
    home = tmp_path_factory.mktemp("web") / "home"
    shutil.copytree(full_settings.home, home)
    return replace(full_settings, home=home, admin_user=ADMIN_USER, admin_password=ADMIN_PASSWORD)


@pytest.fixture(scope="module")
def web_app(web_settings):
    demo, url, service = serve(web_settings)
    yield url, service
    demo.close()


def _phone(browser, url):
    return new_page(browser, url, PHONE)


def _ask(page, question: str) -> None:
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-ask").click()


def _login(page, password: str = ADMIN_PASSWORD) -> None:
    open_tab(page, "知识库")
    page.locator("#admin-user :is(input, textarea)").fill(ADMIN_USER)
    page.locator("#admin-password input").fill(password)
    page.locator("#admin-login-btn").click()


def _upload(page, path) -> None:
    page.locator("#admin-files input[type=file]").set_input_files(str(path))
    # Uploaded to the server, shown in the box (as stem and extension, which may wrap apart: match the stem).
    page.locator("#admin-files", has_text=path.stem).wait_for()
    page.locator("#admin-upload").click()
    page.locator("#admin-upload-result .hz-summary").wait_for()


def _shown_count(page) -> int:
    return int(page.locator("#admin-count .hz-summary").get_attribute("data-count"))


# -- 法规问答 ----------------------------------------------------------------------------------------


def test_question_shows_cited_articles_with_level_status_and_copy_block(page, browser, web_app):
    _ask(page, QUESTION)
    cards = page.locator("#qa-result .hz-card")
    cards.first.wait_for()
    result = page.locator("#qa-result").inner_text()
    assert re.search(r"《危险化学品安全管理条例》第(七十八|二十)条", result)
    card = cards.filter(has_text="《危险化学品安全管理条例》第二十条")
    assert "行政法规" in card.inner_text() and "现行有效" in card.inner_text()
    assert "来源：危险化学品安全管理条例(2013-12-07).md" in card.inner_text()
    assert page.locator("#qa-result .hz-penalty").count() >= 1
    block = page.locator("#qa-block textarea").input_value()
    assert block.startswith("违法依据：") and "处罚依据：" in block
    assert page.locator("#qa-block button").count() >= 1  # the copy button
    assert "条文检索仅使用了关键词" in page.locator("#qa-notice").inner_text()
    screenshot(page, "qa-desktop")

    phone = _phone(browser, web_app[0])
    _ask(phone, QUESTION)
    phone.locator("#qa-result .hz-card").first.wait_for()
    screenshot(phone, "qa-phone")
    phone.context.close()


def test_out_of_scope_question_shows_abstention(page):
    _ask(page, "离婚后孩子的抚养权归谁？")
    notice = page.locator("#qa-notice .hz-warn")
    notice.wait_for()
    assert "未在知识库中找到明确依据" in notice.inner_text()
    assert page.locator("#qa-result .hz-card").count() == 0
    assert not page.locator("#qa-block").is_visible()
    screenshot(page, "qa-abstain-desktop")


def test_filters_law_level_and_a_bad_date(page):
    page.locator("#qa-filters").get_by_text("筛选条件").click()
    page.locator("#qa-asof :is(input, textarea)").fill("2026/05/01")
    _ask(page, QUESTION)
    error = page.locator("#qa-notice .hz-error")
    error.wait_for()
    assert "日期格式应为 YYYY-MM-DD" in error.inner_text()

    page.locator("#qa-asof :is(input, textarea)").fill("2020-01-01")
    pick_dropdown(page, "qa-law", "危险化学品安全管理条例")
    page.locator("#qa-levels label", has_text="行政法规").click()
    page.locator("#qa-ask").click()
    page.locator("#qa-result .hz-card").first.wait_for()
    # text_content: the 待核对 candidates are folded (their text is not rendered until opened)
    laws = {t.strip() for t in page.locator("#qa-result .hz-cite").all_text_contents()}
    assert laws and all(t.startswith("《危险化学品安全管理条例》") for t in laws), laws
    screenshot(page, "qa-filters-desktop")


def test_the_inspected_units_type_chooses_the_special_laws_item(page):
    """The unit's type, chosen beside the question, is said in the notices and decides the item a finding that does
    not name the unit gets (危险化学品生产: 危化法第一百零一条第（六）项 for untrained operators)."""
    pick_dropdown(page, "qa-unit-type", "危险化学品生产")
    _ask(page, "新招的三个操作工没培训就上岗了")
    page.locator("#qa-block textarea").wait_for()
    block = page.locator("#qa-block textarea").input_value()
    assert "处罚依据：《中华人民共和国危险化学品安全法》第一百零一条第一款第（六）项" in block, block
    assert "按被检查单位类型“危险化学品生产”匹配" in page.locator("#qa-notice").inner_text()
    screenshot(page, "qa-unit-type-desktop")


# -- 条文检索 ----------------------------------------------------------------------------------------


def test_browse_law_open_article_and_follow_penalty_link(page, browser, web_app):
    open_tab(page, "条文检索")
    pick_dropdown(page, "browse-law", "危险化学品安全管理条例")
    page.locator("#browse-doc", has_text="危险化学品安全管理条例").wait_for()
    page.locator("#browse-articles label", has_text="第二十条").first.click()
    view = page.locator("#browse-article .hz-article", has_text="第二十条")
    view.wait_for()
    links = page.locator("#browse-article .hz-links", has_text="处罚依据").inner_text()
    assert "《危险化学品安全管理条例》第七十八条" in links
    assert "安全警示标志" in links  # the 项 of 第七十八条 that sanctions the missing warning signs
    screenshot(page, "browse-article-desktop")

    pick_dropdown(page, "browse-related", "第七十八条", "处罚：《危险化学品安全管理条例》第七十八条")
    page.locator("#browse-article h3", has_text="第七十八条").wait_for()
    assert "法律责任" in page.locator("#browse-article .hz-path").inner_text()

    page.locator("#browse-query :is(input, textarea)").fill("警示标志")
    page.locator("#browse-search").click()
    page.locator("#browse-info", has_text="找到").wait_for()
    assert page.locator("#browse-articles label", has_text="第二十条").count() == 1

    chapters = page.locator("#browse-chapter input")
    chapters.click()
    page.locator("[role=option]", has_text="法律责任").first.click()
    page.locator("#browse-info", has_text="法律责任").wait_for()
    assert page.locator("#browse-articles label", has_text="第七十八条").count() == 1
    assert page.locator("#browse-articles label", has_text="第二十条").count() == 0

    phone = _phone(browser, web_app[0])
    open_tab(phone, "条文检索")
    phone.locator("#browse-articles label", has_text="第二十条").first.click()
    phone.locator("#browse-article .hz-article").wait_for()
    screenshot(phone, "browse-article-phone")
    phone.context.close()


# -- 知识库 ------------------------------------------------------------------------------------------


def test_admin_requires_login(page, browser, web_app):
    open_tab(page, "知识库")
    assert not page.locator("#admin-panel").is_visible()
    screenshot(page, "admin-login-desktop")
    _login(page, password="wrong")
    page.locator("#admin-login-msg", has_text="账号或密码错误").wait_for()
    assert not page.locator("#admin-panel").is_visible()

    phone = _phone(browser, web_app[0])
    open_tab(phone, "知识库")
    screenshot(phone, "admin-login-phone")
    phone.context.close()


def test_admin_upload_of_a_truncated_pdf_reports_the_reason_and_stores_nothing(page, web_app, shared_dir,
                                                                            tmp_path):
    _url, service = web_app
    before = service.catalog.counts()
    _login(page)
    page.locator("#admin-count .hz-summary").wait_for()
    shown = _shown_count(page)
    assert shown == before["documents"]

    bad = tmp_path / "损坏-截断.pdf"
    shutil.copyfile(shared_dir / "corpus" / "office" / "损坏-截断.pdf", bad)
    _upload(page, bad)
    report = page.locator("#admin-upload-result").inner_text()
    assert "失败 1 个" in report
    assert "✗ 损坏-截断.pdf：PDF 文件已损坏或不完整" in report
    page.locator("#admin-count .hz-summary").wait_for()
    assert _shown_count(page) == shown
    assert service.catalog.counts() == before
    uploads = service.uploads.folder
    assert not uploads.exists() or not any(uploads.iterdir())  # the bad copy was not kept
    screenshot(page, "admin-upload-bad-desktop")


def test_admin_upload_good_markdown_lists_it_and_remove_takes_it_out(page, browser, web_app, tmp_path):
    url, service = web_app
    before = service.catalog.counts()["documents"]
    good = tmp_path / "仓库检查细则.md"
    good.write_text(GOOD_MD, encoding="utf-8")
    _login(page)
    page.locator("#admin-count .hz-summary").wait_for()
    _upload(page, good)
    assert "✓ 仓库检查细则.md → 《某县危险化学品仓库检查工作细则》" in page.locator("#admin-upload-result").inner_text()
    page.locator(f'#admin-count .hz-summary[data-count="{before + 1}"]').wait_for()

    stored = [p for p in service.uploads.folder.iterdir() if p.suffix == ".md"]
    assert len(stored) == 1 and re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{12}\.md", stored[0].name)
    doc = next(d for d in service.catalog.documents() if d.title == "某县危险化学品仓库检查工作细则")
    assert doc.source == str(stored[0])

    page.locator("#admin-filter :is(input, textarea)").fill("仓库检查")
    page.locator("#admin-filter :is(input, textarea)").press("Enter")
    page.locator("#admin-table", has_text="某县危险化学品仓库检查工作细则").wait_for()
    assert "上传文件：仓库检查细则.md" in page.locator("#admin-table").inner_text()
    screenshot(page, "admin-upload-good-desktop")

    phone = _phone(browser, url)  # a new session must log in again
    open_tab(phone, "知识库")
    assert not phone.locator("#admin-panel").is_visible()
    _login(phone)
    phone.locator("#admin-count .hz-summary").wait_for()
    screenshot(phone, "admin-phone")
    phone.context.close()

    # The new document is searchable at once (the searcher was rebuilt after the upload).
    answer = service.ask("仓库检查细则 出入库登记制度", law="某县危险化学品仓库检查工作细则")
    assert not answer.abstained and answer.citations[0].law == "某县危险化学品仓库检查工作细则"

    pick_dropdown(page, "admin-remove-doc", "某县危险化学品仓库检查工作细则")
    page.locator("#admin-remove").click()
    page.locator("#admin-remove-msg", has_text="请勾选").wait_for()
    page.locator("#admin-confirm input[type=checkbox]").check()
    page.locator("#admin-remove").click()
    page.locator("#admin-remove-msg", has_text="已删除：某县危险化学品仓库检查工作细则").wait_for()
    assert service.catalog.counts()["documents"] == before
    assert not stored[0].exists() and not any(service.uploads.folder.iterdir())


def test_admin_pages_explain_how_to_enable_when_no_credentials(browser, web_app):
    from ui.web.app import launch
    from ui.web.service import WebService

    _url, service = web_app
    plain = WebService(replace(service.settings, admin_user=None, admin_password=None), service.catalog,
                       service.searcher)
    port = free_port()
    demo = launch(plain, port=port, block=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url)
        page = new_page(browser, url, DESKTOP)
        open_tab(page, "知识库")
        text = page.locator("#admin-disabled").inner_text()
        assert "HAZKB_ADMIN_USER" in text and "HAZKB_ADMIN_PASSWORD" in text
        assert page.locator("#admin-login").count() == 0
        screenshot(page, "admin-disabled-desktop")
        page.context.close()
    finally:
        demo.close()


# -- the command -------------------------------------------------------------------------------------


def test_cli_help_does_not_import_gradio():
    code = ("import sys; from ui.cli import cli\n"
            "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "assert 'gradio' not in sys.modules, 'gradio imported by hazkb --help'\n"
            "cli.main(['serve', '--help'], standalone_mode=False)\n"
            "assert 'gradio' not in sys.modules, 'gradio imported by hazkb serve --help'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "serve" in out.stdout and "--port" in out.stdout


def test_admin_reindex_rebuilds_the_lexical_index_from_the_catalog(page, web_app):
    from retriever.kb import lexical_path

    _url, service = web_app
    index_file = lexical_path(service.settings)
    _login(page)
    page.locator("#admin-reindex").click()
    message = page.locator("#admin-reindex-msg .hz-notice")
    message.wait_for(timeout=300_000)  # re-tokenises every unit of the corpus
    assert "检索索引已按知识库重建" in message.inner_text()
    assert index_file.exists()
    assert len(service.searcher.lexical) == service.catalog.counts()["units"]


def test_serve_command_serves_the_app_and_explains_a_busy_port(web_app, web_settings, tmp_path):
    url, _service = web_app
    busy = url.rstrip("/").rsplit(":", 1)[1]
    command = [sys.executable, "-m", "ui.cli", "--home", str(web_settings.home), "--no-builtin", "serve"]
    out = subprocess.run([*command, "--port", busy], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 1
    assert f"无法在 127.0.0.1:{busy} 上启动 Web 服务（端口已被占用或地址不可用）" in out.stderr

    port = free_port()
    log = tmp_path / "serve.err"
    with log.open("w") as err:
        proc = subprocess.Popen([*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        try:
            wait_http(f"http://127.0.0.1:{port}/")
            started = f"hazkb Web 界面已启动：http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while started not in (text := log.read_text(encoding="utf-8")) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert started in text
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    # Stopped by SIGTERM (as a service manager stops it), the server closes and exits normally, so its exit
    # handlers run (they remove the folder of exported files); killed by the signal, it left the folder in /tmp.
    assert proc.returncode == 0, log.read_text(encoding="utf-8")[-2000:]
