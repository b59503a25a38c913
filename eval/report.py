"""Write the evaluation results (eval.run_all) as report.md and report.html with PNG charts (matplotlib, Agg).

Chinese chart labels need a CJK font (fonts-wqy-microhei or fonts-noto-cjk on Debian); without one the charts
use ASCII labels (categories become C1, C2, … with a legend table in the report) so they still render.
"""
from __future__ import annotations

import html
import json
import logging
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

log = logging.getLogger(__name__)

METRICS = ("hit@1", "hit@5", "hit@10", "mrr", "lenient_mrr")
METRIC_LABELS = {"hit@1": "hit@1", "hit@5": "hit@5", "hit@10": "hit@10", "mrr": "MRR", "lenient_mrr": "宽松 MRR"}
METRIC_ASCII = {"lenient_mrr": "lenient MRR"}
SYSTEM = "本系统"
QTYPES = ("判断", "单选", "多选")
QTYPE_ASCII = {"判断": "true/false", "单选": "single", "多选": "multiple", "总体": "overall"}
KNOWN_CJK = ("Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "SimHei", "Microsoft YaHei", "PingFang",
             "Heiti", "AR PL", "Droid Sans Fallback", "Unifont")
N_HARDEST = 15


def cjk_font() -> str | None:
    """The name of a font that can draw Chinese, registering fontconfig's when matplotlib's cache lacks it."""
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if any(k.lower() in font.name.lower() for k in KNOWN_CJK):
            return font.name
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in listing.splitlines():
        path = line.split(":", 1)[0].strip()
        if not path:
            continue
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def _num(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _key(key) -> str:
    law, article = key
    return f"《{law}》{article}"


# -- document model: rendered both as Markdown and as HTML -----------------------------------------


@dataclass
class Doc:
    blocks: list[tuple] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", level, text))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, headers: list[str], rows: list[list]) -> None:
        self.blocks.append(("table", headers, [[str(c) for c in r] for r in rows]))

    def img(self, name: str, caption: str) -> None:
        self.blocks.append(("img", name, caption))

    def items(self, lines: list[str]) -> None:
        self.blocks.append(("ul", lines))

    def markdown(self) -> str:
        out = []
        for block in self.blocks:
            kind = block[0]
            if kind == "h":
                out.append("#" * block[1] + " " + block[2])
            elif kind == "p":
                out.append(block[1])
            elif kind == "table":
                headers, rows = block[1], block[2]
                cell = lambda c: c.replace("|", "\\|").replace("\n", " ")  # noqa: E731
                out.append("\n".join(["| " + " | ".join(cell(h) for h in headers) + " |",
                                      "|" + "---|" * len(headers)]
                                     + ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]))
            elif kind == "img":
                out.append(f"![{block[2]}]({block[1]})")
            elif kind == "ul":
                out.append("\n".join(f"- {line}" for line in block[1]))
        return "\n\n".join(out) + "\n"

    def html(self, title: str) -> str:
        esc = html.escape
        body = []
        for block in self.blocks:
            kind = block[0]
            if kind == "h":
                body.append(f"<h{block[1]}>{esc(block[2])}</h{block[1]}>")
            elif kind == "p":
                body.append(f"<p>{esc(block[1])}</p>")
            elif kind == "table":
                head = "".join(f"<th>{esc(h)}</th>" for h in block[1])
                rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in block[2])
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            elif kind == "img":
                body.append(f'<figure><img src="{esc(block[1])}" alt="{esc(block[2])}">'
                            f"<figcaption>{esc(block[2])}</figcaption></figure>")
            elif kind == "ul":
                body.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in block[1]) + "</ul>")
        style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.5}"
                 "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
                 "vertical-align:top}th{background:#f3f3f3}img{max-width:100%}figcaption{color:#555}")
        return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>'
                f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


# -- charts -----------------------------------------------------------------------------------------


