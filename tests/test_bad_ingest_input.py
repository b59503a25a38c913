"""Bad input to `hazkb ingest` (and `docs`, `remove`), as a user meets it: each bad file is generated here and run
through the real CLI on a home that already holds two regulations. Every case checks the message, the exit code,
that no traceback is printed, and the documents and units stored before and after (unchanged unless the case is
meant to add)."""
from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

JIA = ("# 甲条例\n2020年1月1日公布\n<!-- INFO END -->\n第一条 为了加强甲类物品管理，制定本条例。\n"
       "第二条 本条例适用于甲类物品。\n第三条 甲类物品应当专库储存。\n")
YI = "# 乙条例\n<!-- INFO END -->\n第一条 为了加强乙类物品管理，制定本条例。\n第二条 本条例适用于乙类物品。\n"
SEED_DOCS, SEED_UNITS = 2, 5

DUPLICATES = ("# 丙条例\n<!-- INFO END -->\n"
              "第一条 甲。\n第二条 乙。\n第二条 丙。\n第五条 丁。\n第三条 戊。\n第一千条 己。\n")
TRADITIONAL = ("# 危險化學品安全管理條例\n<!-- INFO END -->\n## 第一章 總則\n"
               "第一條 為了加強危險化學品的安全管理，預防和減少危險化學品事故，保障人民群眾生命財產安全，制定本條例。\n"
               "第二條 危險化學品生產、儲存、使用、經營和運輸的安全管理，適用本條例。\n")
SIMPLE = "# 丁条例\n<!-- INFO END -->\n第一条 为了加强丁类物品管理，制定本条例。\n第二条 本条例适用于丁类物品。\n"


