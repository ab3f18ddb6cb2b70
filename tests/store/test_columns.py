"""The numpy columns give exactly the answers of the SQL reference (store.query.browse), only faster."""

from __future__ import annotations

import pytest

from store.curation.figures import edit_figure, set_status
from store.query import FigureQuery
from store.query.browse import figure_ids, metric_counts
from store.query.columns import FigureColumns
from store.query.conflicts import conflict_groups, conflict_ids
from store.query.taxonomy import cluster_counts
from tests.seed_conflicts import JOURNALISTS, restate_exactly


def _queries(session) -> list[FigureQuery]:
    some_clusters = frozenset(list(cluster_counts(session))[:5]) - {None}
    queries = [FigureQuery(), FigureQuery(cluster_ids=some_clusters),
               FigureQuery(cluster_ids=some_clusters, include_unclustered=True),
               FigureQuery(statuses=("candidate", "disputed")), FigureQuery(text="robot"),
               FigureQuery(text="YUAN 2024"), FigureQuery(text="verified over"), FigureQuery(text="zzz-none")]
    for sort in ("value", "period", "metric", "cluster", "entity", "source", "status", "qualifier", "id"):
        queries.append(FigureQuery(sort=sort))
        queries.append(FigureQuery(sort=sort, descending=True, text="billion"))
    return queries


@pytest.mark.parametrize("which", ["seeded", "synthetic"])
def test_select_matches_sql_for_filters_and_every_sort(which, seeded_store, synthetic):
    store = seeded_store if which == "seeded" else synthetic
    with store.read() as session:
        columns = FigureColumns.load(session)
        for query in _queries(session):
            assert list(columns.select(query)) == figure_ids(session, query), query


@pytest.mark.parametrize("which", ["seeded", "synthetic"])
def test_counts_metrics_and_conflicts_match_sql(which, seeded_store, synthetic):
    store = seeded_store if which == "seeded" else synthetic
    with store.read() as session:
        columns = FigureColumns.load(session)
        assert set(columns.id[columns.conflict].tolist()) == conflict_ids(session)
        assert columns.conflict_groups() == conflict_groups(session)
        sql_counts = {cid: (c.figures, c.unreviewed, c.disputed, c.conflicts)
                      for cid, c in cluster_counts(session).items() if c.figures}
        assert columns.cluster_counts() == sql_counts
        for query in (FigureQuery(), FigureQuery(text="robot")):
            assert columns.metric_counts(query) == metric_counts(session, query)


def test_refresh_after_edits_keeps_the_columns_true(seeded_store):
    restate_exactly(seeded_store)  # the seeds as loaded hold no conflict: tests.seed_conflicts
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
        journalists = [int(i) for i in columns.id[columns.conflict]][:2]
        assert journalists == JOURNALISTS
        remembered = {(sort, down): columns.select(FigureQuery(sort=sort, descending=down)).tolist()
                      for sort in ("id", "value", "cluster") for down in (False, True)}  # every figure, kept
        metric = columns.metric_counts(FigureQuery())[0][0]
        columns.chart_ids(FigureQuery(), metric)
    set_status(seeded_store, journalists[1:], "superseded", superseded_by=journalists[0])
    some = int(columns.id[5])
    edit_figure(seeded_store, some, {"value_text": "12345", "cluster": "Zyxwvut cluster"})
    with seeded_store.read() as session:
        columns.refresh(session, journalists + [some])
        fresh = FigureColumns.load(session)
    for name in ("id", "cluster", "entity", "metric", "status", "value", "period_start", "conflict"):
        assert (getattr(columns, name) == getattr(fresh, name)).all(), name
    assert columns.select(FigureQuery(text="zyxwvut")).tolist() == [some]
    for sort, down in remembered:  # what the columns kept for every figure followed the edit
        query = FigureQuery(sort=sort, descending=down)
        assert columns.select(query).tolist() == fresh.select(query).tolist(), (sort, down)
    assert remembered[("value", True)] != fresh.select(FigureQuery(sort="value", descending=True)).tolist()
    assert columns.metric_counts(FigureQuery()) == fresh.metric_counts(FigureQuery())
    assert columns.chart_ids(FigureQuery(), metric) == fresh.chart_ids(FigureQuery(), metric)
    for word in ("1", "ro", "yuan", "\u4ebf", "2024 b"):  # the quote signatures followed the edit
        assert columns.select(FigureQuery(text=word)).tolist() == fresh.select(FigureQuery(text=word)).tolist(), word


