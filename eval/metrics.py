"""Ranking metrics on (law, article) keys: hit@k, recall@k, MRR, lenient MRR (gold or alt)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

Key = tuple[str, str]  # (normalised law title, article label such as 第十五条之一)


@dataclass
class QuestionResult:
    q: str
    category: str
    gold: list[Key]
    alt: list[Key]
    ranked: list[Key]

    def first_rank(self, keys: set[Key]) -> int | None:
        for i, key in enumerate(self.ranked, start=1):
            if key in keys:
                return i
        return None

    @property
    def rank(self) -> int | None:
        return self.first_rank(set(self.gold))

    @property
    def lenient_rank(self) -> int | None:
        return self.first_rank(set(self.gold) | set(self.alt))

    def hit(self, k: int) -> bool:
        return self.rank is not None and self.rank <= k

    def recall(self, k: int) -> float:
        gold = set(self.gold)
        return len(gold & set(self.ranked[:k])) / len(gold) if gold else 0.0

    def as_dict(self) -> dict:
        return {"q": self.q, "category": self.category, "rank": self.rank, "lenient_rank": self.lenient_rank,
                "gold": [list(g) for g in self.gold], "top": [list(r) for r in self.ranked[:5]]}


def _rr(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def summarize(results: list[QuestionResult], k: int = 10) -> dict:
    n = len(results)
    if n == 0:
        return {"n": 0, "hit@1": 0.0, "hit@5": 0.0, "hit@10": 0.0, "recall@10": 0.0, "mrr": 0.0, "lenient_mrr": 0.0}
    return {
        "n": n,
        "hit@1": sum(r.hit(1) for r in results) / n,
        "hit@5": sum(r.hit(5) for r in results) / n,
        "hit@10": sum(r.hit(10) for r in results) / n,
        f"recall@{k}": sum(r.recall(k) for r in results) / n,
        "mrr": sum(_rr(r.rank) for r in results) / n,
        "lenient_mrr": sum(_rr(r.lenient_rank) for r in results) / n,
    }


def by_category(results: list[QuestionResult], k: int = 10) -> dict[str, dict]:
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        groups[r.category].append(r)
    return {cat: summarize(rs, k) for cat, rs in sorted(groups.items())}
