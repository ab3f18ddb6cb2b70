"""Opening a store the app must refuse, as a user meets it: a clear message in the window, no
traceback, the file as it was; and opening beside another program that is writing."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from gui.window.main_window import MainWindow
from tests.store.test_safety import LOCKER


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _opened(qtbot, settings_path, db: str) -> tuple[MainWindow, QMessageBox | None]:
    """A window opening `db` the way the app starts: off the UI thread, then the answer shown."""
    window = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), db)
    qtbot.addWidget(window)
    window.show()
    window.open_store_async()
    qtbot.waitUntil(lambda: window.store is not None or window.scope_label.text() == "No store open", timeout=60_000)
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    return window, boxes[0] if boxes else None


def test_another_applications_database_is_refused_with_a_message_and_left_as_it_was(qtbot, settings_path, tmp_path):
    theirs = tmp_path / "crm.db"
    con = sqlite3.connect(theirs)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO users VALUES (1, 'ann')")
    con.commit()
    con.close()
    before = _sha(theirs)
    window, box = _opened(qtbot, settings_path, str(theirs))
    assert box is not None and box.text() == "The store could not be opened."
    assert "not a Cluster Explorer store" in box.informativeText() and "users" in box.informativeText()
    assert "Traceback" not in box.informativeText() and "Unexpected" not in box.informativeText()
    assert "not a Cluster Explorer store" in window.figures_panel.empty_label.text()
    assert window.store is None and _sha(theirs) == before
    assert {p.name for p in tmp_path.iterdir()} <= {"crm.db", "settings.ini"}  # no -wal, no backups


def test_an_empty_store_name_and_a_missing_folder_are_said_in_the_window(qtbot, settings_path, tmp_path):
    _window, box = _opened(qtbot, settings_path, "")
    assert box is not None and "--db is empty" in box.informativeText()
    _window, box = _opened(qtbot, settings_path, str(tmp_path / "typo" / "store.sqlite3"))
    assert box is not None and "does not exist" in box.informativeText() and not (tmp_path / "typo").exists()


def test_the_app_opens_while_another_program_holds_the_write_lock(qtbot, settings_path, seeded_path):
    writer = subprocess.Popen([sys.executable, "-c", LOCKER, str(seeded_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "locked"
        window, box = _opened(qtbot, settings_path, str(seeded_path))
        assert box is None and window.store is not None and window.figures_panel.model.rowCount() > 0
        window.store.close()
    finally:
        writer.communicate("\n", timeout=30)


def test_a_server_store_that_does_not_open_is_named_without_its_password(qtbot, settings_path):
    from tests.store.test_refusals import SECRET, _closed_port

    port = _closed_port()
    for url in (f"postgresql://bob:{SECRET}@127.0.0.1:{port}/db", f"postgresql://bob:p@ss{SECRET}@127.0.0.1:{port}/db",
                f"postgresql://bob@127.0.0.1:{port}/db?password={SECRET}"):
        window, box = _opened(qtbot, settings_path, url)
        assert box is not None and "bob" in box.informativeText(), url
        shown = box.informativeText() + window.figures_panel.empty_label.text() + window.statusBar().currentMessage()
        assert SECRET not in shown, url
