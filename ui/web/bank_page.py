"""The 题库与组卷 page (admin): import banks, generate and review items, draw papers, export banks and exam records."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from quiz.model import ENTERPRISE_TYPES, ROLES

from . import present
from . import quiz_present as qp
from .admin_gate import Gate, admin_bar, login_form
from .bank_handlers import BANK_SUFFIXES, EXPORT_SCOPES, REVIEW_FILTERS, BankHandlers
from .events import PRIVATE


@dataclass
class BankPage:
    gate: Gate
    view: list  # what a change of the bank refreshes: stats, list info, table, item choice
    view_in: list  # what that refresh reads: the login state, the review filter, the search text
    records_table: gr.Dataframe
    gen_law: gr.Dropdown  # the law to generate from (filled on page load)


def _reviewer(qh: BankHandlers, action: str):
    def review(qid, is_admin, review_filter, text):
        return qh.set_review(action, qid, is_admin, review_filter, text)

    review.__name__ = f"review_{action}"
    return review


def build(qh: BankHandlers, is_admin: gr.State) -> BankPage:
    login_box, user, password, login_btn, login_msg = login_form(
        "bank", "导入题库、生成与审核题目、组卷和考试记录需要管理员登录；现场考试无需登录。")
    with gr.Column(visible=False, elem_id="bank-panel") as bank_panel:
        logout_btn = admin_bar("bank")
        bank_stats = gr.HTML(elem_id="bank-stats")
        with gr.Tabs(elem_id="bank-tabs"):
            with gr.Tab("导入题库", id="bank-import-tab"):
                bank_file = gr.File(label="题库文件（标准模板或培训平台导出的 .xlsx，或 .csv、.json）",
                                    file_types=list(BANK_SUFFIXES), elem_id="bank-file")
                bank_roles = gr.CheckboxGroup(
                    label="适用岗位（文件中未注明的题目按此标注；不选即适用所有岗位）",
                    choices=list(ROLES), elem_id="bank-roles")
                bank_types = gr.CheckboxGroup(label="适用企业类型（同上；不选即适用所有企业类型）",
                                              choices=list(ENTERPRISE_TYPES), elem_id="bank-types")
                import_btn = gr.Button("导入题库", variant="primary", elem_id="bank-import")
                import_result = gr.HTML(elem_id="bank-import-result")
            with gr.Tab("生成题目", id="bank-generate-tab"):
                gr.HTML(present.notice("从法规条文自动出题（判断、单选、多选、依据题），每题附解析和依据条文；"
                                       "生成的题目为“待审核”，审核通过后才用于组卷。", "info"))
                with gr.Row():
                    gen_law = gr.Dropdown(label="法规（可输入名称筛选）", choices=[], filterable=True,
                                          scale=3, min_width=260, elem_id="bank-gen-law")
                    gen_n = gr.Number(label="题数", value=10, precision=0, minimum=1, maximum=200,
                                      scale=1, min_width=100, elem_id="bank-gen-n")
                    gen_seed = gr.Number(label="随机种子", value=0, precision=0, scale=1, min_width=100,
                                         elem_id="bank-gen-seed")
                gen_btn = gr.Button("生成题目", variant="primary", elem_id="bank-generate")
                gen_result = gr.HTML(elem_id="bank-gen-result")
            with gr.Tab("审核题目", id="bank-review-tab"):
                with gr.Row(equal_height=True):
                    review_filter = gr.Radio(label="审核状态", choices=REVIEW_FILTERS,
                                             value=REVIEW_FILTERS[0][1], scale=2, min_width=280,
                                             elem_id="bank-review-filter")
                    bank_search = gr.Textbox(label="按题干、编号或依据筛选（回车）", scale=2,
                                             min_width=220, elem_id="bank-search")
                bank_info = gr.HTML(elem_id="bank-info")
                bank_table = gr.Dataframe(headers=qp.QUESTION_HEADERS, interactive=False, wrap=True,
                                          max_height=420, column_widths=qp.QUESTION_WIDTHS,
                                          elem_id="bank-table")
                bank_item = gr.Dropdown(label="选择题目", choices=[], filterable=True,
                                        elem_id="bank-item")
                item_view = gr.HTML(elem_id="bank-item-view")
                with gr.Row():
                    approve_btn = gr.Button("审核通过", variant="primary", min_width=100,
                                            elem_id="bank-approve")
                    retire_btn = gr.Button("停用", variant="stop", min_width=100, elem_id="bank-retire")
                    draft_btn = gr.Button("退回待审核", min_width=100, elem_id="bank-draft")
                review_msg = gr.HTML(elem_id="bank-review-msg")
            with gr.Tab("组卷", id="bank-paper-tab"):
                paper = gr.State(None)  # the drawn paper, keys included: server-side only
                gr.HTML(present.notice("按考试蓝图（岗位 + 企业类型）从已审核的题目中抽题组卷，"
                                       "可导出 Word 试卷打印；"
                                       "随机种子相同则抽出的试卷相同，留空为随机。", "info"))
                with gr.Row():
                    paper_role = gr.Dropdown(label="岗位", choices=list(ROLES), value=None,
                                             min_width=180, elem_id="paper-role")
                    paper_type = gr.Dropdown(label="企业类型", choices=list(ENTERPRISE_TYPES),
                                             value=None, min_width=180, elem_id="paper-type")
                    paper_seed = gr.Textbox(label="随机种子（可留空）", min_width=140,
                                            elem_id="paper-seed")
                paper_btn = gr.Button("组卷", variant="primary", elem_id="paper-build")
                with gr.Row(equal_height=True):
                    paper_key = gr.Checkbox(label="含答案、解析和依据（检查人员用）", value=False,
                                            elem_id="paper-with-key")
                    paper_docx_btn = gr.Button("导出 Word 试卷", elem_id="paper-docx")
                paper_msg = gr.HTML(elem_id="paper-msg")
                paper_file = gr.File(label="Word 试卷", interactive=False, elem_id="paper-file")
                paper_view = gr.HTML(elem_id="paper-view")
            with gr.Tab("导出与考试记录", id="bank-export-tab"):
                gr.Markdown("### 导出题库")
                with gr.Row(equal_height=True):
                    export_scope = gr.Radio(label="导出范围", choices=EXPORT_SCOPES, value="all",
                                            elem_id="bank-export-scope")
                    export_btn = gr.Button("导出 Excel", elem_id="bank-export")
                export_msg = gr.HTML(elem_id="bank-export-msg")
                export_file = gr.File(label="题库 Excel", interactive=False, elem_id="bank-export-file")
                gr.Markdown("### 考试记录")
                records_table = gr.Dataframe(headers=qp.RECORD_HEADERS, interactive=False, wrap=True,
                                             max_height=420, column_widths=qp.RECORD_WIDTHS,
                                             elem_id="records-table")
                records_btn = gr.Button("刷新并导出考试记录（Excel）", elem_id="records-export")
                records_msg = gr.HTML(elem_id="records-msg")
                records_file = gr.File(label="考试记录 Excel", interactive=False,
                                       elem_id="records-file")
    gate = Gate(login_box, bank_panel, user, password, login_btn, login_msg, logout_btn)

    bank_view = [bank_stats, bank_info, bank_table, bank_item]
    view_in = [is_admin, review_filter, bank_search]
    import_btn.click(qh.import_bank, [bank_file, bank_roles, bank_types, *view_in],
                     [import_result, bank_file, *bank_view], **PRIVATE)
    gen_btn.click(qh.generate, [gen_law, gen_n, gen_seed, *view_in], [gen_result, *bank_view],
                  **PRIVATE)
    review_filter.change(qh.bank_data, view_in, bank_view, **PRIVATE)
    bank_search.submit(qh.bank_data, view_in, bank_view, **PRIVATE)
    bank_item.input(qh.show_item, [bank_item, is_admin], item_view, **PRIVATE)
    for button, action in ((approve_btn, "approve"), (retire_btn, "retire"), (draft_btn, "draft")):
        button.click(_reviewer(qh, action), [bank_item, *view_in],
                     [review_msg, item_view, *bank_view], **PRIVATE)
    paper_btn.click(qh.build_paper, [paper_role, paper_type, paper_seed, is_admin],
                    [paper, paper_view, paper_file], **PRIVATE)
    paper_docx_btn.click(qh.paper_docx, [paper, paper_key, is_admin], [paper_msg, paper_file],
                         **PRIVATE)
    export_btn.click(qh.export_bank, [export_scope, is_admin], [export_msg, export_file], **PRIVATE)
    records_btn.click(qh.export_records, is_admin, [records_msg, records_file, records_table],
                      **PRIVATE)

    return BankPage(gate, bank_view, view_in, records_table, gen_law)
