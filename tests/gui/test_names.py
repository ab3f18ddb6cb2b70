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


def _type_as_input_method(edit, text: str) -> None:
    """Chinese arrives as an input method's commit, not as key presses."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    edit.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def _pick_from_search(qtbot, combo, typed: str, shown: str) -> None:
    """Clear the picker, type a search, click the item the search found in the popup."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    combo.lineEdit().selectAll()
    QTest.keyClick(combo.lineEdit(), Qt.Key.Key_Backspace)
    if typed.isascii():
        QTest.keyClicks(combo.lineEdit(), typed)
    else:
        _type_as_input_method(combo.lineEdit(), typed)
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    found = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown in found, found
    index = popup.model().index(found.index(shown), 0)
    popup.scrollTo(index)
    QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center())
    assert combo.currentText() == shown


@pytest.mark.parametrize("language, searches", [
    ("zh", {"metric": ("营业", "营业收入"), "entity": ("广东", "广东省"), "cluster": ("机器人", "智能机器人")}),
    ("en", {"metric": ("operating rev", "Operating revenue"), "entity": ("guangd", "Guangdong"),
            "cluster": ("robots", "Smart robots")}),
    ("zh", {"metric": ("operating rev", "营业收入"), "entity": ("guangd", "广东省"), "cluster": ("smart rob", "智能机器人")}),
])
def test_the_figure_dialog_pickers_show_and_find_names_in_the_chosen_language(qtbot, window, language, searches):
    from store.models import Cluster, Entity, Figure, Metric
    from tests.gui.test_curation import QUOTE, _add_document, _save, _select_words

    _switch(window, language)
    _add_document(qtbot, window)
    _select_words(window, QUOTE)
    window.curator.add_figure_from_selection()
    dialog = window.curator.dialog
    combos = {"metric": dialog.metric_combo, "entity": dialog.entity_combo, "cluster": dialog.cluster_combo}
    cluster_names = [combos["cluster"].itemText(i) for i in range(combos["cluster"].count())]
    if language == "zh":
        assert "智能机器人" in cluster_names and "Smart robots" not in cluster_names
        assert "TCL" in [combos["entity"].itemText(i) for i in range(combos["entity"].count())]
    for kind, (typed, shown) in searches.items():
        _pick_from_search(qtbot, combos[kind], typed, shown)
    _save(dialog)
    qtbot.waitUntil(lambda: len(window.selection.figures) == 1)
    with window.store.read() as session:  # the same figure whichever language picked it; nothing new named
        figure = session.get(Figure, window.selection.figures[0])
        assert session.get(Metric, figure.metric_id).key == "operating_revenue"
        assert session.get(Entity, figure.entity_id).key == "guangdong"
        assert session.get(Cluster, figure.cluster_id).key == "smart_robots"


def test_the_facets_name_metrics_clusters_and_entities_in_the_chosen_language(qtbot, window):
    from tests.gui.test_facets import _click_value, _counts

    click_tree_node(qtbot, window, "cluster", "smart_robots")
    english = _counts(window, "metric")
    assert "Share of national total" in english
    _switch(window, "zh")
    qtbot.waitUntil(lambda: "占全国比重" in _counts(window, "metric"))
    chinese = _counts(window, "metric")
    assert chinese["占全国比重"] == english["Share of national total"] and "Share of national total" not in chinese
    assert "智能机器人" in _counts(window, "cluster") and "广东省" in _counts(window, "entity")
    _click_value(qtbot, window, "metric", "占全国比重")  # ticking a Chinese name narrows as the English one did
    assert {r.metric for r in table_rows(window)} == {"national_share"}
    assert len(table_rows(window)) == english["Share of national total"]


def test_editing_a_figure_in_chinese_shows_its_names_and_saves_it_unchanged(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from store.models import Figure
    from tests.gui.helpers import click_table_row
    from tests.gui.test_curation import _save

    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    figure_id = window.selection.figures[0]
    with window.store.read() as session:
        version = session.get(Figure, figure_id).version
    _switch(window, "zh")
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.curator.dialog
    assert dialog.cluster_combo.currentText() == "智能机器人" and dialog.entity_combo.currentText() == "广东省"
    _save(dialog)
    qtbot.wait(50)
    with window.store.read() as session:
        assert session.get(Figure, figure_id).version == version  # nothing to save: the same names
