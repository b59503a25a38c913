"""Quality gates every generated candidate must pass, whatever produced it (rule generator, later an LLM).

`Gatekeeper.admit(question)` returns None and remembers the question when it passes, or a Chinese reason
"<gate>：<detail>" when it does not. The gates, in order:

Form —
* 选项重复 — two options equal after normalisation;
* 结构不合法 — quiz.validate.problem (options, key letters, difficulty);
* 题干长度 — a stem shorter than `min_stem` or longer than `max_stem` characters;
* 缺少空格 — a choice stem without a blank （　　）, or a true/false statement with one;
* 答案不唯一 — a single choice with more than one key, or a distractor that equals or contains a key;
* 兜底选项 — an option such as 以上都对 / 全部正确;
* 长度暴露答案 — the key is uniquely the longest option by a wide margin (mean of the others × ratio);
* 措辞暴露答案 — the key is the only option sharing distinctive words with the stem;

Meaning (for generated items whose article the keeper knows, `GateContext`) —
* 非考生职责 — the rule binds a government, a department or someone no examinee is, or names no subject;
* 与条文不符 — a 正确 statement or a filled-in blank is not the article's text, a 错误 statement is the law's text,
  a 多选 key is not among the article's items or a distractor is;
* 语句不完整 — the statement is cut from its sentence (not at a sentence or clause boundary, or an exception
  such as 但是… / …除外 follows it);
* 干扰项不同类 — the options of a 单选 are not all of one kind (all deadlines, all departments …), or a
  department option does not exist at the government level the stem names (民用航空 for a county);
* 问条号 — a which-article item about an article not in well_known_articles.tsv;

Across items —
* 近似重复 — character-bigram Jaccard of stem + key text above `near_duplicate` with an admitted item;
* 互相提示 — one item answers another: an admitted item restates this 判断's rule, or holds this item's key in
  this item's context (or the other way round);
* 判断提示词 (soft) — admitting this 判断 would let a word decide the answer: among the 判断 items holding a word
  the modal mutations bring in (可以, 无需, 仅需, 即可, 决定是否 …) one answer may not exceed 2 + 60% of them,
  among those holding one of the law's own modal words (应当, 不得, 必须 …) 2 + 80%, and among all 判断 items
  2 + 60%. A soft rejection only means "not now": the generator tries the item again after the others.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.legal_text import MODALS
from corpus.legal_text import departments as all_departments
from corpus.names import normalize_title

from .domain import QuizDomain, builtin_domain
from .generate_choice import GENERATOR as CHOICE_FALSE
from .generate_choice import GENERATORS as CHOICE
from .model import LETTERS, QType, Question, normalize_text
from .validate import problem

BLANK_RE = re.compile(r"[（(][\s\u3000]*[)）]|_{2,}|＿{2,}")
_LAW_PREFIX = re.compile(r"^根据《[^《》]+》(?:的规定)?，")
_CATCH_ALL = re.compile(r"以上(?:都|均|全|皆)|全部(?:正确|都对|都是)|都(?:正确|对)$|以上选项|以上说法")
_DIGIT = re.compile(r"\d")

# Bigrams too common in this domain to count as a give-away when an option shares them with the stem.
BASE_COMMON = frozenset({
    "危险", "险化", "化学", "学品", "安全", "管理", "部门", "主管", "单位", "企业", "规定", "国家", "有关", "应当",
    "人民", "民政", "政府", "生产", "储存", "使用", "经营", "运输", "许可", "可证", "监督", "督管", "依法",
})

GATES = ("选项重复", "结构不合法", "题干长度", "缺少空格", "答案不唯一", "兜底选项", "长度暴露答案", "措辞暴露答案",
         "非考生职责", "与条文不符", "语句不完整", "干扰项不同类", "问条号", "近似重复", "互相提示", "判断提示词")
SOFT_GATES = frozenset({"判断提示词"})
ANY_JUDGE = "（全部判断题）"  # the balance of all 判断 answers, kept like a cue word's


def bigrams(text: str) -> set[str]:
    norm = normalize_text(text)
    if len(norm) < 2:
        return {norm} if norm else set()
    return {norm[i:i + 2] for i in range(len(norm) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def signature(question: Question) -> set[str]:
    """What near-duplicate detection compares: the stem (without the law it names) and the text of the key."""
    return bigrams(_LAW_PREFIX.sub("", question.stem) + "".join(question.answer_texts()))


def _contains(a: str, b: str) -> bool:
    """Whether option text `a` equals or contains `b` (normalised); numbers are compared only for equality."""
    na, nb = normalize_text(a), normalize_text(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if _DIGIT.search(na) or _DIGIT.search(nb):
        return False  # "15日" contains "5日", "5万元以上10万元以下" contains "10万元以下": different values
    return len(nb) >= 2 and nb in na


_ORDINAL = set("零一二三四五六七八九十百千第条款项")


def _distinctive(options: list[str], common: frozenset[str]) -> list[set[str]]:
    """Each option's bigrams that no other option has and that are not common in the domain.

    Bigrams of article labels (二十, 一条) are left out: a stem asking 哪一条 shares them by accident.
    """
    grams = [{g for g in bigrams(o) if not set(g) <= _ORDINAL} for o in options]
    out = []
    for i, g in enumerate(grams):
        others = set().union(*(grams[j] for j in range(len(grams)) if j != i)) if len(grams) > 1 else set()
        out.append(g - others - common)
    return out


# -- what the meaning gates read ---------------------------------------------------------------

_QUOTE = re.compile(r"“(.+?)”")
_BOUNDARY_BEFORE = ("。", "；", "\n", "：", ":")
_BOUNDARY_AFTER = ("。", "；", "\n")
_QUALIFIER = re.compile(r"但|除外|除[^，。；]{1,40}外|另有规定")
_ARTICLE_LABEL = re.compile(r"^第[一二三四五六七八九十百零]+条(?:之[一二三四五六七八九十]+)?$")


@dataclass
class GateContext:
    """The articles generated items cite (unit_id -> text), the law each belongs to, and the domain tables."""

    articles: dict[str, str] = field(default_factory=dict)
    law_of: dict[str, str] = field(default_factory=dict)
    domain: QuizDomain | None = None
    _law_norms: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def update(self, other: GateContext) -> None:
        self.articles.update(other.articles)
        self.law_of.update(other.law_of)
        self.domain = self.domain or other.domain
        self._law_norms.clear()

    def law_norms(self, unit_id: str) -> list[str]:
        """The normalised articles of the law an article belongs to, as stems show them (本法 -> 该法)."""
        from .generate_text import display

        law = self.law_of.get(unit_id)
        if law is None:
            return []
        if law not in self._law_norms:
            self._law_norms[law] = [normalize_text(display(t)) for u, t in self.articles.items()
                                    if self.law_of.get(u) == law]
        return self._law_norms[law]


def statement_of(q: Question) -> str:
    """A 判断 stem as the statement it makes: no '根据《X》，', no final 。."""
    return _LAW_PREFIX.sub("", q.stem.strip()).rstrip("。").strip()


def filled(q: Question) -> str:
    """A 单选 stem with its key in the blank, as a statement."""
    text = BLANK_RE.sub(q.answer_texts()[0] if q.answer_texts() else "", q.stem, count=1)
    return _LAW_PREFIX.sub("", text.strip()).rstrip("。").strip()


def quoted(q: Question) -> str | None:
    """The article text a generated item's explanation quotes (its source statement)."""
    m = _QUOTE.search(q.explanation or "")
    return m.group(1) if m else None


