"""The dialogs at a small window (1024x640): every wrapped line of text shows whole, none cut off."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel

from tests.gui.helpers import click_tree_node


def _cut_labels(dialog) -> list[str]:
    """Wrapped labels shown shorter than their text needs at their width."""
    return [label.text() for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.text()
            and label.height() < label.heightForWidth(label.width())]


def _open(qtbot, dialog):
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # laid out as the user first sees it
    return dialog


def test_the_add_figure_dialog_shows_what_the_finder_read_whole(qtbot, window):
    window.resize(1024, 640)
    editor = window.document_view.editor
    found = editor.document().find("535 billion yuan")
    assert not found.isNull()
    cursor = QTextCursor(editor.document())
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    dialog = _open(qtbot, window.curator.add_figure_from_selection())
    assert dialog.meaning.text().count("\n") >= 4 and "Read from:" in dialog.meaning.text()
    assert _cut_labels(dialog) == []
    assert dialog.height() <= 640


def test_citation_export_and_history_dialogs_show_their_text_whole(qtbot, window):
    window.resize(1024, 640)
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    window.figures_panel.table.selectRow(0)
    qtbot.waitUntil(lambda: len(window.selection.figures) == 1)
    for open_dialog in (window.citations.edit, window.exporter.export, window.notes.show_history):
        dialog = _open(qtbot, open_dialog())
        assert _cut_labels(dialog) == [], dialog.windowTitle()
        dialog.reject()
