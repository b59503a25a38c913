"""Article counts of the 21 shared Markdown regulations, checked against an independent count."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.model import DocKind, Level
from ingest.document import Overrides
from ingest.markdown import load_markdown

REFERENCE_COUNTS = {
    "危险化学品安全管理条例": 102,
    "安全生产法": 119,
    "消防法": 74,
    "职业病防治法": 88,
    "行政处罚法": 86,
    "特种设备安全法": 101,
}
# Independent count: a paragraph that starts with 第…条 followed by a space (the files' convention).
_ARTICLE_LINE = re.compile(r"^第[零一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?[ \u3000]", re.M)


def _load(path: Path):
    return load_markdown(path, path.read_bytes(), "test", Overrides())


def _independent_count(path: Path) -> int:
    body = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
    return len(_ARTICLE_LINE.findall(body))


def test_all_21_files_match_independent_count(regulations_dir):
    files = sorted(regulations_dir.glob("*.md"))
    assert len(files) == 21
    for path in files:
        doc = _load(path)
        assert doc.kind is DocKind.REGULATION, path.name
        assert len(doc.articles) == _independent_count(path), path.name
        numbers = [(u.article_no, u.article_sub) for u in doc.articles]
        assert len(set(numbers)) == len(numbers), f"{path.name}: repeated article numbers"


@pytest.mark.parametrize("name,count", sorted(REFERENCE_COUNTS.items()))
def test_reference_counts(regulations_dir, name, count):
    path = next(regulations_dir.glob(f"{name}(*.md"))
    doc = _load(path)
    assert len(doc.articles) == count
    assert [u.article_no for u in doc.articles] == list(range(1, count + 1))


def test_metadata_inferred(regulations_dir):
    doc = _load(next(regulations_dir.glob("危险化学品安全管理条例(*.md")))
    assert doc.title == "危险化学品安全管理条例"
    assert doc.level is Level.ADMIN_REGULATION
    assert doc.version_date.isoformat() == "2013-12-07"
    assert "危化品条例" in doc.aliases
    law = _load(next(regulations_dir.glob("安全生产法(*.md")))
    assert law.title == "中华人民共和国安全生产法" and law.level is Level.LAW
    assert law.version_date.isoformat() == "2021-06-10"
    assert len(law.history) == 4


def test_structure_of_an_article(regulations_dir):
    doc = _load(next(regulations_dir.glob("危险化学品安全管理条例(*.md")))
    art6 = doc.articles[5]
    assert art6.label == "第六条"
    assert art6.path == ["第一章 总则"]
    assert len(art6.paragraphs) == 1 and len(art6.paragraphs[0].items) == 8
    assert art6.paragraphs[0].items[0].label == "(一)"
    art20 = doc.articles[19]
    assert art20.path == ["第二章 生产、储存安全"]
    assert len(art20.paragraphs) == 2
    sections = _load(next(regulations_dir.glob("特种设备安全法(*.md")))
    assert any(len(u.path) == 2 and "节" in u.path[1] for u in sections.articles)
