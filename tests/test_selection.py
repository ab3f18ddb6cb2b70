"""The selection: one truth, a typed event per kind of change, no echo, no loops."""

from gui.selection import (
    DocumentChosen,
    FiguresSelected,
    MetricChosen,
    Scope,
    ScopeChosen,
    Selection,
    unless_from,
)


def _heard(state: Selection) -> list:
    heard: list = []
    for signal in (state.scopeChosen, state.figuresSelected, state.metricChosen, state.documentChosen):
        signal.connect(heard.append)
    return heard


def test_each_change_is_one_typed_event_naming_its_source():
    state = Selection()
    heard = _heard(state)
    scope = Scope(frozenset({1, 2}), False, "two")
    state.set_scope(scope, source="tree")
    state.set_figures([5, 6, 5], source="table")
    state.set_metric(3, source="combo")
    state.set_document(9, source="document")
    assert heard == [ScopeChosen(scope, "tree"), FiguresSelected((5, 6), "table"), MetricChosen(3, "combo"),
                     DocumentChosen(9, "document")]
    assert state.figures == (5, 6)


def test_a_listener_hears_only_the_events_it_connected_to():
    state = Selection()
    figures: list = []
    state.figuresSelected.connect(figures.append)
    state.set_scope(Scope(frozenset({1}), False, "one"), source="tree")
    state.set_metric(2)
    state.set_document(4)
    assert figures == []
    state.set_figures([7], source="chart")
    assert figures == [FiguresSelected((7,), "chart")]


def test_setting_the_same_value_says_nothing_unless_asked_to_say_it_again():
    state = Selection()
    heard = _heard(state)
    state.set_figures([1])
    state.set_figures([1])
    state.set_metric(None)
    assert heard == [FiguresSelected((1,))]
    state.set_figures([1], source="linker", always=True)  # after a write: the views show it again
    assert heard[-1] == FiguresSelected((1,), "linker")


def test_a_view_does_not_follow_its_own_echo():
    state = Selection()
    table, chart = object(), object()
    followed: list = []
    state.figuresSelected.connect(unless_from(table, lambda event: followed.append(("table", event.ids))))
    state.figuresSelected.connect(unless_from(chart, lambda event: followed.append(("chart", event.ids))))
    state.set_figures([3], source=table)
    state.set_figures([4], source=chart)
    assert followed == [("chart", (3,)), ("table", (4,))]


def test_views_that_echo_each_other_settle():
    """Two views that copy every change back to the state stop after one round."""
    state = Selection()
    calls = []

    def table(event):
        calls.append("table")
        if event.source != "table":
            state.set_figures(state.figures, source="table")

    def chart(event):
        calls.append("chart")
        if event.source != "chart":
            state.set_figures(state.figures, source="chart")

    state.figuresSelected.connect(table)
    state.figuresSelected.connect(chart)
    state.set_figures([3], source="tree")
    assert calls == ["table", "chart"]


def test_a_real_loop_is_stopped_with_a_clear_error(qtbot):
    state = Selection()
    heard = []

    def bump(event):
        heard.append(event.metric_id)
        state.set_metric((state.metric_id or 0) + 1)

    state.metricChosen.connect(bump)
    with qtbot.capture_exceptions() as raised:
        state.set_metric(1)
    assert heard == list(range(1, 9))  # eight levels deep, then stopped
    assert len(raised) == 1 and "selection loop" in str(raised[0][1])
