"""The one selection every view follows: which figures are in scope, which are selected.

No view holds the truth (like napari's Selection): views change it through the setters, passing
themselves as `source`, and each change goes out as a typed event on its own signal, so a view
connects only to what it shows and never tests what kind of change it heard. The event names its
source: a view skips its own echo (`unless_from`). A setter that does not change the value emits
nothing, which is what stops a loop (tree -> table -> chart -> table ...) from ever starting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QObject, Signal

MAX_DEPTH = 8


@dataclass(frozen=True)
class Scope:
    """The figure set the tree selected. cluster_ids None means every figure."""

    cluster_ids: frozenset[int] | None = None
    include_unclustered: bool = False
    label: str = "All figures"


@dataclass(frozen=True)
class ScopeChosen:
    scope: Scope
    source: object = None


@dataclass(frozen=True)
class FiguresSelected:
    ids: tuple[int, ...]
    source: object = None


@dataclass(frozen=True)
class MetricChosen:
    metric_id: int | None
    source: object = None


@dataclass(frozen=True)
class DocumentChosen:
    document_id: int | None
    source: object = None


def unless_from(source: object, slot: Callable[[object], object]) -> Callable[[object], None]:
    """slot(event) for every event but those `source` made itself (a view does not follow its own echo)."""
    def follow(event) -> None:
        if event.source is not source:
            slot(event)
    return follow


class Selection(QObject):
    scopeChosen = Signal(object)  # ScopeChosen
    figuresSelected = Signal(object)  # FiguresSelected
    metricChosen = Signal(object)  # MetricChosen
    documentChosen = Signal(object)  # DocumentChosen

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scope = Scope()
        self.figures: tuple[int, ...] = ()
        self.metric_id: int | None = None
        self.document_id: int | None = None
        self._depth = 0

    # `always`: say it even when nothing changed (a store opened or a write: the views show it again).
    def set_scope(self, scope: Scope, source: object = None, always: bool = False) -> None:
        if always or scope != self.scope:
            self.scope = scope
            self._emit(self.scopeChosen, ScopeChosen(scope, source))

    def set_figures(self, ids, source: object = None, always: bool = False) -> None:
        ids = tuple(dict.fromkeys(ids))
        if always or ids != self.figures:
            self.figures = ids
            self._emit(self.figuresSelected, FiguresSelected(ids, source))

    def set_metric(self, metric_id: int | None, source: object = None, always: bool = False) -> None:
        if always or metric_id != self.metric_id:
            self.metric_id = metric_id
            self._emit(self.metricChosen, MetricChosen(metric_id, source))

    def set_document(self, document_id: int | None, source: object = None) -> None:
        if document_id != self.document_id:
            self.document_id = document_id
            self._emit(self.documentChosen, DocumentChosen(document_id, source))

    def _emit(self, signal, event) -> None:
        if self._depth >= MAX_DEPTH:
            # Raised inside the slot that changed the selection once too often: Qt reports it, and the
            # cascade stops here.
            raise RuntimeError(f"selection loop: {type(event).__name__} {MAX_DEPTH} levels deep in one cascade")
        self._depth += 1
        try:
            signal.emit(event)
        finally:
            self._depth -= 1
