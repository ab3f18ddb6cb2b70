"""Every way of selecting a figure selects it everywhere: its row, its bar or point, its words.

One test per path, each driven as a user would (a click on a row, a bar, a point, a span, a
conflict, an annotation; F8; the filter box), each asserting what the user then sees: the table's
current row, the document's strong highlight on that figure alone, and its words inside the
document's viewport (the first selection of a session included)."""

from __future__ import annotations

from dataclasses import astuple

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from gui.views.conflicts import IdsRole
from gui.views.figures_model import COLUMN_INDEX, RowRole
from tests.gui.helpers import click_table_row, click_tree_node, selected_table_ids, table_rows
from tests.seed_conflicts import restate_exactly


def _span_rect(window, figure_id: int) -> QRect:
    """Where the figure's first character is drawn, in the document viewport's pixels."""
    view = window.document_view
    qt_start = view._by_id[figure_id][0]
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(qt_start)
    return view.editor.cursorRect(cursor)


def assert_shown_everywhere(qtbot, window, figure_id: int, ids: list[int] | None = None) -> None:
    """What the user sees after selecting a figure (or a bar's figures, ids), whichever way they did:
    its rows selected and in view, its bar or point highlighted, its words strongly highlighted (no
    other figure's still orange) and in the document's viewport."""
    ids = ids or [figure_id]
    qtbot.waitUntil(lambda: sorted(window.selection.figures) == sorted(ids))
    assert sorted(selected_table_ids(window)) == sorted(ids)
    table = window.figures_panel.table
    row = window.figures_panel.model.row_of(figure_id)
    assert table.viewport().rect().intersects(table.visualRect(table.model().index(row, COLUMN_INDEX["value"])))
    assert window.charts.highlighted_ids() <= set(ids)
    view = window.document_view
    assert view.current_document_id() == table.model().index(row, 0).data(RowRole).document_id
    assert figure_id in view.strong_ids() and set(view.strong_ids()) <= set(ids)
    strong = [s for s in view.editor.extraSelections() if s.format.background() == view._strong_format.background()]
    assert {s.cursor.selectionStart() for s in strong} == {view._by_id[i][0] for i in view.strong_ids()}
    # Qt lays a new document out again once the resizes it posted are handled (the scroll bar appears,
    # every line rewraps): the words must still be in view after that, not only at the first moment.
    qtbot.wait(150)
    assert view.editor.viewport().rect().contains(_span_rect(window, figure_id))


@pytest.fixture
def opened(qtbot, make_window):
    """A window that opened its store as the app does (on a worker), settled before the first click."""
    window = make_window(load=False)
    window.open_store_async()
    qtbot.waitUntil(lambda: window.figures_panel.model.rowCount() > 0, timeout=10000)
    qtbot.wait(300)
    return window


def _deep_row(window) -> int:
    """A row whose words lie far down a long document (they need a scroll to be seen)."""
    rows = table_rows(window)
    return max(range(len(rows)), key=lambda r: rows[r].start)


def test_a_row_click_first_in_the_session_scrolls_to_its_words(qtbot, opened):
    window = opened
    row = _deep_row(window)
    figure_id = table_rows(window)[row].id
    click_table_row(window, row)
    assert_shown_everywhere(qtbot, window, figure_id)
    assert window.document_view.editor.verticalScrollBar().value() > 0


def test_a_bar_click_first_in_the_session_scrolls_to_its_words(qtbot, opened):
    window = opened
    bars = window.charts.bar_figure_ids()
    start = {r.id: r.start for r in table_rows(window)}
    deepest = max(range(len(bars)), key=lambda b: start[bars[b][0]])  # its words need a scroll
    plot = window.charts.comparison_plot()
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     window.charts.bar_scene_center(deepest))
    qtbot.waitUntil(lambda: sorted(window.selection.figures) == sorted(bars[deepest]))
    assert_shown_everywhere(qtbot, window, window.selection.figures[0], bars[deepest])
    assert window.charts.highlighted_ids() == set(bars[deepest])


def test_a_point_click_on_the_trend_selects_its_figure(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    click_table_row(window, _deep_row(window))  # a first selection, to be replaced
    plot = window.charts.trend_plot()
    view_box = plot.getPlotItem().getViewBox()
    points = [p for p in window.charts._scatter.points() if int(p.data()) not in window.selection.figures]
    assert points
    point = points[0]
    pixel = plot.mapFromScene(view_box.mapViewToScene(point.pos()))
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pixel)
    assert_shown_everywhere(qtbot, window, int(point.data()))
    assert window.charts.highlighted_ids() == {int(point.data())}


