"""HTML and table rows for the 现场考试, 题库与组卷 and 评测 tabs.

Pure presentation over library results (Exam / public views, ImportReport, GenerationReport, Question, Paper,
evaluation results). The examinee's screen is built from `Exam.public_view()` only: nothing here that renders a
sheet in progress reads a key, an explanation or a basis.
"""
from __future__ import annotations

import base64
import json
import uuid
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


def exam_head(view: dict, resume_key: str = "") -> str:
    """Title, examinee and rules, from Exam.public_view(). `resume_key` goes to this browser's storage (with the
    exam id in the address) so that a reload or a server restart brings the sheet back (see CONNECTION_JS)."""
    paper = view["paper"]
    counts = "、".join(f"{t} {n} 题" for t, n in paper["counts"].items())
    total = len(paper["items"])
    return (
        f'<div class="hz-exam-head" data-exam="{_e(view["exam_id"])}" data-resume-key="{_e(resume_key)}">'
        f'<div class="hz-exam-title">{_e(paper["title"])}</div>'
        f'<div class="hz-exam-who">{_e(view["person"])} · {_e(view["role"])} · {_e(view["enterprise"])}</div>'
        f'<div class="hz-exam-rule">共 {total} 题（{_e(counts)}），满分 {_num(paper["total_points"])} 分，'
        f'{_num(paper["pass_mark"])} 分合格，限时 {paper["time_limit"]} 分钟。{_e(paper["instructions"])}</div>'
        f'<div class="hz-exam-id">考试编号 <b>{_e(view["exam_id"])}</b>：每题作答后自动保存，计时以服务器为准。'
        "刷新页面或服务器重启后，本机会自动回到这份试卷；换用其他设备时，可在“继续未交卷的考试”中"
        "凭考试编号和身份证号继续作答。</div></div>"
    )


def timer_html(exam_id: str, remaining: int) -> str:
    """The countdown: the page's script counts down from `data-remaining` (seconds when this was sent; each saved
    answer sends the server's figure again). While the server cannot be reached the label says it is an estimate."""
    return (f'<div class="hz-timer" data-exam="{_e(exam_id)}" data-remaining="{int(remaining)}">'
            '<span class="hz-timer-label">剩余时间<span class="hz-offline-only">（约）</span></span>'
            f'<span class="hz-timer-text">{mmss(remaining)}</span></div>')


# Counts down every .hz-timer on the page (from `data-remaining`, again whenever it changes); at zero it says so
# and presses the (hidden) 时间到 button once, unless the server cannot be reached (then once it can).
TIMER_JS = """
if (!window.hzTimer) {
  window.hzTimer = {deadlines: {}, fired: {}};
  setInterval(() => {
    const state = window.hzTimer;
    const offline = document.body.classList.contains('hz-offline');
    document.querySelectorAll('.hz-timer[data-exam]').forEach((el) => {
      const exam = el.dataset.exam, key = exam + ':' + el.dataset.remaining;
      if (!(key in state.deadlines)) state.deadlines[key] = Date.now() + 1000 * Number(el.dataset.remaining);
      const left = Math.max(0, Math.round((state.deadlines[key] - Date.now()) / 1000));
      const text = el.querySelector('.hz-timer-text');
      const shown = left > 0
        ? String(Math.floor(left / 60)).padStart(2, '0') + ':' + String(left % 60).padStart(2, '0')
        : (offline ? '时间到，连接恢复后交卷' : '时间到，正在交卷');
      if (text && text.textContent !== shown) text.textContent = shown;
      el.classList.toggle('hz-timer-low', left <= 300);
      if (left === 0 && !offline && !state.fired[exam] && el.getClientRects().length > 0) {
        const button = document.getElementById('exam-timeout');
        if (button) { state.fired[exam] = true; button.click(); }
      }
    });
  }, 500);
}
"""

