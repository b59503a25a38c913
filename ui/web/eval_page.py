"""The 评测 page (admin): run the evaluation on this server's knowledge base and show the report."""
from __future__ import annotations

import gradio as gr

from . import present
from . import quiz_present as qp
from .admin_gate import Gate, admin_bar, login_form
from .bank_handlers import BANK_SUFFIXES
from .eval_handlers import EVAL_SOURCES, EvalHandlers
from .events import PRIVATE

DEFAULT_LAW = "危险化学品安全管理条例"


def build(qh: EvalHandlers, is_admin: gr.State) -> Gate:
    login_box, user, password, login_btn, login_msg = login_form(
        "eval", "运行评测需要管理员登录（评测占用服务器约半分钟到两分钟）。")
    gold_dir = qh.service.settings.gold_dir
    gold = (f"本局评测集目录（{gold_dir}）中的执法问答评测集 inspector.jsonl" if gold_dir
            else "随系统附带的执法问答评测集（eval/gold/inspector.jsonl）")
    with gr.Column(visible=False, elem_id="eval-panel") as eval_panel:
        logout_btn = admin_bar("eval")
        gr.HTML(present.notice(
            f"评测本系统：用{gold}"
            "计算检索准确率（hit@k、MRR），并评测直接查条和拒答；"
            "可选与朴素 BM25 基线对比、评测引用可信度。"
            "题库作答：系统只依据知识库作答题库中的题目，与题库答案比较。通常需要半分钟到两分钟。",
            "info"))
        eval_source = gr.Radio(label="题库作答评测", choices=EVAL_SOURCES, value="none",
                               elem_id="eval-source")
        eval_file = gr.File(label="要评测的题库文件（.xlsx / .csv / .json）",
                            file_types=list(BANK_SUFFIXES), visible=False, elem_id="eval-file")
        eval_n = gr.Number(label=f"另从《{DEFAULT_LAW}》生成题目作答（题数，0 为不生成）", value=20,
                           precision=0, minimum=0, maximum=200, elem_id="eval-n")
        with gr.Row():
            eval_baselines = gr.Checkbox(label="与朴素 BM25 基线对比（较慢）", value=False,
                                         elem_id="eval-baselines")
            eval_trust = gr.Checkbox(label="评测引用可信度（较慢）", value=False, elem_id="eval-trust")
        eval_btn = gr.Button("开始评测", variant="primary", elem_id="eval-run")
        eval_status = gr.HTML(elem_id="eval-status")
        eval_table = gr.Dataframe(headers=qp.EVAL_HEADERS, interactive=False, wrap=True,
                                  column_widths=["40%", "35%", "25%"], elem_id="eval-table")
        eval_charts = gr.HTML(elem_id="eval-charts")
        eval_files = gr.File(label="评测报告（HTML、Markdown、JSON）", file_count="multiple",
                             interactive=False, elem_id="eval-files")
    gate = Gate(login_box, eval_panel, user, password, login_btn, login_msg, logout_btn)
    eval_source.change(lambda s: gr.update(visible=s == "upload"), eval_source, eval_file, **PRIVATE)
    eval_btn.click(qh.run_eval, [eval_source, eval_file, eval_n, eval_baselines, eval_trust, is_admin],
                   [eval_status, eval_table, eval_charts, eval_files], concurrency_limit=1,
                   concurrency_id="eval", **PRIVATE)

    return gate
