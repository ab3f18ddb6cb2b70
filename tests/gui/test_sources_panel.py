"""Lineage in the window: a news figure's official source listed, opened beside it, confirmed or removed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from gui.views.figures_model import COLUMN_INDEX
from gui.views.tree_model import ClusterTreeModel
from store.curation.lineage import links
from store.models import Action, Anchor, Document, Figure
from tests.gui.helpers import click_table_row, click_tree_node, table_rows

ROBOT_GROWTH = "000-019"  # seed 000's 31.2 % industrial robot output growth in 2025


def _select_key(qtbot, window, key: str) -> int:
    """Select the figure in the table, then ask for its sources (Figure > Official Sources)."""
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    rows = table_rows(window)
    at = next(i for i, row in enumerate(rows) if row.key == key)
    click_table_row(window, at)
    assert not window.sources_dock.isVisible()  # until asked for: the charts keep their height
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(window.sources_panel.isVisible)
    return rows[at].id


def _official_source(window) -> int:
    """The Guangdong report's figure that seed 000's 31.2 % restates: found by what it says, not by its key."""
    with window.store.read() as session:
        return session.scalar(
            select(Figure.id).join(Anchor, Anchor.figure_id == Figure.id).join(Document, Document.id == Anchor.document_id)
            .where(Document.kind == "official", Anchor.quote == "31.2%", Figure.period == "2025",
                   Figure.growth == "change"))


def _panel_item(window, key_id: int):
    panel = window.sources_panel
    for i in range(panel.list.topLevelItemCount()):
        item = panel.list.topLevelItem(i)
        link = panel.links_shown()[i]
        if key_id in (link.source.id, link.figure.id):
            return item, link
    return None, None


def _click_item(panel, item) -> None:
    rect = panel.list.visualItemRect(item)
    point = rect.center()
    point.setX(rect.left() + 8)  # the row may be wider than the panel: click its start, as a reader does
    QTest.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def _cell(window, figure_id: int, column: str) -> str:
    model = window.figures_panel.model
    return model.index(model.row_of(figure_id), COLUMN_INDEX[column]).data()


def test_a_news_figure_shows_its_official_source_and_both_sentences_are_highlighted(qtbot, window):
    news = _select_key(qtbot, window, ROBOT_GROWTH)
    source = _official_source(window)
    panel = window.sources_panel
    assert _cell(window, news, "lineage") == "\u2713"
    assert panel.badge.text().startswith("\u2713 official")
    item, link = _panel_item(window, source)
    assert item is not None, [item.text(4) for item in map(panel.list.topLevelItem, range(panel.list.topLevelItemCount()))]
    assert link.verdict in ("corroborates", "rounds") and link.source.id == source
    assert item.text(4) == "2026年广东省政府工作报告" and item.text(5) == "31.2%"

    _click_item(panel, item)

    assert window.document_view.strong_ids() == [news]
    assert window.document_view.highlighted_text(news) == "31.2%"
    assert panel.source_view.strong_ids() == [source]
    assert panel.source_view.highlighted_text(source) == "31.2%"
    assert panel.source_view.title_label.text() == "2026年广东省政府工作报告"
    assert panel.source_view.isVisible() and window.document_view.isVisible()


def test_the_tree_counts_what_official_sources_corroborate(qtbot, window):
    model: ClusterTreeModel = window.tree_panel.model
    official, differs = model.lineage_of(model.node(model.index_of("cluster", "smart_robots")))
    assert official >= 2  # the 31.2 % growth and the 40 % share of national output
    assert "\u2713" in model.index_of("cluster", "smart_robots").siblingAtColumn(2).data()


def test_confirm_and_remove_a_link_with_undo_and_history(qtbot, window):
    news = _select_key(qtbot, window, ROBOT_GROWTH)
    source = _official_source(window)
    panel = window.sources_panel

    def status() -> str | None:
        found = [link for link in links(window.store, [news]) if link.source.id == source]
        return found[0].status if found else None

    assert status() == "proposed"
    item, _link = _panel_item(window, source)
    _click_item(panel, item)
    QTest.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status() == "confirmed")
    item, _link = _panel_item(window, source)
    assert item.text(1).endswith("confirmed")
    assert window.curator.undo_action.text() == "&Undo Confirm Source Link"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: status() == "proposed")

    item, _link = _panel_item(window, source)
    _click_item(panel, item)
    QTest.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status() is None)
    assert _panel_item(window, source) == (None, None)
    assert _cell(window, news, "lineage") != "\u2713" or any(
        link.verdict != "differs" for link in links(window.store, [news]))
    with window.store.read() as session:
        labels = [a.label for a in session.query(Action).order_by(Action.id)]
    assert "Remove lineage link" in labels and "Confirm lineage link" in labels
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: status() == "proposed")
    assert _panel_item(window, source)[0] is not None
    assert _cell(window, news, "lineage") == "\u2713"


def test_a_value_edited_away_from_its_source_shows_differs_everywhere_until_undone(qtbot, window):
    news = _select_key(qtbot, window, ROBOT_GROWTH)
    tree = window.tree_panel.model
    robots = tree.index_of("cluster", "smart_robots")
    before = tree.lineage_of(tree.node(robots))
    table = window.figures_panel.table
    table.setCurrentIndex(table.model().index(table.model().row_of(news), COLUMN_INDEX["value"]))
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "29.5")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _cell(window, news, "lineage") == "\u2260")
    assert window.sources_panel.badge.text().startswith("\u2260 differs")
    assert window.sources_panel.list.topLevelItem(0).text(0) == "\u2260 differs"
    assert tree.lineage_of(tree.node(robots)) == (before[0] - 1, before[1] + 1)
    assert "\u22601" in robots.siblingAtColumn(2).data()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _cell(window, news, "lineage") == "\u2713")
    assert tree.lineage_of(tree.node(robots)) == before
