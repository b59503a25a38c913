"""Index caches on disk: written whole under a private temporary name, then renamed over the old file, so a reader
(this process later, or another instance sharing the data directory) sees the old index or the new one, never half
of one, and two writers never write into the same temporary file."""
from __future__ import annotations

import os
import pickle
import secrets
from pathlib import Path
from typing import Any


def save_pickle(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