# What the page sends with a page load, 继续考试 and the retry of unsaved answers (as the last input of the
# event, the hidden #exam-client box): the exam in the address (or, on a plain visit, the one this browser
# kept), its resume key, and the answers this browser holds that the server has not confirmed, by exam.
CLIENT_JS = """
(...args) => {
  const read = (name) => { try { return JSON.parse(localStorage.getItem(name)) || {}; } catch (e) { return {}; } };
  const params = new URLSearchParams(location.search);
  const stored = read('hz-exam');
  let exam = params.get('exam') || '';
  const address = !!exam;
  if (!exam && stored.exam && !params.has('row') && !params.has('unit')) exam = stored.exam;
  const pending = {};
  for (const [id, items] of Object.entries(read('hz-pending'))) {
    pending[id] = Object.fromEntries(Object.entries(items || {}).map(([p, v]) => [p, (v && v.l) || '']));
  }
  const key = (stored.keys || {})[exam] || '';
  args[args.length - 1] = JSON.stringify({exam, address, key, pending});
  return args;
}
"""

# Installed once per page (js_on_load of #hz-conn). It
# - keeps the exam on the screen in the address (?exam=ID) and in localStorage ({exam: the last one, keys: resume
#   key by exam}), and forgets it once the result is shown (or the server says it is gone);
# - notes every answer tapped on the sheet as unsaved (localStorage, by exam) until the server's stored answers
#   (the status bar's data-confirm, sent with every save) hold the same letters; unsaved items are marked on their
#   cards and in a strip above the status bar, whose "已保存" line is hidden meanwhile; the server's refusals
#   (data-refused, e.g. after the time limit) are marked too and not retried;
# - resends unconfirmed answers (the hidden #exam-retry button) a few seconds after they were tapped, and at once
#   when the server answers again; the server's remaining time in each confirmation resets the countdown;
# - asks gradio_api/app_id every few seconds: no answer -> a Chinese banner (gradio's English toast is hidden);
#   a different app id -> the server restarted, so the page reloads (the sheet comes back from the address).
CONNECTION_JS = r"""
(() => {
  if (window.hzConn) return;
  const EXAM = 'hz-exam', PENDING = 'hz-pending', RELOADED = 'hz-reloaded-at';
  const RETRY_AFTER = 6000, RETRY_EVERY = 8000;
  const read = (name, fallback) => {
    try { return JSON.parse(localStorage.getItem(name)) || fallback; } catch (e) { return fallback; }
  };
  const write = (name, value) => {
    try {
      if (value === null) localStorage.removeItem(name); else localStorage.setItem(name, JSON.stringify(value));
    } catch (e) { /* no storage: unsaved answers live in this page only */ }
  };
  const config = window.gradio_config || {};
  const conn = window.hzConn = {online: true, gradioLost: false, appId: config.app_id ? String(config.app_id) : null,
                                pending: read(PENDING, {}), refused: {}, seen: null, retryAt: 0};
  const banner = document.createElement('div');
  banner.id = 'hz-offline';
  banner.setAttribute('role', 'alert');
  banner.hidden = true;
  document.body.appendChild(banner);
  const note = document.createElement('div');
  note.id = 'hz-unsaved';
  note.setAttribute('aria-live', 'polite');
  note.hidden = true;
  document.body.appendChild(note);

  const head = () => document.querySelector('#exam-head .hz-exam-head[data-exam]');
  const currentExam = () => { const h = head(); return h ? h.dataset.exam : null; };
  const visible = (el) => !!el && el.getClientRects().length > 0;
  const parse = (text) => { try { return JSON.parse(text || '{}') || {}; } catch (e) { return {}; } };
  const base = () => {
    const root = config.root && /^https?:/.test(config.root) ? config.root : document.baseURI;
    return root.endsWith('/') ? root : root + '/';
  };
  const savePending = () => write(PENDING, Object.keys(conn.pending).length ? conn.pending : null);

  function remember(exam, key) {
    const url = new URL(location.href);
    if (url.searchParams.get('exam') !== exam) {
      url.searchParams.set('exam', exam);
      history.replaceState(history.state, '', url.href);
    }
    const stored = read(EXAM, {});
    const keys = stored.keys || {};
    if (stored.exam === exam && (!key || keys[exam] === key)) return;
    if (key) keys[exam] = key;
    write(EXAM, {exam, keys});
  }
  function forget(exam) {
    const url = new URL(location.href);
    if (url.searchParams.get('exam') === exam) {
      url.searchParams.delete('exam');
      history.replaceState(history.state, '', url.href);
    }
    const stored = read(EXAM, {});
    const keys = stored.keys || {};
    if (stored.exam === exam || exam in keys) {
      delete keys[exam];
      const last = stored.exam === exam ? '' : stored.exam;
      write(EXAM, last || Object.keys(keys).length ? {exam: last, keys} : null);
    }
    if (conn.pending[exam]) { delete conn.pending[exam]; savePending(); }
  }
  function reloadOnce() {
    const last = Number(sessionStorage.getItem(RELOADED) || 0);
    if (Date.now() - last < 15000) return;
    sessionStorage.setItem(RELOADED, String(Date.now()));
    location.reload();
  }
  function letters(box) {
    return [...box.querySelectorAll('input')].filter((i) => i.checked).map((i) => {
      const own = i.type === 'radio' ? i.value : i.name;
      if (/^[A-H]$/.test(own || '')) return own;
      const label = i.closest('label');
      const m = label ? /^\s*([A-H])[.．]/.exec(label.textContent || '') : null;
      return m ? m[1] : '';
    }).sort().join('');
  }

  document.addEventListener('change', (event) => {
    const box = event.target && event.target.closest ? event.target.closest('fieldset[id^="exam-q"]') : null;
    const exam = currentExam();
    if (!box || !exam) return;
    const position = box.id.slice('exam-q'.length);
    (conn.pending[exam] = conn.pending[exam] || {})[position] = {l: letters(box), t: Date.now()};
    delete conn.refused[exam + ':' + position];
    savePending();
    paint();
  }, true);

  function confirmations() {
    const bar = document.querySelector('#exam-saved [data-at]');
    if (!bar || bar.dataset.at === conn.seen) return;
    conn.seen = bar.dataset.at;
    if (bar.dataset.lost) { if (new URLSearchParams(location.search).get('exam')) reloadOnce(); return; }
    const exam = bar.dataset.exam;
    const mine = conn.pending[exam] || {};
    const stored = parse(bar.dataset.confirm);  // every answer the server holds for this exam
    for (const position of Object.keys(mine)) {
      if (mine[position].l === (stored[position] || '')) delete mine[position];
    }
    for (const position of Object.keys(stored)) delete conn.refused[exam + ':' + position];
    for (const [position, reason] of Object.entries(parse(bar.dataset.refused))) {
      delete mine[position];
      conn.refused[exam + ':' + position] = reason;
    }
    if (conn.pending[exam] && !Object.keys(mine).length) delete conn.pending[exam];
    savePending();
    const timer = document.querySelector('.hz-timer[data-exam="' + CSS.escape(exam || '') + '"]');
    const remaining = bar.dataset.remaining;
    if (timer && remaining !== undefined && timer.dataset.remaining !== remaining) timer.dataset.remaining = remaining;
  }

  function paint() {
    const exam = currentExam();
    const mine = (exam && conn.pending[exam]) || {};
    const waiting = Object.keys(mine).map(Number).sort((a, b) => a - b);
    document.querySelectorAll('fieldset[id^="exam-q"]').forEach((box) => {
      const position = box.id.slice('exam-q'.length);
      const card = box.closest('.hz-qcard') || box;
      const unsaved = position in mine, refused = !unsaved && (exam + ':' + position) in conn.refused;
      if (card.classList.contains('hz-unsaved') !== unsaved) card.classList.toggle('hz-unsaved', unsaved);
      if (card.classList.contains('hz-refused') !== refused) card.classList.toggle('hz-refused', refused);
    });
    const offline = !conn.online || conn.gradioLost;
    document.body.classList.toggle('hz-has-unsaved', waiting.length > 0);
    document.body.classList.toggle('hz-offline', offline);
    const message = !offline ? '' : (conn.online
      ? '连接已恢复，正在重新载入页面……'
      : '与服务器的连接已中断，正在自动重新连接……' + (exam
        ? '已作答但尚未保存的题目记在本机，连接恢复后自动提交，请不要关闭本页；剩余时间以服务器为准。'
        : '请稍候，连接恢复后即可继续操作。'));
    if (banner.textContent !== message) banner.textContent = message;
    banner.hidden = !message;
    const text = !waiting.length ? '' : '第 ' + waiting.join('、') + ' 题尚未保存：'
      + (offline ? '连接恢复后自动提交，请不要关闭本页' : '正在重新提交……');
    if (note.textContent !== text) note.textContent = text;
    note.hidden = !text || !visible(head());
  }

  function retry() {
    const exam = currentExam();
    const mine = exam && conn.pending[exam];
    if (!mine || !conn.online || conn.gradioLost || Date.now() < conn.retryAt) return;
    if (!Object.values(mine).some((p) => Date.now() - (p.t || 0) > RETRY_AFTER)) return;
    const button = document.getElementById('exam-retry');
    if (!button) return;
    conn.retryAt = Date.now() + RETRY_EVERY;
    button.click();
  }

  function quietGradio() {
    document.querySelectorAll('[data-testid="toast-body"]').forEach((toast) => {
      if (/Connection (to the server was lost|Lost)/i.test(toast.textContent || '')) {
        if (toast.style.display !== 'none') toast.style.display = 'none';
        if (!conn.gradioLost) { conn.gradioLost = true; conn.online = false; schedule(0); }
      }
    });
  }

  function tick() {
    quietGradio();
    const done = document.querySelector('#exam-result-view .hz-result[data-exam]');
    if (done) forget(done.dataset.exam);
    document.querySelectorAll('[data-forget-exam]').forEach((el) => forget(el.dataset.forgetExam));
    const h = head();
    if (h && !(done && done.dataset.exam === h.dataset.exam)) remember(h.dataset.exam, h.dataset.resumeKey);
    confirmations();
    paint();
    retry();
  }

  let beatTimer = null, beating = false;
  function schedule(ms) { clearTimeout(beatTimer); beatTimer = setTimeout(beat, ms); }
  async function beat() {
    if (beating) return;
    beating = true;
    let answer = null;
    const stop = new AbortController();
    const limit = setTimeout(() => stop.abort(), 6000);
    try {
      const response = await fetch(base() + 'gradio_api/app_id', {cache: 'no-store', signal: stop.signal});
      if (response.ok) answer = String((await response.json()).app_id);  // a number: rounded as the config's is
    } catch (e) { answer = null; }
    clearTimeout(limit);
    if (answer === null) {
      conn.online = false;
    } else {
      const was = conn.online;
      if (conn.appId === null) conn.appId = answer;
      conn.online = true;
      if (answer !== conn.appId) {
        if (currentExam() || Object.keys(conn.pending).length) reloadOnce();
        conn.appId = answer;
      } else if (!was) {
        conn.retryAt = 0;
      }
    }
    beating = false;
    paint();
    schedule(!conn.online ? 2000 : (currentExam() ? 5000 : 15000));
  }

  new MutationObserver(() => {
    if (document.querySelector('[data-testid="toast-body"]')) quietGradio();
  }).observe(document.body, {childList: true, subtree: true});
  setInterval(tick, 400);
  beat();
})();
"""


