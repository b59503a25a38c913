"""Checks every stored question must pass, whatever its source: stem, options, key, difficulty."""
from __future__ import annotations

from .errors import QuizError
from .model import LETTERS, Question, normalize_text
from .qtypes import rule


def problem(question: Question) -> str | None:
    """The first thing wrong with a question (a Chinese reason), or None when it is usable."""
    if not question.stem.strip():
        return "题干为空；请填写题目内容"
    options = question.options
    kind = rule(question.qtype)
    if kind.fixed_options is not None:
        if options != list(kind.fixed_options):
            return (f"{kind.qtype.value}题的选项只能是“{'”“'.join(kind.fixed_options)}”，本题为“{'”“'.join(options)}”；"
                    "请改为单选题或修正选项")
    else:
        if len(options) < 2:
            return f"选择题至少需要 2 个选项，本题只有 {len(options)} 个；请补全选项"
        if len(options) > len(LETTERS):
            return f"选项最多 {len(LETTERS)} 个（A–{LETTERS[-1]}），本题有 {len(options)} 个"
        blank = [LETTERS[i] for i, o in enumerate(options) if not o.strip()]
        if blank:
            return f"选项 {'、'.join(blank)} 为空；选项须从 A 起连续填写"
        seen: dict[str, int] = {}
        for i, option in enumerate(options):
            key = normalize_text(option)
            if key in seen:
                return f"选项重复：{LETTERS[seen[key]]} 与 {LETTERS[i]} 都是“{option.strip()}”；请修改其中一个"
            seen[key] = i
    answer = question.answer
    if not answer:
        return "答案为空；请填写选项字母，如 A 或 ABD"
    beyond = [c for c in answer if c not in question.letters]
    if beyond:
        return f"答案中的 {''.join(beyond)} 超出了选项范围（本题选项为 A–{question.letters[-1]}）"
    if not kind.key_count_ok(len(answer)):
        if kind.max_keys == 1:
            return f"{question.qtype.value}题答案应为 1 个字母，本题为“{answer}”"
        return (f"{question.qtype.value}题答案应至少有 {kind.min_keys} 个字母，本题为“{answer}”；"
                "只有一个正确答案请改为单选题")
    if question.difficulty not in (1, 2, 3):
        return f"难度应为 1、2 或 3，本题为“{question.difficulty}”"
    return None


def ensure_valid(question: Question) -> None:
    reason = problem(question)
    if reason is not None:
        label = f"题目 {question.qid}" if question.qid else "题目"
        raise QuizError(f"{label}不能保存：{reason}")
