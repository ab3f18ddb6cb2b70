"""Opening a store: resolve where it is, check it, migrate it, seed it on first use."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from store.errors import ReadOnlyStore, StoreError
from store.models import Meta
from store.opening import schema
from store.opening.config import chosen_store, redact, resolve_db_url, shown_url, sqlite_options, sqlite_path
from store.opening.db import make_engine, write_engine
from store.opening.health import FileState, check_store_file
from store.opening.seed import SEEDS_DIR, load_seeds


class Store:
    """A connection to one store. Reads and writes go through sessions it hands out."""

    def __init__(self, url: str, engine: Engine, read_only_reason: str = ""):
        self.url = url
        self.engine = engine
        self._write_engine = write_engine(engine)
        self.read_only_reason = read_only_reason  # "" when the store can be written

    @property
    def where(self) -> str:
        """The store as a message may name it: its file, or its server URL without the password."""
        return str(self.path) if self.path is not None else shown_url(self.url)

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        if self.read_only:
            raise ReadOnlyStore(f"nothing can be saved: {self.read_only_reason} (it was opened read-only)")
        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, seed: bool = True, seeds_dir: Path = SEEDS_DIR) -> Store:
    """Open (creating and seeding on first use) the store at `url`, or the default one.

    Nothing is written before the checks pass: what the database holds is read first (through a
    read-only connection for a file), and another application's database, a newer store or a
    damaged file is refused as it was. An open store that needs nothing (the usual case) is only
    read, so it opens while another program holds the write lock."""
    default = url is None and chosen_store(None) is None  # only the default store gets its folder made
    url = store_url(url)
    path = sqlite_path(url)
    state = check_store_file(path, create_folder=default) if path is not None else None
    if state is not None and state.read_only_reason:
        return _open_read_only(url, path, state)
    engine = make_engine(url)
    store = Store(url, engine)
    with _closed_on_failure(store):
        revision = state.revision if state is not None else _judge_server(engine, store.where)
        if revision is not None and revision != schema.head_revision() and path is not None:
            from store.opening.backup import backup

            backup(path, f"before-schema-{schema.head_revision()}")  # a migration is never the only copy
        if revision != schema.head_revision():
            schema.upgrade(engine)
        if seed and not seeds_loaded(store):
            with store.write() as session:
                if session.get(Meta, "seeds_loaded") is None:  # another program may have loaded them meanwhile
                    load_seeds(session, seeds_dir)
    return store


def store_url(url: str | None) -> str:
    """The URL to open: --db, the environment or the default; a SQLite URL as the plain path of its file.

    A SQLite URL's options (`?uri=true` with a `file:` name, `?password=`, `?mode=ro`) would route the
    file past the checks or be dropped silently: the URI form is read as its file, any other option is
    refused (named, never with its value)."""
    url = resolve_db_url(url)
    path = sqlite_path(url)
    if path is None:
        return url
    options = [name for name in sqlite_options(url) if name != "uri"]
    if options:
        raise StoreError(f"a SQLite store is named by its file alone; this URL has options the app does not "
                         f"take ({', '.join(sorted(set(options)))}): give the file's path")
    return "sqlite:///" + str(path.expanduser().absolute())


def _judge_server(engine: Engine, where: str) -> str | None:
    """A server database's tables and revision, read before anything is created in it."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    return schema.judge(tables, schema.current_revision(engine) if tables else None, where)


@contextmanager
def _closed_on_failure(store: Store) -> Iterator[None]:
    """Opening failed: let go of the file or server, and say why in one line."""
    try:
        yield
    except StoreError:
        store.close()
        raise
    except (OperationalError, DatabaseError) as exc:
        store.close()
        said = " ".join(str(exc.orig).split())  # the driver's prose, over several lines
        raise StoreError(f"cannot open the store {store.where}: {redact(said, store.url)}") from exc


def _open_read_only(url: str, path: Path, state: FileState) -> Store:
    """A store that cannot be written is shown as it is: no migration, no seeding, no pragma that writes."""
    reason = state.read_only_reason
    engine = make_engine(url, read_only=True)
    store = Store(url, engine, read_only_reason=reason)
    with _closed_on_failure(store):
        revision = state.revision
        if revision is None:
            raise StoreError(f"{path} is read-only and holds no Cluster Explorer store yet")
        if revision != schema.head_revision():
            raise StoreError(f"{path} needs an upgrade to this version's schema, but {reason}; "
                             "copy it somewhere writable (or make it writable) and open it again")
    return store


def seeds_loaded(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(select(Meta.value).where(Meta.key == "seeds_loaded")) is not None
