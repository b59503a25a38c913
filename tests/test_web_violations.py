"""The 违法行为库 page and the answer's links to it, for real: the app on a free localhost port serving a copy of the
full test home, driven by headless Chromium (Debian's package) through playwright.
Screenshots: artifacts/screenshots/violations-*, qa-rows-*."""
from __future__ import annotations

import shutil
from dataclasses import replace
from urllib.parse import quote

import pytest

from web_driver import PHONE, new_page, open_tab, pick_dropdown, screenshot, serve

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")

FINDING = "储存场所没设安全警示标志"
QUESTION = "储存场所没设安全警示标志，依据哪条？怎么罚？"
LAW = "中华人民共和国危险化学品安全法"
OLD_LAW = "危险化学品安全管理条例"
FIRM_CITE = f"《{LAW}》第一百零一条第一款第（十）项"
UNSURE_QUESTION = "危化品仓库的防爆灯坏了一个月没人修"  # a finding no row holds firmly: every citation 待核对


@pytest.fixture(scope="module")
def web_app(full_settings, tmp_path_factory):
    home = tmp_path_factory.mktemp("web-violations") / "home"
    shutil.copytree(full_settings.home, home)
    demo, url, service = serve(replace(full_settings, home=home))
    yield url, service
    demo.close()


def _search(page, text: str) -> None:
    page.locator("#vio-query :is(input, textarea)").fill(text)
    page.locator("#vio-search").click()
    page.locator("#vio-info", has_text=f"“{text}”").wait_for()


def _ask(page, question: str) -> None:
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-ask").click()
    page.locator("#qa-result .hz-card").first.wait_for()


def test_search_a_finding_filter_by_law_and_open_rows_and_their_articles(page, browser, web_app):
    open_tab(page, "违法行为库")
    page.locator("#vio-list .hz-vrow").first.wait_for()  # the list of every law in force, the core laws first
    assert page.locator("#vio-list .hz-vrow .hz-cite").first.inner_text().startswith(f"《{LAW}》")
    assert "第 1/" in page.locator("#vio-info").inner_text() and page.locator("#vio-next").is_visible()

    _search(page, FINDING)
    first = page.locator("#vio-list .hz-vrow").first
    assert first.get_attribute("data-confidence") == "确定"
    assert FIRM_CITE in first.inner_text() and "确定" in first.inner_text()
    assert "罚款20万元以下" in first.inner_text()
    others = page.locator("#vio-list .hz-vrow").all()[1:]
    assert others and all(r.get_attribute("data-confidence") == "待核对" for r in others)
    assert "其中确定 1 条" in page.locator("#vio-info").inner_text()
    pick_dropdown(page, "vio-unit-type", "危险化学品储存")  # the search runs again for the inspected unit's type
    page.locator("#vio-info", has_text="按危险化学品储存").wait_for()
    assert page.locator("#vio-list .hz-vrow").first.get_attribute("data-confidence") == "确定"
    first = page.locator("#vio-list .hz-vrow").first

    first.click()  # opens the row
    detail = page.locator("#vio-detail .hz-vdetail")
    detail.locator("h3", has_text=FIRM_CITE).wait_for()
    text = detail.inner_text()
    assert "查找结果：与描述相符" in text
    assert "（十）生产、储存、使用危险化学品的单位未在作业场所" in text  # the 项
    assert "按该款" in text and "逾期未改正的，处十万元以上二十万元以下的罚款" in text  # the 款
    assert "罚款20万元以下" in text and "负有危险化学品安全监督管理职责的部门" in text and "责令停产停业整顿" in text
    duty = detail.locator(".hz-obl", has_text="第三十七条第二款")
    assert "人工核定" in duty.inner_text()
    assert "应当在其作业场所和安全设施、设备上设置明显的安全警示标志" in duty.inner_text()
    assert f"《{OLD_LAW}》第七十八条第一款第（八）项" in detail.locator(".hz-vsec-parallel").inner_text()
    screenshot(page, "violations-search-desktop")

    pick_dropdown(page, "vio-law", OLD_LAW)  # filter by a law: the search runs again within it
    page.locator("#vio-info", has_text=f"《{OLD_LAW}》").wait_for()
    cites = page.locator("#vio-list .hz-vrow .hz-cite").all_inner_texts()
    assert cites and all(c.startswith(f"《{OLD_LAW}》") for c in cites), cites
    row = page.locator("#vio-list .hz-vrow", has_text="第七十八条第一款第（八）项").first
    row.click()
    page.locator("#vio-detail h3", has_text=f"《{OLD_LAW}》第七十八条第一款第（八）项").wait_for()
    assert page.locator("#vio-list .hz-vrow.hz-selected").count() == 1
    assert FIRM_CITE in page.locator("#vio-detail .hz-vsec-parallel").inner_text()  # the law that replaced it
    screenshot(page, "violations-law-filter-desktop")

    # The detail's 违法依据 opens in 条文检索, as that page's own links do.
    page.locator("#vio-detail .hz-obl a[data-hz-unit]").first.click()
    page.get_by_role("tab", name="条文检索", selected=True).wait_for()
    page.locator("#browse-article h3", has_text=f"《{OLD_LAW}》第二十条").wait_for()
    assert page.locator("#browse-doc", has_text=OLD_LAW).count() == 1

    # The list without a search, filtered by law, subject and sanction, a page at a time.
    open_tab(page, "违法行为库")
    page.locator("#vio-clear").click()
    page.locator("#vio-info", has_text="共").wait_for()
    pick_dropdown(page, "vio-law", LAW)
    pick_dropdown(page, "vio-sanction", "吊销")
    page.locator("#vio-info", has_text="吊销").wait_for()
    assert page.locator("#vio-list .hz-vrow").count() >= 1
    assert all(c.startswith(f"《{LAW}》") for c in page.locator("#vio-list .hz-vrow .hz-cite").all_inner_texts())

    phone = new_page(browser, web_app[0], PHONE)
    open_tab(phone, "违法行为库")
    _search(phone, FINDING)
    phone.locator("#vio-list .hz-vrow").first.click()
    phone.locator("#vio-detail .hz-vdetail h3", has_text=FIRM_CITE).wait_for()
    # The detail sits below the list on a phone: opening a row brings it into view.
    phone.wait_for_function("() => Math.abs(document.getElementById('vio-detail').getBoundingClientRect().top) < 5")
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths  # nothing wider than the phone
    screenshot(phone, "violations-phone-detail", full_page=False)
    screenshot(phone, "violations-phone")
    phone.locator("#vio-detail .hz-back").click()  # back up to the list
    phone.wait_for_function("() => Math.abs(document.getElementById('vio-info').getBoundingClientRect().top) < 5")
    phone.context.close()


