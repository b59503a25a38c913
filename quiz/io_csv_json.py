"""CSV files (UTF-8 with BOM so that Excel opens them right; UTF-16 with BOM and GB18030 also read) and JSON bank
files. A CSV in another encoding (Big5, …) is refused with the way to save it as UTF-8, never read as garbled text.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

from corpus.spreadsheet import restore_cell, safe_row

from .errors import QuizError
from .io_excel import Rows

_SAVE_UTF8 = "请在 Excel 中打开，选择“文件 → 另存为”，保存类型选“CSV UTF-8（逗号分隔）(*.csv)”后再导入"
# Header words of both bank formats: a GB18030 reading that holds none of them is not the file's real encoding.
_HEADER_WORDS = ("题型", "题干", "答案", "选项", "试题类型", "题目内容", "题目选项", "题目答案")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise QuizError(f"无法读取文件 {path}（{exc.strerror}）；请检查路径和权限") from exc


def read_csv(path: Path) -> Rows:
    """Non-blank records with their number as a spreadsheet shows it (header = 1)."""
    text = _decode(path, _read_bytes(path))
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise QuizError(f"无法解析 CSV 文件 {path.name}（{exc}）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”") from exc
    rows: Rows = []
    for number, record in enumerate(records, start=1):
        cells = [restore_cell(c.strip()) for c in record]
        if any(cells):
            rows.append((number, cells))
    return rows


def _decode(path: Path, data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 when it reads as a bank."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise QuizError(f"{path.name} 实际是 Excel 文件，不是 CSV 文本；请把扩展名改为 .xlsx"
                        "（旧版 .xls 请在 Excel 中另存为 .xlsx）后再导入")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise QuizError(f"{path.name} 标明为 UTF-16 编码却无法按 UTF-16 读取；{_SAVE_UTF8}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise QuizError(f"无法识别 {path.name} 的文字编码（不是 UTF-8，也不是 GB18030/GBK）；{_SAVE_UTF8}") from exc
    head = "".join(text.splitlines()[:10])
    if not any(word in head for word in _HEADER_WORDS):
        raise QuizError(f"无法确定 {path.name} 的文字编码：它不是 UTF-8，按 GB18030（GBK）读出的表头也无法识别，"
                        f"可能是繁体 Big5 等其他编码；{_SAVE_UTF8}")
    return text


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(safe_row(row) for row in rows)  # "=…" "+…" "-…" "@…" stay text in Excel
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
