"""Cluster Explorer's store: documents, clusters and figures anchored to their words.

Plain Python over SQLAlchemy; it never imports Qt, so scripts and tests use it
with no display. `open_store()` is the way in.

`Store` and `open_store` are imported on first use (PEP 562): a module that only
needs the value formatting or the errors does not pay for SQLAlchemy.
"""

from store.errors import SchemaTooNew, SeedError, StoreError

__all__ = ["Store", "open_store", "StoreError", "SeedError", "SchemaTooNew"]


def __getattr__(name: str):
    if name in ("Store", "open_store"):
        from store.opening import core

        return getattr(core, name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")
