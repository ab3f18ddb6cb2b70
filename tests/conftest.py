"""Shared fixtures: every test gets its own real SQLite file and its own settings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Qt must never look for a display in tests; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from store import open_store  # noqa: E402
from store.opening.seed import SEEDS_DIR  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test reads or writes the user's real data folder or settings."""
    monkeypatch.delenv("CLUSTER_EXPLORER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """One seeded store per test session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    store = open_store(str(path))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def seeded_path(seeded_template, tmp_path) -> Path:
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def seeded_store(seeded_path):
    store = open_store(str(seeded_path))
    yield store
    store.close()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of seeds/, for tests that break it on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


# --- PostgreSQL: the team store ------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for this test session (skipped only where PostgreSQL is not installed)."""
    from tests.pg_server import PgServer, server_binaries

    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CLUSTER_EXPLORER_REQUIRE_PG"):
            pytest.fail("PostgreSQL is not installed; .ci/system-deps installs it")
        pytest.skip("PostgreSQL is not installed (bash .ci/system-deps installs it)")
    server = PgServer(binaries)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def pg_seeded_template(pg_server) -> str:
    """One seeded PostgreSQL database per session; tests get copies made with CREATE DATABASE ... TEMPLATE."""
    name = pg_server.new_database()
    store = open_store(pg_server.url(name))
    store.close()
    return name


@pytest.fixture
def pg_seeded_url(pg_server, pg_seeded_template):
    name = "t_" + os.urandom(6).hex()
    pg_server.admin(f'CREATE DATABASE "{name}" TEMPLATE "{pg_seeded_template}"')
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def team_store_url(request, seeded_path):
    """The same seeded store as a SQLite file and as a PostgreSQL database: tests of sharing run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{seeded_path}"
    return request.getfixturevalue("pg_seeded_url")
