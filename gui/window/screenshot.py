"""Screenshot mode: the main window with data loaded and a selection made, saved as PNG."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from gui.window.main_window import MainWindow, load_store
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
    imported = _wait_for_import(app, window)
    if select:  # a tree node and its first row; without one, the window as it opens (gui/first_screen.py)
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
    return 0 if imported else 1


def _wait_for_import(app: QApplication, window: MainWindow) -> bool:
    """Files given with --screenshot are imported before the picture (started when the store opened);
    each outcome is one line. False if a file was not imported."""
    job = window.importer.job
    if job is None:
        return True
    while job.dialog is not None:  # the job closes its dialog when it ends, either way
        _settle(app, 50)
    results = window.importer.last_results
    if results is None:  # the import failed as a whole; the window said why
        print(f"cluster-explorer: error: {' '.join(getattr(window, 'last_error', ('the import failed',)))}",
              file=sys.stderr)
        return False
    for result in results:
        if result.document_id is not None:
            print(f"imported {Path(result.path).name}: {result.candidates} candidate figures")
        else:
            print(f"cluster-explorer: not imported: {Path(result.path).name}: {result.skipped_reason}", file=sys.stderr)
    return all(result.document_id is not None for result in results)