class Charts:
    """PNG charts; Chinese labels when a CJK font is present, ASCII ones otherwise."""

    def __init__(self, out: Path, cjk: bool | None = None):
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot

        self.plt = pyplot
        self.out = out
        font = cjk_font() if cjk is not False else None
        self.cjk = font is not None
        self.rc: dict[RcKeyType, Any] = {"font.sans-serif": [font, "DejaVu Sans"], "font.family": "sans-serif",
                                         "axes.unicode_minus": False} if font else {}
        self.files: list[str] = []

    def label(self, zh: str, ascii_text: str) -> str:
        return zh if self.cjk else ascii_text

    def bars(self, name: str, title: str, groups: list[str], series: Mapping[str, Sequence[float | None]],
             ylabel: str, horizontal: bool = False, ylim: float | None = 1.0) -> str:
        """Grouped bars, one series per label; a missing value (None) draws as 0."""
        import numpy as np

        with self.plt.rc_context(self.rc):
            n = max(len(series), 1)
            width = 0.8 / n
            size: tuple[float, float]
            if horizontal:
                size = (9, max(3.5, 0.45 * len(groups) * max(1, n / 2)))
            else:
                size = (max(6, 1.1 * len(groups) * n / 2 + 3), 4.5)
            fig, ax = self.plt.subplots(figsize=size)
            x = np.arange(len(groups))
            for i, (label, values) in enumerate(series.items()):
                pos = x + (i - (n - 1) / 2) * width
                heights = [0.0 if v is None else v for v in values]
                if horizontal:
                    ax.barh(pos, heights, height=width, label=label)
                else:
                    bars = ax.bar(pos, heights, width=width, label=label)
                    if len(groups) * n <= 24:
                        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
            if horizontal:
                ax.set_yticks(x, groups)
                ax.invert_yaxis()
                ax.set_xlabel(ylabel)
                if ylim:
                    ax.set_xlim(0, ylim)
            else:
                ax.set_xticks(x, groups, rotation=20 if len(groups) > 5 else 0)
                ax.set_ylabel(ylabel)
                if ylim:
                    ax.set_ylim(0, ylim * 1.08)
            ax.set_title(title)
            if len(series) > 1:
                if horizontal:
                    ax.legend(fontsize=8, loc="lower right")
                else:
                    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
            ax.grid(axis="x" if horizontal else "y", alpha=0.3)
            fig.tight_layout()
            path = self.out / name
            fig.savefig(path, dpi=110)
            self.plt.close(fig)
        self.files.append(name)
        return name


# -- the report -------------------------------------------------------------------------------------


def hardest(per_question: list[dict], n: int = N_HARDEST) -> list[dict]:
    """Questions whose gold article came last or not at all (lenient rank breaks ties)."""
    missed = [q for q in per_question if not q["rank"] or q["rank"] > 5]
    return sorted(missed, key=lambda q: (-(q["rank"] or 999), -(q["lenient_rank"] or 999)))[:n]


def _retrieval(doc: Doc, charts: Charts, retrieval: dict) -> None:
    doc.h(2, "一、检索准确率（执法问答评测集）")
    baselines = retrieval.get("baselines") or {}
    rows = [[SYSTEM, *[_num(retrieval[m]) for m in METRICS]]]
    rows += [[name, *[_num(base[m]) for m in METRICS]] for name, base in baselines.items()]
    doc.p(f"题数 {retrieval['n']}。hit@k：首选依据（gold）出现在前 k 条；MRR：首选依据排名倒数的平均；"
          "宽松 MRR：gold 或等价条文（alt）均算对。基线为同一语料上的朴素 BM25（字二元组、jieba 分词）。")
    doc.table(["方法", *[METRIC_LABELS[m] for m in METRICS]], rows)
    if baselines:
        doc.p("；".join(f"MRR 本系统 / {name} = {base['mrr_ratio']:.2f}" for name, base in baselines.items()
                       if base.get("mrr_ratio")))
    series = {charts.label(SYSTEM, "system"): [retrieval[m] for m in METRICS]}
    series.update({name: [base[m] for m in METRICS] for name, base in baselines.items()})
    labels = [charts.label(METRIC_LABELS[m], METRIC_ASCII.get(m, METRIC_LABELS[m])) for m in METRICS]
    doc.img(charts.bars("retrieval.png", charts.label("检索指标：本系统与基线", "Retrieval: system vs baselines"),
                        labels, series, charts.label("得分", "score")), "检索指标：本系统与基线")

    categories = list(retrieval["by_category"])
    doc.h(3, "分类别")
    rows = []
    for i, cat in enumerate(categories):
        v = retrieval["by_category"][cat]
        row = [cat if charts.cjk else f"{cat}（C{i + 1}）", v["n"], _num(v["hit@5"]), _num(v["mrr"]),
               _num(v["lenient_mrr"])]
        row += [_num(base["by_category"].get(cat, {}).get("mrr")) for base in baselines.values()]
        rows.append(row)
    doc.table(["类别", "题数", "hit@5", "MRR", "宽松 MRR", *[f"{name} MRR" for name in baselines]], rows)
    names = [c if charts.cjk else f"C{i + 1}" for i, c in enumerate(categories)]
    series = {charts.label(SYSTEM, "system"): [retrieval["by_category"][c]["mrr"] for c in categories]}
    series.update({name: [base["by_category"].get(c, {}).get("mrr") for c in categories]
                   for name, base in baselines.items()})
    doc.img(charts.bars("categories.png", charts.label("各类别 MRR", "MRR by category"), names, series, "MRR",
                        horizontal=True), "各类别 MRR")

    hard = hardest(retrieval.get("per_question", []))
    if hard:
        missed = sum(1 for q in retrieval["per_question"] if not q["rank"] or q["rank"] > 5)
        doc.h(3, f"最难的问题（首选依据未进前 5，共 {missed} 题，列出 {len(hard)} 题）")
        doc.table(["问题", "类别", "首选依据", "排名", "宽松排名", "实际返回（前 3）"],
                  [[q["q"], q["category"], "；".join(_key(g) for g in q["gold"]), q["rank"] or "未命中",
                    q["lenient_rank"] or "未命中", "；".join(_key(t) for t in q["top"][:3])] for q in hard])


