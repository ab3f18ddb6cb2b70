"""The habits that keep the code in shape, run by the test command: the linter (ruff), the import
contracts (import-linter, configured in pyproject.toml), no underscore-private name imported from
another module, and no import circle in store/."""

from __future__ import annotations

import ast
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
    module = tree / "store" / "values" / "display.py"
    module.write_text("from PySide6.QtCore import QObject  # noqa: F401\n" + module.read_text(encoding="utf-8"),
                      encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode != 0
    assert "store.values.display -> PySide6" in done.stdout, done.stdout


def test_a_lower_part_that_imports_a_higher_one_breaks_the_layers(tmp_path):
    tree = _copy_tree(tmp_path)
    module = tree / "store" / "values" / "exact.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n\ndef _late():\n    from store.curation import history  # noqa: F401\n",
                      encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode != 0
    assert "store.values.exact -> store.curation.history" in done.stdout, done.stdout


def _modules(tree: Path, package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((tree / package).rglob("*.py")):
        name = ".".join(path.relative_to(tree).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(tree: Path, package: str) -> dict[str, list[tuple[str, str]]]:
    """Each module's imports of the package's modules, as (module, name or ''), lazy ones included."""
    modules = _modules(tree, package)
    found: dict[str, list[tuple[str, str]]] = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found[name] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found[name] += [(alias.name, "") for alias in node.names if alias.name in modules]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                for alias in node.names:
                    if f"{base}.{alias.name}" in modules:
                        found[name].append((f"{base}.{alias.name}", ""))
                    elif base in modules:
                        found[name].append((base, alias.name))
    return found


def private_imports(tree: Path, package: str) -> list[str]:
    return [f"{name} imports {source}.{what}" for name, imports in _imports(tree, package).items()
            for source, what in imports if what.startswith("_") and not what.startswith("__") and source != name]


def import_circles(tree: Path, package: str) -> list[list[str]]:
    """The groups of modules that import each other, directly or around a circle (Tarjan's algorithm)."""
    edges = {name: {source for source, _ in imports if source != name}
             for name, imports in _imports(tree, package).items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in edges[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while not group or group[-1] != name:
                group.append(stack.pop())
            if len(group) > 1:
                circles.append(sorted(group))

    for name in edges:
        if name not in index:
            visit(name)
    return circles


def test_no_module_imports_another_module_s_private_name():
    found = private_imports(ROOT, "store") + private_imports(ROOT, "gui")
    assert not found, "give these a public name where they live, or move them where they are used:\n" + "\n".join(found)


def test_no_import_circle_in_the_store():
    assert import_circles(ROOT, "store") == []


def test_the_checks_see_a_private_import_and_a_circle(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import _helper\n\n\ndef f():\n    return _helper()\n")
    (package / "b.py").write_text("def _helper():\n    from pkg import a  # noqa: F401\n")
    (package / "c.py").write_text("from . import a\nfrom .b import _helper as helper\n")
    assert private_imports(tmp_path, "pkg") == ["pkg.a imports pkg.b._helper", "pkg.c imports pkg.b._helper"]
    assert import_circles(tmp_path, "pkg") == [["pkg.a", "pkg.b"]]
