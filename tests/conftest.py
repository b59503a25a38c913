"""Shared fixtures: hermetic environment, the shared corpus folder (skipped when absent), data homes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No HAZKB_* setting leaks in from the developer's shell; nothing may reach a model hub."""
    for key in list(os.environ):
        if key.startswith("HAZKB_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session", autouse=True)
def private_tmp(tmp_path_factory):
    """The temporary files of the code under test, and of the servers the tests start, go under pytest's base
    folder (which pytest prunes), not into /tmp: a test worker ends without running exit handlers, so an
    in-process web service's download folder was left in /tmp by every run."""
    import tempfile

    folder = tmp_path_factory.mktemp("tmp")
    before = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)
    yield folder
    tempfile.tempdir = before[1]
    if before[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before[0]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}; it lives next to the project root")
    return SHARED


@pytest.fixture(scope="session")
def regulations_dir(shared_dir) -> Path:
    return shared_dir / "corpus" / "regulations"


@pytest.fixture(scope="session")
def office_dir(shared_dir) -> Path:
    return shared_dir / "corpus" / "office"


@pytest.fixture(scope="session")
def plan_txt(shared_dir) -> Path:
    return next((shared_dir / "corpus" / "plans").glob("*.txt"))


@pytest.fixture
def bank(tmp_path):
    """An empty question bank in SQLite under tmp_path."""
    from quiz.store import QuestionBank

    b = QuestionBank(f"sqlite:///{tmp_path / 'bank.db'}")
    b.create()
    yield b
    b.close()


@pytest.fixture
def settings(tmp_path):
    from corpus.settings import Settings

    return Settings.from_env({}, home=tmp_path / "home", no_builtin=True)


@pytest.fixture
def catalog(settings):
    from corpus.catalog import open_catalog

    cat = open_catalog(settings)
    yield cat
    cat.close()


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own database (hazkb_test_gw0, ...): the contract tests drop and
    create every table, so two workers on one database would break each other."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


BASE_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")  # set by .ci/run after it starts a local PostgreSQL
POSTGRES_URL = _worker_database(BASE_POSTGRES_URL)


@pytest.fixture(scope="session", autouse=True)
def postgres_database():
    """Creates this worker's database on the test server when it is missing (the test user may create them)."""
    if not POSTGRES_URL or POSTGRES_URL == BASE_POSTGRES_URL:
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(POSTGRES_URL).database
    engine = create_engine(BASE_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_catalog(request, settings):
    """The catalog on each real backend: SQLite under tmp_path, and PostgreSQL when one is running."""
    from dataclasses import replace

    from corpus import schema
    from corpus.catalog import open_catalog

    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("no PostgreSQL server: .ci/run starts one and sets TEST_POSTGRES_URL")
        settings = replace(settings, database_url=POSTGRES_URL)
    cat = open_catalog(settings)
    schema.metadata.drop_all(cat.engine)  # a shared server: start from empty tables
    schema.metadata.create_all(cat.engine)
    yield cat
    cat.close()


def _build_full_home(home: Path, shared_dir: Path) -> None:
    """The built-in laws, the 21 shared regulations and the county plan, with the lexical index and the violation
    rows and their index already built (every test would otherwise build them on first use)."""
    from corpus.catalog import open_catalog
    from corpus.settings import Settings
    from ingest.builtin import load_builtin
    from ingest.pipeline import ingest_paths
    from retriever.kb import open_searcher

    settings = Settings.from_env({}, home=home, no_builtin=True)
    catalog = open_catalog(settings)
    load_builtin(catalog)
    report = ingest_paths(catalog, [shared_dir / "corpus" / "regulations", shared_dir / "corpus" / "plans"])
    assert report.ok, report.failed
    searcher, _status = open_searcher(settings, catalog)
    searcher.violation_matcher()
    catalog.close()


@pytest.fixture(scope="session")
def full_settings(tmp_path_factory, shared_dir):
    """A home with the built-in laws, the 21 shared regulations and the county plan. Built once per run: under
    pytest-xdist the first worker that needs it builds it (the others wait on a lock file), and each worker gets
    its own copy, so what one worker's tests write never reaches another's."""
    import fcntl
    import shutil

    from corpus.settings import Settings

    base = tmp_path_factory.getbasetemp()
    built = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "full-built"
    built.mkdir(exist_ok=True)
    with (built / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (built / "done").exists():
            _build_full_home(built / "home", shared_dir)
            (built / "done").touch()
    home = tmp_path_factory.mktemp("full") / "home"
    shutil.copytree(built / "home", home)
    return Settings.from_env({}, home=home, no_builtin=True)


@pytest.fixture(scope="session")
def full_searcher(full_settings):
    from corpus.catalog import open_catalog
    from retriever.kb import open_searcher

    searcher, _status = open_searcher(full_settings, open_catalog(full_settings))
    return searcher


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by playwright (web tests)."""
    from web_driver import browser_fixture

    yield from browser_fixture()


@pytest.fixture
def page(browser, web_app):
    """A desktop page on the web app of the requesting module (each web test module defines its web_app)."""
    from web_driver import new_page

    page = new_page(browser, web_app[0])
    yield page
    page.context.close()

