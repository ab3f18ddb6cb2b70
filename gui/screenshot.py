"""Screenshot mode: the main window with data loaded and a selection made, saved as PNG."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow, load_store
from store.errors import StoreError


def _settle(app: QApplication, ms: int = 200) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def take_screenshot(app: QApplication, window: MainWindow, path: str, size: str, select: str) -> int:
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        print(f"cluster-explorer: error: --size must be WIDTHxHEIGHT, not {size!r}", file=sys.stderr)
        return 2
    window.resize(width, height)
    window.show()
    try:
        window._store_loaded(load_store(window.db_url))
    except StoreError as exc:
        print(f"cluster-explorer: error: {exc}", file=sys.stderr)
        return 2
    kind, _, key = select.partition(":")
    if not window.tree_panel.select(kind, key):
        print(f"cluster-explorer: error: no tree node {select!r}", file=sys.stderr)
        return 2
    _settle(app)
    table = window.figures_panel.table
    if table.model().rowCount():
        table.selectRow(0)
    _settle(app, 400)
    target = Path(path)
    if not window.grab().save(str(target), "PNG"):
        print(f"cluster-explorer: error: cannot write {target}", file=sys.stderr)
        return 2
    print(f"wrote {target} ({width}x{height})")
    if window.store is not None:
        window.store.close()
    return 0
