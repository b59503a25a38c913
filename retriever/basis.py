"""Citations from matched violation rows: the obligation (违法依据) and the 项 (处罚依据), each quoted from the corpus,
with how sure the match is. A referral row ("依照《X》的规定处罚") is followed to the referred law's row."""
from __future__ import annotations

from datetime import date

from corpus.model import Unit
from corpus.names import normalize_title
from corpus.numbers import provision_label
from corpus.violations import KIND_REFERRAL, LINK_NAMES, ObligationLink, ViolationRow
from corpus.violations.referrals import ReviewedReferral, referred_for

from .citation import (
    ROLE_OBLIGATION,
    ROLE_PARALLEL,
    ROLE_PENALTY,
    TO_CHECK,
    VIA_GAP,
    VIA_REFERRED,
    VIA_ROW,
    Citation,
    make_citation,
)
from .enforcement import RowMatch, ViolationMatcher, same_behaviour
from .query import ParsedQuery
from .row_index import LEAD_SUBJECT
from .search import Searcher
from .tokenize import bigrams, query_bigrams
from .weights import REFERRED_SAME


def _row_item(cite: Citation, row: ViolationRow) -> None:
    """The citation names the row's 项 (or 款), quoted with its label."""
    cite.item = f"{row.label}：{row.item_quote}"
    cite.para, cite.item_no = row.para, row.item


def _para_item(cite: Citation, unit: Unit, para: int) -> None:
    """The citation names one 款 of a many-款 article, quoted with its label."""
    if 1 <= para <= len(unit.paragraphs) and len(unit.paragraphs) > 1:
        cite.para = para
        cite.item = f"{provision_label(unit.label, para)}：{unit.paragraphs[para - 1].text}"


def duty_citation(searcher: Searcher, unit_id: str, para: int, as_of: date | None) -> Citation:
    """A duty no penalty reaches, which the finding names: 待核对, the basis for 责令改正 alone."""
    unit = searcher.unit(unit_id)
    cite = make_citation(unit, searcher.docs[unit.doc_id], ROLE_OBLIGATION, 0.0, as_of)
    cite.via, cite.confidence = VIA_GAP, TO_CHECK
    _para_item(cite, unit, para)
    return cite


def penalty_citation(searcher: Searcher, row: ViolationRow, score: float, confidence: str, as_of: date | None,
                     role: str = ROLE_PENALTY, via: str = VIA_ROW) -> Citation:
    unit = searcher.unit(row.unit_id)
    cite = make_citation(unit, searcher.docs[row.doc_id], role, score, as_of)
    cite.via = via
    _row_item(cite, row)
    cite.clause = row.clause_quote if row.item else None
    cite.fine, cite.department = row.fine, row.department
    cite.sanctions = row.sanctions.names()
    cite.row_id, cite.confidence = row.row_id, confidence
    cite.tiers = [t.as_dict() for t in searcher.discretion_tiers(row.row_id)]
    return cite


def _special_elsewhere(searcher: Searcher, link: ObligationLink, row_law: str, finding: ParsedQuery) -> bool:
    """A special law's duty that the general law's 项 sanctions (危化法第三十八条第二款 under 安全生产法
    第九十九条第（四）项: the special law sets no penalty of its own) is the finding's duty only when the finding
    speaks of the special law's objects and of the kind of unit the duty names: at a machine shop, or for a 经营 unit
    and a duty of 生产企业, the general law's own duty is."""
    special = searcher.lexicon.special_laws(normalize_title(row_law)).get(normalize_title(link.law))
    if special is None:
        return False
    if special.scope not in searcher.touched(finding):
        return True
    said = searcher.unit_kinds(finding)
    named = searcher.lexicon.unit_kinds(link.quote[:LEAD_SUBJECT])
    return bool(said and named and not said & named)


def _obligation_fit(searcher: Searcher, quote: str, query: ParsedQuery) -> float:
    """How much of the finding the obligation's wording holds (idf-weighted share of its bigrams)."""
    grams = set(bigrams(quote))
    field_ = searcher.lexical.fields["bigram"]
    own = set(query_bigrams(query.content)) | set(bigrams(query.expansion))
    total = sum(field_.term_idf(b) for b in own)
    return sum(field_.term_idf(b) for b in own if b in grams) / total if total else 0.0


def obligation_citations(searcher: Searcher, row: ViolationRow, score: float, confidence: str,
                         as_of: date | None, finding: ParsedQuery | None = None) -> list[Citation]:
    """The row's obligations, the one that fits the finding best first; only the best keeps the row's confidence:
    a row linked to several duties breaches the one the finding names, and the copy block holds that one. Of equal
    fits the first in the row's order (the reviewed table's) is kept. Firm 违法依据 precision on the dev sets
    (answers_dev4 / answers_dev2 / answers_dev / dev / tuned, 2026-12-03): .828 / .934 / .966 / .857 / .920 when
    any obligation within .8 of the best fit stayed firm, .852 / .940 / .963 / .923 / .960 with the best alone;
    violation recall unchanged."""
    out = []
    for link in row.obligations:
        if finding is not None and _special_elsewhere(searcher, link, row.law, finding):
            continue
        found = searcher.law_article(link.law, link.article_no, link.article_sub, as_of)
        if found is None:
            continue  # an obligation in a law the corpus lacks: never cited
        unit, doc = found
        cite = make_citation(unit, doc, ROLE_OBLIGATION, score, as_of)
        cite.via = VIA_ROW
        if link.item:  # a LINK_SELF link: the row's own 项 is the duty
            _row_item(cite, row)
        elif link.para:
            _para_item(cite, unit, link.para)
        cite.link = LINK_NAMES.get(link.link, link.link)
        cite.row_id, cite.confidence = row.row_id, confidence
        out.append(cite)
    if len(out) > 1 and finding is not None:
        fits = [_obligation_fit(searcher, c.quote(), finding) for c in out]
        out = [out[i] for i in sorted(range(len(out)), key=lambda i: -fits[i])]
        for c in out[1:]:
            c.confidence = TO_CHECK
    return out


