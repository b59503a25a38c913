"""Helpers for the web tests: start the real app on a free localhost port, drive Debian's Chromium with playwright.

The browser is the system one (/usr/bin/chromium, Debian's `chromium` package); `playwright install` is never
needed. Screenshots go to artifacts/screenshots/ (gitignored).
"""
from __future__ import annotations

import re
import shutil
import socket
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 120_000  # an answer takes seconds; an upload rebuilds indexes and the violation catalog; CI is slow


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"web app did not answer at {url}")
        time.sleep(0.5)


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def serve(settings):
    """The real app on a free localhost port, as `hazkb serve` starts it. -> (demo, url, service)"""
    from ui.cli import Context
    from ui.web.app import launch
    from ui.web.service import WebService

    service = WebService.from_context(Context(settings))
    port = free_port()
    demo = launch(service, host="127.0.0.1", port=port, block=False, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    wait_http(url)
    return demo, url, service


def new_page(browser, base_url: str, viewport: dict = DESKTOP, before_load=None):
    """A fresh session (own cookies, own login state) in Chinese, opened at the app, fully loaded.
    `before_load(page)` runs before the app is requested (e.g. to record every network response)."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    if before_load is not None:
        before_load(page)
    page.goto(base_url)
    # The browse tab is filled by the page-load event: its law list appears once the app is live.
    page.locator("#hz-header .hz-title").wait_for()
    return page


def open_tab(page, name: str) -> None:
    """Click a tab by its exact name and wait until it is selected. On a narrow screen gradio moves the tabs that
    do not fit into its “⋯” menu (and a selected one back into the bar), so look in both places."""
    exact = re.compile(f"^\\s*{re.escape(name)}\\s*$")
    tab = page.get_by_role("tab", name=name, exact=True).filter(visible=True)
    menu = page.locator(".overflow-menu").filter(has=page.locator(".overflow-dropdown button", has_text=exact))
    tab.or_(menu).first.wait_for()
    if tab.count():
        tab.first.click()
    else:
        menu.locator("button[aria-label='More tabs']").first.click()
        menu.locator(".overflow-dropdown button", has_text=exact).first.click()
    page.get_by_role("tab", name=name, exact=True, selected=True).first.wait_for()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save artifacts/screenshots/<name>.png; full_page=False keeps to the screen (long exam sheets)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def pick_dropdown(page, elem_id: str, text: str, option: str | None = None) -> None:
    """Type into a gradio dropdown and choose the option labelled exactly `option` (default: `text`)."""
    box = page.locator(f"#{elem_id} input")
    box.click()
    box.fill(text)
    label = (option or text).replace('"', '\\"')
    page.locator(f'[role=option][aria-label="{label}"]').first.click()


def browser_fixture():
    """One headless Chromium per test module (shared by the web test modules)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
    if chromium_path() is None:
        pytest.skip("Chromium not found: apt-get install -y chromium (playwright uses /usr/bin/chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()
