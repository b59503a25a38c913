"""Exam papers: items drawn from the bank by a blueprint, options shuffled, keys remapped, reproducible by seed.

A paper is drawn from the APPROVED, unflagged items whose roles and enterprise types fit the examinee (an item
with no roles / enterprise types fits everyone). The draw uses random.Random(seed) only, over items sorted by qid,
so the same seed, the same bank and the same `avoid` set give the same paper: an audit redraws it with
`redraw(bank, blueprint, paper)`. Items in `avoid` (what the examinee answered in recent exams) are used only when
the bank has too few other items of that type.

Within a paper, while the bank allows: no two items on one article (a 判断 and a blank on the same rule would
answer each other; the bank may hold both, so that papers differ), and 判断 answers balanced (neither 正确 nor 错误
more than JUDGE_SHARE of the 判断 items, so that "always 正确" does not pay). Where the bank cannot meet them the
paper is still drawn, the rules giving way one by one (RULES).

`Paper.to_dict()` is the full record (keys, original option order, explanations): it stays on the server.
`Paper.public_view()` is what the examinee sees: stems, presented options and points, never a key.
"""
from __future__ import annotations

import random
import re
import secrets
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .blueprint import DIFFICULTY_LEVELS, Blueprint
from .errors import QuizError
from .model import LETTERS, QType, Question, Review
from .qtypes import rule

JUDGE_SHARE = 0.6  # of a paper's 判断 items, at most this share with one answer (the generator's bank-level share)
INSTRUCTIONS = "判断题、单选题每题选一个答案；多选题选两个或以上答案，多选、少选、错选均不得分。"

# An option about the other options ("以上都对") keeps its place; one naming letters ("A和B") keeps the item unshuffled.
_ABOUT_ALL = re.compile(r"^(以上|上述|前述|全部|都|均|皆)")
_NAMES_LETTERS = re.compile(r"[A-H]\s*[和与及、,，或]\s*[A-H]|(?<![A-Za-z])[A-H]{2,}(?![A-Za-z])|选项\s*[A-H]")


@dataclass
class PaperItem:
    position: int  # 1-based, across the whole paper
    qid: str
    qtype: QType
    stem: str
    options: list[str]  # as presented
    key: str  # letters in the presented order
    order: list[int]  # order[j]: the bank's index of presented option j
    points: float
    explanation: str = ""
    basis: list[str] = field(default_factory=list)  # citations, "《安全生产法》第二十一条"
    topics: list[str] = field(default_factory=list)
    difficulty: int = 2

    @property
    def letters(self) -> str:
        return LETTERS[: len(self.options)]

    def to_dict(self) -> dict:
        return {"position": self.position, "qid": self.qid, "qtype": self.qtype.value, "stem": self.stem,
                "options": list(self.options), "key": self.key, "order": list(self.order), "points": self.points,
                "explanation": self.explanation, "basis": list(self.basis), "topics": list(self.topics),
                "difficulty": self.difficulty}

    @classmethod
    def from_dict(cls, data: dict) -> PaperItem:
        return cls(position=int(data["position"]), qid=data["qid"], qtype=QType(data["qtype"]), stem=data["stem"],
                   options=list(data["options"]), key=data["key"], order=[int(i) for i in data["order"]],
                   points=data["points"], explanation=data.get("explanation") or "",
                   basis=list(data.get("basis") or []), topics=list(data.get("topics") or []),
                   difficulty=int(data.get("difficulty") or 2))

    def public(self) -> dict:
        """Stem, presented options and points: nothing that tells the answer."""
        return {"position": self.position, "qtype": self.qtype.value, "stem": self.stem,
                "options": [{"letter": LETTERS[i], "text": t} for i, t in enumerate(self.options)],
                "points": self.points}


