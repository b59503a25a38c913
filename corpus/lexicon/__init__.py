"""The domain vocabulary as reviewed data: TSV tables in this folder, one per kind, checked when loaded.

| file              | columns                                  | what it holds                                      |
|-------------------|------------------------------------------|----------------------------------------------------|
| terms.tsv         | 词条, 扩展, 类别, 理由                    | colloquial words and abbreviations -> \
regulations' wording |
| chemicals.tsv     | 名称, 类别, 管制, 理由                    | hazardous chemicals by common name, and controls   |
| sectors.tsv       | 行业, 对象词, 理由                        | the objects a sector law governs                   |
| laws.tsv          | 法规, 组别, 行业, 理由                    | the domain's laws: core / broad / procedure / other, \
and their sector |
| intents.tsv       | 意图, 模式, 理由                          | what a question asks (regular-expression fragments) |
| legal_terms.tsv   | 术语, 理由                                | words the tokenizer keeps whole                    |
| law_aliases.tsv   | 法规, 简称, 理由                          | short names inspectors type                        |
| law_relations.tsv | 法规, 关系, 另一法规, 起始日, 范围, 理由  | superseded / lower / special law                    |
| row_phrases.tsv   | 法规, 条, 款, 项, 说法, 说明              | how a violation row's behaviour is said on site     |
| article_questions.tsv | 法规, 条, 问法, 说明                  | the questions people ask that an article answers    |
| accident_grades.tsv | 等级, 死亡, 重伤, 理由                  | accident grades by deaths and serious injuries      |
| partial_duties.tsv | 法规, 条, 款, 没有罚则的部分, 发现说法, 理由 | duties (or parts) no penalty reaches, as said |
| unit_profiles.tsv | 企业类型, 别名, 单位类型, 行业, 理由      | the inspected unit's type, as the finding's setting |

A bureau adds its own words in `<home>/lexicon/terms.tsv`, `chemicals.tsv`, `row_phrases.tsv` and
`article_questions.tsv` (same columns); they are checked the same way; terms and chemicals may not repeat a built-in
entry, phrases and questions add to a row's or an article's built-in ones (`hazkb doctor` checks that they name rows
and articles of the catalog). Every problem is reported with its file and line.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from ..errors import HazkbError
from ..text import CLAUSE_BREAK, clause_start
from ..tsv import read_tsv

DATA_DIR = Path(__file__).resolve().parent
# what a bureau may add under <home>/lexicon/
LOCAL_FILES = ("terms.tsv", "chemicals.tsv", "row_phrases.tsv", "article_questions.tsv")

TERM_KINDS = frozenset({"简称", "术语", "口语", "概念", "问法", "单字"})
SINGLE = "单字"  # the only kind whose key may be one character (matched only as a whole word)
MIN_KEY_LEN = 2
# plus "law:<title>" intents that name the law answering them
INTENTS = frozenset({"penalty", "penalty_first", "obligation_first", "procedure", "duty", "supplementary",
                     "definition", "occupational", "domain", "rule", "accident", "stated", "reported", "person", "unit",
                     "liable", "lends", "uncertified", "complied", "disables", "conceals", "controlled_act",
                     "enforcer", "permits", "no_rules", "dangerous_goods"})
# The persons a penalty row may sanction (corpus.violations.PERSON_SUBJECTS); "role:" intents name them in findings.
ROLES = frozenset({"主要负责人", "安全生产管理人员", "从业人员"})
LAW_GROUPS = frozenset({"core", "broad", "procedure", "other"})
DOMAIN_GROUPS = ("core", "broad", "procedure")  # the groups of the domain's laws
# special_of prevails over the general law for the same conduct; sector_of (a law of one kind of object: 锅炉,
# 职业病危害) prevails for whatever the finding says of its objects, as inspectors cite the sector law first.
SPECIAL_RELATIONS = frozenset({"special_of", "sector_of"})
RELATIONS = frozenset({"superseded_by", "lower_than"}) | SPECIAL_RELATIONS
# A controlled chemical's category adds the regulations' word for it (氰化钠 -> 剧毒化学品).
CONTROLS = {"剧毒": "剧毒化学品", "易制爆": "易制爆危险化学品", "易制毒": "易制毒化学品",
            "易制毒一类": "第一类易制毒化学品", "易制毒二类": "第二类易制毒化学品"}
# Naming a first- or second-class precursor speaks of precursor control (individuals may not buy them); the third
# class (甲苯, 硫酸, 盐酸 ...) are everyday hazardous chemicals, and a finding about them says 易制毒 when it means it.
STRICT_PRECURSORS = frozenset({"第一类易制毒化学品", "第二类易制毒化学品"})
# 剧毒化学品 and 易制爆危险化学品 share a regime of their own (购买许可, 流向备案, 治安防范) no other chemical is under.
TOXIC_OR_EXPLOSIVE = frozenset({CONTROLS["剧毒"], CONTROLS["易制爆"]})
# A precursor chemical the lexicon does not treat as a hazardous chemical (胡椒醛, 麻黄素): naming it says 易制毒化学品,
# not 危险化学品.
NOT_HAZCHEM = "非危险化学品"
PHRASE_LEN = (4, 40)  # a row phrase is a short finding, not a paragraph
RowKey = tuple[str, int, int, int | None]  # (normalised law, article, 款, 项) of a violation row
ArticleKey = tuple[str, int]  # (normalised law, article)
QUESTION_LEN = (6, 40)  # an article question is one plain question


# A record's written negation (未设置, 未查验, 未佩戴) said the spoken way (没设置): the lexicon's patterns for what a
# finding says were written from findings told aloud (没查, 没装), so a record-style finding is also matched in its
# spoken form. 未来 is no negation.
_WRITTEN_NOT = re.compile(r"未(?!来)")


@lru_cache(maxsize=256)  # one finding is matched against a hundred patterns
def spoken_forms(text: str) -> tuple[str, ...]:
    """The text, and its spoken form when it says 未 (未设置 -> 没设置)."""
    spoken = _WRITTEN_NOT.sub("没", text)
    return (text,) if spoken == text else (text, spoken)


def said(pattern: re.Pattern[str], text: str) -> bool:
    """A finding pattern of the lexicon finds the text, in its own words or in their spoken form."""
    return any(pattern.search(form) for form in spoken_forms(text))


class LexiconError(HazkbError):
    """A vocabulary table has a bad entry; the message names the file, the line and the fix."""


def norm(text: str) -> str:
    """Keys are compared the way questions are normalised: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower().strip()