def _held_out(doc: Doc, results: dict) -> None:
    held, dev = results.get("held_out"), results.get("retrieval") or {}
    if not held:
        return
    doc.h(3, "留出集（盲写，未用于调参）")
    doc.p(f"{held['n']} 道新问题，由另一位作者对照原文写出条文答案，写作时没有运行本系统，调参时也没有查看单题结果。"
          "它衡量的是对没见过的问法的泛化能力；与上表的差距说明同义词表和权重在一定程度上贴合了主评测集。")
    rows = [["主评测集", *[_num(dev.get(m)) for m in METRICS]], ["留出集", *[_num(held[m]) for m in METRICS]]]
    rows += [[f"留出集 {name}", *[_num(base[m]) for m in METRICS]]
             for name, base in (held.get("baselines") or {}).items()]
    doc.table(["评测集", *[METRIC_LABELS[m] for m in METRICS]], rows)


def _rates(doc: Doc, charts: Charts, results: dict) -> None:
    lookups, abstention, trust = results.get("lookups"), results.get("abstention"), results.get("trust")
    bars: dict[str, float | None] = {}
    if lookups:
        doc.h(2, "二、直接查条")
        doc.p(f"{lookups['n']} 条直接查询（各种简称、数字写法），准确率 {_pct(lookups['accuracy'])}"
              "（所点名的条文恰好排在最前）。")
        if lookups["failures"]:
            doc.table(["查询", "应返回", "实际返回"], [[f["q"], "；".join(_key(g) for g in f["gold"]),
                                                  "；".join(_key(t) for t in f["top"])] for f in lookups["failures"]])
        bars[charts.label("查条准确率", "lookup acc.")] = lookups["accuracy"]
    if abstention:
        doc.h(2, "三、拒答")
        doc.p(f"范围外与无法回答的问题 {abstention['out_of_scope_n']} 条，"
              f"拒答率 {_pct(abstention['abstention_rate'])}；"
              f"评测集 {abstention['gold_n']} 条可回答的问题中误拒答 {_pct(abstention['false_abstention_rate'])}。")
        if abstention["answered_out_of_scope"]:
            doc.p("未拒答的范围外问题：" + "；".join(abstention["answered_out_of_scope"]))
        if abstention["abstained_on_gold"]:
            doc.p("误拒答的问题：" + "；".join(abstention["abstained_on_gold"]))
        bars[charts.label("范围外拒答率", "abstain (OOS)")] = abstention["abstention_rate"]
        bars[charts.label("误拒答率", "false abstain")] = abstention["false_abstention_rate"]
    if trust:
        cites, invented = trust["citations"], trust["invented"]
        doc.h(2, "四、引用可信度")
        doc.table(["指标", "数值"], [
            ["回答数 / 引用条数", f"{cites['answers']} / {cites['citations']}"],
            ["引用的条文存在且原文一致", _pct(cites["exists"])],
            ["引用的条文现行有效", _pct(cites["current"])],
            ["引用的条文在检索命中中", _pct(cites["in_search_hits"])],
            ["引用的条文在检索来源中（命中及其关联罚则、检查表引用）", _pct(cites["in_sources"])],
            ["编造的引用（假大模型）被识别并删除",
             f"{invented['caught']}/{invented['invented']}（{_pct(invented['caught_share'])}）"],
            ["真实引用被保留", f"{invented['real_kept']}/{invented['real']}（{_pct(invented['real_kept_share'])}）"],
        ])
        if invented.get("by_kind"):
            doc.p("编造方式：" + "；".join(f"{k} {v['caught']}/{v['n']}" for k, v in invented["by_kind"].items())
                  + "（invented-law 不存在的法规，invented-article 不存在的条号，not-retrieved 存在但未检索到的条文，"
                    "wrong-quote 引文与原文不符）。")
        if cites["problems"]:
            doc.p("未通过核对的引用："
                  + "；".join(f"{p['citation']}（{p['problem']}）" for p in cites["problems"][:20]))
        bars[charts.label("引用存在", "cites exist")] = cites["exists"]
        bars[charts.label("引用现行", "cites current")] = cites["current"]
        bars[charts.label("引用在来源中", "cites in sources")] = cites["in_sources"]
        bars[charts.label("编造引用被识别", "invented caught")] = invented["caught_share"]
    if bars:
        doc.img(charts.bars("rates.png", charts.label("查条、拒答与引用可信度", "Lookups, abstention, citation trust"),
                            list(bars), {"": list(bars.values())}, charts.label("比例", "share")),
                "查条、拒答与引用可信度")


