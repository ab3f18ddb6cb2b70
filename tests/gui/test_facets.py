"""Finding things in the table: facets with counts, value comparisons, title words, the Value sort, statistics."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QPlainTextEdit

from gui.views.facets import KindRole, ValueRole
from gui.views.figures_model import COLUMN_INDEX
from store.values.display import format_value
from tests.gui.helpers import click_tree_node, table_rows


def _facet(window, name: str):
    tree = window.figures_panel.facets_panel.tree
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item.data(0, ValueRole) == name:
            return item
    raise AssertionError(f"no facet {name}")


def _counts(window, name: str) -> dict[str, int]:
    """{label: count} of a facet's values, as the pane shows them."""
    item = _facet(window, name)
    return {item.child(i).text(0): int(item.child(i).text(1).replace(",", ""))
            for i in range(item.childCount()) if item.child(i).data(0, KindRole) == "value"}


def _click_value(qtbot, window, name: str, label: str) -> None:
    """Click a value's row in the pane (its count), as a user ticks it."""
    tree = window.figures_panel.facets_panel.tree
    parent = _facet(window, name)
    parent.setExpanded(True)
    item = next(parent.child(i) for i in range(parent.childCount()) if parent.child(i).text(0) == label)
    tree.scrollToItem(item)
    before = window.figures_panel.model.query
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tree.visualItemRect(item).center() + QPoint(tree.header().sectionPosition(1) // 2, 0))
    qtbot.waitUntil(lambda: window.figures_panel.model.query != before)


def _type_value(qtbot, window, text: str) -> None:
    edit = window.figures_panel.value_edit
    edit.clear()
    QTest.keyClicks(edit, text)
    qtbot.wait(window.figures_panel._filter_timer.interval() + 50)
    qtbot.waitUntil(lambda: not window.figures_panel._filter_timer.isActive())


def test_facets_count_the_values_in_the_scope_and_follow_each_other(qtbot, window):
    assert window.facets_dock.isVisible()
    everything = _counts(window, "unit")
    assert everything["yuan"] == sum(r.unit == "yuan" for r in table_rows(window))
    click_tree_node(qtbot, window, "grouping", "tier_trillion")
    qtbot.waitUntil(lambda: _counts(window, "unit") != everything)
    in_node = _counts(window, "unit")
    rows = table_rows(window)
    assert in_node == {unit: sum(r.unit == unit for r in rows) for unit in {r.unit for r in rows}}
    statuses_before = _counts(window, "status")

    _click_value(qtbot, window, "unit", "yuan")
    rows = table_rows(window)
    assert rows and {r.unit for r in rows} == {"yuan"}
    assert window.figures_panel.count_label.text() == f"{in_node['yuan']} figures"
    # Another facet counts only the yuan figures now; the unit facet keeps every unit's count (to add one).
    assert sum(_counts(window, "status").values()) == in_node["yuan"] < sum(statuses_before.values())
    assert _counts(window, "unit") == in_node
    assert "1 chosen" in _facet(window, "unit").text(0)


def test_facets_combine_or_within_one_and_across_several_and_clear_all(qtbot, window):
    total = window.figures_panel.model.rowCount()
    _click_value(qtbot, window, "unit", "yuan")
    _click_value(qtbot, window, "unit", "US$")
    rows = table_rows(window)
    assert {r.unit for r in rows} == {"yuan", "US$"}  # OR within one facet
    periods = _counts(window, "period")
    _click_value(qtbot, window, "period", "2024")
    rows = table_rows(window)
    assert len(rows) == periods["2024"] and all(r.unit in ("yuan", "US$") and r.period == "2024" for r in rows)
    QTest.mouseClick(window.figures_panel.facets_panel.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.figures_panel.model.rowCount() == total)
    assert "chosen" not in _facet(window, "unit").text(0)


def _shown_number(row: dict) -> float:
    return row.value * 100 if row.unit == "share" else row.value


def test_value_comparisons_read_numbers_as_the_table_shows_them(qtbot, window):
    total = window.figures_panel.model.rowCount()
    _type_value(qtbot, window, ">100")
    rows = table_rows(window)
    assert 0 < len(rows) < total and all(_shown_number(r) > 100 for r in rows)
    _type_value(qtbot, window, "10..100")
    rows = table_rows(window)
    assert rows and all(10 <= _shown_number(r) <= 100 for r in rows)
    _type_value(qtbot, window, "100-200")
    assert all(100 <= _shown_number(r) <= 200 for r in table_rows(window))
    _type_value(qtbot, window, ">500 billion")
    values = {r.value for r in table_rows(window)}
    assert 535e9 in values and 500e9 not in values and all(v > 5e11 for v in values)
    _type_value(qtbot, window, ">50 %")  # a share of 0.5 is shown as 50 %
    rows = table_rows(window)
    assert rows and {r.unit for r in rows} <= {"%", "share"} and all(_shown_number(r) > 50 for r in rows)
    _type_value(qtbot, window, "=31.2")
    assert {r.value_text for r in table_rows(window)} == {"31.2"}
    assert not window.figures_panel.value_invalid


def test_a_malformed_comparison_is_said_in_red_beside_the_box(qtbot, window):
    total = window.figures_panel.model.rowCount()
    _type_value(qtbot, window, ">abc")
    panel = window.figures_panel
    assert panel.value_invalid and panel.value_message.isVisible()
    assert "not a number" in panel.value_message.text() and "not a number" in panel.value_edit.toolTip()
    assert "border" in panel.value_edit.styleSheet()
    assert panel.model.rowCount() == total  # nothing applied, nothing broken
    _type_value(qtbot, window, ">5 furlongs")
    assert "furlongs" in panel.value_message.text()
    _type_value(qtbot, window, ">5")
    assert not panel.value_invalid and not panel.value_message.isVisible() and panel.value_edit.styleSheet() == ""


def test_the_filter_box_matches_titles_only_when_asked(qtbot, window):
    panel = window.figures_panel
    panel.filter_edit.setFocus()
    QTest.keyClicks(panel.filter_edit, "robot")
    qtbot.waitUntil(lambda: panel.model.query.text == "robot")
    plain = table_rows(window)
    assert plain and not any(r.metric_name == "Share of GDP" for r in plain)
    QTest.mouseClick(panel.titles_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.query.titles)
    assert any(r.metric_name == "Share of GDP" for r in table_rows(window))
    QTest.mouseClick(panel.titles_check, Qt.MouseButton.LeftButton)
    panel.filter_edit.clear()
    QTest.keyClicks(panel.filter_edit, "title:robot")
    qtbot.waitUntil(lambda: panel.model.query.text == "title:robot")
    rows = table_rows(window)
    assert any(r.metric_name == "Share of GDP" for r in rows) and all("robot" in r.doc_title.lower() for r in rows)


def _click_header(qtbot, window, key: str) -> None:
    header = window.figures_panel.table.horizontalHeader()
    section = COLUMN_INDEX[key]
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(header.sectionViewportPosition(section) + 10, header.height() // 2))


def test_sorting_by_value_groups_units_and_starts_at_the_top(qtbot, window):
    table = window.figures_panel.table
    table.scrollToBottom()
    qtbot.waitUntil(lambda: table.verticalScrollBar().value() > 0)
    _click_header(qtbot, window, "value")
    qtbot.waitUntil(lambda: window.figures_panel.model.query.sort == "value")
    assert table.verticalScrollBar().value() == 0
    for _ in range(2):
        rows = table_rows(window)
        units = [r.unit for r in rows]
        runs = [u for i, u in enumerate(units) if i == 0 or u != units[i - 1]]
        assert len(runs) == len(set(units))  # each unit in one run: US$ never between two yuan sums
        descending = window.figures_panel.model.query.descending
        for unit in set(units):
            values = [r.value for r in rows if r.unit == unit]
            assert values == sorted(values, reverse=descending)
        table.scrollToBottom()
        _click_header(qtbot, window, "value")  # the other way round, from the top again
        qtbot.waitUntil(lambda was=descending: window.figures_panel.model.query.descending != was)
        assert table.verticalScrollBar().value() == 0


def test_column_statistics_from_the_header_menu(qtbot, window):
    panel = window.figures_panel
    _click_value(qtbot, window, "unit", "yuan")
    _click_value(qtbot, window, "unit", "US$")
    rows = table_rows(window)
    header = panel.table.horizontalHeader()
    chosen = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.text().startswith("Statistics of"))
        chosen.append(action.text())
        action.trigger()
        menu.close()

    QTimer.singleShot(100, pick)
    position = QPoint(header.sectionViewportPosition(COLUMN_INDEX["value"]) + 10, header.height() // 2)
    header.customContextMenuRequested.emit(position)  # what a right-click on the header sends
    assert chosen == ["Statistics of \u201cValue\u201d\u2026"]
    dialog = panel.stats_dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible() and not dialog.isModal()
    text = dialog.findChild(QPlainTextEdit).toPlainText()
    yuan = [r.value for r in rows if r.unit == "yuan"]
    assert text.startswith(f"Value: {len(rows)} figures in view")
    line = next(line for line in text.splitlines() if line.startswith("yuan"))
    assert line.split()[1:3] == [str(len(yuan)), str(len(set(yuan)))]
    texts = sorted((r.value, r.value_text) for r in rows if r.unit == "yuan")  # least and most, as shown
    assert format_value(texts[0][1], "yuan") in line and format_value(texts[-1][1], "yuan") in line
    assert any(line.startswith("US$ ") for line in text.splitlines())


def test_another_store_starts_without_the_facets_chosen_in_the_last(qtbot, window, tmp_path, seeded_template):
    import shutil

    from gui.window.main_window import load_store
    from store.opening.config import as_url

    total = window.figures_panel.model.rowCount()
    _click_value(qtbot, window, "unit", "yuan")
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(seeded_template, other)
    window._store_loaded(load_store(as_url(str(other))))  # as File › Open Store does, when its worker is done
    assert window.figures_panel.model.query.facets == ()
    assert window.figures_panel.model.rowCount() == total
    assert "chosen" not in _facet(window, "unit").text(0)
    assert not window.figures_panel.facets_panel.clear_button.isEnabled()