@dataclass(frozen=True)
class Term:
    key: str
    expansion: tuple[str, ...]
    kind: str
    reason: str
    where: str  # file:line, for messages

    @property
    def single(self) -> bool:
        return self.kind == SINGLE


@dataclass(frozen=True)
class AccidentGrade:
    name: str  # 一般事故 …
    deaths: tuple[int, int | None]  # inclusive range; None: no upper bound
    injured: tuple[int, int | None]  # serious injuries (incl. acute industrial poisoning)

    def holds(self, deaths: int, injured: int) -> bool:
        return any(low <= n and (high is None or n <= high)
                   for n, (low, high) in ((deaths, self.deaths), (injured, self.injured)))


@dataclass(frozen=True)
class Relation:
    law: str
    relation: str
    other: str
    since: date | None
    scope: str
    reason: str


@dataclass(frozen=True)
class PartialDuty:
    """A duty no penalty reaches, as findings say it was not done: mostly the part of a 款 whose other part is
    sanctioned (演练 vs 报送演练情况), or a whole 款 findings often name (安全管理人员任免未告知)."""
    law: str  # normalised title
    title: str  # as written in the table (the law's full title)
    article: int
    para: int
    part: str  # the 款's own words for that requirement, verbatim
    said: re.Pattern[str]  # a finding saying it was not done
    where: str


@dataclass(frozen=True)
class UnitProfile:
    """A type of inspected unit an inspector chooses before the findings (危险化学品经营, 加油加气站): what a finding
    at such a unit says of its setting without writing it."""
    name: str
    aliases: tuple[str, ...]
    kinds: frozenset[str]  # "type:" intents: the kinds of unit it is (经营)
    sectors: frozenset[str]  # laws.tsv sectors whose objects it deals in (危险化学品)


