"""What the 现场考试, 题库与组卷 and 评测 tabs call: the question bank, the exam book and the evaluation, opened once
for the life of the server (next to WebService, which holds the catalog and the searcher).

The exam book keeps every exam's full paper (keys, option order, explanations) in the database, keyed by the exam
id. The page only ever receives `Exam.public_view()` until the exam is submitted. The session's server-side gr.State
holds the exam id the page answers; the browser also keeps it (address and storage) with a resume key
(quiz.resume) so that a reload or a server restart brings the same sheet back.

Files for download (graded exam records, papers, bank and record exports, evaluation reports) are written to a
private temporary folder; gradio copies what a handler returns into its own cache before serving it.
"""
from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from quiz.bank_files import ImportReport, export_file, import_file
from quiz.blueprint import Blueprint, blueprint_for
from quiz.errors import QuizError
from quiz.exam import Exam, ExamBook, clean_id_number, open_exams
from quiz.model import Question, Review
from quiz.paper import Paper, draw_paper
from quiz.printout import write_exam_docx, write_paper_docx, write_records_xlsx
from quiz.resume import ResumeKeys, restorable
from quiz.starter import ensure_starter

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def safe_name(text: str, limit: int = 40) -> str:
    """A file-name part from user text (an examinee's name, an enterprise): no separators, bounded."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFKC", text or "")).strip("._")
    return cleaned[:limit] or "未命名"


@dataclass
class Generated:
    """What one generation run stored: the kept items, how many were already in the bank, the generator's report."""

    report: object  # quiz.generate.GenerationReport
    added: list[str] = field(default_factory=list)  # qids of new drafts
    duplicates: int = 0


