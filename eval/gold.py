"""Gold sets (JSONL): {"q", "gold": [{"law", "article"}], "alt": [...], "category"}; laws matched by name or alias."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.catalog import Catalog
from corpus.errors import HazkbError
from corpus.names import normalize_title
from corpus.numbers import article_label, parse_article

from .metrics import Key


@dataclass
class GoldQuestion:
    q: str
    gold: list[Key]
    alt: list[Key] = field(default_factory=list)
    category: str = "未分类"
    role: str | None = None


class LawKeys:
    """Map any law name or alias to one normalised key, through the catalog's alias index."""

    def __init__(self, catalog: Catalog):
        self.names = catalog.law_names()
        self.catalog = catalog
        self._cache: dict[str, str] = {}

    def key(self, law: str) -> str:
        if law not in self._cache:
            norm = normalize_title(law)
            ids = self.names.get(norm)
            self._cache[law] = normalize_title(self.catalog.document(ids[0]).title) if ids else norm
        return self._cache[law]


def _keys(items: list[dict], laws: LawKeys, where: str) -> list[Key]:
    keys = []
    for item in items or []:
        try:
            number, sub = parse_article(item["article"])
            sub = int(item.get("sub") or sub)
            keys.append((laws.key(item["law"]), article_label(number, sub)))
        except (KeyError, ValueError, TypeError) as exc:
            raise HazkbError(f"{where}：依据格式应为 "
                             f"{{\"law\": \"法规名\", \"article\": 15 或 \"第十五条\"}}（{exc}）") from exc
    return keys


def read_jsonl(path: Path) -> Iterator[tuple[int, str, dict]]:
    """(line number, where for messages, object) of each non-empty line of a gold JSONL file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise HazkbError(f"无法读取评测集 {path}（{exc}）；请确认文件存在且为 UTF-8 编码的 JSONL") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path} 第{n}行"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise HazkbError(f"{where} 不是合法的 JSON（{exc.msg}）；每行应为一个 JSON 对象") from exc
        if not isinstance(row, dict):
            raise HazkbError(f"{where} 应为一个 JSON 对象")
        yield n, where, row


def load_gold(path: Path, catalog: Catalog) -> list[GoldQuestion]:
    laws = LawKeys(catalog)
    out = []
    for _n, where, row in read_jsonl(path):
        if "q" not in row:
            raise HazkbError(f"{where} 缺少问题字段 \"q\"")
        if "violations" in row:  # an answer-level finding: its obligations and penalties are what to retrieve
            out.append(_from_violations(row, laws, where))
            continue
        out.append(GoldQuestion(q=row["q"], gold=_keys(row.get("gold") or [], laws, where),
                                alt=_keys(row.get("alt") or [], laws, where), category=row.get("category", "未分类"),
                                role=row.get("role")))
    return out


def _from_violations(row: dict, laws: LawKeys, where: str) -> GoldQuestion:
    """An answer-level finding as a retrieval question: gold = its obligation and penalty articles, alt = the
    articles its writer accepts as second choices (the 2013 条例 parallel, the general law)."""
    gold: list[dict] = []
    alt: list[dict] = []
    for v in row.get("violations") or []:
        gold += [*v.get("obligation", []), *v.get("penalty", [])]
        alt += [*v.get("obligation_alt", []), *v.get("penalty_alt", [])]
    keys = list(dict.fromkeys(_keys(gold, laws, where)))
    return GoldQuestion(q=row["q"], gold=keys, alt=[k for k in dict.fromkeys(_keys(alt, laws, where)) if k not in keys],
                        category=row.get("enterprise") or "未分类", role="违法依据")
