"""Import in the window: through File > Import and by dropping files; candidates go to review."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog
from sqlalchemy import func, select

from store.models import Document, Figure
from tests.gui.helpers import click_tree_node, table_rows

ARTICLE = ("Zhuhai, March 3, 2025. Last year the Zhuhai low-altitude cluster earned 12.5 billion yuan, "
           "up 8.1 percent, and counted 320 enterprises.\n")


def _import(qtbot, window, monkeypatch, paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=15000)


def test_an_imported_document_gives_candidates_that_are_reviewed_in_the_table(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "zhuhai.txt"
    path.write_text(ARTICLE, encoding="gb18030")
    _import(qtbot, window, monkeypatch, [path])
    [result] = window.importer.last_results
    assert result.document_id is not None and result.candidates >= 3
    qtbot.waitUntil(lambda: window.document_view.current_document_id() == result.document_id)
    click_tree_node(qtbot, window, "all", "all")
    window.selection.set_figures([], None)
    QTest.keyClick(window, Qt.Key.Key_F8)  # the first candidate to review
    qtbot.waitUntil(lambda: len(window.selection.figures) == 1)
    figure_id = window.selection.figures[0]
    row = next(r for r in table_rows(window) if r["id"] == figure_id)
    assert row["status"] == "candidate" and row["doc"].startswith("zhuhai")
    window.curator.advance_after_review = False
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: next(r for r in table_rows(window) if r["id"] == figure_id)["status"] == "verified")
    assert window.document_view.current_document_id() == result.document_id


def test_a_binary_file_is_refused_with_a_message_and_nothing_is_stored(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with window.store.read() as session:
        before = session.scalar(select(func.count()).select_from(Document))
    _import(qtbot, window, monkeypatch, [path])
    assert window.last_error[0] == "Nothing was imported." and "photo.txt" in window.last_error[1]
    with window.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == before


def test_dropping_a_file_imports_it_and_undo_removes_it_whole(qtbot, window, tmp_path):
    path = tmp_path / "dropped.html"
    path.write_text(f"<html><head><title>Dropped</title><script>alert(1)</script></head>"
                    f"<body><article><p>{ARTICLE}</p></article></body></html>", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where, buttons, keys = QPoint(20, 20), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)  # Qt delivers a drop only to a widget that accepted the drag
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, keys))
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=15000)
    [result] = window.importer.last_results
    with window.store.read() as session:
        document = session.get(Document, result.document_id)
        assert document.title == "Dropped" and "alert" not in document.text
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with window.store.read() as session:
        assert session.get(Document, result.document_id) is None
        assert session.scalar(select(func.count()).select_from(Figure).where(Figure.status == "candidate")) == 0


def test_a_bad_file_in_a_batch_is_reported_and_every_good_file_stays_on_the_undo_stack(
        qtbot, window, monkeypatch, tmp_path):
    import os

    a, deep, fifo, zero, b = (tmp_path / n for n in ("a.txt", "deep.html", "fifo.txt", "zero.txt", "b.txt"))
    a.write_text("Alpha\n\nAlpha made 3 million cars.\n", encoding="utf-8")
    deep.write_text(f"<body>{'<div>' * 1500}<p>Deep made 4 million phones.</p>{'</div>' * 1500}</body>",
                    encoding="utf-8")  # once a RecursionError that ended the batch
    os.mkfifo(fifo)  # once a read that never ended, and Cancel did not end it
    zero.symlink_to("/dev/zero")  # once read without limit
    b.write_text("Beta\n\nBeta made 7 million phones.\n", encoding="utf-8")
    stack = window.curator.stack
    before = stack.count()
    _import(qtbot, window, monkeypatch, [a, deep, fifo, zero, b])
    results = window.importer.last_results
    assert [r.document_id is not None for r in results] == [True, True, False, False, True]
    assert stack.count() == before + 3
    summary, detail = window.last_error
    assert summary.startswith("Imported 3 documents") and "fifo.txt is a named pipe" in detail
    assert "zero.txt is a device" in detail
    for _ in range(3):
        window.curator.undo_action.trigger()  # Edit > Undo
    with window.store.read() as session:
        assert all(session.get(Document, r.document_id) is None for r in results if r.document_id)
