"""A space for the on-site phrases in which the phrases of one violation row lie together and those of different rows
apart: a discriminant projection (regularised LDA) learned from the phrases themselves, labelled by their row.

The embedder was trained on general text: to it two sayings of one violation in other words may lie further apart
than sayings of two violations in the same words. The phrase table (corpus/lexicon/row_phrases.tsv and a bureau's
own) says which sayings mean the same violation, so the directions along which one row's phrases vary are noise for
telling rows apart, and those along which rows differ are signal. Fitting 4,718 phrases takes about 0.14 s on two
cores and needs no model of its own: it is redone whenever the phrase vectors are read.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embedders import unit_vectors
from .weights import PHRASE_SPACE_SHRINK


@dataclass(frozen=True)
class PhraseSpace:
    centre: np.ndarray  # the phrases' mean (unit vectors)
    transform: np.ndarray  # embedder dim x dims

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: Sequence[str], dims: int,
            shrink: float = PHRASE_SPACE_SHRINK) -> PhraseSpace | None:
        """The projection for these phrase vectors and their rows; None when there are too few rows or phrases to
        learn one (a catalog whose phrases are mostly missing keeps the embedder's own space)."""
        classes = sorted(set(labels))
        n, dim = vectors.shape
        if dims >= dim or len(classes) <= dims or n <= 2 * dims:
            return None
        x = unit_vectors(np.asarray(vectors, dtype=np.float64))
        centre = x.mean(axis=0)
        label_no = {label: i for i, label in enumerate(classes)}
        y = np.fromiter((label_no[label] for label in labels), dtype=np.int64, count=n)
        means = np.zeros((len(classes), dim))
        np.add.at(means, y, x)
        means /= np.bincount(y, minlength=len(classes))[:, None]
        within = x - means[y]
        s_within = within.T @ within / n
        between = means - centre
        s_between = between.T @ between / len(classes)
        # Shrinking toward the identity keeps the few directions the phrases hardly vary in from dominating.
        s_within += shrink * np.trace(s_within) / dim * np.eye(dim)
        values, vecs = np.linalg.eigh(s_within)
        whiten = vecs @ np.diag(values ** -0.5) @ vecs.T
        _, directions = np.linalg.eigh(whiten @ s_between @ whiten)
        transform = whiten @ directions[:, ::-1][:, :dims]
        return cls(centre.astype(np.float32), transform.astype(np.float32))

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Unit vectors in the phrase space (one vector or a matrix of them)."""
        return unit_vectors((unit_vectors(np.asarray(vectors, dtype=np.float32)) - self.centre) @ self.transform)
