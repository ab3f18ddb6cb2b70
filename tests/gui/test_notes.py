"""Annotations and history in the window: annotate what is selected, see the marks, undo, restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from gui.views.annotations import AnnotationRole
from gui.views.figures_model import COLUMN_INDEX, FigureIdRole
from tests.gui.helpers import click_table_row, click_tree_node, table_rows

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _write_note(qtbot, window, text: str) -> None:
    dialog = window.curator.dialog
    QTest.keyClicks(dialog.text_edit, text)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.annotations_panel.model.rowCount() > 0, timeout=3000)


def test_a_note_on_a_figure_is_marked_in_table_tree_and_panel_and_undoes(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    QTest.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    _write_note(qtbot, window, "<b>Check</b> against the 2024 yearbook")
    panel = window.annotations_panel
    assert panel.model.index(0, 1).data() == "<b>Check</b> against the 2024 yearbook"  # plain, never markup
    row = next(r for r in range(window.figures_panel.model.rowCount())
               if window.figures_panel.model.index(r, 0).data(FigureIdRole) == figure_id)
    assert window.figures_panel.model.index(row, COLUMN_INDEX["notes"]).data() == "1"
    tree = window.tree_panel.model
    assert tree.node(tree.index_of("cluster", "smart_robots")).counts.annotations == 1
    tooltip = tree.index_of("cluster", "smart_robots").siblingAtColumn(2).data(Qt.ItemDataRole.ToolTipRole)
    assert "\u270e 1 annotation<" in tooltip or tooltip.endswith("\u270e 1 annotation"), tooltip  # not "1 annotations"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tree.node(tree.index_of("cluster", "smart_robots")).counts.annotations == 0)
    assert all(not r.annotation_count for r in table_rows(window))


def test_a_note_on_selected_words_underlines_them(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    editor = window.document_view.editor
    cursor = QTextCursor(editor.document())
    cursor.setPosition(10)
    cursor.setPosition(30, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    window.notes.annotate_words()
    _write_note(qtbot, window, "context for the sentence")
    qtbot.waitUntil(lambda: window.document_view.note_count() == 1)
    [note] = [window.annotations_panel.model.index(r, 0).data(AnnotationRole)
              for r in range(window.annotations_panel.model.rowCount())]
    assert note.target == "span" and (note.start, note.end) == (10, 30)


def test_an_edit_shows_in_the_history_after_a_restart_and_can_be_reverted(qtbot, make_window):
    window = make_window()
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.curator.dialog
    dialog.qualifier.setEditText("approximately")
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: next(r for r in table_rows(window) if r.id == figure_id).qualifier == "approximately")
    window.close()

    again = make_window()
    again.selection.set_figures([figure_id], None)
    QTest.keyClick(again, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = again.curator.dialog
    texts = [history.model.index(r, c).data() for r in range(history.model.rowCount()) for c in range(4)]
    assert any("approximately" in (t or "") for t in texts)
    assert any(again.curator.dialog.model.index(r, 1).data() for r in range(history.model.rowCount()))  # by whom
