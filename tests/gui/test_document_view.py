"""The document reader, driven as a user would: real clicks and keys on the editor's viewport."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from gui.views.document import DocumentView
from gui.views.text_offsets import OffsetMap

# Astral characters (an emoji, a CJK Extension B ideograph) before the spans shift Qt's positions.
TEXT = (
    "Guangdong 亿元 😀 growth of 31.2% in 2025.\n"
    "𠀋 The cluster earned 1.1 trillion yuan last year, up from 980 billion.\n"
    "Nothing to see in this sentence at all, it has no figures whatsoever.\n"
)


def span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


SPANS = [
    (1, *span(TEXT, "31.2%"), "verified"),
    (2, *span(TEXT, "2025"), "candidate"),
    (3, *span(TEXT, "1.1 trillion yuan"), "disputed"),
    (4, *span(TEXT, "980 billion"), "flagged"),
    (5, *span(TEXT, "growth of 31.2% in 2025"), "rejected"),  # overlaps 1 and 2
]
DOC = {"id": 7, "title": "Clusters report", "publisher": "GD Today", "author": "Hao Nan", "published": "2025-03-07",
       "file_name": "report.txt", "text": TEXT, "language_notes": ""}
DOCS = [
    {"id": 7, "title": "Clusters report", "file_name": "report.txt", "published": "2025-03-07", "figures": 5},
    {"id": 9, "title": "Another report", "file_name": "other.txt", "published": "2024-01-02", "figures": 1},
]


@pytest.fixture
def view(qtbot):
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.set_documents(DOCS)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cursor_at(view: DocumentView, code_point: int) -> QTextCursor:
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(OffsetMap(view._text).to_qt(code_point))
    return cursor


def click_code_point(view: DocumentView, code_point: int) -> None:
    """Click inside the character after this code-point offset, as the main window test does."""
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(OffsetMap(view._text).to_qt(code_point) + 1)
    point = view.editor.cursorRect(cursor).center()
    QTest.mouseClick(view.editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_every_highlight_covers_exactly_its_code_point_span(view):
    view.show_document(DOC, SPANS)
    assert view.current_document_id() == 7
    for figure_id, start, end, _status in SPANS:
        assert view.highlighted_text(figure_id) == TEXT[start:end]
    # Without the code-point conversion the highlight would be shifted by the astral characters.
    assert TEXT.index("31.2%") != OffsetMap(TEXT).to_qt(TEXT.index("31.2%"))
    assert len(view.editor.extraSelections()) == len(SPANS)


def test_clicking_a_span_emits_its_figure_and_the_shortest_overlap_wins(qtbot, view):
    view.show_document(DOC, SPANS)
    start = SPANS[0][1]  # "31.2%" lies inside the longer rejected span 5
    with qtbot.waitSignal(view.figureClicked, timeout=1000) as blocker:
        click_code_point(view, start)
    assert blocker.args == [1]
    with qtbot.waitSignal(view.figureClicked, timeout=1000) as blocker:
        click_code_point(view, TEXT.index("of 31.2%"))  # only inside span 5
    assert blocker.args == [5]
    with qtbot.waitSignal(view.figureClicked, timeout=1000) as blocker:
        click_code_point(view, SPANS[3][1])
    assert blocker.args == [4]


def test_clicking_outside_spans_or_dragging_emits_nothing(qtbot, view):
    view.show_document(DOC, SPANS)
    with qtbot.assertNotEmitted(view.figureClicked, wait=100):
        click_code_point(view, TEXT.index("Nothing to see") + 3)
        click_code_point(view, TEXT.index("cluster earned") + 2)
    # A drag that selects text inside a span is a selection, not a click.
    viewport = view.editor.viewport()
    begin = view.editor.cursorRect(cursor_at(view, SPANS[2][1] + 1)).center()
    finish = view.editor.cursorRect(cursor_at(view, SPANS[2][2] - 1)).center()
    with qtbot.assertNotEmitted(view.figureClicked, wait=100):
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, begin)
        QTest.mouseMove(viewport, finish)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, finish)
    assert view.editor.textCursor().hasSelection()


def test_enter_in_a_span_emits_its_figure(qtbot, view):
    view.show_document(DOC, SPANS)
    view.editor.setFocus()
    view.editor.setTextCursor(cursor_at(view, SPANS[2][1] + 2))
    with qtbot.waitSignal(view.figureClicked, timeout=1000) as blocker:
        QTest.keyClick(view.editor, Qt.Key.Key_Return)
    assert blocker.args == [3]
    view.editor.setTextCursor(cursor_at(view, TEXT.index("Nothing") + 2))
    with qtbot.assertNotEmitted(view.figureClicked, wait=100):
        QTest.keyClick(view.editor, Qt.Key.Key_Return)


def test_set_selected_scrolls_a_far_span_into_view_without_emitting(qtbot, view):
    filler = "".join(f"Paragraph {i}: 😀 the province reported steady progress across its clusters.\n"
                     for i in range(400))
    text = filler + "At the very end, revenue reached 42.5 billion yuan.\n" + filler[:2000]
    start, end = span(text, "42.5 billion yuan")
    doc = dict(DOC, text=text)
    view.show_document(doc, [(11, 0, 9, "verified"), (12, start, end, "candidate")])
    viewport = view.editor.viewport().rect()
    assert not viewport.intersects(view.editor.cursorRect(cursor_at(view, start)))
    with qtbot.assertNotEmitted(view.figureClicked, wait=50), \
            qtbot.assertNotEmitted(view.documentRequested, wait=50):
        view.set_selected([12])
    rect = view.editor.cursorRect(cursor_at(view, start))
    assert viewport.contains(rect)
    assert abs(rect.center().y() - viewport.center().y()) < viewport.height() / 4  # roughly centred
    assert view.strong_ids() == [12]
    assert view.highlighted_text(12) == "42.5 billion yuan"
    assert len(view.editor.extraSelections()) == 3  # two status highlights + the strong one on top
    view.set_selected([999])  # not in this document
    assert view.strong_ids() == []
    assert len(view.editor.extraSelections()) == 2


def test_choosing_a_document_requests_it_without_changing_the_view(qtbot, view):
    view.show_document(DOC, SPANS)
    assert view.chooser.currentData() == 7  # show_document moved the chooser, silently
    assert view.chooser.currentText() == "Clusters report — 2025-03-07 (5 figures)"
    view.chooser.setFocus()
    with qtbot.waitSignal(view.documentRequested, timeout=1000) as blocker:
        QTest.keyClick(view.chooser, Qt.Key.Key_Down)
    assert blocker.args == [9]
    assert view.current_document_id() == 7
    assert view.editor.toPlainText() == TEXT
    with qtbot.assertNotEmitted(view.documentRequested, wait=50):
        view.show_document(dict(DOC, id=9, text="Other text 5%."), [])
    assert view.chooser.currentData() == 9


def test_markup_in_untrusted_text_is_shown_literally(view):
    hostile = "<b>x</b><a href='http://example.invalid'>link</a>"
    view.show_document(dict(DOC, title=hostile, author="<i>me</i>", text=hostile), [(1, 8, 12, "candidate")])
    assert view.editor.toPlainText() == hostile
    assert view.title_label.text() == hostile
    assert view.title_label.textFormat() == Qt.TextFormat.PlainText
    assert "<i>me</i>" in view.meta_label.text()
    assert view.highlighted_text(1) == "<a h"
    cursor = cursor_at(view, hostile.index("link") + 1)
    assert not cursor.charFormat().isAnchor()
    assert view.editor.document().toRawText() == hostile


def test_selected_text_span_is_in_code_points(view):
    view.show_document(DOC, SPANS)
    start, end = span(TEXT, "growth of 31.2%")
    cursor = cursor_at(view, start)
    cursor.setPosition(OffsetMap(TEXT).to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.editor.setTextCursor(cursor)
    got = view.selected_text_span()
    assert got == (start, end)
    assert TEXT[got[0]:got[1]] == "growth of 31.2%"
    view.editor.setTextCursor(cursor_at(view, start))
    assert view.selected_text_span() is None


def test_clear_shows_a_message_page(view):
    view.show_document(DOC, SPANS)
    view.clear("Pick a document above.")
    assert view.stack.currentWidget() is view.message
    assert view.message.text() == "Pick a document above."
    assert view.current_document_id() is None and view.strong_ids() == []
    assert view.chooser.currentIndex() == -1
    view.show_document(DOC, SPANS)
    assert view.stack.currentWidget() is view.editor


def test_a_large_document_with_many_spans(view):
    sentence = "Output 😀 rose by 12.5% to 3,400 units in the quarter, officials said. "
    text = sentence * 7000  # about 500 KB
    spans, step = [], len(sentence)
    for i in range(5000):
        start = i * step + sentence.index("12.5%")
        spans.append((i + 1, start, start + 5, ("candidate", "verified", "disputed", "rejected", "flagged")[i % 5]))
    began = time.perf_counter()
    view.show_document(dict(DOC, text=text), spans)
    view.set_selected([4999])
    elapsed = time.perf_counter() - began
    assert elapsed < 5
    assert len(view.editor.extraSelections()) == 5001
    assert view.highlighted_text(4999) == "12.5%"
    assert view.highlighted_text(1) == "12.5%"


def test_highlights_set_while_hidden_appear_when_shown(qtbot):
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    text = "".join(f"Line {i} 😀 of steady progress.\n" for i in range(300)) + "Final 7.5% rise.\n"
    start, end = span(text, "7.5%")
    widget.show_document(dict(DOC, text=text), [(1, 0, 4, "verified"), (2, start, end, "disputed")])
    widget.set_selected([2])
    assert widget.strong_ids() == [2] and widget.highlighted_text(2) == "7.5%"
    widget.show()
    qtbot.waitExposed(widget)
    assert len(widget.editor.extraSelections()) == 3
    rect = widget.editor.cursorRect(cursor_at(widget, start))
    assert widget.editor.viewport().rect().contains(rect)


def test_hovering_a_span_tells_its_status_in_plain_text(qtbot, view):
    view.show_document(DOC, SPANS)
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(OffsetMap(TEXT).to_qt(SPANS[3][1]) + 1)
    point = view.editor.cursorRect(cursor).center()
    viewport = view.editor.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=1000)
    assert "flagged" in QToolTip.text() and "Figure 4" in QToolTip.text()
    QToolTip.hideText()


def test_a_click_counts_the_character_hit_not_the_nearest_caret_position(qtbot, view):
    view.show_document(DOC, SPANS)
    to_qt = OffsetMap(TEXT).to_qt
    _fid, start, end, _status = SPANS[2]  # "1.1 trillion yuan", between spaces
    viewport = view.editor.viewport()

    def boundary(code_point: int) -> QPoint:
        cursor = QTextCursor(view.editor.document())
        cursor.setPosition(to_qt(code_point))
        return view.editor.cursorRect(cursor).center()

    with qtbot.waitSignal(view.figureClicked, timeout=1000) as blocker:  # right edge of the span's last character
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         boundary(end) - QPoint(2, 0))
    assert blocker.args == [3]
    with qtbot.assertNotEmitted(view.figureClicked, wait=100):  # right edge of the space before the span
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         boundary(start) - QPoint(1, 0))
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         boundary(end) + QPoint(2, 0))
