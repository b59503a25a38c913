"""The catalog: documents, units and references in SQL (SQLite by default, PostgreSQL by URL).

It is the source of truth; every index is rebuilt from it. Each document is written in one transaction,
so an interrupted ingest leaves the previous state of that document intact.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from itertools import islice

from sqlalchemy import Date, DateTime, Table, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from . import schema
from .errors import NotFoundError, StoreError
from .model import DocKind, Document, Item, Level, Paragraph, Reference, Status, Unit, UnitKind
from .names import aliases_for, normalize_title
from .numbers import ArticleNumberError, article_label, check_article, parse_article
from .tables import create_tables

log = logging.getLogger(__name__)


@dataclass
class StoredReference:
    """A reference edge as stored, with its citing unit."""

    from_unit_id: str
    doc_id: str
    reference: Reference
    target_norm_title: str


@dataclass
class HistoryEntry:
    """A document as it was before it was replaced or removed (restorable with Catalog.restore)."""

    id: int
    doc_id: str
    title: str
    version: str | None
    source: str
    units: int
    reason: str  # "replaced" or "removed"
    replaced_by: str | None
    archived_at: str

    def as_dict(self) -> dict:
        return asdict(self)


def _json_value(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _row_json(table: Table, row, skip: tuple[str, ...] = ()) -> dict:
    """A row as JSON-safe values (dates as ISO text), for the history table."""
    return {c.name: _json_value(row._mapping[c.name]) for c in table.columns if c.name not in skip}


def _row_from_json(table: Table, data: dict) -> dict:
    """The inverse of _row_json: ISO text back to dates for the table's date columns."""
    row = dict(data)
    for column in table.columns:
        value = row.get(column.name)
        if isinstance(value, str) and isinstance(column.type, DateTime):
            row[column.name] = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            row[column.name] = date.fromisoformat(value)
    return row


