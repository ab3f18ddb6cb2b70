"""Conflicts only where the key is known, and only beyond rounding: one rule (store.query.conflict_rule) that the
SQL (store.query.conflicts), the numpy columns, the pivot and the chart all follow."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from gui.views.chart_data import build_chart
from gui.views.pivot_data import build_grid
from store.curation.figures import FigureDraft, add_document, add_figure, edit_figure
from store.curation.importing import import_documents
from store.models import Anchor, Entity, Figure, Metric
from store.query import FigureQuery
from store.query import conflict_rule as rule
from store.query.browse import figure_rows
from store.query.columns import FigureColumns
from store.query.conflicts import conflict_groups, conflict_ids


def _figures(store, rows: list[dict]) -> list[int]:
    """One document stating each row's quote; a figure per row (metric/entity names, as a curator types them)."""
    quotes = [row["quote"] for row in rows]
    text = " ; ".join(quotes) + "."
    doc_id = add_document(store, text, "Test report").created_id
    ids, at = [], 0
    for row in rows:
        start = text.index(row["quote"], at)
        at = start + len(row["quote"])
        fields = {k: v for k, v in row.items() if k not in ("quote", "growth", "projected")}
        figure_id = add_figure(store, FigureDraft(doc_id, start, at, **fields)).first_created("figures")
        ids.append(figure_id)
        if "growth" in row or "projected" in row:  # what an import stores from the finder's reading
            with store.write() as session:
                figure = session.get(Figure, figure_id)
                figure.growth, figure.projected = row.get("growth", ""), row.get("projected", False)
    return ids


def _both(store) -> tuple[set[int], set[int]]:
    """(figures in conflict by SQL, by the numpy columns); the test asserts they agree."""
    with store.read() as session:
        sql = conflict_ids(session)
        columns = FigureColumns.load(session)
        assert columns.conflict_groups() == conflict_groups(session)
    return sql, set(columns.id[columns.conflict].tolist())


def _conflicting(store, ids: list[int]) -> set[int]:
    sql, vectorised = _both(store)
    assert sql == vectorised
    return sql & set(ids)


def share(entity: str, value: str, period: str = "", **extra) -> dict:
    return dict(quote=f"{value}% of GDP in {entity} {period}".strip(), value_text=value, unit="%",
                metric="Share of GDP", entity=entity, period=period, **extra)


def test_two_provinces_shares_of_gdp_with_no_period_do_not_conflict(seeded_store):
    ids = _figures(seeded_store, [share("Unassigned entity", "18"), share("Unassigned entity", "7.5"),
                                 share("Zhejiang", "18"), share("Zhejiang", "7.5")])
    assert _conflicting(seeded_store, ids) == set()


def test_the_same_known_key_with_different_values_conflicts(seeded_store):
    ids = _figures(seeded_store, [share("Zhejiang", "18", "2025"), share("Zhejiang", "7.5", "2025"),
                                 share("Jiangsu", "7.5", "2025")])
    assert _conflicting(seeded_store, ids) == set(ids[:2])


def test_the_same_value_written_differently_or_rounded_does_not_conflict(seeded_store):
    def gdp(quote, value, scale, period):
        return dict(quote=quote, value_text=value, unit="yuan", scale=scale, metric="GDP or economic aggregate",
                    entity="Zhejiang", period=period)

    same = _figures(seeded_store, [gdp("535 billion yuan", "535000000000", "billion", "2024"),
                                  gdp("5350亿元", "535000000000", "亿", "2024")])
    rounded = _figures(seeded_store, [dict(quote="267 journalists", value_text="267", unit="journalists",
                                          metric="Participants", entity="Open day", period="2025-03"),
                                     dict(quote="nearly 270 journalists", value_text="270", unit="journalists",
                                          qualifier="nearly", metric="Participants", entity="Open day",
                                          period="2025-03")])
    one_decimal = _figures(seeded_store, [gdp("1.2 trillion yuan", "1200000000000", "trillion", "2025"),
                                         gdp("1.23 trillion yuan", "1230000000000", "trillion", "2025")])
    assert _conflicting(seeded_store, same + rounded + one_decimal) == set()
    # Beyond rounding: 1.26 trillion is not 1.2 trillion rounded; 270 stated as exact is not 267.
    edit_figure(seeded_store, one_decimal[1], {"value_text": "1260000000000"})
    edit_figure(seeded_store, rounded[1], {"qualifier": ""})
    assert _conflicting(seeded_store, same + rounded + one_decimal) == set(rounded + one_decimal)


