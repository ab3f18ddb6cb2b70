"""The Conflicts view on the real seeded store, driven as a user would: clicks, typing, the Resolve dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from sqlalchemy import func, select

import gui.views.conflicts as conflicts_view
from gui.views.conflicts import COLUMNS, EMPTY_MESSAGE, ConflictsView, IdsRole
from gui.views.pivot_data import tooltip_html
from store.curation.figures import FigureDraft, add_document, add_figure
from store.errors import StoreError
from store.models import Action, Document, Figure
from store.workspace import Workspace
from tests.seed_conflicts import GZ_2024, GZ_2025, restate_exactly
from tests.seed_conflicts import JOURNALISTS as JOURNALISTS_IDS

GZ = "Added value \u00b7 Guangzhou \u00b7 Guangzhou core digital economy industries"
JOURNALISTS = ("Participants (people or organisations) \u00b7 Guangdong delegation open day, NPC 2025 \u00b7 \u2014 "
               "\u00b7 Mar 2025 \u2014 2 figures, 2 values")
LABELS = [f"{GZ} \u00b7 2024 \u2014 3 figures, 2 values", f"{GZ} \u00b7 2025 \u2014 3 figures, 2 values", JOURNALISTS]
J = LABELS.index(JOURNALISTS)
SHARES = [16, 219, 17, 220]  # seed 000's over 50% and over 30%, the work report's 56.2% and 34.7% (seed 005)
KEPT, OTHER = 50, 54  # 267 journalists, nearly 270 journalists
VALUE, STATUS, SOURCE, QUOTE, OFFSETS = range(len(COLUMNS))


@pytest.fixture
def workspace(seeded_store) -> Workspace:
    restate_exactly(seeded_store)  # the seeds as loaded hold no conflict: tests.seed_conflicts
    return Workspace.load(seeded_store)


@pytest.fixture
def view(qtbot, workspace):
    widget = ConflictsView()
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.set_store(workspace)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def group_labels(view) -> list[str]:
    return [view.model.index(g, 0).data() for g in range(view.model.rowCount())]


def children(view, group: int) -> list[list[str]]:
    parent = view.model.index(group, 0)
    return [[view.model.index(r, c, parent).data() for c in range(len(COLUMNS))]
            for r in range(view.model.rowCount(parent))]


def click(view, index) -> None:
    view.tree.scrollTo(index)
    QTest.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.tree.visualRect(index).center())


def click_figure(view, figure_id: int, column: int = VALUE) -> None:
    click(view, view.model.index_of_figure(figure_id).siblingAtColumn(column))


def plain(tooltip: str) -> str:
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def open_dialog(qtbot, view):
    QTest.mouseClick(view.resolve_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_shows_each_conflict_with_its_figures_and_exact_quotes(view, seeded_store):
    assert view.stack.currentWidget() is view.tree
    assert view.count_label.text() == f"{len(LABELS)} conflicts"
    assert group_labels(view) == LABELS
    assert all(view.tree.isExpanded(view.model.index(g, 0)) for g in range(len(LABELS)))
    assert [row[VALUE] for row in children(view, 0)] == [
        "4 trillion yuan", "4.4703 trillion yuan", "4.4703 trillion yuan"]
    assert [row[QUOTE] for row in children(view, 1)] == [
        "\u7a81\u7834 5000\u4ebf\u5143", "Exceeding 5000", "5000 billion yuan"]
    assert children(view, J) == [
        ["267 journalists", "verified", "Industry clusters power province's progress; Guangdong's efforts fueling "
         "widespread innovation", "267 journalists", "001_a1eeaa708860a3d1.txt[865:880]"],
        ["270 journalists", "verified", "Industry clusters power province's progress; Guangdong's efforts fueling "
         "widespread innovation", "Nearly 270 journalists", "001_a1eeaa708860a3d1.txt[1494:1516]"],
    ]
    # Every quote is exactly the span of its document that the offsets name.
    with seeded_store.read() as session:
        for g in range(len(LABELS)):
            parent = view.model.index(g, 0)
            for r in range(view.model.rowCount(parent)):
                row = view.model.index(r, 0, parent).data(conflicts_view.RowRole)
                text = session.get(Document, row.document_id).text
                assert text[row.start:row.end] == view.model.index(r, QUOTE, parent).data()


def test_models_pass_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(view.model)
    empty = conflicts_view.ConflictsModel()
    qtmodeltester.check(empty)


def test_clicking_a_figure_emits_its_id_and_a_group_all_its_ids(qtbot, view):
    with qtbot.waitSignal(view.figuresClicked) as blocker:
        click_figure(view, OTHER, QUOTE)
    assert blocker.args == [[OTHER]]
    assert view.resolve_button.isEnabled()
    with qtbot.waitSignal(view.figuresClicked) as blocker:
        click(view, view.model.index(0, 0))
    assert blocker.args == [[104, 105, 114]]


def test_select_figures_selects_without_emitting(qtbot, view):
    assert not view.resolve_button.isEnabled()
    with qtbot.assertNotEmitted(view.figuresClicked):
        view.select_figures([KEPT])
    assert view.selected_ids() == [KEPT]
    assert view.tree.currentIndex() == view.model.index_of_figure(KEPT)
    assert view.resolve_button.isEnabled()
    with qtbot.assertNotEmitted(view.figuresClicked):
        view.select_figures([104, 105, 114])  # a whole conflict selects its group row
    assert view.tree.selectionModel().selectedRows() == [view.model.index(0, 0)]
    view.select_figures([])
    assert not view.resolve_button.isEnabled()


def test_resolving_the_journalists_conflict_writes_one_action(qtbot, view, seeded_store):
    click_figure(view, KEPT)
    dialog = open_dialog(qtbot, view)
    assert dialog.keep_id() == KEPT  # the selected figure is offered as the one to keep
    assert dialog.status_combo.currentData() == "superseded"
    assert "\u201cNearly 270 journalists\u201d" in dialog.quote_labels[OTHER].text()
    QTest.keyClicks(dialog.reason_edit, "The later paragraph rounds the count")
    with seeded_store.read() as session:
        actions_before = session.scalar(select(func.count(Action.id)))
    with qtbot.waitSignal(view.resolved) as blocker:
        QTest.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    with seeded_store.read() as session:
        assert session.scalar(select(func.count(Action.id))) == actions_before + 1
        assert session.scalar(select(func.max(Action.id))) == blocker.args[0].action_id
        kept, other = session.get(Figure, KEPT), session.get(Figure, OTHER)
        assert (kept.status, other.status) == ("verified", "superseded")
        assert other.superseded_by_id == KEPT
        assert other.status_reason == "The later paragraph rounds the count"
    assert group_labels(view) == LABELS[:J]
    assert view.count_label.text() == f"{len(LABELS) - 1} conflicts"
    assert not view.resolve_button.isEnabled()


def test_ok_is_disabled_until_a_figure_is_kept_and_a_reason_given(qtbot, view):
    click(view, view.model.index(J, 0))  # the group row: no figure is preselected
    dialog = open_dialog(qtbot, view)
    assert dialog.keep_id() is None
    QTest.keyClicks(dialog.reason_edit, "   ")
    assert not dialog.ok_button().isEnabled()
    QTest.mouseClick(dialog.radio(OTHER), Qt.MouseButton.LeftButton)
    assert dialog.keep_id() == OTHER
    assert not dialog.ok_button().isEnabled()  # a blank reason is no reason
    QTest.keyClicks(dialog.reason_edit, "typo")
    assert dialog.ok_button().isEnabled()
    dialog.reason_edit.clear()
    assert not dialog.ok_button().isEnabled()
    with qtbot.assertNotEmitted(view.resolved):
        dialog.accept()  # the same rule holds when accept() is called directly
    assert dialog.isVisible()
    dialog.reject()


def test_an_html_looking_quote_is_shown_as_plain_text(qtbot, view, workspace):
    text = "At the open day, <b>280</b> journalists & <i>crews</i> came."
    quote = "<b>280</b> journalists & <i>crews</i>"
    document_id = workspace.write(add_document, text, "Open day <script>alert(1)</script>").created_id
    start = text.index(quote)
    figure_id = workspace.write(add_figure, FigureDraft(
        document_id, start, start + len(quote), "280", "journalists",
        metric="Participants (people or organisations)", entity="Guangdong delegation open day, NPC 2025",
        period="2025-03")).first_created("figures")
    view.refresh()
    index = view.model.index_of_figure(figure_id)
    assert group_labels(view)[J].endswith("3 figures, 3 values")
    assert index.siblingAtColumn(QUOTE).data() == quote
    assert index.siblingAtColumn(SOURCE).data() == "Open day <script>alert(1)</script>"
    tooltip = index.siblingAtColumn(QUOTE).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;280&lt;/b&gt;" in tooltip and "<b>" not in tooltip
    assert tooltip.startswith(tooltip_html("280 journalists (candidate)")[:-len("</p>")])
    assert quote in plain(tooltip)  # what the reader sees: the raw text, not bold
    click_figure(view, figure_id)
    dialog = open_dialog(qtbot, view)
    label = dialog.quote_labels[figure_id]
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert quote in label.text()
    assert "Open day <script>alert(1)</script>" in label.text()
    assert dialog.radio(figure_id).text() == "280 journalists"
    dialog.reject()


def test_a_store_error_is_reported_not_raised(qtbot, view, monkeypatch):
    def refuse(*_args):
        raise StoreError("figure 54 was changed by someone since you opened it")
    monkeypatch.setattr("store.curation.figures.resolve_conflict", refuse)  # the view imports it on use
    view.select_figures([KEPT])
    dialog = view.resolve_dialog()
    dialog.reason_edit.setText("rounded")
    with qtbot.assertNotEmitted(view.resolved), qtbot.waitSignal(view.failed) as blocker:
        dialog.accept()
    assert blocker.args == ["figure 54 was changed by someone since you opened it"]
    assert view.count_label.text() == f"{len(LABELS)} conflicts"


def test_empty_state_once_every_conflict_is_resolved(qtbot, view, seeded_store):
    # Disputed figures still count as stated (store.query.conflicts): only rejecting or superseding ends a conflict.
    for keep, status in ((105, "rejected"), (121, "superseded"), (KEPT, "superseded")):
        view.select_figures([keep])
        dialog = view.resolve_dialog()
        dialog.set_status(status)
        dialog.reason_edit.setText("checked against the source")
        with qtbot.waitSignal(view.resolved):
            dialog.accept()
    assert view.model.rowCount() == 0
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text() == EMPTY_MESSAGE
    assert view.count_label.text() == "0 conflicts"
    assert not view.resolve_button.isEnabled()
    assert view.resolve_dialog() is None
    with seeded_store.read() as session:
        assert [session.get(Figure, i).status for i in (104, 105, 114)] == ["rejected", "verified", "rejected"]
        assert [session.get(Figure, i).superseded_by_id for i in (109, 115)] == [121, 121]


def test_group_rows_carry_every_id(view):
    assert [view.model.index(g, 0).data(IdsRole) for g in range(len(LABELS))] == [
        GZ_2024, GZ_2025, JOURNALISTS_IDS]


def test_a_bound_and_a_value_on_its_side_are_no_conflict(view):
    """Seed 000's 'over 50%' and 'over 30%' only coarsen the work report's 56.2% and 34.7% (lineage: `rounds`)."""
    assert view.count_label.text() == "3 conflicts"
    assert not any(view.model.index_of_figure(figure_id).isValid() for figure_id in SHARES)
