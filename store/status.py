"""A figure's review status: the one list of them, its order, and which ones still count.

`Status` is a `StrEnum`: a member is the text stored in `figures.status` and written by the CLI and
the exports ("candidate", ...), so it compares equal to that text and can be used wherever the text is.

- `STATUSES`: every status, in the order of the review (shown to users, validated against).
- `INACTIVE`: rejected and superseded figures: out of conflicts, charts and the pivot.
- `SEEDABLE`: the statuses a seed file may give a figure (never rejected or superseded).
- `CODES`: the numpy columns' order (store.query.columns: one int8 per figure), alphabetical so that
  sorting by code sorts by name; `code()` and `code_sql()` turn a status into its code.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    CANDIDATE = "candidate"    # found or typed, not yet reviewed
    VERIFIED = "verified"      # the figure says what the text says
    DISPUTED = "disputed"      # the text is likely wrong, or another source says otherwise
    REJECTED = "rejected"      # not a figure, or not what the text says
    SUPERSEDED = "superseded"  # a newer figure states it; superseded_by names that figure


STATUSES: tuple[str, ...] = tuple(status.value for status in Status)
INACTIVE: tuple[str, ...] = (Status.REJECTED.value, Status.SUPERSEDED.value)
SEEDABLE: frozenset[str] = frozenset({Status.VERIFIED, Status.DISPUTED, Status.CANDIDATE})
CODES: tuple[str, ...] = tuple(sorted(STATUSES))


def code(status: str) -> int:
    """The numpy code of a status (its place in CODES)."""
    return CODES.index(status)


def code_sql(column: str) -> str:
    """The SQL expression giving the code of the status in `column` (raw SQL of store.query.columns' loader)."""
    whens = " ".join(f"WHEN '{status}' THEN {i}" for i, status in enumerate(CODES))
    return f"CASE {column} {whens} END"


__all__ = ["Status", "STATUSES", "INACTIVE", "SEEDABLE", "CODES", "code", "code_sql"]
