"""Tokens for lexical search: character bigrams of CJK text, and words from a legal-term jieba tokenizer.

Bigrams are the strongest single signal on this corpus (measured MRR .68 vs .55 for jieba words);
words add precision on terms like 重大危险源 that bigrams split across unrelated matches.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import cached_property

log = logging.getLogger(__name__)

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?")

# Terms jieba would split or miss; added to a private tokenizer instance, never the global one.
LEGAL_TERMS = (
    "危险化学品", "剧毒化学品", "易制爆危险化学品", "易制毒化学品", "重大危险源", "安全技术说明书", "安全标签",
    "安全警示标志", "安全生产许可证", "安全使用许可证", "经营许可证", "安全评价", "安全条件审查", "应急预案",
    "应急救援", "生产经营单位", "主要负责人", "安全生产管理人员", "特种作业人员", "特种作业操作证", "从业人员",
    "安全生产责任制", "隐患排查治理", "事故隐患", "重大事故隐患", "动火作业", "受限空间作业", "危险作业",
    "特殊作业", "押运人员", "通行证", "专用仓库", "双人收发", "双人保管", "安全距离", "防护距离",
    "应急管理部门", "安全生产监督管理部门", "负有安全生产监督管理职责的部门", "公安机关", "交通运输主管部门",
    "生态环境主管部门", "市场监督管理部门", "责令限期改正", "责令停产停业整顿", "罚款", "没收违法所得",
    "吊销", "迟报", "漏报", "谎报", "瞒报", "职业病危害", "特种设备", "压力容器", "压力管道", "气瓶",
    "加油站", "加气站", "充装", "储罐", "装卸", "化工园区", "安全设施", "三同时", "劳动防护用品",
)

_STOP_BIGRAMS = frozenset({"的是", "是什", "什么", "怎么", "哪条", "依据", "规定", "如何", "应该", "有没", "没有"})


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def bigrams(text: str) -> list[str]:
    """CJK runs as overlapping bigrams (a lone character stays a unigram); ASCII words and numbers whole."""
    out: list[str] = []
    for run in _CJK_RUN.findall(normalize(text)):
        if not "\u4e00" <= run[0] <= "\u9fff":
            out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def query_bigrams(text: str) -> list[str]:
    """Bigrams of a question, without question-word bigrams that only add noise."""
    return [b for b in bigrams(text) if b not in _STOP_BIGRAMS]


class WordTokenizer:
    """jieba words with the legal-term dictionary, on a private Tokenizer instance (lazy: jieba loads ~1 s)."""

    def __init__(self, extra_terms: tuple[str, ...] = ()):
        self.extra_terms = extra_terms

    @cached_property
    def _jieba(self):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        for term in (*LEGAL_TERMS, *self.extra_terms):
            tokenizer.add_word(term, freq=200000)
        return tokenizer

    def words(self, text: str) -> list[str]:
        out = []
        for word in self._jieba.lcut(normalize(text), HMM=False):
            word = word.strip()
            if word and (len(word) > 1 or "\u4e00" <= word <= "\u9fff") and _CJK_RUN.fullmatch(word):
                out.append(word)
        return out
