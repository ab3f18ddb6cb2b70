"""The window a user first sees: a figure selected with its words highlighted in its source, a chart of
figures that can be compared, and, in a store with no figures, what to do first."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QSettings

from gui.views.first_screen import EMPTY_CHARTS, EMPTY_DOCUMENT, EMPTY_STORE, headline_group
from gui.window.main_window import MainWindow, load_store
from store import open_store
from store.opening.config import as_url
from store.query import FigureQuery
from tests.gui.helpers import table_rows
from tests.gui.test_linking_paths import assert_shown_everywhere


def _row_visible(window, figure_id: int) -> bool:
    table = window.figures_panel.table
    row = window.figures_panel.model.row_of(figure_id)
    rect = table.visualRect(table.model().index(row, 1))
    return rect.isValid() and table.viewport().rect().contains(rect.center())


def test_a_new_store_opens_on_its_first_figure_with_its_words_highlighted(qtbot, make_window):
    window = make_window(load=False)
    window.open_store_async()  # as the app opens it: on a worker, with no layout or selection saved
    qtbot.waitUntil(lambda: bool(window.selection.figures), timeout=10000)
    rows = table_rows(window)
    figure_id = window.selection.figures[0]
    assert rows[0].id == figure_id  # the first row is the one selected
    assert_shown_everywhere(qtbot, window, figure_id)  # its row, its bar, its words highlighted and in view
    assert window.document_view.highlighted_text(figure_id) == rows[0].quote
    assert window.statusBar().currentMessage().startswith(rows[0].metric_name)


def test_the_first_chart_compares_one_metric_in_one_unit_across_clusters(qtbot, window):
    rows = table_rows(window)
    data = window.charts.chart_data()
    assert window.selection.metric_id == rows[0].metric_id
    assert not window.metric_combo.currentText().startswith("Number of industrial clusters")
    assert data.axis_label == "%"
    periods = {bar.label.rsplit(" \u00b7 ", 1)[-1] for bar in data.bars}
    assert len(data.bars) >= 3 and periods == {"2025"}, [bar.label for bar in data.bars]
    assert window.charts.source_text().startswith("Source")


def test_the_headline_group_is_stated_values_of_one_metric_unit_and_period(seeded_store):
    from store.query.columns import FigureColumns

    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
    ids = headline_group(columns, FigureQuery())
    rows = [r for r in _all_rows(seeded_store) if r.id in set(ids.tolist())]
    assert len(rows) >= 3
    assert len({r.metric_id for r in rows}) == 1 and len({r.period for r in rows}) == 1
    assert {r.unit for r in rows} <= {"%", "share"}  # a share is drawn as a percentage
    assert all(r.qualifier in ("", "approximately", "nearly") for r in rows)  # no "over 500 billion"
    assert len({(r.cluster, r.entity) for r in rows}) == len(rows)  # each about another subject


def _all_rows(store):
    from store.query.browse import figure_rows

    with store.read() as session:
        from sqlalchemy import select

        from store.models import Figure
        ids = list(session.scalars(select(Figure.id)))
        return figure_rows(session, ids)


def test_a_remembered_cluster_opens_on_a_figure_inside_it(qtbot, make_window, settings_path):
    QSettings(settings_path, QSettings.Format.IniFormat).setValue("tree/selected", ["cluster", "smart_robots"])
    window = make_window()
    assert window.selection.scope.label != "All figures"
    figure_id = window.selection.figures[0]
    assert figure_id in [r.id for r in table_rows(window)]
    assert window.document_view.strong_ids() == [figure_id]


def test_a_store_with_no_figures_says_what_to_do_first(qtbot, tmp_path):
    path = tmp_path / "empty.sqlite3"
    open_store(str(path), seed=False).close()
    with sqlite3.connect(path) as conn:  # a store whose user removed the seed data: nothing to load again
        conn.execute("INSERT INTO meta(key, value) VALUES ('seeds_loaded', 'test')")
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), as_url(str(path)))
    qtbot.addWidget(window)
    window.show()
    window._store_loaded(load_store(window.db_url))
    panel = window.figures_panel
    assert panel.stack.currentWidget() is panel.empty_label and panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_STORE and "Import Documents" in EMPTY_STORE
    assert window.document_view.message.text() == EMPTY_DOCUMENT
    assert window.charts.empty_label.text() == EMPTY_CHARTS
    assert window.selection.figures == ()
    window.tree_panel.select("all", "all")  # a table reset keeps the guidance, not "choose another cluster"
    panel.model.refresh()
    assert panel.empty_label.text() == EMPTY_STORE
