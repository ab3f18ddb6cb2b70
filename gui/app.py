"""Application set-up: QApplication, settings, the main window, and screenshot mode."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.module_sources import forget_module_sources
from gui.resources import app_icon, style_sheet
from gui.window.main_window import MainWindow

ORGANISATION = "ClusterExplorer"
APPLICATION = "Cluster Explorer"


def make_application(argv: list[str] | None = None) -> QApplication:
    forget_module_sources()  # before the store's libraries are imported (some 60 MB of source lines)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app.setDesktopFileName("cluster-explorer")
    app.setWindowIcon(app_icon())
    app.setStyleSheet(style_sheet())
    return app


def run(args: argparse.Namespace) -> int:
    app = make_application()
    # A screenshot must neither read nor overwrite the user's remembered layout.
    settings = QSettings(_scratch_settings_path(), QSettings.Format.IniFormat) if args.screenshot else QSettings()
    if args.screenshot and getattr(args, "theme", None):
        settings.setValue("view/theme", args.theme)
    # As given: the store checks it when it opens (`--db ""` is refused there, with a message in the window).
    window = MainWindow(settings, args.db)
    import_when_open(window, getattr(args, "paths", []))
    if args.screenshot:
        return _screenshot(app, window, args)
    window.show()
    QTimer.singleShot(0, window.open_store_async)
    return exec_until_terminated(app)


def exec_until_terminated(app: QApplication) -> int:
    """Run the event loop. SIGTERM or SIGHUP (a logout, `kill`) cancels the work in progress, lets it
    clean up (an export removes its temporary file), and ends with 128 + the signal, as the CLI does.

    Python runs a signal handler only when it runs bytecode; a timer gives it the chance while Qt waits."""
    import signal

    from PySide6.QtCore import QThreadPool

    from gui.workers import cancel_all

    ended: dict[str, int] = {}

    def end(signum, _frame) -> None:
        ended["code"] = 128 + signum
        cancel_all()
        app.quit()

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), end)
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(200)
    code = app.exec()
    waker.stop()
    if "code" in ended:
        QThreadPool.globalInstance().waitForDone(30_000)  # the cancelled work finishes its cleanup
    return ended.get("code", code)


def import_when_open(window: MainWindow, paths: list[str]) -> None:
    """`cluster-explorer PATH...`: once the store is open, import the files as File › Import does
    (same progress, same messages; a missing or unreadable file is a message, nothing stored)."""
    if paths:
        window.storeOpened.connect(lambda: window.importer.import_files(list(paths)),
                                   Qt.ConnectionType.SingleShotConnection)


def _scratch_settings_path() -> str:
    import tempfile

    return str(Path(tempfile.mkdtemp(prefix="cluster-explorer-")) / "settings.ini")


def _screenshot(app: QApplication, window: MainWindow, args: argparse.Namespace) -> int:
    from gui.window.screenshot import take_screenshot

    return take_screenshot(app, window, args.screenshot, args.size, args.select)