def test_answer_marks_citations_shows_the_parallel_and_links_to_its_rows(page, browser, web_app):
    _url, service = web_app
    _ask(page, QUESTION)
    firm = page.locator("#qa-result .hz-rowgroup-firm").first
    assert FIRM_CITE in firm.locator(".hz-rowgroup-head").inner_text()
    penalty = firm.locator('.hz-card[data-role="处罚依据"]').first
    assert penalty.get_attribute("data-confidence") == "确定" and "确定" in penalty.locator("header").inner_text()
    for words in ("按该款", "罚款20万元以下", "执法部门", "负有危险化学品安全监督管理职责的部门"):
        assert words in penalty.inner_text(), words
    parallel = firm.locator('.hz-card[data-role="对照条款"]').first
    assert f"《{OLD_LAW}》第七十八条第一款第（八）项" in parallel.inner_text()
    assert "被新法取代的原法规中的对应条款" in parallel.inner_text()
    assert page.locator("#qa-result details.hz-rowgroup-check").count() >= 1  # candidates, folded, 待核对
    assert page.locator("#qa-block textarea").input_value().startswith("违法依据：")
    assert "确定" in page.locator("#qa-conclusion .hz-conf").first.inner_text()
    screenshot(page, "qa-rows-desktop")

    row_id = service.ask(QUESTION).rows[0]["row_id"]
    page.locator(f'#qa-conclusion a[data-hz-row="{row_id}"]').click()  # the answer's row, by id
    page.get_by_role("tab", name="违法行为库", selected=True).wait_for()
    detail = page.locator(f'#vio-detail .hz-vdetail[data-row="{row_id}"]')
    detail.wait_for()
    assert "本次问答：与描述相符" in detail.inner_text()

    phone = new_page(browser, web_app[0], PHONE)
    _ask(phone, QUESTION)
    screenshot(phone, "qa-rows-phone")
    phone.context.close()

    # A link opened in a new tab (or shared) opens the row from the address.
    direct = new_page(browser, f"{web_app[0]}?row={quote(row_id, safe='')}")
    direct.locator(f'#vio-detail .hz-vdetail[data-row="{row_id}"]').wait_for()
    assert direct.get_by_role("tab", name="违法行为库", selected=True).count() == 1
    direct.context.close()


def test_an_answer_without_a_firm_citation_says_to_check_and_offers_nothing_to_copy(page, web_app):
    _url, service = web_app
    answer = service.ask(UNSURE_QUESTION)
    assert not answer.abstained and not any(c.confidence == "确定" for c in answer.citations), (
        "the finding is expected to match no row firmly, every citation 待核对")
    _ask(page, UNSURE_QUESTION)
    warning = page.locator("#qa-notice .hz-warn", has_text="待核对")
    warning.wait_for()
    assert "不提供可复制的执法依据" in warning.inner_text()
    assert not page.locator("#qa-block").is_visible()
    assert "待核对" in page.locator("#qa-conclusion .hz-conf").first.inner_text()
    marks = page.locator("#qa-result .hz-card header .hz-conf").all_inner_texts()
    assert marks and all("待核对" in m for m in marks)
    screenshot(page, "qa-to-check-desktop")
