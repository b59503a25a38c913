"""Query understanding: the lexicon's terms and chemical names, law names in the question, direct article lookups."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.citations import parse_references
from corpus.lexicon import NOT_HAZCHEM, STRICT_PRECURSORS, Lexicon, UnitProfile
from corpus.model import Reference
from corpus.names import normalize_title
from corpus.numbers import NUMERAL

from .casualties import accident_grade
from .tokenize import WordTokenizer, bigrams, normalize, query_bigrams, straddles
from .weights import W_EXPANSION

_ARTICLE_AFTER_LAW = re.compile(rf"^\s*(?:的)?\s*第?\s*({NUMERAL})\s*(?:条|、)")
# Short aliases that are also ordinary words inside longer names need a length floor.
MIN_ALIAS_LEN = 3


@dataclass
class LawMention:
    name: str  # as found in the question
    norm: str  # normalised alias
    doc_ids: list[str]
    start: int
    end: int


@dataclass
class ParsedQuery:
    text: str
    normalized: str
    content: str  # the question without the law names it mentions (those route; they do not describe)
    expansion: str  # synonym expansions of the content, space-separated
    laws: list[LawMention] = field(default_factory=list)
    lookups: list[tuple[LawMention, int, int]] = field(default_factory=list)  # "X法第N条": (law, number, sub)
    chemicals: list[str] = field(default_factory=list)  # the chemicals the question names (named_chemicals)
    wants_penalty: bool = False
    unit_type: UnitProfile | None = None  # the inspected unit's type, chosen apart from the text (ask --unit-type)

    @property
    def named_docs(self) -> set[str]:
        """The documents of the laws the question names."""
        return {d for m in self.laws for d in m.doc_ids}

    @property
    def search_text(self) -> str:
        return f"{self.content} {self.expansion}".strip()

    def weighted_bigrams(self) -> tuple[list[str], dict[str, float]]:
        """The bigrams a BM25 field is searched with: the question's own, then its expansions' that it lacks, each
        of those weighing W_EXPANSION."""
        own = query_bigrams(self.content)
        expansion = [b for b in bigrams(self.expansion) if b not in set(own)]
        return own + expansion, {b: W_EXPANSION for b in expansion}


def _occurs(text: str, key: str, spans: list[tuple[int, int]]) -> bool:
    """The key occurs and is not part of a longer word: "监护" matches in "没有人监护" but not in "监护人",
    "卖" in "在家里卖汽油" but not in "买卖", "体检" not in "气体/检测" (straddles)."""
    start = text.find(key)
    while start != -1:
        end = start + len(key)
        inside = any(s <= start and end <= e and e - s > len(key) for s, e in spans)
        if not inside and not straddles(start, end, spans):
            return True
        start = text.find(key, start + 1)
    return False


def matched_terms(text: str, lexicon: Lexicon, words: WordTokenizer) -> list[str]:
    """The lexicon's term keys found in the text as whole words."""
    text = normalize(text)
    keys = [key for key in lexicon.terms if key in text]
    if not keys:
        return []
    spans = words.spans(text)
    return [key for key in keys if _occurs(text, key, spans)]


def named_chemicals(text: str, lexicon: Lexicon, words: WordTokenizer) -> list[str]:
    """Hazardous chemicals named as such, not as a workplace exposure ("接触甲苯" is occupational health)."""
    text = normalize(text)
    if lexicon.intent("occupational").search(text):
        return []
    names = [n for n in lexicon.chemicals if n in text]
    if not names:
        return []
    spans = words.spans(text)
    return [n for n in names if _occurs(text, n, spans)]


def any_hazardous(names: list[str], lexicon: Lexicon) -> bool:
    """Whether a named chemical is a hazardous chemical (胡椒醛, a precursor only, is not)."""
    return any(lexicon.chemicals[n] != NOT_HAZCHEM for n in names)


def strict_precursors(names: list[str], lexicon: Lexicon) -> list[str]:
    """The first- or second-class precursors among named chemicals, by their control (胡椒醛 -> 第一类易制毒化学品)."""
    return [c for n in names for c in lexicon.chemical_controls.get(n, ()) if c in STRICT_PRECURSORS]


