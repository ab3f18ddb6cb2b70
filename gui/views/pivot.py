"""The pivot: one metric, clusters (or entities) by period, a cell per value.

PivotModel shows a Grid from gui.views.pivot_data; a cell where sources disagree is
marked with a warning and a light red background, and its tooltip lists every
figure with its quote (as escaped plain text: quotes are untrusted). PivotView
adds the "Rows:" switch, an empty state, and the figuresClicked signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.views.pivot_data import Grid, build_grid, permute_rows, sorted_rows, tooltip_html

if TYPE_CHECKING:
    from store.query.rows import FigureRow

CONFLICT_BACKGROUND = QColor("#fbe3e1")
CONFLICT_FOREGROUND = QColor("#5c1310")
EMPTY_MESSAGE = "No figures of this metric in the selection."
MAX_COLUMN_WIDTH = 280


class PivotModel(QAbstractTableModel):
    FiguresRole = Qt.ItemDataRole.UserRole + 1  # list[int]: the figure ids in the cell
    ConflictRole = Qt.ItemDataRole.UserRole + 2  # bool
    SortRole = Qt.ItemDataRole.UserRole + 3  # float: the value of the cell's first figure

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict] = []
        self._by = "auto"
        self._natural = Grid()  # rows in label order
        self._order: list[int] = []  # shown row -> row of the natural grid
        self._grid = Grid()

    # --- content ---------------------------------------------------------------------
    def set_rows(self, rows: list[FigureRow], by: str = "auto") -> None:
        grid = build_grid(rows, by)  # raises on a bad `by` before the model changes
        self.beginResetModel()
        self._rows, self._by = list(rows), by
        self._natural = self._grid = grid
        self._order = list(range(len(grid.row_labels)))
        self.endResetModel()

    @property
    def by(self) -> str:
        return self._by

    def figure_rows(self) -> list[FigureRow]:
        return list(self._rows)

    def indexes_of(self, ids: set[int]) -> list[QModelIndex]:
        """The cells holding any of these figures, top to bottom."""
        return [self.index(r, c) for r, c in self._grid.cells_with(set(ids))]

    # --- QAbstractTableModel -----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._grid.row_labels)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._grid.column_labels)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        cell = self._grid.cell(index.row(), index.column())
        if role == self.FiguresRole:
            return cell.ids if cell else []
        if role == self.ConflictRole:
            return bool(cell and cell.conflict)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(cell.tooltip)
        if role == self.SortRole:
            return cell.sort_value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and cell.conflict:
            return QBrush(CONFLICT_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and cell.conflict:
            return QBrush(CONFLICT_FOREGROUND)  # readable on the light red in a dark theme too
        if role == Qt.ItemDataRole.FontRole and cell.disputed:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal
        labels = self._grid.column_labels if horizontal else self._grid.row_labels
        if not 0 <= section < len(labels):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return labels[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html((self._grid.column_tooltips if horizontal else self._grid.row_tooltips)[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and not horizontal:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Rows by their value in a column (empty cells last); column -1 restores label order."""
        if column >= self.columnCount():
            return
        descending = order == Qt.SortOrder.DescendingOrder
        new_order = sorted_rows(self._natural, column, descending) if column >= 0 else list(range(self.rowCount()))
        if new_order == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        position = {natural: row for row, natural in enumerate(new_order)}
        moved = {row: position[natural] for row, natural in enumerate(self._order)}
        self._order, self._grid = new_order, permute_rows(self._natural, new_order)
        for index in self.persistentIndexList():
            if index.isValid():
                self.changePersistentIndex(index, self.index(moved[index.row()], index.column()))
        self.layoutChanged.emit()


