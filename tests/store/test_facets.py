"""Facets, value comparisons, title words and the unit-grouped sort: the numpy columns give the SQL's answers."""

from __future__ import annotations

import pytest

from store.query import FACETS, FigureQuery, facets_of
from store.query.browse import count_figures, figure_ids, figure_rows
from store.query.columns import FigureColumns
from store.query.value_filter import ValueFilterError, parse_value_filter


@pytest.fixture(params=["seeded", "synthetic"])
def either_store(request, seeded_store, synthetic):
    return seeded_store if request.param == "seeded" else synthetic


def _queries(columns: FigureColumns) -> list[FigureQuery]:
    value = parse_value_filter
    units = columns.unit_texts[:3]
    some = {"status": ["verified", "disputed"], "unit": units, "metric": sorted(columns.names["metric"])[:4],
            "period": columns.period_texts[:3] + [""], "entity": sorted(columns.names["entity"])[:3],
            "cluster": [-1] + sorted(columns.names["cluster"])[:5], "document": sorted(columns.names["document"])[:2]}
    queries = [FigureQuery(facets=facets_of({name: values})) for name, values in some.items()]
    queries += [FigureQuery(facets=facets_of({"status": ["verified"], "unit": units[:2]})),
                FigureQuery(facets=facets_of({"cluster": [-1], "period": [""]}), text="billion")]
    for typed in (">100", ">=1e9", "<5", "10..100", "100-200", "=31.2", ">500 billion", ">500 billion yuan",
                  ">50 %", "<1 %", "1..2 trillion", ">US$1 billion", "5亿..1万亿"):
        queries.append(FigureQuery(value_filter=value(typed)))
        queries.append(FigureQuery(value_filter=value(typed), sort="value", descending=True, text="2024"))
    queries += [FigureQuery(text="robot"), FigureQuery(text="robot", titles=True), FigureQuery(text="title:robot"),
                FigureQuery(text="title:guangdong 2024"), FigureQuery(text="title:"),
                FigureQuery(sort="value"), FigureQuery(sort="value", descending=True)]
    return queries


def test_facets_values_titles_and_sorts_give_the_rows_of_the_sql(either_store):
    with either_store.read() as session:
        columns = FigureColumns.load(session)
        for query in _queries(columns):
            assert list(columns.select(query)) == figure_ids(session, query), query


def test_each_facet_counts_its_values_with_the_other_facets_applied(either_store):
    with either_store.read() as session:
        columns = FigureColumns.load(session)
        some_clusters = frozenset(sorted(columns.names["cluster"])[:8])
        for query in (FigureQuery(), FigureQuery(cluster_ids=some_clusters, text="billion"),
                      FigureQuery(facets=facets_of({"status": ["verified"], "unit": ["yuan", "%"]}),
                                  value_filter=parse_value_filter(">5"))):
            counts = columns.facet_counts(query, limit=4)
            assert set(counts) == set(FACETS)
            for name, found in counts.items():
                others = tuple(f for f in query.facets if f[0] != name)
                assert found.figures == count_figures(session, query.with_(facets=others))
                for value in found.values:
                    asked = query.with_(facets=others + ((name, (value.value,)),))
                    assert value.count == count_figures(session, asked), (name, value)
                listed = [v for v in found.values if not v.chosen]
                assert len(listed) <= 4 and [v.count for v in listed] == sorted((v.count for v in listed), reverse=True)


def test_a_word_in_a_document_title_finds_its_figures_only_when_asked(seeded_store):
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)

        def rows(query):
            return figure_rows(session, [int(i) for i in columns.select(query)])

        plain = rows(FigureQuery(text="robot"))
        assert plain and all("robot" in " ".join(str(getattr(r, k) or "") for k in (
            "cluster_name", "entity_name", "metric_name", "quote", "note", "period", "status", "qualifier")).lower()
            for r in plain)
        assert not any(r.metric_name == "Share of GDP" for r in plain)
        by_title = rows(FigureQuery(text="title:robot"))
        assert any(r.metric_name == "Share of GDP" for r in by_title)
        assert all("robot" in r.doc_title.lower() for r in by_title)
        assert {r.id for r in rows(FigureQuery(text="robot", titles=True))} == \
            {r.id for r in plain} | {r.id for r in by_title}


def test_sorting_by_value_keeps_each_unit_together(seeded_store):
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
        for descending in (False, True):
            rows = figure_rows(session, [int(i) for i in columns.select(FigureQuery(sort="value", descending=descending))])
            by_id = {r.id: r for r in rows}
            ordered = [by_id[int(i)] for i in columns.select(FigureQuery(sort="value", descending=descending))]
            units = [r.unit for r in ordered]
            runs = [u for i, u in enumerate(units) if i == 0 or u != units[i - 1]]
            assert len(runs) == len(set(units)), "a unit appears in two places"
            for unit in set(units):
                values = [r.value for r in ordered if r.unit == unit]
                assert values == sorted(values, reverse=descending)
            assert units.index("US$") != units.index("yuan")


@pytest.mark.parametrize("typed, low, high, unit", [
    (">100", 100, None, None), (">=1e9", 10**9, None, None), ("<5", None, 5, None), ("10..100", 10, 100, None),
    ("100-200", 100, 200, None), ("=31.2", 31.2, 31.2, None), (">500 billion", 5 * 10**11, None, None),
    (">500 billion yuan", 5 * 10**11, None, "yuan"), ("1..2 trillion", 10**12, 2 * 10**12, None),
    (">US$50 billion", 5 * 10**10, None, "US$"), ("5%..10%", 5, 10, "%"), ("3亿", 3 * 10**8, 3 * 10**8, None),
    ("1,000 to 2,000", 1000, 2000, None), (">5 tonnes", 5, None, "tonnes"),
])
def test_comparisons_read_as_typed(typed, low, high, unit):
    found = parse_value_filter(typed)
    assert (found.low, found.high, found.unit) == (low if low is None else pytest.approx(low),
                                                   high if high is None else pytest.approx(high), unit)


@pytest.mark.parametrize("typed, words", [
    (">", "after"), ("abc", "not a number"), ("200..100", "low to high"), ("10..", "end of the range"),
    (">1 2", "left over"), ("$5 yuan", "Two units"),
])
def test_a_malformed_comparison_says_why(typed, words):
    with pytest.raises(ValueFilterError, match=words):
        parse_value_filter(typed)


def test_column_statistics_give_count_distinct_and_range_per_unit(seeded_store):
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
        ids = columns.select(FigureQuery(facets=facets_of({"unit": ["yuan", "US$"]})))
        rows = figure_rows(session, [int(i) for i in ids])
        stats = columns.column_stats(ids, "value")
        assert stats.count == len(rows)
        for unit in stats.units:
            values = [r.value for r in rows if r.unit == unit.unit]
            assert (unit.count, unit.distinct, unit.low, unit.high) == (len(values), len(set(values)), min(values), max(values))
        entity = columns.column_stats(ids, "entity")
        names = sorted({r.entity_name for r in rows})
        assert (entity.count, entity.distinct, entity.low, entity.high) == (len(rows), len(names), names[0], names[-1])
