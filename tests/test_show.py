"""`hazkb show` prints what the web's 条文检索 shows: what an article cites, what cites it, and the penalty 项 that
sanction it (or, for a penalty article, the obligations its 项 sanction), from the violation catalog's links."""
from __future__ import annotations

import json

from click.testing import CliRunner

from ui.cli import cli


def show(settings, *args):
    result = CliRunner().invoke(cli, ["--home", str(settings.home), "--no-builtin", "show", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_show_json_lists_the_penalty_items_that_sanction_an_obligation(full_settings):
    data = json.loads(show(full_settings, "危化条例", "第二十条", "--json"))
    items = [p["item"] for p in data["penalties"]]
    assert any(i.startswith("第七十八条第一款第（八）项：") and "安全警示标志" in i for i in items), items
    first = data["penalties"][0]
    assert first["law"] == "危险化学品安全管理条例" and first["row_id"] and first["how"] == "人工核定"
    assert data["cited_by"] and not data["is_penalty"]


def test_show_of_a_penalty_article_lists_what_its_items_sanction(full_settings):
    data = json.loads(show(full_settings, "危化条例", "78", "--json"))
    assert data["is_penalty"]
    sanctioned = {s["article"]: s["rows"] for s in data["sanctions"]}
    assert "第七十八条第一款第（八）项" in sanctioned["第二十条"]
    text = show(full_settings, "危化条例", "78")
    assert "本条处罚的违法行为：违反《危险化学品安全管理条例》第二十条" in text


def test_an_article_of_the_authorities_duties_lists_no_penalty(full_settings):
    """No penalty of a unit sanctions a department's duty: the article lists none, not even by wording (it used to
    list 第八十六条, 第八十一条 and 第七十七条 "按违法行为匹配" under the departments' remit)."""
    assert json.loads(show(full_settings, "危化条例", "第六条", "--json"))["penalties"] == []
    assert json.loads(show(full_settings, "危化条例", "第二十条", "--json"))["penalties"]


def test_show_text_names_the_penalty_and_how_it_was_linked(full_settings):
    text = show(full_settings, "危化条例", "第二十条")
    assert "处罚依据：《危险化学品安全管理条例》第七十八条（人工核定）" in text


def test_an_amended_laws_text_says_when_it_was_amended():
    """The built-in 安全生产法 is the 2021 text of a law in force since 2002: its date line says both, so an inspector
    sees which text is quoted; a law adopted before it took effect (危化法) shows its effective date alone."""
    from corpus.model import effective_text

    assert effective_text("2002-11-01", "2021-06-10") == "施行 2002-11-01（2021-06-10 修改）"
    assert effective_text("2026-05-01", "2025-12-27") == "施行 2026-05-01"
    assert effective_text("2021-06-10", "2021-06-10") == "施行 2021-06-10"
    assert effective_text(None, None) == "施行日期未知"
