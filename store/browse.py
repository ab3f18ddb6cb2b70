"""What the browsing views ask of the store: a figure set, sorted, filtered and paged in SQL.

A FigureQuery names a figure set (a cluster scope, a filter text, statuses, a
metric) and an order. The GUI's table shows `count()` rows and fetches only
the pages it paints, so a million-figure store never becomes a million Python
objects; sorting and filtering are ORDER BY and WHERE, never a per-row loop.
"""

from __future__ import annotations


from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from store.query import FigureQuery  # noqa: F401 - re-exported: its home before store.query
from store.models import Anchor, Annotation, Cluster, Document, Entity, Figure, Metric

_cluster = aliased(Cluster, name="cluster")

# Sortable columns of the figures table: key -> SQL expression.
SORT_KEYS: dict[str, ColumnElement] = {
    "id": Figure.id,
    "cluster": _cluster.name,
    "entity": Entity.name,
    "metric": Metric.name,
    "period": Figure.period_start,
    "value": Figure.value,
    "qualifier": Figure.qualifier,
    "status": Figure.status,
    "source": Document.title,
    "quote": Anchor.quote,
    "note": Figure.note,
    "anchor": Anchor.state,
}

ROW_COLUMNS = (
    Figure.id, Figure.key, _cluster.name.label("cluster_name"), _cluster.key.label("cluster"),
    Entity.name.label("entity_name"), Entity.key.label("entity"), Metric.name.label("metric_name"),
    Metric.key.label("metric"), Metric.id.label("metric_id"), _cluster.name_zh.label("cluster_name_zh"),
    Entity.name_zh.label("entity_name_zh"), Metric.name_zh.label("metric_name_zh"), Metric.unit_kind, Figure.period,
    Figure.period_start, Figure.period_end, Figure.value, Figure.value_text, Figure.value_max_text,
    Figure.unit, Figure.scale, Figure.qualifier, Figure.status, Figure.status_reason, Figure.note,
    Document.id.label("document_id"), Document.title.label("doc_title"),
    Document.file_name.label("doc"), Anchor.start, Anchor.end, Anchor.quote, Anchor.state.label("anchor"),
    Figure.flag, Figure.version, Figure.superseded_by_id, Document.published.label("doc_published"),
    Document.publisher.label("doc_publisher"),
    Figure.metric_text, Figure.growth, Figure.growth_base, Figure.projected, Figure.reading,
    select(func.count(Annotation.id)).where(Annotation.figure_id == Figure.id).correlate(Figure)
    .scalar_subquery().label("notes"),
)


def _joined(stmt: Select) -> Select:
    return (
        stmt.select_from(Figure)
        .join(Anchor, Anchor.figure_id == Figure.id)
        .join(Document, Anchor.document_id == Document.id)
        .join(Metric, Figure.metric_id == Metric.id)
        .join(Entity, Figure.entity_id == Entity.id)
        .outerjoin(_cluster, Figure.cluster_id == _cluster.id)
    )


def _where(stmt: Select, query: FigureQuery) -> Select:
    if query.cluster_ids is not None:
        scope = [Figure.cluster_id.in_(sorted(query.cluster_ids))]
        if query.include_unclustered:
            scope.append(Figure.cluster_id.is_(None))
        stmt = stmt.where(or_(*scope))
    if query.statuses:
        stmt = stmt.where(Figure.status.in_(query.statuses))
    if query.metric_id is not None:
        stmt = stmt.where(Figure.metric_id == query.metric_id)
    if query.figure_ids is not None:
        stmt = stmt.where(Figure.id.in_(sorted(query.figure_ids)))
    for word in query.text.split():
        pattern = f"%{_escape_like(word)}%"
        stmt = stmt.where(or_(*(column.ilike(pattern, escape="\\") for column in (
            _cluster.name, Entity.name, Metric.name, Anchor.quote, Document.title, Figure.note,
            Figure.period, Figure.status, Figure.qualifier, _cluster.name_zh, Entity.name_zh, Metric.name_zh,
        ))))
    return stmt


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _order(query: FigureQuery) -> list[ColumnElement]:
    column = SORT_KEYS.get(query.sort, Figure.id)
    if query.descending:
        return [column.desc().nulls_last(), Figure.id.desc()]
    return [column.asc().nulls_last(), Figure.id.asc()]


