"""What question generation knows about the domain, as reviewed TSV tables in quiz/data/, checked when loaded.

- subjects.tsv (主语, 类别, 适用岗位, 企业类型, 理由): who a rule binds, and which examinees hold it;
- activities.tsv (活动, 企业类型, 理由): 生产/储存/使用/经营 in a subject -> enterprise types;
- departments.tsv (部门, 国务院, 省, 市, 县, 理由): which government levels have which department;
- modal_mutations.tsv (原词, 改为, 适用, 不用于, 理由): how a 判断 item negates a rule's main predicate;
- phrase_mutations.tsv (原文, 改为, 后接, 不与, 理由): other wording a 判断 item may change (立即 -> 在二十四小时内);
- phrase_choices.tsv (原文, 干扰项, 后接, 理由): the wrong options of a blanked requirement (立即 -> 在二十四小时内 |
  在当班结束前 | …);
- modal_choices.tsv (原词, 干扰项, 理由): the wrong options of a blanked modal word (应当 -> 可以、不得、无需);
- list_kinds.tsv (名词, 类, 理由): which enumerations are of one kind (职责 with 措施), for 多选 distractors;
- off_topic.tsv (词语, 理由): what examinees of these enterprises never deal with (内河, 电梯, 医疗机构 …);
- declaratory.tsv (词语, 理由): wording of principles that no exam item should test (恪尽职守, 预防为主 …);
- well_known_articles.tsv (法规, 条, 内容, 理由): the only articles a "which article" item may ask about;
- audiences.tsv (词语, 适用岗位, 理由): roles added when an enterprise duty names them (从业人员 …);
- topics.tsv (主题, 关键词, 理由): topic tags by keyword.

`builtin_domain()` reads them once per process; every problem raises QuizError naming the file, the line and
the fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from corpus.names import normalize_title
from corpus.numbers import parse_article
from corpus.tsv import read_tsv

from .errors import QuizError
from .model import ENTERPRISE_TYPES, ROLES

DATA_DIR = Path(__file__).resolve().parent / "data"

# 类别 of a subject: 单位 / 人员 bind the examinee (their enterprise, themselves); 政府 / 其他 do not.
EXAMINEE_KINDS = frozenset({"单位", "人员"})
SUBJECT_KINDS = EXAMINEE_KINDS | {"政府", "其他"}
BY_ACTIVITY = "按经营活动"
ALL = "全部"
LEVELS = ("国务院", "省", "市", "县")
MODAL_SCOPES = frozenset({"全部", "有第二项义务", "无未经前提", "单位主语"})
KEEP_FIRST = "…"  # in a modal form: the first duty of the predicate goes here ("仅需…即可")


@dataclass(frozen=True)
class Subject:
    pattern: str
    kind: str
    roles: tuple[str, ...]  # () = every role
    enterprise_types: tuple[str, ...] | None  # () = every type; None = by the activity words before it
    where: str

    @property
    def examinee(self) -> bool:
        return self.kind in EXAMINEE_KINDS


@dataclass(frozen=True)
class ModalForm:
    word: str  # 应当 / 不得 / ...
    replacement: str  # 可以根据实际情况决定是否, 仅需…即可
    scope: str
    not_before: tuple[str, ...] = ()  # not used when the modal is followed by one of these (符合, 具备 …)


@dataclass(frozen=True)
class PhraseForm:
    word: str  # 立即
    replacement: str  # 在二十四小时内
    before: tuple[str, ...]  # the word must be followed by one of these (() = anything)
    unless: tuple[str, ...]  # not when the statement has one of these


@dataclass(frozen=True)
class PhraseChoice:
    word: str  # 立即
    wrong: tuple[str, ...]  # 在二十四小时内 | 在当班结束前 | … : the wrong options of a blank on the word
    before: tuple[str, ...]  # the word must be followed by one of these (() = anything)


@dataclass(frozen=True)
class QuizDomain:
    subjects: tuple[Subject, ...]
    activities: dict[str, tuple[str, ...]]
    departments: dict[str, frozenset[str]]  # current core name -> levels where it exists
    modal_forms: tuple[ModalForm, ...]
    well_known: dict[tuple[str, int, int], str]  # (normalised law title, article no, sub) -> what it is about
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    audiences: tuple[tuple[str, tuple[str, ...]], ...] = ()  # word -> roles it adds to an enterprise duty
    modal_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # modal word -> its wrong options
    list_kinds: dict[str, str] = field(default_factory=dict)  # last two characters of a list's noun -> its kind
    off_topic: tuple[str, ...] = ()  # a statement naming one of these gives no item
    declaratory: tuple[str, ...] = ()  # nor one holding these: a principle, no duty to test
    phrase_forms: tuple[PhraseForm, ...] = ()
    phrase_choices: tuple[PhraseChoice, ...] = ()

    def list_kind(self, noun: str) -> str:
        """What kind of things a list enumerates: 职责 and 措施 are both 应做的事; an unknown noun is its own kind."""
        return self.list_kinds.get(noun[-2:], noun[-2:])

    def forms_for(self, word: str) -> list[ModalForm]:
        return [f for f in self.modal_forms if f.word == word]

    def department_at(self, current: str, level: str) -> bool:
        """Whether a department (by its current core name) exists at a level; unknown ones only nationally."""
        levels = self.departments.get(current)
        return level == "国务院" if levels is None else level in levels


def _split(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.replace("，", "、").split("、") if t.strip())


def _tags(value: str, allowed: tuple[str, ...], what: str, where: str) -> tuple[str, ...]:
    if value in (ALL, ""):
        return ()
    values = _split(value)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise QuizError(f"{where}：{what}“{'、'.join(unknown)}”无效；可选：{'、'.join(allowed)}，或“{ALL}”")
    return values


def _read_subjects(path: Path) -> tuple[Subject, ...]:
    out: list[Subject] = []
    seen: set[str] = set()
    for where, (pattern, kind, roles, types, _reason) in read_tsv(
            path, ("主语", "类别", "适用岗位", "企业类型", "理由"), QuizError):
        if kind not in SUBJECT_KINDS:
            raise QuizError(f"{where}：类别“{kind}”无效；可选：{'、'.join(sorted(SUBJECT_KINDS))}")
        if pattern in seen:
            raise QuizError(f"{where}：主语“{pattern}”重复")
        seen.add(pattern)
        if kind in EXAMINEE_KINDS:
            role_tags = _tags(roles, ROLES, "适用岗位", where)
            type_tags = None if types == BY_ACTIVITY else _tags(types, ENTERPRISE_TYPES, "企业类型", where)
        else:
            if roles != "-" or types != "-":
                raise QuizError(f"{where}：类别为“{kind}”的主语不出题，适用岗位和企业类型应写“-”")
            role_tags, type_tags = (), ()
        out.append(Subject(pattern, kind, role_tags, type_tags, where))
    return tuple(out)


def _read_activities(path: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for where, (word, types, _reason) in read_tsv(path, ("活动", "企业类型", "理由"), QuizError):
        if word in out:
            raise QuizError(f"{where}：活动“{word}”重复")
        out[word] = _tags(types, ENTERPRISE_TYPES, "企业类型", where) or ENTERPRISE_TYPES
    return out


def _read_departments(path: Path) -> dict[str, frozenset[str]]:
    from corpus.legal_text import DEPARTMENTS, SPECIAL_DEPARTMENTS

    known = set(DEPARTMENTS.values()) | set(SPECIAL_DEPARTMENTS)
    out: dict[str, frozenset[str]] = {}
    for where, (name, *flags, _reason) in read_tsv(path, ("部门", *LEVELS, "理由"), QuizError):
        if name not in known:
            raise QuizError(f"{where}：部门“{name}”不是 corpus.legal_text 认识的部门名（应写 2018 年后的名称，"
                            "如 应急管理、市场监督管理、海事管理机构）")
        bad = [f for f in flags if f not in ("是", "否")]
        if bad:
            raise QuizError(f"{where}：各级设置应填“是”或“否”，实际为“{'、'.join(bad)}”")
        out[name] = frozenset(level for level, flag in zip(LEVELS, flags) if flag == "是")
    return out


def _modal_words() -> set[str]:
    """The modal words as written (应当, 不得, 必须, 禁止, 严禁, 有权 …): corpus.legal_text's, without the patterns."""
    import re

    from corpus.legal_text import MODALS

    return {p for p, _ in MODALS if re.fullmatch(r"[\u4e00-\u9fff]+", p)}


