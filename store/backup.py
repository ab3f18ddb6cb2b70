"""Backups of a SQLite store: taken before every schema migration, kept in a folder beside it.

SQLite's online backup API copies a consistent snapshot even while the store is
open; the copy is written under a temporary name and moved into place, so a
backup is never half there. The newest KEEP backups are kept.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from store.errors import StoreError

KEEP = 10


def backup_folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".backups")


def backup(store_path: Path, reason: str) -> Path:
    """Copy the store to its backup folder; returns the backup's path."""
    folder = backup_folder(store_path)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{store_path.stem}-{stamp}-{reason}.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".backup-", suffix=".part", dir=folder)
        os.close(handle)
        try:
            source = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
            copy = sqlite3.connect(temp)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"could not back up the store before changing it ({exc}); nothing was changed") from exc
    _prune(folder, store_path.stem)
    return target


def backups(store_path: Path) -> list[Path]:
    """The store's backups, newest first."""
    folder = backup_folder(store_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{store_path.stem}-*.sqlite3"), key=lambda p: p.name, reverse=True)


def _prune(folder: Path, stem: str) -> None:
    for old in sorted(folder.glob(f"{stem}-*.sqlite3"), key=lambda p: p.name, reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)
