"""Citations found in legal texts and plan table cells."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.citations import format_reference, parse_references
from corpus.model import Reference
from ingest.document import Overrides
from ingest.markdown import load_markdown

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

REG = "危险化学品登记管理办法"
PERMIT = "危险化学品生产企业安全生产许可证实施办法"
CLASSIFY = "化学品物理危险性鉴定与分类管理办法"


def targets(text: str) -> list[tuple]:
    """(law, article_no, paragraph, item) of every reference, in order."""
    return [(r.law, r.article_no, r.paragraph, r.item) for r in parse_references(text)]


# --- plan table cells (附件3 检查依据 / 执法依据) ---


def test_plan_cell_article_list_and_second_law():
    text = "《危险化学品登记管理办法》第十二、十八、二十一条；\n《危险化学品生产企业安全生产许可证实施办法》第二十条"
    assert targets(text) == [
        (REG, 12, None, None),
        (REG, 18, None, None),
        (REG, 21, None, None),
        (PERMIT, 20, None, None),
    ]


def test_plan_cell_skips_table_row_reference():
    text = ("《安全生产法》第一百零一、一百一十三条；\n《化学品物理危险性鉴定与分类管理办法》第十九条；\n"
            "本表第1、2、3事项所列执法依据")
    assert targets(text) == [
        ("安全生产法", 101, None, None),
        ("安全生产法", 113, None, None),
        (CLASSIFY, 19, None, None),
    ]


def test_plan_cell_skips_policy_document_without_article():
    text = (
        "《关于全面加强危险化学品安全生产工作的意见》三、（四）“完善并严格落实化学品鉴定评估与登记有关规定，"
        "科学准确鉴定评估化学品的物理危险性、毒性，严禁未落实风险防控措施就投入生产”；\n"
        "《化学品物理危险性鉴定与分类管理办法》第四、八、十三、十四、十七条"
    )
    assert targets(text) == [(CLASSIFY, n, None, None) for n in (4, 8, 13, 14, 17)]


def test_title_without_article_is_not_a_reference():
    text = "对含有一种及以上列入《危险化学品目录（2015版）》组分且整体物理危险性尚未确定的最终产品"
    assert targets(text) == []


def test_whole_plan_attachment_table():
    plan = CORPUS / "plans" / "2025年全县危险化学品安全监管工作要点(附件1-3).txt"
    if not plan.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    refs = parse_references(plan.read_text(encoding="utf-8"))
    assert len(refs) == 26
    assert ("危险化学品安全管理条例", 78) in {(r.law, r.article_no) for r in refs}
    assert all(r.law for r in refs)


# --- citations inside articles ---


def test_same_document_with_paragraph():
    assert targets("依照本条例第三条第二款的规定办理") == [(None, 3, 2, None)]


def test_same_document_with_item():
    assert targets("违反本法第二十一条第（二）项规定") == [(None, 21, None, 2)]


def test_article_paragraph_item():
    assert targets("依照本法第八十条第一款第（二）项的规定") == [(None, 80, 1, 2)]
    assert targets("依照本办法第八十条第二项的规定") == [(None, 80, None, 2)]


def test_law_name_carries_through_list():
    text = "有下列情形之一的，依照《中华人民共和国安全生产法》第九十九条、第一百零一条的规定处罚"
    law = "中华人民共和国安全生产法"
    assert targets(text) == [(law, 99, None, None), (law, 101, None, None)]


def test_law_name_carries_through_conjunctions():
    text = "依照《中华人民共和国行政处罚法》第七十五条和第七十六条或者第八十条的规定"
    law = "中华人民共和国行政处罚法"
    assert targets(text) == [(law, 75, None, None), (law, 76, None, None), (law, 80, None, None)]


def test_law_name_ends_at_semicolon_and_new_title():
    text = "《危险化学品安全管理条例》第十五条；第二十条。《安全生产法》第九十九条"
    assert targets(text) == [
        ("危险化学品安全管理条例", 15, None, None),
        (None, 20, None, None),
        ("安全生产法", 99, None, None),
    ]


def test_bare_article_lists_in_an_article():
    # 危险化学品安全管理条例 第三十二条
    text = (
        "本条例第十六条关于生产实施重点环境管理的危险化学品的企业的规定，适用于使用实施重点环境管理的危险化学品"
        "从事生产的企业；第二十条、第二十一条、第二十三条第一款、第二十七条关于生产、储存危险化学品的单位的规定，"
        "适用于使用危险化学品的单位；第二十二条关于生产、储存危险化学品的企业的规定，适用于使用危险化学品从事生产的企业。"
    )
    assert targets(text) == [
        (None, 16, None, None),
        (None, 20, None, None),
        (None, 21, None, None),
        (None, 23, 1, None),
        (None, 27, None, None),
        (None, 22, None, None),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("依照第二十条的规定", [(None, 20, None, None)]),
        ("依据第二十条规定", [(None, 20, None, None)]),
        ("违反第二十条规定的", [(None, 20, None, None)]),
        ("按照第二十条规定", [(None, 20, None, None)]),
        ("适用第二十条的规定", [(None, 20, None, None)]),
        ("第二十条、第二十一条", [(None, 20, None, None), (None, 21, None, None)]),
    ],
)
def test_bare_articles_mean_the_same_document(text, expected):
    assert targets(text) == expected


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("《危险化学品安全管理条例》第十五、三十七条", [15, 37]),
        ("《安全生产法》第一百零一、一百一十三条", [101, 113]),
        ("《化学品物理危险性鉴定与分类管理办法》第四、八、十三、十四、十七条", [4, 8, 13, 14, 17]),
        ("《危险化学品安全管理条例》第七十五条、第七十六条", [75, 76]),
        ("《危险化学品安全管理条例》第二十条、第二十一条", [20, 21]),
        ("《危险化学品安全管理条例》第十二条、十八条", [12, 18]),
        ("《安全生产法》第20条、第101条", [20, 101]),
        ("《安全生产法》第２０条", [20]),
    ],
)
def test_article_lists(text, numbers):
    refs = parse_references(text)
    assert [r.article_no for r in refs] == numbers
    assert len({r.law for r in refs}) == 1 and refs[0].law is not None


def test_paragraph_and_item_lists_stay_in_one_article():
    assert targets("应当查验本条例第三十八条第一款、第二款规定的相关许可证件") == [
        (None, 38, 1, None), (None, 38, 2, None)]
    assert targets("应当履行本法第十八条第一项、第二项、第七项规定的程序") == [
        (None, 18, None, 1),
        (None, 18, None, 2),
        (None, 18, None, 7),
    ]
    assert targets("进行本法第三十三条第二款或者第三十五条规定的施工作业的") == [
        (None, 33, 2, None), (None, 35, None, None)]
    assert targets("违反本法第十六条、第十七条、第十八条、第二十一条第二款规定的") == [
        (None, 16, None, None),
        (None, 17, None, None),
        (None, 18, None, None),
        (None, 21, 2, None),
    ]


def test_ranges():
    references = parse_references("当事人应当依照本法第六十七条至第六十九条的规定履行")
    assert [r.article_no for r in references] == [67, 68, 69]
    assert [r.article_no for r in parse_references("《安全生产法》第十二至十五条")] == [12, 13, 14, 15]


def test_article_sub():
    refs = parse_references("依照《中华人民共和国刑法》第一百三十四条之一的规定")
    assert [(r.law, r.article_no, r.article_sub) for r in refs] == [("中华人民共和国刑法", 134, 1)]
    assert refs[0].article == "第一百三十四条之一"
    assert [(r.article_no, r.article_sub) for r in parse_references("第十五条之一")] == [(15, 1)]


def test_unbracketed_law_names():
    assert targets("依照刑法第一百三十四条的规定") == [("刑法", 134, None, None)]
    assert targets("安全生产法第101条") == [("安全生产法", 101, None, None)]
    assert targets("违反危险化学品登记管理办法第十二条") == [(REG, 12, None, None)]


@pytest.mark.parametrize(
    "text",
    [
        "依照前款规定",
        "有前款第（二）项情形的",
        "本条第一款第（二）项所列",
        "前条第二款规定的",
        "第二章 生产、储存安全",
        "第三节 监督检查",
        "国务院令第591号",
        "本表第1、2、3事项所列执法依据",
        "第3次会议通过",
        "根据2014年8月31日第十二届全国人民代表大会常务委员会第十次会议《关于修改〈中华人民共和国安全生产法〉的决定》第一次修正",
        "《关于全面加强危险化学品安全生产工作的意见》三、（四）",
        "有下列情形之一的",
        "第二款规定的",
        "第一条 为了加强危险化学品的安全管理，制定本条例。",
        "第十五条之一\u3000本条所称的",
    ],
)
def test_not_article_citations(text):
    assert parse_references(text) == []


def test_raw_text():
    refs = parse_references("依照《危险化学品安全管理条例》第二十条第一款的规定")
    assert [r.raw for r in refs] == ["《危险化学品安全管理条例》第二十条第一款"]
    refs = parse_references("违反本条例第十二、十八条规定")
    assert [r.raw for r in refs] == ["本条例第十二、十八条", "本条例第十二、十八条"]


def test_format_reference():
    assert (format_reference(Reference("", "危险化学品安全管理条例", 20, paragraph=1))
            == "《危险化学品安全管理条例》第二十条第一款")
    assert format_reference(Reference("", None, 20)) == "第二十条"
    assert format_reference(Reference("", None, 21, item=2)) == "第二十一条第（二）项"
    assert format_reference(Reference("", "刑法", 134, 1)) == "《刑法》第一百三十四条之一"
    assert format_reference(Reference("", "安全生产法", None)) == "《安全生产法》"
    for text in ("《危险化学品安全管理条例》第二十条第一款", "第二十一条第（二）项",
                 "《刑法》第一百三十四条之一第二款"):
        assert [format_reference(r) for r in parse_references(text)] == [text]


def test_regulations_corpus():
    folder = CORPUS / "regulations"
    if not folder.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    total = 0
    by_label: dict[tuple[str, str], list[Reference]] = {}
    for path in sorted(folder.glob("*.md")):
        doc = load_markdown(path, path.read_bytes(), "x", Overrides())
        for unit in doc.articles:
            refs = parse_references(unit.text)
            by_label[(path.stem, unit.label)] = refs
            for ref in refs:
                assert ref.article_no is not None and 0 < ref.article_no <= 1300, (path.name, unit.label, ref)
            total += len(refs)
    # The 21 texts cite 109 article labels in their bodies; lists, ranges and 款 lists give more targets.
    assert total > 100
    hazchem = "危险化学品安全管理条例(2013-12-07)"
    assert [(r.law, r.article_no, r.paragraph) for r in by_label[(hazchem, "第三十二条")]] == [
        (None, 16, None),
        (None, 20, None),
        (None, 21, None),
        (None, 23, 1),
        (None, 27, None),
        (None, 22, None),
    ]
