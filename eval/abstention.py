"""Abstention: out-of-scope and unanswerable questions must abstain; gold questions must not."""
from __future__ import annotations

import json
from pathlib import Path

from corpus.errors import HazkbError


def _questions(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise HazkbError(f"无法读取问题集 {path}（{exc}）；每行应为一个 JSON 对象，含字段 \"q\"") from exc


def run_abstention_eval(answerer, out_of_scope: Path, gold: Path) -> dict:
    oos = _questions(out_of_scope)
    answerable = _questions(gold)
    kept = [q["q"] for q in oos if not answerer.answer(q["q"]).abstained]
    dropped = [q["q"] for q in answerable if answerer.answer(q["q"]).abstained]
    return {
        "out_of_scope_n": len(oos),
        "abstention_rate": 1 - len(kept) / len(oos) if oos else None,
        "answered_out_of_scope": kept,
        "gold_n": len(answerable),
        "false_abstention_rate": len(dropped) / len(answerable) if answerable else None,
        "abstained_on_gold": dropped,
    }
