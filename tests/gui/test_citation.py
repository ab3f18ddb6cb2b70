"""Document › Edit Citation…: type a new title, OK, see it in the chooser; Ctrl+Z brings the old one back."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from gui.dialogs.citation import CitationDialog
from store.models import Document
from tests.store.test_reading_facts import SHANGHAI


def _chooser_texts(window) -> list[str]:
    chooser = window.document_view.chooser
    return [chooser.itemText(i) for i in range(chooser.count())]


def _open_dialog(qtbot, window) -> CitationDialog:
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(window.curator.dialog, CitationDialog))
    return window.curator.dialog


def test_editing_the_title_shows_in_the_chooser_and_undo_restores_it(qtbot, window):
    window.selection.set_document(1, None)
    qtbot.waitUntil(lambda: window.document_view.current_document_id() == 1)
    with window.store.read() as session:
        old_title = session.get(Document, 1).title
    assert any(text.startswith(old_title) for text in _chooser_texts(window))
    dialog = _open_dialog(qtbot, window)
    assert dialog.edits["title"].text() == old_title
    dialog.edits["title"].selectAll()
    QTest.keyClicks(dialog.edits["title"], "Trillion-yuan clusters, <b>corrected</b>")
    dialog.edits["place"].selectAll()
    QTest.keyClicks(dialog.edits["place"], "Guangdong")
    dialog.kind.setCurrentIndex(dialog.kind.findData("other"))  # the seeds say news
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    new = "Trillion-yuan clusters, <b>corrected</b>"
    qtbot.waitUntil(lambda: any(text.startswith(new) for text in _chooser_texts(window)))
    assert window.document_view.title_label.text() == new  # plain text, never rich text
    with window.store.read() as session:
        doc = session.get(Document, 1)
        assert (doc.title, doc.place, doc.kind) == (new, "Guangdong", "other")
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(text.startswith(old_title) for text in _chooser_texts(window)))
    assert not any(text.startswith(new) for text in _chooser_texts(window))
    with window.store.read() as session:
        doc = session.get(Document, 1)
        assert (doc.title, doc.place, doc.kind) == (old_title, "", "news")


def test_a_malformed_date_says_why_and_cannot_be_saved(qtbot, window):
    window.selection.set_document(2, None)
    qtbot.waitUntil(lambda: window.document_view.current_document_id() == 2)
    dialog = _open_dialog(qtbot, window)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.edits["published"].selectAll()
    QTest.keyClicks(dialog.edits["published"], "2025-02-30")
    assert not ok.isEnabled() and "malformed date" in dialog.problem.text() and dialog.problem.isVisible()
    dialog.edits["published"].selectAll()
    QTest.keyClicks(dialog.edits["published"], "2025-03-07")
    assert ok.isEnabled() and not dialog.problem.isVisible()
    dialog.reject()


def test_a_dataset_is_imported_from_the_file_menu_one_document_a_row(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "reports.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["province", "title", "source_url", "publish_date", "full_text"])
        writer.writeheader()
        writer.writerow({"province": "上海市", "title": "下载", "source_url": "https://example.org/sh",
                         "publish_date": "2026-02-09", "full_text": SHANGHAI})
        writer.writerow({"province": "上海市", "title": "Second", "source_url": "", "publish_date": "",
                         "full_text": "Shanghai made 3 million drones in 2025."})
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=15000)
    assert [r.document_id is not None for r in window.importer.last_results] == [True, True]
    qtbot.waitUntil(lambda: any(t.startswith("2026年上海市政府工作报告 — 2026-02-03") for t in _chooser_texts(window)))
    assert any(t.startswith("Second") for t in _chooser_texts(window))


def test_dropping_a_parquet_dataset_imports_its_rows(qtbot, window, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    path = tmp_path / "drones.parquet"
    pq.write_table(pa.table({"content": ["Shenzhen made 3 million drones in 2025.", "Dongguan has 120 robot makers."],
                             "title": ["Shenzhen drones", "Dongguan robots"]}), path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where, buttons, keys = QPoint(20, 20), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, keys))
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=15000)
    assert [r.title for r in window.importer.last_results] == ["Shenzhen drones", "Dongguan robots"]
    qtbot.waitUntil(lambda: any(t.startswith("Dongguan robots") for t in _chooser_texts(window)))
