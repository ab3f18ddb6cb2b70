"""GUI fixtures: a main window on a copy of the seeded store, with its own settings file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from gui.window.main_window import MainWindow, load_store
from store.opening.config import as_url


@pytest.fixture
def settings_path(tmp_path):
    return str(tmp_path / "settings.ini")


@pytest.fixture
def make_window(qtbot, seeded_path, settings_path):
    """Build a window on the seeded store copy; loading is done synchronously for determinism."""

    def make(load: bool = True) -> MainWindow:
        window = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), as_url(str(seeded_path)))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts go to the active window, as they do for a user
        qtbot.waitUntil(window.isActiveWindow)
        if load:
            window._store_loaded(load_store(window.db_url))
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()
