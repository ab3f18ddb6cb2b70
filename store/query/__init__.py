"""What a view asks for: a set of figures and its order. Plain data, no SQLAlchemy, so the GUI
can build one before the store's modules are loaded.

The package store/query/ reads figures: the numpy columns the window filters and sorts (columns,
columns_load, text_search), the SQL reads (browse, queries), the conflict rule and its SQL form
(conflict_rule, conflicts), and the taxonomy tree with its counts (taxonomy, tree_node).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class FigureQuery:
    """A figure set and its order. cluster_ids None means every figure."""

    cluster_ids: frozenset[int] | None = None
    include_unclustered: bool = False
    text: str = ""
    statuses: tuple[str, ...] = ()
    metric_id: int | None = None
    figure_ids: frozenset[int] | None = None
    sort: str = "id"
    descending: bool = False

    def with_(self, **changes) -> FigureQuery:
        return replace(self, **changes)
