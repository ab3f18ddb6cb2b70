"""Backups and restore against what went wrong in an adversarial run: each done for real.

The oldest of KEEP backups restored; a shared store's mode and group on its backups and on a restored
store; a backup that is not a Cluster Explorer store; real `python -m store backup` and `restore`
processes stopped by real signals in the middle; and the command line's daily backup.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from store import open_store
from store.curation.figures import edit_figure
from store.errors import StoreError
from store.opening.backup import KEEP, backup, backup_if_due, restore
from store.opening.paths import backup_folder, backups
from tests.conftest import ROOT
from tests.stopped import stop_when_paused

FIGURE = 1
LONG_AGO = datetime(2020, 1, 1, 9, 0, tzinfo=timezone.utc)  # an injected clock, behind any real one


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def _value(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT value_text FROM figures WHERE id = ?", (FIGURE,)).fetchone()[0]
    finally:
        con.close()


def _set_value(path: Path, value: str) -> None:
    store = open_store(str(path))
    try:
        edit_figure(store, FIGURE, {"value_text": value})
    finally:
        store.close()


def _damage(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(b"\x5a" * 4096 * 20)


def _ten_backups_the_oldest_saying(path: Path, value: str) -> list[Path]:
    """KEEP backups on KEEP days; the store said `value` in the oldest and 70 from then on."""
    made = []
    for day in range(KEEP):
        made.append(backup(path, "daily", LONG_AGO + timedelta(days=day)))
        if day == 0:
            _set_value(path, "70")
    assert backups(path) == made[::-1] and _value(made[0]) == value
    return made


# --- Restoring the oldest of the backups ---------------------------------------------------------------


def test_restoring_the_oldest_of_ten_backups_keeps_it_and_restores_it(seeded_path):
    oldest = _ten_backups_the_oldest_saying(seeded_path, "63")[0]
    done = restore(seeded_path, oldest)
    assert _value(seeded_path) == "63" and oldest.exists() and _value(oldest) == "63"
    assert _value(done.previous) == "70" and done.previous in backups(seeded_path)  # it can be undone


def test_the_command_line_restores_the_oldest_of_ten_too(seeded_path):
    oldest = _ten_backups_the_oldest_saying(seeded_path, "63")[0]
    result = _cli("restore", oldest, "--db", seeded_path)
    assert result.returncode == 0, result.stderr
    assert _value(seeded_path) == "63" and oldest.exists()


def test_a_backup_taken_with_a_clock_behind_the_others_is_not_pruned_at_once(seeded_path):
    for day in range(KEEP):
        backup(seeded_path, "daily", LONG_AGO + timedelta(days=100 + day))
    behind = backup(seeded_path, "manual", LONG_AGO)  # the machine's clock was set back
    assert behind.exists() and len(backups(seeded_path)) == KEEP + 1


# --- A shared store stays shared -----------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file another group needs root")
def test_backups_and_a_restored_store_keep_the_stores_mode_and_group(seeded_path):
    group = 100 if os.getgid() != 100 else 101
    seeded_path.chmod(0o664)
    os.chown(seeded_path, -1, group)

    def shared(path: Path) -> bool:
        info = os.stat(path)
        return stat.S_IMODE(info.st_mode) == 0o664 and info.st_gid == group

    saved = backup(seeded_path, "manual")
    assert shared(saved)
    folder = os.stat(backup_folder(seeded_path))  # the team can reach the backups, too
    assert stat.S_IMODE(folder.st_mode) == 0o775 and folder.st_gid == group
    done = restore(seeded_path, saved)
    assert shared(seeded_path) and shared(done.previous)
    _damage(seeded_path)
    done = restore(seeded_path, saved)  # a damaged store is moved aside and the backup copied in
    assert done.damaged and shared(seeded_path) and _value(seeded_path) == "63"


def test_a_private_store_keeps_private_backups(seeded_path):
    seeded_path.chmod(0o600)
    assert stat.S_IMODE(os.stat(backup(seeded_path, "manual")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(backup_folder(seeded_path)).st_mode) == 0o700


# --- Only a Cluster Explorer store is restored -----------------------------------------------------------


def _foreign(path: Path, *statements: str) -> Path:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path


def test_restore_refuses_what_is_not_a_cluster_explorer_store_naming_why(seeded_path, tmp_path):
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(seeded_path.read_bytes())
    _foreign(newer, "UPDATE alembic_version SET version_num = '9999'")
    no_version = tmp_path / "no-version.sqlite3"
    no_version.write_bytes(seeded_path.read_bytes())
    _foreign(no_version, "DROP TABLE alembic_version")
    cases = {
        _foreign(tmp_path / "figures-only.sqlite3", "CREATE TABLE figures (id INTEGER PRIMARY KEY)"):
            "not a Cluster Explorer store: it has no alembic_version, anchors, .* tables",
        _foreign(tmp_path / "app.sqlite3", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"):
            "not a Cluster Explorer store: it has no .*figures",
        newer: "schema '9999', which this version does not know",
        no_version: "not a Cluster Explorer store: it has no alembic_version table;",
    }
    before = seeded_path.read_bytes()
    for path, why in cases.items():
        with pytest.raises(StoreError, match=why):
            restore(seeded_path, path)
        result = _cli("restore", path, "--db", seeded_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and "nothing was restored" in result.stderr
    assert seeded_path.read_bytes() == before and backups(seeded_path) == []


# --- Killed in the middle -------------------------------------------------------------------------------

# The real command line, stopped once its copy is complete but not yet renamed into place.
_PAUSED = textwrap.dedent("""
    import signal, sys
    import store.opening.scratch as scratch

    def paused(*args):
        print("mid-copy", flush=True)
        while True:
            signal.pause()

    scratch.keep_mode = paused
    from store.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def _stopped(signum: int, *args) -> int:
    return stop_when_paused(_PAUSED, list(args), "mid-copy", signum)


