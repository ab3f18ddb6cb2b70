"""A read-only table over a plain Python list, replaced whole on refresh.

The annotations panel and the history dialog show short lists (a few hundred
rows at most); subclasses say how a cell reads in cell(); data() does the rest.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

ItemRole = Qt.ItemDataRole.UserRole + 1  # the list item a row shows


def list_table(parent: QWidget, name: str, model: RowListModel, stretch: int,
               widths: tuple[tuple[int, int], ...]) -> QTableView:
    """The read-only table both lists use: whole rows, one at a time, compact, `stretch` takes the room."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(22)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in widths:
        table.setColumnWidth(column, width)
    return table


class RowListModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def find(self, matches: Callable[[object], bool]) -> int | None:
        return next((i for i, item in enumerate(self._rows) if matches(item)), None)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            return self.columns[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.row(index.row())
        if item is None:
            return None
        return item if role == ItemRole else self.cell(item, index.column(), role)

    def cell(self, item, column: int, role: int):
        """What a cell of this item shows for a role (DisplayRole, ToolTipRole ...); None for nothing."""
        return None
