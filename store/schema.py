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

from store.errors import SchemaTooNew

MIGRATIONS = Path(__file__).with_name("migrations")


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


def check_not_newer(engine: Engine) -> str | None:
    """Return the store's revision; raise if this version does not know it."""
    from alembic.script import ScriptDirectory

    current = current_revision(engine)
    if current is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise SchemaTooNew(
            f"this store was made by a newer version of Cluster Explorer (schema {current}); "
            f"this version knows schemas up to {script.get_current_head()}. Update the app to open it."
        )
    return current


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
