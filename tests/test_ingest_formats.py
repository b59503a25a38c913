"""TXT, DOCX and PDF loaders on the real shared files: same structure from every format, clear errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.errors import IngestError
from corpus.model import DocKind, UnitKind
from ingest.document import Overrides
from ingest.docx_loader import load_docx
from ingest.markdown import load_markdown
from ingest.pdf import load_pdf
from ingest.text import load_text

REGULATION_MD = "危险化学品安全管理条例(2013-12-07).md"
REGULATION_PDF = "危险化学品安全管理条例.pdf"
PLAN_DOCX = "2025年全县危险化学品安全监管工作要点.docx"
PLAN_PDF = "2025年全县危险化学品安全监管工作要点.pdf"
ATTACHMENT_3 = "附件3 2025年化学品登记和鉴定分类专项执法检查暨现场核查工作方案"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load(loader, path: Path):
    return loader(path, path.read_bytes(), "test", Overrides())


# --- the regulation as PDF against its Markdown text ----------------------------------------


@pytest.fixture(scope="module")
def regulation_pdf(office_dir):
    return load(load_pdf, office_dir / REGULATION_PDF)


@pytest.fixture(scope="module")
def regulation_md(regulations_dir):
    return load(load_markdown, regulations_dir / REGULATION_MD)


def test_pdf_regulation_has_articles_1_to_102(regulation_pdf):
    assert regulation_pdf.kind is DocKind.REGULATION
    assert [u.article_no for u in regulation_pdf.articles] == list(range(1, 103))


def test_pdf_articles_match_markdown_text(regulation_pdf, regulation_md):
    expected = {u.article_no: squash(u.text) for u in regulation_md.articles}
    got = {u.article_no: squash(u.text) for u in regulation_pdf.articles}
    assert sorted(expected) == list(range(1, 103))
    mismatches = [n for n in expected if got.get(n) != expected[n]]
    share = 1 - len(mismatches) / len(expected)
    details = "\n".join(f"第{n}条\n  md:  {expected[n][:80]}\n  pdf: {got.get(n, '')[:80]}" for n in mismatches[:5])
    assert share == 1.0, f"exact-match share {share:.3f}; mismatches {mismatches}\n{details}"


def test_pdf_keeps_paragraphs_and_items(regulation_pdf, regulation_md):
    by_no = {u.article_no: u for u in regulation_pdf.articles}
    for unit in regulation_md.articles:
        assert [p.text for p in by_no[unit.article_no].paragraphs] == [p.text for p in unit.paragraphs]
    article6 = by_no[6]
    assert [item.label for item in article6.paragraphs[0].items] == [f"({n})" for n in "一二三四五六七八"]


def test_pdf_article_across_page_break_stays_whole(regulation_pdf):
    crossing = [u for u in regulation_pdf.articles if u.page_end and u.page_start and u.page_end > u.page_start]
    assert crossing, "some article runs onto the next page"
    article7 = next(u for u in regulation_pdf.articles if u.article_no == 7)
    assert (article7.page_start, article7.page_end) == (2, 3)
    assert "阅、复制有关文件、资料；" in article7.text and "予以配合，不得拒绝、阻碍。" in article7.text


def test_pdf_headings_metadata_and_spacing(regulation_pdf):
    first = regulation_pdf.articles[0]
    assert first.path == ["第一章 总则"]
    assert first.page_start == 1
    assert regulation_pdf.articles[-1].text == "本条例自2011年12月1日起施行。"
    assert regulation_pdf.title == "危险化学品安全管理条例"
    assert regulation_pdf.doc_number == "国务院令第344号"
    assert "2002年1月26日中华人民共和国国务院令第344号公布" in regulation_pdf.history


# --- the plan as TXT, DOCX and PDF -----------------------------------------------------------


@pytest.fixture(scope="module")
def plans(plan_txt, office_dir):
    return {
        "txt": load(load_text, plan_txt),
        "docx": load(load_docx, office_dir / PLAN_DOCX),
        "pdf": load(load_pdf, office_dir / PLAN_PDF),
    }


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_plan_sections_have_heading_paths(plans, fmt):
    doc = plans[fmt]
    assert doc.kind is DocKind.PLAN
    assert doc.title == "2025年全县危险化学品安全监管工作要点"
    sections = {u.key: u for u in doc.units if u.kind is UnitKind.SECTION}
    unit = sections["s3.1.2"]
    assert [squash(p) for p in unit.path] == [squash(ATTACHMENT_3), "一、工作任务", "（二）危险化学品登记方面。"]
    assert unit.heading == "（二）危险化学品登记方面。"
    item = sections["s3.1.2.1"]
    assert item.path[:3] == unit.path and squash(item.text).startswith("1.2022年以来经鉴定分类确定的危险化学品")
    assert squash(sections["s3.0"].text).startswith("为落实2025年危险化学品安全监管重点工作安排")
    assert squash(sections["s1.1.1.1"].text).startswith("1.加强企业“消地协作”专项检查。")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_plan_sections_match_txt(plans, fmt):
    expected = {u.key: squash(u.text) for u in plans["txt"].units}
    got = {u.key: squash(u.text) for u in plans[fmt].units}
    assert list(got) == list(expected)
    assert [k for k in expected if got[k] != expected[k]] == []


def test_plan_pdf_sections_know_their_pages(plans):
    units = {u.key: u for u in plans["pdf"].units}
    assert units["s1.0"].page_start == 1
    assert units["s3.0"].page_start == 10
    spanning = units["s1.5.6.40"]  # item 40 runs from page 5 onto page 6
    assert (spanning.page_start, spanning.page_end) == (5, 6)


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_plan_table_rows(plans, fmt):
    rows = [u for u in plans[fmt].units if u.kind is UnitKind.TABLE_ROW]
    assert [u.key for u in rows] == [f"t1.r{n}" for n in range(1, 6)]
    assert [u.cells["序号"] for u in rows] == ["1", "2", "3", "4", "5"]
    assert list(rows[0].cells) == ["序号", "检查事项", "检查内容", "检查依据", "执法依据"]
    assert [squash(p) for p in rows[0].path] == [squash(ATTACHMENT_3), "相关检查和执法依据"]
    basis = squash(rows[0].cells["检查依据"])
    assert "《危险化学品登记管理办法》第十二、十八、二十一条" in basis
    assert "《危险化学品生产企业安全生产许可证实施办法》第二十条" in basis
    assert rows[0].text.startswith("序号：1\n检查事项：危险化学品登记\n检查内容：")


def test_plan_table_cells_agree_across_formats(plans):
    def columns(fmt: str) -> list[tuple[str, str]]:
        rows = [u for u in plans[fmt].units if u.kind is UnitKind.TABLE_ROW]
        return [(squash(u.cells["检查依据"]), squash(u.cells["执法依据"])) for u in rows]

    assert columns("txt") == columns("docx") == columns("pdf")
    assert columns("txt")[4][1].endswith("本表第1、2、3事项所列执法依据")


# --- text encodings and plain text ------------------------------------------------------------


def test_gbk_text_loads_like_utf8(plan_txt, tmp_path):
    text = plan_txt.read_text(encoding="utf-8")
    utf8 = tmp_path / "plan-utf8.txt"
    gbk = tmp_path / "plan-gbk.txt"
    utf8.write_bytes(text.encode("utf-8"))
    gbk.write_bytes(text.encode("gbk"))
    a, b = load(load_text, utf8), load(load_text, gbk)
    assert [(u.key, u.text, u.cells) for u in a.units] == [(u.key, u.text, u.cells) for u in b.units]
    assert a.title == b.title


def test_undecodable_text_is_refused(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\xff\xfe\xff" * 20)
    with pytest.raises(IngestError) as err:
        load(load_text, path)
    assert "编码" in err.value.reason and "UTF-8" in err.value.reason


def test_empty_text_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(IngestError) as err:
        load(load_text, path)
    assert "为空" in err.value.reason


def test_text_without_structure_is_plain_with_warning(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("今天检查了三家加油站。\n发现消防器材过期，已责令整改。\n下周复查。\n", encoding="utf-8")
    doc = load(load_text, path)
    assert doc.kind is DocKind.PLAIN
    assert doc.warnings and "段落" in doc.warnings[0]
    assert [u.text for u in doc.units] == ["今天检查了三家加油站。", "发现消防器材过期，已责令整改。", "下周复查。"]


# --- bad PDFs and Word files ----------------------------------------------------------------


def test_fake_pdf_is_refused(office_dir):
    with pytest.raises(IngestError) as err:
        load(load_pdf, office_dir / "伪装-非PDF.pdf")
    assert "不是有效的 PDF" in err.value.reason
    assert err.value.path.endswith("伪装-非PDF.pdf")


def test_truncated_pdf_is_refused(office_dir):
    with pytest.raises(IngestError) as err:
        load(load_pdf, office_dir / "损坏-截断.pdf")
    assert "损坏" in err.value.reason or "不完整" in err.value.reason
    assert "重新" in err.value.reason


def test_truncated_copy_of_a_good_pdf_is_refused(office_dir, tmp_path):
    data = (office_dir / REGULATION_PDF).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) - 200])
    with pytest.raises(IngestError) as err:
        load(load_pdf, path)
    assert "不完整" in err.value.reason


def test_scanned_pdf_needs_ocr(office_dir):
    with pytest.raises(IngestError) as err:
        load(load_pdf, office_dir / "扫描件-危险化学品安全管理条例.pdf")
    assert "文字层" in err.value.reason and "OCR" in err.value.reason


def test_not_a_docx_is_refused(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes("这不是 Word 文件".encode("utf-8"))
    with pytest.raises(IngestError) as err:
        load(load_docx, path)
    assert "无法打开 Word 文件" in err.value.reason and ".docx" in err.value.reason


def test_old_doc_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(IngestError) as err:
        load(load_docx, path)
    assert ".doc" in err.value.reason and "另存为" in err.value.reason


def test_docx_body_order_and_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("测试工作方案", level=0)
    document.add_paragraph("一、工作任务")
    document.add_paragraph("（一）开展检查。对企业开展检查。")
    document.add_paragraph("检查清单")
    table = document.add_table(rows=3, cols=3)
    table_values = [["序号", "事项", "依据"], ["1", "登记", "第十二条"], ["2", "标签", "第十五条"]]
    for row, values in zip(table.rows, table_values):
        for cell, value in zip(row.cells, values):
            cell.text = value
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.text = "标签与依据"
    document.add_paragraph("二、时间安排")
    path = tmp_path / "plan.docx"
    document.save(path)

    doc = load(load_docx, path)
    assert doc.title == "测试工作方案"
    rows = [u for u in doc.units if u.kind is UnitKind.TABLE_ROW]
    assert [u.cells for u in rows] == [
        {"序号": "1", "事项": "登记", "依据": "第十二条"},
        {"序号": "2", "事项": "标签与依据", "依据": ""},
    ]
    assert rows[0].path == ["一、工作任务", "（一）开展检查。", "检查清单"]
    assert [u.key for u in doc.units if u.kind is UnitKind.SECTION] == ["s0.0", "s0.1", "s0.1.1", "s0.2"]
