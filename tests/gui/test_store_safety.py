"""The store's safety as a user meets it: a read-only notice, a damaged store and its backup, a locked
store and a newer change by someone else, each with a clear message and nothing lost."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from store import open_store
from store.curation.figures import edit_figure
from store.models import Figure
from store.opening.backup import backup
from store.opening.paths import backups
from tests.gui.helpers import click_table_row, click_tree_node, table_rows
from tests.seed_conflicts import restate_exactly
from tests.store.test_safety import LOCKER, _damage


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _figure(window, figure_id: int) -> Figure:
    with window.store.read() as session:
        return session.get(Figure, figure_id)


def _button(box: QMessageBox, label: str):
    [button] = [b for b in box.buttons() if b.text() == label]
    return button


def _type_in_place(table, text: str) -> None:
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def _menu_action(window, text: str):
    [action] = [a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions() if a.text() == text]
    return action


def test_a_read_only_store_says_so_and_offers_no_edits(qtbot, make_window, seeded_path):
    writable = open_store(str(seeded_path))
    restate_exactly(writable)  # conflicts to (not) resolve: the seeds as loaded hold none (tests.seed_conflicts)
    writable.close()
    seeded_path.chmod(0o444)
    before = _sha(seeded_path)
    window = make_window()
    assert window.safety.banner.isVisible() and "Read-only: the store file is read-only" in window.safety.banner.text()
    assert window.windowTitle().endswith("(read-only)")
    for text in ("&Edit Figure\u2026", "&Verify", "&Import Documents\u2026", "&New Document\u2026"):
        assert not _menu_action(window, text).isEnabled(), text
    assert _menu_action(window, "&Export Figures\u2026").isEnabled() and _menu_action(window, "&History\u2026").isEnabled()
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # verify: disabled, nothing happens
    _type_in_place(window.figures_panel.table, "12")  # an in-place edit is refused with a message
    qtbot.waitUntil(lambda: getattr(window, "last_error", None) is not None)
    assert "read-only" in window.last_error[1]
    for box in window.findChildren(QMessageBox):  # the user closes the message
        box.done(0)
    click_tree_node(qtbot, window, "all", "all")  # the conflicts tab follows the tree: show every conflict
    window.tabs.setCurrentWidget(window.conflicts_view)  # resolving, removing a note, reverting: all off
    view = window.conflicts_view
    qtbot.waitUntil(lambda: view.tree.model() is not None and view.tree.model().rowCount() > 0)
    view.tree.setCurrentIndex(view.tree.model().index(0, 0))
    assert view.selected_group() is not None and not view.resolve_button.isEnabled()
    window.annotations_panel.table.selectRow(0)
    assert not window.annotations_panel.edit_button.isEnabled()
    window.tabs.setCurrentWidget(window.figures_panel)
    window.curator.show_new_figure(figure_id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.curator.dialog is not None)
    history = window.curator.dialog
    history.table.selectRow(0)
    assert not history.revert_button.isEnabled()
    history.reject()
    assert _sha(seeded_path) == before


def test_a_writable_store_shows_no_notice_and_is_backed_up_once_a_day(qtbot, window, seeded_path):
    assert not window.safety.banner.isVisible() and _menu_action(window, "&Verify").isEnabled()
    qtbot.waitUntil(lambda: len(backups(seeded_path)) == 1)
    assert backups(seeded_path)[0].name.endswith("-daily.sqlite3")


def test_a_damaged_store_is_not_opened_and_its_newest_backup_can_be_restored(qtbot, make_window, seeded_path):
    saved = backup(seeded_path, "daily")
    _damage(seeded_path)
    damaged = _sha(seeded_path)
    window = make_window()
    box = window.safety.prompt
    assert box is not None and box.text() == "The store is damaged and was not opened."
    assert saved.name in box.informativeText() and _sha(seeded_path) == damaged
    assert window.store is None and "could not be opened" in window.figures_panel.empty_label.text()
    assert window.scope_label.text() == "No store open"
    assert _menu_action(window, "&Restore Backup\u2026").isEnabled() and window.safety.damaged_path == seeded_path

    QTest.mouseClick(_button(box, "Restore Newest Backup"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store is not None, timeout=20000)
    qtbot.waitUntil(lambda: len(table_rows(window)) > 0)
    assert window.safety.last_restored.damaged
    [aside] = seeded_path.parent.glob(f"{seeded_path.name}.damaged-*[0-9]")
    assert _sha(aside) == damaged


def test_restore_from_the_file_menu_brings_back_the_backup_and_keeps_the_present(qtbot, window, seeded_path):
    saved = backup(seeded_path, "manual")
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # reject
    qtbot.waitUntil(lambda: _figure(window, figure_id).status == "rejected")

    box = window.safety.confirm_restore(seeded_path, saved)
    QTest.mouseClick(_button(box, "Restore"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store is not None and _figure(window, figure_id).status == "verified", timeout=20000)
    previous = window.safety.last_restored.previous
    kept = open_store(str(previous))
    with kept.read() as session:
        assert session.get(Figure, figure_id).status == "rejected"  # the replaced state is a backup now
    kept.close()


def test_a_save_blocked_by_another_program_keeps_the_change_and_retry_saves_it(qtbot, make_window, seeded_path,
                                                                               monkeypatch):
    import store.opening.db

    monkeypatch.setattr(store.opening.db, "BUSY_TIMEOUT_MS", 300)
    window = make_window()
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(seeded_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        _type_in_place(window.figures_panel.table, "777")
        qtbot.waitUntil(lambda: window.safety.prompt is not None)
        box = window.safety.prompt
        assert box.text() == "Edit figure: not saved yet." and "your change is kept" in box.informativeText()
        assert _figure(window, figure_id).value_text != "777"
    finally:
        locker.communicate("\n", timeout=30)
    QTest.mouseClick(_button(box, "Retry"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _figure(window, figure_id).value_text == "777")
    assert window.curator.stack.canUndo()


def test_an_edit_over_a_newer_change_shows_both_and_the_user_chooses(qtbot, window, seeded_path, monkeypatch):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    other = open_store(str(seeded_path))  # another curator, in another copy of the app
    monkeypatch.setenv("CLUSTER_EXPLORER_USER", "ann")
    edit_figure(other, figure_id, {"value_text": "888"})
    other.close()

    _type_in_place(window.figures_panel.table, "999")  # this window still shows the old version
    qtbot.waitUntil(lambda: window.safety.prompt is not None)
    box = window.safety.prompt
    assert box.text() == "Edit figure: someone else changed it first."
    assert "changed by ann" in box.informativeText()
    assert "value: theirs \u201c888\u201d \u2014 yours \u201c999\u201d" in box.informativeText()
    assert _figure(window, figure_id).value_text == "888"
    QTest.mouseClick(_button(box, "Save Mine Over Theirs"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _figure(window, figure_id).value_text == "999")

    click_table_row(window, [row.id for row in table_rows(window)].index(figure_id))  # showing 999
    other = open_store(str(seeded_path))
    edit_figure(other, figure_id, {"value_text": "111"})
    other.close()
    _type_in_place(window.figures_panel.table, "222")
    qtbot.waitUntil(lambda: window.safety.prompt is not None)
    QTest.mouseClick(_button(window.safety.prompt, "Keep Theirs"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(row.id == figure_id and row.value_text == "111" for row in table_rows(window)))
    assert _figure(window, figure_id).value_text == "111"


def test_a_second_copy_of_the_app_on_the_same_store_works_beside_the_first(qtbot, make_window, seeded_path):
    first, second = make_window(), make_window()
    first.activateWindow()
    qtbot.waitUntil(first.isActiveWindow)
    click_tree_node(qtbot, first, "cluster", "smart_robots")
    click_table_row(first, 0)
    figure_id = first.selection.figures[0]
    QTest.keyClick(first, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # the first rejects it
    qtbot.waitUntil(lambda: _figure(first, figure_id).status == "rejected")
    assert _figure(second, figure_id).status == "rejected"  # the same store, read by the second

    second.figures_panel.status_combo.setCurrentText("Rejected or superseded")  # filtered on what it loaded
    qtbot.wait(300)
    assert figure_id not in [row.id for row in table_rows(second)]
    second.activateWindow()
    qtbot.waitUntil(second.isActiveWindow)
    QTest.keyClick(second, Qt.Key.Key_F5)  # Reload: the second sees what the first saved
    qtbot.waitUntil(lambda: figure_id in [row.id for row in table_rows(second)], timeout=20000)


def test_the_window_works_on_a_team_store_on_postgresql(qtbot, pg_seeded_url, settings_path):
    from PySide6.QtCore import QSettings

    from gui.window.main_window import MainWindow, load_store

    with_password = pg_seeded_url.replace("postgres@", "postgres:s3cret@")  # trust auth ignores it
    window = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), with_password)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window._store_loaded(load_store(window.db_url))
    assert "postgresql" in window.windowTitle() and not window.safety.banner.isVisible()
    assert "s3cret" not in window.windowTitle() + window.statusBar().currentMessage()
    assert not _menu_action(window, "&Back Up Store Now").isEnabled()  # the server's pg_dump does that
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # reject
    qtbot.waitUntil(lambda: _figure(window, figure_id).status == "rejected")
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo, on the server too
    qtbot.waitUntil(lambda: _figure(window, figure_id).status == "verified")
    window.close()


def test_the_oldest_of_ten_backups_is_restored_from_the_file_menu_and_kept(qtbot, window, seeded_path):
    from datetime import datetime, timedelta, timezone

    from store.opening.backup import KEEP

    qtbot.waitUntil(lambda: len(backups(seeded_path)) == 1)  # today's daily backup, taken on opening
    long_ago = datetime(2020, 1, 1, tzinfo=timezone.utc)
    oldest = [backup(seeded_path, "manual", long_ago + timedelta(days=day)) for day in range(KEEP - 1)][0]
    assert backups(seeded_path)[-1] == oldest and len(backups(seeded_path)) == KEEP
    box = window.safety.confirm_restore(seeded_path, oldest)
    QTest.mouseClick(_button(box, "Restore"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window.safety, "last_restored", None) is not None, timeout=20000)
    qtbot.waitUntil(lambda: window.store is not None and len(table_rows(window)) > 0, timeout=20000)
    assert oldest.exists() and window.safety.last_restored.source == oldest
    assert getattr(window, "last_error", None) is None


def test_a_file_that_is_not_a_store_is_not_restored_and_the_store_opens_again(qtbot, window, seeded_path, tmp_path):
    import sqlite3

    foreign = tmp_path / "contacts.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE figures (id INTEGER PRIMARY KEY)")
    con.close()
    before = _sha(seeded_path)
    box = window.safety.confirm_restore(seeded_path, foreign)
    QTest.mouseClick(_button(box, "Restore"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "last_error", None) is not None, timeout=20000)
    assert window.last_error[0] == "The backup was not restored."
    assert "contacts.sqlite3 is not a Cluster Explorer store" in window.last_error[1]
    qtbot.waitUntil(lambda: window.store is not None and len(table_rows(window)) > 0, timeout=20000)
    assert _sha(seeded_path) == before


def test_renaming_a_label_does_not_change_what_a_read_only_store_disables(qtbot, make_window, seeded_path, monkeypatch):
    """Read-only mode and the table's menu find actions by what they are (gui.actions), not by their text."""
    from dataclasses import replace

    from gui import actions as acts

    monkeypatch.setattr(acts, "HISTORY", replace(acts.HISTORY, text="Show &Past Versions\u2026"))
    monkeypatch.setattr(acts, "EDIT_FIGURE", replace(acts.EDIT_FIGURE, text="&Change Figure\u2026"))
    seeded_path.chmod(0o444)
    window = make_window()
    assert window.safety.banner.isVisible()
    assert _menu_action(window, "Show &Past Versions\u2026").isEnabled()  # reading: stays enabled
    assert not _menu_action(window, "&Change Figure\u2026").isEnabled()  # writing: disabled
    assert window.menu_actions[acts.HISTORY] is _menu_action(window, "Show &Past Versions\u2026")
    assert {a.text() for a in window.menu_actions.writing() if a.isEnabled()} == set()