def _hidden(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=["TERM", "HUP", "KILL"])
def test_a_killed_backup_leaves_nothing_after_the_next(seeded_path, signum):
    today = datetime.now(timezone.utc)
    first = backup(seeded_path, "daily", today)
    code = _stopped(signum, "backup", "--db", seeded_path)
    folder = backup_folder(seeded_path)
    assert backups(seeded_path) == [first]  # the half-made backup is never listed as one
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL and _hidden(folder)  # what the kill left
        # Opening the store (the app, or a writing command) clears it, though no backup is due today.
        assert backup_if_due(seeded_path, today) is None and _hidden(folder) == []
    else:
        assert code == 128 + signum and _hidden(folder) == []
    result = _cli("backup", "--db", seeded_path)
    assert result.returncode == 0, result.stderr
    assert _hidden(folder) == [] and _hidden(seeded_path.parent) == []


def test_a_restore_killed_mid_copy_leaves_the_damaged_store_and_the_next_restore_works(seeded_path):
    saved = backup(seeded_path, "manual")
    _damage(seeded_path)
    damaged = seeded_path.read_bytes()
    assert _stopped(signal.SIGKILL, "restore", saved, "--db", seeded_path) == -signal.SIGKILL
    assert seeded_path.read_bytes() == damaged and _hidden(seeded_path.parent)  # the store's place is never empty
    result = _cli("restore", saved, "--db", seeded_path)
    assert result.returncode == 0, result.stderr
    assert _value(seeded_path) == "63" and _hidden(seeded_path.parent) == []


# --- The command line's daily backup --------------------------------------------------------------------


def _daily(path: Path) -> list[Path]:
    return [saved for saved in backups(path) if saved.name.endswith("-daily.sqlite3")]


def test_an_import_on_the_command_line_takes_the_days_backup_first(seeded_path, tmp_path):
    article = tmp_path / "drones.md"
    article.write_text("# Drones\n\nShenzhen made 3 million drones in 2024.\n", encoding="utf-8")
    day = datetime.now(timezone.utc).date()
    assert _cli("figures", "--db", seeded_path).returncode == 0 and _daily(seeded_path) == []  # reading: none
    result = _cli("import", article, "--db", seeded_path)
    assert result.returncode == 0, result.stderr
    [daily] = _daily(seeded_path)
    con = sqlite3.connect(f"file:{daily}?mode=ro", uri=True)
    assert con.execute("SELECT count(*) FROM documents WHERE title = 'Drones'").fetchone() == (0,)  # before it
    con.close()
    second = tmp_path / "robots.md"
    second.write_text("# Robots\n\nGuangdong made 9 thousand robots.\n", encoding="utf-8")
    assert _cli("import", second, "--db", seeded_path).returncode == 0
    if datetime.now(timezone.utc).date() == day:  # (a run across midnight UTC rightly takes the next day's)
        assert _daily(seeded_path) == [daily]


def test_a_daily_backup_that_cannot_be_made_is_a_warning_and_the_import_goes_on(seeded_path, tmp_path):
    backup_folder(seeded_path).write_text("not a folder")  # the backups' place is taken by a file
    article = tmp_path / "drones.md"
    article.write_text("# Drones\n\nShenzhen made 3 million drones in 2024.\n", encoding="utf-8")
    result = _cli("import", article, "--db", seeded_path)
    assert result.returncode == 0 and result.stdout.startswith("added doc")
    assert result.stderr.count("\n") == 1 and "warning: no daily backup was made" in result.stderr
