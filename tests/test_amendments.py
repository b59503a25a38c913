"""Later amendments of a law text that is not current (the built-in 刑法 of 2020 and its 修正案（十二）)."""
from __future__ import annotations

from corpus.amendments import amended_articles


def test_an_amendment_item_names_the_articles_it_changes_before_its_new_text():
    assert amended_articles("将刑法第三百九十一条第一款修改为：“为谋取不正当利益，……第一百条……”", "刑法") == {(391, 0)}
    assert amended_articles("在刑法第一百六十五条中增加一款作为第二款，将该条修改为：“……”", "刑法") == {(165, 0)}
    # the article an addition follows only says where it goes
    assert amended_articles("在刑法第一百三十四条后增加一条，作为第一百三十四条之一：“……”", "刑法") == {(134, 1)}
    assert amended_articles("本修正案自2024年3月1日起施行。", "刑法") == set()
    assert amended_articles("将治安管理处罚法第十条修改为：“……”", "刑法") == set()  # another law's amendment


def test_an_answer_citing_the_2020_criminal_law_says_which_articles_were_amended_since(full_searcher):
    from retriever.answer import ExtractiveAnswerer

    answerer = ExtractiveAnswerer(full_searcher)
    notes = answerer.answer("关了有毒气体报警器，有没有可能构成危险作业罪").notes
    assert any("刑法修正案（十二）》（2024-03-01 施行）没有修改第一百三十四条之一" in n for n in notes), notes
    notes = answerer.answer("刑法第三百九十条").notes
    assert any("修改了第三百九十条" in n and "请以修改后的条文为准" in n for n in notes), notes
    assert not any("修正案" in n for n in answerer.answer("储存场所没设安全警示标志怎么罚").notes)


def test_the_article_view_says_it_too(full_searcher):
    from retriever.article_view import article_view
    from ui.render import article_text
    from ui.web.present import article_html

    catalog = full_searcher.catalog
    doc = catalog.find_law("刑法")
    record = article_view(catalog, full_searcher, doc, catalog.article(doc.doc_id, 390, 0))
    assert "修改了第三百九十条" in record["amendment"]
    assert "注：所引《中华人民共和国刑法》是 2020-12-26 的文本" in article_text(record)
    assert "修改了第三百九十条" in article_html(record)