def restore_html(view: dict) -> str:
    """The exam a page load found in this browser, for the examinee to confirm with the ID number."""
    total = len(view["paper"]["items"])
    left = int(view["remaining_seconds"])
    time_left = (f"剩余时间 {mmss(left)}（以服务器时间为准）" if left > 0
                 else "作答时间已到：继续后按已保存的答案交卷并评分")
    return (f'<div class="hz-restore" data-exam="{_e(view["exam_id"])}">'
            f'<div class="hz-exam-title">继续未交卷的考试</div>'
            f'<div class="hz-exam-who">{_e(view["person"])} · {_e(view["role"])} · {_e(view["enterprise"])}</div>'
            f'<div class="hz-exam-rule">考试编号 {_e(view["exam_id"])}，已答 {len(view["answers"])} / {total} 题，'
            f"{time_left}。</div>"
            + notice("请输入考生的身份证号（考生没有身份证号时勾选“无身份证号”），再点“继续考试”。"
                     "不是这位考生的考试时，点“返回考试登记”。", "info") + "</div>")


def forget_marker(exam_id: str) -> str:
    """Tells the page's script to drop `exam_id` from the address and this browser's storage."""
    return f'<span class="hz-forget" data-forget-exam="{_e(exam_id)}" hidden></span>'