def utc_now() -> datetime:
    """Naive UTC, as the catalog's timestamp columns store it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets the web app read while an ingest writes; the timeout waits for another writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite's words for a database file that is not one, or whose pages are damaged.
_DAMAGED = ("file is not a database", "database disk image is malformed", "malformed database schema")


def _damaged_database(context) -> None:
    """SQLite handle_error hook: a damaged database file is named as such (not as a permission problem)."""
    detail = str(context.original_exception)
    if any(words in detail for words in _DAMAGED):
        engine = context.engine
        path = engine.url.database if engine is not None else None
        raise StoreError(
            f"知识库数据库文件{f' {path} ' if path else ''}已损坏，无法读取（SQLite：{detail}）；"
            "请先停止正在运行的 hazkb serve，再从备份恢复该文件（连同同名的 -wal 文件），"
            "或把它改名保存后重新建立知识库（hazkb ingest 重新导入文件）") from context.original_exception


def make_engine(url: str) -> Engine:
    try:
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"无法连接数据库 {url}（{exc}）；"
                         "请检查 HAZKB_DATABASE_URL 设置，PostgreSQL 需先安装 pip install 'hazkb[postgres]'") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _damaged_database)
    return engine


def _paragraphs_json(paragraphs: list[Paragraph]) -> list[dict]:
    return [
        {"text": p.text, "items": [{"number": i.number, "label": i.label, "text": i.text} for i in p.items]}
        for p in paragraphs
    ]


def _paragraphs_from(data: list[dict]) -> list[Paragraph]:
    return [Paragraph(text=p["text"], items=[Item(**i) for i in p.get("items", [])]) for p in data or []]


class Catalog:
    """Read and write the catalog. Construct with a database URL; call `create()` once per home."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._titles: dict[str, list[str]] | None = None  # alias -> doc ids, cached per instance

    def create(self) -> None:
        try:
            create_tables(schema.metadata, self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"无法创建知识库数据表（{exc}）；请检查数据目录的写权限或数据库地址") from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------------------

    def source_hash(self, source: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.sources.c.content_hash).where(schema.sources.c.source == source)).scalar()

    def sources_of(self, doc_id: str) -> list[str]:
        """The files (or built-in entries) whose last ingest stored this document."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(schema.sources.c.source).where(schema.sources.c.doc_id == doc_id)
                                     .order_by(schema.sources.c.source)).scalars())

    def find_document(self, doc_id: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(schema.documents.c.doc_id == doc_id)).first()
        return self._document(row) if row else None

    def doc_by_hash(self, content_hash: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(schema.documents.c.content_hash == content_hash)).first()
        return self._document(row) if row else None

    def store(self, doc: Document, source: str | None = None) -> None:
        """Write a document and its units in one transaction, replacing its previous version."""
        self.store_many([doc], sources={doc.doc_id: source or doc.source})

    def store_many(self, docs: Iterable[Document], sources: dict[str, str] | None = None) -> int:
        """Write several documents in one transaction (the built-in corpus); returns the count written."""
        count = 0
        try:
            with self.engine.begin() as conn:
                for doc in docs:
                    self._write(conn, doc, (sources or {}).get(doc.doc_id, doc.source))
                    count += 1
                if count:
                    bump_generation(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"写入知识库失败，已回滚，原有内容未受影响（{exc}）") from exc
        self._titles = None
        return count

    def store_batches(self, docs: Iterable[Document], size: int) -> int:
        """Write documents `size` at a time, one transaction each, so an interruption loses only the batch
        in flight; `docs` may be a generator. Returns the count written."""
        written = 0
        it = iter(docs)
        while batch := list(islice(it, size)):
            written += self.store_many(batch)
        return written

    def _write(self, conn: Connection, doc: Document, source: str) -> None:
        if not doc.doc_id:
            doc.assign_ids()
        old_doc = conn.execute(select(schema.sources.c.doc_id).where(schema.sources.c.source == source)).scalar()
        if old_doc and old_doc != doc.doc_id:
            # The file now holds another document (new title or version): drop the old one if orphaned.
            others = conn.execute(
                select(func.count()).select_from(schema.sources).where(
                    schema.sources.c.doc_id == old_doc, schema.sources.c.source != source)
            ).scalar()
            if not others:
                self._archive(conn, old_doc, "replaced", source)
                self._delete_doc(conn, old_doc)
        self._archive(conn, doc.doc_id, "replaced", source, unless_hash=doc.content_hash)
        self._delete_doc(conn, doc.doc_id, keep_sources=True)
        # Other files that held this document no longer describe its text: ingesting one again is a new claim.
        conn.execute(delete(schema.sources).where(schema.sources.c.doc_id == doc.doc_id,
                                                  schema.sources.c.source != source))
        conn.execute(insert(schema.documents), [self._doc_row(doc, source)])
        if doc.units:
            conn.execute(insert(schema.units), [self._unit_row(u) for u in doc.units])
        refs = [self._ref_row(doc, u, r) for u in doc.units for r in u.references]
        if refs:
            conn.execute(insert(schema.references), refs)
        conn.execute(delete(schema.sources).where(schema.sources.c.source == source))
        conn.execute(insert(schema.sources), [{"source": source, "content_hash": doc.content_hash,
                                               "doc_id": doc.doc_id, "ingested_at": utc_now()}])

    def _delete_doc(self, conn: Connection, doc_id: str, keep_sources: bool = False) -> None:
        # Derived violation rows go with their document (corpus.violations rebuilds them on sync).
        conn.execute(delete(schema.violations).where(schema.violations.c.doc_id == doc_id))
        conn.execute(delete(schema.violation_docs).where(schema.violation_docs.c.doc_id == doc_id))
        conn.execute(delete(schema.references).where(schema.references.c.doc_id == doc_id))
        conn.execute(delete(schema.units).where(schema.units.c.doc_id == doc_id))
        conn.execute(delete(schema.documents).where(schema.documents.c.doc_id == doc_id))
        if not keep_sources:
            conn.execute(delete(schema.sources).where(schema.sources.c.doc_id == doc_id))

    def remove(self, doc_id: str) -> Document:
        """Delete a document; its text stays restorable from the history (`restore`)."""
        doc = self.document(doc_id)
        with self.engine.begin() as conn:
            self._archive(conn, doc_id, "removed", None)
            self._delete_doc(conn, doc_id)
            bump_generation(conn)
        self._titles = None
        return doc

    # -- history ---------------------------------------------------------------------------------

    def _archive(self, conn: Connection, doc_id: str, reason: str, replaced_by: str | None,
                 unless_hash: str | None = None) -> int | None:
        """Copy a stored document (row, units, references, sources) into the history; returns the entry id.
        Nothing is copied when there is no such document, when its text is what replaces it, or when a built-in
        law replaces a built-in law (the built-in corpus is its own record)."""
        row = conn.execute(select(schema.documents).where(schema.documents.c.doc_id == doc_id)).first()
        if row is None or (unless_hash is not None and row.content_hash == unless_hash):
            return None
        if replaced_by and row.source.startswith("builtin:") and replaced_by.startswith("builtin:"):
            return None
        units = conn.execute(select(schema.units).where(schema.units.c.doc_id == doc_id)
                             .order_by(schema.units.c.seq)).all()
        refs = conn.execute(select(schema.references).where(schema.references.c.doc_id == doc_id)
                            .order_by(schema.references.c.id)).all()
        sources = conn.execute(select(schema.sources).where(schema.sources.c.doc_id == doc_id)).all()
        data = {
            "document": _row_json(schema.documents, row),
            "units": [_row_json(schema.units, u) for u in units],
            "refs": [_row_json(schema.references, r, skip=("id",)) for r in refs],
            "sources": [_row_json(schema.sources, x) for x in sources],
        }
        result = conn.execute(insert(schema.doc_history).values(
            doc_id=doc_id, title=row.title, version_date=row.version_date, source=row.source,
            content_hash=row.content_hash, unit_count=row.unit_count, reason=reason, replaced_by=replaced_by,
            archived_at=utc_now(), data=data))
        key = result.inserted_primary_key
        return int(key[0]) if key else None

    def history(self, doc_id: str | None = None) -> list[HistoryEntry]:
        """Replaced and removed documents, newest first (of one document, or all)."""
        h = schema.doc_history
        query = select(h.c.id, h.c.doc_id, h.c.title, h.c.version_date, h.c.source, h.c.unit_count, h.c.reason,
                       h.c.replaced_by, h.c.archived_at).order_by(h.c.id.desc())
        if doc_id is not None:
            query = query.where(h.c.doc_id == doc_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [HistoryEntry(id=r.id, doc_id=r.doc_id, title=r.title,
                             version=r.version_date.isoformat() if r.version_date else None, source=r.source,
                             units=r.unit_count, reason=r.reason, replaced_by=r.replaced_by,
                             archived_at=r.archived_at.isoformat(sep=" ", timespec="seconds")) for r in rows]

    def restore(self, entry_id: int) -> tuple[Document, int | None]:
        """Put a history entry back as the stored document, in one transaction. The document it replaces (if
        any) goes into the history in turn. Returns the restored document and that new entry's id."""
        h = schema.doc_history
        try:
            with self.engine.begin() as conn:
                entry = conn.execute(select(h).where(h.c.id == entry_id)).first()
                if entry is None:
                    raise NotFoundError(f"没有编号为 {entry_id} 的历史版本；"
                                        "用 hazkb docs --history 查看历史版本及其编号")
                data = entry.data
                archived = self._archive(conn, entry.doc_id, "replaced", f"history:{entry_id}")
                self._delete_doc(conn, entry.doc_id)
                bump_generation(conn)
                conn.execute(insert(schema.documents), [_row_from_json(schema.documents, data["document"])])
                if data["units"]:
                    conn.execute(insert(schema.units), [_row_from_json(schema.units, u) for u in data["units"]])
                if data["refs"]:
                    conn.execute(insert(schema.references), [_row_from_json(schema.references, r)
                                                             for r in data["refs"]])
                for source in data["sources"]:
                    # A file that now holds another document keeps it; the restored text is then not its own.
                    taken = conn.execute(select(schema.sources.c.doc_id)
                                         .where(schema.sources.c.source == source["source"])).scalar()
                    if taken is None:
                        conn.execute(insert(schema.sources), [_row_from_json(schema.sources, source)])
        except SQLAlchemyError as exc:
            raise StoreError(f"恢复历史版本失败，已回滚，现有内容未受影响（{exc}）") from exc
        self._titles = None
        return self.document(entry.doc_id), archived

    @staticmethod
    def _doc_row(doc: Document, source: str) -> dict:
        return {
            "doc_id": doc.doc_id, "title": doc.title, "norm_title": normalize_title(doc.title),
            "aliases": doc.aliases, "level": doc.level.value, "kind": doc.kind.value, "issuer": doc.issuer,
            "doc_number": doc.doc_number, "publish_date": doc.publish_date, "effective_date": doc.effective_date,
            "version_date": doc.version_date, "status": doc.status.value, "source": source,
            "content_hash": doc.content_hash, "history": doc.history, "warnings": doc.warnings,
            "unit_count": len(doc.units), "ingested_at": utc_now(),
        }

    @staticmethod
    def _unit_row(unit: Unit) -> dict:
        return {
            "unit_id": unit.unit_id, "doc_id": unit.doc_id, "seq": unit.seq, "kind": unit.kind.value,
            "article_no": unit.article_no, "article_sub": unit.article_sub, "label": unit.label,
            "path": unit.path, "heading": unit.heading, "place_key": unit.place_key(), "text": unit.text,
            "paragraphs": _paragraphs_json(unit.paragraphs), "cells": unit.cells,
            "page_start": unit.page_start, "page_end": unit.page_end,
        }

    @staticmethod
    def _ref_row(doc: Document, unit: Unit, ref: Reference) -> dict:
        target = normalize_title(ref.law) if ref.law else normalize_title(doc.title)
        return {
            "from_unit_id": unit.unit_id, "doc_id": doc.doc_id, "raw": ref.raw, "law": ref.law,
            "target_norm_title": target, "article_no": ref.article_no, "article_sub": ref.article_sub,
            "paragraph": ref.paragraph, "item": ref.item,
        }

    # -- meta ----------------------------------------------------------------------------------

    def forget_cached(self) -> None:
        """Drop what this instance cached about the catalog (law names); another process may have written."""
        self._titles = None

    def generation(self) -> str | None:
        """A stamp every write of content changes (documents stored, removed, restored; 裁量基准 imported or
        removed): a process serving from indexes built at one stamp rebuilds them when it sees another.
        One indexed lookup, cheap enough to poll every few seconds."""
        return self.get_meta(GENERATION)

    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(schema.meta).where(schema.meta.c.key == key).values(value=value)).rowcount
            if not done:
                conn.execute(insert(schema.meta), [{"key": key, "value": value}])

    # -- reading -------------------------------------------------------------------------------

    @staticmethod
    def _document(row) -> Document:
        return Document(
            title=row.title, level=Level(row.level), kind=DocKind(row.kind), aliases=list(row.aliases or []),
            issuer=row.issuer, doc_number=row.doc_number, publish_date=row.publish_date,
            effective_date=row.effective_date, version_date=row.version_date, status=Status(row.status),
            source=row.source, content_hash=row.content_hash, history=list(row.history or []),
            warnings=list(row.warnings or []), doc_id=row.doc_id, unit_count=row.unit_count,
        )

    @staticmethod
    def _unit(row) -> Unit:
        return Unit(
            kind=UnitKind(row.kind), seq=row.seq, text=row.text, path=list(row.path or []),
            article_no=row.article_no, article_sub=row.article_sub or 0,
            paragraphs=_paragraphs_from(row.paragraphs), page_start=row.page_start, page_end=row.page_end,
            heading=row.heading, key=row.place_key, cells=row.cells, unit_id=row.unit_id, doc_id=row.doc_id,
        )

    def documents(self) -> list[Document]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.documents).order_by(schema.documents.c.title,
                                                                  schema.documents.c.version_date)).all()
        return [self._document(r) for r in rows]

    def document(self, doc_id: str) -> Document:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(schema.documents.c.doc_id == doc_id)).first()
        if row is None:
            raise NotFoundError(f"知识库中没有编号为 {doc_id} 的文档；用 hazkb docs 查看已有文档及其编号")
        return self._document(row)

    def units(self, doc_id: str) -> list[Unit]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.units).where(schema.units.c.doc_id == doc_id)
                                .order_by(schema.units.c.seq)).all()
        return [self._unit(r) for r in rows]

    def iter_units(self, batch: int = 2000) -> Iterator[Unit]:
        """Every unit, in document order (for building indexes)."""
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(
                select(schema.units).order_by(schema.units.c.doc_id, schema.units.c.seq))
            for partition in result.partitions(batch):
                for row in partition:
                    yield self._unit(row)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "documents": conn.execute(select(func.count()).select_from(schema.documents)).scalar() or 0,
                "units": conn.execute(select(func.count()).select_from(schema.units)).scalar() or 0,
                "references": conn.execute(select(func.count()).select_from(schema.references)).scalar() or 0,
            }

    # -- laws by name --------------------------------------------------------------------------

    def _alias_index(self) -> dict[str, list[str]]:
        if self._titles is None:
            index: dict[str, list[str]] = {}
            with self.engine.connect() as conn:
                for doc_id, title, aliases in conn.execute(
                        select(schema.documents.c.doc_id, schema.documents.c.title, schema.documents.c.aliases)):
                    # Stored aliases plus today's alias table, so new short names reach existing homes.
                    for name in {normalize_title(a) for a in [title, *(aliases or []), *aliases_for(title)]}:
                        index.setdefault(name, []).append(doc_id)
            self._titles = index
        return self._titles

    def law_names(self) -> dict[str, list[str]]:
        """Normalised name or alias -> ids of the documents (all versions) it names."""
        return dict(self._alias_index())

    def versions(self, name: str) -> list[Document]:
        """All versions of the law a name or alias refers to, newest first."""
        ids = self._alias_index().get(normalize_title(name), [])
        docs = [self.document(i) for i in ids]
        return sorted(docs, key=lambda d: d.version_date or date.min, reverse=True)

    def find_law(self, name: str, as_of: date | None = None) -> Document:
        """The version of a law in force on `as_of` (default: the current one)."""
        versions = self.versions(name)
        if not versions:
            raise NotFoundError(f"知识库中没有名为“{name}”的法规；"
                                "用 hazkb docs 查看已收录的法规，或先用 hazkb ingest 导入")
        return choose_version(versions, as_of)

    def article(self, doc_id: str, number: int | str, sub: int = 0) -> Unit:
        """One article; NotFoundError when absent, also for numbers no law uses (they never reach the database)."""
        try:
            if isinstance(number, str):
                number, sub = parse_article(number)
            check_article(number, sub)
        except ArticleNumberError as exc:
            raise NotFoundError(f"{exc}；用 hazkb show 查看该法规的条文范围") from exc
        with self.engine.connect() as conn:
            # A number a bad source repeats (reported at ingest) gives its first occurrence.
            row = conn.execute(select(schema.units).where(
                schema.units.c.doc_id == doc_id, schema.units.c.article_no == number,
                schema.units.c.article_sub == sub, schema.units.c.kind == UnitKind.ARTICLE.value)
                .order_by(schema.units.c.seq)).first()
        if row is None:
            doc = self.document(doc_id)
            raise NotFoundError(f"《{doc.title}》中没有{article_label(number, sub)}；"
                                "用 hazkb show 查看该法规的条文范围")
        return self._unit(row)

    def unit(self, unit_id: str) -> Unit:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.units).where(schema.units.c.unit_id == unit_id)).first()
        if row is None:
            raise NotFoundError(f"没有编号为 {unit_id} 的条文")
        return self._unit(row)

    def units_by_id(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        """Several units in one query (missing ids are left out)."""
        wanted = list(dict.fromkeys(unit_ids))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.units).where(schema.units.c.unit_id.in_(wanted))).all()
        return {row.unit_id: self._unit(row) for row in rows}

    def references_from(self, unit_id: str) -> list[StoredReference]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.references).where(schema.references.c.from_unit_id == unit_id)
                                .order_by(schema.references.c.id)).all()
        return [self._stored_ref(r) for r in rows]

    def references_to(self, doc: Document, article_no: int, sub: int = 0) -> list[StoredReference]:
        """Edges that cite this article of this law (by any of its names), from any document."""
        names = {normalize_title(a) for a in [doc.title, *doc.aliases]}
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.references).where(
                schema.references.c.target_norm_title.in_(names), schema.references.c.article_no == article_no,
                schema.references.c.article_sub == sub).order_by(schema.references.c.id)).all()
        return [self._stored_ref(r) for r in rows]

    @staticmethod
    def _stored_ref(row) -> StoredReference:
        ref = Reference(raw=row.raw, law=row.law, article_no=row.article_no, article_sub=row.article_sub or 0,
                        paragraph=row.paragraph, item=row.item)
        return StoredReference(from_unit_id=row.from_unit_id, doc_id=row.doc_id, reference=ref,
                               target_norm_title=row.target_norm_title)

    def resolve(self, stored: StoredReference, as_of: date | None = None) -> Unit | None:
        """The article a reference points to, in the version in force on `as_of`; None if not in the corpus."""
        if stored.reference.article_no is None:
            return None
        if stored.reference.law is None:
            doc_id = stored.doc_id
        else:
            try:
                doc_id = self.find_law(stored.target_norm_title, as_of).doc_id
            except NotFoundError:
                return None
        try:
            return self.article(doc_id, stored.reference.article_no, stored.reference.article_sub)
        except NotFoundError:
            return None


