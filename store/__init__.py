"""Cluster Explorer's store: documents, clusters and figures anchored to their words.

Plain Python over SQLAlchemy; it never imports Qt, so scripts and tests use it
with no display. `open_store()` is the way in.
"""

from store.core import Store, open_store
from store.errors import SchemaTooNew, SeedError, StoreError

__all__ = ["Store", "open_store", "StoreError", "SeedError", "SchemaTooNew"]
