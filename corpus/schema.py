"""Catalog tables (SQLAlchemy Core): documents, the files they came from, units and references."""
from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("doc_id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("norm_title", Text, nullable=False, index=True),
    Column("aliases", JSON, nullable=False),
    Column("level", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("issuer", Text),
    Column("doc_number", Text),
    Column("publish_date", Date),
    Column("effective_date", Date),
    Column("version_date", Date),
    Column("status", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("history", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("unit_count", Integer, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
)

# One row per ingested file (or built-in law): what it contained when last ingested, and its document.
sources = Table(
    "sources",
    metadata,
    Column("source", Text, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("doc_id", String(32), nullable=False, index=True),
    Column("ingested_at", DateTime, nullable=False),
)

# Documents as they were before an ingest replaced them or `remove` deleted them, so they can be restored:
# the rows of documents, units, refs and sources as JSON (`data`), with what replaced them.
doc_history = Table(
    "doc_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("version_date", Date),
    Column("source", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("unit_count", Integer, nullable=False),
    Column("reason", String(16), nullable=False),  # "replaced" or "removed"
    Column("replaced_by", Text),  # the source whose text took its place (None when removed)
    Column("archived_at", DateTime, nullable=False),
    Column("data", JSON, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("unit_id", String(64), primary_key=True),
    Column("doc_id", String(32), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("article_no", Integer),
    Column("article_sub", Integer, nullable=False, default=0),
    Column("label", Text, nullable=False),
    Column("path", JSON, nullable=False),
    Column("heading", Text),
    Column("place_key", Text),
    Column("text", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("cells", JSON),
    Column("page_start", Integer),
    Column("page_end", Integer),
)

references = Table(
    "refs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("from_unit_id", String(64), nullable=False, index=True),
    Column("doc_id", String(32), nullable=False, index=True),
    Column("raw", Text, nullable=False),
    Column("law", Text),  # as written; NULL for 本法/本条例
    Column("target_norm_title", Text, nullable=False, index=True),
    Column("article_no", Integer),
    Column("article_sub", Integer, nullable=False, default=0),
    Column("paragraph", Integer),
    Column("item", Integer),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The violation catalog (corpus.violations): rows derived from the documents' penalty provisions.
violations = Table(
    "violations",
    metadata,
    Column("row_id", String(96), primary_key=True),
    Column("doc_id", String(32), nullable=False, index=True),
    Column("norm_law", Text, nullable=False, index=True),
    Column("article_no", Integer, nullable=False),
    Column("article_sub", Integer, nullable=False, default=0),
    Column("para", Integer, nullable=False),
    Column("item", Integer),
    Column("kind", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    Column("department", Text),
    Column("fine_min", Float),
    Column("fine_max", Float),
    Column("fine_unit", String(8)),
    Column("seq", Integer, nullable=False),  # order within the document
    Column("data", JSON, nullable=False),
)

# Which documents the violation rows were built from, and by which builder (a new builder or reviewed
# table rebuilds them all).
violation_docs = Table(
    "violation_docs",
    metadata,
    Column("doc_id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("builder", String(40), nullable=False),
)

# A bureau's own 裁量基准 (administrative-penalty discretion standards, corpus.violations.discretion), kept apart
# from the rows above: one row per imported file, with what it contained, so an unchanged file is not imported
# twice and a changed one replaces its tiers.
discretion_files = Table(
    "discretion_files",
    metadata,
    Column("source", Text, primary_key=True),  # the file's resolved path (or the name the caller gave)
    Column("name", Text, nullable=False),  # the file name as shown to users
    Column("content_hash", String(64), nullable=False, index=True),
    Column("title", Text),  # the table's title row, when it has one
    Column("sample", Integer, nullable=False, default=0),  # 1: the file says it is a sample, not a real standard
    Column("lines", Integer, nullable=False),  # data lines read
    Column("tiers", Integer, nullable=False),  # tiers stored
    Column("report", JSON, nullable=False),  # rejected lines and warnings, shown again on an unchanged re-import
    Column("imported_at", DateTime, nullable=False),
)

# One tier (情形/阶次 with its 处罚标准) of a file's line, attached to the violation row its 处罚依据 cites.
discretion_tiers = Table(
    "discretion_tiers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False, index=True),
    Column("row_id", String(96), nullable=False, index=True),
    Column("doc_id", String(32), nullable=False),
    Column("norm_law", Text, nullable=False),
    Column("article_no", Integer, nullable=False),
    Column("article_sub", Integer, nullable=False, default=0),
    Column("para", Integer),
    Column("item", Integer),
    Column("level", Text),  # 情形 / 阶次 as written (轻微, 一般, 第一阶次 ...)
    Column("fine_min", Float),
    Column("fine_max", Float),
    Column("fine_unit", String(8)),
    Column("line", Integer, nullable=False),  # the line's row number in its sheet or table
    Column("seq", Integer, nullable=False),  # order within the file
    Column("data", JSON, nullable=False),
)
