"""Dialogs, opened from the menus as a user opens them: every control that takes focus has a name a
screen reader can say, and Tab goes round the dialog's controls without stopping inside a list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMessageBox, QWidget

from tests.gui.helpers import click_table_row

ACTIONS = ("New Document\u2026", "Add Figure from Selection\u2026", "Edit Figure\u2026", "Annotate\u2026",
           "History\u2026", "Dispute\u2026", "Edit Citation\u2026", "Export Figures\u2026", "Guide",
           "Keyboard Shortcuts", "About Cluster Explorer")


def _action(window, text: str):
    pending = [a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()]
    while pending:
        action = pending.pop()
        if action.menu() is not None:
            pending.extend(action.menu().actions())
        elif action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no action {text!r}")


def _open_dialog(qtbot, window, text: str) -> QDialog:
    before = {id(d) for d in window.findChildren(QDialog) if d.isVisible()}
    _action(window, text).trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() and id(d) not in before for d in window.findChildren(QDialog)))
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible() and id(d) not in before)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is dialog)
    return dialog


def _focusable(dialog: QWidget) -> list[QWidget]:
    return [w for w in dialog.findChildren(QWidget) if w.isVisible() and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.window() is dialog]


@pytest.mark.parametrize("text", ACTIONS)
def test_every_dialog_names_its_controls_and_tab_goes_round_it(qtbot, window, text):
    click_table_row(window, 0)
    if text == "Add Figure from Selection\u2026":
        window.document_view.select_text(0, 12)
    dialog = _open_dialog(qtbot, window, text)
    try:
        assert dialog.accessibleName() or dialog.windowTitle()
        controls = _focusable(dialog)
        assert controls
        unnamed = [f"{type(w).__name__} {w.objectName()}" for w in controls if not w.accessibleName()]
        assert not unnamed, (text, unnamed)
        seen = [QApplication.focusWidget()]
        for _ in range(len(controls) + 3):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focused = QApplication.focusWidget()
            assert focused.window() is dialog, (text, type(focused).__name__)  # Tab stays in the dialog
            if focused is seen[0]:
                break
            seen.append(focused)
        else:
            raise AssertionError(f"{text}: Tab never came round: {[w.accessibleName() for w in seen]}")
        lists = [w for w in seen if isinstance(w, QAbstractItemView)]
        assert all(not view.tabKeyNavigation() for view in lists)
    finally:
        if isinstance(dialog, QMessageBox):
            dialog.close()
        else:
            dialog.reject()
