"""Keyboard and assistive technology: Tab reads the window in a sensible order without stopping
inside the table, and every control a user can reach has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.helpers import click_table_row, click_tree_node


def _tab_walk(qtbot, start: QWidget, limit: int = 60) -> list[QWidget]:
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    visited = [start]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is start:
            return visited
        visited.append(focused)
    raise AssertionError(f"Tab never came back to the start: {[w.accessibleName() or type(w).__name__ for w in visited]}")


def test_tab_goes_tree_filter_table_document_charts_and_never_stops_in_the_table(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    qtbot.waitUntil(lambda: window.document_view.editor.isVisible())
    visited = _tab_walk(qtbot, window.tree_panel.filter_edit)
    names = [w.accessibleName() for w in visited]
    order = [window.tree_panel.view, window.figures_panel.filter_edit, window.figures_panel.table,
             window.document_view.editor, window.charts.comparison_plot(), window.charts.trend_plot()]
    positions = [visited.index(widget) for widget in order]  # each is reached
    assert positions == sorted(positions), names
    assert visited.count(window.figures_panel.table) == 1, names  # one Tab leaves the table
    assert all(names), [type(w).__name__ for w in visited if not w.accessibleName()]


def test_every_control_that_takes_focus_has_a_name_on_every_tab(qtbot, window):
    click_table_row(window, 0)
    window.annotations_dock.raise_()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: window.tabs.currentWidget().isVisible())
        unnamed = [f"{type(w).__name__} {w.objectName()}" for w in window.findChildren(QWidget)
                   if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                   and not w.accessibleName()]
        assert not unnamed, (window.tabs.tabText(index), unnamed)
