"""`python -m store backup | backups | restore`: the store's backups from the command line.

A plugin of store/cli/__init__.py. These commands work on the file, not through an opened store
(OPENS_STORE = False), so that a damaged store, which refuses to open, can be restored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from store.errors import StoreError
from store.opening.backup import backup, restore
from store.opening.config import resolve_db_url, sqlite_path
from store.opening.paths import backups

OPENS_STORE = False


def add_parser(sub, add_db_option, add_filters) -> str:
    made = sub.add_parser("backup", help="back the store up now (SQLite backup API, kept beside the store)",
                          description="Copy the store to its backups folder; prints the backup's path.")
    add_db_option(made)
    listed = sub.add_parser("backups", help="list the store's backups, newest first")
    add_db_option(listed)
    restoring = sub.add_parser(
        "restore", help="put a backup (the newest by default) in the store's place",
        description="Check the backup with integrity_check, back the store up as it is now (or move a damaged "
                    "store aside, untouched), then copy the backup in. Close the app on this store first.")
    restoring.add_argument("backup", nargs="?", type=Path, help="the backup file (default: the newest)")
    add_db_option(restoring)
    import store.cli  # at call time: store.cli imports this module while building its parser

    for name in ("backups", "restore"):
        store.cli.PLUGIN_COMMANDS[name] = sys.modules[__name__]
    return "backup"


def run(_store, args: argparse.Namespace) -> int:
    path = sqlite_path(resolve_db_url(args.db))
    if path is None:
        raise StoreError("backups here are of SQLite stores; back a PostgreSQL store up with the server's pg_dump")
    if args.command == "backup":
        if not path.exists():
            raise StoreError(f"there is no store at {path}")
        print(backup(path, "manual"))
    elif args.command == "backups":
        for saved in backups(path):
            print(f"{saved}\t{saved.stat().st_size:,} bytes")
    else:
        done = restore(path, args.backup)
        kept = (f"the damaged store was moved aside, untouched: {done.previous}" if done.damaged
                else f"the store as it was is backed up as {done.previous}" if done.previous else "")
        print(f"restored {done.source.name} into {path} (integrity_check ok)" + (f"; {kept}" if kept else ""))
    return 0
