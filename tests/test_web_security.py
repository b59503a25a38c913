"""The web app's security, for real: admin accounts (first run, `hazkb admin`), login throttling, admin-only
uploads, and the API docs and monitoring pages switched off. The app runs on a free localhost port over an empty
home; the browser is headless Chromium (tests/web_driver.py); HTTP requests go to the real server."""
from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from corpus.admins import AdminStore, ThrottlePolicy, admin_accounts, admin_login_failures
from corpus.settings import Settings
from web_driver import ROOT, free_port, new_page, open_tab, screenshot, serve, wait_http

ADMIN = "admin"
PASSWORD = "安监-Secure-2026"
DOC_MD = "# 某县危险化学品仓库检查细则\n\n第一条 为规范检查，制定本细则。\n\n第二条 本细则自2026年1月1日起施行。\n"


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory):
    """An empty home (no built-in laws) with one stored admin account and no HAZKB_ADMIN_* variables."""
    settings = Settings.from_env({}, home=tmp_path_factory.mktemp("web-security") / "home", no_builtin=True)
    store = AdminStore.open(settings)
    store.add(ADMIN, PASSWORD)
    store.close()
    return settings


@pytest.fixture(scope="module")
def web_app(web_settings):
    pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
    pytest.importorskip("gradio", reason="gradio not installed: pip install -e .")
    demo, url, service = serve(web_settings)
    yield url, service
    demo.close()


