"""The pivot, driven as a user would: one metric, clusters or entities by period, conflicts marked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from gui.views.pivot import EMPTY_MESSAGE, PivotModel, PivotView
from gui.views.pivot_data import build_grid
from tests.gui.rows import DOCS, figure


def sample_rows() -> list[dict]:
    """Two clusters by three periods: a conflict, an agreement, and yuan beside US$."""
    return [
        # New energy, 2024: two documents disagree (1.1 vs less than 1 trillion yuan); the second is disputed.
        figure(1, "New energy", "Guangdong", "2024", "1100000000000", "yuan", "A", "revenue of <b>1.1 trillion</b> yuan"),
        figure(2, "New energy", "Guangdong", "2024", "1000000000000", "yuan", "B", "less than 1 trillion yuan",
               status="disputed", qualifier="less than"),
        # Smart robots, 2024: two documents agree.
        figure(3, "Smart robots", "Guangdong", "2024", "535000000000", "yuan", "A", "535 billion yuan"),
        figure(4, "Smart robots", "Guangdong", "2024", "535000000000", "yuan", "B", "535 billion yuan"),
        # New energy, 2018-2024: yuan and its US$ conversion, not a conflict.
        figure(5, "New energy", "Guangdong", "2018/2024", "500000000000", "yuan", "C", "500 billion yuan"),
        figure(6, "New energy", "Guangdong", "2018/2024", "70000000000", "US$", "C", "US$70 billion"),
        # Smart robots, Jan-May 2025, stated about Shenzhen.
        figure(7, "Smart robots", "Shenzhen", "2025-01/2025-05", "120000000000", "yuan", "C", "120 billion yuan"),
    ]


@pytest.fixture
def view(qtbot):
    widget = PivotView()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.set_data("Operating revenue", sample_rows())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cell(view: PivotView, row_label: str, column_label: str):
    model = view.model()
    rows = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.index(rows.index(row_label), columns.index(column_label))


def click(view: PivotView, index) -> None:
    table = view.table()
    table.scrollTo(index)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     table.visualRect(index).center())


def headers(model, orientation) -> list[str]:
    count = model.rowCount() if orientation == Qt.Orientation.Vertical else model.columnCount()
    return [model.headerData(i, orientation) for i in range(count)]


def plain(tooltip: str) -> str:
    """What a reader sees in the tooltip: Qt renders it as rich text."""
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def test_grid_has_clusters_as_rows_and_periods_in_time_order_as_columns(view):
    model = view.model()
    assert view.stack.currentWidget() is view.table()
    assert headers(model, Qt.Orientation.Vertical) == ["New energy", "Smart robots"]
    assert headers(model, Qt.Orientation.Horizontal) == ["2018\u20132024", "2024", "Jan\u2013May 2025"]
    assert cell(view, "New energy", "Jan\u2013May 2025").data() is None
    assert cell(view, "Smart robots", "Jan\u2013May 2025").data() == "120 billion yuan"
    assert cell(view, "Smart robots", "Jan\u2013May 2025").data(PivotModel.FiguresRole) == [7]
    assert cell(view, "Smart robots", "Jan\u2013May 2025").data(PivotModel.SortRole) == 120e9
    assert plain(model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)) == "New energy"
    assert view.title.text() == "Operating revenue"


def test_a_period_less_column_comes_last(qtbot):
    rows = sample_rows() + [figure(8, "New energy", "Guangdong", "", "9", "yuan", "A", "9 yuan")]
    grid = build_grid(rows)
    assert grid.column_labels == ["2018\u20132024", "2024", "Jan\u2013May 2025", "No period"]


def test_disagreeing_sources_are_a_conflict_with_both_values_and_both_quotes_as_plain_text(view):
    index = cell(view, "New energy", "2024")
    assert index.data() == "\u26a0 1.1 trillion yuan / 1 trillion yuan"
    assert index.data(PivotModel.ConflictRole) is True
    assert index.data(PivotModel.FiguresRole) == [1, 2]
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;1.1 trillion&lt;/b&gt;" in tooltip and "<b>1.1" not in tooltip
    shown = plain(tooltip)
    assert "revenue of <b>1.1 trillion</b> yuan" in shown  # the markup is shown, not interpreted
    assert "less than 1 trillion yuan" in shown
    assert DOCS["A"] in shown and DOCS["B"] in shown
    assert "1 trillion yuan (less than)" in shown and "disputed" in shown
    assert index.data(Qt.ItemDataRole.FontRole).italic()  # a disputed figure is in the cell


def test_a_bound_beside_a_value_on_its_side_is_no_conflict(view):
    rows = sample_rows()
    rows[1] = figure(2, "New energy", "Guangdong", "2024", "1000000000000", "yuan", "B", "over 1 trillion yuan",
                     qualifier="over")  # 1.1 trillion is over 1 trillion
    view.set_data("Operating revenue", rows)
    index = cell(view, "New energy", "2024")
    assert index.data(PivotModel.FiguresRole) == [1, 2]
    assert index.data(PivotModel.ConflictRole) is False
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None


def test_agreeing_sources_show_the_value_once_and_say_how_many_documents(view):
    index = cell(view, "Smart robots", "2024")
    assert index.data() == "535 billion yuan"
    assert index.data(PivotModel.ConflictRole) is False
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    assert index.data(Qt.ItemDataRole.FontRole) is None
    assert "stated by 2 documents" in plain(index.data(Qt.ItemDataRole.ToolTipRole)).lower()


def test_yuan_beside_us_dollars_is_not_a_conflict(view):
    index = cell(view, "New energy", "2018\u20132024")
    assert index.data() == "500 billion yuan / US$70 billion"
    assert index.data(PivotModel.ConflictRole) is False
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None


def test_clicking_a_cell_emits_its_figures(qtbot, view):
    index = cell(view, "New energy", "2024")
    with qtbot.waitSignal(view.figuresClicked, timeout=1000) as blocker:
        click(view, index)
    assert blocker.args == [[1, 2]]
    assert view.table().selectionModel().isSelected(index)


def test_enter_on_a_cell_emits_its_figures_once(qtbot, view):
    index = cell(view, "Smart robots", "2024")
    view.table().setFocus()
    view.table().setCurrentIndex(index)
    emitted = []
    view.figuresClicked.connect(emitted.append)
    QTest.keyClick(view.table(), Qt.Key.Key_Return)
    assert emitted == [[3, 4]]


def test_clicking_an_empty_cell_emits_nothing(qtbot, view):
    emitted = []
    view.figuresClicked.connect(emitted.append)
    click(view, cell(view, "New energy", "Jan\u2013May 2025"))
    assert emitted == []


def test_set_selected_selects_the_cell_without_emitting(qtbot, view):
    emitted = []
    view.figuresClicked.connect(emitted.append)
    view.set_selected({6})
    selected = view.table().selectionModel().selectedIndexes()
    assert selected == [cell(view, "New energy", "2018\u20132024")]
    assert view.table().currentIndex() == selected[0]
    view.set_selected({7, 3})
    assert sorted((i.row(), i.column()) for i in view.table().selectionModel().selectedIndexes()) == sorted(
        (i.row(), i.column()) for i in (cell(view, "Smart robots", "2024"), cell(view, "Smart robots", "Jan\u2013May 2025")))
    view.set_selected(set())
    assert view.table().selectionModel().selectedIndexes() == []
    qtbot.wait(10)
    assert emitted == []


def test_switching_rows_to_entities_regroups_and_keeps_the_selection(qtbot, view):
    view.set_selected({7})
    view.rows_combo.setCurrentIndex(view.rows_combo.findText("Entities"))
    model = view.model()
    assert model.by == "entity"
    assert headers(model, Qt.Orientation.Vertical) == ["Guangdong", "Shenzhen"]
    assert cell(view, "Guangdong", "2024").data(PivotModel.FiguresRole) == [1, 2, 3, 4]
    assert cell(view, "Guangdong", "Jan\u2013May 2025").data() is None
    assert view.table().selectionModel().selectedIndexes() == [cell(view, "Shenzhen", "Jan\u2013May 2025")]
    view.rows_combo.setCurrentIndex(view.rows_combo.findText("Clusters"))
    assert headers(model, Qt.Orientation.Vertical) == ["New energy", "Smart robots"]


def test_whole_entity_figures_get_the_entity_name_beside_clusters(qtbot):
    rows = sample_rows() + [figure(9, None, "Guangdong", "2024", "14000000000000", "yuan", "A", "14 trillion yuan")]
    assert build_grid(rows, "auto").row_labels == ["New energy", "Smart robots", "Guangdong"]
    assert build_grid(rows, "cluster").row_labels == ["New energy", "Smart robots", "No cluster"]
    with pytest.raises(ValueError):
        build_grid(rows, "metric")


def test_clicking_a_period_header_sorts_rows_by_value(qtbot, view):
    model = view.model()
    header = view.table().horizontalHeader()
    column = headers(model, Qt.Orientation.Horizontal).index("2024")
    view.set_selected({3})
    header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
    assert headers(model, Qt.Orientation.Vertical) == ["Smart robots", "New energy"]  # 535 billion < 1.1 trillion
    assert view.table().selectionModel().selectedIndexes() == [cell(view, "Smart robots", "2024")]
    header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    assert headers(model, Qt.Orientation.Vertical) == ["New energy", "Smart robots"]
    column = headers(model, Qt.Orientation.Horizontal).index("2018\u20132024")
    header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
    assert headers(model, Qt.Orientation.Vertical) == ["New energy", "Smart robots"]  # the empty cell sorts last
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert headers(model, Qt.Orientation.Vertical) == ["New energy", "Smart robots"]
    header.setSortIndicator(headers(model, Qt.Orientation.Horizontal).index("2024"), Qt.SortOrder.AscendingOrder)
    view.set_data("Another metric", sample_rows())  # other periods: the sort by column is dropped
    assert header.sortIndicatorSection() == -1
    assert headers(model, Qt.Orientation.Vertical) == ["New energy", "Smart robots"]


def test_model_passes_the_model_tester_empty_filled_and_reset(qtmodeltester):
    model = PivotModel()
    qtmodeltester.check(model)
    model.set_rows(sample_rows())
    qtmodeltester.check(model)
    model.set_rows(sample_rows()[:3], by="entity")
    assert model.rowCount() == 1
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_rows([])
    assert (model.rowCount(), model.columnCount()) == (0, 0)
    qtmodeltester.check(model)


def test_no_rows_show_a_friendly_message(qtbot, view):
    view.set_data("Operating revenue", [])
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text() == EMPTY_MESSAGE
    assert view.empty_label.textFormat() == Qt.TextFormat.PlainText
    view.clear("No figures in this selection. Choose a cluster in the tree.")
    assert view.empty_label.text() == "No figures in this selection. Choose a cluster in the tree."
    assert view.model().rowCount() == 0
    view.set_data("Operating revenue", sample_rows())
    assert view.stack.currentWidget() is view.table()


def test_copy_in_the_pivot_gives_cells_with_row_and_period_headers(qtbot, window):
    from PySide6.QtGui import QGuiApplication

    from tests.gui.helpers import click_tree_node

    click_tree_node(qtbot, window, "grouping", "tier_trillion")
    window.tabs.setCurrentWidget(window.pivot)
    table = window.pivot.table()
    table.selectAll()
    QTest.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    model = window.pivot.model()
    assert lines[0].split("\t")[0] == "Cluster or entity"
    assert lines[0].split("\t")[1:] == [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert len(lines) == model.rowCount() + 1
    assert lines[1].split("\t")[1:] == [model.index(0, c).data() or "" for c in range(model.columnCount())]
