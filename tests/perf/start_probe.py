"""Child process: show a main window and print "painted" at its first Paint event.

    python -m tests.perf.start_probe --db PATH --mode app|floor [--wait-loaded]

The parent times from just before it starts this process to the "painted" line, so the
interval holds interpreter start, imports, QApplication, the window's construction and
its first paint. Nothing is imported before the arguments are read.

mode app:   the real window, built as `python -m gui` builds it (gui/app.py run()):
            make_application(), MainWindow(QSettings(temporary ini), db url), show(),
            QTimer.singleShot(0, window.open_store_async).
            With --wait-loaded it then prints "loaded" at the first paint of the figures
            table once the store is open and the table has rows (informational: the
            store is read on a worker thread, after the first paint), or "failed: ..."
            when the store could not be opened.
mode floor: the least a window of this kind can cost: a bare QMainWindow with a QTreeView
            (left dock), a QTableView (centre) and a pyqtgraph PlotWidget (bottom dock).

The process leaves with os._exit right after its last line, so that teardown (or a store
still loading on a worker thread) never adds to, or hangs, the measurement.
"""

from __future__ import annotations

import argparse
import os
import sys


def _floor_window():
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QTableView, QTreeView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("floor")
    window.resize(1280, 800)
    window.setCentralWidget(QTableView())
    tree = QDockWidget("Clusters", window)
    tree.setWidget(QTreeView())
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, tree)
    charts = QDockWidget("Charts", window)
    charts.setWidget(pg.PlotWidget())
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, charts)
    return app, window


def _app_window(db: str, ini: str):
    from PySide6.QtCore import QSettings

    from gui.app import make_application
    from gui.window.main_window import MainWindow
    from store.opening.config import as_url

    app = make_application()
    window = MainWindow(QSettings(ini, QSettings.Format.IniFormat), as_url(db))
    return app, window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.start_probe")
    parser.add_argument("--db", required=True)
    parser.add_argument("--mode", choices=("app", "floor"), required=True)
    parser.add_argument("--wait-loaded", action="store_true")
    parser.add_argument("--ini", help="settings file (default: a new temporary one)")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEvent, QObject, QTimer

    if args.mode == "app":
        import tempfile

        ini = args.ini or os.path.join(tempfile.mkdtemp(prefix="cluster-explorer-perf-"), "settings.ini")
        app, window = _app_window(args.db, ini)
    else:
        app, window = _floor_window()

    def leave() -> None:
        sys.stdout.flush()
        os._exit(0)

    class PaintWatcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.painted = False

        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() != QEvent.Type.Paint:
                return False
            if obj is window and not self.painted:
                self.painted = True
                print("painted", flush=True)
                if not args.wait_loaded or args.mode != "app":
                    QTimer.singleShot(0, leave)
            elif obj is not window and self.painted and _loaded():
                print("loaded", flush=True)
                QTimer.singleShot(0, leave)
            return False

    def _loaded() -> bool:
        try:
            return window.store is not None and window.figures_panel.table.model().rowCount() > 0
        except Exception:  # noqa: BLE001 - internals moving: fall back to the store alone
            return getattr(window, "store", None) is not None

    watcher = PaintWatcher()
    window.installEventFilter(watcher)
    if args.mode == "app" and args.wait_loaded:
        try:
            window.figures_panel.table.viewport().installEventFilter(watcher)
        except Exception as exc:  # noqa: BLE001
            print(f"cannot watch the figures table: {exc}", file=sys.stderr, flush=True)
    window.show()
    if args.mode == "app":
        QTimer.singleShot(0, window.open_store_async)
    if args.mode == "app" and args.wait_loaded:
        # No "loaded" will come if the store fails to open: once no worker has run for a while
        # and there is still no store, say so and leave instead of waiting for the time limit.
        from PySide6.QtCore import QThreadPool

        idle = [0]

        def check_failed() -> None:
            idle[0] = idle[0] + 1 if QThreadPool.globalInstance().activeThreadCount() == 0 else 0
            if watcher.painted and idle[0] >= 20 and getattr(window, "store", None) is None:
                print(f"failed: {window.statusBar().currentMessage()}", flush=True)
                leave()

        poll = QTimer(interval=100)
        poll.timeout.connect(check_failed)
        poll.start()
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
