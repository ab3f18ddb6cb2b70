"""The Qt-free selection state: one truth, no echo, no loops."""

import pytest

from gui.selection import Scope, SelectionState


def test_listeners_hear_each_change_once_with_its_source():
    state = SelectionState()
    heard = []
    state.subscribe(lambda what, source: heard.append((what, source)))
    state.set_scope(Scope(frozenset({1, 2}), False, "two"), source="tree")
    state.set_figures([5, 6, 5], source="table")
    assert heard == [("scope", "tree"), ("figures", "table")]
    assert state.figures == (5, 6)


def test_setting_the_same_value_notifies_no_one():
    state = SelectionState()
    heard = []
    state.subscribe(lambda what, source: heard.append(what))
    state.set_figures([1])
    state.set_figures([1])
    state.set_metric(None)
    assert heard == ["figures"]


def test_views_that_echo_each_other_settle():
    """Two views that copy every change back to the state stop after one round."""
    state = SelectionState()
    calls = []

    def table(what, source):
        calls.append("table")
        if source != "table":
            state.set_figures(state.figures, source="table")

    def chart(what, source):
        calls.append("chart")
        if source != "chart":
            state.set_figures(state.figures, source="chart")

    state.subscribe(table)
    state.subscribe(chart)
    state.set_figures([3], source="tree")
    assert calls == ["table", "chart"]


def test_a_real_loop_is_stopped_with_a_clear_error():
    state = SelectionState()
    state.subscribe(lambda what, source: state.set_metric((state.metric_id or 0) + 1))
    with pytest.raises(RuntimeError, match="selection loop"):
        state.set_metric(1)
