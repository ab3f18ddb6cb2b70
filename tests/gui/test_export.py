"""Export from the window, as a user does it: select rows, File > Export, read the file back."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.gui.helpers import click_table_row, click_tree_node, table_rows

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _export_with_dialog(qtbot, window, path, format_label: str = "CSV (comma-separated)") -> None:
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    dialog = window.exporter.dialog
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findText(format_label))
    dialog.path_edit.setText(str(path))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)


def test_selected_rows_are_exported_with_their_sources(qtbot, window, tmp_path):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    click_table_row(window, 2, Qt.KeyboardModifier.ControlModifier)
    rows = table_rows(window)
    chosen = {rows[0].id, rows[2].id}
    target = tmp_path / "robots.csv"
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    assert "(2)" in window.exporter.dialog.selected_radio.text() and window.exporter.dialog.selected_radio.isChecked()
    window.exporter.dialog.reject()
    _export_with_dialog(qtbot, window, target)
    qtbot.waitUntil(lambda: window.exporter.last_report is not None, timeout=10000)
    with target.open(encoding="utf-8", newline="") as handle:
        exported = list(csv.reader(handle))
    header, body = exported[0], exported[1:]
    assert len(body) == 2
    quotes = {row[header.index("Quote")] for row in body}
    assert quotes == {r.quote for r in rows if r.id in chosen}
    assert "Source title" in header or any("title" in h.lower() for h in header)
    assert str(target) in window.statusBar().currentMessage()


def test_the_whole_view_exports_to_excel(qtbot, window, tmp_path):
    import openpyxl

    click_tree_node(qtbot, window, "grouping", "tier_trillion")
    count = window.figures_panel.model.rowCount()
    window.selection.set_figures([], None)
    target = tmp_path / "tier.xlsx"
    _export_with_dialog(qtbot, window, target, "Excel workbook (XLSX)")
    qtbot.waitUntil(lambda: window.exporter.last_report is not None, timeout=10000)
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.worksheets[0].max_row == count + 1 and len(book.worksheets) == 2


def test_an_unwritable_path_says_so_and_keeps_the_old_file(qtbot, window, tmp_path):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    target = tmp_path / "missing-folder" / "x.csv"
    _export_with_dialog(qtbot, window, target)
    qtbot.waitUntil(lambda: getattr(window, "last_error", None) is not None, timeout=10000)
    assert "nothing was written" in window.last_error[0] and "missing-folder" in window.last_error[1]
    assert not target.exists()


def test_a_chart_is_saved_as_png_and_svg(qtbot, window, tmp_path):
    import os
    import stat

    click_tree_node(qtbot, window, "grouping", "tier_trillion")
    old_umask = os.umask(0o022)
    try:
        png = window.exporter.save_chart("comparison", str(tmp_path / "bars.png"))
        svg = window.exporter.save_chart("trend", str(tmp_path / "trend.svg"))
    finally:
        os.umask(old_umask)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".ce-*")) and not list(tmp_path.glob(".chart-*"))
    assert stat.S_IMODE(os.stat(png).st_mode) == stat.S_IMODE(os.stat(svg).st_mode) == 0o644  # as the umask says
    os.chmod(png, 0o600)
    window.exporter.save_chart("comparison", str(png))  # saved over: keeps its permissions
    assert stat.S_IMODE(os.stat(png).st_mode) == 0o600


def test_a_fifo_is_refused_with_a_message_and_left_a_fifo(qtbot, window, tmp_path):
    import os
    import stat

    click_tree_node(qtbot, window, "cluster", "smart_robots")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "pipe.csv"
    os.mkfifo(target)
    _export_with_dialog(qtbot, window, target)
    qtbot.waitUntil(lambda: getattr(window, "last_error", None) is not None, timeout=10000)
    assert "nothing was written" in window.last_error[0] and "FIFO" in window.last_error[1]
    assert "not a regular file" in window.last_error[1] and stat.S_ISFIFO(os.stat(target).st_mode)
    window.last_error = None
    chart = folder / "pipe.png"
    os.mkfifo(chart)
    click_tree_node(qtbot, window, "grouping", "tier_trillion")
    assert window.exporter.save_chart("comparison", str(chart)) is None
    assert window.last_error[0] == "The chart was not saved." and "FIFO" in window.last_error[1]
    assert stat.S_ISFIFO(os.stat(chart).st_mode) and sorted(os.listdir(folder)) == ["pipe.csv", "pipe.png"]


# The real app (python -m gui's run), an export started from its dialog, paused in the middle of its
# writing until the app cancels it: a SIGTERM or SIGHUP then ends the app with the export cleaned up.
_GUI_PAUSED_EXPORT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
import gui.workers as workers
from gui.__main__ import build_parser
from gui.app import make_application, run
from tests.paused_export import pause_exports

pause_exports(until=lambda: any(stop.is_set() for stop in workers._stops))  # the app's own cancel
db, target = sys.argv[1:3]
app = make_application()

def drive():
    [window] = [w for w in app.topLevelWidgets() if w.objectName() == "mainWindow"] or [None]
    if window is None or window.store is None or not window.tree_panel.model.index_of("all", "all").isValid():
        QTimer.singleShot(50, drive)
        return
    window.tree_panel.view.setCurrentIndex(window.tree_panel.proxy.mapFromSource(window.tree_panel.model.index_of("all", "all")))
    QTimer.singleShot(200, lambda: start(window))

def start(window):
    if not window.figures_panel.model.rowCount():
        QTimer.singleShot(50, lambda: start(window))
        return
    dialog = window.exporter.export()
    dialog.path_edit.setText(target)
    dialog.accept()

QTimer.singleShot(0, drive)
sys.exit(run(build_parser().parse_args(["--db", db])))
"""


def test_the_app_ended_by_sigterm_or_sighup_mid_export_leaves_the_old_file_and_nothing_else(seeded_path, tmp_path):
    import os
    import signal

    from tests.stopped import stop_when_paused

    for signum in (signal.SIGTERM, signal.SIGHUP):
        out = tmp_path / f"out-{signum}"
        out.mkdir()
        target = out / "figures.csv"
        target.write_bytes(b"the previous export\r\n")
        code = stop_when_paused(_GUI_PAUSED_EXPORT, [seeded_path, target], "mid-export", signum,
                                env={**os.environ, "TMPDIR": str(tmp_path)})
        assert code == 128 + signum
        assert target.read_bytes() == b"the previous export\r\n" and os.listdir(out) == ["figures.csv"]


def test_every_label_with_a_mnemonic_leads_to_its_field(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    dialog = window.exporter.dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    mnemonics = [label for label in dialog.findChildren(QLabel) if "&" in label.text()]
    assert mnemonics and all(label.buddy() is not None for label in mnemonics), \
        [label.text() for label in mnemonics if label.buddy() is None]  # else Qt shows the "&" itself
    QTest.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.path_edit.hasFocus)
    dialog.reject()
