"""The county plan's attachment-3 table: each row's 检查依据 / 执法依据 resolved to (law, article) pairs."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths

ROW1_CHECK = [("危险化学品登记管理办法", 12), ("危险化学品登记管理办法", 18), ("危险化学品登记管理办法", 21),
              ("危险化学品生产企业安全生产许可证实施办法", 20)]
ROW5_ENFORCE = [("安全生产法", 101), ("安全生产法", 113), ("化学品物理危险性鉴定与分类管理办法", 19)]


def _rows(catalog, path):
    report = ingest_paths(catalog, [path])
    assert report.ok, report.failed
    doc = catalog.document(report.ingested[0]["doc_id"])
    return [u for u in catalog.units(doc.doc_id) if u.kind.value == "table_row"]


def _pairs(catalog, unit, column):
    cell = unit.cells[column]
    return [(s.reference.law, s.reference.article_no) for s in catalog.references_from(unit.unit_id)
            if s.reference.raw and s.reference.raw in cell]


@pytest.mark.parametrize("name", ["plans/*.txt", "office/*工作要点.docx", "office/*工作要点.pdf"])
def test_table_rows_cite_articles(catalog, shared_dir, name):
    path = next((shared_dir / "corpus").glob(name))
    rows = _rows(catalog, path)
    assert len(rows) == 5
    assert _pairs(catalog, rows[0], "检查依据") == ROW1_CHECK
    assert _pairs(catalog, rows[0], "执法依据") == [("危险化学品登记管理办法", 29), ("危险化学品登记管理办法", 30),
                                                ("危险化学品生产企业安全生产许可证实施办法", 43)]
    assert _pairs(catalog, rows[2], "执法依据") == [("危险化学品安全管理条例", 78)]
    assert _pairs(catalog, rows[4], "执法依据") == ROW5_ENFORCE


def test_rows_resolve_to_corpus_articles(catalog, shared_dir, regulations_dir):
    ingest_paths(catalog, [regulations_dir / "危险化学品安全管理条例(2013-12-07).md",
                           regulations_dir / "安全生产法(2021-06-10).md"])
    rows = _rows(catalog, next((shared_dir / "corpus" / "plans").glob("*.txt")))
    resolved = {}
    for stored in catalog.references_from(rows[1].unit_id):
        target = catalog.resolve(stored)
        resolved[(stored.reference.law, stored.reference.article_no)] = target.label if target else None
    assert resolved[("危险化学品安全管理条例", 15)] == "第十五条"
    assert resolved[("危险化学品安全管理条例", 78)] == "第七十八条"
    assert resolved[("危险化学品安全使用许可证实施办法", 18)] is None  # not in the corpus: kept, unresolved
    row5 = {(s.reference.law, s.reference.article_no): catalog.resolve(s)
            for s in catalog.references_from(rows[4].unit_id)}
    assert row5[("安全生产法", 101)].label == "第一百零一条"