def option_kind(text: str) -> str:
    """What an option is: a number with its unit, a department, a government level, a licence, an article, text."""
    from .generate_text import LEVELS, number_tokens

    norm = text.strip()
    tokens = number_tokens(norm)
    if len(tokens) == 1 and tokens[0].text == norm:
        return "number:" + tokens[0].kind.split(":")[0] + (":" + tokens[0].kind.split(":")[1]
                                                          if tokens[0].kind.startswith("count:") else "")
    depts = all_departments(norm)
    if depts and depts[0].start == 0 and depts[-1].end == len(norm):
        return "department"
    if norm in LEVELS:
        return "level"
    if norm.endswith(("许可证", "证书", "通行证")):
        return "licence"
    if _ARTICLE_LABEL.match(norm) or norm.startswith("《") and "》第" in norm:
        return "article"
    return "text"


def _cues(domain: QuizDomain) -> dict[str, bool]:
    """Words a 判断 reader might take as the answer: the modal words (False) and the words the modal mutations
    bring in (True: 可以, 无需, 仅需, 即可, 决定是否 …), which are held to a stricter balance."""
    words = {p: False for p in (p for p, _ in MODALS) if re.fullmatch(r"[\u4e00-\u9fff]+", p)}
    replacements = [part for form in domain.modal_forms for part in form.replacement.split("…") if part]
    replacements += [form.replacement for form in domain.phrase_forms]
    for part in replacements:
        words[part] = True
        words.update({p: True for p in words if p in part})
    return dict(sorted(words.items(), key=lambda w: (-len(w[0]), w[0])))


