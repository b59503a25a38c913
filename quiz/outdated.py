"""Find questions the current law may have overtaken; flag them for review, never change their content.

For items with a basis:
* the basis law has a newer version whose same-numbered article is gone or reads differently;
* the basis law is repealed;
* the basis article no longer exists (in the current version, or its linked version left the catalog).
An article whose text is unchanged in the newer version raises nothing.

For imported items without a basis, a conservative number check: when the stem names a law 《X》 in the
catalog, each amount with a unit (15日, 二十万元, 24小时, 3个月, 百分之三十 …, as corpus.legal_text reads them)
the item asserts (the stem of a 判断 item keyed 正确, the stem and keyed options of a choice item) must appear
in an article of the current X that clearly deals with the same matter (shares many of the item's
distinctive bigrams, close to the best match). The check stays silent when no such article is found, and for
判断 items keyed 错误 (their numbers are meant to be wrong).

New flags go into Question.flags; a generated item is also set back to 待审核, an imported or manual one
keeps its status. Retired items are not checked.
"""
from __future__ import annotations

import logging
import re
from datetime import date

from corpus.errors import NotFoundError
from corpus.legal_text import CN_DIGITS, amount_label, amount_set
from corpus.model import Document, Status, Unit, UnitKind

from .model import Basis, QType, Question, Review, normalize_text

log = logging.getLogger(__name__)

# An article deals with "the same matter" when it shares at least this many distinctive bigrams with the
# item, and at least RELATIVE_TO_BEST of what the best-matching article shares.
MIN_SHARED_BIGRAMS = 6
RELATIVE_TO_BEST = 0.6
# Bigrams found in more than this share of a law's articles (安全, 生产, 单位 …) say nothing.
COMMON_BIGRAM_SHARE = 0.15

_TITLE = re.compile(r"《([^《》]{2,60})》")
_NUMERAL_CHARS = set(CN_DIGITS)
_CJK = re.compile(r"[\u4e00-\u9fff]+")

# The amounts a text asserts, {(value, unit)}: '十五日内' -> (15, 日); '20万元' and '二十万元' -> (200000, 元).
# corpus.legal_text.amount_set, under the name this module has always exported.
amounts = amount_set


def _bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in _CJK.findall(text or "") for i in range(len(run) - 1)}


class _LawTexts:
    """The articles of one document, with their bigrams and amounts, read once per run."""

    def __init__(self, catalog, doc: Document):
        self.doc = doc
        self.articles = [u for u in catalog.units(doc.doc_id) if u.kind is UnitKind.ARTICLE]
        self.bigrams = [_bigrams(u.text) for u in self.articles]
        self.amounts = [amount_set(u.text) for u in self.articles]
        counts: dict[str, int] = {}
        for grams in self.bigrams:
            for g in grams:
                counts[g] = counts.get(g, 0) + 1
        limit = max(2, COMMON_BIGRAM_SHARE * len(self.articles))
        self.common = {g for g, n in counts.items() if n > limit}

    def related(self, text: str, skip: set[str]) -> list[int]:
        """Indexes of the articles that clearly deal with what `text` says (numerals do not count)."""
        wanted = {g for g in _bigrams(text) - self.common - skip if not set(g) & _NUMERAL_CHARS}
        scores = [len(wanted & grams) for grams in self.bigrams]
        best = max(scores, default=0)
        floor = max(MIN_SHARED_BIGRAMS, RELATIVE_TO_BEST * best)
        return [i for i, score in enumerate(scores) if score >= floor]


