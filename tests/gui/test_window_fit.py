"""Room for names: a larger window is shared among the panes and the table's columns, names are whole
where they fit, and a cut name is whole in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from gui.views.figures_model import COLUMN_INDEX
from tests.gui.helpers import table_rows


def _sizes(window) -> dict[str, int]:
    table = window.figures_panel.table
    return {"tree": window.tree_dock.width(), "document": window.document_dock.width(),
            "charts": window.charts_dock.height(), "metric": table.columnWidth(COLUMN_INDEX["metric"]),
            "cluster": table.columnWidth(COLUMN_INDEX["cluster"])}


def _resize(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    qtbot.wait(50)


def test_panes_and_name_columns_share_a_larger_window(qtbot, window):
    _resize(qtbot, window, 1280, 800)
    small = _sizes(window)
    _resize(qtbot, window, 1920, 1080)
    large = _sizes(window)
    assert all(large[key] > small[key] for key in ("tree", "document", "charts", "metric")), (small, large)
    assert large["cluster"] >= small["cluster"]  # the metric is widened first, then the cluster
    # at 1920 the selected row's metric is whole in its column
    table = window.figures_panel.table
    metric = table_rows(window)[0].metric_name
    assert table.fontMetrics().horizontalAdvance(metric) < table.columnWidth(COLUMN_INDEX["metric"])
    _resize(qtbot, window, 1280, 800)
    back = _sizes(window)
    assert all(abs(back[key] - small[key]) <= 0.1 * small[key] for key in small), (small, back)


def test_a_column_sized_by_hand_keeps_its_share(qtbot, window):
    _resize(qtbot, window, 1280, 800)
    table = window.figures_panel.table
    column = COLUMN_INDEX["entity"]
    table.horizontalHeader().resizeSection(column, 200)  # what dragging the header's edge does
    before = table.viewport().width()
    _resize(qtbot, window, 1920, 1080)
    grown = table.columnWidth(column)
    assert grown > 200 and abs(grown / 200 - table.viewport().width() / before) < 0.05


def test_tree_names_metric_box_are_whole_at_1280_and_cut_names_have_tooltips(qtbot, window):
    _resize(qtbot, window, 1280, 800)
    view = window.tree_panel.view
    proxy, model = window.tree_panel.proxy, window.tree_panel.model
    index = proxy.mapFromSource(model.index_of("grouping", "strategic20"))
    name = index.data()
    assert name.startswith("20 strategic industry")
    font = QFont(view.font())
    font.setBold(True)
    assert QFontMetrics(font).horizontalAdvance(name) + 8 <= view.visualRect(index).width(), name
    combo = window.metric_combo
    assert combo.fontMetrics().horizontalAdvance(combo.currentText()) + 24 <= combo.width()
    assert combo.currentText() in _plain(combo.toolTip())
    chooser = window.document_view.chooser
    assert chooser.currentText() and chooser.currentText() in _plain(chooser.toolTip())
    widest = max(chooser.fontMetrics().horizontalAdvance(chooser.itemText(i)) for i in range(chooser.count()))
    assert chooser.view().minimumWidth() >= widest  # the list shows every title whole
    assert _plain(chooser.itemData(0, Qt.ItemDataRole.ToolTipRole)) == chooser.itemText(0)


def _plain(tooltip: str) -> str:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def test_a_cut_cell_names_its_row_whole_in_the_tooltip(qtbot, window):
    from PySide6.QtGui import QTextDocument

    _resize(qtbot, window, 1280, 800)
    table = window.figures_panel.table
    row = table_rows(window)[0]
    tip = QTextDocument()
    tip.setHtml(table.model().index(0, COLUMN_INDEX["cluster"]).data(Qt.ItemDataRole.ToolTipRole))
    for name in (row.metric_name, row.cluster_name, row.entity_name, row.doc_title):
        assert name in tip.toPlainText()


def test_a_long_chart_title_never_pushes_the_chart_out_of_its_pane(qtbot, window):
    """pyqtgraph made the title's width the plot's minimum: at 1280 px the comparison plot was wider
    than its pane, and its longest bar and the end of its axis were cut off."""
    _resize(qtbot, window, 1280, 800)
    for plot in (window.charts.comparison_plot(), window.charts.trend_plot()):
        item = plot.getPlotItem()
        qtbot.waitUntil(lambda: item.size().width() <= plot.viewport().width() + 1)
        shown = item.titleLabel.item.toPlainText()
        assert shown == window.charts._plot_title(shown.split(":")[0]) or ":" not in shown
    _resize(qtbot, window, 1920, 1080)
    assert ":" in window.charts.trend_plot().getPlotItem().titleLabel.item.toPlainText()  # room: the whole title


def test_a_chooser_filled_item_by_item_is_measured_once_after_the_last(qtbot):
    # A big store fills the document chooser with thousands of addItem calls; measuring every item
    # on each one made opening it quadratic. The items are measured once the filling is over.
    from PySide6.QtWidgets import QComboBox

    from gui.window.window_fit import name_whole

    combo = QComboBox()
    qtbot.addWidget(combo)
    name_whole(combo, "The document shown")
    measured = []
    original = combo.fontMetrics

    def counting_metrics():
        measured.append(1)
        return original()

    combo.fontMetrics = counting_metrics
    for n in range(300):
        combo.addItem(f"Document number {n} with a title long enough to be measured")
    assert not measured  # nothing measured while items keep arriving
    qtbot.waitUntil(lambda: combo.view().minimumWidth() > 200)
    assert len(measured) <= combo.count() + 1  # each item once, not once per item added
    assert _plain(combo.itemData(299, Qt.ItemDataRole.ToolTipRole)) == combo.itemText(299)
