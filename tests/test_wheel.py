"""The installed package (pip install ., not editable) carries the seeds and the resources and finds them.

A wheel is built from a copy of the sources (so the checkout gets no build/ or egg-info), with the
test environment's setuptools (the test extra asks for one that builds wheels: no network here),
then unpacked as pip installs a pure-Python wheel, and the store's CLI is started from it in a
folder with no seeds/ beside it: a new store must be seeded as on a first start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.seed_counts import SEED_DOCUMENTS, SEED_FIGURES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "store", "gui", "seeds", "resources")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools", minversion="70.1",
                        reason="building a wheel offline needs setuptools>=70.1: pip install -e '.[test]'")
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("wheel")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "bundle"))
        else:
            shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(src)], check=True, timeout=600, capture_output=True)
    [built] = out.glob("cluster_explorer-*.whl")
    return built


def test_the_wheel_holds_the_seeds_and_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = [p.relative_to(ROOT / "seeds").as_posix() for p in (ROOT / "seeds").rglob("*") if p.is_file()]
    assert any(s.endswith(".txt") for s in seeds) and "taxonomy/entities.toml" in seeds
    missing = [s for s in seeds if f"store/shipped/seeds/{s}" not in names]
    assert not missing, f"not in the wheel: {missing}"
    for resource in ("style.qss", "cluster-explorer.desktop", "icons/cluster-explorer.svg"):
        assert f"store/shipped/resources/{resource}" in names
    assert not [n for n in names if "bundle/" in n]  # the PyInstaller spec is for building, not for running


def test_an_installed_wheel_seeds_a_new_store_on_first_start(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # what pip does with a pure-Python wheel, less the scripts
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLUSTER_EXPLORER_STORE")}
    env.update(PYTHONPATH=str(site), HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    run = tmp_path / "elsewhere"
    run.mkdir()  # no seeds/ in the working folder or beside the package
    where = subprocess.run([sys.executable, "-c", "import store.opening.paths as p; print(p.__file__); "
                            "print(p.SEEDS_DIR); print(p.RESOURCES_DIR)"],
                           cwd=run, env=env, capture_output=True, text=True, timeout=120, check=True).stdout.split("\n")
    assert Path(where[0]).is_relative_to(site)  # the installed copy, not the checkout
    assert Path(where[1]) == site / "store" / "shipped" / "seeds"
    assert (Path(where[2]) / "style.qss").is_file()
    db = tmp_path / "first.sqlite3"
    info = subprocess.run([sys.executable, "-m", "store", "--db", f"sqlite:///{db}", "info"], cwd=run, env=env,
                          capture_output=True, text=True, timeout=300)
    assert info.returncode == 0, info.stderr
    assert f"documents: {SEED_DOCUMENTS}" in info.stdout and f"figures:   {SEED_FIGURES}" in info.stdout