def _read_modal_forms(path: Path) -> tuple[ModalForm, ...]:
    out = []
    for where, (word, replacement, scope, avoid, _reason) in read_tsv(
            path, ("原词", "改为", "适用", "不用于", "理由"), QuizError):
        if word not in _modal_words():
            raise QuizError(f"{where}：原词“{word}”不是情态词（应当、不得、必须、禁止、严禁、有权……）")
        if scope not in MODAL_SCOPES:
            raise QuizError(f"{where}：适用“{scope}”无效；可选：{'、'.join(sorted(MODAL_SCOPES))}")
        if (KEEP_FIRST in replacement) != (scope == "有第二项义务"):
            raise QuizError(f"{where}：改为中的“{KEEP_FIRST}”只用于适用为“有第二项义务”的改写（如 仅需…即可）")
        out.append(ModalForm(word, replacement, scope, () if avoid == "-" else _split(avoid)))
    return tuple(out)


def _read_well_known(path: Path) -> dict[tuple[str, int, int], str]:
    out: dict[tuple[str, int, int], str] = {}
    for where, (law, article, what, _reason) in read_tsv(path, ("法规", "条", "内容", "理由"), QuizError):
        try:
            number, sub = parse_article(article)
        except ValueError:
            raise QuizError(f"{where}：条号“{article}”无法识别；请写成 第二十一条") from None
        out[(normalize_title(law), number, sub)] = what
    return out