def test_an_unassigned_entity_or_metric_never_conflicts(seeded_store):
    unassigned = _figures(seeded_store, [share("Unassigned entity", "18", "2025"),
                                        share("Unassigned entity", "7.5", "2025"),
                                        dict(quote="12 billion yuan", value_text="12000000000", unit="yuan",
                                             scale="billion", metric="Unassigned (money)", entity="Zhejiang",
                                             period="2025"),
                                        dict(quote="14 billion yuan", value_text="14000000000", unit="yuan",
                                             scale="billion", metric="Unassigned (money)", entity="Zhejiang",
                                             period="2025")])
    assert _conflicting(seeded_store, unassigned) == set()
    # Once a reviewer names the entity, the key is known and the two disagree.
    edit_figure(seeded_store, unassigned[0], {"entity": "Zhejiang"})
    edit_figure(seeded_store, unassigned[1], {"entity": "Zhejiang"})
    assert _conflicting(seeded_store, unassigned) == set(unassigned[:2])


def test_a_level_is_not_a_change_and_a_target_is_not_an_outcome(seeded_store):
    ids = _figures(seeded_store, [share("Zhejiang", "5.5", "2025", growth="change"),
                                 share("Zhejiang", "48", "2025", growth="level"),
                                 share("Zhejiang", "50", "2025", growth="level", projected=True)])
    assert _conflicting(seeded_store, ids) == set()
    # A seed or curated figure states no growth: its metric's kind stands in ('growth' in the name).
    growth = _figures(seeded_store, [dict(quote="up 5.5%", value_text="5.5", unit="%", metric="GDP growth",
                                         entity="Zhejiang", period="2025"),
                                    dict(quote="grew 6.5%", value_text="6.5", unit="%", metric="GDP growth",
                                         entity="Zhejiang", period="2025", growth="change")])
    assert _conflicting(seeded_store, growth) == set(growth)


def test_the_placeholders_an_import_makes_are_the_rule_s_unknowns(seeded_store, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Output rose to 12.5 billion yuan. Exports reached 3.1 billion yuan, up 8.1 percent.\n",
                    encoding="utf-8")
    [result] = import_documents(seeded_store, [path])
    with seeded_store.read() as session:
        rows = session.execute(select(Metric.name, Entity.name).join(Figure, Figure.metric_id == Metric.id)
                               .join(Entity, Entity.id == Figure.entity_id).join(Anchor, Anchor.figure_id == Figure.id)
                               .where(Anchor.document_id == result.document_id)).all()
    assert result.candidates >= 2 and rows
    assert all(rule.is_placeholder(entity) for _metric, entity in rows)  # no place is named
    assert _conflicting(seeded_store, []) == set()


def test_the_pivot_and_the_chart_follow_the_rule(seeded_store):
    ids = _figures(seeded_store, [share("Unassigned entity", "18"), share("Unassigned entity", "7.5"),
                                 share("Zhejiang", "18", "2025"), share("Zhejiang", "18.4", "2025"),
                                 share("Jiangsu", "7", "2025"), share("Jiangsu", "7.9", "2025")])
    with seeded_store.read() as session:
        rows = figure_rows(session, ids)
    grid = build_grid(rows, "entity")
    conflicts = {grid.row_labels[r]: cell.conflict for (r, _c), cell in grid.cells.items()}
    assert conflicts == {"Unassigned entity": False, "Zhejiang": False, "Jiangsu": True}
    bars = {bar.label: bar.conflict for bar in build_chart("Share of GDP", rows).bars}
    assert bars == {"Unassigned entity": False, "Zhejiang \u00b7 2025": False, "Jiangsu \u00b7 2025": True}
    assert _conflicting(seeded_store, ids) == set(ids[4:])


