"""The typed selection events in the window: each view follows the events it shows, and a change a
view made is never sent back to it (the tree is not re-selected by the table, nor the table by itself)."""

from __future__ import annotations

from collections import Counter

from gui.selection import DocumentChosen, FiguresSelected, ScopeChosen
from tests.gui.helpers import click_table_row, click_tree_node, selected_table_ids, table_rows


def _heard(selection) -> list:
    heard: list = []
    for signal in (selection.scopeChosen, selection.figuresSelected, selection.metricChosen,
                   selection.documentChosen):
        signal.connect(heard.append)
    return heard


def _spy(monkeypatch, obj, name: str) -> list:
    """Record the calls of obj.name (still made)."""
    calls: list = []
    original = getattr(obj, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)
    monkeypatch.setattr(obj, name, spy)
    return calls


def test_a_tree_click_and_a_table_click_reach_the_other_views_and_do_not_bounce(qtbot, window, monkeypatch):
    click_tree_node(qtbot, window, "all", "all")
    rows = table_rows(window)
    key = Counter(r.cluster for r in rows if r.cluster).most_common(1)[0][0]  # a node of several figures
    figure_id = next(r.id for r in rows if r.cluster == key)
    click_table_row(window, next(i for i, r in enumerate(rows) if r.id == figure_id))
    qtbot.waitUntil(lambda: window.document_view.strong_ids() == [figure_id])
    heard = _heard(window.selection)
    tree_selects = _spy(monkeypatch, window.tree_panel, "select")

    # A tree node: one event, from the tree. The table lists the node's figures with the selected one still
    # selected, and its sentence stays highlighted; no figure selection goes round again.
    click_tree_node(qtbot, window, "cluster", key)
    scopes = [e for e in heard if isinstance(e, ScopeChosen)]
    assert [e.source for e in scopes] == [window.tree_panel]
    assert window.scope_label.text() == scopes[0].scope.label
    assert not [e for e in heard if isinstance(e, FiguresSelected)]
    listed = table_rows(window)
    assert 1 < len(listed) < len(rows) and all(r.cluster == key for r in listed)
    assert selected_table_ids(window) == [figure_id]
    assert window.document_view.strong_ids() == [figure_id]

    # A table row: the other views follow (the document shows its sentence); the tree keeps its node and
    # is not selected again, and the table is not told to select what it selected.
    heard.clear()
    table_selects = _spy(monkeypatch, window.figures_panel, "select_figures")
    shown = window.document_view.current_document_id()
    other = next((r for r in listed if r.document_id != shown), next(r for r in listed if r.id != figure_id))
    click_table_row(window, next(i for i, r in enumerate(listed) if r.id == other.id))
    qtbot.waitUntil(lambda: window.selection.figures == (other.id,))
    assert [e for e in heard if isinstance(e, FiguresSelected)] == [FiguresSelected((other.id,), window.figures_panel)]
    assert not [e for e in heard if isinstance(e, ScopeChosen)]
    assert all(e.source is window.linker for e in heard if isinstance(e, DocumentChosen))
    assert table_selects == [] and tree_selects == []
    assert window.tree_panel.selected_node().key == key and window.scope_label.text() == scopes[0].scope.label
    assert selected_table_ids(window) == [other.id]
    assert window.document_view.current_document_id() == other.document_id
    assert window.document_view.strong_ids() == [other.id]
