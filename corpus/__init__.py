"""Document model, law names, citations and the catalog (the source of truth)."""
