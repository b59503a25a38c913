"""Where the web app keeps uploaded documents: home/uploads, under names it generates itself.

The browser's file name never chooses a path: it is kept only as display metadata in a sidecar JSON file.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath, PureWindowsPath

from corpus.errors import HazkbError
from ingest.formats import format_for, suffix_list, suffixes

ALLOWED_SUFFIXES = suffixes()  # the formats ingest reads (ingest.formats), for the file picker
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_LABEL = "50 MB"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_STORED = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{12}\.[a-z]{1,10}$")


class UploadRejected(HazkbError):
    """An uploaded file was refused before ingest (type or size); nothing was stored."""


@dataclass
class StoredUpload:
    path: Path  # home/uploads/<generated name>
    original_name: str


def display_name(name: str) -> str:
    """The browser's file name, reduced to a harmless label (no folders, no control characters)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = _CONTROL.sub("", base).strip()
    return base[:200] or "未命名文件"


class UploadStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def save(self, source: Path, original_name: str) -> StoredUpload:
        """Copy an uploaded temporary file into the store; reject other types and files over the limit."""
        label = display_name(original_name)
        suffix = PurePosixPath(label).suffix.lower()
        if format_for(label) is None:
            raise UploadRejected(f"不支持的文件类型“{suffix or '无扩展名'}”；只能上传 {suffix_list()} 文件"
                                 "（旧版 .doc 请先另存为 .docx）")
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise UploadRejected(f"上传的文件无法读取（{exc.strerror}）；请重新上传") from exc
        if size > MAX_UPLOAD_BYTES:
            raise UploadRejected(f"文件过大（{size / 1024 / 1024:.1f} MB），超过 {MAX_UPLOAD_LABEL} 上限；请拆分后上传")
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(timezone.utc)
        name = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(6)}{suffix}"
        target = self.folder / name
        shutil.copyfile(source, target)
        meta = {"original_name": label, "size": size, "uploaded_at": now.isoformat(timespec="seconds")}
        target.with_name(name + ".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return StoredUpload(target, label)

    def owns(self, path: str | Path) -> bool:
        """A file this store generated (by folder and name pattern)."""
        p = Path(path)
        return p.parent.resolve() == self.folder.resolve() and bool(_STORED.match(p.name))

    def original_name(self, path: str | Path) -> str | None:
        if not self.owns(path):
            return None
        try:
            meta = json.loads(Path(str(path) + ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta.get("original_name")

    def discard(self, path: str | Path) -> None:
        """Delete a stored upload and its metadata (a failed or duplicate upload, a removed document)."""
        if not self.owns(path):
            return
        for p in (Path(path), Path(str(path) + ".json")):
            p.unlink(missing_ok=True)
