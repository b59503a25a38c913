"""Tables shared by the loaders: a flat text rendering and header/cell pairing for table rows."""
from __future__ import annotations


def clean_rows(rows: list[list[str]]) -> list[list[str]]:
    """Strip cells and drop rows that are entirely empty."""
    cleaned = [[(cell or "").strip() for cell in row] for row in rows]
    return [row for row in cleaned if any(row)]


def flat_text(rows: list[list[str]]) -> str:
    """One line per row, cells separated by ' | ' (a display rendering, not for parsing)."""
    return "\n".join(" | ".join(" ".join(cell.split("\n")) for cell in row) for row in rows)


def header_names(header: list[str], width: int) -> list[str]:
    """Column names from the header row: unique, and '列N' for empty or missing header cells."""
    names: list[str] = []
    for index in range(width):
        name = " ".join(header[index].split()) if index < len(header) else ""
        name = name or f"列{index + 1}"
        base, n = name, 2
        while name in names:
            name = f"{base}（{n}）"
            n += 1
        names.append(name)
    return names


def row_cells(names: list[str], row: list[str]) -> dict[str, str]:
    """{column name: cell text} for one data row, padded with empty cells."""
    return {name: (row[i] if i < len(row) else "") for i, name in enumerate(names)}


def row_text(cells: dict[str, str]) -> str:
    """A readable rendering: one 'column：value' line per non-empty cell."""
    return "\n".join(f"{name}：{value}" for name, value in cells.items() if value)