@dataclass(frozen=True)
class Lexicon:
    terms: dict[str, Term]
    chemicals: dict[str, str]  # name -> class
    chemical_controls: dict[str, tuple[str, ...]]  # name -> regulated categories (剧毒化学品 ...)
    sector_words: dict[str, tuple[str, ...]]  # sector -> words
    law_groups: dict[str, str]  # normalised law title -> core / broad / procedure / other
    law_sectors: dict[str, str]  # normalised law title -> sector
    intents: dict[str, re.Pattern[str]]
    legal_terms: tuple[str, ...]
    law_aliases: dict[str, tuple[str, ...]]
    relations: tuple[Relation, ...]
    local_files: tuple[str, ...] = field(default=())
    # How a row's behaviour is said on site ("双氧水和甲醇混放在一个库"), by the row's (law, article, 款, 项).
    row_phrases: dict[RowKey, tuple[str, ...]] = field(default_factory=dict)
    # The questions people ask that an article answers ("危化品经营许可证去哪个部门办？"), by (law, article).
    article_questions: dict[ArticleKey, tuple[str, ...]] = field(default_factory=dict)
    accident_grades: tuple[AccidentGrade, ...] = ()  # lowest first
    partial_duties: tuple[PartialDuty, ...] = ()
    unit_profiles: tuple[UnitProfile, ...] = ()

    def unit_profile(self, name: str) -> UnitProfile | None:
        """The unit type by its name or an alias ("经营(带储存)"); a name with a qualifier the table lacks
        ("一般工贸企业（冶金）") by the name before it. None when neither is known."""
        key = norm(name)
        for candidate in (key, re.sub(r"\(.*\)$", "", key).strip()):
            for profile in self.unit_profiles:
                if candidate in (norm(profile.name), *map(norm, profile.aliases)):
                    return profile
        return None

    def special_laws(self, general: str) -> dict[str, Relation]:
        """The special and sector laws of a general law (normalised titles) -> their relation, which names the
        objects (scope) they govern."""
        return {r.law: r for r in self.relations if r.relation in SPECIAL_RELATIONS and r.other == general and r.scope}

    def higher_law(self, law: str, day: date) -> tuple[str, bool] | None:
        """(the law cited first on the day, whether it supersedes this one) for a superseded or lower law
        (normalised titles); None for a law nothing stands above."""
        for r in self.relations:
            if r.law == law and r.relation in ("superseded_by", "lower_than") and (r.since is None or r.since <= day):
                return r.other, r.relation == "superseded_by"
        return None

    def laws_in(self, *groups: str) -> frozenset[str]:
        return frozenset(law for law, g in self.law_groups.items() if g in groups)

    def intent(self, name: str) -> re.Pattern[str]:
        return self.intents[name]

    def says(self, name: str, text: str) -> bool:
        """The finding says what the intent names, in its own words or their spoken form (spoken_forms)."""
        return said(self.intents[name], text)

    def asks(self, name: str, text: str) -> bool:
        """The text asks a question of this kind (duty, procedure, rule, definition): some match is not part of a
        statement of the finding, where its clause goes on to say what is missing ("安全谁管一个字没提")."""
        stated, reported = self.intents["stated"], self.intents["reported"]
        for match in self.intents[name].finditer(text):
            end = CLAUSE_BREAK.search(text, match.end())
            if stated.search(text, match.end(), end.start() if end else len(text)):
                continue
            if reported.search(text, clause_start(text, match.start()), match.start()):
                continue  # the inspector's own question, reported ("问企业有哪些风险，说不上来")
            return True
        return False

    def _prefixed(self, prefix: str) -> dict[str, re.Pattern[str]]:
        """The intents named "<prefix><what>" (type:运输, role:安全生产管理人员, expand:委托 承运): what -> pattern."""
        return {name[len(prefix):]: p for name, p in self.intents.items() if name.startswith(prefix)}

    def unit_types(self) -> dict[str, re.Pattern[str]]:
        """Kinds of unit a finding or a penalty row speaks of (运输, 经营, 港口): type -> pattern."""
        return self._prefixed("type:")

    def unit_kinds(self, text: str) -> set[str]:
        """The kinds of unit a text names (a finding, a row's subject, a duty's opening words)."""
        return {kind for kind, pattern in self.unit_types().items() if pattern.search(text)}

    def asked_roles(self, text: str) -> set[str]:
        """The persons a finding asks about by their role, as the catalog's subjects: the roles named in a clause
        that asks how a person is sanctioned ("安全员个人要担什么责任" -> 安全生产管理人员; not the 安全员 of
        "老板说安全的事全交给安全员了，…针对老板本人怎么罚")."""
        clauses = [text[clause_start(text, m.start()):m.end()] for m in self.intents["person"].finditer(text)]
        return {role for role, p in self._prefixed("role:").items() if any(p.search(c) for c in clauses)}

    def pattern_expansions(self, text: str) -> list[str]:
        """The regulations' words for what a text says in a way no fixed word catches ("找了个个体货车把硫酸拉走"
        -> 委托 承运): the "expand:" intents that match it."""
        return [w for words, p in self._prefixed("expand:").items() if said(p, text) for w in words.split()]

    def law_intents(self) -> dict[str, re.Pattern[str]]:
        """Question kinds that name the law answering them: law title -> pattern."""
        return self._prefixed("law:")

    def sector_pattern(self, sector: str) -> re.Pattern[str] | None:
        words = self.sector_words.get(sector)
        return re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None

    def dictionary(self) -> tuple[str, ...]:
        """Words a tokenizer should keep whole: legal terms, term keys and chemical names."""
        words = [*self.legal_terms, *(t.key for t in self.terms.values() if not t.single), *self.chemicals]
        return tuple(dict.fromkeys(words))

    def phrases_for(self, law: str, article: int, para: int, item: int | None) -> tuple[str, ...]:
        return self.row_phrases.get((_law(law), article, para, item), ())

    def questions_for(self, law: str, article: int) -> tuple[str, ...]:
        return self.article_questions.get((_law(law), article), ())

    def phrases_fingerprint(self) -> str:
        """Changes when the row phrases change (a row index built with others is stale)."""
        text = "\n".join(f"{k}\t{'|'.join(v)}" for k, v in sorted(self.row_phrases.items(), key=repr))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    def fingerprint(self) -> str:
        """Changes when the tokenizer dictionary changes (indexes built with another one are stale)."""
        return hashlib.sha1("\n".join(self.dictionary()).encode("utf-8")).hexdigest()[:12]


