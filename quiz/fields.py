"""Cell values shared by every bank file format: type, options, answer, tag lists, difficulty, review status.

Each parser takes the text of one cell and returns the model value, or raises RowRejected with a reason
that names the cell and the accepted values.
"""
from __future__ import annotations

import re
import unicodedata

from .errors import RowRejected
from .model import ENTERPRISE_TYPES, LETTERS, ROLES, TRUE_FALSE_OPTIONS, QType, Review
from .qtypes import rule, type_names

_QTYPE_NAMES = type_names()
_TRUE_WORDS = {"正确", "对", "√", "是"}
_FALSE_WORDS = {"错误", "不正确", "错", "×", "否"}
_LIST_SPLIT = re.compile(r"[、,，;；\n]+")
_ANSWER_SEPARATORS = re.compile(r"[\s,，、;；/]+")
_ALL = {"全部", "所有", "通用", "不限"}
_DIFFICULTY = {"1": 1, "易": 1, "容易": 1, "简单": 1, "2": 2, "中": 2, "中等": 2, "一般": 2,
               "3": 3, "难": 3, "较难": 3, "困难": 3}
DIFFICULTY_LABELS = {1: "易", 2: "中", 3: "难"}
_REVIEW = {"待审核": Review.DRAFT, "草稿": Review.DRAFT, "draft": Review.DRAFT,
           "已审核": Review.APPROVED, "审核通过": Review.APPROVED, "approved": Review.APPROVED,
           "已停用": Review.RETIRED, "停用": Review.RETIRED, "retired": Review.RETIRED}


