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
from store.errors import ReadOnlyStore, StoreError
from store.health import check_store_file
from store.models import Meta
from store.seed import SEEDS_DIR, load_seeds


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
        return str(self.path) if self.path is not None else _shown(self.url)

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
    """Open (creating and seeding on first use) the store at `url`, or the default one."""
    url = resolve_db_url(url)
    path = sqlite_path(url)
    state = check_store_file(path) if path is not None else None
    if state is not None and state.read_only_reason:
        return _open_read_only(url, path, state.read_only_reason)
    engine = make_engine(url)
    store = Store(url, engine)
    with _closed_on_failure(store):
        if path is not None and path.exists() and schema.needs_upgrade(engine):
            from store.backup import backup

            backup(path, f"before-schema-{schema.head_revision()}")  # a migration is never the only copy
        schema.upgrade(engine)
        if seed:
            with store.write() as session:
                if session.get(Meta, "seeds_loaded") is None:
                    load_seeds(session, seeds_dir)
    return store


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
        raise StoreError(f"cannot open the store {store.where}: {exc.orig}") from exc


def _open_read_only(url: str, path: Path, reason: str) -> Store:
    """A store that cannot be written is shown as it is: no migration, no seeding, no pragma that writes."""
    engine = make_engine(url, read_only=True)
    store = Store(url, engine, read_only_reason=reason)
    with _closed_on_failure(store):
        revision = schema.check_not_newer(engine)
        if revision is None:
            raise StoreError(f"{path} is read-only and holds no Cluster Explorer store yet")
        if revision != schema.head_revision():
            raise StoreError(f"{path} needs an upgrade to this version's schema, but {reason}; "
                             "copy it somewhere writable (or make it writable) and open it again")
    return store


def _shown(url: str) -> str:
    """A server URL as it may appear in a message: without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def seeds_loaded(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(select(Meta.value).where(Meta.key == "seeds_loaded")) is not None
