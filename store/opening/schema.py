"""Bring a store's schema to this version's head, or refuse a newer one.

Every schema change is an Alembic revision, from the first; a new store is
made by running them all, so the path a new store takes is the path an old
store's upgrade takes, and the migration tests exercise both.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Alembic (with Mako and Pygments) costs ~250 ms to import: only when a store is opened
    from alembic.config import Config
    from sqlalchemy import Engine

from store.errors import ForeignDatabase, SchemaTooNew

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"  # store/migrations
# The tables of the first revision that every store has: a database with an unknown revision but
# these tables is a newer Cluster Explorer's; one without them is another application's.
OWN_TABLES = frozenset({"meta", "documents", "figures", "anchors", "clusters", "metrics", "entities"})


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_not_newer(engine: Engine) -> str | None:
    """Return the store's revision; raise if this version does not know it."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        _too_new(current)
    return current


def _too_new(current: str) -> None:
    raise SchemaTooNew(
        f"this store was made by a newer version of Cluster Explorer (schema {current}); "
        f"this version knows schemas up to {head_revision()}. Update the app to open it; it was left untouched."
    )


def judge(tables: set[str], revision: str | None, where: str) -> str | None:
    """What a database holds, read before anything is written to it: None for an empty one (a new
    store is made in it), else its revision. Another application's tables, or a newer store, are
    refused (ForeignDatabase, SchemaTooNew) and the database is left as it was.

    A database with tables but no revision of ours is another application's, even when it has a
    table called `documents`: only Alembic's record of our revisions makes it a store."""
    tables = {name for name in tables if not name.startswith("sqlite_")}
    if not tables:
        return None
    if revision is not None and revision in known_revisions():
        return revision
    if revision is not None and OWN_TABLES <= tables:
        _too_new(revision)
    shown = ", ".join(sorted(tables)[:4]) + (f" and {len(tables) - 4} more" if len(tables) > 4 else "")
    raise ForeignDatabase(
        f"{where} is not a Cluster Explorer store: it holds another application's tables ({shown}); "
        "it was left untouched. Give a new file, an empty database, or an existing store."
    )


def needs_upgrade(engine: Engine) -> bool:
    """True for an existing store at an older revision (a new, empty file has no revision yet)."""
    current = check_not_newer(engine)
    return current is not None and current != head_revision()


def upgrade(engine: Engine) -> bool:
    """Upgrade to head in one transaction; return True if anything ran."""
    current = check_not_newer(engine)
    if current == head_revision():
        return False
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
