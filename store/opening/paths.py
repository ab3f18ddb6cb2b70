"""Where the app's own files are: seeds/ and resources/, from a source checkout or inside the bundle;
and where a store's backups are (store.opening.backup writes them, store.opening.health names them to a damaged store).

The one definition used by the store (seeds) and the GUI (icon, style sheet, desktop entry). In a
checkout or an editable install they sit beside the `store` and `gui` packages; in an installed wheel
inside the `store` package, as store/shipped/ (pyproject.toml's package-dir); in the PyInstaller
bundle in the bundle's data folder (`sys._MEIPASS`), where the spec puts them. The Alembic
migrations are files of the `store` package itself (`store/migrations`), found beside it in both.
"""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding seeds/ and resources/."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    here = Path(__file__).resolve()
    shipped = here.parents[1] / "shipped"  # an installed wheel: store/shipped/seeds (pyproject's package-dir)
    if (shipped / "seeds" / "documents.toml").is_file():
        return shipped
    return here.parents[2]  # store/opening/paths.py -> the checkout (or an editable install of it)


def is_frozen() -> bool:
    """True inside the self-contained bundle (PyInstaller), False when run by a Python installation."""
    return bool(getattr(sys, "frozen", False))


APP_ROOT = app_root()
SEEDS_DIR = APP_ROOT / "seeds"
RESOURCES_DIR = APP_ROOT / "resources"


def backup_folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".backups")


def backups(store_path: Path) -> list[Path]:
    """The store's backups, newest first."""
    folder = backup_folder(store_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{store_path.stem}-*.sqlite3"), key=lambda p: p.name, reverse=True)
