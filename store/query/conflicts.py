"""Conflicts in SQL: figures that state the same thing with values that cannot both be true.

The rule (the key, its unknown parts, rounding, bounds) is store.query.conflict_rule's. Here SQL finds the
keys (known, active, more than one value text or qualifier: "over 50" and "under 50" are one value text)
and the rule's pairwise test decides each; store.query.columns
gives the same answer vectorised, and the tests hold the two together. Rejected and superseded
figures no longer count.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from store.models import Entity, Figure, Metric
from store.query import conflict_rule as rule
from store.status import INACTIVE


def _contains_any(column, words) -> ColumnElement:
    return or_(*(func.lower(column).contains(word, autoescape=True) for word in words))


def kind_sql() -> ColumnElement:
    """conflict_rule.figure_kind in SQL (needs Metric joined)."""
    by_metric = case((or_(_contains_any(Metric.key, rule.CHANGE_WORDS), _contains_any(Metric.name, rule.CHANGE_WORDS)),
                      rule.CHANGE), else_=rule.LEVEL)
    return case((Figure.growth.in_((rule.LEVEL, rule.CHANGE)), Figure.growth), else_=by_metric)


def target_sql() -> ColumnElement:
    """conflict_rule.is_target in SQL."""
    return case((or_(Figure.projected.is_(True), _contains_any(Figure.qualifier, rule.TARGET_WORDS)), 1), else_=0)


def known_sql() -> ColumnElement:
    """conflict_rule.key_known in SQL (needs Metric and Entity joined)."""
    return and_(~func.lower(Metric.name).startswith(rule.PLACEHOLDER), ~func.lower(Entity.name).startswith(rule.PLACEHOLDER),
                func.trim(Figure.period) != "")


def _keyed(*columns) -> Select:
    kind, target = kind_sql().label("kind"), target_sql().label("target")
    return (select(*columns, Figure.metric_id, Figure.entity_id, Figure.cluster_id, Figure.period, Figure.unit, kind,
                   target)
            .join(Metric, Metric.id == Figure.metric_id).join(Entity, Entity.id == Figure.entity_id)
            .where(Figure.status.not_in(INACTIVE), known_sql()))


def _suspects(session: Session) -> list:
    """Active figures of a known key that holds more than one value text or qualifier, by key then id."""
    said = func.coalesce(Figure.value_text, "") + "\x1f" + func.coalesce(Figure.qualifier, "")
    keys = _keyed().group_by(*_keyed().selected_columns).having(func.count(func.distinct(said)) > 1).subquery()
    mine = _keyed(Figure.id, Figure.value, Figure.scale, Figure.qualifier).subquery()
    same = and_(*(mine.c[name].is_not_distinct_from(keys.c[name]) for name in
                  ("metric_id", "entity_id", "cluster_id", "period", "unit", "kind", "target")))
    return session.execute(
        select(mine).join(keys, same).order_by(mine.c.metric_id, mine.c.entity_id, mine.c.cluster_id.nulls_first(),
                                                mine.c.period, mine.c.unit, mine.c.kind, mine.c.target, mine.c.id)
    ).all()


def conflict_groups(session: Session) -> list[list[int]]:
    """Each conflict as the ids of its figures, grouped by key, in key order (ids ascending in a group)."""
    groups: dict[tuple, list] = {}
    for row in _suspects(session):
        groups.setdefault(tuple(row[4:]), []).append(row)
    found = []
    for rows in groups.values():
        steps = rule.steps([r.value for r in rows], [rule.scale_factor(r.scale) for r in rows],
                           [rule.is_approximate(r.qualifier) for r in rows])
        if rule.values_conflict([r.value for r in rows], steps, [rule.bound(r.qualifier) for r in rows]):
            found.append([r.id for r in rows])
    return found


def conflict_ids(session: Session) -> set[int]:
    return {i for group in conflict_groups(session) for i in group}


__all__ = ["conflict_ids", "conflict_groups", "kind_sql", "known_sql", "target_sql"]
