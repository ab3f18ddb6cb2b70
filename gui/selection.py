"""The one selection every view follows: which figures are in scope, which are selected.

Qt-free on purpose (like napari's Selection): tests drive it without widgets,
and no view holds the truth. Views change it through the setters, passing
themselves as `source`; listeners ignore changes they made themselves. A setter
that does not change the value notifies no one, which is what stops a loop
(tree -> table -> chart -> table ...) from ever starting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Listener = Callable[[str, object], None]
MAX_DEPTH = 8


@dataclass(frozen=True)
class Scope:
    """The figure set the tree selected. cluster_ids None means every figure."""

    cluster_ids: frozenset[int] | None = None
    include_unclustered: bool = False
    label: str = "All figures"


class SelectionState:
    def __init__(self) -> None:
        self.scope = Scope()
        self.figures: tuple[int, ...] = ()
        self.metric_id: int | None = None
        self.document_id: int | None = None
        self._listeners: list[Listener] = []
        self._depth = 0

    def subscribe(self, listener: Listener) -> None:
        """listener(what, source): what is "scope", "figures", "metric" or "document"."""
        self._listeners.append(listener)

    def set_scope(self, scope: Scope, source: object = None) -> None:
        if scope != self.scope:
            self.scope = scope
            self._notify("scope", source)

    def set_figures(self, ids, source: object = None) -> None:
        ids = tuple(dict.fromkeys(ids))
        if ids != self.figures:
            self.figures = ids
            self._notify("figures", source)

    def set_metric(self, metric_id: int | None, source: object = None) -> None:
        if metric_id != self.metric_id:
            self.metric_id = metric_id
            self._notify("metric", source)

    def set_document(self, document_id: int | None, source: object = None) -> None:
        if document_id != self.document_id:
            self.document_id = document_id
            self._notify("document", source)

    def _notify(self, what: str, source: object) -> None:
        if self._depth >= MAX_DEPTH:
            raise RuntimeError(f"selection loop: {what} changed {MAX_DEPTH} times in one cascade")
        self._depth += 1
        try:
            for listener in list(self._listeners):
                listener(what, source)
        finally:
            self._depth -= 1
