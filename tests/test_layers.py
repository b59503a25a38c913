"""Imports point one way: ui -> eval -> app -> retriever / quiz / ingest -> corpus (quiz may use retriever's search
to answer exam items; retriever never imports quiz). Checked on the source, for every module of every package."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "corpus": set(),
    "ingest": {"corpus"},
    "retriever": {"corpus"},
    "quiz": {"corpus", "retriever"},
    "app": {"corpus", "ingest", "retriever", "quiz"},
    "eval": {"corpus", "ingest", "retriever", "quiz", "app"},
    "ui": {"corpus", "ingest", "retriever", "quiz", "app", "eval"},
}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


def test_imports_point_one_way():
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for target in imported_packages(path) - allowed - {package}:
                wrong.append(f"{path.relative_to(ROOT)} imports {target}")
    assert not wrong, wrong


def test_eval_holds_no_product_code():
    """The exam solver answers exam items in the product (bank page, generation cross-checks): it lives in quiz/."""
    for path in (ROOT / "eval").rglob("*.py"):
        assert "class ExtractiveSolver" not in path.read_text(encoding="utf-8"), path
