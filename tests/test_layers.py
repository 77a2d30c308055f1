"""The layers stay apart: core/ is pure (no Qt, no SQL, no files), store/ and documents/ no Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ldn_desktop"

FORBIDDEN = {
    "core": {
        "PySide6",
        "sqlite3",
        "sqlite_utils",
        "reportlab",
        "ldn_desktop.store",
        "ldn_desktop.ui",
        "ldn_desktop.documents",
        "os",
        "pathlib",
        "platformdirs",
    },
    "store": {"PySide6", "ldn_desktop.ui", "ldn_desktop.documents", "reportlab"},
    "documents": {"PySide6", "sqlite3", "sqlite_utils", "ldn_desktop.ui", "ldn_desktop.store"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_stay_in_their_lane(layer: str) -> None:
    assert _violations(layer) == []


def test_the_check_itself_catches_a_qt_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport sqlite3\n")
    assert {"PySide6.QtWidgets", "sqlite3"} <= imported_modules(bad)
