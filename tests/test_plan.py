"""Plan splitting, tab-led TXT tables and the PDF layout helpers, on small hand-made inputs."""
from __future__ import annotations

from corpus.model import UnitKind
from ingest.pdf_furniture import drop_furniture, is_page_number
from ingest.pdf_layout import Fragment, Line, group_lines, tidy
from ingest.pdf_paragraphs import pdf_blocks
from ingest.plan import attachment, heading_line, numbered, split_plan
from ingest.structure import Block
from ingest.text import text_blocks


def blocks(*texts: str) -> list[Block]:
    return [Block(t) for t in texts]


# --- split_plan -------------------------------------------------------------------------------


def test_numbered_levels():
    assert numbered("一、总体要求") == (1, 1)
    assert numbered("（十二）加强培训。") == (2, 12)
    assert numbered("(3)检查") == (4, 3)
    assert numbered("11. 持续开展排查") == (3, 11)
    assert numbered("1.2022年以来") == (3, 1)
    assert numbered("（1）化工企业。") == (4, 1)
    assert numbered("2025年全县危险化学品") is None
    assert numbered("一是要督促企业") is None


def test_attachment_lines():
    assert attachment("附件3") == (3, "")
    assert attachment("附件 2：经营企业工作方案") == (2, "经营企业工作方案")
    assert attachment("附件") == (None, "")
    assert attachment("附件中所列事项按期完成。") is None
    assert attachment("相关检查和执法依据见附件。") is None


def test_heading_line_is_the_lead_sentence():
    assert heading_line("1.强化承诺公告落实。持续加强抽查检查。") == "1.强化承诺公告落实。"
    assert heading_line("（二）危险化学品登记方面。") == "（二）危险化学品登记方面。"
    assert len(heading_line("1." + "很长" * 60)) == 50


def test_split_plan_keys_paths_and_intro():
    units = split_plan(
        blocks(
            "附件2",
            "2025年危险化学品经营企业",
            "安全风险防控工作方案",
            "为进一步加强经营安全监管工作，现将任务安排如下：",
            "一、分类管控",
            "突出重点企业安全风险防控。",
            "（一）加强防范工业气体充装企业安全风险管控",
            "1.宣贯培训。组织学习宣贯评估细则。",
            "（1）基础化学原料制造企业。",
            "2.对标自评。",
            "二、提升数字化水平",
        )
    )
    title = "附件2 2025年危险化学品经营企业安全风险防控工作方案"
    assert [u.key for u in units] == ["s2.0", "s2.1", "s2.1.1", "s2.1.1.1", "s2.1.1.1.1", "s2.1.1.2", "s2.2"]
    assert all(u.kind is UnitKind.SECTION for u in units)
    intro, first = units[0], units[1]
    assert intro.path == [title] and intro.heading is None
    assert first.text == "一、分类管控\n突出重点企业安全风险防控。"
    assert [p.text for p in first.paragraphs] == ["一、分类管控", "突出重点企业安全风险防控。"]
    assert units[3].heading == "1.宣贯培训。"
    assert units[4].path == [title, "一、分类管控", "（一）加强防范工业气体充装企业安全风险管控", "1.宣贯培训。",
                             "（1）基础化学原料制造企业。"]
    assert units[5].path[-1] == "2.对标自评。"


def test_skipped_level_and_repeated_number_get_distinct_keys():
    units = split_plan(blocks("一、任务", "1.第一项。", "（三）跳号。", "（三）重号。"))
    assert [u.key for u in units] == ["s0.1", "s0.1.0.1", "s0.1.3", "s0.1.3-2"]


def test_no_numbered_sections_gives_nothing():
    assert split_plan(blocks("今天检查了加油站。", "发现问题已整改。")) == []


def test_table_rows_with_caption_and_heading_like_cells():
    table = [["序号", "检查事项", "检查依据"], ["1", "一、登记", "第十二条；\n第十八条"], ["2", "（二）标签", ""]]
    units = split_plan(
        [
            *blocks("附件1", "检查方案", "一、工作任务", "（一）登记方面。", "附件", "相关检查和执法依据"),
            Block("flat", page=3, page_end=4, table=table),
        ]
    )
    rows = [u for u in units if u.kind is UnitKind.TABLE_ROW]
    assert [u.key for u in rows] == ["t1.r1", "t1.r2"]
    assert rows[0].cells == {"序号": "1", "检查事项": "一、登记", "检查依据": "第十二条；\n第十八条"}
    assert rows[0].path == ["附件1 检查方案", "相关检查和执法依据"]
    assert rows[0].text == "序号：1\n检查事项：一、登记\n检查依据：第十二条；\n第十八条"
    assert rows[1].text == "序号：2\n检查事项：（二）标签"
    assert (rows[0].page_start, rows[0].page_end) == (3, 4)
    # the caption is not left behind as a section of its own
    assert [u.key for u in units if u.kind is UnitKind.SECTION] == ["s1.1", "s1.1.1"]


def test_table_inside_a_section_keeps_the_section_path():
    units = split_plan(
        [*blocks("一、检查清单", "具体如下。"), Block("flat", table=[["项目", "要求"], ["登记", "按期"]])]
    )
    row = next(u for u in units if u.kind is UnitKind.TABLE_ROW)
    assert row.path == ["一、检查清单"]
    assert units[0].text == "一、检查清单\n具体如下。"


# --- tab-led TXT tables ---------------------------------------------------------------------


