"""Reviewed tables kept as TSV (the lexicon, the violation catalog's link table): one reader, one set of checks."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import HazkbError


def int_cell(value: str, where: str, column: str, error: type[HazkbError] = HazkbError,
              minimum: int | None = None) -> int | None:
    """A number column of a reviewed table (None when empty); `error` names the line and the column otherwise."""
    if not value:
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise error(f"{where}：“{column}”应为数字，实际为“{value}”") from exc
    if minimum is not None and number < minimum:
        raise error(f"{where}：“{column}”从 {minimum} 起算")
    return number


def read_tsv(path: Path, columns: tuple[str, ...], error: type[HazkbError] = HazkbError,
             optional: tuple[str, ...] = ()) -> Iterator[tuple[str, list[str]]]:
    """(where, fields) for each data row; '#' lines are comments, the first other line is the header. Every
    problem raises `error` with the file, the line and what to change."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise error(f"{path}：不是 UTF-8 编码的文本（{exc.reason}）；请另存为 UTF-8") from exc
    except OSError as exc:
        raise error(f"{path}：无法读取（{exc.strerror}）") from exc
    header_seen = False
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        where = f"{path.name}:{n}"
        if not header_seen:
            header_seen = True
            if tuple(fields) != columns:
                raise error(f"{where}：表头应为“{'、'.join(columns)}”（以制表符分隔），实际为“{'、'.join(fields)}”")
            continue
        if len(fields) != len(columns):
            raise error(f"{where}：应有 {len(columns)} 列（{'、'.join(columns)}，以制表符分隔），实际 {len(fields)} 列")
        empty = [columns[i] for i, f in enumerate(fields) if not f and columns[i] not in optional]
        if empty:
            raise error(f"{where}：“{'、'.join(empty)}”不能为空")
        yield where, fields