def regime_controls(text: str, names: list[str], lexicon: Lexicon) -> list[str]:
    """The controls of the named chemicals (剧毒化学品, 易制爆危险化学品, 易制毒化学品 …) when the text speaks of an act
    their regime rules (intent controlled_act: 买卖、记录、流向、备案 …); none when it only names them."""
    if not lexicon.intent("controlled_act").search(text):
        return []
    return [c for n in names for c in lexicon.chemical_controls.get(n, ())]


def expand(text: str, lexicon: Lexicon, words: WordTokenizer) -> str:
    """The regulations' words for the lexicon terms in the text (added to the query, never replacing it)."""
    found: list[str] = []
    for key in matched_terms(text, lexicon, words):
        found += [w for w in lexicon.terms[key].expansion if w not in found]
    found += [w for w in lexicon.pattern_expansions(text) if w not in found]
    chemicals = named_chemicals(text, lexicon, words)
    if any_hazardous(chemicals, lexicon) and "危险化学品" not in text and "危险化学品" not in found:
        found.append("危险化学品")
    for control in regime_controls(text, chemicals, lexicon):  # a controlled chemical's regime, when it is the topic
        if control not in found and control not in text:
            found.append(control)
    grade = accident_grade(text, lexicon.accident_grades)  # "炸死了三个人" -> 较大事故
    if grade and grade not in text:
        found.append(grade)
    return " ".join(found)


def find_laws(text: str, alias_index: dict[str, list[str]]) -> list[LawMention]:
    """Law names and aliases in the question, longest first, non-overlapping."""
    clean = text.replace("《", "").replace("》", "")
    taken = [False] * len(clean)
    mentions: list[LawMention] = []
    for alias in sorted(alias_index, key=len, reverse=True):
        if len(alias) < MIN_ALIAS_LEN and not alias.endswith("法"):
            continue
        if len(alias) < 2:
            continue
        start = clean.find(alias)
        while start != -1:
            end = start + len(alias)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                mentions.append(LawMention(alias, alias, alias_index[alias], start, end))
            start = clean.find(alias, end)
    # "中华人民共和国安全生产法" normalises to its short form; handle the prefix the same way.
    return sorted(mentions, key=lambda m: m.start)


def _normalize_article_text(rest: str) -> str:
    """'第 一百一十三 条', '134条之一', '78条1款8项' -> forms the citation parser reads."""
    rest = re.sub(r"\s+", "", rest)
    if not rest.startswith("第"):
        rest = "第" + rest
    return re.sub(r"条(\d+)款", r"条第\1款", re.sub(r"款(\d+)项", r"款第\1项", rest))


def parse_query(question: str, alias_index: dict[str, list[str]], lexicon: Lexicon,
                words: WordTokenizer, unit_type: UnitProfile | None = None) -> ParsedQuery:
    text = normalize(question).strip()
    clean = text.replace("《", "").replace("》", "").replace("中华人民共和国", "")
    laws = find_laws(clean, alias_index)
    lookups = []
    for mention in laws:
        rest = clean[mention.end:]
        if not _ARTICLE_AFTER_LAW.match(rest):
            continue
        # Lists and several articles: 第二十四、二十五条, 第31条和第101条 (parsed as a citation of this law).
        # Numbers no law uses (第10000条) stay lookups: the search reports them as articles the corpus lacks.
        bad: list[Reference] = []
        refs = parse_references(f"《{mention.name}》{_normalize_article_text(rest)}", out_of_range=bad)
        for ref in refs + bad:
            if ref.law is not None and ref.article_no is not None:
                item = (mention, ref.article_no, ref.article_sub)
                if item not in lookups:
                    lookups.append(item)
    content = clean
    for mention in sorted(laws, key=lambda m: -m.start):
        content = content[:mention.start] + " " + content[mention.end:]
    return ParsedQuery(
        text=question,
        normalized=clean,
        content=content,
        expansion=expand(content, lexicon, words),
        laws=laws,
        lookups=lookups,
        chemicals=named_chemicals(clean, lexicon, words),
        wants_penalty=bool(lexicon.intent("penalty").search(clean)),
        unit_type=unit_type,
    )


def alias_index_for(names: dict[str, list[str]]) -> dict[str, list[str]]:
    """Normalise alias keys the way questions are normalised (lower case, NFKC)."""
    return {normalize(normalize_title(k)): v for k, v in names.items() if k}