GENERATION = "generation"


def bump_generation(conn: Connection) -> None:
    """Inside a writing transaction: a new stamp (random, so concurrent writers never agree on one by chance)."""
    stamp = f"{utc_now()}-{secrets.token_hex(4)}"
    if not conn.execute(update(schema.meta).where(schema.meta.c.key == GENERATION).values(value=stamp)).rowcount:
        conn.execute(insert(schema.meta), [{"key": GENERATION, "value": stamp}])


def choose_version(versions: list[Document], as_of: date | None) -> Document:
    """Pick the version in force on a day: the newest already effective and not repealed; else the newest."""
    day = as_of or date.today()
    in_force = [d for d in versions
                if d.status is not Status.REPEALED and (d.effective_date is None or d.effective_date <= day)
                and (d.version_date is None or d.version_date <= day)]
    if as_of is None:
        current = [d for d in in_force if d.status is Status.CURRENT]
        if current:
            return max(current, key=lambda d: d.version_date or date.min)
    if in_force:
        return max(in_force, key=lambda d: d.version_date or date.min)
    return max(versions, key=lambda d: d.version_date or date.min)


def prepare_home(settings) -> None:
    """Create the data directory when the database lives in it (SQLite); a server URL needs none."""
    if settings.database_url is None:
        try:
            settings.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据目录 {settings.home}（{exc.strerror}）；"
                             "请用 --home 指定一个可写的目录") from exc


def open_catalog(settings) -> Catalog:
    """Open (and create if new) the catalog described by the settings; SQLite lives under home."""
    prepare_home(settings)
    catalog = Catalog(settings.db_url)
    catalog.create()
    return catalog
