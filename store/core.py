"""Opening a store: resolve where it is, check it, migrate it, seed it on first use."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from store import schema
from store.config import resolve_db_url, sqlite_path
from store.db import make_engine, write_engine
from store.errors import StoreError
from store.models import Meta
from store.seed import SEEDS_DIR, load_seeds

SQLITE_HEADER = b"SQLite format 3\x00"


class Store:
    """A connection to one store. Reads and writes go through sessions it hands out."""

    def __init__(self, url: str, engine: Engine):
        self.url = url
        self.engine = engine
        self._write_engine = write_engine(engine)

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
        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the store {path}: {exc.strerror}") from exc
        return
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a store file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a Cluster Explorer store (not an SQLite database); it was left untouched")


def open_store(url: str | None = None, *, seed: bool = True, seeds_dir: Path = SEEDS_DIR) -> Store:
    """Open (creating and seeding on first use) the store at `url`, or the default one."""
    url = resolve_db_url(url)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
    engine = make_engine(url)
    store = Store(url, engine)
    try:
        if path is not None and path.exists() and schema.needs_upgrade(engine):
            from store.backup import backup

            backup(path, f"before-schema-{schema.head_revision()}")  # a migration is never the only copy
        schema.upgrade(engine)
        if seed:
            with store.write() as session:
                if session.get(Meta, "seeds_loaded") is None:
                    load_seeds(session, seeds_dir)
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store {path or _shown(url)}: {exc.orig}") from exc
    return store


def _shown(url: str) -> str:
    """A server URL as it may appear in a message: without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def seeds_loaded(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(select(Meta.value).where(Meta.key == "seeds_loaded")) is not None
