"""Linked selection: every view follows the one SelectionState, and reports to it.

The linker is the only place that reads the store for the views. Each view
reports a user action to the state with itself as source; the linker then
updates every *other* view. Views update themselves silently (no signal
echo), and the state ignores no-op changes, so no loop can start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from gui.selection import Scope, SelectionState
from store.query import FigureQuery

if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.opening.core import Store
    from store.query.columns import FigureColumns


TYPING_PAUSE_MS = 300


class Linker(QObject):
    data_written = Signal()  # after data_changed: panels that read the store themselves refresh

    def __init__(self, window, selection: SelectionState) -> None:
        super().__init__(window)
        self.w = window
        self.selection = selection
        self.store: Store | None = None
        self.columns: FigureColumns | None = None
        self.last_tables: set[str] = set()  # the tables the last write touched
        self._metrics: list[tuple[int, str, str, int]] = []
        selection.subscribe(self._changed)
        self._conflicts_stale = True
        self._pivot_input: tuple[str, list[dict]] | None = None
        self._views_timer = QTimer(self)
        self._views_timer.setSingleShot(True)
        self._views_timer.setInterval(TYPING_PAUSE_MS)
        self._views_timer.timeout.connect(self._refresh_metric_views)
        window.tabs.currentChanged.connect(self._tab_changed)

        w = window
        w.tree_panel.scopeChanged.connect(lambda scope: selection.set_scope(scope, w.tree_panel))
        w.figures_panel.figuresSelected.connect(lambda ids: selection.set_figures(ids, w.figures_panel))
        w.charts.figuresClicked.connect(lambda ids: selection.set_figures(ids, w.charts))
        w.pivot.figuresClicked.connect(lambda ids: selection.set_figures(ids, w.pivot))
        w.conflicts_view.figuresClicked.connect(lambda ids: selection.set_figures(ids, w.conflicts_view))
        w.document_view.figureClicked.connect(lambda fid: selection.set_figures([fid], w.document_view))
        w.document_view.documentRequested.connect(lambda did: selection.set_document(did, w.document_view))
        w.metric_combo.activated.connect(self._metric_chosen)
        w.figures_panel.model.modelReset.connect(self._table_query_changed)

    # --- store ----------------------------------------------------------------------
    def set_store(self, store: Store, tree, documents: list[dict], columns: FigureColumns) -> None:
        self.store = store
        self.columns = columns
        self.w.figures_panel.model.set_store(store, columns)
        self.w.conflicts_view.group_source = self._scoped_conflicts
        self.w.conflicts_view.set_store(store, refresh=self._conflicts_shown())
        self.w.annotations_panel.set_store(store)
        self.w.tree_panel.set_root(tree)
        self.w.document_view.set_documents(documents)
        self.w.document_view.clear("Select a figure to read it in its source, or pick a document above.")
        self._scope_changed()

    @property
    def metrics(self) -> list[tuple[int, str, str, int]]:
        """(id, name, unit kind, count) of the metrics in the table's current set."""
        return list(self._metrics)

    def data_changed(self, select: list[int] | None = None, action_ids=()) -> None:
        """After a write (or its undo): re-read the figures it touched, counts, rows, charts and spans;
        keep or set the selection."""
        from store.curation.documents import list_documents
        from store.curation.history import figures_of_actions
        from store.query.taxonomy import build_tree
        if self.store is None:
            return
        touched, tables = figures_of_actions(self.store, action_ids, with_tables=True)
        self.last_tables = tables
        with self.store.read() as session:
            self.columns.refresh(session, touched)
            tree = build_tree(session, self.columns.cluster_counts())
            # a figure added, removed or re-anchored changes a document's count in the chooser
            documents = (list_documents(session, self.columns.document_counts())
                         if tables & {"documents", "figures", "anchors"} else None)
        if "clusters" in tables or not self.w.tree_panel.model.update_counts(tree):
            self.w.tree_panel.set_root(tree)  # keeps the selected node, silently
        if documents is not None:
            self.w.document_view.set_documents(documents)
        self.w.figures_panel.model.refresh()  # its reset refreshes metrics, charts and pivot
        self._document_changed()
        ids = list(self.selection.figures) if select is None else list(select)
        if tuple(ids) != self.selection.figures:
            self.selection.set_figures(ids, self)
        else:
            self._figures_changed(self)
        self._conflicts_stale = True
        if self._conflicts_shown():
            self.refresh_conflicts()
        self.data_written.emit()

    def _tab_changed(self, _index: int) -> None:
        if self._conflicts_shown():
            self.refresh_conflicts()
        elif self._pivot_shown():
            self.refresh_pivot()

    def _conflicts_shown(self) -> bool:
        return self.w.tabs.currentWidget() is self.w.conflicts_view

    def _scoped_conflicts(self) -> list[list[int]]:
        """The conflicts among the tree's scope (a conflict's figures share one cluster: it is in or out)."""
        groups = self.columns.conflict_groups()
        return [g for g, inside in zip(groups, self.in_scope([g[0] for g in groups])) if inside]

    def refresh_conflicts(self) -> None:
        """The conflicts query groups every figure: run it when the tab is shown, not on every edit."""
        if self._conflicts_stale or not self.w.conflicts_view.model.rowCount():
            self._conflicts_stale = False
            self.w.conflicts_view.refresh()

    # --- reactions --------------------------------------------------------------------
    def _changed(self, what: str, source: object) -> None:
        if self.store is None:
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
        self.w.scope_label.setText(scope.label)
        self.w.figures_panel.set_scope_query(self._scope_query(scope))
        self.w.conflicts_view.set_scope_label(None if scope.cluster_ids is None else scope.label)
        self._conflicts_stale = True
        if self._conflicts_shown():
            self.refresh_conflicts()
        # The table query changed: _table_query_changed refreshes metrics and charts.

    def _table_query_changed(self) -> None:
        if self.store is None:
            return
        # A new filter, sort or scope resets the table, and its selection with it: the figures still
        # selected everywhere else are selected (and scrolled to) again where they are still listed.
        self.w.figures_panel.select_figures(list(self.selection.figures))
        if self.w.figures_panel.typing:
            # While the user types in the filter the table follows each keystroke; the metric list, charts
            # and pivot follow when the typing pauses (each keystroke would otherwise redraw them all).
            self._views_timer.start()
            return
        self._views_timer.stop()
        self._refresh_metric_views()

    def _refresh_metric_views(self) -> None:
        if self.store is None:
            return
        query = self.w.figures_panel.model.query
        self._metrics = self.columns.metric_counts(query)
        self._fill_metric_combo()
        ids = {m[0] for m in self._metrics}
        if self.selection.metric_id not in ids:
            self.selection.set_metric(self._metrics[0][0] if self._metrics else None, self)
        else:
            self._metric_changed()

    def _fill_metric_combo(self) -> None:
        combo = self.w.metric_combo
        combo.blockSignals(True)
        combo.clear()
        for metric_id, name, _kind, count in self._metrics:
            combo.addItem(f"{name} ({count})", metric_id)
        index = combo.findData(self.selection.metric_id)
        combo.setCurrentIndex(max(index, 0))
        combo.setEnabled(bool(self._metrics))
        combo.blockSignals(False)

    def _metric_chosen(self, index: int) -> None:
        self.selection.set_metric(self.w.metric_combo.itemData(index), self.w.metric_combo)

    def _metric_changed(self) -> None:
        from store.query.browse import figure_rows
        metric_id = self.selection.metric_id
        index = self.w.metric_combo.findData(metric_id)
        if index >= 0:
            self.w.metric_combo.setCurrentIndex(index)
        if metric_id is None:
            message = "No figures in this selection. Choose a cluster in the tree."
            self.w.charts.clear(message)
            self.w.pivot.clear(message)
            self._pivot_input = None
            return
        name, kind = next(((n, k) for m, n, k, _ in self._metrics if m == metric_id), ("", ""))
        query = self.w.figures_panel.model.query
        ids, total = self.columns.chart_ids(query, metric_id)
        with self.store.read() as session:
            by_id = {row["id"]: row for row in figure_rows(session, ids)}
        rows = [by_id[i] for i in ids if i in by_id]  # in the period order the charts draw
        self.w.charts.set_data(name, kind, rows, total=total)
        self.w.charts.set_selected(set(self.selection.figures))
        self._pivot_input = (name, rows)
        if self._pivot_shown():
            self.refresh_pivot()

    def _pivot_shown(self) -> bool:
        return self.w.tabs.currentWidget() is self.w.pivot

    def refresh_pivot(self) -> None:
        """The pivot lays out every cell: it is rebuilt when it is on screen, not behind another tab."""
        if self._pivot_input is not None:
            name, rows = self._pivot_input
            self._pivot_input = None
            self.w.pivot.set_data(name, rows)
        self.w.pivot.set_selected(set(self.selection.figures))

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
        self.w.tree_panel.select("all", "all", emit=False)
        self.selection.set_scope(self.w.tree_panel.current_scope(), self)

    def _figures_changed(self, source: object) -> None:
        from store.query.browse import figure_rows
        ids = list(self.selection.figures)
        if source is not self.w.tree_panel and self._outside_scope(ids):
            self._widen_scope()
        if source is not self.w.figures_panel:
            self.w.figures_panel.select_figures(ids, explain_hidden=True)
        with self.store.read() as session:
            rows = figure_rows(session, ids[:1])
        if rows:
            first = rows[0]
            if first["metric_id"] != self.selection.metric_id and any(m[0] == first["metric_id"] for m in self._metrics):
                self.selection.set_metric(first["metric_id"], self)
            self.selection.set_document(first["document_id"], self)
        selected = set(ids)
        if source is not self.w.charts:
            self.w.charts.set_selected(selected)
        if source is not self.w.pivot:
            self.w.pivot.set_selected(selected)
        if source is not self.w.conflicts_view:
            self.w.conflicts_view.select_figures(ids)
        # The document too, when the click was on its own words: the strong highlight moves to them.
        self.w.document_view.set_selected(ids, centre=source is not self.w.document_view)
        self.w.show_figure_status(rows[0] if rows else None, len(ids))

    def _document_changed(self) -> None:
        from store.curation.documents import document_with_spans
        document_id = self.selection.document_id
        if document_id is None:
            return
        with self.store.read() as session:
            found = document_with_spans(session, document_id)
        if found is None:
            self.w.document_view.clear("This document is no longer in the store.")
            return
        detail, spans = found
        self.w.document_view.show_document(detail, spans)
        self.w.document_view.set_selected(list(self.selection.figures))