class _Checker:
    def __init__(self, catalog):
        self.catalog = catalog
        self._texts: dict[str, _LawTexts] = {}

    def texts(self, doc: Document) -> _LawTexts:
        if doc.doc_id not in self._texts:
            self._texts[doc.doc_id] = _LawTexts(self.catalog, doc)
        return self._texts[doc.doc_id]

    def _article(self, doc: Document, basis: Basis) -> Unit | None:
        try:
            return self.catalog.article(doc.doc_id, basis.article_no, basis.article_sub)
        except NotFoundError:
            return None

    def basis_problems(self, basis: Basis) -> list[str]:
        versions = self.catalog.versions(basis.law)
        cite = basis.cite()
        linked: Unit | None = None
        if basis.unit_id:
            try:
                linked = self.catalog.unit(basis.unit_id)
            except NotFoundError:
                linked = None
        if not versions:
            if basis.unit_id:
                return [f"依据条文已不在知识库中：{cite}，请核对"]
            return []  # never resolvable: the import already flagged it
        current = self.catalog.find_law(basis.law)
        if current.status is Status.REPEALED:
            return [f"依据的《{basis.law}》已废止（{cite}），请核对或停用本题"]
        if linked is None:
            if self._article(current, basis) is None:
                return [f"现行《{basis.law}》中已没有{basis.article}（依据：{cite}），请核对"]
            if basis.unit_id:
                return [f"依据条文原所在的版本已不在知识库中，现行《{basis.law}》{basis.article}可能已修改，请核对"]
            return []
        doc = self.catalog.document(linked.doc_id)
        if doc.doc_id == current.doc_id:
            return []
        if (current.version_date or date.min) <= (doc.version_date or date.min):
            return []
        when = current.version_date.isoformat() if current.version_date else "日期不详"
        new_article = self._article(current, basis)
        if new_article is None:
            return [f"《{basis.law}》已有新版本（{when}），新版本中已没有{basis.article}（依据：{cite}），请核对"]
        if normalize_text(new_article.text) != normalize_text(linked.text):
            return [f"《{basis.law}》已有新版本（{when}），{basis.article}内容已修改（依据：{cite}），请核对题目和答案"]
        return []

    def number_problems(self, question: Question) -> list[str]:
        if question.qtype is QType.TRUE_FALSE:
            if question.answer != "A":
                return []  # a false statement's numbers are meant to be wrong
            claimed = question.stem
        else:
            claimed = " ".join([question.stem, *question.answer_texts()])
        asserted = amount_set(claimed)
        if not asserted:
            return []
        problems: list[str] = []
        for name in dict.fromkeys(m.group(1).strip() for m in _TITLE.finditer(question.stem)):
            try:
                doc = self.catalog.find_law(name)
            except NotFoundError:
                continue
            if doc.status is Status.REPEALED:
                continue
            texts = self.texts(doc)
            related = texts.related(claimed, _bigrams(name))
            if not related:
                continue  # no article clearly about the same matter: no judgement
            known = set().union(*(texts.amounts[i] for i in related))
            missing = sorted(asserted - known)
            if missing:
                shown = "、".join(amount_label(*a) for a in missing)
                problems.append(f"题目中的数字与现行《{name}》不一致，请核对（“{shown}”未见于相关条文）")
        return problems


def flag_outdated(bank, catalog) -> list[tuple[str, str]]:
    """Check every draft and approved item; returns (qid, reason) for each finding, old or new.

    Findings not yet among the item's flags are added to them (and a generated item goes back to 待审核);
    running it twice changes nothing the second time.
    """
    checker = _Checker(catalog)
    findings: list[tuple[str, str]] = []
    for question in bank.list(review=[Review.DRAFT, Review.APPROVED]):
        if question.basis:
            reasons = [r for b in question.basis for r in checker.basis_problems(b)]
        elif question.origin.kind == "imported":
            reasons = checker.number_problems(question)
        else:
            reasons = []
        reasons = list(dict.fromkeys(reasons))
        findings.extend((question.qid, r) for r in reasons)
        new = [r for r in reasons if r not in question.flags]
        if not new:
            continue
        question.flags.extend(new)
        if question.origin.kind == "generated":
            question.review = Review.DRAFT
        bank.update(question)
        log.info("题目 %s 已标记：%s", question.qid, "；".join(new))
    return findings