def referred_match(matcher: ViolationMatcher, match: RowMatch, finding: ParsedQuery, scope: set[str],
                   as_of: date | None) -> RowMatch | None:
    """The referred law's row for a referral row ("依照《安全生产许可证条例》的规定处罚"), when the documents in `scope`
    (the answer's: in force, filters applied) hold it. The article is the one that sanctions the referring row's
    behaviour (the finding's other words, who asks or which department, would only blur it); its 项 is the one
    that fits the finding (危化法第一百一十七条 -> 事故报告条例第三十五条: 不立即组织抢救, or 迟报)."""
    referral = match.row.sanctions.referral
    if match.row.kind != KIND_REFERRAL or not referral:
        return None
    searcher = matcher.searcher
    referred = searcher.referred_docs(referral, match.row.doc_id) & scope
    if not referred:
        return None
    reviewed = referred_for(match.row.key)
    target = _reviewed_target(matcher, reviewed, finding, referred) if reviewed else None
    if target is not None:  # a reviewer read both texts: as sure as the referral itself
        target.confidence = match.confidence
        return matcher.higher_row(finding, target, scope, as_of) or target
    found = matcher.match(match.row.behaviour, scope=referred, as_of=as_of, limit=1, precedence=False,
                          articles=[], referral=True)
    if not found.matches:
        return None
    best = found.matches[0]
    item = matcher.best_in_article(finding, best.row.unit_id, prefer=best.row.row_id) or best
    # The referred row is as sure as the referring one when it holds the referring behaviour's words about as well
    # as the referring row holds the finding's, or says what the referring row says ("未取得安全生产许可证擅自进行
    # 生产" for "未依法取得危险化学品安全生产许可证从事危险化学品生产"). A law outside the domain has no reviewed
    # links or on-site phrases: its article is found by wording alone (消防法第六十二条第（二）项 came to
    # 治安管理处罚法's 管制器具 article), so it is only ever 待核对.
    same = same_behaviour(match.row.behaviour, best.row.behaviour) >= REFERRED_SAME
    fits = same or best.coverage >= match.coverage / 2
    sure = fits and best.row.doc_id not in matcher.referral_only
    item.confidence = match.confidence if sure else TO_CHECK
    # A referral names "法律、行政法规": where the referred regulation sits under a law that says the same, the law
    # comes first (上位法优先).
    return matcher.higher_row(finding, item, scope, as_of) or item


def _reviewed_target(matcher: ViolationMatcher, reviewed: ReviewedReferral, finding: ParsedQuery,
                     referred: set[str]) -> RowMatch | None:
    """The row of the reviewed referred provision (its 项 that fits the finding when the table leaves it open), or
    None when the documents in scope lack it."""
    rows = [i for i, r in enumerate(matcher.index.rows)
            if r.doc_id in referred and normalize_title(r.law) == reviewed.law and r.article_no == reviewed.article
            and r.para == (reviewed.para or r.para) and r.item == (reviewed.item or r.item)]
    if not rows:
        return None
    if len(rows) > 1:
        best = matcher.best_in_article(finding, matcher.index.rows[rows[0]].unit_id)
        if best is not None and matcher.index.position[best.row.row_id] in rows:
            return best
    return RowMatch(matcher.index.rows[rows[0]], 0.0, matcher.coverage(finding, rows[0]))


def row_citations(matcher: ViolationMatcher, match: RowMatch, finding: ParsedQuery, scope: set[str],
                  as_of: date | None) -> list[Citation]:
    """违法依据 and 处罚依据 of one matched row, its superseded parallel, and where a referral leads, for the finding
    as parsed (its unit type included)."""
    searcher = matcher.searcher
    out = obligation_citations(searcher, match.row, match.score, match.confidence, as_of, finding)
    referred = referred_match(matcher, match, finding, scope, as_of)
    if referred is not None:  # the referred law's 项 is the sanction; the referring provision follows it
        cite = penalty_citation(searcher, referred.row, match.score, referred.confidence, as_of, via=VIA_REFERRED)
        cite.referred_by = match.row.row_id
        out.append(cite)
    out.append(penalty_citation(searcher, match.row, match.score, match.confidence, as_of))
    for parallel in match.parallel:
        cite = penalty_citation(searcher, parallel, match.score, match.confidence, as_of, role=ROLE_PARALLEL)
        cite.parallel_to = match.row.row_id
        out.append(cite)
    return out