@dataclass
class Paper:
    paper_id: str
    blueprint: str  # the blueprint's name
    role: str
    enterprise_type: str
    seed: int
    time_limit: int  # minutes
    pass_mark: float
    total_points: float
    items: list[PaperItem]
    avoided: list[str] = field(default_factory=list)  # qids kept out (recently answered), needed to redraw
    created_at: str = ""

    def to_dict(self) -> dict:
        """The full record, keys included: for the server, the exam record and audits only."""
        return {"paper_id": self.paper_id, "blueprint": self.blueprint, "role": self.role,
                "enterprise_type": self.enterprise_type, "seed": self.seed, "time_limit": self.time_limit,
                "pass_mark": self.pass_mark, "total_points": self.total_points,
                "items": [i.to_dict() for i in self.items], "avoided": list(self.avoided),
                "created_at": self.created_at}

    @classmethod
    def from_dict(cls, data: dict) -> Paper:
        return cls(paper_id=data["paper_id"], blueprint=data["blueprint"], role=data["role"],
                   enterprise_type=data["enterprise_type"], seed=int(data["seed"]), time_limit=int(data["time_limit"]),
                   pass_mark=data["pass_mark"], total_points=data["total_points"],
                   items=[PaperItem.from_dict(i) for i in data["items"]], avoided=list(data.get("avoided") or []),
                   created_at=data.get("created_at") or "")

    def public_view(self) -> dict:
        """What the examinee (or the browser) may see: no keys, explanations, bases, option mapping or seed."""
        counts = {t.value: sum(1 for i in self.items if i.qtype is t) for t in QType}
        return {"paper_id": self.paper_id, "title": self.blueprint, "role": self.role,
                "enterprise_type": self.enterprise_type, "time_limit": self.time_limit,
                "total_points": self.total_points, "pass_mark": self.pass_mark,
                "counts": {k: v for k, v in counts.items() if v}, "instructions": INSTRUCTIONS,
                "items": [i.public() for i in self.items]}

    def keys(self) -> dict[int, str]:
        """position -> key letters (presented order)."""
        return {i.position: i.key for i in self.items}

    def signature(self) -> tuple:
        """What makes two draws the same paper: the items and their option orders, in order."""
        return tuple((i.qid, tuple(i.order)) for i in self.items)

    def qids(self) -> list[str]:
        return [i.qid for i in self.items]

    def item(self, position: int) -> PaperItem:
        if not 1 <= position <= len(self.items):
            raise QuizError(f"题号 {position} 不存在；本试卷共 {len(self.items)} 题（题号 1–{len(self.items)}）")
        return self.items[position - 1]


def new_seed() -> int:
    return secrets.randbelow(2**31)


def candidates(bank, blueprint: Blueprint, role: str | None = None, enterprise_type: str | None = None,
               include_flagged: bool = False) -> list[Question]:
    """The bank items a paper for this examinee may use: approved, fitting the examinee's role (or the
    blueprint's) and enterprise type, sharing a blueprint topic if it names any, without review flags."""
    roles = {role or blueprint.role, blueprint.role}
    items = bank.list(review=Review.APPROVED, roles=roles,
                      enterprise_types=enterprise_type or blueprint.enterprise_type,
                      topics=list(blueprint.topics) or None, flagged=None if include_flagged else False)
    return sorted(items, key=lambda q: q.qid)


def _targets(need: int, mix: dict[int, float]) -> dict[int, int]:
    """Split `need` items by the difficulty shares (largest remainder, ties to the lower level)."""
    exact = {level: need * mix.get(level, 0) for level in DIFFICULTY_LEVELS}
    counts = {level: int(v) for level, v in exact.items()}
    left = need - sum(counts.values())
    for level in sorted(DIFFICULTY_LEVELS, key=lambda lv: (-(exact[lv] - counts[lv]), lv))[:left]:
        counts[level] += 1
    return counts


def _articles(q: Question) -> set[tuple]:
    return {(b.law, b.article_no, b.article_sub) for b in q.basis}


def _primary(q: Question) -> set[tuple]:
    return {(b.law, b.article_no, b.article_sub) for b in q.basis[:1]}