# -- reading ------------------------------------------------------------------------------------------------

def _listed(text: str) -> list[str]:
    """A cell listing several names with "、" (管制 易制毒、易制爆; 别名; 单位类型; 行业), empty entries dropped."""
    return [x.strip() for x in text.split("、") if x.strip()]


def _rows(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> Iterator[tuple[str, list[str]]]:
    return read_tsv(path, columns, LexiconError, optional)


def _law(title: str) -> str:
    from ..names import normalize_title

    return normalize_title(title)


def _read_terms(path: Path, into: dict[str, Term]) -> None:
    for where, (key, expansion, kind, reason) in _rows(path, ("词条", "扩展", "类别", "理由")):
        key = norm(key)
        if kind not in TERM_KINDS:
            raise LexiconError(f"{where}：类别“{kind}”无效；应为{'、'.join(sorted(TERM_KINDS))}之一")
        if len(key) < MIN_KEY_LEN and kind != SINGLE:
            raise LexiconError(f"{where}：词条“{key}”太短，会在别的词里误匹配；至少 {MIN_KEY_LEN} 个字，"
                               f"或把类别写成“{SINGLE}”（只在独立成词时匹配）")
        if kind == SINGLE and len(key) != 1:
            raise LexiconError(f"{where}：类别“{SINGLE}”只用于一个字的词条，“{key}”有 {len(key)} 个字")
        words = tuple(w for w in dict.fromkeys(norm(expansion).split()) if w != key)
        if not words:
            raise LexiconError(f"{where}：词条“{key}”的扩展只是它自己，没有作用；请删除这一行或写出法规用语")
        if key in into:
            raise LexiconError(f"{where}：词条“{key}”重复（已见于 {into[key].where}）；请合并为一行")
        into[key] = Term(key, words, kind, reason, where)


def _read_chemicals(path: Path, into: dict[str, str], controls: dict[str, tuple[str, ...]],
                    where_of: dict[str, str]) -> None:
    for where, (name, klass, control, _reason) in _rows(path, ("名称", "类别", "管制", "理由"), optional=("管制",)):
        name = norm(name)
        if len(name) < MIN_KEY_LEN:
            raise LexiconError(f"{where}：名称“{name}”太短，至少 {MIN_KEY_LEN} 个字（单字会在别的词里误匹配）")
        if name in into:
            raise LexiconError(f"{where}：化学品“{name}”重复（已见于 {where_of[name]}）")
        kinds = tuple(_listed(control))
        unknown = [k for k in kinds if k not in CONTROLS]
        if unknown:
            raise LexiconError(f"{where}：管制类别“{'、'.join(unknown)}”无效；应为{'、'.join(CONTROLS)}，或留空")
        if klass == NOT_HAZCHEM and not kinds:
            raise LexiconError(f"{where}：“{name}”的类别是“{NOT_HAZCHEM}”，须在“管制”列写明管制类别（如 易制毒）")
        into[name] = klass
        controls[name] = tuple(CONTROLS[k] for k in kinds)
        where_of[name] = where


def _read_intents(path: Path) -> dict[str, re.Pattern[str]]:
    parts: dict[str, list[str]] = {}
    borrowed: list[tuple[str, str, str]] = []  # (where, intent, the intent whose patterns it uses: "@disables")
    for where, (intent, pattern, _reason) in _rows(path, ("意图", "模式", "理由")):
        if intent.startswith("role:") and intent.split(":", 1)[1] not in ROLES:
            raise LexiconError(f"{where}：“{intent}”中的违法主体不是违法行为库使用的主体（{'、'.join(sorted(ROLES))}）")
        if intent.startswith("expand:") and not intent.split(":", 1)[1].strip():
            raise LexiconError(f"{where}：“{intent}”没写扩展的法规用语；写成 expand:法规用语（多个用空格分开）")
        if intent not in INTENTS and not intent.startswith(("law:", "type:", "role:", "expand:")):
            raise LexiconError(f"{where}：意图“{intent}”不是程序使用的意图（{'、'.join(sorted(INTENTS))}，"
                               "或 law:法规名、type:单位类型、role:违法主体、expand:法规用语）")
        if pattern.startswith("@"):
            borrowed.append((where, intent, pattern[1:]))
            continue
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise LexiconError(f"{where}：模式“{pattern}”不是合法的正则表达式（{exc}）") from exc
        if compiled.search(""):
            raise LexiconError(f"{where}：模式“{pattern}”能匹配空字符串，会匹配所有问题")
        if pattern in parts.setdefault(intent, []):
            raise LexiconError(f"{where}：意图“{intent}”的模式“{pattern}”重复")
        parts[intent].append(pattern)
    for where, intent, other in borrowed:  # one pattern kept once: a matched disabling act also adds its words
        if other not in parts:
            raise LexiconError(f"{where}：模式“@{other}”指的意图在本文件中没有模式；写成 @意图名（如 @disables），"
                               "用那条意图的全部模式")
        parts.setdefault(intent, []).extend(p for p in parts[other] if p not in parts.get(intent, []))
    missing = INTENTS - set(parts)
    if missing:
        raise LexiconError(f"{path.name}：缺少意图 {'、'.join(sorted(missing))}")
    return {name: re.compile("|".join(p), re.IGNORECASE) for name, p in parts.items()}


def _read_laws(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    groups: dict[str, str] = {}
    sectors: dict[str, str] = {}
    for where, (law, group, sector, _reason) in _rows(path, ("法规", "组别", "行业", "理由"), optional=("行业",)):
        if group not in LAW_GROUPS:
            raise LexiconError(f"{where}：组别“{group}”无效；应为 core、broad、procedure 或 other")
        name = _law(law)
        if name in groups:
            raise LexiconError(f"{where}：法规“{law}”重复")
        groups[name] = group
        if sector:
            sectors[name] = sector
    return groups, sectors


def _read_sectors(path: Path, known: set[str]) -> dict[str, tuple[str, ...]]:
    words: dict[str, list[str]] = {}
    for where, (sector, word, _reason) in _rows(path, ("行业", "对象词", "理由")):
        if sector not in known:
            raise LexiconError(f"{where}：行业“{sector}”不在 laws.tsv 的“行业”列中；请先在 laws.tsv 中为法规标明行业")
        word = norm(word)
        if len(word) < MIN_KEY_LEN:
            raise LexiconError(f"{where}：对象词“{word}”太短（子串匹配），至少 {MIN_KEY_LEN} 个字")
        if word in words.setdefault(sector, []):
            raise LexiconError(f"{where}：行业“{sector}”的对象词“{word}”重复")
        words[sector].append(word)
    return {k: tuple(v) for k, v in words.items()}


def _read_legal_terms(path: Path) -> tuple[str, ...]:
    terms: dict[str, str] = {}
    for where, (term, _reason) in _rows(path, ("术语", "理由")):
        if len(term) < MIN_KEY_LEN:
            raise LexiconError(f"{where}：术语“{term}”太短")
        if term in terms:
            raise LexiconError(f"{where}：术语“{term}”重复（已见于 {terms[term]}）")
        terms[term] = where
    return tuple(terms)


def _read_aliases(path: Path) -> dict[str, tuple[str, ...]]:
    aliases: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for where, (law, alias, _reason) in _rows(path, ("法规", "简称", "理由")):
        name = _law(law)
        if len(alias) < MIN_KEY_LEN:
            raise LexiconError(f"{where}：简称“{alias}”太短")
        if alias in owner:
            raise LexiconError(f"{where}：简称“{alias}”已用于《{owner[alias]}》；一个简称只能指一部法规")
        owner[alias] = name
        aliases.setdefault(name, []).append(alias)
    return {k: tuple(v) for k, v in aliases.items()}


def _read_relations(path: Path, laws: dict[str, str], sectors: set[str]) -> tuple[Relation, ...]:
    out = []
    columns = ("法规", "关系", "另一法规", "起始日", "范围", "理由")
    for where, (law, relation, other, since, scope, reason) in _rows(path, columns, optional=("起始日", "范围")):
        if relation not in RELATIONS:
            raise LexiconError(f"{where}：关系“{relation}”无效；应为{'、'.join(sorted(RELATIONS))}之一")
        for name in (law, other):
            if _law(name) not in laws:
                raise LexiconError(f"{where}：法规“{name}”不在 laws.tsv 中")
        if scope and scope not in sectors:
            raise LexiconError(f"{where}：范围“{scope}”不是 laws.tsv 中的行业；请写行业名或留空")
        if relation == "sector_of" and not scope:
            raise LexiconError(f"{where}：sector_of 必须写“范围”（该法调整的对象所属行业）")
        try:
            day = date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise LexiconError(f"{where}：起始日“{since}”应写成 YYYY-MM-DD") from exc
        out.append(Relation(_law(law), relation, _law(other), day, scope, reason))
    return tuple(out)


def read_row_phrases(path: Path, into: dict[RowKey, list[str]] | None = None) -> dict[RowKey, list[str]]:
    """法规, 条, 款, 项, 说法, 说明: one way a violation row is said on site per line (项 empty when the 款 has none).
    The law may be a bureau's own document, so whether the row exists is checked against a corpus (the tests for
    the shipped table; `hazkb doctor` for a bureau's), not here."""
    into = {} if into is None else into
    columns = ("法规", "条", "款", "项", "说法", "说明")
    for where, (law, article, para, item, phrase, _note) in _rows(path, columns, optional=("项", "说明")):
        try:
            key = (_law(law), int(article), int(para), int(item) if item else None)
        except ValueError as exc:
            raise LexiconError(f"{where}：条、款、项应写阿拉伯数字（如 101、1、10），项可以留空") from exc
        if min(n for n in key[1:] if n is not None) < 1:
            raise LexiconError(f"{where}：条、款、项从 1 起算")
        if not PHRASE_LEN[0] <= len(phrase) <= PHRASE_LEN[1]:
            raise LexiconError(f"{where}：说法“{phrase}”应为 {PHRASE_LEN[0]}–{PHRASE_LEN[1]} 个字的一句现场说法")
        _add_once(into, key, phrase)
    return into


def read_article_questions(path: Path,
                           into: dict[ArticleKey, list[str]] | None = None) -> dict[ArticleKey, list[str]]:
    """法规, 条, 问法, 说明: one question per line that the article answers. Whether the article exists is checked
    against a corpus (the tests for the shipped table; `hazkb doctor` for a bureau's), not here."""
    into = {} if into is None else into
    for where, (law, article, question, _note) in _rows(path, ("法规", "条", "问法", "说明"), optional=("说明",)):
        try:
            key = (_law(law), int(article))
        except ValueError as exc:
            raise LexiconError(f"{where}：条应写阿拉伯数字（如 54）") from exc
        if key[1] < 1:
            raise LexiconError(f"{where}：条从 1 起算")
        if not QUESTION_LEN[0] <= len(question) <= QUESTION_LEN[1]:
            raise LexiconError(f"{where}：问法“{question}”应为 {QUESTION_LEN[0]}–{QUESTION_LEN[1]} 个字的一个问题")
        _add_once(into, key, question)
    return into


def _add_once(into: dict, key: tuple, text: str) -> None:
    """A phrase or question added to its row's or article's list, unless it is there already."""
    texts = into.setdefault(key, [])
    if text not in texts:
        texts.append(text)


def _count_range(text: str, where: str, column: str) -> tuple[int, int | None]:
    low, sep, high = text.partition("-")
    try:
        bounds = (int(low), int(high) if high else None)
    except ValueError as exc:
        raise LexiconError(f"{where}：{column}“{text}”应写成“下限-上限”（如 3-9，或 30- 表示不封顶）") from exc
    if not sep or bounds[0] < 1 or (bounds[1] is not None and bounds[1] < bounds[0]):
        raise LexiconError(f"{where}：{column}“{text}”应写成“下限-上限”，下限至少为 1 且不大于上限")
    return bounds


def _read_accident_grades(path: Path) -> tuple[AccidentGrade, ...]:
    grades: list[AccidentGrade] = []
    for where, (name, deaths, injured, _reason) in _rows(path, ("等级", "死亡", "重伤", "理由")):
        grade = AccidentGrade(norm(name), _count_range(deaths, where, "死亡"), _count_range(injured, where, "重伤"))
        if grades and (grade.deaths[0] <= grades[-1].deaths[0] or grade.injured[0] <= grades[-1].injured[0]):
            raise LexiconError(f"{where}：等级须按人数从低到高排列，“{grade.name}”的下限不高于上一行")
        grades.append(grade)
    return tuple(grades)


def _read_partial_duties(path: Path) -> tuple[PartialDuty, ...]:
    out = []
    columns = ("法规", "条", "款", "没有罚则的部分", "发现说法", "理由")
    for where, (law, article, para, part, said, _reason) in _rows(path, columns):
        try:
            numbers = int(article), int(para)
        except ValueError as exc:
            raise LexiconError(f"{where}：条、款应写阿拉伯数字（如 8、2）") from exc
        try:
            pattern = re.compile(said, re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{where}：发现说法“{said}”不是合法的正则表达式（{exc}）") from exc
        if pattern.search(""):
            raise LexiconError(f"{where}：发现说法“{said}”能匹配空字符串，会匹配所有检查发现")
        out.append(PartialDuty(_law(law), law, *numbers, part, pattern, where))
    return tuple(out)


def _read_unit_profiles(path: Path, kinds: set[str], sectors: set[str]) -> tuple[UnitProfile, ...]:
    out: list[UnitProfile] = []
    seen: dict[str, str] = {}
    columns = ("企业类型", "别名", "单位类型", "行业", "理由")
    for where, (name, aliases, kind_text, sector_text, _reason) in _rows(path, columns,
                                                                        optional=("别名", "单位类型", "行业")):
        names = [name, *_listed(aliases)]
        for n in names:
            if norm(n) in seen:
                raise LexiconError(f"{where}：名称“{n}”已用于 {seen[norm(n)]}；一个名称只能指一种单位类型")
            seen[norm(n)] = where
        own_kinds = frozenset(_listed(kind_text))
        if own_kinds - kinds:
            raise LexiconError(f"{where}：单位类型“{'、'.join(sorted(own_kinds - kinds))}”不是 intents.tsv 中的 type:"
                               f" 意图；应为{'、'.join(sorted(kinds))}，或留空")
        own_sectors = frozenset(_listed(sector_text))
        if own_sectors - sectors:
            raise LexiconError(f"{where}：行业“{'、'.join(sorted(own_sectors - sectors))}”不在 laws.tsv 的“行业”列中")
        out.append(UnitProfile(name, tuple(names[1:]), own_kinds, own_sectors))
    return tuple(out)


def _check_no_overlap(terms: dict[str, Term], chemicals: dict[str, str]) -> None:
    both = sorted(set(terms) & set(chemicals))
    if both:
        raise LexiconError(f"“{'、'.join(both)}”同时是词条和化学品名；请只保留一处")


def _load(data_dir: Path, local_dir: Path | None) -> Lexicon:
    terms: dict[str, Term] = {}
    _read_terms(data_dir / "terms.tsv", terms)
    chemicals: dict[str, str] = {}
    controls: dict[str, tuple[str, ...]] = {}
    where_of: dict[str, str] = {}
    _read_chemicals(data_dir / "chemicals.tsv", chemicals, controls, where_of)
    local = []
    if local_dir is not None and local_dir.is_dir():
        if (local_dir / "terms.tsv").exists():
            _read_terms(local_dir / "terms.tsv", terms)
            local.append(str(local_dir / "terms.tsv"))
        if (local_dir / "chemicals.tsv").exists():
            _read_chemicals(local_dir / "chemicals.tsv", chemicals, controls, where_of)
            local.append(str(local_dir / "chemicals.tsv"))
    _check_no_overlap(terms, chemicals)
    groups, law_sectors = _read_laws(data_dir / "laws.tsv")
    phrases = read_row_phrases(data_dir / "row_phrases.tsv")
    if local_dir is not None and (local_dir / "row_phrases.tsv").exists():
        read_row_phrases(local_dir / "row_phrases.tsv", phrases)
        local.append(str(local_dir / "row_phrases.tsv"))
    questions = read_article_questions(data_dir / "article_questions.tsv")
    if local_dir is not None and (local_dir / "article_questions.tsv").exists():
        read_article_questions(local_dir / "article_questions.tsv", questions)
        local.append(str(local_dir / "article_questions.tsv"))
    intents = _read_intents(data_dir / "intents.tsv")
    kinds = {name.split(":", 1)[1] for name in intents if name.startswith("type:")}
    return Lexicon(
        terms=terms,
        chemicals=chemicals,
        chemical_controls=controls,
        sector_words=_read_sectors(data_dir / "sectors.tsv", set(law_sectors.values())),
        law_groups=groups,
        law_sectors=law_sectors,
        intents=intents,
        legal_terms=_read_legal_terms(data_dir / "legal_terms.tsv"),
        law_aliases=_read_aliases(data_dir / "law_aliases.tsv"),
        relations=_read_relations(data_dir / "law_relations.tsv", groups, set(law_sectors.values())),
        local_files=tuple(local),
        row_phrases={k: tuple(v) for k, v in phrases.items()},
        article_questions={k: tuple(v) for k, v in questions.items()},
        accident_grades=_read_accident_grades(data_dir / "accident_grades.tsv"),
        partial_duties=_read_partial_duties(data_dir / "partial_duties.tsv"),
        unit_profiles=_read_unit_profiles(data_dir / "unit_profiles.tsv", kinds, set(law_sectors.values())),
    )


@cache
def builtin_lexicon() -> Lexicon:
    """The shipped tables (read once; they are part of the package and never change at run time)."""
    return _load(DATA_DIR, None)


def load_lexicon(local_dir: Path | None = None, data_dir: Path = DATA_DIR) -> Lexicon:
    """The shipped tables plus a bureau's own terms under `local_dir` (normally <home>/lexicon)."""
    if local_dir is None and data_dir == DATA_DIR:
        return builtin_lexicon()
    return _load(data_dir, local_dir)