def _request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """-> (status, body text) of a real HTTP request, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _multipart(name: str, content: bytes) -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _upload(url: str, cookie: str | None = None) -> tuple[int, str]:
    body, headers = _multipart("x.md", DOC_MD.encode("utf-8"))
    if cookie:
        headers["Cookie"] = cookie
    return _request(url + "gradio_api/upload", body, headers)


def _login(page, password: str = PASSWORD) -> None:
    page.locator("#admin-user :is(input, textarea)").fill(ADMIN)
    page.locator("#admin-password input").fill(password)
    page.locator("#admin-login-btn").click()


# -- HTTP hardening ------------------------------------------------------------------------------------


def test_api_docs_and_monitoring_are_off(web_app):
    url, _service = web_app
    assert _request(url)[0] == 200
    for path in ("openapi.json", "docs", "redoc", "gradio_api/openapi.json", "gradio_api/info", "monitoring",
                 "monitoring/", "monitoring/summary", "monitoring/some-key", "gradio_api/process_recording"):
        status, _body = _request(url + path)
        assert status == 404, path


def test_upload_without_login_is_refused_and_logged(web_app, caplog):
    url, _service = web_app
    caplog.set_level(logging.WARNING, logger="ui.web.auth")
    status, body = _upload(url)
    assert status == 401
    assert "上传文件需要管理员登录" in body and "重新登录" in body
    assert _upload(url, cookie="hazkb_admin=forged-token")[0] == 401
    status, _body = _request(url + "gradio_api/upload/", b"", {"Content-Type": "multipart/form-data; boundary=x"})
    assert status == 401  # the slash form too
    assert "upload refused without admin login from 127.0.0.1" in caplog.text


def test_upload_after_login_works_from_the_browser_and_logout_ends_it(page, web_app, tmp_path):
    url, service = web_app
    open_tab(page, "知识库")
    assert "hazkb admin passwd" in page.locator("#admin-login").inner_text()  # how to recover a password
    _login(page)
    page.locator("#admin-panel").wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == "hazkb_admin")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("hazkb_admin") == -1  # scripts cannot read it
    assert page.locator("#admin-ticket").count() == 0 or not page.locator("#admin-ticket").is_visible()

    doc = tmp_path / "检查细则.md"
    doc.write_text(DOC_MD, encoding="utf-8")
    page.locator("#admin-files input[type=file]").set_input_files(str(doc))
    page.locator("#admin-files", has_text=doc.stem).wait_for()  # stem and extension may wrap apart
    page.locator("#admin-upload").click()
    page.locator("#admin-upload-result .hz-summary").wait_for()
    assert "✓ 检查细则.md → 《某县危险化学品仓库检查细则》" in page.locator("#admin-upload-result").inner_text()

    session = f"hazkb_admin={cookie['value']}"
    status, body = _upload(url, cookie=session)  # the same session, outside the browser
    assert status == 200 and json.loads(body)[0].endswith("x.md")

    # A failed login in another tab of the same browser leaves this session alone.
    other = page.context.new_page()
    other.goto(url)
    open_tab(other, "知识库")
    _login(other, "wrong-password-0")
    other.locator("#admin-login-msg", has_text="账号或密码错误").wait_for()
    assert any(c["name"] == "hazkb_admin" for c in page.context.cookies())
    assert _upload(url, cookie=session)[0] == 200
    other.close()
    service.admins.unlock()

    page.locator("#admin-logout").click()
    page.locator("#admin-login").wait_for()
    deadline = time.monotonic() + 30
    while any(c["name"] == "hazkb_admin" for c in page.context.cookies()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(c["name"] == "hazkb_admin" for c in page.context.cookies())
    assert _upload(url, cookie=session)[0] == 401  # the session ended on the server, not only in the browser
    assert service.admins.session_user(cookie["value"]) is None


def test_session_endpoint_accepts_only_live_tokens_from_the_same_site(web_app):
    url, service = web_app
    assert _request(url + "hazkb/session", b"not-a-token", method="POST")[0] == 403
    token = service.admins.open_session(ADMIN)
    status, _ = _request(url + "hazkb/session", token.encode(), {"Origin": "http://evil.example"}, "POST")
    assert status == 403
    assert _request(url + "hazkb/session", token.encode(), method="POST")[0] == 204
    assert _request(url + "hazkb/session")[0] == 405
    service.admins.close_session(token)


# -- login throttling ----------------------------------------------------------------------------------


def test_login_is_throttled_locked_and_logged(page, web_app, caplog):
    _url, service = web_app
    caplog.set_level(logging.INFO, logger="corpus.admins")
    message = page.locator("#admin-login-msg")
    open_tab(page, "知识库")
    try:
        # Each failure answers after the delay; the count left shows from three on, the fifth locks.
        for expected in ("账号或密码错误", "再错 3 次", "再错 2 次", "再错 1 次", "登录失败次数过多"):
            _login(page, "wrong-password-1")
            message.filter(has_text=expected).wait_for()
        text = message.inner_text()
        assert re.search(r"请在 \d{2}:\d{2} 之后（约 5 分钟后）再试", text) and "本机已暂时锁定" in text
        assert "hazkb admin unlock" in text
        screenshot(page, "admin-login-locked-desktop")

        # Locked: even the right password is refused until the lock ends (or an admin unlocks it).
        _login(page)
        deadline = time.monotonic() + 60
        while "admin login refused (locked: client)" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.2)
        page.wait_for_function("() => document.querySelector('#admin-password input').value === ''")  # answered
        assert "登录失败次数过多" in message.inner_text() and not page.locator("#admin-panel").is_visible()

        failures = [r for r in caplog.records if r.name == "corpus.admins" and r.levelno == logging.WARNING]
        assert sum("admin login failed for user 'admin' from 127.0.0.1" in r.getMessage() for r in failures) == 5
        assert any("admin login refused (locked: client)" in r.getMessage() for r in failures)
        assert "wrong-password-1" not in caplog.text and PASSWORD not in caplog.text
    finally:
        cleared = service.admins.unlock()
    assert cleared == 5
    _login(page)
    page.locator("#admin-panel").wait_for()


@pytest.fixture(params=["sqlite", "postgresql"])
def admin_url(request, tmp_path):
    """The admin tables on each real backend: SQLite under tmp_path, and PostgreSQL when one is running."""
    from conftest import POSTGRES_URL

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'admins.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL server: .ci/run starts one and sets TEST_POSTGRES_URL")
    from corpus.admins import metadata

    store = AdminStore(POSTGRES_URL)
    metadata.drop_all(store.engine)  # a shared server: start from empty tables
    yield POSTGRES_URL
    metadata.drop_all(store.engine)
    store.close()


def test_throttle_scopes_per_client_per_account_and_overall(admin_url):
    store = AdminStore(admin_url, policy=ThrottlePolicy(client_limit=3, user_limit=5, overall_limit=8))
    store.create()
    store.add(ADMIN, PASSWORD)
    for _ in range(3):
        assert not store.login(ADMIN, "bad", "10.0.0.1").ok
    refused = store.login(ADMIN, PASSWORD, "10.0.0.1")
    assert refused.locked and refused.locked_scope == "client"
    assert store.login(ADMIN, PASSWORD, "10.0.0.2").ok  # another client is not locked

    for i in range(2):  # 5 failures for this name, from several clients
        store.login(ADMIN, "bad", f"10.0.1.{i}")
    by_name = store.login(ADMIN, PASSWORD, "10.0.0.9")
    assert by_name.locked and by_name.locked_scope == "user"
    assert "该账号已暂时锁定" in by_name.message()

    for i in range(3):  # 8 failures overall, other names, other clients
        store.login(f"user{i}", "bad", f"10.0.2.{i}")
    overall = store.login("someone", "x", "10.0.3.1")
    assert overall.locked and overall.locked_scope == "overall"

    # The lock ends `lock` after the latest failure.
    with store.engine.begin() as conn:
        conn.execute(update(admin_login_failures).values(at=admin_login_failures.c.at - timedelta(minutes=6)))
    assert store.login(ADMIN, PASSWORD, "10.0.0.1").ok
    assert store.unlock() == 5  # the success cleared this client's three failures for the account
    store.close()


def test_environment_account_still_works_in_constant_time(admin_url):
    store = AdminStore(admin_url, env_account=("ops", "env-password-1"))
    store.create()
    assert store.configured() and store.ensure_first_admin() is None  # an account exists: no first-run admin
    assert store.verify("ops", "env-password-1") == "ops"
    assert store.verify("ops", "env-password-2") is None and store.verify("opsx", "env-password-1") is None
    assert store.login("ops", "env-password-1", "127.0.0.1").ok
    store.close()


# -- accounts: first run and `hazkb admin` -------------------------------------------------------------


def _serve(home, port: int, log_dir):
    out, err = log_dir / f"out-{port}", log_dir / f"err-{port}"
    command = [sys.executable, "-m", "ui.cli", "--home", str(home), "--no-builtin", "serve", "--port", str(port)]
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen(command, stdout=o, stderr=e, cwd=ROOT)
    return proc, out, err


def _stop(proc) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def _read_until(path, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while text not in (content := path.read_text(encoding="utf-8")) and time.monotonic() < deadline:
        time.sleep(0.2)
    return content


def test_first_run_creates_an_admin_stores_only_a_hash_and_prints_the_password_once(tmp_path, browser):
    home = tmp_path / "home"
    port = free_port()
    proc, out, err = _serve(home, port, tmp_path)
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        printed = _read_until(out, "初始密码")
        match = re.search(r"已建立管理员账号 admin，初始密码 (\S+)", printed)
        assert match, printed
        password = match.group(1)
        assert "只显示这一次" in printed and "hazkb admin passwd admin" in printed
        assert password not in _read_until(err, "已启动")  # not in the log stream

        store = AdminStore.open(Settings.from_env({}, home=home, no_builtin=True))
        with store.engine.connect() as conn:
            stored = conn.execute(select(admin_accounts)).all()
        assert [r.user for r in stored] == ["admin"]
        assert stored[0].password_hash.startswith("scrypt$") and password not in stored[0].password_hash
        assert password not in (home / "catalog.db").read_bytes().decode("latin-1")
        assert store.verify("admin", password) == "admin"
        store.close()

        page = new_page(browser, f"http://127.0.0.1:{port}/")
        open_tab(page, "知识库")
        _login(page, password)
        page.locator("#admin-panel").wait_for()
        page.context.close()
    finally:
        _stop(proc)

    port = free_port()
    proc, out, err = _serve(home, port, tmp_path)  # the second start: no new account, no password
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        text = _read_until(err, "已启动")
        assert "hazkb admin passwd" in text
        assert "初始密码" not in out.read_text(encoding="utf-8")
    finally:
        _stop(proc)


def test_serve_warns_when_open_beyond_localhost_without_tls(tmp_path):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:  # the port is taken: serve warns, then stops
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "ui.cli", "--home", str(tmp_path / "home"), "--no-builtin", "serve",
                   "--host", "0.0.0.0", "--port", str(port)]
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert "注意：Web 服务在 0.0.0.0 上以明文 HTTP 开放" in out.stderr
    assert "HTTPS 反向代理" in out.stderr and "--host 127.0.0.1" in out.stderr


def _cli(home, *args: str, input: str | None = None):
    from ui.cli import cli

    return CliRunner().invoke(cli, ["--home", str(home), "--no-builtin", "admin", *args], input=input)


def test_admin_commands_add_list_passwd_remove(tmp_path):
    home = tmp_path / "home"
    settings = Settings.from_env({}, home=home, no_builtin=True)
    result = _cli(home, "list")
    assert result.exit_code == 0 and "还没有管理员账号" in result.output

    result = _cli(home, "add", "张三", input="first-pass-1\nfirst-pass-1\n")
    assert result.exit_code == 0, result.output
    assert "已新建管理员账号：张三" in result.output and "first-pass-1" not in result.output
    assert _cli(home, "add", "张三").exit_code != 0  # taken: refused before any prompt

    result = _cli(home, "passwd", "张三", input="new-pass-22\nnew-pass-23\nnew-pass-22\nnew-pass-22\n")
    assert result.exit_code == 0, result.output
    assert "两次输入的密码不一致" in result.output and "已更改管理员 张三 的密码" in result.output
    store = AdminStore.open(settings)
    assert store.verify("张三", "new-pass-22") == "张三" and store.verify("张三", "first-pass-1") is None
    token = store.open_session("张三")
    store.close()

    result = _cli(home, "passwd", "张三", input="short\nshort\n")
    assert result.exit_code != 0 and "密码太短" in str(result.exception)
    result = _cli(home, "passwd", "李四", input="whatever-1\nwhatever-1\n")
    assert result.exit_code != 0 and "没有管理员账号“李四”" in str(result.exception)

    result = _cli(home, "add", "李四", "--password-stdin", input="li-password-9\n")
    assert result.exit_code == 0, result.output
    result = _cli(home, "list", "--json")
    assert sorted(a["user"] for a in json.loads(result.output)["accounts"]) == sorted(["张三", "李四"])

    result = _cli(home, "passwd", "张三", "--password-stdin", input="third-pass-3\n")
    assert result.exit_code == 0
    store = AdminStore.open(settings)
    assert store.session_user(token) is None  # a changed password ends the account's web sessions
    store.close()

    assert _cli(home, "remove", "李四", "--yes").exit_code == 0
    result = _cli(home, "remove", "张三", "--yes")
    assert result.exit_code != 0 and "唯一的管理员账号" in str(result.exception)


def test_settings_read_the_throttle_variables():
    settings = Settings.from_env({"HAZKB_LOGIN_MAX_FAILURES": "3", "HAZKB_LOGIN_LOCK_MINUTES": "10"})
    assert settings.login_max_failures == 3 and settings.login_lock_minutes == 10
    assert replace(settings, admin_session_hours=1).admin_session_hours == 1
    from corpus.errors import ConfigError

    with pytest.raises(ConfigError, match="HAZKB_LOGIN_MAX_FAILURES 必须是正整数"):
        Settings.from_env({"HAZKB_LOGIN_MAX_FAILURES": "0"})


def test_responses_are_compressed(web_app):
    url, _service = web_app
    request = urllib.request.Request(url + "config", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get("Content-Encoding") == "gzip"
        assert len(response.read()) < 100_000  # the page's configuration, compressed
