"""The Annotations dock, driven as a user would: clicks and keys on the real table and dialog."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtTest import QTest
from sqlalchemy import select

from gui.views.annotations import EMPTY_ALL, AnnotationDialog, AnnotationRole, AnnotationsPanel, ask_annotation_text
from store.curation.annotations import annotate, edit_annotation, list_annotations
from store.models import Cluster, Document, Figure
from store.workspace import Workspace

HTML_NOTE = "<b>bold</b> & <a href='http://x'>link</a> <img src=x>\nsecond line"


@pytest.fixture(autouse=True)
def _curator(monkeypatch):
    monkeypatch.setenv("CLUSTER_EXPLORER_USER", "alice")


@pytest.fixture
def panel(qtbot, seeded_store):
    widget = AnnotationsPanel()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.set_store(Workspace.load(seeded_store))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def figure_id(store, key: str) -> int:
    with store.read() as session:
        return session.scalar(select(Figure.id).where(Figure.key == key))


def shown_rows(panel) -> list[tuple[str, ...]]:
    model = panel.table.model()
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def click_row(panel, row: int, column: int = 1) -> None:
    index = panel.table.model().index(row, column)
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     panel.table.visualRect(index).center())


def choose(combo, text: str) -> None:
    """Pick a combo entry with the keyboard, as a user can without opening the popup."""
    combo.setFocus()
    for key in (Qt.Key.Key_Home,) + (Qt.Key.Key_Down,) * combo.count():
        if combo.currentText() == text:
            return
        QTest.keyClick(combo, key)
    assert combo.currentText() == text


def test_empty_store_shows_how_to_annotate(panel):
    assert panel.stack.currentWidget() is panel.empty_label and panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_ALL
    assert panel.empty_label.textFormat() == Qt.TextFormat.PlainText
    assert not panel.edit_button.isEnabled() and not panel.remove_button.isEnabled()


def test_a_new_annotation_appears_after_refresh(panel, seeded_store):
    annotate(seeded_store, "Checked against the annual report.\nPage 12.", figure_id=figure_id(seeded_store, "001-002"))
    panel.refresh()
    assert panel.table.isVisible()
    [(on, note, by, when)] = shown_rows(panel)
    assert (on, note, by) == ("figure 001-002", "Checked against the annual report. \u2026", "alice")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", when)


def test_clicking_a_row_activates_it_and_enables_the_buttons(qtbot, panel, seeded_store):
    fid = figure_id(seeded_store, "001-002")
    annotate(seeded_store, "a note", figure_id=fid)
    panel.refresh()
    with qtbot.waitSignal(panel.annotationActivated) as blocker:
        click_row(panel, 0)
    assert blocker.args[0].figure_id == fid and blocker.args[0].text == "a note"
    assert panel.edit_button.isEnabled() and panel.remove_button.isEnabled()
    with qtbot.waitSignal(panel.annotationActivated) as blocker:
        QTest.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args[0].figure_id == fid


def test_edit_through_the_dialog_requests_the_new_text_and_version(qtbot, panel, seeded_store):
    annotation_id = annotate(seeded_store, "first draft", figure_id=figure_id(seeded_store, "001-002")).created_id
    panel.refresh()
    click_row(panel, 0)
    QTest.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.edit_dialog()
    assert isinstance(dialog, AnnotationDialog) and dialog.isVisible()
    assert dialog.target_label.text() == "On: Figure 001-002"
    assert dialog.text_edit.toPlainText() == "first draft" and dialog.ok_button.isEnabled()

    dialog.text_edit.setFocus()
    QTest.keyClick(dialog.text_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(dialog.text_edit, Qt.Key.Key_Delete)
    assert not dialog.ok_button.isEnabled()  # an empty note cannot be saved
    QTest.keyClicks(dialog.text_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    QTest.keyClicks(dialog.text_edit, "second draft")
    assert dialog.ok_button.isEnabled()

    requests = []
    panel.editRequested.connect(lambda *args: requests.append(args))
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert requests == [(annotation_id, "second draft", 1)]
    assert panel.edit_dialog() is None

    # The window would run the edit; the panel shows it after a refresh, still selected.
    edit_annotation(seeded_store, *requests[0])
    panel.refresh()
    assert shown_rows(panel)[0][1] == "second draft"
    assert panel.selected_annotation().version == 2


def test_cancel_or_an_unchanged_note_requests_nothing(qtbot, panel, seeded_store):
    annotate(seeded_store, "same", figure_id=figure_id(seeded_store, "001-002"))
    panel.refresh()
    requests = []
    panel.editRequested.connect(lambda *args: requests.append(args))
    # A real double click is a click, then a double-click event at the same place.
    click_row(panel, 0)
    QTest.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      panel.table.visualRect(panel.table.model().index(0, 1)).center())
    dialog = panel.edit_dialog()
    assert dialog is not None  # a double click opens the editor too
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.edit_dialog()
    QTest.keyClicks(dialog.text_edit, " more")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert requests == [] and panel.edit_dialog() is None


def test_delete_key_and_remove_button_request_removal(qtbot, panel, seeded_store):
    annotation_id = annotate(seeded_store, "to go", figure_id=figure_id(seeded_store, "001-002")).created_id
    edit_annotation(seeded_store, annotation_id, "to go, edited")
    panel.refresh()
    requests = []
    panel.removeRequested.connect(lambda *args: requests.append(args))
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert requests == []  # nothing selected yet
    click_row(panel, 0)
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert requests == [(annotation_id, 2)]
    QTest.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert requests == [(annotation_id, 2)] * 2


def test_delete_goes_to_the_panel_even_when_the_window_has_a_delete_shortcut(qtbot, panel, seeded_store):
    annotation_id = annotate(seeded_store, "to go", figure_id=figure_id(seeded_store, "001-002")).created_id
    panel.refresh()
    window_deletes, requests = [], []
    delete_figures = QAction("Delete Figures", panel, shortcut=QKeySequence(Qt.Key.Key_Delete))
    delete_figures.triggered.connect(lambda: window_deletes.append(1))
    panel.addAction(delete_figures)  # a window-wide shortcut, as a main window's Delete would be
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.removeRequested.connect(lambda *args: requests.append(args))
    panel.edit_button.setFocus()
    QTest.keyClick(panel.edit_button, Qt.Key.Key_Delete)
    assert window_deletes == [1] and requests == []  # elsewhere, the window's Delete works
    click_row(panel, 0)
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert window_deletes == [1] and requests == [(annotation_id, 1)]


def test_html_in_a_note_is_shown_literally(qtbot, panel, seeded_store):
    annotate(seeded_store, HTML_NOTE, figure_id=figure_id(seeded_store, "001-002"))
    panel.refresh()
    index = panel.table.model().index(0, 1)
    assert index.data() == "<b>bold</b> & <a href='http://x'>link</a> <img src=x> \u2026"
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    document = QTextDocument()
    document.setHtml(tooltip)
    assert document.toPlainText() == HTML_NOTE
    click_row(panel, 0)
    QTest.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert panel.edit_dialog().text_edit.toPlainText() == HTML_NOTE


def test_a_span_note_shows_its_quote_as_plain_text(qtbot, panel, seeded_store):
    with seeded_store.read() as session:
        document = session.scalars(select(Document)).first()
    annotate(seeded_store, "about these words", document_id=document.id, start=0, end=20)
    panel.refresh()
    assert shown_rows(panel)[0][0] == f"{document.file_name}[0:20]"
    click_row(panel, 0)
    QTest.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.edit_dialog()
    assert dialog.target_label.textFormat() == Qt.TextFormat.PlainText
    quote = " ".join(document.text[:20].split())
    assert dialog.target_label.text() == f"On: \u201c{quote}\u201d in {document.file_name}[0:20]"


def test_show_this_figure_follows_the_selection(qtbot, panel, seeded_store):
    first, second = figure_id(seeded_store, "001-002"), figure_id(seeded_store, "001-003")
    with seeded_store.read() as session:
        cluster_id = session.scalars(select(Cluster.id)).first()
    annotate(seeded_store, "on the first", figure_id=first)
    annotate(seeded_store, "on the second", figure_id=second)
    annotate(seeded_store, "on a cluster", cluster_id=cluster_id)
    panel.refresh()
    assert len(shown_rows(panel)) == 3

    choose(panel.show_combo, "This figure")
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text().startswith("No figure is selected.")
    panel.set_filter(figure_id=first, cluster_id=cluster_id)
    assert [row[1] for row in shown_rows(panel)] == ["on the first"]
    panel.set_filter(figure_id=second, cluster_id=cluster_id)
    assert [row[1] for row in shown_rows(panel)] == ["on the second"]
    choose(panel.show_combo, "This cluster")
    assert [row[1] for row in shown_rows(panel)] == ["on a cluster"]
    choose(panel.show_combo, "This document")
    assert panel.empty_label.text().startswith("No document is selected.")
    choose(panel.show_combo, "All annotations")
    assert len(shown_rows(panel)) == 3


def test_ask_annotation_text_opens_a_dialog_the_window_reads(qtbot, panel, seeded_store):
    dialog = ask_annotation_text(panel, "Annotate Figure", "Figure <b>001-002</b>")
    assert dialog.isVisible() and dialog.windowTitle() == "Annotate Figure"
    assert dialog.target_label.text() == "On: Figure <b>001-002</b>"
    assert not dialog.ok_button.isEnabled()
    texts = []
    dialog.accepted.connect(lambda: texts.append(dialog.text()))
    QTest.keyClicks(dialog.text_edit, "  a new note ")
    QTest.keyClick(dialog.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert texts == ["a new note"]


def test_model_passes_the_model_tester(qtmodeltester, panel, seeded_store):
    qtmodeltester.check(panel.model)
    annotate(seeded_store, HTML_NOTE, figure_id=figure_id(seeded_store, "001-002"))
    annotate(seeded_store, "second", figure_id=figure_id(seeded_store, "001-003"))
    panel.refresh()
    qtmodeltester.check(panel.model)
    assert [view.id for view in (panel.model.index(r, 0).data(AnnotationRole) for r in range(2))] == \
        [view.id for view in list_annotations(seeded_store)]
