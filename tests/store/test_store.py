"""Opening stores: connection settings, transactions, schema guard, no Qt."""

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from tests.seed_counts import SEED_DOCUMENTS
from store import SchemaTooNew, StoreError, open_store
from store.config import default_db_path, resolve_db_url


def test_importing_the_store_pulls_in_no_qt():
    code = (
        "import sys, store, store.cli, store.seed, store.queries, store.display, store.provenance;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_connection_has_the_durability_settings(seeded_store):
    with seeded_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_a_write_takes_the_write_lock_when_it_begins(seeded_store, seeded_path):
    other = sqlite3.connect(seeded_path, timeout=0, isolation_level=None)
    with seeded_store.write() as session:
        session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE has run; nothing written yet
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_a_write_that_raises_is_rolled_back(seeded_store):
    with pytest.raises(RuntimeError):
        with seeded_store.write() as session:
            session.execute(text("UPDATE figures SET note = 'half-written'"))
            raise RuntimeError("fail mid-action")
    with seeded_store.read() as session:
        assert session.execute(text("SELECT count(*) FROM figures WHERE note = 'half-written'")).scalar() == 0


def test_the_first_start_creates_and_seeds_the_store_in_the_user_data_folder(tmp_path):
    path = default_db_path()
    assert str(path).startswith(str(tmp_path))  # the fixture isolated XDG_DATA_HOME
    store = open_store()
    assert store.path == path and path.exists()
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM documents")).scalar() == SEED_DOCUMENTS
    store.close()


def test_db_option_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CLUSTER_EXPLORER_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'env.sqlite3'}"
    assert resolve_db_url(str(tmp_path / "cli.sqlite3")) == f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert resolve_db_url("postgresql://team@db/clusters") == "postgresql://team@db/clusters"


def test_a_store_from_a_newer_version_is_refused(seeded_path):
    conn = sqlite3.connect(seeded_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match="newer version"):
        open_store(str(seeded_path))


def test_a_file_that_is_not_a_store_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a Cluster Explorer store"):
        open_store(str(path))
    assert path.read_bytes() == before
