"""Damaged, locked and read-only stores, backups and restore: each done for real, with real files and processes."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from tests.seed_counts import SEED_FIGURES
from store import open_store
from store.backup import backup, backup_if_due, backups, restore
from store.curation import edit_figure
from store.errors import ReadOnlyStore, StoreBusy, StoreError
from store.health import DamagedStore
from tests.conftest import ROOT

FIGURE = 1


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def _damage(path) -> None:
    with path.open("r+b") as handle:  # twenty pages of the tables' b-trees overwritten
        handle.seek(4096 * 2)
        handle.write(b"\x5a" * 4096 * 20)


def _value(path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT value_text FROM figures WHERE id = ?", (FIGURE,)).fetchone()[0]
    finally:
        con.close()


def test_a_damaged_store_is_refused_untouched_naming_the_newest_backup_which_restores(seeded_path):
    saved = backup(seeded_path, "daily")
    _damage(seeded_path)
    damaged = _sha(seeded_path)
    with pytest.raises(DamagedStore) as refused:
        open_store(str(seeded_path))
    assert refused.value.backup == saved and saved.name in str(refused.value)
    assert _sha(seeded_path) == damaged

    result = _cli("figures", "--db", seeded_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "is damaged" in result.stderr
    assert "Traceback" not in result.stderr and _sha(seeded_path) == damaged

    result = _cli("restore", "--db", seeded_path)
    assert result.returncode == 0, result.stderr
    assert "integrity_check ok" in result.stdout and "moved aside, untouched" in result.stdout
    [aside] = seeded_path.parent.glob(f"{seeded_path.name}.damaged-*[0-9]")
    assert _sha(aside) == damaged  # the damaged file is kept as it was, for whoever wants to rescue it
    store = open_store(str(seeded_path))
    store.close()
    assert _value(seeded_path) == "63"


def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_was(tmp_path):
    binary = tmp_path / "photo.sqlite3"
    binary.write_bytes(bytes(range(256)) * 64)
    before = _sha(binary)
    with pytest.raises(StoreError, match="not an SQLite database"):
        open_store(str(binary))
    assert _sha(binary) == before and sorted(p.name for p in tmp_path.iterdir()) == ["photo.sqlite3"]


def test_restore_brings_back_the_backup_and_keeps_what_it_replaces(seeded_path):
    saved = backup(seeded_path, "manual")
    store = open_store(str(seeded_path))
    edit_figure(store, FIGURE, {"value_text": "64"})
    store.close()

    done = restore(seeded_path, saved)
    assert _value(seeded_path) == "63" and not done.damaged
    assert _value(done.previous) == "64"  # the restore can itself be undone: nothing was lost
    assert done.previous in backups(seeded_path)


def test_restore_refuses_a_damaged_backup_and_changes_nothing(seeded_path, tmp_path):
    bad = tmp_path / "bad-backup.sqlite3"
    shutil.copyfile(seeded_path, bad)
    _damage(bad)
    before = _sha(seeded_path)
    with pytest.raises(StoreError, match="damaged too|cannot use the backup"):
        restore(seeded_path, bad)
    assert _sha(seeded_path) == before and backups(seeded_path) == []


def test_one_backup_a_day_and_a_bounded_number_in_all(seeded_path):
    from store.backup import KEEP

    morning = datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc)  # an injected clock: passes on any real day
    first = backup_if_due(seeded_path, now=morning)
    assert first.name.startswith(f"{seeded_path.stem}-20261126-080000-")  # named by the clock that was checked
    assert backup_if_due(seeded_path, now=morning + timedelta(hours=15)) is None
    made = [backup_if_due(seeded_path, now=morning + timedelta(days=day)) for day in range(1, KEEP + 3)]
    assert all(made)  # every later day takes its own
    kept = backups(seeded_path)
    assert len(kept) == KEEP and kept[0] == made[-1]
    con = sqlite3.connect(f"file:{kept[0]}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_a_store_marked_read_only_opens_read_only_and_nothing_writes_to_it(seeded_path):
    seeded_path.chmod(0o444)
    before = _sha(seeded_path)
    store = open_store(str(seeded_path))
    try:
        assert store.read_only and "read-only" in store.read_only_reason
        with pytest.raises(ReadOnlyStore, match="opened read-only"):
            edit_figure(store, FIGURE, {"value_text": "64"})
        with store.read() as session:  # reading works
            assert session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM figures")).scalar() == SEED_FIGURES
    finally:
        store.close()
    assert _sha(seeded_path) == before
    result = _cli("import", "--db", seeded_path, ROOT / "seeds" / "000_806b1f88b7e42a83.txt")
    assert result.returncode == 2 and "read-only" in result.stderr and result.stderr.count("\n") == 1
    assert _sha(seeded_path) == before


def test_a_store_in_a_read_only_folder_opens_read_only(seeded_path):
    folder = seeded_path.parent
    folder.chmod(0o555)
    try:
        store = open_store(str(seeded_path))
        assert store.read_only_reason == "the folder of the store is read-only"
        store.close()
    finally:
        folder.chmod(0o755)


def test_a_store_on_a_read_only_file_system_opens_read_only(seeded_path, tmp_path):
    """A real read-only mount (a private mount namespace), so that not even root can write."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("no mount namespaces here (unshare -m)")
    mount = tmp_path / "ro"
    mount.mkdir()
    script = textwrap.dedent(f"""
        set -e
        mount -t tmpfs tmpfs {mount}
        cp {seeded_path} {mount}/store.sqlite3
        mount -o remount,ro {mount}
        {sys.executable} -m store info --db {mount}/store.sqlite3
        {sys.executable} -m store import --db {mount}/store.sqlite3 {ROOT}/seeds/000_806b1f88b7e42a83.txt || echo "import exit $?"
    """)
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert f"figures:   {SEED_FIGURES}" in result.stdout, result.stderr
    assert "import exit 2" in result.stdout and "read-only" in result.stderr and "Traceback" not in result.stderr


LOCKER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE meta SET value = value WHERE key = 'seeds_loaded'")
print("locked", flush=True)
sys.stdin.readline()
con.execute("COMMIT")
"""


def test_a_save_while_another_process_holds_the_lock_waits_says_so_and_the_retry_saves(seeded_path, monkeypatch):
    import store.db

    monkeypatch.setattr(store.db, "BUSY_TIMEOUT_MS", 300)  # the app waits 5 s; the test need not
    curator = open_store(str(seeded_path))
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(seeded_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusy, match="another program is writing to the store.*your change is kept"):
            edit_figure(curator, FIGURE, {"value_text": "64"}, expected_version=1)
        assert _value(seeded_path) == "63"
    finally:
        locker.communicate("\n", timeout=30)
    edit_figure(curator, FIGURE, {"value_text": "64"}, expected_version=1)  # the kept edit, retried
    curator.close()
    assert _value(seeded_path) == "64"


def test_backup_and_backups_on_the_command_line(seeded_path):
    made = _cli("backup", "--db", seeded_path)
    assert made.returncode == 0, made.stderr
    path = made.stdout.strip()
    assert path.endswith("-manual.sqlite3") and sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    listed = _cli("backups", "--db", seeded_path)
    assert listed.returncode == 0 and listed.stdout.startswith(path + "\t")
    refused = _cli("restore", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert refused.returncode == 2 and "pg_dump" in refused.stderr and refused.stderr.count("\n") == 1
