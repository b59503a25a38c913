"""CSV files (UTF-8 with BOM so that Excel opens them right; GB18030 also read) and JSON bank files."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .errors import QuizError
from .io_excel import Rows


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise QuizError(f"无法读取文件 {path}（{exc.strerror}）；请检查路径和权限") from exc


def read_csv(path: Path) -> Rows:
    """Non-blank records with their number as a spreadsheet shows it (header = 1)."""
    data = _read_bytes(path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise QuizError(f"无法识别 {path.name} 的文字编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise QuizError(f"无法解析 CSV 文件 {path.name}（{exc}）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”") from exc
    rows: Rows = []
    for number, record in enumerate(records, start=1):
        cells = [c.strip() for c in record]
        if any(cells):
            rows.append((number, cells))
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise QuizError(f"无法写入 {path}（{exc.strerror}）；请检查目录是否存在、是否可写") from exc


def read_json(path: Path) -> list:
    """The list of question objects (a bare list, or {"questions": [...]})."""
    data = _read_bytes(path)
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuizError(f"无法解析 JSON 文件 {path.name}（{exc}）；文件应为 UTF-8 编码的题目列表 "
                        "[{\"qtype\", \"stem\", \"options\", \"answer\", ...}]") from exc
    if isinstance(value, dict) and isinstance(value.get("questions"), list):
        value = value["questions"]
    if not isinstance(value, list):
        raise QuizError(f"JSON 文件 {path.name} 应为题目列表 [{{\"qtype\", \"stem\", \"options\", \"answer\", ...}}]，"
                        "或 {\"questions\": [...]}")
    return value


def write_json(path: Path, records: list[dict]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise QuizError(f"无法写入 {path}（{exc.strerror}）；请检查目录是否存在、是否可写") from exc