def click_span(window, figure_id: int) -> None:
    """Click the middle of a figure's words in the document, as the user would."""
    view = window.document_view
    qt_start, qt_end, _status = view._by_id[figure_id]
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition((qt_start + qt_end) // 2)
    view.editor.setTextCursor(cursor)
    view.editor.ensureCursorVisible()
    QTest.mouseClick(view.editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.editor.cursorRect(cursor).center())


def _other_span(window, than: int, where=lambda fid: True) -> int:
    view = window.document_view
    return next(fid for fid, *_ in view._spans if fid != than and view.span_at(view._by_id[fid][0] + 0) and
                view.span_at(view._by_id[fid][0])[0] == fid and where(fid))


def test_a_span_click_moves_the_strong_highlight_to_its_figure(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    click_table_row(window, 3)
    first = table_rows(window)[3].id
    view = window.document_view
    qtbot.waitUntil(lambda: view.strong_ids() == [first])
    qtbot.wait(50)  # the reader looks at it before scrolling on
    other = max((fid for fid in view._by_id if fid != first), key=lambda fid: view._by_id[fid][0])
    # The reader scrolls until the words are on the top line, and clicks them there.
    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(view._by_id[other][0])
    bar = view.editor.verticalScrollBar()
    bar.setValue(0)
    while view.editor.cursorRect(cursor).top() > 4 and bar.value() < bar.maximum():
        bar.setValue(bar.value() + 1)
    scrolled = bar.value()
    assert scrolled > 0
    point = view.editor.cursorRect(cursor).center() + QPoint(3, 0)
    QTest.mouseClick(view.editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert_shown_everywhere(qtbot, window, other)
    assert first not in window.document_view.strong_ids()
    assert window.document_view.editor.verticalScrollBar().value() == scrolled  # the words stay under the pointer


def _cluster_of(window, figure_id: int) -> int:
    columns = window.linker.columns
    return int(columns.cluster[list(columns.id).index(figure_id)])


def test_a_span_outside_the_tree_node_widens_the_scope_to_all_figures(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    # A document whose figures lie in several clusters: select one figure's cluster, then click another's words.
    by_doc: dict[int, set[int]] = {}
    for r in rows:
        by_doc.setdefault(r.document_id, set()).add(_cluster_of(window, r.id))
    doc = next(d for d, clusters in by_doc.items() if len(clusters - {-1}) > 1)
    first = next(r for r in rows if r.document_id == doc and _cluster_of(window, r.id) != -1)
    click_tree_node(qtbot, window, "cluster", first.cluster)
    assert window.scope_label.text() != "All figures"
    row = next(i for i, r in enumerate(table_rows(window)) if r.id == first.id)
    click_table_row(window, row)
    qtbot.waitUntil(lambda: window.document_view.strong_ids() == [first.id])
    outside = _other_span(window, first.id, lambda fid: _cluster_of(window, fid) != _cluster_of(window, first.id))
    assert window.figures_panel.model.row_of(outside) is None  # not in the table before the click
    click_span(window, outside)
    assert_shown_everywhere(qtbot, window, outside)
    assert window.scope_label.text() == "All figures"
    assert window.tree_panel.selected_node().kind == "all"


def test_a_conflict_row_selects_its_figure_everywhere(qtbot, make_window, seeded_store):
    restate_exactly(seeded_store)  # the seeds as loaded hold no conflict: tests.seed_conflicts
    window = make_window()
    click_tree_node(qtbot, window, "all", "all")
    click_table_row(window, 0)
    window.tabs.setCurrentWidget(window.conflicts_view)
    tree = window.conflicts_view.tree
    group = window.conflicts_view.model.index(0, 0)
    child = window.conflicts_view.model.index(1, 0, group)
    figure_id = child.data(IdsRole)[0]
    tree.scrollTo(child)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tree.visualRect(child).center())
    window.tabs.setCurrentWidget(window.figures_panel)
    assert_shown_everywhere(qtbot, window, figure_id)


def test_the_conflicts_tab_follows_the_tree_node(qtbot, make_window, seeded_store):
    restate_exactly(seeded_store)  # the seeds as loaded hold no conflict: tests.seed_conflicts
    window = make_window()
    window.tabs.setCurrentWidget(window.conflicts_view)
    click_tree_node(qtbot, window, "all", "all")
    view, model = window.conflicts_view, window.conflicts_view.model
    every = [model.index(g, 0).data(IdsRole) for g in range(model.rowCount())]
    assert every, "the restated seeds hold conflicts"
    assert view.count_label.text() == f"{len(every)} conflicts"
    cluster = _cluster_of(window, every[0][0])
    click_tree_node(qtbot, window, "cluster", window.tree_panel.model.key_of_cluster(cluster))
    scoped = [model.index(g, 0).data(IdsRole) for g in range(model.rowCount())]
    assert every[0] in scoped
    assert all(_cluster_of(window, i) == cluster for group in scoped for i in group)
    name = window.scope_label.text()
    assert view.count_label.text() == f"{len(scoped)} conflict{'s' if len(scoped) != 1 else ''} in \u201c{name}\u201d"
    # A node none of whose figures conflict: no conflicts listed, and the view says where to see them all.
    quiet = next(r.cluster for r in table_rows_of_all(qtbot, window)
                 if r.cluster and all(_cluster_of(window, i) != _cluster_of(window, r.id) for g in every for i in g))
    click_tree_node(qtbot, window, "cluster", quiet)
    assert model.rowCount() == 0 and view.stack.currentWidget() is view.empty_label
    assert "All figures" in view.empty_label.text() and window.scope_label.text() in view.empty_label.text()
    click_tree_node(qtbot, window, "all", "all")
    assert model.rowCount() == len(every)


def table_rows_of_all(qtbot, window) -> list[dict]:
    scope = window.tree_panel.selected_node()
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    click_tree_node(qtbot, window, scope.kind, scope.key)
    return rows


ARTICLE = ("Zhuhai, March 3, 2025. Last year the Zhuhai low-altitude cluster earned 12.5 billion yuan, "
           "up 8.1 percent, and counted 320 enterprises.\n")


def test_f8_after_an_import_selects_the_candidate_everywhere_widening_the_node(qtbot, window, monkeypatch, tmp_path):
    click_tree_node(qtbot, window, "cluster", "new_energy")
    click_table_row(window, 0)
    path = tmp_path / "zhuhai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=15000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is not None)
    QTest.keyClick(window, Qt.Key.Key_F8)  # the imported article's first candidate: it has no cluster
    qtbot.waitUntil(lambda: len(window.selection.figures) == 1 and bool(window.document_view.strong_ids()))
    first = window.selection.figures[0]
    assert_shown_everywhere(qtbot, window, first)
    assert window.scope_label.text() == "All figures"
    QTest.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.selection.figures != (first,))
    assert_shown_everywhere(qtbot, window, window.selection.figures[0])
    assert first not in window.document_view.strong_ids()
    assert "Reviewing" in window.statusBar().currentMessage()  # still in the imported article's queue


def test_a_search_then_the_keyboard_selects_the_match_everywhere(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    start = next(i for i, r in enumerate(rows) if "robot" not in " ".join(str(v) for v in astuple(r)).lower())
    click_table_row(window, start)
    before = window.figures_panel.model.rowCount()
    window.figures_panel.filter_edit.setFocus()
    QTest.keyClicks(window.figures_panel.filter_edit, "robot")
    qtbot.waitUntil(lambda: 0 < window.figures_panel.model.rowCount() < before)
    matches = [r.id for r in table_rows(window)]
    table = window.figures_panel.table
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Down)  # the keyboard into the matches
    qtbot.waitUntil(lambda: table.currentIndex().isValid() and bool(window.selection.figures))
    match = table.currentIndex().data(RowRole).id
    assert match in matches
    assert_shown_everywhere(qtbot, window, match)


def test_a_selected_figure_that_still_matches_a_search_stays_selected_in_the_table(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    start = next(i for i, r in enumerate(rows) if "robot" in (r.quote + r.metric_name + (r.cluster_name or "")).lower())
    click_table_row(window, start)
    window.figures_panel.filter_edit.setFocus()
    QTest.keyClicks(window.figures_panel.filter_edit, "robot")
    qtbot.waitUntil(lambda: window.figures_panel.model.rowCount() < len(rows))
    assert_shown_everywhere(qtbot, window, rows[start].id)


def test_every_tab_follows_the_tree_node(qtbot, window, tmp_path):
    from store.curation.documents import list_documents
    from store.opening.seed import SEEDS_DIR

    # Orphans first: a new version of a seed document loses one figure's words.
    seed = (SEEDS_DIR / "003_e841e1e603b82c1f.txt").read_text(encoding="utf-8")
    paragraph = next(p for p in seed.split("\n\n") if "4.1698 million sets" in p)
    path = tmp_path / "003-v2.txt"
    path.write_text(seed.replace(paragraph, "Service robot output was revised later."), encoding="utf-8")
    click_tree_node(qtbot, window, "all", "all")
    with window.store.read() as session:
        doc_id = next(d["id"] for d in list_documents(session) if d["file_name"].startswith("003_"))
    window.versions.import_new_version(doc_id, str(path))
    qtbot.waitUntil(lambda: window.versions.last_report is not None, timeout=10000)
    orphans = window.orphans_view.model
    qtbot.waitUntil(lambda: orphans.rowCount() == window.versions.last_report.orphaned)
    orphan_ids = [orphans.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(orphans.rowCount())]
    home = _cluster_of(window, orphan_ids[0])
    elsewhere = next(r.cluster for r in table_rows(window)
                     if r.cluster and _cluster_of(window, r.id) not in {home} | {_cluster_of(window, i) for i in orphan_ids})

    for key, orphans_shown in ((window.tree_panel.model.key_of_cluster(home), True), (elsewhere, False)):
        click_tree_node(qtbot, window, "cluster", key)
        in_table = {r.id for r in table_rows(window)}
        assert in_table and all(_cluster_of(window, i) == _cluster_of(window, next(iter(in_table))) for i in in_table)
        window.tabs.setCurrentWidget(window.pivot)
        pivot_ids = {r.id for r in window.pivot.model().figure_rows()}
        assert pivot_ids <= in_table
        window.tabs.setCurrentWidget(window.conflicts_view)
        model = window.conflicts_view.model
        assert all(i in in_table for g in range(model.rowCount()) for i in model.index(g, 0).data(IdsRole))
        window.tabs.setCurrentWidget(window.orphans_view)
        listed = [orphans.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(orphans.rowCount())]
        assert set(listed) <= in_table and bool(listed) == orphans_shown
        if not orphans_shown:
            assert window.scope_label.text() in window.orphans_view.empty_label.text()
        window.tabs.setCurrentWidget(window.figures_panel)
    click_tree_node(qtbot, window, "all", "all")
    window.tabs.setCurrentWidget(window.orphans_view)
    assert orphans.rowCount() == window.versions.last_report.orphaned


def test_a_note_on_a_figure_outside_the_node_selects_it_everywhere(qtbot, make_window, seeded_path):
    from store.curation.annotations import annotate
    from store.opening.core import open_store

    window = make_window()
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    target = max((r for r in rows if r.cluster), key=lambda r: r.start)  # deep in its document
    other = next(r for r in rows if r.cluster and _cluster_of(window, r.id) != _cluster_of(window, target.id))
    store = open_store(str(seeded_path))
    annotate(store, "check against the annual report", figure_id=target.id)
    store.close()
    window.close()
    window = make_window()  # the note, as a curator left it, is in the store when the window opens
    click_tree_node(qtbot, window, "cluster", other.cluster)
    click_table_row(window, 0)
    window.annotations_dock.show()
    window.annotations_dock.raise_()
    panel = window.annotations_panel
    panel.show_combo.setCurrentIndex(0)  # "All annotations"
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 1)
    row = next(r for r in range(panel.model.rowCount()) if panel.model.annotation(r).figure_id == target.id)
    index = panel.table.model().index(row, 1)
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     panel.table.visualRect(index).center())
    window.document_dock.raise_()
    assert_shown_everywhere(qtbot, window, target.id)
    assert window.scope_label.text() == "All figures"


def test_a_figure_the_filter_hides_is_said_so_with_one_click_to_show_it(qtbot, window):
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    click_table_row(window, next(i for i, r in enumerate(rows) if "robot" not in " ".join(map(str, astuple(r))).lower()))
    first = window.selection.figures[0]
    panel = window.figures_panel
    panel.filter_edit.setFocus()
    QTest.keyClicks(panel.filter_edit, "robot")
    qtbot.waitUntil(lambda: panel.model.row_of(first) is None)
    assert panel.hidden_bar.isHidden()  # typing a filter is no reason for a message
    hidden = _other_span(window, first, lambda fid: panel.model.row_of(fid) is None)
    click_span(window, hidden)
    qtbot.waitUntil(lambda: window.selection.figures == (hidden,))
    assert panel.hidden_bar.isVisible() and "hidden by the filter" in panel.hidden_label.text()
    QTest.mouseClick(panel.show_hidden_button, Qt.MouseButton.LeftButton)
    assert panel.filter_edit.text() == "" and panel.hidden_bar.isHidden()
    assert_shown_everywhere(qtbot, window, hidden)
