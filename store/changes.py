"""What one user action changed: the record every store write returns.

Views keep their own copies of figure data (numpy columns, the tree's counts,
open documents); a `Changes` tells them exactly what to refresh, so nobody has
to ask the history tables afterwards which rows an action touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """The outcome of one action (one transaction, one history row)."""

    action_id: int | None  # the history row; None when nothing was written
    label: str = ""
    created: tuple[tuple[str, int], ...] = ()  # (table, id) of rows the action added
    figures: frozenset[int] = field(default_factory=frozenset)  # figures whose own row, anchor or notes changed
    documents: frozenset[int] = field(default_factory=frozenset)
    tables: frozenset[str] = field(default_factory=frozenset)

    def created_ids(self, table: str) -> list[int]:
        """Ids of the rows of one table this action added, in the order they were added."""
        return [row_id for name, row_id in self.created if name == table]

    def first_created(self, table: str) -> int | None:
        """The first row of one table this action added (the figure of "Add Figure", whose new metric,
        entity or cluster may have been added before it)."""
        ids = self.created_ids(table)
        return ids[0] if ids else None

    @property
    def created_id(self) -> int | None:
        """The first row this action added, of any table (the document of an import or of New Document;
        for "Add Figure" use first_created("figures"): a new metric may come first)."""
        return self.created[0][1] if self.created else None

    def __bool__(self) -> bool:
        return bool(self.tables)


NOTHING = Changes(action_id=None)
