"""Help › Guide and Help › About, opened as a user does."""

from __future__ import annotations

from importlib.metadata import version

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTextBrowser

from gui.dialogs.help import APP_TITLE


def test_f1_opens_a_guide_that_explains_the_words_and_the_main_keys(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    qtbot.waitExposed(dialog)
    text = dialog.findChild(QTextBrowser).toPlainText()
    for words in ("figure", "anchor", "review status", "candidate", "verified", "disputed", "conflict"):
        assert words in text, words
    for key in ("Ctrl+F", "Ctrl+Z", "Ctrl+Shift+A", "Ctrl+1", "F8"):
        assert key in text, key
    assert "Ctrl+Y" in text or "Ctrl+Shift+Z" in text  # redo, as this platform spells it
    dialog.close()


def test_keyboard_shortcuts_lists_every_key_of_redo(qtbot, window):
    dialog = window.show_shortcuts()
    lines = [line.strip() for line in dialog.findChild(QTextBrowser).toPlainText().splitlines()]
    keys = lines[lines.index("Redo") - 1]  # a table: each cell on its own line, the keys first
    assert "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys
    assert "Find" not in lines  # Qt's dedicated Find key: not a key to list
    dialog.close()


def test_about_names_the_version_and_the_store(qtbot, window, seeded_path):
    box = window.show_about()
    assert box.text() == APP_TITLE
    assert f"Version {version('cluster-explorer')}" in box.informativeText()
    assert f"Store: {seeded_path}" in box.informativeText()
    box.close()
