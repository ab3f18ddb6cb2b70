"""What a failed write tells the user: one line, what happened, that nothing was written, and what to do.

The transaction was rolled back before we get here, so every message can say
that nothing was changed. Failures that pass (a lock another program holds, a
database server that went away) become StoreBusy, so the GUI can keep the
edit and offer to retry it.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from store.errors import ReadOnlyStore, StoreBusy, StoreError

SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
SQLITE_FULL = ("database or disk is full", "disk i/o error")
SQLITE_READ_ONLY = ("attempt to write a readonly database", "readonly database")


def write_failure(label: str, exc: SQLAlchemyError) -> StoreError:
    reason = getattr(exc, "orig", None) or exc
    text = (str(reason).strip().splitlines() or [type(reason).__name__])[0]
    lowered = text.lower()
    if any(words in lowered for words in SQLITE_BUSY):
        return StoreBusy(f"{label}: not saved yet \u2014 another program is writing to the store and has held it "
                         "for several seconds. Nothing was changed; your change is kept, try again in a moment.")
    if any(words in lowered for words in SQLITE_READ_ONLY):
        return ReadOnlyStore(f"{label}: not saved \u2014 the store file or its folder is read-only. Nothing was changed.")
    if any(words in lowered for words in SQLITE_FULL):
        return StoreError(f"{label}: not saved \u2014 the disk is full or failing ({text}). Nothing was changed; "
                          "free some space and try again.")
    if _connection_lost(exc):
        return StoreBusy(f"{label}: not saved \u2014 the connection to the database server was lost ({text}). "
                         "Nothing was changed; your change is kept, try again when the server is back.")
    return StoreError(f"{label}: not saved, nothing was changed ({text})")


def _connection_lost(exc: SQLAlchemyError) -> bool:
    """A server connection that broke or could not be made (PostgreSQL): the write may be retried."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    module = type(orig).__module__ if orig is not None else ""
    return module.startswith("psycopg") and type(orig).__name__ in (
        "OperationalError", "InterfaceError", "AdminShutdown", "ConnectionFailure", "ConnectionTimeout",
        "SerializationFailure", "DeadlockDetected", "CannotConnectNow")
