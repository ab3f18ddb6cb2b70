"""Backups of a SQLite store, and restoring one.

Taken before every schema migration and once a day of use, kept in a folder
beside the store. SQLite's online backup API copies a consistent snapshot even
while the store is open; the copy is written under a temporary name and moved
into place, so a backup is never half there. The newest KEEP backups are kept.

Restore checks the backup with `PRAGMA integrity_check` first, then backs up the
store as it is now (so a restore can itself be undone) and copies the backup in
through the same API, which other readers of a WAL store see as one change. A
damaged store is not written over: it is moved aside, with its -wal and -shm
files, and the backup takes its place. Nothing is ever deleted but old backups.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from store.errors import StoreError
from store.health import connect_read_only

KEEP = 10


def backup_folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".backups")


def _utc(now: datetime | None) -> datetime:
    """The clock every name and check here reads: `now` when given (tests inject it), else the real one."""
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)


def backup(store_path: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy the store to its backup folder; returns the backup's path (named for `now`, UTC)."""
    folder = backup_folder(store_path)
    stamp = _utc(now).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{store_path.stem}-{stamp}-{reason}.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".backup-", suffix=".part", dir=folder)
        os.close(handle)
        try:
            source = connect_read_only(store_path)
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


def backup_if_due(store_path: Path, now: datetime | None = None) -> Path | None:
    """The daily backup: taken on the first opening of the day (UTC), else None.

    One clock for the check and the name, so the backup taken is the one the next check finds."""
    now = _utc(now)
    today = now.strftime("%Y%m%d")
    if any(p.name.startswith(f"{store_path.stem}-{today}-") and p.name.endswith("-daily.sqlite3")
           for p in backups(store_path)):
        return None
    return backup(store_path, "daily", now)


def check_backup(path: Path) -> None:
    """Refuse a backup that is not a whole, sound SQLite store."""
    from store.health import SQLITE_HEADER

    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(f"{path.name} is not a store backup (not an SQLite database)")
        con = connect_read_only(path)
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check(5)")]
            con.execute("SELECT count(*) FROM figures").fetchone()
        finally:
            con.close()
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot use the backup {path.name}: {exc}") from exc
    if result != ["ok"]:
        raise StoreError(f"the backup {path.name} is damaged too ({'; '.join(result)[:200]}); choose an older one")


@dataclass(frozen=True)
class Restored:
    source: Path
    previous: Path | None  # the store as it was, backed up ("before-restore") or moved aside (damaged)
    damaged: bool


def restore(store_path: Path, source: Path | None = None) -> Restored:
    """Put a backup (the newest by default) in the store's place; see the module's docstring."""
    from store.health import DamagedStore, check_store_file

    if source is None:
        saved = backups(store_path)
        if not saved:
            raise StoreError(f"there is no backup of {store_path} to restore")
        source = saved[0]
    check_backup(source)
    damaged = False
    if store_path.exists():
        try:
            check_store_file(store_path)
        except DamagedStore:
            damaged = True
    try:
        if damaged or not store_path.exists():
            previous = _move_aside(store_path) if damaged else None
            _copy_into_place(source, store_path)
        else:
            previous = backup(store_path, "before-restore")
            _copy_into(source, store_path)
        con = sqlite3.connect(store_path)
        try:
            result = con.execute("PRAGMA integrity_check(5)").fetchone()[0]
        finally:
            con.close()
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"could not restore {source.name}: {exc}") from exc
    if result != "ok":
        raise StoreError(f"the restored store fails SQLite's check ({result})")
    return Restored(source, previous, damaged)


def _move_aside(store_path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    aside = store_path.with_name(f"{store_path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm", ""):  # the main file last: a -wal never meets another main file
        part = Path(str(store_path) + suffix)
        if part.exists():
            os.replace(part, Path(str(aside) + suffix))
    return aside


def _copy_into_place(source: Path, store_path: Path) -> None:
    handle, temp = tempfile.mkstemp(prefix=".restore-", suffix=".part", dir=store_path.parent)
    os.close(handle)
    try:
        _copy_into(source, Path(temp))
        os.replace(temp, store_path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _copy_into(source: Path, target: Path) -> None:
    reader = connect_read_only(source)
    writer = sqlite3.connect(target, timeout=30)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _prune(folder: Path, stem: str) -> None:
    for old in sorted(folder.glob(f"{stem}-*.sqlite3"), key=lambda p: p.name, reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)
