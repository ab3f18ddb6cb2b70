"""Application set-up: QApplication, settings, the main window, and screenshot mode."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.resources import app_icon, style_sheet

ORGANISATION = "ClusterExplorer"
APPLICATION = "Cluster Explorer"


def make_application(argv: list[str] | None = None) -> QApplication:
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
    # As given: the store checks it when it opens (`--db ""` is refused there, with a message in the window).
    window = MainWindow(settings, args.db)
    if args.screenshot:
        return _screenshot(app, window, args)
    window.show()
    QTimer.singleShot(0, window.open_store_async)
    return app.exec()


def _scratch_settings_path() -> str:
    import tempfile

    return str(Path(tempfile.mkdtemp(prefix="cluster-explorer-")) / "settings.ini")


def _screenshot(app: QApplication, window: MainWindow, args: argparse.Namespace) -> int:
    from gui.screenshot import take_screenshot

    return take_screenshot(app, window, args.screenshot, args.size, args.select)
