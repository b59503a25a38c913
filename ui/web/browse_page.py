"""The 条文检索 page: a law's chapters and articles, search within it, one article with its links."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from .events import PRIVATE
from .handlers import ALL_CHAPTERS, Handlers

# On a phone the article opens below the list: bring it into view.
SCROLL_TO_ARTICLE = ("() => { if (window.innerWidth < 768) "
                     "document.getElementById('browse-article')?.scrollIntoView({behavior: 'smooth'}); }")


@dataclass
class BrowsePage:
    law_pick: gr.Dropdown
    doc_info: gr.HTML
    chapter: gr.Dropdown
    query: gr.Textbox
    search_btn: gr.Button
    list_info: gr.HTML
    articles: gr.Radio
    article_view: gr.HTML
    related: gr.Dropdown

    @property
    def law_view(self) -> list:
        """What opening a law (or an article by a link) updates."""
        return [self.doc_info, self.chapter, self.articles, self.list_info, self.article_view, self.related]


def build() -> BrowsePage:
    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            law_pick = gr.Dropdown(label="法规（可输入名称筛选）", choices=[], filterable=True, elem_id="browse-law")
            doc_info = gr.HTML(elem_id="browse-doc")
            chapter = gr.Dropdown(label="章节", choices=[ALL_CHAPTERS], value=ALL_CHAPTERS, elem_id="browse-chapter")
            with gr.Row(equal_height=True):
                query = gr.Textbox(label="在本法规中检索", placeholder="关键词或条号，如：警示标志、第二十条", scale=4,
                                   elem_id="browse-query")
                search_btn = gr.Button("检索", scale=1, min_width=80, elem_id="browse-search")
            list_info = gr.HTML(elem_id="browse-info")
            articles = gr.Radio(label="条文", choices=[], elem_classes=["hz-list"], elem_id="browse-articles")
        with gr.Column(scale=3, min_width=320):
            article_view = gr.HTML(elem_id="browse-article")
            related = gr.Dropdown(label="打开关联条文", choices=[], interactive=False, elem_id="browse-related")
    return BrowsePage(law_pick, doc_info, chapter, query, search_btn, list_info, articles, article_view, related)


def wire(page: BrowsePage, h: Handlers) -> None:
    page.law_pick.input(h.open_law, page.law_pick, page.law_view, **PRIVATE)
    page.chapter.input(h.chapter, [page.law_pick, page.chapter], [page.articles, page.list_info], **PRIVATE)
    found = [page.articles, page.list_info, page.chapter]
    page.search_btn.click(h.search, [page.law_pick, page.query], found, **PRIVATE)
    page.query.submit(h.search, [page.law_pick, page.query], found, **PRIVATE)
    page.articles.input(h.open_article, page.articles, [page.article_view, page.related], **PRIVATE).then(
        None, js=SCROLL_TO_ARTICLE, **PRIVATE)
    page.related.input(h.jump, page.related, [page.law_pick, *page.law_view], **PRIVATE).then(
        None, js=SCROLL_TO_ARTICLE, **PRIVATE)
