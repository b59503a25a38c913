"""Small test homes built from hand-written regulations."""
from __future__ import annotations


def small_home(root, name: str, text: str):
    """A home holding one small hand-written regulation: (settings, catalog, searcher)."""
    from corpus.catalog import open_catalog
    from corpus.settings import Settings
    from ingest.pipeline import ingest_paths
    from retriever.kb import open_searcher

    law = root / "src" / name
    law.parent.mkdir(parents=True)
    law.write_text(text, encoding="utf-8")
    settings = Settings.from_env({}, home=root / "home", no_builtin=True)
    catalog = open_catalog(settings)
    assert ingest_paths(catalog, [law]).ok
    searcher, _ = open_searcher(settings, catalog)
    return settings, catalog, searcher
