"""A figure's history dialog on the real seeded store: edits, undos, notes and reverts as the user sees them."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from sqlalchemy import select

from gui.dialogs.history import EMPTY, EntryRole, HistoryDialog
from store.curation.annotations import annotate
from store.curation.figures import edit_figure
from store.curation.history import figure_history, revert_figure, undo
from store.models import Figure
from store.workspace import Workspace

KEY = "001-002"  # seeded with qualifier "at least"


@pytest.fixture(autouse=True)
def _curator(monkeypatch):
    monkeypatch.setenv("CLUSTER_EXPLORER_USER", "alice")


@pytest.fixture
def figure(seeded_store) -> Figure:
    with seeded_store.read() as session:
        return session.scalar(select(Figure).where(Figure.key == KEY))


@pytest.fixture
def open_dialog(qtbot, seeded_store, figure):
    def make() -> HistoryDialog:
        dialog = HistoryDialog(Workspace.load(seeded_store), figure.id, KEY)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog
    return make


def shown_rows(dialog) -> list[tuple[str, ...]]:
    model = dialog.table.model()
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def click_row(dialog, row: int) -> None:
    index = dialog.table.model().index(row, 2)
    QTest.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     dialog.table.visualRect(index).center())


def current(store, figure_id: int) -> Figure:
    with store.read() as session:
        return session.get(Figure, figure_id)


def test_a_figure_without_changes_says_so(open_dialog):
    dialog = open_dialog()
    assert dialog.windowTitle() == f"History of Figure {KEY}"
    assert dialog.empty_label.isVisible() and dialog.empty_label.text() == EMPTY
    assert dialog.empty_label.textFormat() == Qt.TextFormat.PlainText
    assert not dialog.revert_button.isEnabled()


def test_an_edit_shows_field_old_and_new_and_who(open_dialog, seeded_store, figure):
    edit_figure(seeded_store, figure.id, {"qualifier": "approximately"})
    dialog = open_dialog()
    assert dialog.table.isVisible()
    [(when, by, label, changes, version)] = shown_rows(dialog)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", when)
    assert (by, label, changes, version) == ("alice", "Edit figure", "qualifier: 'at least' \u2192 'approximately'", "2")


def test_several_fields_and_long_values(open_dialog, seeded_store, figure):
    edit_figure(seeded_store, figure.id, {"qualifier": "approximately", "note": "checked"})
    dialog = open_dialog()
    changes = shown_rows(dialog)[0][3]
    old_note = figure.note
    assert changes == f"qualifier: 'at least' \u2192 'approximately'; note: '{old_note[:40]}\u2026' \u2192 'checked'"
    tooltip = dialog.table.model().index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    document = QTextDocument()
    document.setHtml(tooltip)
    assert document.toPlainText() == f"qualifier: 'at least' \u2192 'approximately'\nnote: '{old_note}' \u2192 'checked'"


def test_undo_shows_after_refresh_and_revert_goes_back_to_the_edit(qtbot, open_dialog, seeded_store, figure):
    edited = edit_figure(seeded_store, figure.id, {"qualifier": "approximately"})
    dialog = open_dialog()
    undo(seeded_store, edited.action_id)
    assert len(shown_rows(dialog)) == 1  # nothing changes until the window says so
    dialog.refresh()
    rows = shown_rows(dialog)
    assert [(by, label, changes, version) for _, by, label, changes, version in rows] == [
        ("alice", "Undo Edit figure", "qualifier: 'approximately' \u2192 'at least'", "3"),
        ("alice", "Edit figure", "qualifier: 'at least' \u2192 'approximately'", "2"),
    ]
    assert current(seeded_store, figure.id).qualifier == "at least"

    click_row(dialog, 0)
    assert not dialog.revert_button.isEnabled()  # the newest version is the figure as it is now
    assert dialog.hint_label.text() == "Version 3 is the figure as it is now."

    edit_entry = dialog.table.model().index(1, 0).data(EntryRole)
    assert edit_entry.change_id == figure_history(seeded_store, figure.id)[0].change_id
    click_row(dialog, 1)
    assert dialog.revert_button.isEnabled()
    with qtbot.waitSignal(dialog.revertRequested) as blocker:
        QTest.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [figure.id, edit_entry.change_id]
    assert dialog.isVisible()

    # The window runs the revert; the dialog shows it after a refresh, keeping the selection.
    revert_figure(seeded_store, *blocker.args)
    assert current(seeded_store, figure.id).qualifier == "approximately"
    dialog.refresh()
    assert shown_rows(dialog)[0][2:] == ("Revert figure to version 2", "qualifier: 'at least' \u2192 'approximately'", "4")
    assert dialog.selected_entry().change_id == edit_entry.change_id


def test_notes_are_listed_but_not_revertible_and_shown_plain(open_dialog, seeded_store, figure):
    annotate(seeded_store, "<b>see</b> page 3", figure_id=figure.id)
    dialog = open_dialog()
    [(_, by, label, changes, version)] = shown_rows(dialog)
    assert (by, label, changes, version) == ("alice", "Annotate figure", "note added: '<b>see</b> page 3'", "")
    click_row(dialog, 0)
    assert not dialog.revert_button.isEnabled()
    assert dialog.hint_label.text().startswith("Only changes to the figure itself")
    document = QTextDocument()
    document.setHtml(dialog.table.model().index(0, 3).data(Qt.ItemDataRole.ToolTipRole))
    assert document.toPlainText() == "note added: '<b>see</b> page 3'"


def test_enter_does_not_revert(qtbot, open_dialog, seeded_store, figure):
    edit_figure(seeded_store, figure.id, {"qualifier": "approximately"})
    edit_figure(seeded_store, figure.id, {"qualifier": "about"})
    dialog = open_dialog()
    click_row(dialog, 1)
    assert dialog.revert_button.isEnabled()
    requests = []
    dialog.revertRequested.connect(lambda *args: requests.append(args))
    QTest.keyClick(dialog.table, Qt.Key.Key_Return)
    assert requests == []


def test_model_passes_the_model_tester(qtmodeltester, open_dialog, seeded_store, figure):
    dialog = open_dialog()
    qtmodeltester.check(dialog.model)
    edited = edit_figure(seeded_store, figure.id, {"qualifier": "approximately", "note": "checked"})
    undo(seeded_store, edited.action_id)
    annotate(seeded_store, "a note", figure_id=figure.id)
    dialog.refresh()
    qtmodeltester.check(dialog.model)
