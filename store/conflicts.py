"""Conflicts: figures that state the same thing (metric, entity, cluster, period, unit) with different values.

A different period is not a conflict, nor is a different unit (a US$ conversion
beside its yuan figure). Rejected and superseded figures no longer count.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from store.models import Figure

INACTIVE = ("rejected", "superseded")
KEY_COLUMNS = (Figure.metric_id, Figure.entity_id, Figure.cluster_id, Figure.period, Figure.unit)


def conflict_keys() -> Select:
    return (
        select(*KEY_COLUMNS)
        .where(Figure.status.not_in(INACTIVE))
        .group_by(*KEY_COLUMNS)
        .having(func.count(func.distinct(Figure.value_text)) > 1)
    )


def conflicting_figures() -> Select:
    """SELECT of the ids of every active figure that is in a conflict."""
    keys = conflict_keys().subquery()
    # Joined on each key column; NULL clusters are matched with IS, as GROUP BY groups them.
    return (
        select(Figure.id)
        .join(keys, (Figure.metric_id == keys.c.metric_id) & (Figure.entity_id == keys.c.entity_id)
              & (Figure.cluster_id.is_not_distinct_from(keys.c.cluster_id))
              & (Figure.period == keys.c.period) & (Figure.unit == keys.c.unit))
        .where(Figure.status.not_in(INACTIVE))
    )


def conflict_ids(session: Session) -> set[int]:
    return set(session.scalars(conflicting_figures()))


def conflict_groups(session: Session) -> list[list[int]]:
    """Each conflict as the ids of its figures, grouped by key, in key order."""
    ids = conflict_ids(session)
    if not ids:
        return []
    rows = session.execute(
        select(Figure.id, *KEY_COLUMNS).where(Figure.id.in_(sorted(ids))).order_by(*KEY_COLUMNS, Figure.id)
    ).all()
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        groups.setdefault(tuple(row[1:]), []).append(row[0])
    return list(groups.values())


__all__ = ["conflict_ids", "conflict_groups", "conflicting_figures"]
