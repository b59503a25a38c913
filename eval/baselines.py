"""Naive baselines on the same corpus: plain character-bigram BM25 and plain jieba BM25 over all units."""
from __future__ import annotations

import numpy as np

from corpus.catalog import Catalog
from retriever.lexical import _Field
from retriever.tokenize import bigrams

from .gold import LawKeys
from .metrics import Key


def _plain_jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # jieba's own dictionary, no legal terms
    return lambda text: [w for w in tokenizer.lcut(text) if w.strip()]


def _build(catalog: Catalog, tokenize, progress: bool):
    from tqdm import tqdm

    field, keys = _Field(), []
    docs = {d.doc_id: d.title for d in catalog.documents()}
    for unit in tqdm(catalog.iter_units(), desc="基线索引", unit="条", disable=not progress):
        field.add(tokenize(unit.text))
        keys.append((docs[unit.doc_id], unit.label if unit.article_no else None))
    field.compile()
    return field, keys


def baseline_rankers(catalog: Catalog, laws: LawKeys, k: int = 10, progress: bool = False) -> dict:
    rankers = {}
    for name, tokenize in (("bigram_bm25", bigrams), ("jieba_bm25", _plain_jieba())):
        field, keys = _build(catalog, tokenize, progress)

        def rank(question: str, field=field, keys=keys, tokenize=tokenize) -> list[Key]:
            scores = field.score(tokenize(question), len(keys))
            out: list[Key] = []
            for pos in np.argsort(-scores)[: k * 3]:
                if scores[pos] <= 0:
                    break
                title, label = keys[pos]
                key = (laws.key(title), label)
                if label is not None and key not in out:
                    out.append(key)
            return out[:k]

        rankers[name] = rank
    return rankers
