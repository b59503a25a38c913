"""Document formats are one registry (ingest.formats): folder scanning, the loader choice and the messages read it,
so a new format is one entry there."""
from __future__ import annotations

from corpus.catalog import open_catalog
from corpus.settings import Settings
from ingest import formats
from ingest.formats import Format, format_for, suffix_list
from ingest.pipeline import ingest_paths
from ui.web.uploads import ALLOWED_SUFFIXES

LAW = "中华人民共和国格式测试法\n\n第一条 为了测试，制定本法。\n\n第二条 本法自公布之日起施行。\n"


def test_every_format_names_an_importable_loader():
    for fmt in formats.FORMATS:
        assert callable(fmt.loader()), fmt
    assert format_for("规章.MARKDOWN").name == "Markdown" and format_for("a.doc") is None
    assert set(ALLOWED_SUFFIXES) == set(formats.suffixes())  # the web upload offers what ingest reads
    assert suffix_list().endswith(" 或 .txt")


def test_a_new_format_is_one_entry(tmp_path, monkeypatch):
    """The dummy addition below is the whole change: one Format (suffix, name, loader) in the registry."""
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, Format((".law",), "法规文本", "ingest.text:load_text")))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "格式测试法.law").write_text(LAW, encoding="utf-8")
    (folder / "说明.xyz").write_text("不是法规", encoding="utf-8")
    catalog = open_catalog(Settings.from_env({}, home=tmp_path / "home", no_builtin=True))
    report = ingest_paths(catalog, [folder])
    assert [e["title"] for e in report.ingested] == ["中华人民共和国格式测试法"]
    assert report.skipped == [str(folder / "说明.xyz")]
    assert ".law" in suffix_list()
