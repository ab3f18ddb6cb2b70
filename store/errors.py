"""Errors the store raises for its callers to show as one clear line.

Anything a user can cause (a bad path, a damaged file, a figure that does not
match its document) becomes a StoreError with a message fit to show as is.
"""


class StoreError(Exception):
    """A failure to report to the user in one line, without a traceback."""


class SeedError(StoreError):
    """The seed files are inconsistent; the message names the row."""


class SchemaTooNew(StoreError):
    """The store was written by a newer version of Cluster Explorer."""


class InvalidNumber(StoreError, ValueError):
    """A text could not be read as an exact number."""