def count_figures(session: Session, query: FigureQuery) -> int:
    stmt = _where(_joined(select(func.count(Figure.id))), query)
    return session.scalar(stmt) or 0


def figure_page(session: Session, query: FigureQuery, offset: int, limit: int) -> list[dict]:
    stmt = _where(_joined(select(*ROW_COLUMNS)), query).order_by(*_order(query)).offset(offset).limit(limit)
    return [dict(row) for row in session.execute(stmt).mappings()]


def figure_ids(session: Session, query: FigureQuery, limit: int | None = None) -> list[int]:
    stmt = _where(_joined(select(Figure.id)), query).order_by(*_order(query))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def row_of_figure(session: Session, query: FigureQuery, figure_id: int) -> int | None:
    """The row a figure has in the ordered set, or None if it is not in the set."""
    key_column = SORT_KEYS.get(query.sort, Figure.id)
    found = session.execute(
        _where(_joined(select(key_column, Figure.id)), query).where(Figure.id == figure_id)
    ).first()
    if found is None:
        return None
    key, _ = found
    if key is None:
        # NULLs sort last: count every non-null row, then the nulls before this id.
        before = or_(key_column.is_not(None), and_(key_column.is_(None), _id_before(figure_id, query)))
    elif query.descending:
        before = or_(key_column > key, and_(key_column == key, Figure.id > figure_id))
    else:
        before = or_(key_column < key, and_(key_column == key, Figure.id < figure_id))
    return count_figures_where(session, query, before)


def _id_before(figure_id: int, query: FigureQuery) -> ColumnElement:
    return Figure.id > figure_id if query.descending else Figure.id < figure_id


def count_figures_where(session: Session, query: FigureQuery, condition: ColumnElement) -> int:
    return session.scalar(_where(_joined(select(func.count(Figure.id))), query).where(condition)) or 0


def figure_rows(session: Session, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    stmt = _joined(select(*ROW_COLUMNS)).where(Figure.id.in_(ids)).order_by(Figure.id)
    return [dict(row) for row in session.execute(stmt).mappings()]


def metric_counts(session: Session, query: FigureQuery) -> list[tuple[int, str, str, int]]:
    """(metric id, name, unit kind, figures) in the set, most figures first."""
    stmt = _where(_joined(select(Metric.id, Metric.name, Metric.unit_kind, func.count(Figure.id))),
                  query.with_(metric_id=None))
    stmt = stmt.group_by(Metric.id, Metric.name, Metric.unit_kind).order_by(func.count(Figure.id).desc(), Metric.name)
    return [tuple(row) for row in session.execute(stmt)]


def chart_rows(session: Session, query: FigureQuery, metric_id: int, limit: int = 2000) -> list[dict]:
    """Figures of one metric in the set, for the charts (capped; the caller downsamples)."""
    stmt = _where(_joined(select(*ROW_COLUMNS)), query.with_(metric_id=metric_id, figure_ids=None))
    stmt = stmt.where(Figure.status.not_in(("rejected", "superseded")))
    stmt = stmt.order_by(Figure.period_start.asc().nulls_first(), Figure.id).limit(limit)
    return [dict(row) for row in session.execute(stmt).mappings()]



def figure_ids_in_reading_order(session: Session, document_ids: list[int]) -> list[int]:
    """The figures of these documents, document by document in the order given, each in reading order."""
    if not document_ids:
        return []
    order = case({doc_id: n for n, doc_id in enumerate(document_ids)}, value=Anchor.document_id)
    return list(session.scalars(select(Figure.id).join(Anchor, Anchor.figure_id == Figure.id)
                                .where(Anchor.document_id.in_(document_ids))
                                .order_by(order, Anchor.start, Anchor.end, Figure.id)))
