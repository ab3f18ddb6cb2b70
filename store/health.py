"""The check a SQLite store file gets before it is opened.

- a folder, or a file that is not SQLite, is refused and left untouched;
- a damaged file (SQLite's own `PRAGMA quick_check` fails, about 1 s per 600 MB)
  is refused and left byte for byte as it was, naming the newest backup to restore;
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

from store.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
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


def check_store_file(path: Path) -> FileState:
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the store {path}: {exc.strerror}") from exc
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
    if header:
        _quick_check(path)
    return FileState(exists=True, read_only_reason=reason)


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
    return f"file:{path}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. In a read-only folder a WAL file cannot get its -shm
    beside it; SQLite then opens it only as immutable (nobody can be writing it there either)."""
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc):
            raise
    return sqlite3.connect(read_only_uri(path, immutable=True), uri=True)


def _quick_check(path: Path) -> None:
    from store.backup import backups

    problem = ""
    try:
        con = connect_read_only(path)
        try:
            rows = [row[0] for row in con.execute("PRAGMA quick_check(5)")]
        finally:
            con.close()
        if rows != ["ok"]:
            problem = _first_problem(rows)
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return  # another program is writing it: it is in use, not damaged; opening will wait for it
        if not any(words in text for words in DAMAGE):
            # An I/O error, a full disk: the file may be sound; say what happened, offer no restore.
            raise StoreError(f"cannot read the store {path}: {text}") from exc
        problem = text
    if not problem:
        return
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