# -- the gatekeeper ------------------------------------------------------------------------------


@dataclass
class Gatekeeper:
    """Applies the gates; remembers admitted items for the near-duplicate, cross-item and balance gates."""

    common: frozenset[str] = BASE_COMMON
    near_duplicate: float = 0.8
    min_stem: int = 10
    max_stem: int = 200
    length_ratio: float = 1.6
    context: GateContext | None = None
    balance: bool = True  # the 判断 word balance (off when only 正确 or only 错误 items are asked for)
    balance_slack: int = 2
    balance_share: float = 0.6  # for the words mutations bring in (可以, 无需, 仅需 …)
    modal_share: float = 0.8  # for the law's own modal words (应当, 不得, 必须 …)
    judge_share: float = 0.6  # for all 判断 items: "always 正确" must not pay
    # False: items on one article may both be kept when they differ in form (a 判断 and a blank of the same rule):
    # a paper then draws at most one of them (quiz.paper), and papers differ more. The starter bank is built so.
    one_per_rule: bool = True
    admitted: list[Question] = field(default_factory=list)
    _signatures: list[set[str]] = field(default_factory=list, repr=False)
    _texts: list[tuple[str, set[str]]] = field(default_factory=list, repr=False)  # normalised text, its grams
    _stem_grams: list[set[str]] = field(default_factory=list, repr=False)
    _sources: list[str] = field(default_factory=list, repr=False)  # the article text a generated item quotes
    _index: dict[str, set[int]] = field(default_factory=dict, repr=False)  # gram -> admitted positions
    _cue_counts: dict[str, Counter] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.common = frozenset(self.common) | BASE_COMMON
        earlier, self.admitted = list(self.admitted), []
        for q in earlier:
            self._remember(q)

    def extend_context(self, context: GateContext) -> None:
        """Know more articles (a later run over other laws keeps checking what it admits against earlier items)."""
        if self.context is None:
            self.context = GateContext(domain=context.domain)
        self.context.update(context)

    @property
    def domain(self) -> QuizDomain:
        return (self.context.domain if self.context and self.context.domain else None) or builtin_domain()

    def admit(self, question: Question) -> str | None:
        reason = self.check(question)
        if reason is None:
            self._remember(question)
        return reason

    def _remember(self, q: Question) -> None:
        position = len(self.admitted)
        self.admitted.append(q)
        self._signatures.append(signature(q))
        text = self._text(q)
        self._texts.append(text)
        self._stem_grams.append(self._stem_text(q)[1])
        source = quoted(q) if q.origin.kind == "generated" else None
        self._sources.append(normalize_text(source) if source else "")
        for g in text[1] | self._signatures[-1]:
            self._index.setdefault(g, set()).add(position)
        if q.qtype is QType.TRUE_FALSE:
            for cue in self._stem_cues(q):
                self._cue_counts.setdefault(cue, Counter())[q.answer] += 1

    def check(self, question: Question) -> str | None:
        for gate in (self._distinct, self._structure, self._stem, self._blank, self._unique, self._catch_all,
                     self._length, self._wording, self._holder, self._fidelity, self._complete, self._same_kind,
                     self._which, self._near_duplicate, self._cross, self._balance):
            reason = gate(question)
            if reason:
                return reason
        return None

    # -- the form gates ------------------------------------------------------------------------

    @staticmethod
    def _structure(q: Question) -> str | None:
        reason = problem(q)
        return f"结构不合法：{reason}" if reason else None

    def _stem(self, q: Question) -> str | None:
        size = len(normalize_text(q.stem))
        if size < self.min_stem:
            return f"题干长度：题干只有 {size} 个字，过短（至少 {self.min_stem} 个字）"
        if len(q.stem) > self.max_stem:
            return f"题干长度：题干有 {len(q.stem)} 个字，过长（最多 {self.max_stem} 个字）"
        return None

    @staticmethod
    def _blank(q: Question) -> str | None:
        has_blank = bool(BLANK_RE.search(q.stem))
        if q.qtype is QType.TRUE_FALSE:
            return "缺少空格：判断题题干不应含有填空括号" if has_blank else None
        return None if has_blank else "缺少空格：选择题题干缺少作答括号（　　）"

    @staticmethod
    def _distinct(q: Question) -> str | None:
        seen: dict[str, int] = {}
        for i, option in enumerate(q.options):
            key = normalize_text(option)
            if key in seen:
                return f"选项重复：{LETTERS[seen[key]]} 与 {LETTERS[i]} 相同（“{option}”）"
            seen[key] = i
        return None

    @staticmethod
    def _unique(q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        if q.qtype is QType.SINGLE and len(q.answer) != 1:
            return f"答案不唯一：单选题有 {len(q.answer)} 个答案"
        keys = q.answer_texts()
        for i, option in enumerate(q.options):
            if LETTERS[i] in q.answer:
                continue
            for key in keys:
                if _contains(option, key):
                    return f"答案不唯一：干扰项 {LETTERS[i]}“{option}”等于或包含答案“{key}”"
                if q.qtype is QType.SINGLE and _contains(key, option):
                    return f"答案不唯一：答案“{key}”包含干扰项 {LETTERS[i]}“{option}”"
        return None

    @staticmethod
    def _catch_all(q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        for i, option in enumerate(q.options):
            if _CATCH_ALL.search(option):
                return f"兜底选项：选项 {LETTERS[i]}“{option}”为“以上都对”类表述"
        return None

    def _length(self, q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        sizes = [len(normalize_text(o)) for o in q.options]
        keys = [sizes[LETTERS.index(c)] for c in q.answer]
        others = [s for i, s in enumerate(sizes) if LETTERS[i] not in q.answer]
        if not others:
            return None
        mean_others = sum(others) / len(others)
        if q.qtype is QType.SINGLE:
            key = keys[0]
            if key > max(others) and key > self.length_ratio * mean_others:
                return f"长度暴露答案：答案长 {key} 字，其余选项平均 {mean_others:.1f} 字"
        elif min(keys) > max(others) and sum(keys) / len(keys) > self.length_ratio * mean_others:
            return f"长度暴露答案：答案均长于干扰项（平均 {sum(keys) / len(keys):.1f} 字对 {mean_others:.1f} 字）"
        return None

    def _wording(self, q: Question) -> str | None:
        if q.qtype is QType.TRUE_FALSE:
            return None
        stem = bigrams(BLANK_RE.sub("", q.stem))
        shared = [len(d & stem) for d in _distinctive(q.options, self.common)]
        keyed = [shared[LETTERS.index(c)] for c in q.answer]
        others = [s for i, s in enumerate(shared) if LETTERS[i] not in q.answer]
        # One shared bigram is already a hint for a short option (公安 in a stem that names 公安机关).
        needed = 1 if q.qtype is QType.SINGLE else 2
        if others and min(keyed) >= needed and max(others) == 0:
            return "措辞暴露答案：只有答案与题干共用特征词"
        return None

    # -- the meaning gates ---------------------------------------------------------------------

    def _source(self, q: Question) -> str | None:
        """The cited article's text, for a generated item the keeper knows the article of."""
        if q.origin.kind != "generated" or self.context is None or not q.origin.unit_id:
            return None
        return self.context.articles.get(q.origin.unit_id)

    def _holder(self, q: Question) -> str | None:
        if q.origin.kind != "generated" or q.qtype is QType.MULTIPLE or q.origin.generator == "which-article":
            return None
        from .generate_text import analyse, display

        source = quoted(q)
        if source is None:
            return None
        claim = analyse(source, self.domain)
        if claim.holder is None:
            return "非考生职责：条文没有写明由谁承担"
        if not claim.holder.examinee:
            who = "政府或部门" if claim.holder.kind == "政府" else f"“{claim.holder.text}”"
            return f"非考生职责：这是{who}的职责，不是考生或其所在单位的义务"
        shown = statement_of(q) if q.qtype is QType.TRUE_FALSE else q.answer_texts()[0] \
            if q.origin.generator in CHOICE else filled(q)
        if claim.holder.text and normalize_text(display(claim.holder.text)) not in normalize_text(shown):
            return f"非考生职责：题干缺少条文的主语“{claim.holder.text}”"
        return None

    def _fidelity(self, q: Question) -> str | None:
        article = self._source(q)
        if article is None or q.origin.generator == "which-article":
            return None
        from .generate_text import display

        norm_article = normalize_text(display(article))
        if q.qtype is QType.TRUE_FALSE:
            statement = normalize_text(statement_of(q))
            if q.answer == "A" and statement not in norm_article:
                return "与条文不符：判断为“正确”的表述不是条文原文"
            if q.answer == "B":
                law = self.context.law_norms(q.origin.unit_id or "") if self.context else []
                if any(statement in t for t in law):
                    return "与条文不符：判断为“错误”的表述在该法中原文出现"
                source = quoted(q)
                if source is None or normalize_text(display(source)) not in norm_article:
                    return "与条文不符：解析所引原文不在所依据的条文中"
        elif q.origin.generator in CHOICE:  # 下列说法中，错误的是 / 正确的是: the one odd statement is the key
            law = self.context.law_norms(q.origin.unit_id or "") if self.context else []
            key_written = q.origin.generator != CHOICE_FALSE
            for letter, option in zip(LETTERS, q.options):
                written = any(normalize_text(option) in t for t in law)
                if letter in q.answer and written != key_written:
                    return f"与条文不符：答案“{option}”{'不是该法原文' if key_written else '在该法中原文出现'}"
                if letter not in q.answer and written == key_written:
                    return f"与条文不符：干扰项“{option}”{'是该法原文' if key_written else '不是该法原文'}"
        elif q.qtype is QType.SINGLE:
            if normalize_text(filled(q)) not in norm_article:
                return "与条文不符：填入答案后的题干不是条文原文"
        else:
            keys = set(q.answer)
            for letter, option in zip(LETTERS, q.options):
                inside = normalize_text(option).removesuffix("的") in norm_article
                if letter in keys and not inside:
                    return f"与条文不符：答案“{option}”不在所依据的条文中"
                if letter not in keys and normalize_text(option) in norm_article:
                    return f"与条文不符：干扰项“{option}”是条文所列内容"
        return None

    def _complete(self, q: Question) -> str | None:
        article = self._source(q)
        if article is None or q.qtype is QType.MULTIPLE or q.origin.generator == "which-article":
            return None
        source = quoted(q)
        if not source:
            return None
        at = article.find(source)
        if at < 0:
            return "语句不完整：解析所引的语句在条文中找不到"
        before = article[:at].rstrip(" \u3000")
        if before and not before.endswith(_BOUNDARY_BEFORE):
            return f"语句不完整：题干从句子中间开始（前文为“…{before[-8:]}”）"
        after = article[at + len(source):]
        if after and not after.startswith(_BOUNDARY_AFTER):
            return f"语句不完整：题干在句子中间结束（后文为“{after[:8]}…”）"
        sentence_rest = re.split(r"[。\n]", after, maxsplit=1)[0]
        if _QUALIFIER.search(sentence_rest):
            return f"语句不完整：原句后面还有限定（“{sentence_rest[:16]}…”）"
        following = after.lstrip("。；\n ")
        if after.startswith(("。", "\n")) and following.startswith(("但", "除")):
            return f"语句不完整：下一句对它作了限定（“{following[:12]}…”）"
        return None

    def _same_kind(self, q: Question) -> str | None:
        # Whole statements, and the requirements of phrase_choices.tsv: of one kind by how they are made.
        if q.qtype is not QType.SINGLE or q.origin.generator in (*CHOICE, "cloze-phrase"):
            return None
        kinds = [option_kind(o) for o in q.options]
        if len(set(kinds)) > 1:
            listed = "、".join(f"{LETTERS[i]}={k}" for i, k in enumerate(kinds))
            return f"干扰项不同类：选项不是同一类内容（{listed}）"
        if kinds[0] != "department":
            return None
        from .generate_text import dept_level

        text = filled(q)
        key = q.answer_texts()[0]
        mention = next((d for d in all_departments(text) if d.text == key), None)
        if mention is None:
            return None
        level = dept_level(text, mention)
        for letter, option in zip(LETTERS, q.options):
            found = all_departments(option)
            if found and not self.domain.department_at(found[0].current, level):
                where = {"国务院": "国务院", "省": "省级", "市": "设区的市级", "县": "县级"}[level]
                return f"干扰项不同类：{letter}“{option}”在{where}没有设置，不能作为同级部门的干扰项"
        return None

    def _which(self, q: Question) -> str | None:
        if q.qtype is not QType.SINGLE or not q.options or not all(option_kind(o) == "article" for o in q.options):
            return None
        if not q.basis:
            return None
        b = q.basis[0]
        if (normalize_title(b.law), b.article_no, b.article_sub) not in self.domain.well_known:
            return f"问条号：{b.cite()}不是考生必须记住条号的条文（见 well_known_articles.tsv）"
        return None

    # -- across items --------------------------------------------------------------------------

    def _text(self, q: Question) -> tuple[str, set[str]]:
        """What an item shows: its stem (without the blank and the law's name) and its options."""
        stem = _LAW_PREFIX.sub("", BLANK_RE.sub("", q.stem))
        shown = stem + "".join(o for o in q.options if q.qtype is not QType.TRUE_FALSE)
        return normalize_text(shown), bigrams(shown) - self.common

    def _neighbours(self, grams: set[str], share: float) -> list[int]:
        """Admitted items sharing at least `share` of these grams."""
        if not grams:
            return []
        counts: Counter[int] = Counter()
        for g in grams:
            counts.update(self._index.get(g, ()))
        floor = share * len(grams)
        return [i for i, c in counts.items() if c >= floor]

    def _apart(self, q: Question, other: Question) -> bool:
        """Whether two items may both stay because no paper draws them together (one item per article)."""
        if self.one_per_rule or q.origin.generator == other.origin.generator:
            return False
        mine = {(b.law, b.article_no, b.article_sub) for b in q.basis}
        return bool(mine & {(b.law, b.article_no, b.article_sub) for b in other.basis})

    def _near_duplicate(self, q: Question) -> str | None:
        sig = signature(q)
        for i in sorted(self._neighbours(sig, self.near_duplicate)):
            if self._apart(q, self.admitted[i]):
                continue
            score = jaccard(sig, self._signatures[i])
            if score > self.near_duplicate:
                return f"近似重复：与已保留题目“{self.admitted[i].stem[:30]}…”相似度 {score:.2f}"
        return None

    def _answered_by(self, q: Question, text: tuple[str, set[str]], other: tuple[str, set[str]]) -> bool:
        """Whether an item showing `other` gives away the answer of q (whose shown text is `text`)."""
        norm, grams = text
        other_norm, other_grams = other
        if not grams:
            return False
        cover = len(grams & other_grams) / len(grams)
        if q.qtype is QType.TRUE_FALSE:
            return cover >= 0.7  # the same rule stated again tells whether this one is right
        if cover < 0.5:
            return False
        m = BLANK_RE.search(q.stem)
        before = normalize_text(q.stem[:m.start()])[-2:] if m else ""
        after = normalize_text(q.stem[m.end():])[:2] if m else ""
        for key in (normalize_text(k) for k in q.answer_texts()):
            if len(key) >= 6 and key in other_norm:
                return True
            # A short key (应当, 三日) counts where it fills the blank's own context, not anywhere.
            if len(key) >= 2 and ((before and before + key in other_norm) or (after and key + after in other_norm)):
                return True
        return False

    def _cross(self, q: Question) -> str | None:
        text = self._text(q)
        stem_only = self._stem_text(q)
        counts: Counter[int] = Counter()
        for g in text[1] | signature(q):  # what _remember indexes: the same sets both ways
            counts.update(self._index.get(g, ()))
        near = [i for i, c in counts.items() if c >= 0.5 * min(len(stem_only[1]), len(self._stem_grams[i]))]
        source = quoted(q) if q.origin.kind == "generated" else None
        mine = normalize_text(source) if source else ""
        for i in sorted(near):
            other = self.admitted[i]
            if self._apart(q, other):
                continue
            theirs = self._sources[i]
            if mine and theirs and (mine in theirs or theirs in mine):
                # Two items on one rule (a 判断 and a blank of the same sentence, or the sentence two laws share).
                return f"互相提示：与已保留题目“{other.stem[:30]}…”出自同一句条文"
            # Two 多选 on lists of the same kind share options (one list's items are the other's distractors):
            # an option seen in the other item does not say whether it is right here. Their stems still count.
            both_lists = q.qtype is QType.MULTIPLE and other.qtype is QType.MULTIPLE
            seen = self._stem_text(other) if both_lists else self._texts[i]
            if self._answered_by(q, stem_only, seen) or self._answered_by(
                    other, self._stem_text(other), stem_only if both_lists else text):
                return f"互相提示：与已保留题目“{other.stem[:30]}…”同时出现时，一题可答出另一题"
        return None

    def _stem_text(self, q: Question) -> tuple[str, set[str]]:
        stem = _LAW_PREFIX.sub("", BLANK_RE.sub("", q.stem))
        return normalize_text(stem), bigrams(stem) - self.common

    def _stem_cues(self, q: Question) -> list[str]:
        """The cue words in a 判断 stem, and ANY_JUDGE: the answers of all 判断 items are kept in balance too."""
        stem = statement_of(q)
        found = [ANY_JUDGE]
        for cue in _cues(self.domain):
            if cue in stem:
                found.append(cue)
        return found

    def _balance(self, q: Question) -> str | None:
        if not self.balance or q.qtype is not QType.TRUE_FALSE or q.origin.kind != "generated":
            return None
        introduced = _cues(self.domain)
        for cue in self._stem_cues(q):
            counts = self._cue_counts.get(cue, Counter())
            after = counts[q.answer] + 1
            total = sum(counts.values()) + 1
            share = self.judge_share if cue == ANY_JUDGE else self.balance_share if introduced[cue] \
                else self.modal_share
            if after > self.balance_slack + share * total:
                label = "正确" if q.answer == "A" else "错误"
                if cue == ANY_JUDGE:
                    return (f"判断提示词：判断题中答案为“{label}”的已有 {after - 1} 道（共 {total - 1} 道），"
                            f"再加会让考生凭“都选{label}”得分")
                return (f"判断提示词：含“{cue}”的判断题中答案为“{label}”的已有 {after - 1} 道（共 {total - 1} 道），"
                        "再加会让考生凭这个词作答")
        return None


def is_soft(reason: str) -> bool:
    """A rejection that only means "not now" (the 判断 word balance): the item may pass later."""
    return gate_name(reason) in SOFT_GATES


def check_all(questions: Iterable[Question], common: frozenset[str] = BASE_COMMON,
              context: GateContext | None = None) -> list[tuple[Question, str]]:
    """Run the gates over a list in order (as a batch would be admitted); the failures with their reasons.
    With a context (the articles the items cite) the meaning gates run too."""
    keeper = Gatekeeper(common=common, context=context)
    failures = []
    for q in questions:
        reason = keeper.admit(q)
        if reason:
            failures.append((q, reason))
    return failures


def gate_name(reason: str) -> str:
    """'近似重复：…' -> '近似重复' (for counting rejections by gate)."""
    return reason.split("：", 1)[0]
