"""Plain-text rendering for the terminal (Chinese output, aligned columns)."""
from __future__ import annotations

import json
import unicodedata

from corpus.legal_text import fine_range
from corpus.model import effective_text
from retriever.citation import role_name


def json_text(data) -> str:
    """--json output: one document, Chinese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cut(text: str, width: int) -> str:
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            return out + "…"
        out, used = out + c, used + w
    return out


# Control characters (a newline or tab in a file name) would break a table row or a report line.
_CONTROL = {c: f"\\x{c:02x}" for c in range(32)} | {0x7f: "\\x7f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t"}


def one_line(text: str) -> str:
    """Text for one line of terminal output: control characters shown escaped (\\n), never acted on."""
    return text.translate(_CONTROL)


def table(headers: list[str], rows: list[list[str]], max_width: int = 40) -> str:
    cells = [[_cut(one_line(str(c if c is not None else "-")), max_width) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def doc_row(doc) -> dict:
    from corpus.views import doc_record

    return doc_record(doc)


def doc_table(rows: list[dict]) -> str:
    if not rows:
        return "知识库为空。用 hazkb ingest 文件或目录 导入法规。"
    body = table(["编号", "标题", "层级", "状态", "施行日期", "单元数", "来源"],
                 [[r["doc_id"], r["title"], r["level"], r["status"], r["effective"], str(r["units"]), r["source"]]
                  for r in rows])
    return f"{body}\n共 {len(rows)} 个文档"


def ingest_report(report) -> str:
    lines = [f"导入 {len(report.ingested)} 个，未变化 {len(report.unchanged)} 个，失败 {len(report.failed)} 个"]
    for e in report.ingested:
        lines.append(f"  ✓ {one_line(e['title'])}（{e['level']}，{e['units']} 个单元，编号 {e['doc_id']}）"
                     f"← {one_line(e['path'])}")
    for e in report.unchanged:
        lines.append(f"  = {one_line(e['path'])}：{one_line(e['reason'])}")
    for w in report.warnings:
        lines.append(f"  ! {one_line(w['path'])}：{one_line(w['warning'])}")
    if report.skipped:
        lines.append(f"  跳过不支持的文件 {len(report.skipped)} 个：" + "、".join(map(one_line, report.skipped[:5]))
                     + ("…" if len(report.skipped) > 5 else ""))
    return "\n".join(lines)


def quiz_import_report(report) -> str:
    """`hazkb quiz import`: counts, then every duplicate and rejected row with its place, and the warnings."""
    from quiz.bank_files import added_text

    lines = [report.summary()]
    for e in report.duplicates:
        added = added_text(e)
        lines.append(f"  + {_row_place(e)}：题库中已有（题目 {e['qid']}），已补充{added}" if added
                     else f"  = {_row_place(e)}：与题库中的题目 {e['qid']} 重复，未重复导入")
    lines += [f"  ✗ {_row_place(e)}：{e['reason']}" for e in report.rejected]
    lines += [f"  ! {w}" for w in report.warnings]
    return "\n".join(lines)


def _row_place(entry: dict) -> str:
    return (f"工作表“{entry['sheet']}”" if entry.get("sheet") else "") + f"第 {entry['row']} 行"


def failures(report) -> str:
    lines = [f"以下 {len(report.failed)} 个文件未导入（已导入的内容不受影响）："]
    lines += [f"  ✗ {one_line(e['path'])}：{one_line(e['reason'])}" for e in report.failed]
    return "\n".join(lines)


_HISTORY_REASONS = {"replaced": "被替换", "removed": "已删除"}


def history_table(entries: list[dict]) -> str:
    """`hazkb docs --history`: replaced and removed documents, newest first, with how to restore one."""
    if not entries:
        return "没有历史版本：还没有文档被替换或删除。"
    body = table(["历史编号", "文档编号", "标题", "版本", "单元数", "原因", "时间（UTC）", "原来源", "替换为"],
                 [[str(e["id"]), e["doc_id"], e["title"], e["version"], str(e["units"]),
                   _HISTORY_REASONS.get(e["reason"], e["reason"]), e["archived_at"], e["source"],
                   _replaced_by(e["replaced_by"])]
                  for e in entries])
    return f"{body}\n共 {len(entries)} 个历史版本；恢复其中一个：hazkb docs --restore 历史编号"


def _replaced_by(source: str | None) -> str | None:
    if source and source.startswith("history:"):
        return f"恢复的历史版本 {source.removeprefix('history:')}"
    return source


def restored(doc, archived: int | None) -> str:
    """`hazkb docs --restore`: what is back, and where the text it replaced went."""
    line = f"已恢复：{one_line(doc.title)}（编号 {doc.doc_id}，{doc.unit_count} 个单元，来源 {one_line(doc.source)}）"
    if archived is not None:
        line += f"；被它替换的文本已存入历史（历史编号 {archived}），可用 hazkb docs --restore {archived} 换回"
    return line


def article_text(data: dict) -> str:
    head = f"《{data['law']}》{data['article']}"
    meta = f"{data['level']} | {data['status']} | {effective_text(data['effective'], data.get('version'))}"
    lines = [head, meta]
    if data["path"]:
        lines.append(" / ".join(data["path"]))
    lines += ["", *data["paragraphs"], "", f"来源：{data['source']}"]
    if data.get("amendment"):
        lines.append(f"注：{data['amendment']}")
    for s in data.get("sanctions", []):
        rows = f"，由{'、'.join(s['rows'])}处罚" if s.get("rows") else ""
        lines.append(f"本条处罚的违法行为：违反《{s['law']}》{s['article']}（{s['how']}{rows}）")
    for p in data.get("penalties", []):
        item = f"\n    {p['item']}" if p.get("item") else ""
        lines.append(f"处罚依据：《{p['law']}》{p['article']}（{p['how']}）{item}")
    if data["cites"]:
        lines.append("引用：" + "；".join(
            f"《{c['law']}》{c['article']}" + ("" if c["in_corpus"] else "（不在知识库中）") for c in data["cites"]))
    if data["cited_by"]:
        lines.append("被引用：" + "；".join(f"《{c['law']}》{c['article']}" for c in data["cited_by"]))
    return "\n".join(lines)


def checks(items: list[dict]) -> str:
    marks = {"ok": "✓", "warn": "!", "off": "-", "error": "✗"}
    lines = []
    for c in items:
        lines.append(f"{marks.get(c['state'], '?')} {c['name']}：{c['detail']}")
        if c.get("fix"):
            lines.append(f"    修复：{c['fix']}")
    return "\n".join(lines)


def answer_text(answer) -> str:
    lines = [answer.summary]
    if answer.unit_type:
        lines.append(f"（按被检查单位类型“{answer.unit_type}”匹配）")
    if answer.items:  # a numbered record: item by item, then the copy block under the record's numbers
        for item in answer.items:
            lines += ["", f"==== 第{item.no}项：{item.text} ====", item.answer.answer]
            lines += _citation_lines(item.answer)
            lines += [f"注：{note}" for note in item.answer.notes if note not in answer.notes]
    else:
        lines += _citation_lines(answer)
    block = answer.enforcement_block()
    if block:
        lines += ["", "—— 执法依据（可复制，仅含“确定”的条文）——", block]
    elif not answer.abstained:
        lines += ["", "—— 没有“确定”的执法依据：以上均为待核对，请对照原文核对后再写入执法文书 ——"]
    for note in answer.notes:
        lines.append(f"注：{note}")
    return "\n".join(lines)


def _citation_lines(answer) -> list[str]:
    lines = []
    for c in answer.citations:
        lines.append("")
        mark = f"【{role_name(c.role, answer.finding)}·{c.confidence}】"
        lines.append(f"{mark}{c.cite()}  {c.level} | {c.status} | {effective_text(c.effective, c.version)}")
        if c.item:
            lines.append(f"  适用：{c.item}")
        if c.clause:
            lines.append(f"  处罚条款：{c.clause}")
        fine = fine_range(c.fine)
        if fine:
            lines.append(f"  罚款：{fine}" + (f"；执法部门：{c.department}" if c.department else ""))
        elif c.department:
            lines.append(f"  执法部门：{c.department}")
        for tier in c.tiers:
            label = "裁量基准（样例）" if tier.get("sample") else "裁量基准"
            parts = "，".join(p for p in (tier.get("level"), tier.get("condition"), tier.get("standard")) if p)
            lines.append(f"  {label}：{parts}（{tier.get('file')} 第{tier.get('line')}行）")
        if c.link:
            lines.append(f"  关联方式：{c.link}")
        if not c.item:
            lines += [f"  {p}" for p in c.text.split("\n")]
        lines.append(f"  来源：{c.source}")
        if c.row_id:
            lines.append(f"  违法行为库：{c.row_id}")
    return lines


def verify_text(checks) -> str:
    if not checks:
        return "文字中没有找到《法规名》第N条形式的引用。"
    lines = []
    for c in checks:
        mark = "✓" if c.ok and c.current else "✗"
        detail = "存在" if c.exists else "不存在"
        if c.exists:
            detail += "，现行" if c.current else "，非现行"
        if c.quote_matches is not None:
            detail += "，引文一致" if c.quote_matches else "，引文与原文不符"
        lines.append(f"{mark} 《{c.law}》{c.article}：{detail}" + (f"（{c.problem}）" if c.problem else ""))
    return "\n".join(lines)


def eval_report(report: dict) -> str:
    keys = ("hit@1", "hit@5", "hit@10", "mrr", "lenient_mrr")
    lines = [f"题数 {report['n']}"]
    rows = [["本系统", *[f"{report[k]:.3f}" for k in keys]]]
    for name, base in report.get("baselines", {}).items():
        rows.append([name, *[f"{base[k]:.3f}" for k in keys]])
    lines.append(table(["方法", *keys], rows))
    for name, base in report.get("baselines", {}).items():
        if base.get("mrr_ratio"):
            lines.append(f"MRR 本系统 / {name} = {base['mrr_ratio']:.2f}")
    lines.append("")
    lines.append(table(["类别", "题数", "hit@5", "mrr"],
                       [[c, str(v["n"]), f"{v['hit@5']:.2f}", f"{v['mrr']:.2f}"]
                        for c, v in report["by_category"].items()]))
    misses = [q for q in report["per_question"] if not q["rank"] or q["rank"] > 5]
    if misses:
        lines.append("")
        lines.append(f"未进前5的问题（{len(misses)}）：")
        lines += [f"  - {q['q']}  → 排名 {q['rank'] or '未命中'}" for q in misses[:20]]
    return "\n".join(lines)


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def quiz_eval_report(report: dict) -> str:
    lines = [f"{report['source']}：{report['n']} 题，与题库答案一致 {_pct(report['accuracy'])}"
             f"（作答方式：{report['solver']}）"]
    lines.append(table(["题型", "题数", "一致", "一致率"],
                       [[t, str(v["n"]), str(v["correct"]), _pct(v["accuracy"])]
                        for t, v in report["by_type"].items()]))
    methods = report.get("by_method", {})
    if methods.get("fallback"):
        lines.append(f"其中 {methods['fallback']['n']} 题在知识库中找不到依据，按最常见答案作答"
                     f"（一致率 {_pct(methods['fallback']['accuracy'])}）；"
                     f"有条文依据的 {methods.get('evidence', {}).get('n', 0)} 题一致率 "
                     f"{_pct(methods.get('evidence', {}).get('accuracy'))}")
    shown = [d for d in report["disagreements"] if d.get("method") != "fallback"][:10]
    if shown:
        lines.append("")
        lines.append(f"有条文依据但与题库答案不一致的题（共 {len(report['disagreements'])} 题不一致，"
                     f"列出 {len(shown)} 题；可能是系统答错，也可能是题库答案已过时）：")
        for d in shown:
            lines.append(f"  - {d['stem']}  题库 {d['key']} / 系统 {d['system']}")
            for reason in d.get("reasons") or []:
                lines.append(f"      理由：{reason}")
            for e in d["evidence"][:1]:
                lines.append(f"      依据：《{e['law']}》{e['article']}：{e['text'][:100]}")
    return "\n".join(lines)


def trust_report(report: dict) -> str:
    c, inv = report["citations"], report["invented"]
    return "\n".join([
        f"回答 {c['answers']} 个，引用 {c['citations']} 条：",
        f"  条文存在且原文一致 {_pct(c['exists'])}；现行有效 {_pct(c['current'])}；"
        f"在检索命中中 {_pct(c['in_search_hits'])}；在检索来源中（含关联罚则）{_pct(c['in_sources'])}",
        f"编造引用（假大模型，{inv['answers']} 个回答）：识别并删除 {inv['caught']}/{inv['invented']}"
        f"（{_pct(inv['caught_share'])}）；"
        f"真实引用保留 {inv['real_kept']}/{inv['real']}（{_pct(inv['real_kept_share'])}）",
        *[f"  ✗ {p['citation']}：{p['problem']}（{p['q']}）" for p in c["problems"][:10]],
    ])


def report_paths(paths: dict, results: dict) -> str:
    lines = [f"评测报告已写入 {paths['dir']}：", f"  {paths['markdown']}", f"  {paths['html']}",
             f"  {paths['json']}", *[f"  {c}" for c in paths["charts"]]]
    if not paths.get("cjk_font"):
        lines.append("注：本机没有中文字体，图表使用英文标签；安装 fonts-wqy-microhei 后可显示中文。")
    r = results.get("retrieval") or {}
    if r:
        lines.append(f"检索：hit@1 {r['hit@1']:.3f}，hit@5 {r['hit@5']:.3f}，MRR {r['mrr']:.3f}，"
                     f"宽松 MRR {r['lenient_mrr']:.3f}")
    held = results.get("held_out") or {}
    if held:
        lines.append(f"留出集（{held['n']} 题，未用于调参）：hit@1 {held['hit@1']:.3f}，hit@5 {held['hit@5']:.3f}，"
                     f"MRR {held['mrr']:.3f}，宽松 MRR {held['lenient_mrr']:.3f}")
    for q in results.get("quiz") or []:
        lines.append(f"作答：{q['source']} {_pct(q['accuracy'])}（" + "，".join(
            f"{t} {_pct(v['accuracy'])}" for t, v in q["by_type"].items()) + "）")
    return "\n".join(lines)


def fine_cell(fine) -> str:
    """A fine in a table cell or field: its range, "-" for none."""
    return fine_range(fine) or "-"


def violation_table(records: list[dict]) -> str:
    """`hazkb violations search/list`: one line per row."""
    rows = [[r.get("confidence", ""), r["cite"], r["behaviour"], r["subject"], fine_cell(r["fine"]),
             r["department"] or "-", r["id"]] for r in records]
    headers = ["把握", "处罚依据", "违法行为", "主体", "罚款", "执法部门", "编号"]
    if not any(r.get("confidence") for r in records):
        headers, rows = headers[1:], [r[1:] for r in rows]
    return f"{table(headers, rows, max_width=36)}\n共 {len(records)} 条"


def violation_detail(r: dict) -> str:
    """`hazkb violations show`: both quotes, the obligations and how each was linked."""
    lines = [f"{r['cite']}（{r['id']}）", f"违法行为：{r['behaviour']}", f"违法主体：{r['subject']}",
             f"处罚依据（项）：{r['penalty']['quote']}"]
    if r["penalty"]["clause"] != r["penalty"]["quote"]:
        lines.append(f"处罚条款（款）：{r['penalty']['clause']}")
    lines.append(f"罚款：{fine_cell(r['fine'])}；处罚种类：{'、'.join(r['sanctions']) or '-'}；"
                 f"执法部门：{r['department'] or '-'}")
    if r["referral"]:
        to = r.get("referred")
        lines.append(f"转致：依照{r['referral']}处罚"
                     + (f"，即{to['cite']}（{to['link_name']}：{to['evidence']}）" if to else ""))
    if not r["obligations"]:
        lines.append("违法依据：无单独的义务条款（该项本身即规定）")
    for o in r["obligations"]:
        lines.append(f"违法依据：{o['cite']}（{o['link_name']}：{o['evidence']}）")
        if o["quote"]:
            lines.append(f"  {o['quote']}")
    return "\n".join(lines)


ANSWER_METRIC_LABELS = (
    ("gold_penalty_cited", "处罚依据中含正确条文"), ("first_firm_penalty_wrong", "首个确定处罚依据错误（占全部答案）"),
    ("first_firm_penalty_wrong_not_alt", "首个确定处罚依据错误且不是备选条文（占全部答案）"),
    ("first_firm_penalty_wrong_of_firm", "首个确定处罚依据错误（占有确定处罚依据的答案）"),
    ("first_firm_item_wrong", "首个确定处罚依据条文对、项（款）错（占全部答案）"),
    ("item_accuracy", "项正确率（条文正确时）"), ("firm_penalty_share", "有确定处罚依据的答案"),
    ("violation_precision", "违法依据精确率"), ("violation_recall", "违法依据召回率"),
    ("penalty_precision", "处罚依据精确率"), ("penalty_recall", "处罚依据召回率"), ("abstention", "拒答率"),
)


def answer_eval_report(report: dict) -> str:
    """`hazkb eval answers`: the figures, then each answer that went wrong with what it cited."""
    def pct(v) -> str:
        return "-" if v is None else f"{v:.1%}"

    lines = [f"题数 {report['n']}（有处罚依据 {report['with_gold_penalty']}，有项 {report['with_item']}）"]
    lines.append(table(["指标", "数值"], [[label, pct(report.get(key))] for key, label in ANSWER_METRIC_LABELS]))
    wrong = [q for q in report.get("per_question", [])
             if q["first_firm_wrong"] or q["item_right"] is False
             or (q["has_gold_penalty"] and not q["gold_penalty_cited"])]
    if wrong:
        lines.append("\n需要检查的答案：")
        for q in wrong:
            why = "；".join(w for w, bad in (("首个确定处罚依据错误", q["first_firm_wrong"]),
                                            ("项不对", q["item_right"] is False),
                                            ("未引用正确处罚条文",
                                             q["has_gold_penalty"] and not q["gold_penalty_cited"])) if bad)
            lines.append(f"  [{q['id']}] {q['q']}（{why}）")
            lines += [f"      {c}" for c in q["cited"][:4]]
    return "\n".join(lines)