def _quiz(doc: Doc, charts: Charts, quiz: list[dict]) -> None:
    if not quiz:
        return
    doc.h(2, "五、题库作答")
    doc.p("系统只依据知识库条文作答（未配置大模型时按条文比对：判断题找最接近的条文句子并检查数字、应当/不得/可以、"
          "部门和层级是否矛盾；选择题比较各选项代入题干后与条文的吻合度）。知识库中找不到依据的题按最常见的答案作答，"
          "并单独统计。与题库答案不一致的题，既可能是系统答错，"
          "也可能是题库答案已过时（共享题库早于 2021 年安全生产法修订）。")
    rows = []
    for r in quiz:
        by = r["by_type"]
        rows.append([r["source"], r["n"], _pct(r["accuracy"]),
                     *[f"{_pct(by[t]['accuracy'])}（{by[t]['n']}）" if t in by else "-" for t in QTYPES],
                     _pct(r.get("by_method", {}).get("evidence", {}).get("accuracy")),
                     r.get("by_method", {}).get("evidence", {}).get("n", 0)])
    doc.table(["题源", "题数", "总体", "判断", "单选", "多选", "有条文依据时准确率", "有条文依据的题数"], rows)
    groups = [charts.label(t, QTYPE_ASCII[t]) for t in (*QTYPES, "总体")]
    series = {}
    for i, r in enumerate(quiz):
        name = r["source"] if charts.cjk else f"source {i + 1}"
        series[name] = [r["by_type"].get(t, {}).get("accuracy") for t in QTYPES] + [r["accuracy"]]
    doc.img(charts.bars("quiz.png", charts.label("题库作答准确率（按题型）", "Quiz accuracy by type"), groups, series,
                        charts.label("准确率", "accuracy")), "题库作答准确率（按题型）")
    for r in quiz:
        shown = [d for d in r["disagreements"] if d.get("method") != "fallback"][:10]
        if not shown:
            continue
        doc.h(3, f"{r['source']}：有条文依据但与题库答案不一致的题（列出 {len(shown)} 题）")
        doc.table(["题目", "题库答案", "系统答案", "理由", "依据"],
                  [[d["stem"], d["key"], d["system"], "；".join(d.get("reasons") or []) or "-",
                    "；".join(f"《{e['law']}》{e['article']}：{e['text'][:80]}" for e in d["evidence"][:1]) or "-"]
                   for d in shown])


ANSWER_METRICS = (
    ("gold_penalty_cited", "处罚依据含正确条文"), ("first_firm_penalty_wrong", "首个确定处罚依据错误（占全部）"),
    ("first_firm_penalty_wrong_not_alt", "首个确定处罚依据错误且不是备选条文（占全部）"),
    ("first_firm_item_wrong", "首个确定处罚依据项（款）错误（占全部）"), ("item_accuracy", "项正确率"),
    ("firm_penalty_share", "有确定处罚依据"), ("violation_precision", "违法依据精确率"),
    ("violation_recall", "违法依据召回率"), ("penalty_precision", "处罚依据精确率"), ("abstention", "拒答率"),
)


