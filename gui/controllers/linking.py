"""Linked selection: every view follows the one SelectionState, and reports to it.

The linker keeps the shared views in step; it reads through the open Workspace
(gui.events.Events.workspace) and refreshes them when a write's Changes arrive. Each view
reports a user action to the state with itself as source; the linker then
updates every *other* view. Views update themselves silently (no signal
echo), and the state ignores no-op changes, so no loop can start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QTabWidget

from gui.events import Events
from gui.names import shown
from gui.selection import Scope, SelectionState
from gui.views.annotations import AnnotationsPanel
from gui.views.charts import ChartsPanel
from gui.views.conflicts import ConflictsView
from gui.views.document import DocumentView
from gui.views.figures_panel import FiguresPanel
from gui.views.pivot import PivotView
from gui.views.tree_panel import ClusterTreePanel
from store.query import FigureQuery
from store.values.display import format_value
from store.values.periods import period_label
from store.workspace import DOCUMENT_TABLES

if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.changes import Changes
    from store.query.columns import FigureColumns
    from store.query.rows import FigureRow
    from store.workspace import Workspace


TYPING_PAUSE_MS = 300


@dataclass(frozen=True)
class Views:
    """The widgets the linker keeps in step (not the window: only what it drives)."""
    tabs: QTabWidget
    scope_label: QLabel
    metric_combo: QComboBox
    tree: ClusterTreePanel
    figures: FiguresPanel
    charts: ChartsPanel
    pivot: PivotView
    conflicts: ConflictsView
    document: DocumentView
    annotations: AnnotationsPanel


class Linker(QObject):
    def __init__(self, views: Views, selection: SelectionState, events: Events, status: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views = v = views
        self.selection = selection
        self.events = events
        self._status = status  # the status bar's line about the selected figure
        self._metrics: list[tuple[int, str, str, int]] = []
        selection.subscribe(self._changed)
        self._conflicts_stale = True
        self._pivot_input: tuple[str, list[dict]] | None = None
        self._views_timer = QTimer(self)
        self._views_timer.setSingleShot(True)
        self._views_timer.setInterval(TYPING_PAUSE_MS)
        self._views_timer.timeout.connect(self._refresh_metric_views)
        v.tabs.currentChanged.connect(self._tab_changed)
        events.opened.connect(self._opened)
        events.changed.connect(self.data_changed)

        v.tree.scopeChanged.connect(lambda scope: selection.set_scope(scope, v.tree))
        v.figures.figuresSelected.connect(lambda ids: selection.set_figures(ids, v.figures))
        v.charts.figuresClicked.connect(lambda ids: selection.set_figures(ids, v.charts))
        v.pivot.figuresClicked.connect(lambda ids: selection.set_figures(ids, v.pivot))
        v.conflicts.figuresClicked.connect(lambda ids: selection.set_figures(ids, v.conflicts))
        v.document.figureClicked.connect(lambda fid: selection.set_figures([fid], v.document))
        v.document.documentRequested.connect(lambda did: selection.set_document(did, v.document))
        v.metric_combo.activated.connect(self._metric_chosen)
        v.figures.model.modelReset.connect(self._table_query_changed)

    # --- store ----------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace | None:
        return self.events.workspace

    @property
    def columns(self) -> FigureColumns | None:
        return self.workspace.columns if self.workspace is not None else None

    def _opened(self, workspace: Workspace) -> None:
        v = self.views
        v.figures.model.set_store(workspace, workspace.columns)
        v.conflicts.group_source = self._scoped_conflicts
        v.conflicts.set_store(workspace, refresh=self._conflicts_shown())
        v.annotations.set_store(workspace)
        v.tree.set_root(workspace.tree)
        v.document.set_documents(workspace.documents)
        v.document.clear("Select a figure to read it in its source, or pick a document above.")
        self._scope_changed()

    @property
    def metrics(self) -> list[tuple[int, str, str, int]]:
        """(id, name, unit kind, count) of the metrics in the table's current set."""
        return list(self._metrics)

    def data_changed(self, changes: Changes, select: list[int] | None = None) -> None:
        """After a write (or its undo), already applied to the workspace: counts, rows, charts and spans
        follow; keep or set the selection."""
        workspace, v = self.workspace, self.views
        if workspace is None:
            return
        if "clusters" in changes.tables or not v.tree.model.update_counts(workspace.tree):
            v.tree.set_root(workspace.tree)  # keeps the selected node, silently
        if DOCUMENT_TABLES & changes.tables or not changes.tables:
            v.document.set_documents(workspace.documents)
        v.figures.model.refresh()  # its reset refreshes metrics, charts and pivot
        self._document_changed()
        ids = list(self.selection.figures) if select is None else list(select)
        if tuple(ids) != self.selection.figures:
            self.selection.set_figures(ids, self)
        else:
            self._figures_changed(self)
        self._conflicts_stale = True
        if self._conflicts_shown():
            self.refresh_conflicts()
        self.events.refreshed.emit(changes)

    def _tab_changed(self, _index: int) -> None:
        if self._conflicts_shown():
            self.refresh_conflicts()
        elif self._pivot_shown():
            self.refresh_pivot()

    def _conflicts_shown(self) -> bool:
        return self.views.tabs.currentWidget() is self.views.conflicts

    def _scoped_conflicts(self) -> list[list[int]]:
        """The conflicts among the tree's scope (a conflict's figures share one cluster: it is in or out)."""
        groups = self.columns.conflict_groups()
        return [g for g, inside in zip(groups, self.in_scope([g[0] for g in groups])) if inside]

    def refresh_conflicts(self) -> None:
        """The conflicts query groups every figure: run it when the tab is shown, not on every edit."""
        if self._conflicts_stale or not self.views.conflicts.model.rowCount():
            self._conflicts_stale = False
            self.views.conflicts.refresh()

    # --- reactions --------------------------------------------------------------------
    def _changed(self, what: str, source: object) -> None:
        if self.workspace is None:
            return
        if what == "scope":
            self._scope_changed()
        elif what == "figures":
            self._figures_changed(source)
        elif what == "metric":
            self._metric_changed()
        elif what == "document":
            self._document_changed()

    def _scope_query(self, scope: Scope) -> FigureQuery:
        return FigureQuery(cluster_ids=scope.cluster_ids, include_unclustered=scope.include_unclustered)

    def _scope_changed(self) -> None:
        scope = self.selection.scope
        self.views.scope_label.setText(scope.label)
        self.views.figures.set_scope_query(self._scope_query(scope))
        self.views.conflicts.set_scope_label(None if scope.cluster_ids is None else scope.label)
        self._conflicts_stale = True
        if self._conflicts_shown():
            self.refresh_conflicts()
        # The table query changed: _table_query_changed refreshes metrics and charts.

    def _table_query_changed(self) -> None:
        if self.workspace is None:
            return
        # A new filter, sort or scope resets the table, and its selection with it: the figures still
        # selected everywhere else are selected (and scrolled to) again where they are still listed.
        self.views.figures.select_figures(list(self.selection.figures))
        if self.views.figures.typing:
            # While the user types in the filter the table follows each keystroke; the metric list, charts
            # and pivot follow when the typing pauses (each keystroke would otherwise redraw them all).
            self._views_timer.start()
            return
        self._views_timer.stop()
        self._refresh_metric_views()

    def _refresh_metric_views(self) -> None:
        if self.workspace is None:
            return
        query = self.views.figures.model.query
        self._metrics = self.columns.metric_counts(query)
        self._fill_metric_combo()
        ids = {m[0] for m in self._metrics}
        if self.selection.metric_id not in ids:
            self.selection.set_metric(self._metrics[0][0] if self._metrics else None, self)
        else:
            self._metric_changed()

    def _fill_metric_combo(self) -> None:
        combo = self.views.metric_combo
        combo.blockSignals(True)
        combo.clear()
        for metric_id, name, _kind, count in self._metrics:
            combo.addItem(f"{name} ({count})", metric_id)
        index = combo.findData(self.selection.metric_id)
        combo.setCurrentIndex(max(index, 0))
        combo.setEnabled(bool(self._metrics))
        combo.blockSignals(False)

    def _metric_chosen(self, index: int) -> None:
        self.selection.set_metric(self.views.metric_combo.itemData(index), self.views.metric_combo)

    def _metric_changed(self) -> None:
        metric_id = self.selection.metric_id
        index = self.views.metric_combo.findData(metric_id)
        if index >= 0:
            self.views.metric_combo.setCurrentIndex(index)
        if metric_id is None:
            message = "No figures in this selection. Choose a cluster in the tree."
            self.views.charts.clear(message)
            self.views.pivot.clear(message)
            self._pivot_input = None
            return
        name, kind = next(((n, k) for m, n, k, _ in self._metrics if m == metric_id), ("", ""))
        query = self.views.figures.model.query
        ids, total = self.columns.chart_ids(query, metric_id)
        rows = self.workspace.rows(ids)  # in the period order the charts draw
        self.views.charts.set_data(name, kind, rows, total=total)
        self.views.charts.set_selected(set(self.selection.figures))
        self._pivot_input = (name, rows)
        if self._pivot_shown():
            self.refresh_pivot()

    def _pivot_shown(self) -> bool:
        return self.views.tabs.currentWidget() is self.views.pivot

    def refresh_pivot(self) -> None:
        """The pivot lays out every cell: it is rebuilt when it is on screen, not behind another tab."""
        if self._pivot_input is not None:
            name, rows = self._pivot_input
            self._pivot_input = None
            self.views.pivot.set_data(name, rows)
        self.views.pivot.set_selected(set(self.selection.figures))

    def in_scope(self, ids: list[int]) -> list[bool]:
        """Whether each figure lies in the tree's scope (its cluster under the selected node)."""
        import numpy as np
        scope, columns = self.selection.scope, self.columns
        if scope.cluster_ids is None or columns is None or not len(ids) or not len(columns.id):
            return [True] * len(ids)
        wanted = np.asarray(ids, np.int64)
        rows = np.clip(np.searchsorted(columns.id, wanted), 0, len(columns.id) - 1)
        inside = list(scope.cluster_ids) + ([-1] if scope.include_unclustered else [])
        known = columns.id[rows] == wanted  # a figure the columns do not hold (deleted since) is not moved
        return (~known | np.isin(columns.cluster[rows], inside)).tolist()

    def _outside_scope(self, ids: list[int]) -> bool:
        return not all(self.in_scope(ids))

    def _widen_scope(self) -> None:
        """Show every figure: a figure selected outside the tree's node (from the document, a conflict, a
        chart, F8) must be selected in the table and the charts too, not only named in the status bar.
        "All figures" keeps the node's own figures in the table, so the user loses nothing they were
        looking at; the linker is the source, so F8's queue of imported documents is kept."""
        self.views.tree.select("all", "all", emit=False)
        self.selection.set_scope(self.views.tree.current_scope(), self)

    def _figures_changed(self, source: object) -> None:
        ids = list(self.selection.figures)
        if source is not self.views.tree and self._outside_scope(ids):
            self._widen_scope()
        if source is not self.views.figures:
            self.views.figures.select_figures(ids, explain_hidden=True)
        rows = self.workspace.rows(ids[:1])
        if rows:
            first = rows[0]
            if first.metric_id != self.selection.metric_id and any(m[0] == first.metric_id for m in self._metrics):
                self.selection.set_metric(first.metric_id, self)
            self.selection.set_document(first.document_id, self)
        selected = set(ids)
        if source is not self.views.charts:
            self.views.charts.set_selected(selected)
        if source is not self.views.pivot:
            self.views.pivot.set_selected(selected)
        if source is not self.views.conflicts:
            self.views.conflicts.select_figures(ids)
        # The document too, when the click was on its own words: the strong highlight moves to them.
        self.views.document.set_selected(ids, centre=source is not self.views.document)
        self._status(figure_status(rows[0] if rows else None, len(ids)))

    def _document_changed(self) -> None:
        document_id = self.selection.document_id
        if document_id is None:
            return
        found = self.workspace.document(document_id)
        if found is None:
            self.views.document.clear("This document is no longer in the store.")
            return
        detail, spans = found
        self.views.document.show_document(detail, spans)
        self.views.document.set_selected(list(self.selection.figures))


def figure_status(row: FigureRow | None, count: int) -> str:
    """The status bar's line about the selected figure ("" when none is)."""
    if row is None:
        return ""
    value = format_value(row.value_text, row.unit, row.value_max_text)
    where = f"{row.doc} [{row.start}:{row.end}]"
    more = f"  (+{count - 1} more selected)" if count > 1 else ""
    period = period_label(row.period) or "no period"
    return f"{shown(row, 'metric')}: {row.qualifier} {value}, {period} \u2014 {where}{more}"
