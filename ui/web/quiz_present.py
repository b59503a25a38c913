"""HTML and table rows for the 现场考试, 题库与组卷 and 评测 tabs.

Pure presentation over library results (Exam / public views, ImportReport, GenerationReport, Question, Paper,
evaluation results). The examinee's screen is built from `Exam.public_view()` only: nothing here that renders a
sheet in progress reads a key, an explanation or a basis.
"""
from __future__ import annotations

import base64
from pathlib import Path

from quiz.bank_files import added_text
from quiz.exam import Exam, local, mask_id
from quiz.model import LETTERS, Question, Review

from .present import _e, notice


def _num(value) -> str:
    return "-" if value is None else f"{value:g}"


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _metric(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _hm(moment) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def mmss(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


# -- 现场考试: the examinee's sheet (public view only) ---------------------------------------------------


def exam_head(view: dict) -> str:
    """Title, examinee and rules, from Exam.public_view()."""
    paper = view["paper"]
    counts = "、".join(f"{t} {n} 题" for t, n in paper["counts"].items())
    total = len(paper["items"])
    return (
        f'<div class="hz-exam-head" data-exam="{_e(view["exam_id"])}">'
        f'<div class="hz-exam-title">{_e(paper["title"])}</div>'
        f'<div class="hz-exam-who">{_e(view["person"])} · {_e(view["role"])} · {_e(view["enterprise"])}</div>'
        f'<div class="hz-exam-rule">共 {total} 题（{_e(counts)}），满分 {_num(paper["total_points"])} 分，'
        f'{_num(paper["pass_mark"])} 分合格，限时 {paper["time_limit"]} 分钟。{_e(paper["instructions"])}</div>'
        f'<div class="hz-exam-id">考试编号 <b>{_e(view["exam_id"])}</b>：每题作答后自动保存。'
        "断网或刷新页面后，可在“继续未交卷的考试”中凭考试编号和身份证号继续作答。</div></div>"
    )


def timer_html(exam_id: str, remaining: int) -> str:
    """The countdown: the page's script counts down from `data-remaining` (seconds when this was sent)."""
    return (f'<div class="hz-timer" data-exam="{_e(exam_id)}" data-remaining="{int(remaining)}">'
            f'<span class="hz-timer-label">剩余时间</span><span class="hz-timer-text">{mmss(remaining)}</span></div>')


# Counts down every .hz-timer on the page; at zero it says so and presses the (hidden) 时间到 button once.
TIMER_JS = """
if (!window.hzTimer) {
  window.hzTimer = {deadlines: {}, fired: {}};
  setInterval(() => {
    const state = window.hzTimer;
    document.querySelectorAll('.hz-timer[data-exam]').forEach((el) => {
      const exam = el.dataset.exam, key = exam + ':' + el.dataset.remaining;
      if (!(key in state.deadlines)) state.deadlines[key] = Date.now() + 1000 * Number(el.dataset.remaining);
      const left = Math.max(0, Math.round((state.deadlines[key] - Date.now()) / 1000));
      const text = el.querySelector('.hz-timer-text');
      const shown = left > 0
        ? String(Math.floor(left / 60)).padStart(2, '0') + ':' + String(left % 60).padStart(2, '0')
        : '时间到，正在交卷';
      if (text && text.textContent !== shown) text.textContent = shown;
      el.classList.toggle('hz-timer-low', left <= 300);
      if (left === 0 && !state.fired[exam] && el.getClientRects().length > 0) {
        const button = document.getElementById('exam-timeout');
        if (button) { state.fired[exam] = true; button.click(); }
      }
    });
  }, 500);
}
"""


def item_label(item: dict) -> str:
    return f"{item['position']}. {item['stem']}"


def item_info(item: dict) -> str:
    kind = "多选，选两个或以上" if item["qtype"] == "多选" else item["qtype"]
    return f"{kind} · {_num(item['points'])} 分"


def item_choices(item: dict) -> list[tuple[str, str]]:
    return [(f"{o['letter']}. {o['text']}", o["letter"]) for o in item["options"]]


def saved_html(answered: int, total: int, position: int | None = None, letters: str | None = None) -> str:
    if position is None:
        what = "每题作答后自动保存"
    elif letters:
        what = f"✓ 第 {position} 题已保存（{_e(letters)}）"
    else:
        what = f"✓ 第 {position} 题已清除作答"
    return (f'<div class="hz-saved" data-answered="{answered}" data-total="{total}">{what}'
            f"<span>已答 {answered} / {total} 题</span></div>")


# -- 现场考试: after submission (keys, explanations, bases) -------------------------------------------------


def result_head_html(exam: Exam) -> str:
    """The graded exam's score card: score, verdict, who, when."""
    result = exam.result
    if result is None:
        return notice("本场考试尚未交卷。", "info")
    verdict, kind = ("合格", "pass") if exam.passed else ("不合格", "fail")
    return (
        f'<div class="hz-result hz-{kind}" data-score="{_num(exam.score)}" data-passed="{int(bool(exam.passed))}">'
        f'<div class="hz-score"><span class="hz-score-num">{_num(exam.score)}</span>'
        f'<span class="hz-score-of"> / {_num(result.total_points)} 分</span></div>'
        f'<div class="hz-verdict">{verdict}</div>'
        f'<div class="hz-result-line">答对 {result.correct_count} / {len(result.items)} 题 · '
        f"{_num(result.pass_mark)} 分合格 · 交卷时间 {_hm(exam.submitted_at)}</div>"
        f'<div class="hz-result-line">{_e(exam.person)}（{_e(mask_id(exam.id_number))}）· {_e(exam.role)} · '
        f"{_e(exam.enterprise)} · 检查人员 {_e(exam.inspector)} · 考试编号 {_e(exam.exam_id)}</div></div>"
    )


def result_items_html(exam: Exam) -> str:
    """Every graded item: the examinee's answer, the key, 解析 and 依据 (wrong items marked)."""
    result = exam.result
    if result is None:
        return ""
    wrong = [str(r.position) for r in result.items if not r.correct]
    summary = (f"答错或未答 {len(wrong)} 题：第 {'、'.join(wrong)} 题。" if wrong else "全部答对。")
    parts = [f'<div class="hz-list-info">{_e(summary)}以下为每题的正确答案、解析和依据。</div>',
             '<section class="hz-review">']
    for r in result.items:
        mark = f"✓ 得 {_num(r.earned)} 分" if r.correct else f"✗ 得 0 分（{_num(r.points)} 分）"
        options = []
        for i, text in enumerate(r.options):
            letter = LETTERS[i]
            classes = " ".join(c for c, on in (("hz-key", letter in r.key), ("hz-chosen", letter in r.answer)) if on)
            tag = "（正确答案）" if letter in r.key else ("（你的选择）" if letter in r.answer else "")
            options.append(f'<li class="{classes}">{letter}. {_e(text)}<span class="hz-tag">{tag}</span></li>')
        explanation = r.explanation or "题库未提供解析。"
        basis = "；".join(r.basis) if r.basis else "题库未注明依据。"
        parts.append(
            f'<article class="hz-ritem {"hz-right" if r.correct else "hz-wrong"}" data-position="{r.position}">'
            f'<header><span class="hz-qno">第 {r.position} 题</span><span class="hz-qtype">{r.qtype.value}</span>'
            f'<span class="hz-mark">{mark}</span></header>'
            f'<div class="hz-stem">{_e(r.stem)}</div><ul class="hz-opts">{"".join(options)}</ul>'
            f'<div class="hz-answers">考生答案：<b>{_e(r.answer or "未答")}</b>　正确答案：<b>{_e(r.key)}</b></div>'
            f'<div class="hz-expl"><strong>解析：</strong>{_e(explanation)}</div>'
            f'<div class="hz-basis"><strong>依据：</strong>{_e(basis)}</div></article>')
    parts.append("</section>")
    return "".join(parts)


# -- 题库 -----------------------------------------------------------------------------------------------


def bank_stats_html(stats: dict) -> str:
    by_type = "、".join(f"{t} {n}" for t, n in stats["by_type"].items())
    by_review = "、".join(f"{Review(r).label} {n}" for r, n in stats["by_review"].items())
    return (f'<div class="hz-summary" data-total="{stats["total"]}">题库共 {stats["total"]} 道题：{_e(by_type)}；'
            f"{_e(by_review)}；标记待复核 {stats['flagged']} 道</div>")


def _where(entry: dict) -> str:
    sheet = f"（工作表“{entry['sheet']}”）" if entry.get("sheet") else ""
    return f"第 {entry['row']} 行{sheet}"


def import_report_html(report, name: str) -> str:
    """Every rejected row with its row number and reason, every duplicate, every warning."""
    lines = [f'<div class="hz-summary" data-imported="{report.imported}" data-rejected="{len(report.rejected)}" '
             f'data-duplicates="{len(report.duplicates)}">'
             f"{_e(name)}：读取 {report.rows} 行题目，{_e(report.summary())}</div>",
             '<ul class="hz-report">']
    for r in report.rejected:
        lines.append(f'<li class="hz-fail">✗ {_e(_where(r))}：{_e(r["reason"])}</li>')
    for d in report.duplicates:
        added = added_text(d)
        lines.append(f'<li class="hz-same">+ {_e(_where(d))}：题库中已有（题目 {_e(d["qid"])}），已补充{_e(added)}</li>'
                     if added else
                     f'<li class="hz-same">= {_e(_where(d))}：与题库中的题目 {_e(d["qid"])} 重复，未重复导入</li>')
    for w in report.warnings:
        lines.append(f'<li class="hz-warnline">! {_e(w)}</li>')
    lines.append("</ul>")
    if report.rejected:
        lines.append(notice("被拒绝的行没有导入，其余题目已导入；请按原因修改这些行后重新导入该文件"
                            "（已导入的题目会按重复跳过）。", "info"))
    return "".join(lines)


def generation_html(law: str, asked: int, outcome) -> str:
    report = outcome.report
    reasons = "；".join(f"{k} {v}" for k, v in report.reason_counts().items()) or "无"
    head = (f'<div class="hz-summary" data-added="{len(outcome.added)}">从《{_e(law)}》生成 {len(report.kept)} 道题'
            f"（要求 {asked} 道）：新增待审核 {len(outcome.added)} 道，与题库已有题目重复 {outcome.duplicates} 道</div>"
            f'<div class="hz-muted">检查候选 {report.examined} 个，淘汰 {len(report.rejected)} 个（{_e(reasons)}）。'
            "生成的题目为“待审核”，审核通过后才会用于组卷和现场考试。</div>")
    if len(report.kept) < asked:
        head += notice(f"该法规可出的合格题目不足 {asked} 道；可换一部法规或换一个随机种子再生成。", "info")
    return head


QUESTION_HEADERS = ["编号", "题型", "题干", "选项", "答案", "依据", "来源", "状态", "标记"]
QUESTION_WIDTHS = ["130px", "60px", "360px", "300px", "60px", "200px", "120px", "80px", "160px"]
SHOWN_ITEMS = 200  # rows in the review table and the item list


def _origin(q: Question) -> str:
    o = q.origin
    if o.kind == "imported":
        return f"导入：{o.file or ''}{f' 第{o.row}行' if o.row else ''}"
    if o.kind == "generated":
        return f"生成：{o.generator or ''}"
    return "手工录入"


def question_rows(items: list[Question]) -> list[list]:
    return [[q.qid, q.qtype.value, q.stem, "　".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(q.options)),
             q.answer, "；".join(b.cite() for b in q.basis), _origin(q), q.review.label, "；".join(q.flags)]
            for q in items[:SHOWN_ITEMS]]


def question_choice(q: Question) -> tuple[str, str]:
    stem = q.stem if len(q.stem) <= 36 else q.stem[:35] + "…"
    return f"{q.qid}　[{q.qtype.value}·{q.review.label}] {stem}", q.qid


def items_info(shown: int, total: int, review_label: str) -> str:
    extra = f"（列出前 {SHOWN_ITEMS} 道，可输入题干文字或依据筛选）" if total > SHOWN_ITEMS else ""
    return f'<div class="hz-list-info" data-count="{total}">{_e(review_label)}：{total} 道{extra}</div>'


def question_html(q: Question) -> str:
    """One item for review, key and explanation included (admin only)."""
    key_tag = '<span class="hz-tag">（答案）</span>'
    options = "".join(f'<li class="{"hz-key" if LETTERS[i] in q.answer else ""}">{LETTERS[i]}. {_e(o)}'
                      f'{key_tag if LETTERS[i] in q.answer else ""}</li>' for i, o in enumerate(q.options))
    tags = []
    if q.roles:
        tags.append("适用岗位：" + "、".join(q.roles))
    if q.enterprise_types:
        tags.append("企业类型：" + "、".join(q.enterprise_types))
    if q.topics:
        tags.append("知识点：" + "、".join(q.topics))
    tags.append(f"难度 {q.difficulty}")
    flags = "".join(notice(f, "warn", "待复核：") for f in q.flags)
    return (f'<article class="hz-ritem hz-qview" data-qid="{_e(q.qid)}" data-review="{_e(q.review.value)}">'
            f'<header><span class="hz-qno">{_e(q.qid)}</span><span class="hz-qtype">{q.qtype.value}</span>'
            f'<span class="hz-badge">{_e(q.review.label)}</span></header>'
            f'<div class="hz-stem">{_e(q.stem)}</div><ul class="hz-opts">{options}</ul>'
            f'<div class="hz-expl"><strong>解析：</strong>{_e(q.explanation or "无")}</div>'
            f'<div class="hz-basis"><strong>依据：</strong>{_e("；".join(b.cite() for b in q.basis) or "未注明")}</div>'
            f'<div class="hz-muted">{_e("；".join(tags))}；来源：{_e(_origin(q))}</div>{flags}</article>')


# -- 组卷 -----------------------------------------------------------------------------------------------


def paper_html(paper) -> str:
    """A drawn paper as the examinee would see it (its public view): no keys."""
    view = paper.public_view()
    counts = "、".join(f"{t} {n} 题" for t, n in view["counts"].items())
    parts = [f'<div class="hz-summary" data-items="{len(view["items"])}">{_e(view["title"])}：'
             f'{_e(paper.role)} · {_e(paper.enterprise_type)} · 共 {len(view["items"])} 题（{_e(counts)}），'
             f'满分 {_num(view["total_points"])} 分，{_num(view["pass_mark"])} 分合格，限时 {view["time_limit"]} 分钟'
             f'</div><div class="hz-muted">试卷编号 {_e(paper.paper_id)} · 随机种子 {paper.seed}'
             "（同一题库、同一种子可重新抽出同一份试卷）</div><ol class=\"hz-paper\">"]
    for item in view["items"]:
        options = "　".join(f"{o['letter']}. {_e(o['text'])}" for o in item["options"])
        parts.append(f'<li><span class="hz-qtype">{item["qtype"]}</span>{_e(item["stem"])}'
                     f'<div class="hz-muted">{options}</div></li>')
    parts.append("</ol>")
    return "".join(parts)


# -- 考试记录 --------------------------------------------------------------------------------------------


RECORD_HEADERS = ["考试编号", "企业名称", "姓名", "身份证号", "岗位", "检查人员", "开考时间", "得分", "结果"]
RECORD_WIDTHS = ["150px", "200px", "80px", "170px", "110px", "90px", "150px", "70px", "110px"]


def record_rows(exams: list[Exam]) -> list[list]:
    return [[e.exam_id, e.enterprise, e.person, mask_id(e.id_number), e.role, e.inspector, _hm(e.started_at),
             _num(e.score) if e.score is not None else "", e.status()] for e in exams]


# -- 评测 -----------------------------------------------------------------------------------------------

EVAL_HEADERS = ["评测项", "指标", "数值"]
_METRICS = (("hit@1", "hit@1"), ("hit@5", "hit@5"), ("hit@10", "hit@10"), ("mrr", "MRR"), ("lenient_mrr", "宽松 MRR"))


def eval_rows(results: dict) -> list[list]:
    """The headline figures of eval.run_all's results, one metric a row."""
    rows: list[list] = []
    retrieval = results.get("retrieval")
    if retrieval:
        name = f"检索（{retrieval['n']} 题）：本系统"
        rows += [[name, label, _metric(retrieval.get(key))] for key, label in _METRICS]
        for base, values in (retrieval.get("baselines") or {}).items():
            rows += [[f"检索：基线 {base}", label, _metric(values.get(key))] for key, label in _METRICS]
    lookups = results.get("lookups")
    if lookups:
        rows.append([f"直接查条（{lookups['n']} 条）", "准确率", _pct(lookups["accuracy"])])
    abstention = results.get("abstention")
    if abstention:
        rows.append([f"拒答（范围外 {abstention['out_of_scope_n']} 条）", "拒答率",
                     _pct(abstention["abstention_rate"])])
        rows.append([f"拒答（可回答 {abstention['gold_n']} 条）", "误拒答率",
                     _pct(abstention["false_abstention_rate"])])
    trust = results.get("trust")
    if trust:
        cites, invented = trust["citations"], trust["invented"]
        rows.append(["引用可信度", "引用的条文存在且原文一致", _pct(cites["exists"])])
        rows.append(["引用可信度", "引用的条文现行有效", _pct(cites["current"])])
        rows.append(["引用可信度", "引用在检索来源中", _pct(cites["in_sources"])])
        rows.append(["引用可信度", "编造的引用被识别", _pct(invented["caught_share"])])
    for quiz in results.get("quiz") or []:
        rows.append([f"题库作答：{quiz['source']}", f"总体准确率（{quiz['n']} 题）", _pct(quiz["accuracy"])])
        for qtype, values in quiz["by_type"].items():
            rows.append([f"题库作答：{quiz['source']}", f"{qtype}（{values['n']} 题）", _pct(values["accuracy"])])
    return rows


def eval_summary_html(results: dict, paths: dict, seconds: float) -> str:
    corpus = results.get("corpus") or {}
    font = "" if paths.get("cjk_font") else "本机没有中文字体，图中使用英文标签。"
    return notice(f"评测完成，用时 {seconds:.0f} 秒：知识库 {corpus.get('documents', '-')} 个文档、"
                  f"{corpus.get('units', '-')} 个条文单元，"
                  f"{'关键词 + 向量检索' if results.get('dense') else '关键词检索'}。{font}"
                  "完整报告（含分类别结果和最难的问题）可在下方下载。", "ok")


CHART_CAPTIONS = {"retrieval.png": "检索指标：本系统与基线", "categories.png": "各类别 MRR",
                  "rates.png": "查条、拒答与引用可信度", "quiz.png": "题库作答准确率（按题型）"}


def charts_html(paths: list[str]) -> str:
    """eval.report's PNG charts, embedded in the page (no file serving), full width on a phone."""
    figures = []
    for path in paths:
        name = Path(path).name
        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        caption = CHART_CAPTIONS.get(name, Path(path).stem)
        figures.append(f'<figure class="hz-chart" data-chart="{_e(name)}"><img src="data:image/png;base64,{data}" '
                       f'alt="{_e(caption)}"><figcaption>{_e(caption)}</figcaption></figure>')
    return f'<div class="hz-charts">{"".join(figures)}</div>' if figures else ""
