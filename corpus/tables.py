"""Creating a store's tables when several processes may start at once.

Two `hazkb serve` instances started together on an empty PostgreSQL both run CREATE TABLE; the loser of that race
fails with "duplicate key value violates unique constraint pg_type_typname_nsp_index" although the table it wanted
now exists. On PostgreSQL the creation therefore runs in one transaction under an advisory lock (DDL is
transactional there, so the second creator waits, then finds the tables); elsewhere a failed creation is tried once
more, which then finds the tables another process made.
"""
from __future__ import annotations

import logging
import zlib

from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

# pg_advisory_xact_lock takes a bigint; one lock id per application, derived from its name so it stays stable
LOCK_ID = zlib.crc32(b"hazkb.create_tables")


def create_tables(metadata: MetaData, engine: Engine) -> None:
    """metadata.create_all, safe against another process creating the same tables at the same time.
    Raises SQLAlchemyError when the tables cannot be made (the caller words it for the user)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
            metadata.create_all(conn)
        return
    try:
        metadata.create_all(engine)
    except SQLAlchemyError as exc:
        log.info("creating tables failed (%s); trying once more in case another process made them", exc)
        metadata.create_all(engine)