def test_text_blocks_reads_tab_led_table():
    text = (
        "相关检查和执法依据\n"
        "\t序号\n\t检查事项\n\t检查依据\n\n"
        "\t1\n\t一、登记\n\t《办法》第十二条；\n《办法》第二十条\n\n"
        "\t2\n\t标签\n\t《条例》第十五条\n\n"
        "二、工作安排\n"
    )
    result = text_blocks(text)
    assert [b.text for b in result if b.table is None] == ["相关检查和执法依据", "二、工作安排"]
    table = next(b.table for b in result if b.table is not None)
    assert table == [
        ["序号", "检查事项", "检查依据"],
        ["1", "一、登记", "《办法》第十二条；\n《办法》第二十条"],
        ["2", "标签", "《条例》第十五条"],
    ]


def test_text_blocks_lone_tab_line_is_text():
    assert [(b.text, b.table) for b in text_blocks("\t缩进的一段话。\n下一段。")] == [
        ("缩进的一段话。", None),
        ("下一段。", None),
    ]


def test_text_blocks_drop_word_bookmarks():
    assert text_blocks("[bookmark: _GoBack]（一）加强防范")[0].text == "（一）加强防范"


# --- PDF layout helpers ---------------------------------------------------------------------


def test_tidy_removes_spaces_next_to_chinese():
    assert tidy("2011 年12 月1 日起施行") == "2011年12月1日起施行"
    assert tidy("违章视频AI 识别") == "违章视频AI识别"
    assert tidy("AQ/T 3034  standard") == "AQ/T 3034 standard"


def test_page_numbers():
    for text in ("3", "- 3 -", "—12—", "第3页", "第 3 页 共 24 页", "3/24", "Page 3 of 24"):
        assert is_page_number(text), text
    for text in ("第三条", "2025年", "3.强化承诺公告落实。"):
        assert not is_page_number(text), text


def _line(page: int, y: float, text: str, x: float = 90.0, size: float = 12.0) -> Line:
    return Line(page=page, y=y, size=size, fragments=[Fragment(x=x, y=y, size=size, text=text)])


def test_running_header_and_page_numbers_are_dropped():
    pages = [
        [
            _line(n, 760, "危险化学品安全管理条例（内部资料）"),
            *(_line(n, 700 - 16 * k, f"{'春夏秋冬'[n - 1]}季检查{'甲乙丙丁戊'[k]}") for k in range(5)),
            _line(n, 40, f"- {n} -"),
        ]
        for n in range(1, 5)
    ]
    assert [[line.text for line in lines] for lines in drop_furniture(pages)] == [
        [f"{'春夏秋冬'[n - 1]}季检查{c}" for c in "甲乙丙丁戊"] for n in range(1, 5)
    ]


def test_quotes_drawn_apart_are_put_back():
    # pypdf leaves a space where each quote was drawn and reports the quotes as a separate fragment
    fragments = [
        Fragment(x=173.6, y=371.1, size=12, text="“ ”"),
        Fragment(x=125.6, y=371.1, size=12, text="加强企业 消地协作 专项检查。"),
        Fragment(x=114.1, y=371.1, size=12, text="1."),
    ]
    (line,) = group_lines(fragments, 1)
    assert line.text == "1.加强企业“消地协作”专项检查。"


def test_paragraphs_rejoin_lines_and_keep_page_span():
    width = 36  # characters of 12 pt on a full line from x=90
    first = "第一条" + "为" * (width - 5)  # indented by two characters, runs to the right edge
    pages = [
        [
            _line(1, 700, first, x=114.0),
            _line(1, 684, "甲" * width),
            _line(1, 668, "乙" * width),
            _line(1, 652, "丙" * width),
            _line(1, 636, "丁" * width),
        ],
        [
            _line(2, 700, "续写完毕。"),
            _line(2, 684, "第二条" + "新" * (width - 5), x=114.0),
            _line(2, 668, "新" * width),
            _line(2, 652, "止。"),
            _line(2, 636, "（一）" + "项" * 10 + "；", x=114.0),
            _line(2, 620, "末" * 5 + "。"),
        ],
    ]
    result = pdf_blocks(pages)
    assert [(b.text[:3], b.page, b.page_end) for b in result] == [
        ("第一条", 1, 2),
        ("第二条", 2, 2),
        ("（一）", 2, 2),
        ("末末末", 2, 2),
    ]
    assert result[0].text.endswith("丁续写完毕。")


def _row(page: int, y: float, *cells: tuple[float, str]) -> Line:
    return Line(page=page, y=y, size=12.0, fragments=[Fragment(x=x, y=y, size=12.0, text=t) for x, t in cells])


def test_pdf_table_from_positions():
    body = "表格之后的正文段落" * 4
    pages = [
        [
            _line(1, 740, "检查清单"),
            _row(1, 700, (90, "序号"), (180, "检查事项"), (270, "检查依")),
            _row(1, 686, (270, "据")),
            _row(1, 672, (90, "1"), (180, "一、登记"), (270, "第十二")),
            _row(1, 658, (180, "管理"), (270, "条；")),
            _row(1, 644, (270, "第二十")),
            _row(1, 630, (270, "条")),
            _row(1, 616, (90, "2"), (180, "标签"), (270, "第十五")),
        ],
        [
            _row(2, 700, (270, "条")),
            _row(2, 686, (90, "3"), (180, "（三）警示"), (270, "第二十条")),
            _line(2, 650, body),
        ],
    ]
    result = pdf_blocks(pages)
    assert [b.text for b in result if b.table is None] == ["检查清单", body]
    table = next(b for b in result if b.table is not None)
    assert table.table == [
        ["序号", "检查事项", "检查依据"],
        ["1", "一、登记管理", "第十二条；\n第二十条"],
        ["2", "标签", "第十五条"],
        ["3", "（三）警示", "第二十条"],
    ]
    assert (table.page, table.page_end) == (1, 2)