def run(home: Path, *args: str, user: list[str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    env["HF_HUB_OFFLINE"] = "1"
    command = [*(user or []), sys.executable, "-m", "ui.cli", "--home", str(home), "--no-builtin", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                          cwd=Path(__file__).resolve().parents[1])


def counts(home: Path) -> tuple[int, int]:
    from corpus.catalog import open_catalog
    from corpus.settings import Settings

    catalog = open_catalog(Settings.from_env({}, home=home, no_builtin=True))
    try:
        c = catalog.counts()
        return c["documents"], c["units"]
    finally:
        catalog.close()


def doc_json(home: Path) -> list[dict]:
    return json.loads(run(home, "docs", "--json").stdout)


def article(home: Path, law: str, number: str) -> str:
    proc = run(home, "show", law, number, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["text"]


def expect(proc: subprocess.CompletedProcess, code: int, *says: str) -> str:
    out = proc.stdout + proc.stderr
    assert proc.returncode == code, out
    assert "Traceback" not in out, out
    for words in says:
        assert words in out, f"{words!r} not in:\n{out}"
    return out


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    """A home holding 甲条例 and 乙条例 (ingested from files that stay in place for the module)."""
    root = tmp_path_factory.mktemp("seed")
    (root / "src").mkdir()
    (root / "src" / "甲条例.md").write_text(JIA, encoding="utf-8")
    (root / "src" / "乙条例.md").write_text(YI, encoding="utf-8")
    expect(run(root / "home", "ingest", str(root / "src")), 0)
    assert counts(root / "home") == (SEED_DOCS, SEED_UNITS)
    return root


@pytest.fixture
def home(seed, tmp_path) -> Path:
    shutil.copytree(seed / "home", tmp_path / "home")
    return tmp_path / "home"


# -- one bad file (or a few) per case -----------------------------------------------------------------------------


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def zero_page_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    PdfWriter().write(path)
    return path


def link_loop(d: Path) -> Path:
    (d / "a.md").symlink_to(d / "b.md")
    (d / "b.md").symlink_to(d / "a.md")
    return d / "a.md"


def folder_with_loop(d: Path) -> Path:
    folder = d / "folder"
    folder.mkdir()
    write(folder / "丁条例.md", SIMPLE)
    link_loop(folder)
    return folder


def fifo(d: Path) -> Path:
    os.mkfifo(d / "管道.md")
    return d / "管道.md"


@dataclass
class Case:
    id: str
    args: Callable[[Path], list]  # the ingest arguments; files are written under the given folder
    code: int
    says: tuple[str, ...]
    docs: int = 0  # documents added
    units: int = 0  # units added
    check: Callable[[Path], None] | None = None  # further checks on the home afterwards


def _duplicates_kept_apart(home: Path) -> None:
    assert article(home, "丙条例", "第三条") == "戊。"  # not folded into 第五条
    assert article(home, "丙条例", "第一千条") == "己。"
    assert article(home, "丙条例", "第五条") == "丁。"
    assert article(home, "丙条例", "第二条") == "乙。"  # the first of the two


def _title_is(title: str) -> Callable[[Path], None]:
    def check(home: Path) -> None:
        assert title in [d["title"] for d in doc_json(home)]
    return check


def _table_intact(home: Path) -> None:
    proc = run(home, "docs")
    lines = proc.stdout.strip().split("\n")
    assert len(lines) == SEED_DOCS + 1 + 2  # header, one row per document, the total


CASES = [
    Case("duplicate, backwards and far-jumping article numbers",
         lambda d: [write(d / "丙条例.md", DUPLICATES)], 0,
         ("条号重复：第二条", "第4行“第二条 乙。”", "第5行“第二条 丙。”", "条号顺序异常：第7行“第三条 戊。”排在第五条",
          "条号跳跃：第三条之后是第8行“第一千条 己。”"), docs=1, units=6, check=_duplicates_kept_apart),
    Case("article number out of range", lambda d: [write(d / "戊条例.md", "# 戊条例\n<!-- INFO END -->\n第一条 甲。\n"
                                                  "第二条 乙。\n第99999条 丙。\n第三条 丁。\n")], 0,
         ("条号超出范围", "第5行“第99999条 丙。”", "并入第二条"), docs=1, units=3),
    Case("missing title line", lambda d: [write(d / "无标题文件.md", "第一条 甲。\n第二条 乙。\n")], 0,
         ("未找到标题行，已用文件名“无标题文件”作为标题", "--title"), docs=1, units=2),
    Case("Big5, traditional script", lambda d: [write(d / "big5.md", TRADITIONAL.encode("big5"))], 0,
         ("Big5", "繁体原文保存"), docs=1, units=2, check=_title_is("危險化學品安全管理條例")),
    Case("UTF-16 with BOM", lambda d: [write(d / "utf16.md", SIMPLE.encode("utf-16"))], 0, ("丁条例",),
         docs=1, units=2, check=_title_is("丁条例")),
    Case("UTF-8 with BOM", lambda d: [write(d / "bom.md", SIMPLE.encode("utf-8-sig"))], 0, ("丁条例",),
         docs=1, units=2, check=_title_is("丁条例")),
    Case("GB18030", lambda d: [write(d / "gbk.md", SIMPLE.encode("gb18030"))], 0, ("丁条例",),
         docs=1, units=2, check=_title_is("丁条例")),
    Case("neither UTF-8, GB18030 nor Big5",
         lambda d: [write(d / "sjis.txt", "危険物の安全管理に関する法律。第一条 目的。".encode("shift_jis"))], 1,
         ("无法确定文件编码", "GB18030", "Big5", "另存为”UTF-8")),
    Case("UTF-16 without BOM", lambda d: [write(d / "utf16le.md", SIMPLE.encode("utf-16-le"))], 1,
         ("空字节", "不带 BOM 的 UTF-16", "另存为”UTF-8")),
    Case("empty file", lambda d: [write(d / "空.md", "  \n\n")], 1, ("文件为空",)),
    Case("PDF without pages", lambda d: [zero_page_pdf(d / "零页.pdf")], 1, ("没有任何页面（0 页）",)),
    Case("symbolic link loop", lambda d: [link_loop(d)], 1, ("循环的符号链接",)),
    Case("broken symbolic link", lambda d: [(d / "断链.md").symlink_to(d / "不存在.md") or d / "断链.md"], 1,
         ("符号链接", "不存在.md", "不存在")),
    Case("a folder with a link loop and a good file", lambda d: [folder_with_loop(d)], 1,
         ("循环的符号链接", "丁条例"), docs=1, units=2),
    Case("a missing path beside a good file", lambda d: [d / "没有这个文件.md", write(d / "丁条例.md", SIMPLE)], 1,
         ("文件或目录不存在",), docs=1, units=2),
    Case("a pipe named .md", lambda d: [fifo(d)], 1, ("不是普通文件",)),
    Case("a date that does not exist", lambda d: [write(d / "丁条例.md", SIMPLE), "--effective", "2026-02-30"], 2,
         ("日期 2026-02-30 不存在", "2 月只有 28 天")),
    Case("a date in the wrong format", lambda d: [write(d / "丁条例.md", SIMPLE), "--effective", "2026/2/3"], 2,
         ("YYYY-MM-DD",)),
    Case("a newline in the file name", lambda d: [write(d / "换行\n名称.md", SIMPLE)], 0, ("换行\\n名称.md",),
         docs=1, units=2, check=_table_intact),
    Case("a note titled as a law already stored",
         lambda d: [write(d / "会议记录.txt", "会议记录\n今天讨论了检查安排。\n"), "--title", "甲条例"], 1,
         ("标题与知识库中已有的法规《甲条例》相同", "没有识别出条文", "--title")),
    Case("another version of a law already stored",
         lambda d: [write(d / "甲条例(2030-01-01).md", JIA.replace("2020年1月1日公布", "2030年1月1日修订"))], 0,
         ("已有同名文档《甲条例》的其他版本", "2030-01-01 版本", "hazkb remove"), docs=1, units=3),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, home: Path, tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    before = counts(home)
    expect(run(home, "ingest", *map(str, case.args(src))), case.code, *case.says)
    assert counts(home) == (before[0] + case.docs, before[1] + case.units)
    if case.check:
        case.check(home)


def test_shared_bad_pdfs_are_refused(home, office_dir):
    for name, says in (("扫描件-危险化学品安全管理条例.pdf", "文字层"), ("损坏-截断.pdf", "已损坏或不完整"),
                       ("伪装-非PDF.pdf", "不是有效的 PDF")):
        expect(run(home, "ingest", str(office_dir / name)), 1, says, "未导入")
        assert counts(home) == (SEED_DOCS, SEED_UNITS)


# -- document identity --------------------------------------------------------------------------------------------


def test_another_file_with_the_same_title_and_version_is_refused_then_replaced_and_restored(home, seed, tmp_path):
    original = seed / "src" / "甲条例.md"
    edited = write(tmp_path / "甲条例-修改.md", JIA.replace("专库储存", "专库储存（已修改）"))
    out = expect(run(home, "ingest", str(edited)), 1, "标题和版本与已导入的《甲条例》", str(original), str(edited),
                 "--replace", "hazkb docs --history")
    assert "内容未变化" not in out
    assert counts(home) == (SEED_DOCS, SEED_UNITS) and article(home, "甲条例", "3") == "甲类物品应当专库储存。"

    expect(run(home, "ingest", str(edited), "--replace"), 0, "已用本文件替换《甲条例》", str(original),
           "hazkb docs --restore 1")
    assert counts(home) == (SEED_DOCS, SEED_UNITS) and "已修改" in article(home, "甲条例", "3")
    # The original file is not "unchanged": its text is no longer what is stored, so it is a conflict again.
    expect(run(home, "ingest", str(original)), 1, "标题和版本与已导入的《甲条例》", str(edited))

    history = json.loads(run(home, "docs", "--history", "--json").stdout)
    assert [(h["id"], h["source"], h["replaced_by"], h["reason"]) for h in history] == \
        [(1, str(original), str(edited), "replaced")]
    expect(run(home, "docs", "--history"), 0, "历史编号", "被替换", "hazkb docs --restore")
    expect(run(home, "docs", "--restore", "1"), 0, "已恢复：甲条例", "历史编号 2")
    assert counts(home) == (SEED_DOCS, SEED_UNITS) and article(home, "甲条例", "3") == "甲类物品应当专库储存。"
    expect(run(home, "ingest", str(original)), 0, "内容未变化")
    expect(run(home, "docs", "--restore", "99"), 1, "没有编号为 99 的历史版本")


def test_a_changed_file_replaces_its_own_version(home, tmp_path):
    law = write(tmp_path / "丁条例.md", SIMPLE)
    expect(run(home, "ingest", str(law)), 0, "导入 1 个")
    write(law, SIMPLE.replace("制定本条例。", "制定本条例。\n第三条 新增的一条。"))
    out = expect(run(home, "ingest", str(law)), 0, "导入 1 个")
    assert "替换" not in out and "--replace" not in out
    assert counts(home) == (SEED_DOCS + 1, SEED_UNITS + 3)
    history = json.loads(run(home, "docs", "--history", "--json").stdout)
    assert [(h["source"], h["units"], h["replaced_by"]) for h in history] == [(str(law), 2, str(law))]


def test_remove_is_restorable(home):
    jia = next(d for d in doc_json(home) if d["title"] == "甲条例")
    expect(run(home, "remove", jia["doc_id"]), 0, "已删除：甲条例", "hazkb docs --restore 1")
    assert counts(home) == (SEED_DOCS - 1, SEED_UNITS - 3)
    expect(run(home, "docs", "--restore", "1"), 0, "已恢复：甲条例")
    assert counts(home) == (SEED_DOCS, SEED_UNITS)
    assert article(home, "甲条例", "1").startswith("为了加强甲类物品管理")


def test_a_file_over_a_built_in_law_is_reported(home, tmp_path):
    """A built-in law (here one stored as the built-in loader stores it) is replaced by a user's copy of the same
    version with a warning and kept in the history; a note under its name is refused."""
    from corpus.catalog import open_catalog
    from corpus.model import Document, Level, Paragraph, Unit, UnitKind
    from corpus.settings import Settings

    catalog = open_catalog(Settings.from_env({}, home=home, no_builtin=True))
    law = Document(title="中华人民共和国测试法", level=Level.LAW, version_date=date(2021, 6, 10),
                   effective_date=date(2021, 9, 1), source="builtin:test/1", content_hash="builtin-test",
                   units=[Unit(kind=UnitKind.ARTICLE, seq=i, text=t, article_no=i + 1, paragraphs=[Paragraph(t)])
                          for i, t in enumerate(["内置第一条。", "内置第二条。"])])
    law.assign_ids()
    catalog.store(law, law.source)
    catalog.close()

    copy = write(tmp_path / "测试法(2021-06-10).md",
                 "# 中华人民共和国测试法\n<!-- INFO END -->\n第一条 用户第一条。\n第二条 用户第二条。\n")
    expect(run(home, "ingest", str(copy)), 0, "已用本文件替换《中华人民共和国测试法》", "内置国家法律库",
           "hazkb docs --restore 1")
    assert article(home, "测试法", "1") == "用户第一条。"
    note = write(tmp_path / "笔记.txt", "检查笔记\n今天检查了两家企业。\n")
    expect(run(home, "ingest", str(note), "--title", "中华人民共和国测试法"), 1, "没有识别出条文")
    expect(run(home, "docs", "--restore", "1"), 0, "已恢复：中华人民共和国测试法")
    assert article(home, "测试法", "1") == "内置第一条。"
    assert counts(home) == (SEED_DOCS + 1, SEED_UNITS + 2)


# -- the machine: permissions and a damaged database --------------------------------------------------------------


def _without_read_override() -> list[str] | None:
    """A command prefix under which file permissions apply: none for a normal user; for root, setpriv dropping the
    capabilities that let root read anything; None when that is not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--bounding-set", "-dac_override,-dac_read_search", "true"], capture_output=True)
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"] if probe.returncode == 0 else None


def test_unreadable_file_and_folder_are_reported_and_the_rest_ingested(home, tmp_path):
    user = _without_read_override()
    if user is None:
        pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
    secret = write(tmp_path / "secret.md", SIMPLE)
    good = write(tmp_path / "丁条例.md", SIMPLE.replace("丁", "戊"))
    folder = tmp_path / "folder"
    (folder / "locked").mkdir(parents=True)
    write(folder / "locked" / "己条例.md", SIMPLE.replace("丁", "己"))
    write(folder / "庚条例.md", SIMPLE.replace("丁", "庚"))
    secret.chmod(0)
    (folder / "locked").chmod(0)
    try:
        out = expect(run(home, "ingest", str(secret), str(good), str(folder), user=user), 1,
                     f"{secret}：没有读取权限", f"{folder / 'locked'}：没有读取权限", "其中的文件都未导入",
                     "戊条例", "庚条例")
    finally:
        (folder / "locked").chmod(0o755)
        secret.chmod(0o644)
    assert "Error" not in out and "Invalid value" not in out  # not click's English error
    assert counts(home) == (SEED_DOCS + 2, SEED_UNITS + 4)


def test_damaged_database_is_named_as_such(home, tmp_path):
    for extra in home.glob("catalog.db-*"):
        extra.unlink()
    (home / "catalog.db").write_bytes(os.urandom(8192))
    for args in (["docs"], ["ingest", str(write(tmp_path / "丁条例.md", SIMPLE))], ["remove", "abc"]):
        out = expect(run(home, *args), 1, "数据库文件", "已损坏", "备份")
        assert "权限" not in out


# -- the library parts, directly -----------------------------------------------------------------------------------


def test_history_and_restore_on_each_backend(any_catalog, tmp_path):
    from ingest.pipeline import ingest_paths, restore_version

    law = write(tmp_path / "甲条例.md", JIA)
    (tmp_path / "copy").mkdir()
    other = write(tmp_path / "copy" / "甲条例.md", JIA.replace("专库储存", "分库储存"))
    assert ingest_paths(any_catalog, [law]).ok
    refused = ingest_paths(any_catalog, [other])
    assert not refused.ok and "--replace" in refused.failed[0]["reason"] and refused.failed[0]["conflict"] == str(law)
    assert ingest_paths(any_catalog, [other], replace=True).ok
    doc_id = any_catalog.documents()[0].doc_id
    assert "分库" in any_catalog.article(doc_id, 3).text
    [entry] = any_catalog.history(doc_id)
    assert (entry.source, entry.replaced_by, entry.units, entry.version) == (str(law), str(other), 3, "2020-01-01")
    doc, archived = restore_version(any_catalog, entry.id)
    assert doc.source == str(law) and archived is not None
    assert any_catalog.article(doc_id, 3).text == "甲类物品应当专库储存。"
    assert any_catalog.source_hash(str(law)) is not None and any_catalog.source_hash(str(other)) is None
    assert [e.id for e in any_catalog.history(doc_id)] == [archived, entry.id]


def test_structure_problems_have_places_and_nothing_is_merged():
    from ingest.structure import Block, split_articles

    lines = ["第一条 甲。", "第二条 乙。", "第二条 丙。", "第五条 丁。", "第三条 戊。", "第一千条 己。"]
    found = split_articles([Block(t, line=i + 1) for i, t in enumerate(lines)])
    assert [(u.article_no, u.text) for u in found.units] == \
        [(1, "甲。"), (2, "乙。"), (2, "丙。"), (5, "丁。"), (3, "戊。"), (1000, "己。")]
    assert len(found.problems) == 4 and "第2行“第二条 乙。”；第3行“第二条 丙。”" in found.problems[0]


def test_cross_references_at_a_line_start_still_continue_the_article():
    """A PDF line may start with a cross-reference (no space after the label): it is text, not an article."""
    from ingest.structure import Block, split_articles

    blocks = [Block("第一条 总则。", page=1), Block("第二条 违反本条例", page=1),
              Block("第七十八条的规定处罚。", page=2), Block("第三条 罚则。", page=2)]
    found = split_articles(blocks)
    assert [u.article_no for u in found.units] == [1, 2, 3] and not found.problems
    assert found.units[1].text == "违反本条例\n第七十八条的规定处罚。"


@pytest.mark.parametrize(("data", "encoding"), [
    ("安全".encode("gbk"), "GB18030（GBK）"),
    ("第一条 危险化学品管理。\n第二条 适用。\n".encode("gb18030"), "GB18030（GBK）"),
    ("第一條 危險化學品管理。\n".encode("big5"), "Big5"),
    (codecs.BOM_UTF16_BE + SIMPLE.encode("utf-16-be"), "UTF-16"),
])
def test_encodings_are_detected(tmp_path, data, encoding):
    from ingest.text import decode

    decoded = decode(tmp_path / "x.txt", data)
    assert decoded.encoding == encoding
    assert ("繁体" in "".join(decoded.notes)) == (encoding == "Big5")
