"""Event handlers of the 评测 page (eval_page.py, admin): run the evaluation and show the report."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import gradio as gr

from corpus.errors import HazkbError

from . import present
from . import quiz_present as qp
from .bank_handlers import BANK_SUFFIXES, NOT_ADMIN, _path
from .handlers import INTERNAL_ERROR
from .quiz_service import DeskHandlers

log = logging.getLogger(__name__)

EVAL_SOURCES = [("不评测题库", "none"), ("本系统题库（已审核题目）", "bank"), ("上传的题库文件", "upload")]


class EvalHandlers(DeskHandlers):
    # == 评测 (admin) ===================================================================================

    def run_eval(self, source, upload, n_generated, baselines, trust, is_admin,
                 progress=gr.Progress(track_tqdm=True)):
        """-> (status html, figures table, charts gallery, report files)"""
        empty = (gr.update(value=[]), "", gr.update(value=None))
        if not is_admin:
            return (present.notice(NOT_ADMIN, "error"), *empty)
        banks: list[Path] = []
        if source == "upload":
            path = _path(upload)
            if path is None:
                return (present.notice("请先选择要评测的题库文件（.xlsx、.csv 或 .json）。", "info"), *empty)
            if path.suffix.lower() not in BANK_SUFFIXES:
                return (present.notice(f"不支持的题库文件类型：{path.name}；支持 .xlsx、.csv、.json", "error"), *empty)
            banks.append(path)
        elif source == "bank":
            snapshot, count = self.desk.bank_snapshot()
            if not count:
                return (present.notice("本系统题库中还没有已审核的题目；请先导入或审核题目，或选择上传题库文件。",
                                       "info"), *empty)
            banks.append(snapshot)
        try:
            n = int(n_generated or 0)
        except (TypeError, ValueError):
            n = 0
        progress(0.02, desc="正在评测：检索准确率、查条、拒答" + ("、引用可信度" if trust else "")
                 + ("、题库作答" if banks or n else ""))
        started = time.monotonic()
        try:
            results, paths = self.desk.run_eval(banks, n, bool(baselines), bool(trust))
        except ImportError as exc:
            log.warning("evaluation unavailable: %s", exc)
            return (present.notice("评测图表需要 matplotlib；请运行 pip install -e '.[eval]' 后重新启动服务。",
                                   "error"), *empty)
        except HazkbError as exc:
            return (present.notice(str(exc), "error", "评测失败："), *empty)
        except Exception:
            log.exception("evaluation failed")
            return (present.notice(INTERNAL_ERROR, "error", "评测失败："), *empty)
        files = [paths["html"], paths["markdown"], paths["json"]]
        return (qp.eval_summary_html(results, paths, time.monotonic() - started),
                gr.update(value=qp.eval_rows(results)), qp.charts_html(paths["charts"]), gr.update(value=files))
