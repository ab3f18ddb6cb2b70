"""View › Language of Names: the tree and the table show names in English or 中文, remembered;
the filter boxes match a name in either language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from gui.views.figures_model import COLUMN_INDEX
from gui.views.tree_model import NodeRole
from gui.window.main_window import MainWindow, load_store
from store.query import FigureQuery
from store.query.browse import count_figures
from tests.gui.helpers import click_tree_node, table_rows


@pytest.fixture(autouse=True)
def _english_after(request):
    yield
    import gui.names
    gui.names.NameLanguage._apply("en")  # the choice is process-wide: leave it as other tests expect it


def _switch(window, language: str) -> None:
    action = window.findChild(type(window.name_language.actions["en"]), f"nameLanguage_{language}")
    assert action is not None and action in window.menuBar().findChildren(type(action))
    action.trigger()


def _tree_text(window, kind: str, key: str) -> str:
    return window.tree_panel.model.index_of(kind, key).data()


def _visible_tree_keys(window) -> set[str]:
    proxy, keys = window.tree_panel.proxy, set()

    def walk(parent):
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            keys.add(index.data(NodeRole)[1])
            walk(index)

    walk(window.tree_panel.view.rootIndex())
    return keys


def test_language_switch_changes_tree_and_table_names_and_is_remembered(qtbot, window, settings_path, seeded_path):
    assert _tree_text(window, "cluster", "smart_robots") == "Smart robots"
    assert _tree_text(window, "grouping", "pillar10") == "Ten strategic pillar clusters"
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    model = window.figures_panel.model
    row = next(r for r in table_rows(window) if r.metric_name_zh)
    at = table_rows(window).index(row)
    assert model.index(at, COLUMN_INDEX["cluster"]).data() == "Smart robots"
    assert model.index(at, COLUMN_INDEX["metric"]).data() == row.metric_name

    _switch(window, "zh")

    assert _tree_text(window, "cluster", "smart_robots") == "智能机器人"
    assert _tree_text(window, "grouping", "pillar10") == "十大战略性支柱产业集群"
    assert window.scope_label.text() == "智能机器人"
    assert model.index(at, COLUMN_INDEX["cluster"]).data() == "智能机器人"
    assert model.index(at, COLUMN_INDEX["metric"]).data() == row.metric_name_zh
    assert window.metric_combo.currentText().startswith(row.metric_name_zh) or any(
        window.metric_combo.itemText(i).startswith(row.metric_name_zh) for i in range(window.metric_combo.count()))
    window.close()

    again = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), window.db_url)
    qtbot.addWidget(again)
    again._store_loaded(load_store(again.db_url))
    assert again.name_language.actions["zh"].isChecked()
    assert _tree_text(again, "cluster", "smart_robots") == "智能机器人"
    _switch(again, "en")
    assert _tree_text(again, "cluster", "smart_robots") == "Smart robots"


def test_a_name_without_chinese_falls_back_to_english(qtbot, window):
    _switch(window, "zh")
    assert _tree_text(window, "all", "all") == "All figures"
    model = window.figures_panel.model
    assert all(model.index(r, COLUMN_INDEX["entity"]).data() for r in range(min(model.rowCount(), 200)))


def test_tree_filter_in_chinese_finds_the_robot_clusters(qtbot, window):
    window.tree_panel.filter_edit.insert("机器人")  # as an input method commits it (keyClicks is Latin-1 only)
    keys = _visible_tree_keys(window)
    assert {"smart_robots", "service_robots", "equipment_robotics"} <= keys
    assert "electronics" not in keys and "green_petrochem" not in keys


def test_table_filter_in_chinese_finds_robot_figures(qtbot, window, seeded_store):
    total = window.figures_panel.model.rowCount()
    window.figures_panel.filter_edit.insert("机器人")
    qtbot.waitUntil(lambda: window.figures_panel.model.query.text == "机器人")
    rows = table_rows(window)
    assert 0 < len(rows) < total
    assert any(r.cluster == "smart_robots" for r in rows)
    assert all("机器人" in " ".join(str(getattr(r, k) or "") for k in (
        "cluster_name_zh", "metric_name_zh", "entity_name_zh", "quote", "note", "doc_title")) for r in rows)
    with seeded_store.read() as session:  # the numpy filter gives the SQL reference's answer
        assert len(rows) == count_figures(session, FigureQuery(text="机器人"))
