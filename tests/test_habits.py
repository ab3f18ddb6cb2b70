"""The habits that keep the code in shape, run by the test command: the linter (ruff) and the
import contracts (import-linter, configured in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return _run([_tool("lint-imports"), "--no-cache", "--config", str(tree / "pyproject.toml")], tree)


def test_ruff_finds_nothing():
    done = _run([_tool("ruff"), "check", "--no-cache", "."], ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contracts_are_kept():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and " 0 broken" in done.stdout


def _copy_tree(into: Path) -> Path:
    for name in ("store", "gui"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def test_a_store_module_that_imports_the_gui_breaks_the_contract(tmp_path):
    tree = _copy_tree(tmp_path)
    assert _lint_imports(tree).returncode == 0  # the copy is as clean as the tree
    module = tree / "store" / "errors.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n\ndef _late():\n    import gui  # noqa: F401\n",
                      encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout and "store.errors -> gui" in done.stdout, done.stdout


def test_a_store_module_that_imports_qt_breaks_the_contract(tmp_path):
    tree = _copy_tree(tmp_path)
    module = tree / "store" / "display.py"
    module.write_text("from PySide6.QtCore import QObject  # noqa: F401\n" + module.read_text(encoding="utf-8"),
                      encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode != 0
    assert "store.display -> PySide6" in done.stdout, done.stdout
