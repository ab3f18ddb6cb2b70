"""The self-contained bundle: built with PyInstaller from resources/bundle/, unpacked from its archive
and started from a clean environment (no virtual environment, an empty HOME, XDG folders of its own,
offscreen). It must seed a new store in the user data folder, paint the window with its style, import a
file given on the command line, install its own launcher, and exit 0.

The build takes minutes, so it is kept in pytest's cache under a hash of everything that goes into it
(the sources, seeds, resources, and the versions of Python, PyInstaller and Qt): a re-run with nothing
changed only unpacks and starts it. In CI's fresh clone it is built once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.gui.test_import import ARTICLE
from tests.gui.test_launcher import exec_command
from tests.seed_counts import SEED_DOCUMENTS

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 45 * 60  # a build takes 2-4 minutes on a busy 2-core machine; this only stops a hang
RUN_TIMEOUT_S = 10 * 60
SELECTION_BLUE = (0x2F, 0x6F, 0xC4)  # resources/style.qss: the selected tree node and table row
MAX_UNPACKED_MB = 400  # about 300 MB (pyarrow 100, Qt 90); GTK, Qt's network or pandas would pass this

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the test starts the Linux bundle")


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for package in ("PyInstaller", "pyinstaller-hooks-contrib", "PySide6-Essentials", "pyqtgraph", "numpy", "pyarrow"):
        digest.update(f"{package}={version(package)};".encode())
    digest.update(sys.version.encode())
    folders = [ROOT / name for name in ("gui", "store", "seeds", "resources")]
    files = [ROOT / "pyproject.toml", *(p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file())]
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def bundle_archive(request, tmp_path_factory) -> Path:
    if not os.environ.get("CI"):
        pytest.importorskip("PyInstaller", reason="install the bundle extra: pip install -e '.[bundle]'")
    # pytest's cache keeps a build between runs; with the cache plugin off (-p no:cacheprovider), a scratch folder
    cache = (Path(request.config.cache.mkdir("bundle")) if getattr(request.config, "cache", None) is not None
             else tmp_path_factory.mktemp("bundle"))
    key = _sources_hash()
    done = cache / key
    archives = sorted(done.glob("cluster-explorer-*.tar.gz")) if done.is_dir() else []
    if archives:
        return archives[0]
    for old in cache.iterdir():  # builds of older sources
        shutil.rmtree(old, ignore_errors=True)
    part = cache / f"{key}.part-{os.getpid()}"
    env = dict(os.environ, PYTHON=sys.executable)
    result = subprocess.run(["bash", str(ROOT / "resources" / "bundle" / "build.sh"), str(part)],
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, env=env)
    assert result.returncode == 0, f"the bundle did not build:\n{result.stderr[-6000:]}"
    shutil.rmtree(part / "work", ignore_errors=True)  # PyInstaller's analysis: 100 MB the cache need not keep
    shutil.rmtree(part / "cluster-explorer", ignore_errors=True)  # the test unpacks the archive, as a user does
    os.replace(part, done)
    return next(done.glob("cluster-explorer-*.tar.gz"))


def _clean_env(home: Path) -> dict:
    """What a desktop session gives a program it starts: no virtual environment, no Python on PATH
    beyond the system's, an empty HOME; XDG folders of its own; no display (offscreen)."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def _colour_share(png: Path) -> tuple[tuple[int, int], float, int]:
    """(size, share of the commonest colour, pixels of the selection blue), read with Qt's QImage."""
    from collections import Counter

    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull(), f"{png} is not an image"
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    counts = Counter()
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    blue = (SELECTION_BLUE[0] << 16) | (SELECTION_BLUE[1] << 8) | SELECTION_BLUE[2]
    return (width, height), counts.most_common(1)[0][1] / sum(counts.values()), counts[blue]


def test_the_bundle_starts_from_a_clean_environment_seeds_paints_and_imports(bundle_archive, tmp_path):
    apps = tmp_path / "My Apps"  # a space in the path, as in many users' folders
    apps.mkdir()
    with tarfile.open(bundle_archive) as archive:
        archive.extractall(apps, **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))
    program = apps / "cluster-explorer" / "cluster-explorer"
    assert os.access(program, os.X_OK)
    unpacked_mb = sum(p.stat().st_size for p in program.parent.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    assert unpacked_mb < MAX_UNPACKED_MB, f"the bundle grew to {unpacked_mb:.0f} MB"
    # Nothing in the bundle may point back at the Python or the checkout it was built from.
    inside = program.parent.resolve()
    assert not any(p.is_symlink() and not p.resolve().is_relative_to(inside) for p in program.parent.rglob("*"))

    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home)
    article = tmp_path / "from the desktop.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    # Document datasets, one document a row: CSV through the csv module, Parquet through the bundled pyarrow.
    dataset = tmp_path / "reports.csv"
    dataset.write_text("title,text,publish_date\nZhuhai,\"" + ARTICLE.strip() + "\",2025-03-03\n"
                       "Foshan,Foshan's appliance cluster earned 300 billion yuan in 2024.,2025-02-01\n", encoding="utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = tmp_path / "table.parquet"
    pq.write_table(pa.table({"title": ["Shenzhen"], "text": ["Shenzhen's drone makers sold 9.2 billion yuan in 2024."]}),
                   table)
    shot = tmp_path / "shot.png"
    run = subprocess.run([str(program), "--screenshot", str(shot), str(article), str(dataset), str(table)],
                         capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env, cwd=home)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "imported from the desktop.txt:" in run.stdout and "Traceback" not in run.stderr

    # The store was made where the pip-installed app makes it, seeded, and holds the imported file.
    store = home / "data" / "ClusterExplorer" / "cluster-explorer.sqlite3"
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        names = [row[0] for row in conn.execute("SELECT file_name FROM documents ORDER BY id")]
        figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert len(names) == SEED_DOCUMENTS + 4
    assert names[SEED_DOCUMENTS:] == ["from the desktop.txt", "reports_row1", "reports_row2", "table"]
    assert figures > 100
    from store.opening.schema import head_revision

    assert revision == head_revision()

    size, commonest, blue = _colour_share(shot)
    assert size == (1280, 800)
    assert commonest < 0.8, "the window is mostly one colour: nothing was painted"
    assert blue > 200, "no selection in the style sheet's blue: the style or the selection is missing"

    # The launcher it installs starts this very bundle.
    installed = subprocess.run([str(program), "--install-launcher"], capture_output=True, text=True,
                               timeout=RUN_TIMEOUT_S, env={k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"})
    assert installed.returncode == 0, installed.stderr
    command = exec_command(home / "data" / "applications" / "cluster-explorer.desktop")
    assert command == [str(program)]
    started = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env)
    assert started.returncode == 0 and started.stdout.startswith("cluster-explorer ")
