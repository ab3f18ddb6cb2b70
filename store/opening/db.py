"""Engines with the durability settings every connection must have.

SQLite: WAL (readers never block the writer), synchronous=FULL (a reported
commit survives power loss), foreign keys on, and a busy timeout so a second
process waits instead of failing at once. pysqlite's own transaction handling
is turned off so that we emit BEGIN ourselves: writes take the write lock up
front with BEGIN IMMEDIATE, which avoids the deadlock-prone lock upgrade of a
deferred transaction that reads before it writes.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5  # a server that does not answer (a port that is not PostgreSQL) fails in this time
WRITE_OPTION = "cluster_explorer_write"


def make_engine(url: str, read_only: bool = False) -> Engine:
    if url.startswith("sqlite") and read_only:
        return _read_only_sqlite(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return _server_engine(url)


def _server_engine(url: str) -> Engine:
    """PostgreSQL (or another server): a plain postgresql:// URL uses psycopg 3, the driver we install."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from store.errors import StoreError
    from store.opening.config import redact, shown_url

    try:
        if "@" in url.partition("://")[2].split("?", 1)[0].rpartition("@")[0]:
            # A parser splits `bob:p@ss@host` at the first `@` and would send `ss@host` to DNS, into messages.
            raise StoreError(f"the URL {shown_url(url)} has an '@' in its user or password part: "
                             "write it as %40 there")
        parsed = make_url(url)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        # pre-ping: a connection the server dropped (restart, idle timeout) is replaced before it is used
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except ModuleNotFoundError as exc:
        raise StoreError(f"the driver for this database is not installed ({exc.name}); for PostgreSQL: "
                         "pip install 'cluster-explorer[postgres]'") from exc
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StoreError(f"not a database URL this app can open: {shown_url(url)} ({redact(str(exc), url)})") from exc


def write_engine(engine: Engine) -> Engine:
    """The same pool, but each transaction begins with BEGIN IMMEDIATE on SQLite."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _read_only_sqlite(url: str) -> Engine:
    """Connections that cannot write (mode=ro, immutable in a read-only folder), and say so (query_only)."""
    from sqlalchemy.pool import QueuePool

    from store.opening.config import sqlite_path
    from store.opening.health import connect_read_only

    path = sqlite_path(url)
    # The URL only names the dialect; the creator opens the file. QueuePool as for any file (sqlite:// alone
    # would get the one-connection-per-thread pool meant for :memory:).
    engine = create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA query_only = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")

    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
