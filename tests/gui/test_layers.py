"""The window's layering, read from the source: the GUI reaches the database only through the
store's application layer (store.workspace), and no controller keeps the main window."""

from __future__ import annotations

import ast
import re
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "gui"


def _modules() -> dict[str, str]:
    return {str(path.relative_to(GUI)): path.read_text(encoding="utf-8") for path in sorted(GUI.rglob("*.py"))}


def _imported(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_gui_imports_no_model_class_and_opens_no_session():
    offenders = {}
    for name, source in _modules().items():
        found = [m for m in _imported(source) if m == "store.models" or m.startswith("store.models.")]
        found += re.findall(r"\.(?:read|write)\(\)\s+as\s+session", source)
        if found:
            offenders[name] = found
    assert offenders == {}


def test_no_controller_keeps_the_main_window():
    reaches = {name: len(re.findall(r"\bself\.w\.", source)) for name, source in _modules().items()}
    assert {name: n for name, n in reaches.items() if n} == {}
