"""Linked selection: the wiring between the one Selection and the views, and the reads they need.

Each view reports a user action to the Selection with itself as the source, and follows the typed
events it shows (gui.selection), skipping those it made itself; views update themselves silently (no
signal echo), and the Selection ignores no-op changes, so no loop can start. What a view needs from
the open Workspace (gui.events.Events.workspace) is read here; after a write's Changes the shared
views follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from gui.events import Events
from gui.names import shown
from gui.selection import FiguresSelected, MetricChosen, Selection, unless_from
from gui.views.annotations import AnnotationsPanel
from gui.views.charts import ChartsPanel
from gui.views.conflicts import ConflictsView
from gui.views.document import DocumentView
from gui.views.figures_panel import FiguresPanel
from gui.views.metric_combo import MetricCombo
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


NO_FIGURES = "No figures in this selection. Choose a cluster in the tree."
NO_MATCH = "No figure matches the filter: nothing to chart. Clear the filter, value or facets."


@dataclass(frozen=True)
class Views:
    """The widgets the linker keeps in step (not the window: only what it drives)."""
    scope_label: QLabel
    metric_combo: MetricCombo
    tree: ClusterTreePanel
    figures: FiguresPanel
    charts: ChartsPanel
    pivot: PivotView
    conflicts: ConflictsView
    document: DocumentView
    annotations: AnnotationsPanel


class Linker(QObject):
    def __init__(self, views: Views, selection: Selection, events: Events, status: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views = v = views
        self.selection = s = selection
        self.events = events
        self._status = status  # the status bar's line about the selected figure
        self._metrics: list[tuple[int, str, str, int]] = []
        events.opened.connect(self._opened)
        events.changed.connect(self.data_changed)

        # What each view reports, as its source.
        v.tree.scopeChanged.connect(lambda scope: s.set_scope(scope, v.tree))
        v.figures.figuresSelected.connect(lambda ids: s.set_figures(ids, v.figures))
        v.charts.figuresClicked.connect(lambda ids: s.set_figures(ids, v.charts))
        v.pivot.figuresClicked.connect(lambda ids: s.set_figures(ids, v.pivot))
        v.conflicts.figuresClicked.connect(lambda ids: s.set_figures(ids, v.conflicts))
        v.document.figureClicked.connect(lambda fid: s.set_figures([fid], v.document))
        v.document.documentRequested.connect(lambda did: s.set_document(did, v.document))
        v.metric_combo.activated.connect(lambda index: s.set_metric(v.metric_combo.itemData(index), v.metric_combo))

        # What each view follows, in this order (a figure outside the tree's node widens it before the table
        # selects it; the figure's document is shown before its words are highlighted).
        s.scopeChosen.connect(lambda e: v.scope_label.setText(e.scope.label))
        s.scopeChosen.connect(lambda e: v.figures.set_scope_query(FigureQuery(  # its reset: metrics and charts
            cluster_ids=e.scope.cluster_ids, include_unclustered=e.scope.include_unclustered)))
        s.scopeChosen.connect(lambda e: v.conflicts.set_scope_label(None if e.scope.cluster_ids is None else e.scope.label))
        s.figuresSelected.connect(self._widen_scope)
        s.figuresSelected.connect(unless_from(v.figures, lambda e: v.figures.select_figures(list(e.ids), explain_hidden=True)))
        s.figuresSelected.connect(self._follow_figure)
        s.figuresSelected.connect(unless_from(v.charts, lambda e: v.charts.set_selected(set(e.ids))))
        s.figuresSelected.connect(unless_from(v.pivot, lambda e: v.pivot.set_selected(set(e.ids))))
        s.figuresSelected.connect(unless_from(v.conflicts, lambda e: v.conflicts.select_figures(list(e.ids))))
        # The document too, when the click was on its own words: the strong highlight moves to them.
        s.figuresSelected.connect(lambda e: v.document.set_selected(list(e.ids), centre=e.source is not v.document))
        s.metricChosen.connect(lambda e: v.metric_combo.show_metric(e.metric_id))
        s.metricChosen.connect(self._show_metric)
        s.documentChosen.connect(lambda e: self._show_document(e.document_id))
        # A new filter, sort or scope resets the table, and its selection with it: the figures still selected
        # everywhere else are selected (and scrolled to) again where they are still listed.
        v.figures.model.modelReset.connect(lambda: self.workspace and v.figures.select_figures(list(s.figures)))
        v.figures.settled.connect(self._refresh_metric_views)

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
        v.conflicts.set_store(workspace, refresh=False)  # the scope below refreshes it, if it is shown
        v.annotations.set_store(workspace)
        v.tree.set_root(workspace.tree)
        v.document.set_documents(workspace.documents)
        v.document.clear("Select a figure to read it in its source, or pick a document above.")
        self.selection.set_scope(self.selection.scope, self, always=True)

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
        self._show_document(self.selection.document_id)
        # Said again even when the same: each view shows the selected figures' rows as they are now.
        self.selection.set_figures(self.selection.figures if select is None else select, self, always=True)
        v.conflicts.mark_stale()
        self.events.refreshed.emit(changes)

    def _scoped_conflicts(self) -> list[list[int]]:
        """The conflicts among the tree's scope (a conflict's figures share one cluster: it is in or out)."""
        groups = self.columns.conflict_groups()
        return [g for g, inside in zip(groups, self.in_scope([g[0] for g in groups])) if inside]

    # --- reads for the views ------------------------------------------------------------
    def _refresh_metric_views(self) -> None:
        """The metrics of the table's set, and the charts and the pivot over it."""
        if self.workspace is None:
            return
        self._metrics = self.columns.metric_counts(self.views.figures.model.query)
        self.views.metric_combo.set_metrics(self._metrics, self.selection.metric_id)
        current = self.selection.metric_id
        if current in {m[0] for m in self._metrics}:
            self.selection.set_metric(current, self, always=True)  # the charts and the pivot show the new set
        else:
            self.selection.set_metric(self._metrics[0][0] if self._metrics else None, self)

    def _show_metric(self, event: MetricChosen) -> None:
        """The charts and the pivot show the chosen metric over the table's set."""
        v, metric_id = self.views, event.metric_id
        if self.workspace is None:
            return
        if metric_id is None:  # nothing in the set: say whether the tree's node or the filter emptied it
            message = NO_MATCH if v.figures.model.query.filtered else NO_FIGURES
            v.charts.clear(message)
            v.pivot.clear(message)
            return
        name, kind = next(((n, k) for m, n, k, _ in self._metrics if m == metric_id), ("", ""))
        ids, total = self.columns.chart_ids(v.figures.model.query, metric_id)
        rows = self.workspace.rows(ids)  # in the period order the charts draw
        v.charts.set_data(name, kind, rows, total=total)
        v.charts.set_selected(set(self.selection.figures))
        v.pivot.follow(name, rows)

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

    def _widen_scope(self, event: FiguresSelected) -> None:
        """Show every figure: a figure selected outside the tree's node (from the document, a conflict, a
        chart, F8) must be selected in the table and the charts too, not only named in the status bar.
        "All figures" keeps the node's own figures in the table, so the user loses nothing they were
        looking at; the linker is the source, so F8's queue of imported documents is kept."""
        if event.source is self.views.tree or self.workspace is None or all(self.in_scope(list(event.ids))):
            return
        self.views.tree.select("all", "all", emit=False)
        self.selection.set_scope(self.views.tree.current_scope(), self)

    def _follow_figure(self, event: FiguresSelected) -> None:
        """The first selected figure brings its metric (if the table's set has it) and its document, and
        the status bar names it."""
        rows = self.workspace.rows(list(event.ids[:1])) if self.workspace is not None else []
        if rows:
            first = rows[0]
            if first.metric_id != self.selection.metric_id and any(m[0] == first.metric_id for m in self._metrics):
                self.selection.set_metric(first.metric_id, self)
            self.selection.set_document(first.document_id, self)
        self._status(figure_status(rows[0] if rows else None, len(event.ids)))

    def _show_document(self, document_id: int | None) -> None:
        if document_id is None or self.workspace is None:
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
