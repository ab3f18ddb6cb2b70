"""Run by test_keys_under_x11 in its own process, on a real X server (QT_QPA_PLATFORM=xcb):
build the window on a store copy, review a figure and undo/redo it with keys pressed through the
X server by xdotool, and print one line per outcome. Arguments: store path, settings path."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gui.shortcuts import duplicated_keys
from gui.window.main_window import MainWindow, load_store
from store.models import Figure
from store.opening.config import as_url

TIMEOUT = 60.0  # seconds: a busy machine is slow, never wrong


def wait_for(app: QApplication, done) -> bool:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        app.processEvents()
        if done():
            return True
        time.sleep(0.02)
    return False


def main(store_path: str, settings_path: str) -> int:
    app = QApplication(sys.argv[:1])
    window = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), as_url(store_path))
    window.show()
    window._store_loaded(load_store(window.db_url))
    print("platform", app.platformName(), flush=True)
    print("duplicates", json.dumps(duplicated_keys(window)), flush=True)
    window.raise_()
    window.activateWindow()
    if not wait_for(app, window.isActiveWindow):
        print("window never became active", flush=True)
        return 2
    window.tree_panel.select("cluster", "smart_robots")
    window.figures_panel.table.selectRow(0)
    window.figures_panel.table.setFocus()
    figure_id = window.selection.figures[0]
    window.curator.advance_after_review = False

    def status() -> str:
        with window.store.read() as session:
            return session.get(Figure, figure_id).status

    print("start", status(), flush=True)
    for key, expected in (("ctrl+3", "rejected"), ("ctrl+z", "verified"), ("ctrl+shift+z", "rejected"),
                          ("ctrl+z", "verified"), ("ctrl+y", "rejected")):
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], check=True, timeout=TIMEOUT)
        wait_for(app, lambda: status() == expected)
        print(key, status(), flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
