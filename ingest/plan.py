"""Work documents (plans): numbered sections 一、/（一）/1. with heading paths, and table rows."""
from __future__ import annotations

from corpus.model import Unit

from .structure import Block


def split_plan(blocks: list[Block]) -> list[Unit]:
    """Placeholder until the plan splitter lands: no sections found."""
    return []
