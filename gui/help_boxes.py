"""Help › Keyboard Shortcuts and Help › About: plain-text boxes built from the window's own menus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from gui.resources import app_icon

APP_TITLE = "Cluster Explorer"


def show_shortcuts(window) -> None:
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                rows.append(f"{action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}\t{action.text().replace('&', '')}")
    box = QMessageBox(QMessageBox.Icon.Information, "Keyboard Shortcuts", "\n".join(rows), parent=window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()


def show_about(window) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_TITLE}", APP_TITLE, parent=window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(
        "Explore and curate the figures public documents state about industrial clusters, "
        "each tied to the exact words that state it.\n\n"
        f"Store: {window.store.where if window.store else 'not open'}"
    )
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.open()
