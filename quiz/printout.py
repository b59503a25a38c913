"""Exam records to Excel, and papers / graded answer sheets to Word for printing and filing.

`write_records_xlsx` writes one row per exam (the ID number masked) and a sheet with every graded item.
`write_exam_docx` prints a submitted exam as a graded record (the examinee's answers, keys, explanations, bases)
and an open exam as a blank paper with the examinee's header; `write_paper_docx` prints a drawn paper with no
examinee. Keys appear on a paper not yet graded only when asked for (`with_key=True`, the inspector's copy).
Both end with the signature lines 考生签字 / 检查人员签字 / 日期.
"""
from __future__ import annotations

from pathlib import Path

from corpus.spreadsheet import safe_row

from .errors import QuizError
from .exam import Exam, local, mask_id
from .io_excel import new_workbook
from .model import LETTERS, QType
from .paper import INSTRUCTIONS, Paper
from .qtypes import rule

RECORD_COLUMNS = ("考试编号", "企业名称", "企业类型", "姓名", "身份证号", "岗位", "检查人员", "考试日期", "开考时间",
                  "交卷时间", "得分", "满分", "合格分", "结果", "已答题数", "总题数")
DETAIL_COLUMNS = ("考试编号", "姓名", "企业名称", "题号", "题型", "题目编号", "题干", "考生答案", "正确答案",
                  "是否正确", "分值", "得分")
SIGNATURES = ("考生签字", "检查人员签字", "日期")
_NUMERALS = "一二三四五六七八九十"


def _num(value) -> str:
    """80.0 -> '80', 2.5 -> '2.5', None -> ''."""
    return "" if value is None else f"{value:g}"


def _hm(moment) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _writable(path: Path) -> Path:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise QuizError(f"目录 {path.parent} 不存在；请先创建，或换一个保存位置")
    return path


# -- Excel -------------------------------------------------------------------------------------


