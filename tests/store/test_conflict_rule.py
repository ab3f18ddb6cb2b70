"""Conflicts only where the key is known, and only beyond rounding or outside a bound: one rule (store.query.conflict_rule) that the
SQL (store.query.conflicts), the numpy columns, the pivot and the chart all follow."""

from __future__ import annotations

import json

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
from store.values.numbers import parse_quantity


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
    """Figures in conflict by conflict_key and values_conflict (with each row's bound) alone, row by row: the oracle."""
    from store.status import INACTIVE

    ids = session.scalars(select(Figure.id).where(Figure.status.not_in(INACTIVE))).all()
    by_key: dict[tuple, list[dict]] = {}
    for row in figure_rows(session, list(ids)):
        if row.value is not None and (key := rule.conflict_key(row)) is not None:
            by_key.setdefault(key, []).append(row)
    found = set()
    for rows in by_key.values():
        if len(rows) > 1 and rule.values_conflict([float(r.value) for r in rows], rule.row_steps(rows).tolist(),
                                                  rule.row_sides(rows)):
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


# --- bounds: "over 50 %" says (50, ∞), and conflicts only with what lies outside it ---------------------
def bounded(entity: str, quote: str, value: str, qualifier: str = "", period: str = "2025") -> dict:
    """A share as a curator adds it: the qualifier is what the add-figure dialog reads in the quote, unless given."""
    return dict(quote=f"{quote} of GDP in {entity} {period}", value_text=value, unit="%", metric="Share of GDP",
                entity=entity, period=period, qualifier=qualifier or parse_quantity(quote).qualifier)


def test_a_bound_conflicts_only_with_a_value_outside_it(seeded_store):
    pairs = {
        "over 50 vs 40": ([bounded("Zhejiang", "over 50%", "50"), bounded("Zhejiang", "40%", "40")], True),
        "over 50 vs 56.2": ([bounded("Jiangsu", "over 50%", "50"), bounded("Jiangsu", "56.2%", "56.2")], False),
        "over 50 vs over 60": ([bounded("Anhui", "over 50%", "50"), bounded("Anhui", "over 60%", "60")], False),
        "under 5 vs 6": ([bounded("Hubei", "under 5%", "5"), bounded("Hubei", "6%", "6")], True),
        # Within rounding of the bound's number, but on the wrong side of it.
        "over 50 vs 49.6": ([bounded("Shanxi", "over 50%", "50"), bounded("Shanxi", "49.6%", "49.6")], True),
        "under 5 vs 5.4": ([bounded("Sichuan", "under 5%", "5"), bounded("Sichuan", "5.4%", "5.4")], True),
        "超过10% vs 12%": ([bounded("Hunan", "超过10%", "10"), bounded("Hunan", "12%", "12")], False),
        "超过 typed vs 12%": ([bounded("Henan", "10%", "10", qualifier="超过"), bounded("Henan", "12%", "12")], False),
        "over 50 vs under 50": ([bounded("Fujian", "over 50%", "50"), bounded("Fujian", "under 50%", "50")], True),
        "at least 50 vs up to 50": ([bounded("Jiangxi", "at least 50%", "50"),
                                     bounded("Jiangxi", "up to 50%", "50", qualifier="up to")], False),
        "不超过10% vs 12%": ([bounded("Hainan", "10%", "10", qualifier="不超过"), bounded("Hainan", "12%", "12")], True),
    }
    assert parse_quantity("超过10%").qualifier == "over"  # the word in the quote reaches the qualifier
    ids = {name: _figures(seeded_store, rows) for name, (rows, _) in pairs.items()}
    found = _conflicting(seeded_store, [i for pair in ids.values() for i in pair])
    assert {name: set(ids[name]) <= found for name in pairs} == {name: expected for name, (_, expected) in pairs.items()}
    assert found == {i for name, (_, expected) in pairs.items() if expected for i in ids[name]}
    with seeded_store.read() as session:
        rows = {r.id: r for r in figure_rows(session, [i for pair in ids.values() for i in pair])}
    assert {name: rule.rows_conflict([rows[i] for i in ids[name]]) for name in pairs} == {
        name: expected for name, (_, expected) in pairs.items()}


def test_seed_000_s_bounds_are_not_in_conflict_with_the_work_report(seeded_path, capsys):
    """'over 50%' and 'over 30%' (seed 000) round the work report's 56.2% and 34.7% (seed 005): lineage says
    `rounds`, and the conflict rule agrees."""
    from store.cli import main

    assert main(["conflicts", "--format", "jsonl", "--db", str(seeded_path)]) == 0
    groups = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    keys = {f["key"] for group in groups for f in group["figures"]}
    assert keys.isdisjoint({"000-016", "000-017", "005-068", "005-069"}), keys
    assert main(["lineage", "--format", "jsonl", "--db", str(seeded_path)]) == 0
    verdicts = {(r["figure"]["key"], r["source"]["key"]): r["verdict"]
                for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert verdicts[("000-016", "005-068")] == verdicts[("000-017", "005-069")] == "rounds"


def test_the_vectorised_test_with_bounds_is_the_pairwise_definition():
    generator = np.random.default_rng(11)
    for _ in range(500):
        n = int(generator.integers(2, 7))
        values = np.round(generator.uniform(0, 3, n), int(generator.integers(0, 2)))
        steps = generator.choice([0.0, 0.1, 1.0], n)
        sides = generator.choice([rule.STATED, rule.STATED, rule.OVER, rule.AT_LEAST, rule.UNDER, rule.AT_MOST], n)
        pairwise = rule.values_conflict(values.tolist(), steps.tolist(), sides.tolist())
        assert rule.groups_in_conflict(np.array([0]), values, steps, sides)[0] == pairwise, (values, steps, sides)


@pytest.mark.parametrize("qualifier, side", [
    ("over", rule.OVER), ("projected over", rule.OVER), ("exceeding", rule.OVER), ("超过", rule.OVER),
    ("以上", rule.OVER), ("at least", rule.AT_LEAST), ("target at least", rule.AT_LEAST), ("不低于", rule.AT_LEAST),
    ("less than", rule.UNDER), ("不到", rule.UNDER), ("以下", rule.UNDER), ("up to", rule.AT_MOST),
    ("no more than", rule.AT_MOST), ("not exceeding", rule.AT_MOST), ("不超过", rule.AT_MOST),
    ("", rule.STATED), ("nearly", rule.STATED), ("approximately", rule.STATED), ("turnover", rule.STATED)])
def test_the_bound_is_read_from_the_qualifier(qualifier, side):
    assert rule.bound(qualifier) == side
