"""Acting on the main window as a user would: clicks and keys on the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui.views.figures_model import COLUMN_INDEX, RowRole


def click_tree_node(qtbot, window, kind: str, key: str) -> None:
    panel = window.tree_panel
    index = panel.proxy.mapFromSource(panel.model.index_of(kind, key))
    assert index.isValid(), f"no tree node {kind}:{key}"
    panel.view.scrollTo(index)
    rect = panel.view.visualRect(index)
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def click_table_row(window, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    table = window.figures_panel.table
    index = table.model().index(row, COLUMN_INDEX["value"])
    table.scrollTo(index)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center())


def table_rows(window) -> list:  # FigureRow
    model = window.figures_panel.table.model()
    return [model.index(r, 0).data(RowRole) for r in range(model.rowCount())]


def selected_table_ids(window) -> list[int]:
    return window.figures_panel.selected_ids()
