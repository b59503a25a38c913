"""Ingest: idempotent by content hash, changed files replace their units, bad files reported, good ones kept."""
from __future__ import annotations

import shutil

from corpus.model import DocKind
from ingest.document import Overrides
from ingest.pipeline import ingest_paths

LAW_MD = """# 某某危险物品管理条例

2020年1月1日 某某令第1号公布

<!-- INFO END -->

## 第一章 总则

第一条 为了加强管理，制定本条例。

第二条 单位应当遵守本条例第一条的规定。

## 第二章 法律责任

第三条 违反本条例第二条规定的，处一万元以下的罚款。
"""


def _write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_ingest_is_idempotent_and_replaces_changed_files(catalog, tmp_path):
    md = _write(tmp_path / "docs" / "条例.md", LAW_MD)
    first = ingest_paths(catalog, [md])
    assert [e["units"] for e in first.ingested] == [3] and first.ok
    again = ingest_paths(catalog, [md])
    assert again.ingested == [] and len(again.unchanged) == 1
    before = catalog.counts()
    _write(md, LAW_MD.replace("第三条 违反", "第三条 凡违反") + "\n第四条 本条例自公布之日起施行。\n")
    changed = ingest_paths(catalog, [md])
    assert [e["units"] for e in changed.ingested] == [4]
    assert catalog.counts()["documents"] == before["documents"] == 1
    doc = catalog.find_law("某某危险物品管理条例")
    assert catalog.article(doc.doc_id, 3).text.startswith("凡违反")


def test_references_are_stored_and_resolved(catalog, tmp_path):
    md = _write(tmp_path / "条例.md", LAW_MD)
    ingest_paths(catalog, [md])
    doc = catalog.find_law("某某危险物品管理条例")
    art3 = catalog.article(doc.doc_id, 3)
    refs = catalog.references_from(art3.unit_id)
    assert [(r.reference.law, r.reference.article_no) for r in refs] == [(None, 2)]
    assert catalog.resolve(refs[0]).unit_id == f"{doc.doc_id}:a2"


def test_same_file_twice_and_copy(catalog, tmp_path):
    md = _write(tmp_path / "a" / "条例.md", LAW_MD)
    copy = tmp_path / "b" / "条例副本.md"
    copy.parent.mkdir()
    shutil.copy(md, copy)
    report = ingest_paths(catalog, [md, md, copy])
    assert len(report.ingested) == 1 and len(report.unchanged) == 2
    assert catalog.counts()["documents"] == 1


def test_gbk_text(catalog, tmp_path):
    txt = _write(tmp_path / "条例.txt", LAW_MD.replace("# ", "").replace("<!-- INFO END -->", ""), "gbk")
    report = ingest_paths(catalog, [txt])
    assert report.ok and report.ingested[0]["units"] == 3


def test_bad_inputs_each_get_a_reason(catalog, tmp_path):
    empty = _write(tmp_path / "空.txt", "")
    unsupported = _write(tmp_path / "表格.xls", "x")
    undecodable = tmp_path / "乱码.txt"
    undecodable.write_bytes(bytes(range(128, 256)) * 4 + b"\x00\x81")
    missing = tmp_path / "不存在.pdf"
    report = ingest_paths(catalog, [empty, unsupported, undecodable, missing])
    reasons = {e["path"].rsplit("/", 1)[-1]: e["reason"] for e in report.failed}
    assert "为空" in reasons["空.txt"]
    assert "不支持" in reasons["表格.xls"] and ".docx" in reasons["表格.xls"]
    assert "编码" in reasons["乱码.txt"]
    assert "不存在" in reasons["不存在.pdf"]
    assert catalog.counts()["documents"] == 0


def test_unstructured_file_is_kept_with_warning(catalog, tmp_path):
    note = _write(tmp_path / "会议纪要.txt", "今天开会讨论了仓库检查。\n大家认为要加强巡查。\n")
    report = ingest_paths(catalog, [note])
    assert report.ok and report.warnings and "段落" in report.warnings[0]["warning"]
    doc = catalog.document(report.ingested[0]["doc_id"])
    assert doc.kind is DocKind.PLAIN and doc.unit_count == 2


def test_folder_mixing_good_and_bad(catalog, tmp_path, office_dir, regulations_dir):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(next(regulations_dir.glob("消防法*.md")), folder)
    for name in ("损坏-截断.pdf", "伪装-非PDF.pdf", "扫描件-危险化学品安全管理条例.pdf"):
        shutil.copy(office_dir / name, folder)
    (folder / "说明.tsv").write_text("x\ty\n", encoding="utf-8")
    report = ingest_paths(catalog, [folder])
    assert [e["title"] for e in report.ingested] == ["中华人民共和国消防法"]
    assert sorted(e["path"].rsplit("/", 1)[-1] for e in report.failed) == sorted(
        ["损坏-截断.pdf", "伪装-非PDF.pdf", "扫描件-危险化学品安全管理条例.pdf"])
    assert report.skipped and report.skipped[0].endswith("说明.tsv")
    assert catalog.counts()["documents"] == 1


def test_bad_file_does_not_touch_stored_content(catalog, tmp_path, office_dir, regulations_dir):
    good = regulations_dir / "危险化学品安全管理条例(2013-12-07).md"
    ingest_paths(catalog, [good])
    before = catalog.counts()
    bad = tmp_path / "危险化学品安全管理条例.pdf"
    shutil.copy(office_dir / "损坏-截断.pdf", bad)
    report = ingest_paths(catalog, [bad])
    assert not report.ok
    assert catalog.counts() == before


def test_overrides(catalog, tmp_path):
    from corpus.model import Level

    md = _write(tmp_path / "条例.md", LAW_MD)
    report = ingest_paths(catalog, [md], Overrides(title="某市危险物品管理条例", level=Level.LOCAL_REGULATION))
    doc = catalog.document(report.ingested[0]["doc_id"])
    assert doc.title == "某市危险物品管理条例" and doc.level is Level.LOCAL_REGULATION


def test_source_name_gives_title_and_date_without_changing_identity(catalog, tmp_path, regulations_dir):
    stored = tmp_path / "uploads" / "20261129-abcdef.md"
    stored.parent.mkdir()
    stored.write_bytes((regulations_dir / "危险化学品安全管理条例(2013-12-07).md").read_bytes())
    report = ingest_paths(catalog, [stored], Overrides(source_name="危险化学品安全管理条例(2013-12-07).md"))
    doc = catalog.document(report.ingested[0]["doc_id"])
    assert doc.version_date.isoformat() == "2013-12-07"
    again = ingest_paths(catalog, [stored], Overrides(source_name="别的名字.md"))
    assert again.ingested == [] and len(again.unchanged) == 1
