"""The check a SQLite store file gets before it is opened.

- a folder, or a file that is not SQLite, is refused and left untouched;
- a damaged file (SQLite's own `PRAGMA quick_check` fails, about 1 s per 600 MB)
  is refused and left byte for byte as it was, naming the newest backup to restore;
- another application's database (tables, but no revision of ours) and a store of a newer
  version are refused and left byte for byte as they were (journal mode included);
- a read-only file or folder, and a file marked read-only (no write permission
  bits, even for root), is opened read-only: nothing will try to write to it.

The check reads through a read-only connection, so it writes nothing to the file
(a read-write connection would switch a rollback-journal file to WAL, a write).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from store.errors import StoreBusy, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_HEADER_BYTES = 32  # a -wal file no longer than its header holds no frames
DAMAGE = ("malformed", "not a database", "corrupt")  # SQLite's words for a damaged file, not a failing disk


class DamagedStore(StoreError):
    """The file is a damaged SQLite database. `backup` is the newest backup, if there is one."""

    def __init__(self, message: str, backup: Path | None):
        super().__init__(message)
        self.backup = backup


@dataclass(frozen=True)
class FileState:
    exists: bool
    read_only_reason: str = ""  # empty: the store can be written
    revision: str | None = None  # the store's schema revision; None for a new (absent or empty) store


def check_store_file(path: Path, *, create_folder: bool = False) -> FileState:
    """Everything about the file that can be learnt without writing to it, refusing what must not be
    opened. Only the default store (`create_folder`) gets its folder made: a path the user typed into
    a folder that does not exist is a typo, not a new store."""
    if not path.exists():
        _folder_for_new_store(path, create_folder)
        return FileState(exists=False)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a store file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a Cluster Explorer store (not an SQLite database); it was left untouched")
    reason = read_only_reason(path)
    # A zero-byte file is an empty SQLite database (SQLite's own reading): nothing in it to lose, so it
    # becomes a new store, as a path to no file does.
    revision = _inspect(path) if header else None
    return FileState(exists=True, read_only_reason=reason, revision=revision)


def _folder_for_new_store(path: Path, create_folder: bool) -> None:
    folder = path.parent
    if folder.is_dir():  # the system's answer: `none/..` is no folder while `none` does not exist
        return
    if not create_folder:
        raise StoreError(f"there is no store at {path}, and its folder {folder} does not exist; "
                         "check the path (a new store is only made in a folder that exists)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for the store {path}: {exc.strerror}") from exc


def read_only_reason(path: Path) -> str:
    """Why the store cannot be written, or "" if it can. SQLite in WAL mode also writes beside the file."""
    if not _writable(path):
        return "the store file is read-only"
    if not _writable(path.parent):
        return "the folder of the store is read-only"
    return ""


def _writable(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    # No write bit for anyone: the owner marked it read-only. Respect that even as root, who could write anyway.
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)


def read_only_uri(path: Path, immutable: bool = False) -> str:
    # Quoted: a `?` or `#` in a file name would otherwise end the path and open another file.
    return f"file:{quote(str(path), safe='/')}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. In a read-only folder a WAL file cannot get its -shm
    beside it; SQLite then opens it only as immutable (nobody can be writing it there either).

    Immutable means SQLite ignores the -wal file. Where that file holds commits (the store was
    copied or its disk unplugged while open), the immutable view would show older data as if it
    were all: that is refused, saying how to read it."""
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > WAL_HEADER_BYTES:
        raise StoreError(
            f"{path} cannot be read completely here: its latest changes are still in {wal.name}, which SQLite "
            f"reads only with a {path.name}-shm file beside it, and that cannot be made in this read-only folder. "
            f"Nothing was opened. Open the store once where it can be written (that folds the changes into the "
            f"file), or copy {path.name} together with {wal.name} to a writable folder.")
    return sqlite3.connect(read_only_uri(path, immutable=True), uri=True)


def _inspect(path: Path) -> str | None:
    """Check the file for damage and read what it holds, through a read-only connection; refuse a
    damaged file, another application's database and a newer store. Return the store's revision."""
    from store.opening import schema
    from store.opening.paths import backups

    problem = ""
    try:
        con = connect_read_only(path)
        try:
            rows = [row[0] for row in con.execute("PRAGMA quick_check(5)")]
            if rows != ["ok"]:
                problem = _first_problem(rows)
            else:
                tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                versions = (con.execute("SELECT version_num FROM alembic_version").fetchall()
                            if "alembic_version" in tables else [])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StoreBusy(f"cannot open the store {path} now: another program holds it locked ({text}); "
                            "nothing was changed; try again when it is done") from exc
        if not any(words in text for words in DAMAGE):
            # An I/O error, a full disk: the file may be sound; say what happened, offer no restore.
            raise StoreError(f"cannot read the store {path}: {text}") from exc
        problem = text
    if not problem:
        return schema.judge(tables, versions[0][0] if len(versions) == 1 else None, str(path))
    saved = backups(path)
    newest = saved[0] if saved else None
    advice = (f" The newest backup is {newest.name}: restore it with File \u203a Restore Backup\u2026 or "
              f"`python -m store restore --db {path}`." if newest else " There is no backup of it to restore.")
    raise DamagedStore(f"{path} is damaged (SQLite's check: {problem[:160]}); it was left untouched.{advice}", newest)


def _first_problem(rows: list[str]) -> str:
    """quick_check's report, short: its first finding and how many more there are."""
    lines = [line.strip() for row in rows for line in str(row).splitlines()
             if line.strip() and not line.startswith("***")]
    if not lines:
        return "failed"
    return lines[0] + (f", and {len(lines) - 1} more" if len(lines) > 1 else "")
