"""What a question is answered by, read from its words alone: violation rows (a finding), articles (a rule, a
definition, a named article, procedure), or rows that name the enforcer ("…，谁来管？" after a finding).

The search reads it before anything is found: a rule question is searched by the articles' questions too
(retriever.asked), a finding is not."""
from __future__ import annotations

from corpus.lexicon import Lexicon
from corpus.text import CLAUSE_BREAK

from .query import ParsedQuery

FINDING, ARTICLES, ENFORCER = "finding", "articles", "enforcer"


def question_kind(query: ParsedQuery, lexicon: Lexicon, asked_laws: list[str]) -> str:
    """FINDING, ARTICLES, or ENFORCER: a finding followed by "谁来管" (every duty ask in it asks who sanctions,
    after a stated finding). `asked_laws`: the laws the question asks about by kind (Searcher.asked_laws)."""
    if query.lookups:
        return ARTICLES
    question = query.normalized
    if asked_laws:
        return ARTICLES  # a crime, a coercive measure, penalty procedure: the law the question names answers it
    if lexicon.intent("penalty_first").search(question):
        return FINDING
    if lexicon.asks("definition", question):
        return ARTICLES  # a definition, or when a law took effect: asked after a finding too (从旧兼从轻)
    if lexicon.asks("permits", question):
        return ARTICLES  # whether an act is allowed: asked after a stated fact too ("证还没批下来，能不能先开工")
    asking = [name for name in ("procedure", "rule") if lexicon.asks(name, question)]
    if asking and not _asked_after_a_finding(question, asking, lexicon):
        return ARTICLES
    if not lexicon.asks("duty", question):
        return FINDING
    clauses = [c for c in CLAUSE_BREAK.split(question) if c]
    asked = [c for c in clauses if lexicon.asks("duty", c)]
    enforcer = (bool(asked) and clauses[0] not in asked
                and all(lexicon.intent("enforcer").search(c) for c in asked))
    return ENFORCER if enforcer else ARTICLES


def _asked_after_a_finding(question: str, asking: list[str], lexicon: Lexicon) -> bool:
    """The question asks about a rule only after a clause that tells what is missing ("仓库没设专人管理，必须设吗"):
    it asks about the finding, which the rows answer."""
    clauses = [c for c in CLAUSE_BREAK.split(question) if c.strip()]
    first = next((i for i, c in enumerate(clauses) if any(lexicon.asks(name, c) for name in asking)), 0)
    return any(lexicon.intent("stated").search(c) for c in clauses[:first])
