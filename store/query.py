"""What a view asks for: a set of figures and its order. Plain data, no SQLAlchemy, so the GUI
can build one before the store's modules are loaded."""

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
