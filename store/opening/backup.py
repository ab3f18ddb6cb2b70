"""Backups of a SQLite store, and restoring one.

Taken before every schema migration and once a day of use (on opening the app, and before the command
line's first writing command of the day), kept in a folder beside the store. SQLite's online backup API
copies a consistent snapshot even while the store is open; the copy is written under a temporary name
(store.opening.scratch: a killed backup's leftover is cleared by the next) and moved into place, so a backup is
never half there. A backup has the store's own mode and group. The newest KEEP backups are kept.

Restore checks the backup first (`PRAGMA integrity_check`, the tables of a Cluster Explorer store, a
schema revision this version knows), then backs up the store as it is now (so a restore can itself be
undone; the pruning never takes the backup being restored) and copies the backup in through the same
API, which other readers of a WAL store see as one change. A damaged store is not written over: the
backup is copied beside it, then it is moved aside, with its -wal and -shm files, and the copy takes
its place with its mode and group. Nothing is ever deleted but old backups.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from store.errors import StoreError
from store.opening import scratch
from store.opening.health import connect_read_only
from store.opening.paths import backup_folder, backups

KEEP = 10


def _utc(now: datetime | None) -> datetime:
    """The clock every name and check here reads: `now` when given (tests inject it), else the real one."""
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)


def backup(store_path: Path, reason: str, now: datetime | None = None, *, keep: Path | None = None) -> Path:
    """Copy the store to its backup folder; returns the backup's path (named for `now`, UTC).

    The copy has the store's own mode and group (a shared store's backups are shared alike). Pruning to
    KEEP never removes `keep` (the backup a restore is about to read)."""
    folder = backup_folder(store_path)
    stamp = _utc(now).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{store_path.stem}-{stamp}-{reason}.sqlite3"
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
            _share_folder_as(store_path, folder)
        clear_leftovers(store_path)
        temp = scratch.create(folder, "backup")
        try:
            source = connect_read_only(store_path)
            copy = sqlite3.connect(temp)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            scratch.keep_mode(os.stat(store_path), temp)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"could not back up the store before changing it ({exc}); nothing was changed") from exc
    _prune(folder, store_path.stem, (target, keep))  # never the one just made, whatever the clock says
    return target


def _share_folder_as(store_path: Path, folder: Path) -> None:
    """The backups folder is open to whoever the store is open to: each class that may read the store
    may list the folder (a 0664 store gets a 0775 folder, a 0600 one 0700), and it has the store's group."""
    info = os.stat(store_path)
    mode = info.st_mode & 0o777
    scratch.set_mode(folder, mode | (mode & 0o444) >> 2, info.st_gid)


def clear_leftovers(store_path: Path) -> None:
    """Remove what killed backups and restores of this machine left beside the store (store.opening.scratch)."""
    scratch.remove_stale(backup_folder(store_path), "backup")
    scratch.remove_stale(store_path.parent, "restore")


def backup_if_due(store_path: Path, now: datetime | None = None) -> Path | None:
    """The daily backup: taken on the first opening of the day (UTC), else None. Every opening clears
    leftovers of killed backups and restores.

    One clock for the check and the name, so the backup taken is the one the next check finds."""
    clear_leftovers(store_path)
    now = _utc(now)
    today = now.strftime("%Y%m%d")
    if any(p.name.startswith(f"{store_path.stem}-{today}-") and p.name.endswith("-daily.sqlite3")
           for p in backups(store_path)):
        return None
    return backup(store_path, "daily", now)


# The tables every schema since the first has; a store also has alembic_version, at a revision this
# version knows (an older one is upgraded when the store is opened; a newer one it cannot read).
STORE_TABLES = frozenset({"alembic_version", "anchors", "cluster_groupings", "clusters", "documents", "entities",
                          "figures", "groupings", "meta", "metrics"})


def check_backup(path: Path) -> None:
    """Refuse a backup that is not a whole, sound Cluster Explorer store, naming why."""
    from store.opening.health import SQLITE_HEADER

    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(f"{path.name} is not a store backup (not an SQLite database)")
        con = connect_read_only(path)
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check(5)")]
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (con.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
                        if "alembic_version" in tables else None)
        finally:
            con.close()
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot use the backup {path.name}: {exc}") from exc
    if result != ["ok"]:
        raise StoreError(f"the backup {path.name} is damaged too ({'; '.join(result)[:200]}); choose an older one")
    missing = sorted(STORE_TABLES - tables)
    if missing:
        raise StoreError(f"{path.name} is not a Cluster Explorer store: it has no {', '.join(missing)} "
                         f"table{'s' if len(missing) > 1 else ''}; nothing was restored")
    known = _known_revisions()
    if revision not in known:
        raise StoreError(f"{path.name} has schema {revision!r}, which this version does not know "
                         f"(it knows {', '.join(sorted(known))}; a newer version may have made it); nothing was restored")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from store.opening.schema import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@dataclass(frozen=True)
class Restored:
    source: Path
    previous: Path | None  # the store as it was, backed up ("before-restore") or moved aside (damaged)
    damaged: bool


def restore(store_path: Path, source: Path | None = None) -> Restored:
    """Put a backup (the newest by default) in the store's place; see the module's docstring."""
    from store.opening.health import DamagedStore, check_store_file

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
            previous = _copy_into_place(source, store_path, damaged)
        else:
            # The backup being restored may be the oldest of KEEP: the pruning must not take it away.
            previous = backup(store_path, "before-restore", keep=source)
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


def _copy_into_place(source: Path, store_path: Path, damaged: bool) -> Path | None:
    """Copy the backup beside the store first, and only then move a damaged store aside and rename the
    copy in: killed at any moment but between those two renames, the store's place holds the damaged
    store untouched or the restored one, never nothing. Returns where the damaged store went."""
    scratch.remove_stale(store_path.parent, "restore")
    temp = scratch.create(store_path.parent, "restore")  # the umask applies, as for a new store
    try:
        _copy_into(source, temp)
        previous = None
        if damaged:
            scratch.keep_mode(os.stat(store_path), temp)  # as shared (mode, group) as the store it replaces
            previous = _move_aside(store_path)
        os.replace(temp, store_path)
        return previous
    finally:
        temp.unlink(missing_ok=True)


def _copy_into(source: Path, target: Path) -> None:
    reader = connect_read_only(source)
    writer = sqlite3.connect(target, timeout=30)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _prune(folder: Path, stem: str, keep: tuple[Path | None, ...]) -> None:
    for old in sorted(folder.glob(f"{stem}-*.sqlite3"), key=lambda p: p.name, reverse=True)[KEEP:]:
        if not any(path is not None and _same_file(old, path) for path in keep):
            old.unlink(missing_ok=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
