"""The lineage column of FigureColumns: what store.curation.lineage says of each figure, row-aligned, sorted, counted."""

from __future__ import annotations

from store.curation.lineage import lineage_states
from store.query import FigureQuery
from store.query.columns import FigureColumns


def test_lineage_states_become_a_column_that_sorts_and_counts(seeded_store):
    states = lineage_states(seeded_store)
    assert "official" in states.values()
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
    assert not columns.lineage.any()  # nothing until the states are given
    assert columns.set_lineage(states) and not columns.set_lineage(states)  # True only when something changed
    by_id = dict(zip(columns.id.tolist(), columns.lineage.tolist()))
    assert {i for i, code in by_id.items() if code} == set(states)
    assert columns.lineage_of(list(states)) == [states[i] for i in states]
    first = columns.select(FigureQuery(sort="lineage", descending=True))[:len(states)]
    assert set(first.tolist()) == set(states)
    counts = columns.lineage_counts()
    assert sum(official for official, _ in counts.values()) == list(states.values()).count("official")


def test_the_lineage_column_survives_a_refresh(seeded_store):
    states = lineage_states(seeded_store)
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
        columns.set_lineage(states)
        some = sorted(states)[:1] + [int(columns.id[0])]
        columns.refresh(session, some)
    assert {int(i) for i, code in zip(columns.id, columns.lineage) if code} == set(states)
