"""The phrase space (retriever/phrase_space.py): learned from phrases labelled by their row, it puts a new saying of
a row nearer that row's phrases than the embedder's space does when the sayings of one row differ along directions
that do not tell rows apart; it declines to learn from too few rows, and does not depend on the phrases' order."""
from __future__ import annotations

import numpy as np
import pytest

from retriever.phrase_space import PhraseSpace
from retriever.row_vectors import PhraseRows, fit_phrase_space
from retriever.weights import PHRASE_SPACE_DIMS

DIM, ROWS, PER_ROW = 160, 60, 6


def _sayings(rng: np.random.Generator, centres: np.ndarray, per_row: int) -> tuple[np.ndarray, list[str]]:
    """Sayings of each row: its centre, a little noise, and a large swing along a few shared directions (wording,
    length, register) that all rows' sayings vary in."""
    swing = np.zeros((4, DIM))
    swing[np.arange(4), np.arange(4)] = 1.0
    vectors, labels = [], []
    for row, centre in enumerate(centres):
        for _ in range(per_row):
            vectors.append(centre + 0.05 * rng.standard_normal(DIM) + 0.6 * rng.standard_normal(4) @ swing)
            labels.append(f"row{row:03d}")
    return np.asarray(vectors), labels


def _nearest_row_right(queries: np.ndarray, wanted: list[str], phrases: np.ndarray, labels: list[str]) -> float:
    unit = phrases / np.linalg.norm(phrases, axis=1, keepdims=True)
    asked = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    nearest = np.argmax(asked @ unit.T, axis=1)
    return float(np.mean([labels[i] == w for i, w in zip(nearest, wanted)]))


def test_a_new_saying_is_nearer_its_own_row_in_the_phrase_space():
    rng = np.random.default_rng(7)
    centres = 0.05 * rng.standard_normal((ROWS, DIM))
    phrases, labels = _sayings(rng, centres, PER_ROW)
    queries, wanted = _sayings(rng, centres, 1)
    space = PhraseSpace.fit(phrases, labels, dims=16)
    assert space is not None
    projected = space.project(phrases)
    assert projected.shape == (len(phrases), 16)
    assert np.allclose(np.linalg.norm(projected, axis=1), 1.0, atol=1e-5)
    before = _nearest_row_right(queries, wanted, phrases, labels)
    after = _nearest_row_right(space.project(queries), wanted, projected, labels)
    assert after > before + 0.5, (before, after)


def test_one_vector_is_projected_as_a_matrix_row_is():
    rng = np.random.default_rng(3)
    phrases, labels = _sayings(rng, 0.3 * rng.standard_normal((ROWS, DIM)), PER_ROW)
    space = PhraseSpace.fit(phrases, labels, dims=16)
    assert space is not None
    assert np.allclose(space.project(phrases[5]), space.project(phrases)[5], atol=1e-6)


@pytest.mark.parametrize("rows, per_row, dims", [(10, 6, 16), (ROWS, 1, 40), (ROWS, PER_ROW, DIM)])
def test_too_few_rows_or_phrases_keep_the_embedders_space(rows, per_row, dims):
    """A space with as many directions as rows, or as phrases, is learned from noise; none as wide as the
    embedder's own is a projection at all."""
    rng = np.random.default_rng(1)
    phrases, labels = _sayings(rng, rng.standard_normal((rows, DIM)), per_row)
    assert PhraseSpace.fit(phrases, labels, dims=dims) is None


def test_the_space_does_not_depend_on_the_order_the_store_returns_the_phrases_in():
    rng = np.random.default_rng(5)
    phrases, labels = _sayings(rng, 0.05 * rng.standard_normal((300, DIM)), PER_ROW)
    ids = [f"{label}|{i:04d}" for i, label in enumerate(labels)]
    order = rng.permutation(len(ids))
    one = fit_phrase_space(phrases, PhraseRows(ids, None), PHRASE_SPACE_DIMS)
    other = fit_phrase_space(phrases[order], PhraseRows([ids[i] for i in order], None), PHRASE_SPACE_DIMS)
    assert one is not None and other is not None
    probe = rng.standard_normal((5, DIM))
    assert np.allclose(one.project(probe) @ one.project(phrases).T, other.project(probe) @ other.project(phrases).T,
                       atol=1e-4)
    # Only the phrases that count teach it: a removed phrase's vector, still stored, does not.
    counted = frozenset(ids[: len(ids) // 2])
    half = fit_phrase_space(phrases, PhraseRows(ids, counted), PHRASE_SPACE_DIMS)
    alone = fit_phrase_space(phrases[: len(ids) // 2], PhraseRows(ids[: len(ids) // 2], None), PHRASE_SPACE_DIMS)
    assert half is not None and alone is not None
    assert np.allclose(half.project(probe), alone.project(probe), atol=1e-5)
    assert fit_phrase_space(phrases, PhraseRows(ids, frozenset()), PHRASE_SPACE_DIMS) is None