def test_the_vectorised_test_is_the_pairwise_definition():
    generator = np.random.default_rng(7)
    for _ in range(300):
        n = int(generator.integers(2, 7))
        values = np.round(generator.uniform(0, 3, n), int(generator.integers(0, 3)))
        steps = generator.choice([0.0, 0.01, 0.1, 1.0], n)
        pairwise = rule.values_conflict(values.tolist(), steps.tolist())
        order = np.argsort(values)
        assert rule.groups_in_conflict(np.array([0]), values[order], steps[order])[0] == pairwise


@pytest.mark.parametrize("value, scale, qualifier, step", [
    ("535000000000", "billion", "", 1e9), ("535000000000", "亿", "", 1e8), ("1200000000000", "trillion", "", 1e11),
    ("270", "", "nearly", 10), ("270", "", "", 1), ("18.4", "", "", 0.1), ("0.3333333333333333", "", "", 0)])
def test_the_step_of_a_value_is_its_last_written_digit(value, scale, qualifier, step):
    [found] = rule.steps([float(value)], [rule.scale_factor(scale)], [rule.is_approximate(qualifier)])
    assert found == pytest.approx(step)


def test_the_columns_follow_an_edit_and_a_refresh(seeded_store):
    ids = _figures(seeded_store, [share("Zhejiang", "18", "2025"), share("Zhejiang", "18", "2025")])
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
    assert not columns.conflict[np.isin(columns.id, ids)].any()
    edit_figure(seeded_store, ids[1], {"value_text": "19"})
    with seeded_store.read() as session:
        columns.refresh(session, [ids[1]])  # the local path: only the touched keys
        assert set(columns.id[columns.conflict].tolist()) == conflict_ids(session) >= set(ids)
        assert columns.select(FigureQuery()).tolist() == sorted(columns.id.tolist())


def _by_the_definition(session) -> set[int]:
    """Figures in conflict by conflict_key and values_conflict alone, row by row: the oracle."""
    from store.status import INACTIVE

    ids = session.scalars(select(Figure.id).where(Figure.status.not_in(INACTIVE))).all()
    by_key: dict[tuple, list[dict]] = {}
    for row in figure_rows(session, list(ids)):
        if row.value is not None and (key := rule.conflict_key(row)) is not None:
            by_key.setdefault(key, []).append(row)
    found = set()
    for rows in by_key.values():
        if len(rows) > 1 and rule.values_conflict([float(r.value) for r in rows], rule.row_steps(rows).tolist()):
            found |= {r.id for r in rows}
    return found


def test_the_sql_and_the_columns_are_the_definition_vectorised(seeded_store):
    """store.query.conflicts and store.query.columns write conflict_key as column expressions: on every figure of a store
    with conflicts of each kind (placeholders, no period, a level beside a change, a target beside an
    outcome, rounding), they find exactly the figures the definition finds."""
    _figures(seeded_store, [share("Unassigned entity", "18", "2025"), share("Unassigned entity", "7.5", "2025"),
                            share("Zhejiang", "18", "2025"), share("Zhejiang", "18.4", "2025"),
                            share("Jiangsu", "7", "2025"), share("Jiangsu", "7.9", "2025"),
                            share("Anhui", "3", "2025"), share("Anhui", "4", "2025", projected=True),
                            share("Hubei", "5", "2025"), share("Hubei", "6", "2025", growth="change"),
                            share("Hunan", "5"), share("Hunan", "6")])
    with seeded_store.read() as session:
        oracle = _by_the_definition(session)
    sql, vectorised = _both(seeded_store)
    assert oracle and sql == oracle and vectorised == oracle
