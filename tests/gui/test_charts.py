"""The charts: one unit per axis, readable scales, conflicts and disputes marked, clicks and hovers linked."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from gui.views.chart_data import MAX_BARS, MAX_SERIES, build_chart
from gui.views.charts import ChartsPanel
from tests.gui.helpers import click_tree_node, selected_table_ids, table_rows
from tests.gui.rows import figure
from tests.seed_counts import SEED_FIGURES


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
    assert any(row.id == clicked for row in table_rows(window))


def test_charts_follow_the_filter_once_typing_pauses(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    QTest.keyClicks(window.figures_panel.filter_edit, "robot")
    qtbot.waitUntil(lambda: 0 < window.figures_panel.model.rowCount() < SEED_FIGURES, timeout=3000)
    table_ids = {r.id for r in table_rows(window)}
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
    from gui.views.charts import SteadyLabel

    label = SteadyLabel()
    qtbot.addWidget(label)
    label.setWordWrap(True)
    label.setText("word " * 60)
    tall = label.heightForWidth(200)
    label.setText("word")
    assert label.heightForWidth(200) == tall
    assert label.heightForWidth(2000) < tall


# --- charts worth saving (issue 16) -----------------------------------------------------------

LONG = "Guangzhou core digital economy industries"


def _long_labels():
    return [
        figure(1, LONG, "Guangzhou", "2024", "1100000000000", "yuan", "A", "1.1 trillion yuan"),
        figure(2, LONG, "Guangzhou", "2023", "4000000", "yuan", "C", "4 million yuan", status="disputed"),
        figure(3, LONG, "Guangzhou", "2025-01/2025-05", "900000000000", "yuan", "B", "900 billion yuan"),
        figure(4, LONG, "Guangzhou", "2024", "1000000000000", "yuan", "B", "1 trillion yuan"),
        figure(6, "Autos", "Guangdong", "2024", "200000000000", "yuan", "B", "200 billion yuan"),
    ]


def _dark():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    return palette


def _shown_panel(qtbot, rows, palette=None):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    if palette is not None:
        panel.setPalette(palette)
    panel.resize(1000, 360)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_data("Operating revenue", "money", rows)
    qtbot.wait(10)
    return panel


def test_long_labels_are_cut_in_the_middle_keep_their_period_and_stay_distinct(qtbot):
    from gui.views.charts import MAX_LABEL_CHARS

    panel = _shown_panel(qtbot, _long_labels())
    shown = panel._bar_axis.tickStrings([float(i) for i in range(len(panel.chart_data().bars))], 1, 1)
    assert len(set(shown)) == len(shown) == 4
    assert all(len(label) <= MAX_LABEL_CHARS for label in shown)
    assert {label.rsplit(" \u00b7 ", 1)[1] for label in shown} == {"2024", "2023", "Jan\u2013May 2025"}
    assert all("\u2026" in label for label in shown if label.startswith("Guangzhou"))
    index = next(n for n, label in enumerate(shown) if label.endswith("2024") and "Guangzhou" in label)
    assert f"{LONG} \u00b7 2024" in panel.bar_tooltip(index)  # the whole label on hover


def test_ticks_are_written_in_words_never_in_exponents():
    from gui.views.chart_data import axis_scale, tick_text
    from gui.views.charts import ValueAxis

    assert tick_text(4e6, 1e6) == "4,000,000" and tick_text(0.25, 0.05) == "0.25" and tick_text(2.5, 0.5) == "2.5"
    axis = ValueAxis("left")
    assert axis.tickStrings([0.0, 2e6, 4e6], 1, 2e6) == ["0", "2,000,000", "4,000,000"]
    assert axis_scale("sets", [4e6]) == (1e6, "million sets")
    assert axis_scale("yuan", [5.35e11]) == (1e9, "billion yuan")
    assert axis_scale("yuan", [5.35e11], chinese=True) == (1e8, "\u4ebf yuan")
    chinese = build_chart("Revenue", [figure(1, "X", "Guangdong", "2024", "535000000000", "yuan", "A",
                                             "5350\u4ebf\u5143")])
    assert chinese.axis_label == "\u4ebf yuan" and chinese.bars[0].value == 5350


def test_a_trend_does_not_join_a_partial_year_or_a_disputed_figure(qtbot):
    data = build_chart("Operating revenue", _long_labels())
    series = next(s for s in data.series if s.label == LONG)
    # disputed 2023, two 2024 sources (one above the other, not a trend), January-May 2025: nothing joined
    assert [(p.id, p.joined) for p in series.points] == [(2, False), (1, False), (4, False), (3, False)]
    assert any("Not joined" in note for note in data.notes)
    panel = _shown_panel(qtbot, _long_labels())
    assert list(panel._lines[0].opts["connect"]) == [False, False, False, False]
    symbols = dict(zip(panel._point_ids, panel._scatter.data["symbol"]))
    assert symbols[3] == "d" and symbols[1] == "o"  # the January-May figure is marked
    joined = _shown_panel(qtbot, _revenues())  # New energy: full years 2023 and 2024, both verified
    new_energy = next(n for n, s in enumerate(joined.chart_data().series) if s.label == "New energy")
    assert list(joined._lines[new_energy].opts["connect"]) == [True, False]


def test_values_spanning_orders_of_magnitude_get_a_log_axis(qtbot):
    panel = _shown_panel(qtbot, _long_labels())
    assert panel.chart_data().log_scale
    axis = panel.comparison_plot().getPlotItem().getAxis("bottom")
    assert "log scale" in axis.label.toPlainText()
    ticks = [text for _spacing, values in axis.tickValues(-6, 0.1, 600) for text in axis.tickStrings(values, 1, 1)]
    assert "0.001" in ticks and "1" in ticks
    even = _shown_panel(qtbot, _revenues())
    assert not even.chart_data().log_scale
    assert "log" not in even.comparison_plot().getPlotItem().getAxis("bottom").label.toPlainText()


def test_title_legend_and_source_line_are_shown(qtbot):
    panel = _shown_panel(qtbot, _revenues())
    assert panel.title_text() == "Operating revenue (trillion yuan)"
    assert panel.comparison_plot().getPlotItem().titleLabel.item.toPlainText().strip() == \
        "Comparison: Operating revenue (trillion yuan)"
    assert panel.source_text().startswith("Sources: ") and "A decade of growth" in panel.source_text()
    assert panel.legend_items() == ["Automobiles", "New energy"]


def test_the_source_line_names_publishers_and_dates():
    from gui.views.chart_data import source_line

    rows = [replace(figure(1, "X", "Guangdong", "2024", "5", "yuan", "A", "5"), doc_publisher="China Daily",
                 doc_published="2025-03-07"),
            replace(figure(2, "Y", "Guangdong", "2024", "5", "yuan", "B", "5"),
                 doc_publisher="Unknown (web article)", doc_published="2026-01-26")]
    assert source_line(rows[:1]) == "Source: China Daily, 2025-03-07"
    assert source_line(rows) == "Sources: China Daily, 2025-03-07; Robots lead new energy, 2026-01-26"


def _pixels(image):
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, 2::-1].astype(int)  # RGB


def _orange(pixels):
    return int(((abs(pixels[:, :, 0] - 0xff) < 12) & (abs(pixels[:, :, 1] - 0x9a) < 12)
                & (abs(pixels[:, :, 2] - 0x2e) < 12)).sum())


def test_saved_charts_carry_their_title_and_source_and_leave_out_the_selection(qtbot, tmp_path):
    from pathlib import Path

    from PySide6.QtGui import QImage

    from gui.controllers.exporting import PNG_WIDTH, write_chart

    panel = _shown_panel(qtbot, _revenues())
    panel.set_selected({1})
    plain, marked = Path(tmp_path / "plain.png"), Path(tmp_path / "marked.png")
    write_chart(panel, "comparison", plain)
    write_chart(panel, "comparison", marked, highlight=True)
    image = QImage(str(plain))
    assert image.width() >= PNG_WIDTH and image.height() > 200
    assert _orange(_pixels(image)) == 0 and _orange(_pixels(QImage(str(marked)))) > 500
    assert tuple(_pixels(image)[2, 2]) == (255, 255, 255)
    assert panel.highlighted_ids() == {1}  # the window keeps its selection
    svg = tmp_path / "trend.svg"
    write_chart(panel, "trend", svg)
    text = svg.read_text(encoding="utf-8")
    assert "Operating revenue (trillion yuan)" in text and panel.source_text() in text.replace("&apos;", "'")
    assert "Automobiles" in text and "Hatched or pink" in text


def test_the_saved_svg_draws_its_axes_where_the_png_does(qtbot, tmp_path):
    """Rasterised, the SVG matches the PNG (same layout); with the axes detached, as before, it did not."""
    import numpy as np
    from PySide6.QtCore import Qt as QtCore
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from gui.controllers.exporting import write_chart

    panel = _shown_panel(qtbot, _revenues())
    for which in ("comparison", "trend"):
        png, svg = tmp_path / f"{which}.png", tmp_path / f"{which}.svg"
        write_chart(panel, which, png)
        write_chart(panel, which, svg)
        reference = QImage(str(png))
        renderer = QSvgRenderer(str(svg))
        drawn = QImage(reference.size(), QImage.Format.Format_RGB32)
        drawn.fill(QtCore.GlobalColor.white)
        painter = QPainter(drawn)
        renderer.render(painter)
        painter.end()
        block = 8  # compare at a coarse grain: fonts and antialiasing differ a little, layouts must not

        def coarse(image):
            grey = _pixels(image).mean(axis=2)
            h, w = (grey.shape[0] // block) * block, (grey.shape[1] // block) * block
            return grey[:h, :w].reshape(h // block, block, w // block, block).mean(axis=(1, 3))

        difference = np.abs(coarse(reference) - coarse(drawn))
        assert (difference > 60).mean() < 0.01, which


def test_charts_and_captions_follow_the_palette(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from gui.controllers.exporting import write_chart

    for palette, light in ((None, True), (_dark(), False)):
        panel = _shown_panel(qtbot, _revenues(), palette)
        for plot in (panel.comparison_plot(), panel.trend_plot()):
            corner = plot.grab().toImage().pixelColor(3, 3)
            assert (corner.lightness() > 200) if light else (corner.lightness() < 60)
        caption = panel._source.palette().color(panel._source.foregroundRole())
        axis_text = panel.comparison_plot().getPlotItem().getAxis("bottom").textPen().color()
        assert (caption.lightness() < 128) == light and (axis_text.lightness() < 128) == light
        write_chart(panel, "trend", tmp_path / "t.png")
        corner = QImage(str(tmp_path / "t.png")).pixelColor(2, 2)
        assert (corner.lightness() > 200) if light else (corner.lightness() < 60)
    panel.setPalette(panel.style().standardPalette())  # switched back to light: the charts follow
    assert panel.comparison_plot().grab().toImage().pixelColor(3, 3).lightness() > 200


def _drag(qtbot, plot, start, end):
    """A left-button drag on a plot's viewport, with the button held on every move (as a hand does)."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = plot.viewport()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def send(kind, where, button, buttons):
        local = QPointF(where)
        event = QMouseEvent(kind, local, viewport.mapToGlobal(local), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    send(QEvent.Type.MouseButtonPress, start, left, left)
    for step in range(1, 9):
        send(QEvent.Type.MouseMove, start + (end - start) * step / 8, none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)
    qtbot.wait(20)


def test_dragging_a_rectangle_on_either_chart_selects_those_figures_everywhere(qtbot, window):
    from PySide6.QtCore import QPointF

    click_tree_node(qtbot, window, "all", "all")
    charts = window.charts
    bars = charts.bar_figure_ids()
    assert len(bars) >= 3
    # the comparison: from the middle of the first bar down to the middle of the third
    start, end = QPointF(charts.bar_scene_center(0)), QPointF(charts.bar_scene_center(2))
    expected = set(bars[0]) | set(bars[1]) | set(bars[2])
    _drag(qtbot, charts.comparison_plot(), start - QPointF(0, 2), end + QPointF(0, 2))
    qtbot.waitUntil(lambda: set(selected_table_ids(window)) == expected)
    assert charts.highlighted_ids() == expected
    # the trend: a rectangle around the whole view selects every point drawn
    plot = charts.trend_plot()
    view = plot.getPlotItem().getViewBox()
    rect = view.sceneBoundingRect()
    corner_a = QPointF(plot.mapFromScene(rect.topLeft())) + QPointF(3, 3)
    corner_b = QPointF(plot.mapFromScene(rect.bottomRight())) - QPointF(3, 3)
    inside = set(charts._point_ids)  # every point drawn (the view keeps them off its frame)
    _drag(qtbot, plot, corner_a, corner_b)
    qtbot.waitUntil(lambda: set(selected_table_ids(window)) == inside)
    assert inside and charts.highlighted_ids() == inside


def test_a_saved_comparison_labels_every_bar_and_leaves_the_window_as_it_was(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from gui.controllers.exporting import write_chart

    rows = [figure(i, f"Cluster {i:02}", "Guangdong", "2024", str(100 + i), "sets", "A", f"{100 + i} sets")
            for i in range(24)]
    panel = _shown_panel(qtbot, rows)
    plot = panel.comparison_plot()
    view = plot.getPlotItem().getViewBox()
    before, size = view.viewRange(), plot.size()
    on_screen = [t for _s, values in panel._bar_axis.tickValues(*before[1], view.height()) for t in values]
    assert len(on_screen) < 24  # the window scrolls or thins its labels
    seen = []
    original = panel._bar_axis.tickStrings
    panel._bar_axis.tickStrings = lambda values, *rest: seen.extend(original(values, *rest)) or original(values, *rest)
    panel._bar_axis.picture = None
    write_chart(panel, "comparison", tmp_path / "bars.png")
    panel._bar_axis.tickStrings = original
    assert {f"Cluster {i:02} \u00b7 2024" for i in range(24)} <= set(seen)
    assert QImage(str(tmp_path / "bars.png")).height() > 2 * size.height()
    assert view.viewRange() == before and plot.size() == size


def test_the_wheel_scrolls_the_bars_now_that_a_drag_selects(qtbot):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    rows = [figure(i, f"Cluster {i:02}", "Guangdong", "2024", str(100 + i), "sets", "A", f"{100 + i} sets")
            for i in range(30)]
    panel = _shown_panel(qtbot, rows)
    plot = panel.comparison_plot()
    view = plot.getPlotItem().getViewBox()
    top, bottom = view.viewRange()[1]
    where = QPointF(panel.bar_scene_center(1))
    event = QWheelEvent(where, plot.viewport().mapToGlobal(where), QPoint(), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(plot.viewport(), event)
    new_top, new_bottom = view.viewRange()[1]
    assert abs((new_top - top) - 3) < 1e-6 and abs((new_bottom - bottom) - 3) < 1e-6  # three bars down, same zoom


def _choose_metric(qtbot, window, name: str) -> None:
    combo = window.metric_combo
    combo.setCurrentIndex(combo.findText(name, Qt.MatchFlag.MatchStartsWith))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: window.charts.title_text().startswith(name))


def test_the_trend_legend_fits_beside_the_lines_in_a_small_window(qtbot, window):
    window.resize(1024, 640)
    _choose_metric(qtbot, window, "Number of industrial clusters")  # 8 series with long names
    charts = window.charts
    qtbot.waitUntil(lambda: charts.trend_plot().height() > 0)
    qtbot.wait(50)
    legend, plot = charts._legend, charts.trend_plot()
    box = legend.parentWidget()
    assert legend.isVisible()
    assert not legend.geometry().intersects(plot.geometry()), (legend.geometry(), plot.geometry())
    assert legend.geometry().bottom() <= box.height() and plot.height() >= box.height() * 2 // 3
    series = [s.label for s in charts.chart_data().series]
    shown = QTextDocument()
    shown.setHtml(legend.text())
    text = shown.toPlainText().replace("\xa0", " ")
    assert f"+{len(series) - legend.shown_count()} more" in text and 0 < legend.shown_count() < len(series)
    tip = QTextDocument()
    tip.setHtml(legend.toolTip())
    assert all(label in tip.toPlainText() for label in series)  # every name, on hover
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: legend.shown_count() > 1)
    assert not legend.geometry().intersects(plot.geometry())


def test_a_disputed_figure_is_drawn_in_another_colour_than_a_conflict():
    """The legend tells them apart ("hatched or pink: disputed", "red outline: sources disagree"): a disputed
    bar's hatch and outline, and a disputed point's ring, must not read as the conflict's red."""
    from gui.views import charts

    conflict = charts.CONFLICT_PEN.color()
    disputed = charts.DISPUTED_COLOUR
    distance = sum((a - b) ** 2 for a, b in zip(conflict.getRgb()[:3], disputed.getRgb()[:3])) ** 0.5
    assert distance > 100, (conflict.name(), disputed.name(), distance)
