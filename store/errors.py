"""Errors the store raises for its callers to show as one clear line.

Anything a user can cause (a bad path, a damaged file, a figure that does not
match its document) becomes a StoreError with a message fit to show as is.
"""


class StoreError(Exception):
    """A failure to report to the user in one line, without a traceback."""


class SeedError(StoreError):
    """The seed files are inconsistent; the message names the row."""


class ForeignDatabase(StoreError):
    """The database holds another application's tables; it is refused and left untouched."""


class SchemaTooNew(StoreError):
    """The store was written by a newer version of Cluster Explorer."""


class InvalidNumber(StoreError, ValueError):
    """A text could not be read as an exact number."""


class StoreBusy(StoreError):
    """The store could not take the write now (another program holds its lock, or the
    database server is unreachable). Nothing was written; the same write can be retried."""


class StaleEdit(StoreError):
    """The row was changed by someone else since the editor read it; nothing was written.

    `theirs` and `yours` map each field the two disagree on to its value, so the
    message can show both and a caller can offer to apply `yours` on top of theirs."""

    def __init__(self, message: str, *, current_version: int, theirs: dict, yours: dict):
        super().__init__(message)
        self.current_version = current_version
        self.theirs = theirs
        self.yours = yours


class Cancelled(StoreError):
    """The user stopped a long piece of work (the finder over a long text); it returned nothing."""


def stop_if(cancelled, count: int, every: int = 256) -> None:
    """Raise Cancelled when `cancelled()` says so, asked once every `every` counts (count 0 included)."""
    if cancelled is not None and count % every == 0 and cancelled():
        raise Cancelled("cancelled")


class ReadOnlyStore(StoreError):
    """The store was opened read-only (a read-only file or folder); nothing can be saved to it."""
