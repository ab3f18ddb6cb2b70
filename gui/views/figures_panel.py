"""The Figures tab: a filter bar over the SQL-paged figures table."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.views.clipboard import cell_text
from gui.views.facets import FacetsPanel
from gui.views.figures_model import COLUMNS, FigureIdRole, FiguresTableModel
from store.query import FigureQuery
from store.query.value_filter import EXAMPLES, ValueFilterError, parse_value_filter
from store.values.display import counted

STATUS_FILTERS = (
    ("All statuses", ()), ("Unreviewed", ("candidate",)), ("Verified", ("verified",)),
    ("Disputed", ("disputed",)), ("Rejected or superseded", ("rejected", "superseded")),
)
FILTER_DELAY_MS = 150
TYPING_PAUSE_MS = 300  # while typing, the facet counts, metrics and charts follow when the typing pauses
MAX_LINKED_ROWS = 500
INVALID_STYLE = "QLineEdit { border: 2px solid #b3261e; border-radius: 3px; }"


def _stats_title(section: int) -> str:
    """A column's name in words (the annotations column's header is only a pencil)."""
    return "Annotations" if COLUMNS[section].key == "notes" else COLUMNS[section].title


class FiguresPanel(QWidget):
    figuresSelected = Signal(list)  # ids the user selected in the table
    settled = Signal()  # the table's set changed, and the user is not typing in the filter (or has paused)

    def __init__(self, model: FiguresTableModel, parent=None) -> None:
        super().__init__(parent)
        self.typing = False  # True while a keystroke in the filter re-queries the table
        self.model = model
        self._syncing = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("figureFilter")
        self.filter_edit.setPlaceholderText(
            "Filter figures: words in metric, entity, cluster, quote, note\u2026; title:word for titles  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)

        self.titles_check = QCheckBox("Titles", self)
        self.titles_check.setObjectName("filterTitles")
        self.titles_check.setAccessibleName("Match document titles too")
        self.titles_check.setToolTip("Let the words match document titles too (or type title:word for one word)")
        self.titles_check.toggled.connect(self._apply_filter)
        self.value_edit = QLineEdit(self)
        self.value_edit.setObjectName("valueFilter")
        self.value_edit.setAccessibleName("Filter by value")
        self.value_edit.setPlaceholderText("Value: >100, 10..100")
        self.value_edit.setToolTip(f"Compare values as the table shows them: {EXAMPLES}")
        self.value_edit.setClearButtonEnabled(True)
        self.value_edit.setMinimumWidth(self.value_edit.fontMetrics().horizontalAdvance("Value: >500 billion yuan") + 40)
        self.value_edit.textChanged.connect(self._filter_timer.start)
        self.value_message = QLabel(self)
        self.value_message.setObjectName("valueFilterMessage")
        self.value_message.setTextFormat(Qt.TextFormat.PlainText)
        self.value_message.setStyleSheet("color: #b3261e;")
        # Wrapped in the room there is, under the box: a long message never widens the window.
        self.value_message.setWordWrap(True)
        self.value_message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.value_message.hide()
        self._value_problem: str | None = None

        self.status_combo = QComboBox(self)
        for label, _ in STATUS_FILTERS:
            self.status_combo.addItem(label)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        self.table = QTableView(self)
        self.table.setObjectName("figuresTable")
        self.table.setModel(model)
        # No sort column until the user picks one: without this, enabling sorting sorts by the header's
        # default (the first column, descending) while the arrow is cleared below, an order nobody chose.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for i, column in enumerate(COLUMNS):
            self.table.setColumnHidden(i, not column.visible)
        for key, width in (("metric", 170), ("value", 130), ("period", 95), ("cluster", 150),
                           ("entity", 95), ("qualifier", 80), ("status", 85), ("notes", 28)):
            self.table.setColumnWidth([c.key for c in COLUMNS].index(key), width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # After the view's own slot has sorted the model (and the selection was followed): to the top.
        header.sortIndicatorChanged.connect(self._sorted)
        self.stats_dialog = None
        # Lay the rows out at once after a reset (Qt would on a timer, after the first paint, and then
        # paint the whole table a second time), then update the count.
        model.modelReset.connect(self._lay_out_rows)
        model.modelReset.connect(self._update_count)

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        # The facets filter this table; the window shows them in a dock of their own (beside the table,
        # under the tree, where there is height to spare): no parent until the dock takes them.
        self.facets_panel = FacetsPanel()
        self.facets_panel.changed.connect(self._facets_changed)
        self.facets_panel.moreRequested.connect(self.update_facets)
        self.facets_panel.shown.connect(self._facets_shown_again)
        model.facetsDropped.connect(lambda: self.facets_panel.clear(emit=False))
        self._facets_stale = True
        self._pause_timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._pause_timer.timeout.connect(self._settle)
        model.modelReset.connect(self._table_reset)

        # Said where the user looks, with the one click that shows it: a figure selected elsewhere (the
        # document, a chart, F8) that the filter box or the status filter hides from the table.
        self.hidden_label = QLabel(self)
        self.hidden_label.setTextFormat(Qt.TextFormat.PlainText)
        self.show_hidden_button = QPushButton("Clear the Filter", self)
        self.show_hidden_button.clicked.connect(self.clear_filter)
        self.hidden_bar = QWidget(self)
        hidden_row = QHBoxLayout(self.hidden_bar)
        hidden_row.setContentsMargins(0, 0, 0, 0)
        hidden_row.addWidget(self.hidden_label, 1)
        hidden_row.addWidget(self.show_hidden_button)
        self.hidden_bar.hide()

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.titles_check)
        bar.addWidget(self.count_label)
        values = QHBoxLayout()  # a second row: the first keeps the width the words need
        values.addWidget(self.value_edit)
        values.addWidget(self.status_combo)
        values.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(values)
        layout.addWidget(self.value_message)
        layout.addWidget(self.hidden_bar)
        layout.addWidget(self.stack, 1)

    # --- filtering ----------------------------------------------------------------
    def _apply_filter(self) -> None:
        statuses = STATUS_FILTERS[max(0, self.status_combo.currentIndex())][1]
        query = self.model.query.with_(text=self.filter_edit.text().strip(), statuses=statuses,
                                       titles=self.titles_check.isChecked(), facets=self.facets_panel.facets(),
                                       value_filter=self._value_filter())
        self.typing = query.text != self.model.query.text  # a keystroke, not a change of status filter
        try:
            self.model.set_query(query)
        finally:
            self.typing = False

    def _value_filter(self):
        """The comparison in the value box; a malformed one is said under the box (red) and not applied."""
        try:
            wanted = parse_value_filter(self.value_edit.text())
            if wanted is not None and wanted.unit is not None and self.model.columns is not None \
                    and not wanted.units(self.model.columns.unit_texts):
                raise ValueFilterError(f"No figure has the unit \u201c{wanted.unit}\u201d")
        except ValueFilterError as exc:
            self._say_value_problem(f"Value filter not applied. {exc}")
            return None
        self._say_value_problem(None)
        return wanted

    def _say_value_problem(self, message: str | None) -> None:
        # Only on a change: a style sheet set again re-polishes the box and lays the bar out again
        # (tens of milliseconds a keystroke at a million figures).
        if message == self._value_problem:
            return
        self._value_problem = message
        self.value_edit.setStyleSheet(INVALID_STYLE if message else "")
        self.value_edit.setToolTip(message or f"Compare values as the table shows them: {EXAMPLES}")
        self.value_message.setText(message or "")
        self.value_message.setToolTip(message or "")
        self.value_message.setVisible(bool(message))

    @property
    def value_invalid(self) -> bool:
        return not self.value_message.isHidden()

    def _facets_changed(self) -> None:
        self._filter_timer.stop()  # what was typed is applied with the facets, at once
        self._apply_filter()

    def clear_filter(self) -> None:
        """Empty the filter and value boxes, uncheck every facet and show every status, at once."""
        self._filter_timer.stop()
        for widget, reset in ((self.filter_edit, lambda: self.filter_edit.clear()),
                              (self.value_edit, lambda: self.value_edit.clear()),
                              (self.status_combo, lambda: self.status_combo.setCurrentIndex(0))):
            blocked = widget.blockSignals(True)
            reset()
            widget.blockSignals(blocked)
        self.facets_panel.clear(emit=False)
        self._apply_filter()

    def set_scope_query(self, query: FigureQuery) -> None:
        """A new scope from the tree: keep the user's filter, facets, values, status and sort."""
        current = self.model.query
        self.model.set_query(query.with_(text=current.text, statuses=current.statuses, titles=current.titles,
                                         facets=current.facets, value_filter=current.value_filter,
                                         sort=current.sort, descending=current.descending))

    # --- facets ---------------------------------------------------------------------
    def _table_reset(self) -> None:
        """New rows: the facet counts (and whoever follows `settled`) follow at once, or when the typing
        pauses: the table follows each keystroke, redrawing the rest on each would make typing lag."""
        self._facets_stale = True
        if self.typing:
            self._pause_timer.start()
        else:
            self._pause_timer.stop()
            self._settle()

    def _settle(self) -> None:
        self.update_facets()
        self.settled.emit()

    def update_facets(self) -> None:
        """Count each facet's values in the table's set (numpy bincounts); not while the pane is hidden."""
        columns = self.model.columns
        if columns is None or not self.facets_panel.isVisible():
            return
        self._facets_stale = False
        self.facets_panel.set_widest_count(self.model.total)
        self.facets_panel.set_counts(columns.facet_counts(self.model.query, limits=self.facets_panel.limits()))

    def _facets_shown_again(self) -> None:
        if self._facets_stale:
            self.update_facets()

    def _lay_out_rows(self) -> None:
        self.table.doItemsLayout()
        # Qt shows or hides a scroll bar for the new row count in a queued call: run it now, or a busy
        # machine may paint the table once with the old scroll bar and again, wider, without it.
        QCoreApplication.sendPostedEvents(self.table, QEvent.Type.MetaCall)

    def _update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(counted(count, "figure"))
        # As wide as the largest count of this store: the filter bar is not laid out again per selection.
        widest = self.count_label.fontMetrics().horizontalAdvance(f"{max(count, self.model.total):,} figures")
        self.count_label.setMinimumWidth(max(self.count_label.minimumWidth(), widest))
        if count:
            self.stack.setCurrentWidget(self.table)
            return
        if self.model.query.filtered:
            self.empty_label.setText("No figure matches the filter. Clear the filter and value boxes, uncheck the "
                                     "facets or choose \u201cAll statuses\u201d.")
        else:
            self.empty_label.setText("No figures here yet. Choose another cluster in the tree, or \u201cAll figures\u201d.")
        self.stack.setCurrentWidget(self.empty_label)

    # --- selection ----------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        ids = []
        for row in rows[:MAX_LINKED_ROWS]:
            figure_id = self.model.index(row, 0).data(FigureIdRole)
            if figure_id is not None:
                ids.append(figure_id)
        return ids

    def _selection_changed(self, *_args) -> None:
        if not self._syncing:
            self.figuresSelected.emit(self.selected_ids())

    def select_figures(self, ids: list[int], explain_hidden: bool = False) -> None:
        """Follow a selection made elsewhere, without echoing it back; with explain_hidden, say so when
        the filter hides every one of them."""
        selection = QItemSelection()
        # One pass over the table's ids for all of them (row_of is a pass each: 500 passes at a million rows).
        wanted = np.fromiter(ids[:MAX_LINKED_ROWS], np.int64) if ids else np.zeros(0, np.int64)
        rows = np.flatnonzero(np.isin(self.model.ids, wanted)) if len(wanted) else wanted
        first_row = int(rows[0]) if len(rows) else None
        for row in rows.tolist():
            selection.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
        self._syncing = True
        try:
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._syncing = False
        if first_row is not None:
            self.table.scrollTo(self.model.index(first_row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        filtered = self.model.query.filtered
        if explain_hidden and ids and first_row is None and filtered:
            self.hidden_label.setText("The selected figure is hidden by the filter." if len(ids) == 1 else
                                      "The selected figures are hidden by the filter.")
            self.hidden_bar.show()
        elif first_row is not None or not ids or not filtered:
            self.hidden_bar.hide()

    # --- columns and clipboard ----------------------------------------------------
    def _column_menu(self, pos) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        section = header.logicalIndexAt(pos)
        if 0 <= section < len(COLUMNS):
            menu.addAction(f"Statistics of \u201c{_stats_title(section)}\u201d\u2026",
                           lambda: self.show_column_stats(section))
            menu.addSeparator()
        for i, column in enumerate(COLUMNS):
            action = QAction(column.title, menu, checkable=True, checked=not self.table.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self.table.setColumnHidden(i, not on))
            menu.addAction(action)
        menu.exec(header.mapToGlobal(pos))

    def show_column_stats(self, section: int):
        """Count, distinct, min and max (per unit for Value) of a column over the figures in view."""
        from gui.views.column_stats import show_stats, stats_text

        columns = self.model.columns
        if columns is None:
            return None
        title = _stats_title(section)
        text = stats_text(title, columns.column_stats(self.model.ids, COLUMNS[section].key), len(self.model.ids))
        if self.stats_dialog is not None:
            self.stats_dialog.close()
        self.stats_dialog = show_stats(self, title, text)
        return self.stats_dialog

    def _sorted(self, *_args) -> None:
        """A new order starts at its first row (the old scroll position means nothing in it)."""
        self.table.scrollToTop()

    def copy_selection(self) -> str:
        """Copy the selected rows' visible columns as tab-separated text with headers."""
        header = self.table.horizontalHeader()
        columns = [header.logicalIndex(v) for v in range(header.count())]
        columns = [c for c in columns if not self.table.isColumnHidden(c)]
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        lines = ["\t".join(COLUMNS[c].title for c in columns)]
        for row in rows:
            lines.append("\t".join(cell_text(self.model.index(row, c).data()) for c in columns))
        text = "\n".join(lines) + "\n"
        QGuiApplication.clipboard().setText(text)
        return text

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("figures/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("figures/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)