def _pct(value) -> str:
    return "-" if value is None else f"{value:.1%}"


def _sets(doc: Doc, results: dict) -> None:
    """Every gold set side by side, the blind held-out set first: its figures are the headline."""
    sets = results.get("sets") or []
    if not sets:
        return
    doc.h(2, "各评测集并列（留出集在前，为标题数字）")
    doc.p("留出集由只读法规原文、从未运行或阅读本系统的写作者盲写，经脚本核对条款与项号，开发中从未逐题查看；"
          "开发集用于查找问题；调参集反复用于调参，分数偏乐观。旧检索评测集按“首选依据”与问题逐条对应，"
          "答案层面只统计其首选依据中含罚则条文的问题；只问规定本身的集（时限、部门、办理）没有这样的问题，只列检索数字。")
    doc.h(3, "执法依据（答案层面）")
    doc.table(["评测集", "题数", *[label for _k, label in ANSWER_METRICS]],
              [[f"{s['name']}（{s['what']}）", str(s["answers"]["n"]),
                *[_pct(s["answers"].get(k)) for k, _label in ANSWER_METRICS]] for s in sets if s["answers"]["n"]])
    typed = [s for s in sets if s.get("answers_unit_type")]
    if typed:
        doc.h(3, "执法依据：检查前选定被检查单位类型时（ask --unit-type）")
        doc.p("同一批发现，按写作者标注的单位类型（评测集的 enterprise 字段）作答，如同执法人员检查前选定了单位类型；"
              "单位类型表中没有的（如“其他”）不指定。")
        doc.table(["评测集", "题数", "指定类型的题数", *[label for _k, label in ANSWER_METRICS]],
                  [[f"{s['name']}（{s['what']}）", str(s["answers_unit_type"]["n"]),
                    str(s["answers_unit_type"]["unit_types"]),
                    *[_pct(s["answers_unit_type"].get(k)) for k, _label in ANSWER_METRICS]] for s in typed])
    doc.h(3, "检索（首选依据在结果中的排名）")
    doc.table(["评测集", "题数", "hit@1", "hit@5", "MRR", "宽松 MRR", "朴素二元 BM25 MRR"],
              [[f"{s['name']}（{s['what']}）", str(s["retrieval"]["n"]), f"{s['retrieval']['hit@1']:.3f}",
                f"{s['retrieval']['hit@5']:.3f}", f"{s['retrieval']['mrr']:.3f}",
                f"{s['retrieval']['lenient_mrr']:.3f}",
                f"{s['baseline']['mrr']:.3f}" if s.get("baseline") else "-"] for s in sets])


def build(results: dict, charts: Charts) -> Doc:
    doc = Doc()
    doc.h(1, "hazkb 评测报告")
    corpus = results.get("corpus") or {}
    doc.p(f"生成时间 {results.get('generated_at', '-')}；知识库 {corpus.get('documents', '-')} 个文档、"
          f"{corpus.get('units', '-')} 个条文单元；"
          f"向量检索{'已启用' if results.get('dense') else '未启用（仅关键词检索）'}；"
          f"评测集 {results.get('gold', '-')}。")
    if not charts.cjk:
        doc.p("注意：本机没有中文字体，图中使用英文标签"
              "（安装 fonts-wqy-microhei 或 fonts-noto-cjk 后重新生成即为中文）。")
    _sets(doc, results)
    if results.get("retrieval"):
        _retrieval(doc, charts, results["retrieval"])
    _held_out(doc, results)
    _rates(doc, charts, results)
    _quiz(doc, charts, results.get("quiz") or [])
    return doc


def write_report(results: dict, out: Path, cjk: bool | None = None) -> dict:
    """Write report.md, report.html, results.json and the PNG charts into `out`; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    charts = Charts(out, cjk)
    doc = build(results, charts)
    (out / "report.md").write_text(doc.markdown(), encoding="utf-8")
    (out / "report.html").write_text(doc.html("hazkb 评测报告"), encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return {"dir": str(out), "markdown": str(out / "report.md"), "html": str(out / "report.html"),
            "json": str(out / "results.json"), "charts": [str(out / f) for f in charts.files], "cjk_font": charts.cjk}
