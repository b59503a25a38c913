"""The catalog contract, on every backend: storing, replacing, removing, finding laws and versions, atomic writes."""
from __future__ import annotations

from datetime import date

import pytest

from corpus.catalog import Catalog, choose_version
from corpus.errors import NotFoundError, StoreError
from corpus.model import Document, Level, Paragraph, Reference, Status, Unit, UnitKind


def _doc(title="危险化学品安全管理条例", version=date(2013, 12, 7), texts=("第一条正文", "第二条正文"),
         status=Status.CURRENT, source="/tmp/x.md", effective=None) -> Document:
    units = [Unit(kind=UnitKind.ARTICLE, seq=i, text=t, article_no=i + 1, paragraphs=[Paragraph(t)],
                  path=["第一章 总则"]) for i, t in enumerate(texts)]
    doc = Document(title=title, level=Level.ADMIN_REGULATION, version_date=version, effective_date=effective or version,
                   status=status, source=source, content_hash=f"h-{title}-{version}-{len(texts)}-{texts[0]}",
                   aliases=[title, "危化条例"], units=units)
    doc.assign_ids()
    return doc


def test_store_and_read_back(any_catalog: Catalog):
    doc = _doc()
    doc.units[1].references = [Reference(raw="本条例第一条", law=None, article_no=1)]
    any_catalog.store(doc)
    back = any_catalog.document(doc.doc_id)
    assert back.title == doc.title and back.level is Level.ADMIN_REGULATION and back.unit_count == 2
    art = any_catalog.article(doc.doc_id, "第二条")
    assert art.text == "第二条正文" and art.path == ["第一章 总则"] and art.unit_id == f"{doc.doc_id}:a2"
    refs = any_catalog.references_from(art.unit_id)
    assert len(refs) == 1 and any_catalog.resolve(refs[0]).unit_id == f"{doc.doc_id}:a1"
    assert any_catalog.references_to(back, 1)[0].from_unit_id == art.unit_id
    both = any_catalog.units_by_id([art.unit_id, f"{doc.doc_id}:a1", "no-such-unit", art.unit_id])
    assert set(both) == {art.unit_id, f"{doc.doc_id}:a1"} and both[art.unit_id] == art
    assert any_catalog.units_by_id([]) == {}


def test_store_batches_writes_a_generator_in_batches(any_catalog: Catalog):
    docs = (_doc(title=f"测试条例{i}", version=date(2020, 1, 1 + i), source=f"/tmp/{i}.md") for i in range(5))
    assert any_catalog.store_batches(docs, 2) == 5
    assert len(any_catalog.documents()) == 5
    assert any_catalog.store_batches(iter(()), 2) == 0


def test_unit_ids_are_stable_across_reingest(any_catalog: Catalog):
    first = _doc()
    second = _doc(texts=("改过的第一条", "第二条正文"))
    assert [u.unit_id for u in first.units] == [u.unit_id for u in second.units]


def test_replace_keeps_one_copy(any_catalog: Catalog):
    any_catalog.store(_doc())
    any_catalog.store(_doc(texts=("新第一条", "新第二条", "新第三条")))
    assert any_catalog.counts()["documents"] == 1
    assert any_catalog.counts()["units"] == 3


def test_source_that_now_holds_another_document_drops_the_old_one(any_catalog: Catalog):
    any_catalog.store(_doc(title="甲条例"), "/tmp/a.md")
    any_catalog.store(_doc(title="乙条例"), "/tmp/a.md")
    assert [d.title for d in any_catalog.documents()] == ["乙条例"]


def test_failed_write_leaves_previous_state(any_catalog: Catalog):
    good = _doc()
    any_catalog.store(good)
    bad = _doc(texts=("坏的第一条", "坏的第二条"))
    bad.units[1].unit_id = bad.units[0].unit_id  # duplicate primary key: the insert fails mid-transaction
    with pytest.raises(StoreError):
        any_catalog.store(bad)
    assert any_catalog.article(good.doc_id, 1).text == "第一条正文"
    assert any_catalog.counts()["units"] == 2


def test_find_law_by_alias_and_missing(any_catalog: Catalog):
    any_catalog.store(_doc())
    assert any_catalog.find_law("《危化条例》").title == "危险化学品安全管理条例"
    with pytest.raises(NotFoundError, match="hazkb docs"):
        any_catalog.find_law("不存在的法")
    with pytest.raises(NotFoundError, match="第九十九条"):
        any_catalog.article(any_catalog.find_law("危化条例").doc_id, 99)


def test_versions_and_as_of(any_catalog: Catalog):
    old = _doc(version=date(2011, 2, 16), status=Status.AMENDED, source="/tmp/old.md")
    new = _doc(version=date(2013, 12, 7), source="/tmp/new.md")
    any_catalog.store(old)
    any_catalog.store(new)
    assert any_catalog.find_law("危险化学品安全管理条例").version_date == date(2013, 12, 7)
    assert any_catalog.find_law("危险化学品安全管理条例", as_of=date(2012, 1, 1)).version_date == date(2011, 2, 16)
    assert [d.version_date.year for d in any_catalog.versions("危化条例")] == [2013, 2011]


def test_not_yet_effective_law():
    law = _doc(title="中华人民共和国危险化学品安全法", version=date(2025, 12, 27), effective=date(2026, 5, 1))
    assert law.status_on(date(2026, 1, 1)) is Status.NOT_YET_EFFECTIVE
    assert law.status_on(date(2026, 11, 29)) is Status.CURRENT
    assert choose_version([law], date(2026, 1, 1)) is law  # nothing else: still shown, with its status


def test_remove(any_catalog: Catalog):
    doc = _doc()
    any_catalog.store(doc)
    any_catalog.remove(doc.doc_id)
    assert any_catalog.counts() == {"documents": 0, "units": 0, "references": 0}
    with pytest.raises(NotFoundError):
        any_catalog.remove(doc.doc_id)


def test_real_ingest_on_every_backend(any_catalog: Catalog, regulations_dir, plan_txt):
    from ingest.pipeline import ingest_paths

    report = ingest_paths(any_catalog, [regulations_dir, plan_txt])
    assert report.ok and len(report.ingested) == 22
    law = any_catalog.find_law("新安法")
    assert any_catalog.article(law.doc_id, "第一百零一条").paragraphs[0].items
    again = ingest_paths(any_catalog, [regulations_dir, plan_txt])
    assert again.ingested == [] and len(again.unchanged) == 22