def test_a_local_conflict_update_equals_a_full_recount(synthetic):
    with synthetic.read() as session:
        columns = FigureColumns.load(session)
        in_conflict = [int(i) for i in columns.id[columns.conflict][:3]]
    set_status(synthetic, in_conflict, "rejected")
    with synthetic.read() as session:
        columns.refresh(session, in_conflict)
        assert set(columns.id[columns.conflict].tolist()) == conflict_ids(session)


def test_typing_on_narrows_the_previous_match_and_gives_the_same_rows(synthetic):
    with synthetic.read() as session:
        columns = FigureColumns.load(session)
        for typed in ("b", "bi", "bil", "bill", "billion", "billion 2", "billion 20", "robot", "ro", ""):
            query = FigureQuery(text=typed)
            assert list(columns.select(query)) == figure_ids(session, query), typed


def test_short_words_scopes_and_statuses_give_the_rows_of_the_sql(synthetic):
    """One- and two-letter words (answered from the quote signatures), in a scope and with statuses
    (lookup tables instead of np.isin), give the SQL's rows, typing on and backspacing."""
    with synthetic.read() as session:
        columns = FigureColumns.load(session)
        some_clusters = frozenset(list(cluster_counts(session))[:7]) - {None}
        for base in (FigureQuery(), FigureQuery(cluster_ids=some_clusters, include_unclustered=True),
                     FigureQuery(statuses=("verified", "rejected"))):
            for typed in ("r", "ro", "rob", "robo", "robot", "robo", "ro", "r", "1", "1.", "%", "\u4ebf", "x", "e 2",
                          "q", "unreviewed", "cand"):
                query = base.with_(text=typed)
                assert list(columns.select(query)) == figure_ids(session, query), (base, typed)


def test_chart_ids_are_the_sql_chart_rows_and_an_even_sample_of_them(synthetic):
    import numpy as np

    from store.query.browse import chart_rows

    with synthetic.read() as session:
        columns = FigureColumns.load(session)
        some_clusters = frozenset(list(cluster_counts(session))[:9]) - {None}
        for query in (FigureQuery(), FigureQuery(cluster_ids=some_clusters), FigureQuery(text="billion"),
                      FigureQuery(statuses=("candidate",), cluster_ids=some_clusters, include_unclustered=True)):
            assert columns.metric_counts(query) == metric_counts(session, query), query
            for metric_id, *_ in columns.metric_counts(query)[:4]:
                every = [row.id for row in chart_rows(session, query, metric_id, limit=10**9)]
                assert columns.chart_ids(query, metric_id, limit=10**9) == (every, len(every)), (query, metric_id)
                sample = [every[i] for i in np.linspace(0, len(every) - 1, 7).astype(np.int64)] if len(every) > 7 else every
                assert columns.chart_ids(query, metric_id, limit=7) == (sample, len(every))


def test_columns_read_in_many_chunks_equal_those_read_at_once(synthetic, monkeypatch):
    """The loader turns each chunk of rows into its typed columns and joins them after: nothing lost,
    nothing reordered, the same dtypes and the same text tables."""
    from store.query import columns_load

    with synthetic.read() as session:
        whole = FigureColumns.load(session)
        monkeypatch.setattr(columns_load, "_CHUNK", 333)  # 4,000 figures: 13 chunks, the last one part full
        chunked = FigureColumns.load(session)
    for name in (*columns_load.FIELDS, "conflict"):
        assert getattr(chunked, name).dtype == getattr(whole, name).dtype, name
        assert getattr(chunked, name).tolist() == getattr(whole, name).tolist(), name
    assert (chunked.period_texts, chunked.unit_texts, chunked.qualifier_texts) == (
        whole.period_texts, whole.unit_texts, whole.qualifier_texts)
    assert chunked.quotes.equals(whole.quotes) and chunked.notes.equals(whole.notes)


NO_PANDAS_SCRIPT = """
import sys
from store import open_store
from store.query import FigureQuery
from store.query.columns import FigureColumns
store = open_store(sys.argv[1])
with store.read() as session:
    columns = FigureColumns.load(session)
    for typed in ("r", "ro", "robot", "billion 2", "zzz"):
        columns.select(FigureQuery(text=typed))
    columns.facet_counts(FigureQuery(text="ro"))
    for key in ("quote", "note"):
        columns.column_stats(columns.id[:50], key)
    columns.refresh(session, columns.id[:7].tolist())
print(sorted(name for name in sys.modules if name.split(".")[0] == "pandas"))
"""


def test_the_columns_never_import_pandas(synthetic):
    """pyarrow imports pandas at its first pa.array() or to_numpy() (some 40 MB in the window, unused):
    loading, filtering, counting and refreshing the columns go through store.query.arrow instead."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", NO_PANDAS_SCRIPT, str(synthetic.path)], cwd=root, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