def item_label(item: dict) -> str:
    return f"{item['position']}. {item['stem']}"


def item_info(item: dict) -> str:
    kind = "多选，选两个或以上" if item["qtype"] == "多选" else item["qtype"]
    return f"{kind} · {_num(item['points'])} 分"


def item_choices(item: dict) -> list[tuple[str, str]]:
    return [(f"{o['letter']}. {o['text']}", o["letter"]) for o in item["options"]]


def saved_html(exam_id: str, stored: dict, total: int, saved: dict[int, str] | None = None,
               refused: dict[int, str] | None = None, remaining: int | None = None) -> str:
    """The status bar under the sheet: what was just saved (`saved`) or refused, and how many are answered. Its data
    attributes are the server's confirmation for the page's script: data-confirm holds every answer the server
    has stored for this exam ({position: letters}, so a confirmation the page missed is made good by the next),
    data-refused {position: why}, data-remaining the seconds left by the server's clock; data-at tells one response
    from the next."""
    saved, refused = saved or {}, refused or {}
    if refused:
        first = min(refused)
        others = [str(p) for p in sorted(refused) if p != first]
        what = (f"✗ 第 {first} 题未保存：{_e(refused[first])}"
                + (f"（第 {'、'.join(others)} 题同样未保存）" if others else ""))
    elif len(saved) == 1:
        position, letters = next(iter(saved.items()))
        what = f"✓ 第 {position} 题已保存（{_e(letters)}）" if letters else f"✓ 第 {position} 题已清除作答"
    elif saved:
        what = f"✓ 第 {'、'.join(str(p) for p in sorted(saved))} 题已保存（连接中断时本机暂存的答案）"
    else:
        what = "每题作答后自动保存"
    answers = {str(p): v for p, v in stored.items() if v}
    data = {"exam": exam_id, "at": uuid.uuid4().hex[:12], "confirm": json.dumps(answers, ensure_ascii=False),
            "refused": json.dumps({str(p): v for p, v in refused.items()}, ensure_ascii=False)}
    if remaining is not None:
        data["remaining"] = str(int(remaining))
    attrs = " ".join(f'data-{k}="{_e(v)}"' for k, v in data.items())
    kind = " hz-saved-error" if refused else ""
    return (f'<div class="hz-saved{kind}" data-answered="{len(answers)}" data-total="{total}" {attrs}>'
            f'<span class="hz-saved-what">{what}</span>'
            f'<span class="hz-saved-count">已答 {len(answers)} / {total} 题</span></div>')


def lost_html() -> str:
    """The session no longer knows its exam (the server restarted): the page's script reloads the sheet."""
    return (f'<div class="hz-saved hz-saved-error" data-lost="1" data-at="{uuid.uuid4().hex[:12]}">'
            '<span class="hz-saved-what">本页与服务器的会话已失效（服务器可能已重启），正在重新载入试卷……'
            "如未自动载入，请刷新页面。</span></div>")


# -- 现场考试: after submission (keys, explanations, bases) -------------------------------------------------


def result_head_html(exam: Exam) -> str:
    """The graded exam's score card: score, verdict, who, when."""
    result = exam.result
    if result is None:
        return notice("本场考试尚未交卷。", "info")
    verdict, kind = ("合格", "pass") if exam.passed else ("不合格", "fail")
    return (
        f'<div class="hz-result hz-{kind}" data-exam="{_e(exam.exam_id)}" data-score="{_num(exam.score)}" '
        f'data-passed="{int(bool(exam.passed))}">'
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
