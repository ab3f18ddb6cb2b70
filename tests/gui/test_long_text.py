"""Long text does not freeze the window: a line of a million characters with no break, a 1 MB paste,
a long note.

A document with such a line is shown and its figure highlighted and clicked; a note editor refuses a
paste past the note limit with a message, before laying it out; the store refuses a longer note; a
long note's tooltip shows its start.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextOption
from PySide6.QtTest import QTest

from gui.views.figures_model import COLUMN_INDEX
from gui.views.long_text import TOOLTIP_CHARS
from store.curation.annotations import MAX_CHARS, annotate, list_annotations
from store.curation.figures import FigureDraft, add_document, add_figure, edit_figure
from store.errors import StoreError
from tests.gui.helpers import click_table_row

LINE = "x" * 1_000_000  # one line, no space: Qt's word wrap rescanned it at every line (63 s to show)
PASTE = "y" * 1_000_000  # 1 MB on the clipboard


def _add(store, text: str, words: str, note: str = "") -> int:
    doc_id = add_document(store, text, f"Zyxwv {len(text)}", published="2025-01").created_id
    start = text.index(words)
    figure_id = add_figure(store, FigureDraft(document_id=doc_id, start=start, end=start + len(words),
                                                 value_text="7", unit="yuan", period="2024",
                                                 metric="operating_revenue", entity="guangdong", note=note)).first_created("figures")
    return figure_id


def test_a_million_characters_with_no_break_are_shown_and_their_figure_clicked(qtbot, make_window, seeded_store):
    text = f"In 2024 the zyxwv cluster earned 7 yuan. {LINE} The end.\n"
    long_id = _add(seeded_store, text, "7 yuan")
    plain_id = _add(seeded_store, "In 2024 a plain cluster earned 7 yuan, in ordinary words.\n", "7 yuan")
    seeded_store.close()
    window = make_window()
    view = window.document_view

    window.curator.show_new_figure(long_id)
    qtbot.waitUntil(lambda: view.current_document_id() is not None and view.strong_ids() == [long_id])
    assert view.editor.toPlainText() == text
    assert view.highlighted_text(long_id) == "7 yuan"
    # The unbroken line is wrapped anywhere (linear); ordinary text keeps its word wrap.
    assert view.editor.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    view.editor.setFocus()
    window.selection.set_figures([], None)
    span_rect = view.editor.cursorRect(_cursor_at(view, text.index("7 yuan") + 2))
    QTest.mouseClick(view.editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     span_rect.center())
    qtbot.waitUntil(lambda: window.selection.figures == (long_id,))

    window.curator.show_new_figure(plain_id)
    qtbot.waitUntil(lambda: view.strong_ids() == [plain_id])
    assert view.editor.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    assert "ordinary words" in view.editor.toPlainText()


def _cursor_at(view, position: int) -> QTextCursor:
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(position)
    return cursor


def _paste(widget, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)
    QTest.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_the_note_dialog_refuses_a_1_mb_paste_with_its_reason(qtbot, window):
    click_table_row(window, 0)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.curator.dialog is not None)
    dialog = window.curator.dialog
    _paste(dialog.text_edit, PASTE)
    assert dialog.text_edit.toPlainText() == ""
    assert dialog.hint_label.text() == (f"Not pasted: the note would be {len(PASTE):,} characters; "
                                        f"a note is at most {MAX_CHARS:,}.")
    assert not dialog.ok_button.isEnabled()
    _paste(dialog.text_edit, "z" * MAX_CHARS)  # up to the limit is taken
    assert len(dialog.text_edit.toPlainText()) == MAX_CHARS and dialog.ok_button.isEnabled()
    _paste(dialog.text_edit, "z")  # one more is not
    assert len(dialog.text_edit.toPlainText()) == MAX_CHARS and dialog.hint_label.text().startswith("Not pasted")
    dialog.reject()


def test_the_figure_dialog_refuses_a_1_mb_note_paste(qtbot, window):
    click_table_row(window, 0)
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.curator.dialog is not None)
    dialog = window.curator.dialog
    before = dialog.note.toPlainText()
    _paste(dialog.note, PASTE)
    assert dialog.note.toPlainText() == before
    assert dialog.problems() == (f"Not pasted: the note would be {len(before) + len(PASTE):,} characters; "
                                 f"a note is at most {MAX_CHARS:,}.")
    dialog.reject()


def test_a_note_has_a_limit_in_the_store(seeded_store):
    figure_id = _add(seeded_store, "In 2024 the zyxwv cluster earned 7 yuan.\n", "7 yuan")
    with pytest.raises(StoreError, match=f"a note is at most {MAX_CHARS:,} characters"):
        edit_figure(seeded_store, figure_id, {"note": "n" * (MAX_CHARS + 1)})
    with pytest.raises(StoreError, match=f"at most {MAX_CHARS:,} characters"):
        annotate(seeded_store, "n" * (MAX_CHARS + 1), figure_id=figure_id)
    edit_figure(seeded_store, figure_id, {"note": "n" * MAX_CHARS})  # the limit itself is taken


def test_a_long_note_shows_its_start_in_the_tooltip(qtbot, make_window, seeded_store):
    note = "".join(f"{i:05} " for i in range(MAX_CHARS // 6)).strip()
    figure_id = _add(seeded_store, "In 2024 the zyxwv cluster earned 7 yuan.\n", "7 yuan", note=note)
    annotate(seeded_store, note, figure_id=figure_id)
    seeded_store.close()
    window = make_window()
    window.curator.show_new_figure(figure_id)
    qtbot.waitUntil(lambda: window.selection.figures == (figure_id,))
    model = window.figures_panel.model
    qtbot.waitUntil(lambda: figure_id in model.ids.tolist())
    row = model.ids.tolist().index(figure_id)
    tip = model.index(row, COLUMN_INDEX["value"]).data(Qt.ItemDataRole.ToolTipRole)
    assert note[:TOOLTIP_CHARS] + "\u2026" in tip and note[:TOOLTIP_CHARS + 6] not in tip
    panel = window.annotations_panel
    panel.refresh()
    notes = panel.model
    [index] = [notes.index(r, 1) for r in range(notes.rowCount()) if notes.annotation(r).text == note]
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert note[:TOOLTIP_CHARS] + "\u2026" in tip and note[:TOOLTIP_CHARS + 6] not in tip
    assert [n.text for n in list_annotations(window.store, figure_id=figure_id)] == [note]  # stored whole
