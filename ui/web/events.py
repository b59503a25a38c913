"""What every event of the page shares: its handlers are the page's own, not a public API."""
from __future__ import annotations

PRIVATE = {"api_visibility": "private"}  # the page calls these; API clients cannot
