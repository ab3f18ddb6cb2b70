"""The charts: one unit per axis, readable scales, conflicts and disputes marked, clicks and hovers linked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from gui.chart_data import MAX_BARS, MAX_SERIES, build_chart
from gui.charts import ChartsPanel
from tests.gui.helpers import click_tree_node, selected_table_ids, table_rows
from tests.gui.rows import figure


def _revenues():
    return [
        figure(1, "New energy", "Guangdong", "2024", "1100000000000", "yuan", "A", "1.1 trillion yuan"),
        figure(2, "Automobiles", "Guangdong", "2024", "1000000000000", "yuan", "A", "1 trillion yuan"),
        figure(3, "Automobiles", "Guangdong", "2024", "137970000000", "US$", "B", "$137.97 billion"),
        figure(4, "New energy", "Guangdong", "2023", "900000000000", "yuan", "C", "900 billion yuan"),
        figure(5, "Automobiles", "Guangdong", "2024", "1200000000000", "yuan", "C", "1.2 trillion yuan",
               status="disputed"),
    ]


def test_one_unit_per_axis_and_the_others_are_counted_not_drawn():
    data = build_chart("Operating revenue", _revenues())
    drawn = {i for bar in data.bars for i in bar.ids}
    assert drawn == {1, 2, 4, 5}
    assert data.axis_label == "trillion yuan"
    assert any("1 in US$" in note for note in data.notes)


def test_money_is_scaled_to_the_word_the_text_uses_and_shares_become_percent():
    data = build_chart("Revenue", [figure(1, "X", "Guangdong", "2024", "535000000000", "yuan", "A", "535 billion yuan")])
    assert data.axis_label == "billion yuan" and data.bars[0].value == 535
    share = build_chart("Share", [figure(1, "X", "Guangdong", "2024", "1/3", "share", "A", "one out of every three")])
    assert share.axis_label == "%" and abs(share.bars[0].value - 100 / 3) < 1e-9


def test_a_bar_whose_sources_disagree_is_marked_and_keeps_every_figure():
    data = build_chart("Operating revenue", _revenues())
    autos = next(bar for bar in data.bars if bar.label == "Automobiles \u00b7 2024")
    assert sorted(autos.ids) == [2, 5] and autos.conflict and autos.disputed
    assert autos.value == 1.2  # the larger stated value, with the smaller one in the tooltip
    assert "1.2 trillion yuan" in autos.tooltip and "1 trillion yuan" in autos.tooltip
    assert [bar.label for bar in data.bars][0] == "Automobiles \u00b7 2024"  # largest first
    new_energy_2024 = next(bar for bar in data.bars if bar.label == "New energy \u00b7 2024")
    assert not new_energy_2024.conflict and not new_energy_2024.disputed


def test_many_bars_and_series_are_capped_with_a_note():
    rows = [figure(i, f"Cluster {i:03}", "Guangdong", "2024", str(1000 + i), "sets", "A", f"{1000 + i} sets")
            for i in range(MAX_BARS + 5)]
    data = build_chart("Output", rows)
    assert len(data.bars) == MAX_BARS and data.bars[0].label.startswith("Cluster 044")
    assert len(data.series) == MAX_SERIES
    assert any(f"The {MAX_BARS} largest of {MAX_BARS + 5}" in note for note in data.notes)
    assert any("5 more" in note or "37 more" in note for note in data.notes)


def test_trend_points_sit_in_the_middle_of_their_period():
    data = build_chart("Operating revenue", _revenues())
    new_energy = next(series for series in data.series if series.label == "New energy")
    assert [(p.x, p.id) for p in new_energy.points] == [(2023.5, 4), (2024.5, 1)]


def test_hover_text_is_escaped_never_read_as_markup(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    hostile = '<img src="http://example.invalid/x.png"><b>Bold</b>'
    panel.set_data("Revenue", "money", [figure(1, hostile, "Guangdong", "2024", "5", "yuan", "A", "<a href=x>5</a>")])
    tip = panel.bar_tooltip(0)
    assert "<img" not in tip and "<b>" not in tip and "<a href" not in tip
    document = QTextDocument()
    document.setHtml(tip)
    assert hostile in document.toPlainText() and "<a href=x>5</a>" in document.toPlainText()


def test_no_value_shows_the_empty_state_with_the_reason(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.set_data("Revenue", "money", [])
    assert panel.stack.currentWidget() is panel.empty_label
    assert "Revenue" in panel.empty_label.text()
    assert panel.bar_figure_ids() == []


def test_selection_repaints_without_emitting(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.set_data("Operating revenue", "money", _revenues())
    with qtbot.assertNotEmitted(panel.figuresClicked):
        panel.set_selected({4})
    assert panel.highlighted_ids() == {4}
    panel.set_selected({3})  # the US$ figure is not drawn, so nothing shows it
    assert panel.highlighted_ids() == set()


def test_clicking_a_trend_point_selects_its_row_and_its_span(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    plot = window.charts.trend_plot()
    scatter = window.charts._scatter
    assert scatter is not None, "the seeded metric has dated figures"
    spot = scatter.points()[0]
    view = plot.getPlotItem().getViewBox()
    where = plot.mapFromScene(view.mapViewToScene(spot.pos()))
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    clicked = int(spot.data())
    qtbot.waitUntil(lambda: clicked in selected_table_ids(window))
    assert clicked in window.document_view.strong_ids()
    assert clicked in window.charts.highlighted_ids()
    assert any(row["id"] == clicked for row in table_rows(window))


def test_charts_follow_the_filter_once_typing_pauses(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    QTest.keyClicks(window.figures_panel.filter_edit, "robot")
    qtbot.waitUntil(lambda: 0 < window.figures_panel.model.rowCount() < 151, timeout=3000)
    table_ids = {r["id"] for r in table_rows(window)}
    qtbot.waitUntil(lambda: {i for ids in window.charts.bar_figure_ids() for i in ids} <= table_ids, timeout=3000)
    assert window.charts.bar_figure_ids()


def test_a_chart_update_leaves_no_range_to_work_out_in_the_paint(qtbot):
    """The ranges set_data settles are the ones painted: nothing changes when the plots paint."""
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 320)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_data("Operating revenue", "money", _revenues())  # the first data shows the plots: sizes change
    qtbot.wait(10)
    for rows in (_revenues()[:2], _revenues(), _revenues()[1:], _revenues()):
        panel.set_data("Operating revenue", "money", rows)
        views = [plot.getPlotItem().getViewBox() for plot in (panel.comparison_plot(), panel.trend_plot())]
        before = [view.viewRange() for view in views]
        for plot in (panel.comparison_plot(), panel.trend_plot()):
            plot.viewport().repaint()
        qtbot.wait(10)
        assert [view.viewRange() for view in views] == before


def test_captions_keep_their_tallest_height_at_a_width(qtbot):
    """A shorter note does not resize the plots (and a wider panel measures afresh)."""
    from gui.charts import SteadyLabel

    label = SteadyLabel()
    qtbot.addWidget(label)
    label.setWordWrap(True)
    label.setText("word " * 60)
    tall = label.heightForWidth(200)
    label.setText("word")
    assert label.heightForWidth(200) == tall
    assert label.heightForWidth(2000) < tall