class PivotView(QWidget):
    figuresClicked = Signal(list)  # list[int]: the figures of the clicked or activated cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = PivotModel(self)
        self._pending: tuple[str, list[dict]] | None = None  # data to lay out when the pivot is shown
        self._selected: set[int] = set()

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("pivotTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.rows_combo = QComboBox()
        self.rows_combo.setObjectName("pivotRowsCombo")
        self.rows_combo.addItem("Clusters", "auto")
        self.rows_combo.addItem("Entities", "entity")
        self.rows_combo.setToolTip("Clusters: one row per cluster, figures about a whole entity under "
                                   "the entity's name. Entities: one row per entity.")
        rows_label = QLabel("&Rows:")
        rows_label.setBuddy(self.rows_combo)

        self._table = QTableView()
        self._table.setObjectName("pivotTable")
        self._table.setModel(self._model)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # several cells, to copy or export
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setWordWrap(False)
        self._table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._table.setSortingEnabled(True)
        header = self._table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        vertical = self._table.verticalHeader()
        vertical.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self._table.fontMetrics().height() + 10)
        self._table.clicked.connect(self._emit_cell)
        self._table.installEventFilter(self)  # Enter on a cell; `activated` would also fire on clicks

        self.empty_label = QLabel(EMPTY_MESSAGE)
        self.empty_label.setObjectName("pivotEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._table)
        self.stack.addWidget(self.empty_label)

        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(rows_label)
        bar.addWidget(self.rows_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.rows_combo.currentIndexChanged.connect(self._regroup)
        self.clear(EMPTY_MESSAGE)

    # --- public ------------------------------------------------------------------------
    def model(self) -> PivotModel:
        return self._model

    def table(self) -> QTableView:
        return self._table

    def set_data(self, metric_name: str, rows: list[FigureRow]) -> None:
        self.title.setText(metric_name)
        self.title.setToolTip(metric_name)
        # Another metric has other periods: a sort by "the third column" would no longer mean anything.
        self._table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._model.set_rows(rows, self.rows_combo.currentData())
        self._after_reset()

    def follow(self, metric_name: str, rows: list[dict]) -> None:
        """The data to show: laid out now if the pivot is on screen, else when it is shown (it lays out
        every cell: not on every selection behind another tab)."""
        self._pending = (metric_name, rows)
        if self.isVisible():
            self._show_pending()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._show_pending()

    def _show_pending(self) -> None:
        if self._pending is not None:
            name, rows = self._pending
            self._pending = None
            self.set_data(name, rows)
        self.set_selected(self._selected)

    def set_selected(self, ids: set[int]) -> None:
        """Select (and scroll to) the cells holding these figures; emits nothing."""
        self._selected = set(ids)
        selection = QItemSelection()
        indexes = self._model.indexes_of(set(ids))
        for index in indexes:
            selection.select(index, index)
        model = self._table.selectionModel()
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if indexes:
            model.setCurrentIndex(indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate)
            self._table.scrollTo(indexes[0])

    def clear(self, message: str) -> None:
        self._pending = None
        self.title.setText("")
        self._model.set_rows([], self.rows_combo.currentData())
        self.empty_label.setText(message or EMPTY_MESSAGE)
        self.stack.setCurrentWidget(self.empty_label)

    def selected_ids(self) -> list[int]:
        ids: list[int] = []
        for index in sorted(self._table.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column())):
            ids.extend(i for i in index.data(PivotModel.FiguresRole) if i not in ids)
        return ids

    # --- internals -----------------------------------------------------------------------
    def _regroup(self) -> None:
        selected = set(self.selected_ids())
        rows = self._model.figure_rows()
        self._model.set_rows(rows, self.rows_combo.currentData())
        if not rows:
            return  # keep the empty state's message
        self._after_reset()
        self.set_selected(selected)

    def _after_reset(self) -> None:
        empty = self._model.rowCount() == 0
        if empty:
            self.empty_label.setText(EMPTY_MESSAGE)
        self.stack.setCurrentWidget(self.empty_label if empty else self._table)
        header = self._table.horizontalHeader()
        if header.sortIndicatorSection() >= self._model.columnCount():
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._table.resizeColumnsToContents()
        for column in range(self._model.columnCount()):
            if self._table.columnWidth(column) > MAX_COLUMN_WIDTH:
                self._table.setColumnWidth(column, MAX_COLUMN_WIDTH)
        self._fit_row_header()

    def _fit_row_header(self) -> None:
        # Long cluster names are elided in the row header (the tooltip has them in full).
        self._table.verticalHeader().setMaximumWidth(max(110, min(260, self.width() // 3)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_row_header()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if (watched is self._table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._emit_cell(self._table.currentIndex())
        return super().eventFilter(watched, event)

    def _emit_cell(self, index: QModelIndex) -> None:
        ids = list(index.data(PivotModel.FiguresRole) or []) if index.isValid() else []
        if ids:
            self._selected = set(ids)
            self.figuresClicked.emit(ids)