def cell_text(value) -> str:
    """A spreadsheet cell as stripped text: None -> '', 2.0 -> '2'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_qtype(text: str) -> QType:
    qtype = _QTYPE_NAMES.get(re.sub(r"\s+", "", _norm(text)))
    if qtype is None:
        if not text.strip():
            raise RowRejected("题型为空；请填写 判断、单选 或 多选")
        raise RowRejected(f"题型“{text.strip()}”无法识别；"
                          "请填写 判断、单选 或 多选（也可写 判断题、是非题、单选题、多选题）")
    return qtype


def true_false_options(options: list[str]) -> tuple[list[str], bool] | None:
    """Normalise 判断 options to [正确, 错误]; returns (options, swapped) or None if they are not a true/false pair.

    Empty options mean the standard pair; 正确/不正确, 对/错 and √/× are the same pair written differently.
    `swapped` says the file listed 错误 first, so its answer letters must be swapped too.
    """
    if not options:
        return list(TRUE_FALSE_OPTIONS), False
    if len(options) != 2:
        return None
    kinds = ["T" if _norm(o) in _TRUE_WORDS else "F" if _norm(o) in _FALSE_WORDS else "?" for o in options]
    if kinds == ["T", "F"]:
        return list(TRUE_FALSE_OPTIONS), False
    if kinds == ["F", "T"]:
        return list(TRUE_FALSE_OPTIONS), True
    return None


def keyed_options(qtype: QType, options: list[str], answer_text: str, *, where: str = "本行",
                  blank_note: str = "", tf_fix: str = "", choice_fix: str = "",
                  count_choices: bool = True) -> tuple[list[str], str]:
    """A question's options checked for its type, and its key read against them.

    判断 options become 正确/错误 (a file listing 错误 first has its key letter swapped to match); choice
    questions need two options when `count_choices`. The message parts let each file format say its own fix.
    """
    swapped = False
    if qtype is QType.TRUE_FALSE:
        pair = true_false_options(options)
        if pair is None:
            raise RowRejected(f"判断题的选项只能是“正确”“错误”{blank_note}，{where}为“{'”“'.join(options)}”{tf_fix}")
        options, swapped = pair
    elif count_choices and len(options) < 2:
        raise RowRejected(f"选择题至少需要 2 个选项，{where}只有 {len(options)} 个{choice_fix}")
    answer = parse_answer(answer_text, qtype, len(options))
    return options, {"A": "B", "B": "A"}[answer] if swapped else answer


def parse_answer(text: str, qtype: QType, n_options: int) -> str:
    """The key as sorted letters, checked against the type and the number of options."""
    raw = _norm(text).upper()
    if not raw:
        raise RowRejected("答案为空；请填写选项字母，如 A 或 ABD（判断题可填 正确/错误）")
    if qtype is QType.TRUE_FALSE and (raw in _TRUE_WORDS or raw in _FALSE_WORDS or raw in {"TRUE", "FALSE"}):
        return "A" if raw in _TRUE_WORDS or raw == "TRUE" else "B"
    compact = _ANSWER_SEPARATORS.sub("", raw)
    if not compact or not all("A" <= c <= "Z" for c in compact):
        raise RowRejected(f"答案“{text.strip()}”无法识别；请填写选项字母，如 A 或 ABD（判断题可填 正确/错误）")
    repeated = "".join(sorted({c for c in compact if compact.count(c) > 1}))
    if repeated:
        raise RowRejected(f"答案“{text.strip()}”中字母 {repeated} 重复；"
                          "每个正确选项的字母只写一次（如 ABD），请核对答案")
    letters = "".join(sorted(compact))
    beyond = [c for c in letters if c not in LETTERS[:n_options]]
    if beyond:
        have = f"A–{LETTERS[n_options - 1]}" if n_options else "无"
        raise RowRejected(f"答案中的 {''.join(beyond)} 超出了选项范围（本题选项为 {have}）；请核对答案或补全选项")
    kind = rule(qtype)
    if kind.key_count_ok(len(letters)):
        return letters
    if kind.fixed_options is not None:
        labels = " 或 ".join(f"{LETTERS[i]}（{o}）" for i, o in enumerate(kind.fixed_options))
        raise RowRejected(f"{qtype.value}题答案只能是 {labels}，本行为“{text.strip()}”")
    if kind.max_keys == 1:
        raise RowRejected(f"{qtype.value}题答案应为 1 个字母，本行为“{text.strip()}”；"
                          "如有多个正确答案请把题型改为 多选")
    raise RowRejected(f"{qtype.value}题答案应至少有 {kind.min_keys} 个字母，本行为“{text.strip()}”；"
                      "只有一个正确答案请把题型改为 单选")


# An option's letter: "A." "A、" "A．" "A:" "A）" at the start or after a space or a separator, or "(A)" "（A）".
_OPTION_MARK = re.compile(r"(?:^|(?<=[\s;；,，。]))([A-HＡ-Ｈ])\s*[.．、:：)）]|[(（]\s*([A-HＡ-Ｈ])\s*[)）]")
_OWN_LETTER = re.compile(r"^\s*(?:[(（]\s*([A-HＡ-Ｈ])\s*[)）]|([A-HＡ-Ｈ])\s*[.．、:：)）])\s*")
_OPTION_TAIL = re.compile(r"[\s;；,，]+$")


def split_option_list(text: str) -> list[str] | None:
    """The options of one cell that lists them with their letters ("A.甲 B.乙 C.丙", "A、甲\\nB、乙", "(A)甲(B)乙",
    "A:甲；B:乙"), or None when the cell is not such a list (no "A" first, or fewer than two letters in order).

    Letters must run A, B, C … in order; a letter out of that order is part of an option's text.
    """
    marks: list[re.Match[str]] = []
    for m in _OPTION_MARK.finditer(text or ""):
        letter = unicodedata.normalize("NFKC", m.group(1) or m.group(2))
        if len(marks) < len(LETTERS) and letter == LETTERS[len(marks)]:
            if not marks and text[:m.start()].strip():
                return None  # text before "A": not a list of options
            marks.append(m)
    if len(marks) < 2:
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [_OPTION_TAIL.sub("", text[m.end():end]).strip() for m, end in zip(marks, ends)]


def strip_own_letters(options: list[str]) -> list[str]:
    """One option per column written with its own letter ("A.甲", "B.乙" …): the letters removed. Only when every
    option carries its own letter in order, so an option that merely starts like one ("A、B两类") is kept whole."""
    stripped = []
    for i, option in enumerate(options):
        m = _OWN_LETTER.match(option)
        if m is None or unicodedata.normalize("NFKC", m.group(1) or m.group(2)) != LETTERS[i]:
            return options
        stripped.append(option[m.end():].strip())
    return stripped if len(options) >= 2 else options


def split_list(text: str) -> list[str]:
    """'主要负责人、安全管理人员' -> both; separators 、,，;； and line breaks."""
    return [part.strip() for part in _LIST_SPLIT.split(_norm(text)) if part.strip()]


def _tags(text: str, allowed: tuple[str, ...], column: str) -> list[str]:
    values = split_list(text)
    if any(v in _ALL for v in values):
        return []
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise RowRejected(f"{column}“{'、'.join(unknown)}”不在可选范围内；"
                          f"可选：{'、'.join(allowed)}（留空表示全部适用）")
    return list(dict.fromkeys(values))


def parse_roles(text: str) -> list[str]:
    return _tags(text, ROLES, "适用岗位")


def parse_enterprise_types(text: str) -> list[str]:
    return _tags(text, ENTERPRISE_TYPES, "企业类型")


def check_tags(roles: list[str], enterprise_types: list[str]) -> None:
    """The same check for values that arrive as lists (JSON)."""
    _tags("、".join(roles), ROLES, "适用岗位")
    _tags("、".join(enterprise_types), ENTERPRISE_TYPES, "企业类型")


def parse_difficulty(text: str) -> int:
    value = _norm(text)
    if not value:
        return 2
    if value not in _DIFFICULTY:
        raise RowRejected(f"难度“{value}”无法识别；请填写 1、2、3（或 易、中、难），留空为 2")
    return _DIFFICULTY[value]


def parse_review(text: str, default: Review) -> Review:
    value = _norm(text)
    if not value:
        return default
    review = _REVIEW.get(value.lower()) or _REVIEW.get(value)
    if review is None:
        raise RowRejected(f"状态“{value}”无法识别；请填写 待审核、已审核 或 已停用，留空为 已审核")
    return review


def join_list(values: list[str]) -> str:
    return "、".join(values)