def _read_topics(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for where, (topic, words, _reason) in read_tsv(path, ("主题", "关键词", "理由"), QuizError):
        keywords = _split(words)
        if not keywords:
            raise QuizError(f"{where}：主题“{topic}”没有关键词")
        out.append((topic, keywords))
    return tuple(out)


def _read_audiences(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for where, (word, roles, _reason) in read_tsv(path, ("词语", "适用岗位", "理由"), QuizError):
        tags = _tags(roles, ROLES, "适用岗位", where)
        if not tags:
            raise QuizError(f"{where}：词语“{word}”应列出具体岗位（单位义务已适用于负责人和安全管理人员）")
        out.append((word, tags))
    return tuple(out)


def _read_modal_choices(path: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for where, (word, wrong, _reason) in read_tsv(path, ("原词", "干扰项", "理由"), QuizError):
        if word not in _modal_words():
            raise QuizError(f"{where}：原词“{word}”不是情态词（应当、不得、必须、禁止、严禁、有权……）")
        options = _split(wrong)
        if len(options) < 3 or word in options:
            raise QuizError(f"{where}：干扰项应为三个或以上与“{word}”不同的词，用“、”分隔")
        out[word] = options
    return out


def _read_list_kinds(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for where, (noun, kind, _reason) in read_tsv(path, ("名词", "类", "理由"), QuizError):
        if len(noun) != 2 or noun in out:
            raise QuizError(f"{where}：名词“{noun}”应为两个字且不重复（按列举名词的末尾两字归类）")
        out[noun] = kind
    return out


def _read_words(path: Path) -> tuple[str, ...]:
    out: list[str] = []
    for where, (word, _reason) in read_tsv(path, ("词语", "理由"), QuizError):
        if len(word) < 2 or word in out:
            raise QuizError(f"{where}：词语“{word}”应至少两个字且不重复")
        out.append(word)
    return tuple(out)


def _read_phrase_forms(path: Path) -> tuple[PhraseForm, ...]:
    out = []
    for where, (word, replacement, before, unless, _reason) in read_tsv(
            path, ("原文", "改为", "后接", "不与", "理由"), QuizError):
        if word == replacement:
            raise QuizError(f"{where}：改为与原文相同")
        out.append(PhraseForm(word, replacement, () if before == "-" else _split(before),
                              () if unless == "-" else _split(unless)))
    return tuple(out)


def _read_phrase_choices(path: Path) -> tuple[PhraseChoice, ...]:
    out = []
    for where, (word, wrong, before, _reason) in read_tsv(path, ("原文", "干扰项", "后接", "理由"), QuizError):
        options = tuple(w.strip() for w in wrong.split("|") if w.strip())
        if len(options) < 3 or word in options or len(set(options)) != len(options):
            raise QuizError(f"{where}：干扰项须为 3 个以上、互不相同且不同于原文的说法，用“|”分隔")
        out.append(PhraseChoice(word, options, () if before == "-" else _split(before)))
    return tuple(out)


def load_domain(data_dir: Path = DATA_DIR) -> QuizDomain:
    return QuizDomain(
        subjects=_read_subjects(data_dir / "subjects.tsv"),
        activities=_read_activities(data_dir / "activities.tsv"),
        departments=_read_departments(data_dir / "departments.tsv"),
        modal_forms=_read_modal_forms(data_dir / "modal_mutations.tsv"),
        well_known=_read_well_known(data_dir / "well_known_articles.tsv"),
        topics=_read_topics(data_dir / "topics.tsv"),
        audiences=_read_audiences(data_dir / "audiences.tsv"),
        modal_choices=_read_modal_choices(data_dir / "modal_choices.tsv"),
        list_kinds=_read_list_kinds(data_dir / "list_kinds.tsv"),
        off_topic=_read_words(data_dir / "off_topic.tsv"),
        declaratory=_read_words(data_dir / "declaratory.tsv"),
        phrase_forms=_read_phrase_forms(data_dir / "phrase_mutations.tsv"),
        phrase_choices=_read_phrase_choices(data_dir / "phrase_choices.tsv"),
    )


@cache
def builtin_domain() -> QuizDomain:
    """The shipped tables, read once."""
    return load_domain()