class QuizDesk:
    def __init__(self, settings, catalog, searcher_fn):
        self.settings = settings
        self.catalog = catalog
        self._searcher = searcher_fn  # the service's current searcher (it is swapped after a re-index)
        self.book: ExamBook = open_exams(settings)
        self.bank = self.book.bank
        ensure_starter(self.bank)  # a new home gets the built-in starter bank, as the CLI does (quiz.starter)
        self.keys = ResumeKeys.for_book(self.book, settings.home)
        self._eval = threading.Lock()  # one evaluation at a time: it takes the CPU for a while
        self.files = Path(tempfile.mkdtemp(prefix="hazkb-web-"))
        atexit.register(shutil.rmtree, self.files, ignore_errors=True)

    def _out(self, name: str) -> Path:
        """A fresh folder for one download, so that equal file names never collide."""
        folder = Path(tempfile.mkdtemp(dir=self.files))
        return folder / name

    # -- 现场考试 --------------------------------------------------------------------------------------

    def start_exam(self, enterprise: str, enterprise_type: str, person: str, id_number: str, role: str,
                   inspector: str) -> Exam:
        return self.book.start(enterprise=enterprise, enterprise_type=enterprise_type, person=person,
                               id_number=id_number, role=role, inspector=inspector)

    def exam(self, exam_id: str) -> Exam:
        return self.book.get(exam_id)

    def resume(self, exam_id: str, id_number: str) -> Exam:
        """An exam reopened on another device or after a reload: the examinee's ID number must match."""
        exam = self.book.resume((exam_id or "").strip())
        if clean_id_number(id_number) != exam.id_number:
            raise QuizError("考试编号与身份证号不符；请核对后重新输入")
        return exam

    def resume_key(self, exam: Exam) -> str:
        """The key this browser keeps to come back to `exam` after a reload or a restart without the ID number."""
        return self.keys.key(exam.exam_id)

    def stored_exam(self, exam_id: str) -> Exam | None:
        """The exam a page load found in the browser (address or storage), if it may be continued."""
        exam_id = (exam_id or "").strip()
        if not exam_id:
            return None
        try:
            exam = self.book.get(exam_id)
        except QuizError:
            return None
        return exam if restorable(exam) else None

    def key_fits(self, exam: Exam, key: str | None) -> bool:
        return self.keys.check(exam.exam_id, key)

    def save_answer(self, exam_id: str, position: int, letters: str) -> str:
        return self.book.save_answer(exam_id, position, letters)

    def save_answers(self, exam_id: str, answers: dict[int, str]) -> tuple[dict[int, str], dict[int, str]]:
        """Answers the browser kept while the server could not be reached, saved one by one in item order.
        -> (stored letters by position, the reason by position for those refused, e.g. after the time limit)"""
        saved: dict[int, str] = {}
        refused: dict[int, str] = {}
        for position, letters in sorted(answers.items()):
            try:
                saved[position] = self.book.save_answer(exam_id, position, letters)
            except QuizError as exc:
                refused[position] = str(exc)
        return saved, refused

    def submit(self, exam_id: str, shown: dict[int, str] | None = None) -> Exam:
        """Submit; `shown` (the answers on the examinee's screen) are saved first where they differ from the stored
        ones (a change whose own save had not arrived yet). Past the time limit the stored answers count."""
        if shown:
            stored = self.book.get(exam_id).answers
            for position, letters in sorted(shown.items()):
                if stored.get(position, "") != letters:
                    try:
                        self.book.save_answer(exam_id, position, letters)
                    except QuizError:
                        break  # time is up (or submitted meanwhile): grade what was saved
        self.book.submit(exam_id)
        return self.book.get(exam_id)

    def exam_docx(self, exam: Exam) -> Path:
        name = f"考试记录-{safe_name(exam.person)}-{exam.exam_id}.docx"
        return write_exam_docx(exam, self._out(name))

    # -- 题库 ---------------------------------------------------------------------------------------

    def import_bank(self, path: Path, roles: list[str] | None, enterprise_types: list[str] | None) -> ImportReport:
        return import_file(self.bank, path, catalog=self.catalog, roles=roles or None,
                           enterprise_types=enterprise_types or None)

    def generate(self, law: str, n: int, seed: int = 0) -> Generated:
        """Generate drafts from one law's current version and store them (duplicates are not stored twice)."""
        from quiz.generate import generate_for_law

        report = generate_for_law(self.catalog, law, n, seed=seed)
        outcome = Generated(report)
        for qid, duplicate in self.bank.add_many(report.kept):
            if duplicate:
                outcome.duplicates += 1
            else:
                outcome.added.append(qid)
        return outcome

    def items(self, review: str | None = None, text: str | None = None) -> list[Question]:
        items = self.bank.list(review=review or None)
        wanted = (text or "").strip()
        if wanted:
            items = [q for q in items if wanted in q.stem or wanted == q.qid
                     or any(wanted in b.cite() for b in q.basis)]
        return items

    def question(self, qid: str) -> Question:
        return self.bank.get(qid)

    def set_review(self, qid: str, review: Review) -> Question:
        self.bank.set_review(qid, review)
        return self.bank.get(qid)

    def export_bank(self, review: str | None = None) -> tuple[Path, int]:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self._out(f"题库导出-{stamp}.xlsx")
        count = export_file(self.bank, path, review=review or None)
        return path, count

    # -- 组卷 ---------------------------------------------------------------------------------------

    def blueprint(self, role: str, enterprise_type: str) -> Blueprint:
        return blueprint_for(role, enterprise_type, self.book.blueprints)

    def build_paper(self, role: str, enterprise_type: str, seed: int | None = None) -> Paper:
        blueprint = self.blueprint(role, enterprise_type)
        return draw_paper(self.bank, blueprint, seed=seed, role=role, enterprise_type=enterprise_type)

    def paper_docx(self, paper: Paper, with_key: bool = False) -> Path:
        suffix = "（含答案）" if with_key else ""
        return write_paper_docx(paper, self._out(f"试卷-{safe_name(paper.blueprint)}-{paper.paper_id}{suffix}.docx"),
                                with_key=with_key)

    # -- 考试记录 ------------------------------------------------------------------------------------

    def records(self, enterprise: str | None = None, person: str | None = None) -> list[Exam]:
        return self.book.records(enterprise=enterprise or None, person=person or None)

    def records_xlsx(self, exams: list[Exam]) -> Path:
        path = self._out(f"考试记录-{datetime.now().strftime('%Y%m%d-%H%M%S')}.xlsx")
        write_records_xlsx(exams, path)
        return path

    # -- 评测 ---------------------------------------------------------------------------------------

    def bank_snapshot(self) -> tuple[Path, int]:
        """The approved items of this system's bank, as a JSON bank file for the quiz evaluation."""
        path = self._out("本系统题库（已审核）.json")
        count = export_file(self.bank, path, review=Review.APPROVED)
        return path, count

    def run_eval(self, banks: list[Path], n_generated: int, baselines: bool, trust: bool,
                 generated_law: str | None = None) -> tuple[dict, dict]:
        """eval.run_all on this home's catalog and searcher, then eval.report's files. -> (results, paths)"""
        from eval.report import write_report
        from eval.run_all import DEFAULT_GENERATED_LAW, EvalInputs, run_all
        from quiz.solver import solver_for

        if not self._eval.acquire(blocking=False):
            raise QuizError("另一项评测正在运行，请等它完成后再试")
        try:
            searcher = self._searcher()
            inputs = EvalInputs.from_dir(self.settings.gold_dir, banks=list(banks),
                                         n_generated=max(0, int(n_generated)), baselines=baselines, trust=trust,
                                         generated_law=generated_law or DEFAULT_GENERATED_LAW)
            results = run_all(self.catalog, searcher, inputs, solver_for(self.settings, searcher), progress=True)
            out = Path(tempfile.mkdtemp(dir=self.files)) / f"评测报告-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
            paths = write_report(results, out)
            return results, paths
        finally:
            self._eval.release()


class DeskHandlers:
    """What the 现场考试, 题库与组卷 and 评测 handlers share: the web service and its QuizDesk (opened on first use)."""

    def __init__(self, service):
        self.service = service

    @property
    def desk(self) -> QuizDesk:
        return self.service.quiz
