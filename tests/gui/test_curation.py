"""Curation in the window, as a user does it: add a source, select words, add the figure, review, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from gui.dialogs.document import DocumentDialog
from gui.dialogs.figure import FigureDialog
from gui.shortcuts import duplicated_keys, key_list, key_owners
from gui.views.conflicts import IdsRole
from gui.views.figures_model import COLUMN_INDEX
from store.models import Anchor, Document, Figure
from store.values.display import format_value
from tests.gui.helpers import click_table_row, click_tree_node, selected_table_ids, table_rows
from tests.seed_conflicts import restate_exactly

TEXT = "广东 东莞 🚀🚀 Dongguan said on Monday. In 2024 its drone cluster earned 535 billion yuan, a record.\n\nMore."
QUOTE = "535 billion yuan"


def _press(window, key, modifier=Qt.KeyboardModifier.ControlModifier) -> None:
    QTest.keyClick(window, key, modifier)


def _save(dialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button.isEnabled(), getattr(dialog, "problems", lambda: "")()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _add_document(qtbot, window) -> int:
    _press(window, Qt.Key.Key_N)
    dialog = window.curator.dialog
    assert isinstance(dialog, DocumentDialog)
    QTest.keyClicks(dialog.title, "Drones of Dongguan")
    QTest.keyClicks(dialog.published, "2025-02-03")
    dialog.text.insertPlainText(TEXT)  # a paste
    _save(dialog)
    qtbot.waitUntil(lambda: window.document_view.current_document_id() is not None)
    with window.store.read() as session:
        doc = session.scalar(select(Document).where(Document.title == "Drones of Dongguan"))
    qtbot.waitUntil(lambda: window.document_view.current_document_id() == doc.id)
    return doc.id


def _select_words(window, words: str) -> None:
    editor = window.document_view.editor
    found = editor.document().find(words)
    assert not found.isNull(), words
    cursor = QTextCursor(editor.document())
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def _add_figure(qtbot, window) -> int:
    _select_words(window, QUOTE)
    _press(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.curator.dialog
    assert isinstance(dialog, FigureDialog)
    assert dialog.value.text() == "535000000000" and dialog.unit.currentText() == "yuan"
    assert dialog.scale.currentText() == "billion" and dialog.period.text() == "2024"
    dialog.metric_combo.setEditText("")
    QTest.keyClicks(dialog.metric_combo.lineEdit(), "Operating revenue")
    dialog.cluster_combo.setEditText("")
    QTest.keyClicks(dialog.cluster_combo.lineEdit(), "Drones")
    _save(dialog)
    qtbot.waitUntil(lambda: len(window.selection.figures) == 1)
    return window.selection.figures[0]


def test_a_figure_added_from_selected_words_shows_everywhere_and_its_span_is_exact(qtbot, window):
    _add_document(qtbot, window)
    figure_id = _add_figure(qtbot, window)
    with window.store.read() as session:
        anchor = session.scalar(select(Anchor).where(Anchor.figure_id == figure_id))
        text = session.get(Document, anchor.document_id).text
    assert text[anchor.start:anchor.end] == QUOTE  # after CJK and an emoji: UTF-16 offsets were converted
    assert selected_table_ids(window) == [figure_id]
    assert window.document_view.strong_ids() == [figure_id]
    assert window.document_view.highlighted_text(figure_id) == QUOTE
    assert figure_id in {i for ids in window.charts.bar_figure_ids() for i in ids}
    row = next(r for r in table_rows(window) if r.id == figure_id)
    assert row.status == "candidate" and row.cluster_name == "Drones"


def test_undo_and_redo_of_adding_a_figure(qtbot, window):
    _add_document(qtbot, window)
    figure_id = _add_figure(qtbot, window)
    assert window.curator.undo_action.text() == "&Undo Add figure"
    _press(window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: all(r.id != figure_id for r in table_rows(window)))
    with window.store.read() as session:
        assert session.get(Figure, figure_id) is None
    _press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(r.id == figure_id for r in table_rows(window)))


def test_the_document_chooser_counts_follow_every_change(qtbot, window):
    doc_id = _add_document(qtbot, window)
    chooser = window.document_view.chooser

    def shown() -> str:
        return chooser.itemText(chooser.findData(doc_id))

    assert shown().endswith("(0 figures)")
    _add_figure(qtbot, window)
    assert shown().endswith("(1 figure)")
    _press(window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: shown().endswith("(0 figures)"))
    _press(window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: shown().endswith("(1 figure)"))


def test_a_value_typed_against_the_quote_is_warned_and_saved_flagged(qtbot, window):
    _add_document(qtbot, window)
    _select_words(window, QUOTE)
    window.curator.add_figure_from_selection()
    dialog = window.curator.dialog
    dialog.value.clear()
    QTest.keyClicks(dialog.value, "53.5 billion")
    assert "535" in dialog.warning_text()
    QTest.keyClicks(dialog.metric_combo.lineEdit(), "Operating revenue")
    _save(dialog)
    qtbot.waitUntil(lambda: len(window.selection.figures) == 1)
    with window.store.read() as session:
        assert session.get(Figure, window.selection.figures[0]).flag


def test_a_malformed_value_disables_save_and_says_why(qtbot, window):
    _add_document(qtbot, window)
    _select_words(window, QUOTE)
    window.curator.add_figure_from_selection()
    dialog = window.curator.dialog
    for bad in ("nan", "inf", "", "12abc"):
        dialog.value.setText(bad)
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        assert dialog.problem.text().startswith("Value:")


def test_keyboard_review_verify_dispute_and_undo(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    first = window.selection.figures[0]
    window.curator.advance_after_review = False
    _press(window, Qt.Key.Key_3)  # reject
    qtbot.waitUntil(lambda: _status(window, first) == "rejected")
    _press(window, Qt.Key.Key_2)  # dispute: a reason is asked for
    dialog = window.curator.dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    QTest.keyClicks(dialog.reason, "the sum of the parts is smaller")
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status(window, first) == "disputed")
    _press(window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: _status(window, first) == "rejected")
    _press(window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: _status(window, first) == "verified")
    assert selected_table_ids(window) == [first]


def test_the_review_queue_walks_the_candidates(qtbot, window):
    _add_document(qtbot, window)
    figure_id = _add_figure(qtbot, window)
    click_tree_node(qtbot, window, "all", "all")
    window.selection.set_figures([], None)
    QTest.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.selection.figures == (figure_id,))
    _press(window, Qt.Key.Key_1)  # verify, then the queue is empty
    qtbot.waitUntil(lambda: _status(window, figure_id) == "verified")
    assert "Nothing left to review" in window.statusBar().currentMessage()


def test_a_store_failure_mid_action_shows_a_message_and_writes_nothing(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    first = window.selection.figures[0]
    with window.store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TRIGGER fail BEFORE INSERT ON changes BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    _press(window, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: getattr(window, "last_error", None) is not None)
    assert "not saved" in window.last_error[0] + window.last_error[1] and "disk I/O error" in window.last_error[1]
    assert _status(window, first) == "verified"
    assert not window.curator.stack.canUndo()


def test_no_key_is_bound_twice_in_the_window(window):
    """Qt runs neither action of a key bound twice; every action and shortcut of the window counts."""
    owners = key_owners(window)
    assert {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Ctrl+F", "Ctrl+C", "Ctrl+O"} <= set(owners)
    assert duplicated_keys(window) == {}


def test_redo_has_both_usual_keys_once_whatever_the_platform_maps():
    keys = [k.toString() for k in key_list(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y")]
    assert len(keys) == len(set(keys)) and {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys)


def _status(window, figure_id: int) -> str:
    with window.store.read() as session:
        return session.get(Figure, figure_id).status


def test_a_conflict_resolved_in_its_tab_is_undoable_and_clears_the_tree_mark(qtbot, make_window, seeded_store):
    restate_exactly(seeded_store)  # the seeds as loaded hold no conflict: tests.seed_conflicts
    window = make_window()
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    view = window.conflicts_view
    assert window.tabs.currentWidget() is view
    groups = 3  # Guangzhou 2024 and 2025, and the journalists
    qtbot.waitUntil(lambda: view.model.rowCount() == groups)
    root = window.tree_panel.model.node(window.tree_panel.model.index_of("all", "all"))
    before = root.counts.conflicts
    forecast = next(r for r in range(view.model.rowCount()) if "2025" in view.model.index(r, 0).data())
    index = view.model.index(forecast, 0)
    QTest.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.tree.visualRect(index).center())
    view.open_resolve_dialog()
    dialog = view.dialog
    keep = sorted(view.model.index(forecast, 0).data(IdsRole))[0]
    dialog.set_keep(keep)
    dialog.set_status("superseded")
    QTest.keyClicks(dialog.reason_edit, "the translation reads yi as billion")
    QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == groups - 1)
    root = window.tree_panel.model.node(window.tree_panel.model.index_of("all", "all"))
    assert root.counts.conflicts == before - 3
    assert window.curator.undo_action.text() == "&Undo Resolve conflict"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() == groups)


def test_a_value_typed_in_place_in_the_table_is_saved_and_undoable(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    table = window.figures_panel.table
    old = table_rows(window)[0].value_text
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "1.5 million")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _value(window, figure_id) == "1500000")
    assert window.figures_panel.table.model().index(0, 0).data() is not None
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _value(window, figure_id) == old)


def test_the_table_shows_an_edited_value_not_the_text_it_showed_before(qtbot, window):
    """The table formats a row's cells once and keeps the texts itself: an edit (and its undo) must show."""
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    model = window.figures_panel.table.model()

    def shown() -> str:
        return model.index(model.row_of(figure_id), COLUMN_INDEX["value"]).data()

    before = shown()  # painted, so its text is in the table's cache
    row = window.workspace.row(figure_id)
    after = format_value("1234567", row.unit, row.value_max_text)
    assert before and after != before
    QTest.keyClick(window.figures_panel.table, Qt.Key.Key_F2)
    editor = window.figures_panel.table.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "1234567")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _value(window, figure_id) == "1234567")
    qtbot.waitUntil(lambda: shown() == after)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown() == before)


def test_a_malformed_value_typed_in_place_is_refused_with_a_message(qtbot, window):
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    old = _value(window, figure_id)
    table = window.figures_panel.table
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "nan")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window, "last_error", None) is not None)
    assert "not changed" in window.last_error[0] and _value(window, figure_id) == old


def _value(window, figure_id: int) -> str:
    with window.store.read() as session:
        return session.get(Figure, figure_id).value_text
