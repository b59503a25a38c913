"""Several processes on one catalog: every write changes the catalog's generation stamp, and a Workspace that
watches it rebuilds its indexes, so an ingest on one instance is answered on another within seconds."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from app.workspace import Workspace
from conftest import POSTGRES_URL
from corpus import schema
from corpus.settings import Settings

LAW_A = "中华人民共和国甲安全法\n\n第一条 生产经营单位应当在储罐区设置明显的安全警示标志。\n"
LAW_B = "中华人民共和国乙安全法\n\n第一条 液氯钢瓶与氨气瓶不得混放在同一库房内储存。\n"


@pytest.fixture(params=["sqlite", "postgresql"])
def homes(request, tmp_path):
    """Two instances: their own index directories, one catalog (a shared SQLite file, or PostgreSQL)."""
    # Without the rows' vectors: after a refresh the watcher would embed the new rows in the background.
    base = Settings.from_env({"HAZKB_ROW_VECTORS": "0"}, home=tmp_path / "a", no_builtin=True)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    url = base.db_url
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("no PostgreSQL server: .ci/run starts one and sets TEST_POSTGRES_URL")
        url = POSTGRES_URL
    a = Workspace(replace(base, database_url=url))
    b = Workspace(replace(base, home=tmp_path / "b", database_url=url))
    if request.param == "postgresql":
        schema.metadata.drop_all(a.catalog().engine)
        schema.metadata.create_all(a.catalog().engine)
    yield a, b
    b.close()
    a.close()


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_write_changes_the_generation(homes, tmp_path):
    a, _b = homes
    before = a.catalog().generation()
    report = a.ingest([_write(tmp_path, "甲安全法.md", LAW_A)])
    assert report.ingested and a.catalog().generation() != before
    stamp = a.catalog().generation()
    a.ingest([tmp_path / "甲安全法.md"])  # unchanged: nothing written
    assert a.catalog().generation() == stamp
    a.remove(report.ingested[0]["doc_id"])
    assert a.catalog().generation() != stamp


def test_an_ingest_on_one_instance_is_answered_on_the_other(homes, tmp_path):
    a, b = homes
    a.ingest([_write(tmp_path, "甲安全法.md", LAW_A)])
    assert b.searcher().docs  # b is serving, from the catalog as it was
    b.watch(interval=0.2)
    start = time.monotonic()
    a.ingest([_write(tmp_path, "乙安全法.md", LAW_B)])
    while time.monotonic() - start < 5:
        titles = {d.title for d in b.searcher().docs.values()}
        if "中华人民共和国乙安全法" in titles:
            break
        time.sleep(0.1)
    assert "中华人民共和国乙安全法" in titles, "instance b did not pick up the ingest on a within 5 s"
    hits = b.searcher().search("液氯钢瓶与氨气瓶混放储存", law="乙安全法").hits
    assert hits and hits[0].doc.title == "中华人民共和国乙安全法"
    assert not b.stale()


def test_a_rebuilt_row_index_reuses_words_and_equals_a_fresh_one(homes, tmp_path):
    from retriever.row_index import RowIndex

    a, _b = homes
    penalty = "\n第二条 违反本法第一条规定，未设置安全警示标志的，处一万元以下的罚款。\n"
    a.ingest([_write(tmp_path, "甲安全法.md", LAW_A + penalty)])
    before = a.searcher().violation_matcher().index
    a.ingest([_write(tmp_path, "乙安全法.md", LAW_B + "\n第二条 违反本法第一条规定的，处二万元以下的罚款。\n")])
    after = a.searcher().violation_matcher().index
    assert after is not before and len(after.rows) == len(before.rows) + 1
    fresh = RowIndex(after.rows, after.words)

    def decoded(index):
        terms = {i: t for t, i in index.fields["word"].vocab.items()}
        return [sorted((terms[int(i)], float(n)) for i, n in zip(*tokens)) for tokens in index.fields["word"].tokens]

    assert decoded(after) == decoded(fresh)
