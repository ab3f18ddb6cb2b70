"""Import in the window: through File > Import and by dropping files; candidates go to review."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog
from sqlalchemy import func, select

from gui.views.figures_model import FigureIdRole
from store.models import Anchor, Document, Figure
from tests.gui.helpers import click_tree_node, table_rows

ARTICLE = ("Zhuhai, March 3, 2025. Last year the Zhuhai low-altitude cluster earned 12.5 billion yuan, "
           "up 8.1 percent, and counted 320 enterprises.\n")


def _import(qtbot, window, monkeypatch, paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=15000)
    # The progress dialog, if it showed, has given the keys back (to the window, or to a message it shows)
    qtbot.waitUntil(lambda: window.isActiveWindow() or QApplication.activeModalWidget() is not None)


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
    row = next(r for r in table_rows(window) if r.id == figure_id)
    assert row.status == "candidate" and row.doc.startswith("zhuhai")
    window.curator.advance_after_review = False
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: next(r for r in table_rows(window) if r.id == figure_id).status == "verified")
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
    qtbot.waitUntil(window.isActiveWindow)  # the progress dialog, if it showed, has given the keys back
    [result] = window.importer.last_results
    with window.store.read() as session:
        document = session.get(Document, result.document_id)
        assert document.title == "Dropped" and "alert" not in document.text
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with window.store.read() as session:
        assert session.get(Document, result.document_id) is None
        assert session.scalar(select(func.count()).select_from(Figure).where(Figure.status == "candidate")) == 0


def _spans(window, document_id: int) -> list[tuple[int, int, int]]:
    """(start, end, id) of each figure of a document, in reading order, from the store."""
    with window.store.read() as session:
        return sorted(session.execute(select(Anchor.start, Anchor.end, Anchor.figure_id)
                                      .where(Anchor.document_id == document_id)).all())


def test_after_an_import_f8_walks_that_document_in_reading_order_whatever_the_tree_shows(
        qtbot, window, monkeypatch, tmp_path):
    click_tree_node(qtbot, window, "cluster", "smart_robots")  # a scope the imported figures are not in
    path = tmp_path / "zhuhai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    _import(qtbot, window, monkeypatch, [path])
    [result] = window.importer.last_results
    spans = _spans(window, result.document_id)
    assert len(spans) >= 3 and result.candidates == len(spans)
    walked = []
    for start, end, figure_id in spans:  # F8, F8, F8: the document's candidates, first to last
        QTest.keyClick(window, Qt.Key.Key_F8)
        qtbot.waitUntil(lambda: window.selection.figures == (figure_id,))
        assert window.document_view.current_document_id() == result.document_id
        assert window.document_view.strong_ids() == [figure_id]  # its span is the one highlighted
        assert window.document_view.highlighted_text(figure_id) == ARTICLE[start:end]
        assert "Reviewing" in window.statusBar().currentMessage()
        walked.append(figure_id)
    QTest.keyClick(window, Qt.Key.Key_F8)  # past the last: back to the first
    qtbot.waitUntil(lambda: window.selection.figures == (walked[0],))
    # Ctrl+1 verifies and goes on to the next candidate of the document.
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.selection.figures == (walked[1],))
    with window.store.read() as session:
        assert session.get(Figure, walked[0]).status == "verified"
    QTest.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)  # the verified one is skipped
    qtbot.waitUntil(lambda: window.selection.figures == (walked[-1],))
    # Picking a tree node leaves the imported document: F8 walks the tree's selection again (no candidate there).
    click_tree_node(qtbot, window, "all", "all")
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    assert window.curator.review_queue is None
    window.selection.set_figures([], None)
    QTest.keyClick(window, Qt.Key.Key_F8)
    assert window.selection.figures == () and "Nothing left to review here" in window.statusBar().currentMessage()


def test_the_edit_dialog_shows_what_the_finder_read_as_plain_text(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    figure_id = table_rows(window)[0].id
    with window.store.write() as session:  # as an import stores the finder's reading
        figure = session.get(Figure, figure_id)
        figure.metric_text, figure.growth, figure.growth_base, figure.projected = "<b>工业机器人</b>产量", "change", "上年", True
        figure.reading = {"metric": "<b>工业机器人</b>产量", "growth": "比上年增长", "period": "2025年"}
    window.safety.show_theirs([figure_id])
    window.selection.set_figures([figure_id], None)
    dialog = window.curator.edit_figure()
    label = dialog.meaning
    assert label.isVisible() and label.textFormat() == Qt.TextFormat.PlainText
    text = label.text()
    assert "Metric words: <b>工业机器人</b>产量" in text
    assert "a change on 上年" in text and "a target (projected)" in text
    assert "change \u201c比上年增长\u201d" in text and "period \u201c2025年\u201d" in text
    dialog.reject()


def test_the_table_shows_the_text_s_words_for_an_unassigned_metric(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("It reached 12.5 billion yuan, then 3.1 billion yuan.\n", encoding="utf-8")
    _import(qtbot, window, monkeypatch, [path])
    [result] = window.importer.last_results
    first, second = (figure_id for _s, _e, figure_id in _spans(window, result.document_id)[:2])
    with window.store.write() as session:
        session.get(Figure, first).metric_text = "全省生产总值"  # the words the finder read
    window.safety.show_theirs([first])
    click_tree_node(qtbot, window, "all", "all")
    model = window.figures_panel.model
    metric = {model.index(r, 0).data(FigureIdRole): model.index(r, 0) for r in range(model.rowCount())}
    assert metric[first].data() == "\u201c全省生产总值\u201d"  # not "Unassigned (money)"
    assert "全省生产总值" in metric[first].data(Qt.ItemDataRole.ToolTipRole)
    assert metric[second].data().startswith("Unassigned")  # no words read: the placeholder, as it is


def test_undoing_the_import_ends_its_review_queue(qtbot, window, monkeypatch, tmp_path):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    path = tmp_path / "zhuhai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    _import(qtbot, window, monkeypatch, [path])
    assert window.curator.review_queue is not None
    window.curator.stack.undo()
    window.selection.set_figures([], None)
    QTest.keyClick(window, Qt.Key.Key_F8)
    assert window.curator.review_queue is None and window.selection.figures == ()
    assert "no longer in the store" in window.statusBar().currentMessage()


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


def test_an_import_that_stops_midway_keeps_the_files_already_saved_on_the_undo_stack(
        qtbot, window, monkeypatch, tmp_path):
    import store.curation.importing as importing

    real = importing._import_one

    def failing(store, path, *args):  # an injected fault the importer does not expect, on the second file
        if path.endswith("b.txt"):
            raise RuntimeError("injected")
        return real(store, path, *args)
    monkeypatch.setattr(importing, "_import_one", failing)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Alpha\n\nAlpha made 3 million cars.\n", encoding="utf-8")
    b.write_text("Beta\n\nBeta made 7 million phones.\n", encoding="utf-8")
    before = window.curator.stack.count()
    _import(qtbot, window, monkeypatch, [a, b])
    [result] = window.importer.last_results
    assert result.path == str(a) and result.document_id is not None
    assert window.curator.stack.count() == before + 1
    qtbot.waitUntil(lambda: "The import stopped (RuntimeError: injected)" in window.statusBar().currentMessage())