def write_records_xlsx(exams: list[Exam], path: str | Path) -> int:
    """Sheet 考试记录 (one row per exam) and 答题明细 (one row per item of each submitted exam). Returns rows."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = _writable(Path(path))
    if path.suffix.lower() != ".xlsx":
        raise QuizError(f"考试记录只能导出为 .xlsx 文件，而不是“{path.suffix or '无扩展名'}”：{path.name}")
    workbook, records = new_workbook("考试记录")
    records.append(list(RECORD_COLUMNS))
    details = workbook.create_sheet("答题明细")
    details.append(list(DETAIL_COLUMNS))
    for exam in exams:
        started = local(exam.started_at)
        # Names and companies are typed by examinees: text starting with = + - @ is kept as text, not a formula.
        records.append(safe_row([exam.exam_id, exam.enterprise, exam.enterprise_type, exam.person,
                                 mask_id(exam.id_number), exam.role, exam.inspector, started.date().isoformat(),
                                 _hm(exam.started_at), _hm(exam.submitted_at), exam.score, exam.paper.total_points,
                                 exam.paper.pass_mark, exam.status(), len(exam.answers), len(exam.paper.items)]))
        if exam.result is None:
            continue
        for item in exam.result.items:
            details.append(safe_row([exam.exam_id, exam.person, exam.enterprise, item.position, item.qtype.value,
                                     item.qid, item.stem, item.answer or "未答", item.key,
                                     "正确" if item.correct else "错误", item.points, item.earned]))
    for sheet, widths in ((records, (18, 28, 14, 10, 22, 14, 10, 12, 17, 17, 8, 8, 8, 12, 9, 8)),
                          (details, (18, 10, 28, 6, 6, 18, 60, 9, 9, 9, 6, 6))):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
    try:
        workbook.save(path)
    except OSError as exc:
        raise QuizError(f"无法写入 {path}（{exc.strerror}）；文件是否正在 Excel 中打开？") from exc
    return len(exams)


# -- Word --------------------------------------------------------------------------------------


def _document():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    return doc


def _title(doc, text: str, sub: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(16)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(sub)


def _header(doc, pairs: list[tuple[str, str]]) -> None:
    """Label/value pairs, two pairs per row."""
    rows = (len(pairs) + 1) // 2
    table = doc.add_table(rows=rows, cols=4)
    table.style = "Table Grid"
    for i, (label, value) in enumerate(pairs):
        row, col = divmod(i, 2)
        label_cell, value_cell = table.cell(row, col * 2), table.cell(row, col * 2 + 1)
        label_cell.text = label
        label_cell.paragraphs[0].runs[0].bold = True
        value_cell.text = value


def _items(doc, items: list, points_by_type: dict, reviews: dict | None, with_key: bool) -> None:
    from docx.shared import Pt, RGBColor

    section = 0
    for qtype in QType:
        group = [i for i in items if i.qtype is qtype]
        if not group:
            continue
        points = points_by_type[qtype]
        heading = doc.add_paragraph()
        run = heading.add_run(f"{_NUMERALS[section]}、{qtype.value}题（共 {len(group)} 题，每题 {_num(points)} 分，"
                              f"共 {_num(points * len(group))} 分）")
        run.bold = True
        section += 1
        for item in group:
            doc.add_paragraph(f"{item.position}. {item.stem}")
            if rule(qtype).one_line:
                doc.add_paragraph("　　" + "　　".join(f"{LETTERS[j]}. {t}" for j, t in enumerate(item.options)))
            else:
                for j, text in enumerate(item.options):
                    doc.add_paragraph(f"　　{LETTERS[j]}. {text}")
            review = reviews.get(item.position) if reviews is not None else None
            if review is not None:
                p = doc.add_paragraph()
                p.add_run(f"考生答案：{review.answer or '未答'}　　正确答案：{review.key}　　")
                mark = p.add_run(f"{'✓ 正确' if review.correct else '✗ 错误'}，得 {_num(review.earned)} 分")
                mark.bold = True
                mark.font.color.rgb = RGBColor(0x1B, 0x5E, 0x20) if review.correct else RGBColor(0xB7, 0x1C, 0x1C)
                for label, text in (("解析", review.explanation), ("依据", "；".join(review.basis))):
                    if text:
                        p = doc.add_paragraph()
                        p.add_run(f"{label}：").bold = True
                        r = p.add_run(text)
                        r.font.size = Pt(9.5)
            elif with_key:
                p = doc.add_paragraph()
                p.add_run(f"答案：{item.key}").bold = True
                for label, text in (("解析", item.explanation), ("依据", "；".join(item.basis))):
                    if text:
                        doc.add_paragraph(f"{label}：{text}")
            else:
                doc.add_paragraph("　　答案：________")


def _signatures(doc) -> None:
    doc.add_paragraph()
    doc.add_paragraph("　　".join(f"{label}：______________" for label in SIGNATURES))


def _points_by_type(paper: Paper) -> dict:
    return {item.qtype: item.points for item in paper.items}


def _save(doc, path: Path) -> Path:
    try:
        doc.save(str(path))
    except OSError as exc:
        raise QuizError(f"无法写入 {path}（{exc.strerror}）；文件是否正在 Word 中打开？") from exc
    return path


def _check_docx(path: str | Path) -> Path:
    path = _writable(Path(path))
    if path.suffix.lower() != ".docx":
        raise QuizError(f"打印文件须为 .docx，而不是“{path.suffix or '无扩展名'}”：{path.name}")
    return path


def write_exam_docx(exam: Exam, path: str | Path, with_key: bool = False) -> Path:
    """A submitted exam: the graded answer sheet. An open exam: its blank paper with the examinee's header
    (keys only with `with_key`, for the inspector's copy)."""
    path = _check_docx(path)
    paper = exam.paper
    doc = _document()
    grading = exam.result
    graded = grading is not None
    _title(doc, paper.blueprint, "现场考试答题记录（已评分）" if graded else "现场考试试卷")
    result = ("合格" if exam.passed else "不合格") if graded else ""
    _header(doc, [("企业名称", exam.enterprise), ("企业类型", exam.enterprise_type), ("姓名", exam.person),
                  ("身份证号", mask_id(exam.id_number)), ("岗位", exam.role), ("检查人员", exam.inspector),
                  ("考试日期", _hm(exam.started_at)), ("考试编号", exam.exam_id),
                  ("得分", f"{_num(exam.score)} / {_num(paper.total_points)}" if graded else ""),
                  ("结果", result)])
    summary = f"满分 {_num(paper.total_points)} 分，{_num(paper.pass_mark)} 分合格，限时 {paper.time_limit} 分钟。"
    if grading is not None:
        summary += (f"答对 {grading.correct_count} / {len(paper.items)} 题，得分 {_num(exam.score)}，"
                    f"{result}。交卷时间 {_hm(exam.submitted_at)}。")
    else:
        summary += INSTRUCTIONS
    doc.add_paragraph(summary)
    reviews = {r.position: r for r in grading.items} if grading is not None else None
    _items(doc, paper.items, _points_by_type(paper), reviews, with_key=with_key and not graded)
    _signatures(doc)
    return _save(doc, path)


def write_paper_docx(paper: Paper, path: str | Path, with_key: bool = False) -> Path:
    """A drawn paper with blank examinee fields (keys only with `with_key`)."""
    path = _check_docx(path)
    doc = _document()
    _title(doc, paper.blueprint, "现场考试试卷" + ("（含答案，检查人员用）" if with_key else ""))
    _header(doc, [("企业名称", ""), ("企业类型", paper.enterprise_type), ("姓名", ""), ("身份证号", ""),
                  ("岗位", paper.role), ("检查人员", ""), ("考试日期", ""), ("试卷编号", paper.paper_id),
                  ("得分", ""), ("结果", "")])
    doc.add_paragraph(f"满分 {_num(paper.total_points)} 分，{_num(paper.pass_mark)} 分合格，"
                      f"限时 {paper.time_limit} 分钟。" + INSTRUCTIONS)
    _items(doc, paper.items, _points_by_type(paper), None, with_key=with_key)
    _signatures(doc)
    return _save(doc, path)