# The rules a paper keeps while its items allow, strictest first: (articles, 判断 balance). Articles "all": no
# article cited by two items; "about": no item about an article another item cites (a 下列说法 item's other options
# state rules another item may ask about: one would answer the other); "primary": no two items about one article
# (a 判断 and a blank on one rule); "none": no article rule.
# "about" first gives way to "primary" with the balance kept; then the balance gives way before the article rules
# are dropped altogether: a leak between two items is worse than an unbalanced 判断 section.
RULES = (("all", True), ("about", True), ("primary", True), ("about", False), ("primary", False), ("none", True),
         ("none", False))


class _Sheet:
    """What a paper holds so far: the articles its items cite, and its 判断 answers."""

    def __init__(self) -> None:
        self.articles: set[tuple] = set()
        self.primary: set[tuple] = set()
        self.answers: dict[str, int] = {}

    def fits(self, q: Question, need: int, keep: tuple[str, bool]) -> bool:
        articles, balance = keep
        if articles == "all" and self.articles & _articles(q):
            return False
        if articles == "about" and (self.primary & _articles(q) or _primary(q) & self.articles):
            return False
        if articles == "primary" and self.primary & _primary(q):
            return False
        if balance and q.qtype is QType.TRUE_FALSE:
            cap = max(1, int(JUDGE_SHARE * need + 0.5))
            return self.answers.get(q.answer, 0) < cap
        return True

    def take(self, q: Question) -> None:
        self.articles |= _articles(q)
        self.primary |= _primary(q)
        if q.qtype is QType.TRUE_FALSE:
            self.answers[q.answer] = self.answers.get(q.answer, 0) + 1


def _pick(rng: random.Random, pool: list[Question], need: int, mix: dict[int, float], sheet: _Sheet,
          later: Iterable[Question] = ()) -> list[Question]:
    """`need` items from `pool` in a random order, then from `later` (recently answered items) if the pool runs
    short. Within each, the sheet's RULES are kept as long as the items allow, strictest first; at each step the
    difficulty shares are met first, then any level. Once the strictest rule cannot be met, items citing fewer
    articles go first: they leave more room for the rest."""
    later = list(later)
    groups = [rng.sample(pool, len(pool)), rng.sample(later, len(later))]
    targets = _targets(need, mix) if mix else {}
    chosen: list[Question] = []
    taken: set[str] = set()

    def fill(order: list[Question], wanted: int, level: int | None, keep: tuple[str, bool]) -> None:
        for q in order:
            if wanted <= 0 or len(chosen) == need:
                return
            if q.qid in taken or (level is not None and q.difficulty != level) or not sheet.fits(q, need, keep):
                continue
            chosen.append(q)
            taken.add(q.qid)
            sheet.take(q)
            wanted -= 1

    for order in groups:
        for i, keep in enumerate(RULES):
            if i == 1:
                order = sorted(order, key=lambda q: len(q.basis))  # stable: the random order within each size
            for level, target in targets.items():
                fill(order, target - sum(1 for q in chosen if q.difficulty == level), level, keep)
            fill(order, need - len(chosen), None, keep)
    return chosen


def _order(rng: random.Random, question: Question) -> list[int]:
    """The presented order of the options: 判断 keeps 正确/错误; an option about the others keeps its place."""
    n = len(question.options)
    if not rule(question.qtype).shuffle:
        return list(range(n))
    texts = [unicodedata.normalize("NFKC", o).strip() for o in question.options]
    if any(_NAMES_LETTERS.search(t) for t in texts):
        return list(range(n))
    fixed = {i for i, t in enumerate(texts) if _ABOUT_ALL.match(t)}
    free = [i for i in range(n) if i not in fixed]
    shuffled = free[:]
    rng.shuffle(shuffled)
    moved = iter(shuffled)
    return [i if i in fixed else next(moved) for i in range(n)]


def remap_key(answer: str, order: list[int]) -> str:
    """The bank's key letters in the presented order."""
    return "".join(LETTERS[j] for j, original in enumerate(order) if LETTERS[original] in answer)


