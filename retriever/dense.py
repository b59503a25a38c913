"""Dense (vector) index of the catalog's units in Chroma.

One collection per embedder: its name is derived from the embedder's name and dimension, and its
metadata records that name, the dimension and a probe vector (the embedding of a fixed sentence).
Opening a collection with another embedder, or with a model that changed on disk under the same
name, raises DenseIndexMismatch instead of silently mixing vector spaces.

Chroma is always given our own vectors (`embeddings=` / `query_embeddings=`) and its collections
are created with `embedding_function=None`, so it never loads or downloads its default ONNX model.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corpus.errors import HazkbError
from corpus.model import Document, Unit
from corpus.names import normalize_title

from .embedders import (
    Embedder,
    EmbedderUnavailable,
    embed_batched,
    embed_query,
    embedder_slug,
    get_embedder,
    unit_vectors,
)

if TYPE_CHECKING:
    from corpus.catalog import Catalog
    from corpus.settings import Settings

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "hazkb-"
SCHEMA_VERSION = 1  # bump when the passage text or the metadata layout changes
PROBE_TEXT = "危险化学品生产企业应当取得危险化学品安全生产许可证。"
PROBE_MIN_COSINE = 0.98
# Keys a `where` filter may use (besides Chroma's own operator syntax).
FILTER_KEYS = ("law", "law_norm", "level", "status", "doc_id", "kind", "article_no")
VECTOR_PAGE = 500  # vectors read per request: a page of 5000 passed through 110 MB on its way to 7 MB


class DenseIndexError(HazkbError):
    """The vector store cannot be opened, read or written."""


class DenseIndexMismatch(DenseIndexError):
    """The collection was built by another embedding model than the one now configured."""


@dataclass
class SyncReport:
    """What a build or update did."""

    added: int = 0  # new units embedded
    reembedded: int = 0  # units whose text changed
    relabelled: int = 0  # metadata only (law status, title...): no new embedding
    deleted: int = 0
    unchanged: int = 0
    doc_ids: set[str] = field(default_factory=set)  # documents touched

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reembedded or self.relabelled or self.deleted)


# -- texts and metadata ----------------------------------------------------------------------------


def passage_text(unit: Unit, doc: Document) -> str:
    """What is embedded for a unit: the law title, its chapter path and label give the text context."""
    head = " ".join(part for part in [f"《{doc.title}》", *unit.path, unit.label] if part)
    return f"{head}\n{unit.text}".strip()


def text_hash(text: str) -> str:
    return hashlib.sha1(f"{SCHEMA_VERSION}|{text}".encode("utf-8")).hexdigest()[:16]


def unit_metadata(unit: Unit, doc: Document, digest: str) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "law": doc.title,
        "law_norm": normalize_title(doc.title),
        "level": doc.level.value,
        "status": doc.status.value,
        "article_no": int(unit.article_no or 0),
        "kind": unit.kind.value,
        "hash": digest,
    }


def normalize_where(where: dict[str, Any] | None) -> dict[str, Any] | None:
    """A `where` filter in Chroma's syntax.

    Accepts Chroma's own syntax unchanged (any key starting with "$"), or a plain mapping such as
    {"law": "安全生产法", "status": [Status.CURRENT, Status.AMENDED], "level": Level.LAW}:
    a list means "any of", enums are turned into their values, and `law` matches the normalised
    title (so 《中华人民共和国安全生产法》 and 安全生产法 both work).
    """
    if not where:
        return None
    if any(str(key).startswith("$") for key in where):
        return where
    clauses = []
    for key, value in where.items():
        if key not in FILTER_KEYS:
            raise DenseIndexError(f"向量检索不支持按“{key}”过滤；可用的过滤字段：{'、'.join(FILTER_KEYS)}")
        if key == "law":
            key = "law_norm"
            value = [normalize_title(v) for v in value] if _is_many(value) else (
                value if isinstance(value, dict) else normalize_title(value))
        if isinstance(value, dict):
            clauses.append({key: {op: _plain(v) for op, v in value.items()}})
        elif _is_many(value):
            values = [_plain(v) for v in value]
            if not values:
                raise DenseIndexError(f"过滤字段“{key}”的取值列表为空；请至少给出一个值")
            clauses.append({key: {"$in": values}})
        else:
            clauses.append({key: _plain(value)})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _is_many(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


# -- clients ---------------------------------------------------------------------------------------


def chroma_path(settings: Settings) -> Path:
    return Path(settings.home) / "chroma"


def make_client(settings: Settings | None = None, *, path: Path | str | None = None, host: str | None = None,
                port: int = 8000):
    """A Chroma client: HttpClient when a host is given (or settings.chroma_host), else PersistentClient.

    Telemetry is always off.
    """
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError as exc:
        raise DenseIndexError("未安装 chromadb，无法使用向量检索；请运行 pip install 'hazkb[dense]'") from exc
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings is not None and host is None and path is None:
        host, port = settings.chroma_host, settings.chroma_port
        if host is None:
            path = chroma_path(settings)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise DenseIndexError(
                f"无法连接 Chroma 服务 {host}:{port}（{exc}）；"
                f"请确认服务已启动（如 chroma run --path <目录> --port {port}），"
                "或取消 HAZKB_CHROMA_HOST 改用数据目录下的内置向量库") from exc
    if path is None:
        raise DenseIndexError("未指定向量库位置；请设置数据目录（--home 或 HAZKB_HOME）或 HAZKB_CHROMA_HOST")
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001
        raise DenseIndexError(f"无法打开向量库目录 {path}（{exc}）；"
                              "请检查该目录的写权限，或用 --home 指定其他数据目录") from exc


def collection_name_for(embedder: Embedder) -> str:
    return COLLECTION_PREFIX + embedder_slug(embedder)


# -- the index -------------------------------------------------------------------------------------


class DenseIndex:
    """Units of the catalog as vectors in one Chroma collection, tied to one embedder."""

    def __init__(self, client, embedder: Embedder, collection_name: str | None = None, batch_size: int = 64):
        self.client = client
        self.embedder = embedder
        self.name = collection_name or collection_name_for(embedder)
        self.batch_size = batch_size
        self._probe = np.asarray(embed_query(embedder, PROBE_TEXT), dtype=np.float32)
        self.collection = self._open()

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None, **kwargs) -> DenseIndex:
        """The index for the configured embedder (settings.embedding_model), in the configured Chroma."""
        if embedder is None:
            if not settings.embedding_model:
                raise EmbedderUnavailable("未配置向量模型（HAZKB_EMBEDDING_MODEL），无法打开向量索引")
            embedder = get_embedder(settings.embedding_model)
        return cls(make_client(settings), embedder, **kwargs)

    # -- opening and identity ----------------------------------------------------------------------

    def _identity(self) -> dict[str, Any]:
        probe = [round(float(x), 5) for x in self._probe]
        return {"hazkb_embedder": self.embedder.name, "hazkb_dim": int(self.embedder.dim),
                "hazkb_schema": SCHEMA_VERSION, "hazkb_probe": json.dumps(probe)}

    def _open(self):
        identity = self._identity()
        try:
            collection = self.client.get_or_create_collection(
                name=self.name, metadata=identity, embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}})
        except Exception as exc:  # noqa: BLE001
            raise DenseIndexError(f"无法打开向量集合 {self.name}（{exc}）；请检查 Chroma 服务或向量库目录") from exc
        self._check_identity(collection.metadata or {}, identity)
        return collection

    def _check_identity(self, stored: dict[str, Any], identity: dict[str, Any]) -> None:
        built_by = stored.get("hazkb_embedder")
        if built_by is None:
            raise DenseIndexMismatch(f"向量集合 {self.name} 不是 hazkb 建立的（缺少模型记录）；"
                                     "请换一个集合名，或删除该集合后重建索引")
        fix = "请改回建立索引时的模型（HAZKB_EMBEDDING_MODEL），或删除该集合后用当前模型重建向量索引"
        if built_by != self.embedder.name or int(stored.get("hazkb_dim", -1)) != self.embedder.dim:
            raise DenseIndexMismatch(
                f"向量集合 {self.name} 由模型“{built_by}”（{stored.get('hazkb_dim')} 维）建立，"
                f"当前模型为“{self.embedder.name}”（{self.embedder.dim} 维），两者的向量不可混用；{fix}")
        if int(stored.get("hazkb_schema", 0)) != SCHEMA_VERSION:
            log.info("dense collection %s has schema %s, now %s: build() will re-embed",
                     self.name, stored.get("hazkb_schema"), SCHEMA_VERSION)
        try:
            probe = np.asarray(json.loads(stored.get("hazkb_probe", "[]")), dtype=np.float32)
        except (TypeError, ValueError):
            probe = np.zeros(0, dtype=np.float32)
        if probe.shape == self._probe.shape:
            cosine = float(probe @ self._probe / ((np.linalg.norm(probe) * np.linalg.norm(self._probe)) or 1.0))
            if cosine < PROBE_MIN_COSINE:
                raise DenseIndexMismatch(
                    f"向量集合 {self.name} 记录的模型名与当前模型相同（{built_by}），但同一句子的向量不一致"
                    f"（相似度 {cosine:.3f}），模型文件可能已被替换；{fix}")

    def count(self) -> int:
        try:
            return int(self.collection.count())
        except Exception as exc:  # noqa: BLE001
            raise DenseIndexError(f"读取向量集合 {self.name} 失败（{exc}）") from exc

    def __len__(self) -> int:
        return self.count()

    def drop(self) -> None:
        """Delete the collection (the next build starts from scratch)."""
        self.client.delete_collection(self.name)
        self.collection = self._open()

    # -- writing ---------------------------------------------------------------------------------

    def build(self, catalog: Catalog, embedder: Embedder | None = None, progress: bool = False) -> SyncReport:
        """Make the collection match the catalog: embed new or changed units, drop removed ones.

        Units whose passage text is unchanged (by content hash) are not embedded again, so a
        second build over the same catalog does nothing.
        """
        self._check_embedder(embedder)
        return self._sync(catalog, None, progress)

    def update(self, catalog: Catalog, doc_ids: Iterable[str] | None = None, progress: bool = False) -> SyncReport:
        """Sync only the given documents (e.g. those just ingested or removed); all when None."""
        return self._sync(catalog, None if doc_ids is None else set(doc_ids), progress)

    def _check_embedder(self, embedder: Embedder | None) -> None:
        if embedder is not None and embedder is not self.embedder and (
                embedder.name != self.embedder.name or embedder.dim != self.embedder.dim):
            raise DenseIndexMismatch(f"该向量索引使用模型“{self.embedder.name}”，不能用“{embedder.name}”写入；"
                                     "请用 DenseIndex.open 以该模型打开对应的索引")

    def _sync(self, catalog: Catalog, doc_ids: set[str] | None, progress: bool) -> SyncReport:
        report = SyncReport()
        docs = {d.doc_id: d for d in catalog.documents()}
        existing = self._existing(doc_ids)
        pending_ids: list[str] = []
        pending_texts: list[str] = []
        pending_meta: list[dict[str, Any]] = []
        relabel_ids: list[str] = []
        relabel_meta: list[dict[str, Any]] = []
        seen: set[str] = set()
        for unit in self._units(catalog, docs, doc_ids):
            doc = docs[unit.doc_id]
            text = passage_text(unit, doc)
            meta = unit_metadata(unit, doc, text_hash(text))
            seen.add(unit.unit_id)
            old = existing.get(unit.unit_id)
            if old is None or old.get("hash") != meta["hash"]:
                pending_ids.append(unit.unit_id)
                pending_texts.append(text)
                pending_meta.append(meta)
                if old is None:
                    report.added += 1
                else:
                    report.reembedded += 1
                report.doc_ids.add(doc.doc_id)
            elif any(old.get(k) != v for k, v in meta.items()):
                relabel_ids.append(unit.unit_id)
                relabel_meta.append(meta)
                report.relabelled += 1
                report.doc_ids.add(doc.doc_id)
            else:
                report.unchanged += 1
        stale = [uid for uid in existing if uid not in seen]
        report.deleted = len(stale)
        report.doc_ids.update(str(existing[uid].get("doc_id")) for uid in stale)
        batch = self._max_batch()
        try:
            for start in range(0, len(stale), batch):
                self.collection.delete(ids=stale[start:start + batch])
            for start in range(0, len(relabel_ids), batch):
                self.collection.update(ids=relabel_ids[start:start + batch],
                                       metadatas=relabel_meta[start:start + batch])
            self._embed_and_upsert(pending_ids, pending_texts, pending_meta, progress)
        except DenseIndexError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise DenseIndexError(f"写入向量集合 {self.name} 失败（{exc}）；"
                                  "已写入的部分会保留，重新运行即可从断点继续") from exc
        if (self.collection.metadata or {}).get("hazkb_schema") != SCHEMA_VERSION:
            self.collection.modify(metadata=self._identity())
        if report.changed:
            log.info("dense index %s: %d added, %d re-embedded, %d relabelled, %d deleted, %d unchanged",
                     self.name, report.added, report.reembedded, report.relabelled, report.deleted, report.unchanged)
        return report

    def _units(self, catalog: Catalog, docs: dict[str, Document], doc_ids: set[str] | None) -> Iterator[Unit]:
        if doc_ids is None:
            for unit in catalog.iter_units():
                if unit.doc_id in docs:
                    yield unit
            return
        for doc_id in sorted(doc_ids):
            if doc_id in docs:
                yield from catalog.units(doc_id)

    def _existing(self, doc_ids: set[str] | None) -> dict[str, dict[str, Any]]:
        """Unit id -> stored metadata, for all units or those of some documents."""
        if doc_ids is not None and not doc_ids:
            return {}
        where = None if doc_ids is None else {"doc_id": {"$in": sorted(doc_ids)}}
        return {uid: dict(meta or {}) for got in self._pages(where, "metadatas")
                for uid, meta in zip(got["ids"], got.get("metadatas") or [{}] * len(got["ids"]))}

    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every stored id and its vector, L2-normalized, as one matrix: a collection of a few thousand short texts
        is searched exactly (RowVectors), where Chroma's approximate search missed a nearest row now and then."""
        ids: list[str] = []
        blocks = []
        for got in self._pages(None, "embeddings", page=VECTOR_PAGE):
            ids.extend(got["ids"])
            blocks.append(np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), self.embedder.dim))
        return ids, unit_vectors(np.vstack(blocks))

    def _pages(self, where: dict[str, Any] | None, include: str, page: int = 5000) -> Iterator[dict[str, Any]]:
        offset = 0
        try:
            while True:
                got = self.collection.get(where=where, include=[include], limit=page, offset=offset)
                got["ids"] = got.get("ids") or []
                yield got
                if len(got["ids"]) < page:
                    break
                offset += page
        except Exception as exc:  # noqa: BLE001
            raise DenseIndexError(f"读取向量集合 {self.name} 失败（{exc}）；请检查 Chroma 服务或向量库目录") from exc

    def _max_batch(self) -> int:
        try:
            return max(1, min(5000, int(self.client.get_max_batch_size())))
        except Exception:  # noqa: BLE001 - older servers do not say
            return 1000

    def _embed_and_upsert(self, ids: list[str], texts: list[str], metas: list[dict[str, Any]],
                          progress: bool) -> None:
        if not ids:
            return
        from tqdm import tqdm

        # Upsert as we go, so an interrupted build keeps what it embedded (hashes let it resume).
        step = max(self.batch_size, 256)
        with tqdm(total=len(ids), desc=f"向量化（{self.embedder.name}）", unit="条", disable=not progress) as bar:
            for start in range(0, len(ids), step):
                chunk = slice(start, start + step)
                vectors = embed_batched(self.embedder, texts[chunk], batch_size=self.batch_size)
                self.collection.upsert(ids=ids[chunk], embeddings=vectors, documents=texts[chunk],
                                       metadatas=metas[chunk])
                bar.update(len(ids[chunk]))

    # -- reading ---------------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """The k nearest units as (unit_id, cosine similarity), best first."""
        if k <= 0 or not query.strip():
            return []
        total = self.count()
        if total == 0:
            log.warning("dense index %s is empty: build it first", self.name)
            return []
        vector = embed_query(self.embedder, query)
        try:
            result = self.collection.query(query_embeddings=[vector.tolist()], n_results=min(k, total),
                                           where=normalize_where(where), include=["distances"])
        except DenseIndexError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise DenseIndexError(f"向量检索失败（{exc}）；请检查过滤条件或 Chroma 服务") from exc
        ids = (result.get("ids") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        return [(uid, 1.0 - float(d)) for uid, d in zip(ids, distances)]

    def __repr__(self) -> str:
        return f"DenseIndex({self.name!r}, embedder={self.embedder.name!r})"


def open_dense(settings: Settings) -> tuple[DenseIndex | None, str]:
    """The configured dense index, or None and a Chinese reason; never raises (for search and doctor)."""
    from .embedders import available_embedder

    embedder, reason = available_embedder(settings)
    if embedder is None:
        return None, reason
    if settings.chroma_host is None and not chroma_path(settings).exists():
        # Do not create an empty store just by looking (doctor, a search before any build).
        return None, (f"{reason}；向量索引尚未建立（{chroma_path(settings)} 不存在），"
                      "检索暂只用关键词：导入法规或重建索引后即可使用向量检索")
    try:
        index = DenseIndex(make_client(settings), embedder)
        count = index.count()
    except HazkbError as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001
        return None, f"向量索引打开失败（{type(exc).__name__}: {exc}）；请检查 HAZKB_CHROMA_HOST 或数据目录"
    if count == 0:
        return index, f"{reason}；向量索引尚为空，检索暂只用关键词：导入法规或重建索引后即可使用向量检索"
    return index, f"{reason}；向量索引 {count} 条"
