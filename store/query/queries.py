"""Flat figure rows for scripts and the command line, by keys (cluster, metric, entity, status, document),
on the one join chain of store.query.browse.

Rows come back as plain dicts straight from the database cursor (no ORM
objects), so a script can stream a million of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from store.models import Anchor, Document, Entity, Figure, Metric
from store.query.browse import FigureCluster, joined_rows


@dataclass
class FigureFilter:
    """Which figures to list; an empty list means no restriction."""

    clusters: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)

    def narrow(self, stmt: Select) -> Select:
        """`stmt` (a select on store.query.browse.joined_rows) kept to the figures this filter lists."""
        for keys, column in ((self.clusters, FigureCluster.key), (self.metrics, Metric.key),
                             (self.entities, Entity.key), (self.statuses, Figure.status),
                             (self.docs, Document.file_name)):
            if keys:
                stmt = stmt.where(column.in_(keys))
        return stmt


def figure_select(flt: FigureFilter | None = None) -> Select:
    """Every figure as one flat row on browse's joins (store.query.browse.joined_rows), in id order."""
    stmt = joined_rows(select(
        Figure.id, Figure.key, Document.file_name.label("doc"), Document.title.label("doc_title"),
        Anchor.start, Anchor.end, Anchor.quote, Anchor.prefix, Anchor.suffix,
        Anchor.state.label("anchor"), Figure.value, Figure.value_text, Figure.value_max_text,
        Figure.unit, Figure.scale, Figure.qualifier, Figure.period, Figure.period_start,
        Figure.period_end, Metric.key.label("metric"), Metric.name.label("metric_name"),
        Metric.unit_kind, FigureCluster.key.label("cluster"), FigureCluster.name.label("cluster_name"),
        Entity.key.label("entity"), Entity.name.label("entity_name"), Figure.status,
        Figure.status_reason, Figure.note, Figure.version, Figure.metric_text, Figure.growth,
        Figure.growth_base, Figure.projected, Figure.reading,
    )).order_by(Figure.id)
    return stmt if flt is None else flt.narrow(stmt)


def iter_figures(session: Session, flt: FigureFilter | None = None) -> Iterator[dict]:
    result = session.execute(figure_select(flt).execution_options(yield_per=5000))
    for row in result.mappings():
        yield dict(row)