def draw_paper(bank, blueprint: Blueprint, seed: int | None = None, role: str | None = None,
               enterprise_type: str | None = None, avoid: Iterable[str] = (), pool: list[Question] | None = None,
               include_flagged: bool = False) -> Paper:
    """A paper exactly matching the blueprint's counts. `avoid`: qids to leave out while enough others exist.

    `pool` (the result of `candidates(...)`) saves reading the bank again when drawing many papers.
    Raises QuizError naming the type that is short and how many items it needs.
    """
    seed = new_seed() if seed is None else int(seed)
    if seed < 0:  # random.Random(-1) is random.Random(1): two seeds would give one paper
        raise QuizError(f"随机种子 {seed} 无效：应为 0 或正整数（同一种子、同一题库得到同一份试卷）")
    rng = random.Random(seed)
    items = candidates(bank, blueprint, role, enterprise_type, include_flagged) if pool is None else pool
    avoid = set(avoid)
    by_type: dict[QType, list[Question]] = {t: [] for t in QType}
    for q in sorted(items, key=lambda q: q.qid):
        by_type[q.qtype].append(q)
    short = [(t, n, len(by_type[t])) for t, n in blueprint.counts.items() if len(by_type[t]) < n]
    if short:
        who = f"{role or blueprint.role}（{enterprise_type or blueprint.enterprise_type}）"
        detail = "；".join(f"{t.value}题需要 {n} 道，只有 {have} 道，还差 {n - have} 道" for t, n, have in short)
        raise QuizError(f"题库中适用于{who}的已审核题目不足，无法按蓝图“{blueprint.name}”组卷：{detail}。"
                        "请导入或审核通过更多题目（hazkb quiz import / hazkb quiz review），"
                        "或为题目标注适用岗位和企业类型")
    paper_items: list[PaperItem] = []
    sheet = _Sheet()
    wanted = [t for t in QType if blueprint.counts.get(t, 0)]
    picked: dict[QType, list[Question]] = {}
    # The type with the fewest items to spare first: it gets the articles it needs, the others keep clear of them.
    for qtype in sorted(wanted, key=lambda t: (len(by_type[t]) / blueprint.counts[t], list(QType).index(t))):
        need = blueprint.counts[qtype]
        fresh = [q for q in by_type[qtype] if q.qid not in avoid]
        recent = [q for q in by_type[qtype] if q.qid in avoid] if len(fresh) < need else []
        picked[qtype] = _pick(rng, fresh, need, blueprint.difficulty_mix, sheet, recent)
    for qtype in wanted:  # presented in the usual order: 判断, 单选, 多选
        chosen = picked[qtype]
        rng.shuffle(chosen)
        for q in chosen:
            order = _order(rng, q)
            paper_items.append(PaperItem(
                position=len(paper_items) + 1, qid=q.qid, qtype=q.qtype, stem=q.stem,
                options=[q.options[i] for i in order], key=remap_key(q.answer, order), order=order,
                points=blueprint.points[qtype], explanation=q.explanation, basis=[b.cite() for b in q.basis],
                topics=list(q.topics), difficulty=q.difficulty))
    return Paper(paper_id=uuid.uuid4().hex[:12], blueprint=blueprint.name, role=role or blueprint.role,
                 enterprise_type=enterprise_type or blueprint.enterprise_type, seed=seed,
                 time_limit=blueprint.time_limit, pass_mark=blueprint.pass_mark, total_points=blueprint.total_points,
                 items=paper_items, avoided=sorted(avoid),
                 created_at=datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds"))


def redraw(bank, blueprint: Blueprint, paper: Paper) -> Paper:
    """Draw again with the paper's seed, examinee and avoided items (an audit: same bank -> same signature)."""
    return draw_paper(bank, blueprint, seed=paper.seed, role=paper.role, enterprise_type=paper.enterprise_type,
                      avoid=paper.avoided)
