"""Flat figure rows: one SQL query joining each figure to its names and its anchor.

Rows come back as plain dicts straight from the database cursor (no ORM
objects), so a script can stream a million of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from store.models import Anchor, Cluster, Document, Entity, Figure, Metric


@dataclass
class FigureFilter:
    """Which figures to list; an empty list means no restriction."""

    clusters: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)


def figure_select(flt: FigureFilter | None = None) -> Select:
    cluster = aliased(Cluster)
    stmt = (
        select(
            Figure.id, Figure.key, Document.file_name.label("doc"), Document.title.label("doc_title"),
            Anchor.start, Anchor.end, Anchor.quote, Anchor.prefix, Anchor.suffix,
            Anchor.state.label("anchor"), Figure.value, Figure.value_text, Figure.value_max_text,
            Figure.unit, Figure.scale, Figure.qualifier, Figure.period, Figure.period_start,
            Figure.period_end, Metric.key.label("metric"), Metric.name.label("metric_name"),
            Metric.unit_kind, cluster.key.label("cluster"), cluster.name.label("cluster_name"),
            Entity.key.label("entity"), Entity.name.label("entity_name"), Figure.status,
            Figure.status_reason, Figure.note, Figure.version, Figure.metric_text, Figure.growth,
            Figure.growth_base, Figure.projected, Figure.reading,
        )
        .join(Anchor, Anchor.figure_id == Figure.id)
        .join(Document, Anchor.document_id == Document.id)
        .join(Metric, Figure.metric_id == Metric.id)
        .join(Entity, Figure.entity_id == Entity.id)
        .outerjoin(cluster, Figure.cluster_id == cluster.id)
        .order_by(Figure.id)
    )
    if flt is None:
        return stmt
    if flt.clusters:
        stmt = stmt.where(cluster.key.in_(flt.clusters))
    if flt.metrics:
        stmt = stmt.where(Metric.key.in_(flt.metrics))
    if flt.entities:
        stmt = stmt.where(Entity.key.in_(flt.entities))
    if flt.statuses:
        stmt = stmt.where(Figure.status.in_(flt.statuses))
    if flt.docs:
        stmt = stmt.where(Document.file_name.in_(flt.docs))
    return stmt


def iter_figures(session: Session, flt: FigureFilter | None = None) -> Iterator[dict]:
    result = session.execute(figure_select(flt).execution_options(yield_per=5000))
    for row in result.mappings():
        yield dict(row)
