"""What the browsing views ask of the store: a figure set, sorted, filtered and paged in SQL.

A FigureQuery names a figure set (a cluster scope, a filter text, statuses, a
metric) and an order. The GUI's table shows `count()` rows and fetches only
the pages it paints, so a million-figure store never becomes a million Python
objects; sorting and filtering are ORDER BY and WHERE, never a per-row loop.
"""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from store.models import Anchor, Annotation, Cluster, Document, Entity, Figure, Metric
from store.query import FigureQuery, split_words
from store.query.rows import FIELDS, FigureRow, figure_rows_of
from store.query.value_filter import SHARE_UNITS, ValueFilter
from store.status import INACTIVE

FigureCluster = aliased(Cluster, name="cluster")

# Sortable columns of the figures table: key -> SQL expression.
SORT_KEYS: dict[str, ColumnElement] = {
    "id": Figure.id,
    "cluster": FigureCluster.name,
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

# The columns of a FigureRow (store.query.rows), each labelled with its field's name.
ROW_COLUMNS = (
    Figure.id, Figure.key, FigureCluster.name.label("cluster_name"), FigureCluster.key.label("cluster"),
    Entity.name.label("entity_name"), Entity.key.label("entity"), Metric.name.label("metric_name"),
    Metric.key.label("metric"), Metric.id.label("metric_id"), FigureCluster.name_zh.label("cluster_name_zh"),
    Entity.name_zh.label("entity_name_zh"), Metric.name_zh.label("metric_name_zh"), Metric.unit_kind, Figure.period,
    Figure.period_start, Figure.period_end, Figure.value, Figure.value_text, Figure.value_max_text,
    Figure.unit, Figure.scale, Figure.qualifier, Figure.status, Figure.status_reason, Figure.note,
    Document.id.label("document_id"), Document.title.label("doc_title"),
    Document.file_name.label("doc"), Anchor.start, Anchor.end, Anchor.quote, Anchor.state.label("anchor"),
    Figure.flag, Figure.version, Figure.superseded_by_id, Document.published.label("doc_published"),
    Document.publisher.label("doc_publisher"),
    Figure.metric_text, Figure.growth, Figure.growth_base, Figure.projected, Figure.reading,
    select(func.count(Annotation.id)).where(Annotation.figure_id == Figure.id).correlate(Figure)
    .scalar_subquery().label("annotation_count"),
)
# figure_row reads a result row by position: the columns must be FigureRow's fields, in order.
if tuple(column.key for column in ROW_COLUMNS) != FIELDS[:len(ROW_COLUMNS)]:
    raise ImportError("store.query.browse.ROW_COLUMNS and store.query.rows.FigureRow name other fields")


def joined_rows(stmt: Select) -> Select:
    return (
        stmt.select_from(Figure)
        .join(Anchor, Anchor.figure_id == Figure.id)
        .join(Document, Anchor.document_id == Document.id)
        .join(Metric, Figure.metric_id == Metric.id)
        .join(Entity, Figure.entity_id == Entity.id)
        .outerjoin(FigureCluster, Figure.cluster_id == FigureCluster.id)
    )


def filtered_by(stmt: Select, query: FigureQuery) -> Select:
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
    for title_only, word in split_words(query.text):
        pattern = f"%{_escape_like(word)}%"
        fields = (Document.title,) if title_only else _TEXT_FIELDS + ((Document.title,) if query.titles else ())
        stmt = stmt.where(or_(*(column.ilike(pattern, escape="\\") for column in fields)))
    for name, values in query.facets:
        stmt = stmt.where(_facet_condition(name, values))
    if query.value_filter is not None:
        stmt = stmt.where(_value_condition(query.value_filter))
    return stmt


# What the filter's words match: the figure's own fields. A document's title only when asked.
_TEXT_FIELDS = (FigureCluster.name, Entity.name, Metric.name, Anchor.quote, Figure.note, Figure.period, Figure.status,
                Figure.qualifier, FigureCluster.name_zh, Entity.name_zh, Metric.name_zh)  # names in either language
_FACET_COLUMNS = {"status": Figure.status, "unit": Figure.unit, "metric": Figure.metric_id,
                  "entity": Figure.entity_id, "document": Anchor.document_id}


def _facet_condition(name: str, values) -> ColumnElement:
    if name in _FACET_COLUMNS:
        return _FACET_COLUMNS[name].in_(list(values))
    if name == "cluster":
        ids = [int(v) for v in values if int(v) >= 0]
        return or_(Figure.cluster_id.in_(ids), *([Figure.cluster_id.is_(None)] if -1 in values else []))
    if name == "period":
        texts = [v for v in values if v]
        return or_(Figure.period.in_(texts), *([Figure.period.is_(None), Figure.period == ""] if "" in values else []))
    raise ValueError(f"no facet {name!r}")


def _value_condition(wanted: ValueFilter) -> ColumnElement:
    """columns.FigureColumns._value_mask in SQL: a share's bounds are the typed per cent / 100."""
    def passes(percent: bool) -> ColumnElement:
        low, high = wanted.bounds(percent)
        parts = []
        if low != -math.inf:
            parts.append(Figure.value >= low if wanted.low_inclusive else Figure.value > low)
        if high != math.inf:
            parts.append(Figure.value <= high if wanted.high_inclusive else Figure.value < high)
        return and_(true(), *parts)

    share = Figure.unit.in_(SHARE_UNITS)
    condition = or_(and_(share, passes(True)), and_(~share, passes(False)))
    if wanted.unit is not None:
        units = [wanted.unit.lower()] + (list(SHARE_UNITS) if wanted.unit == "%" else [])
        condition = and_(condition, func.lower(Figure.unit).in_(units))
    return condition


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sort_columns(query: FigureQuery) -> list[ColumnElement]:
    """The columns a sort orders by, most significant first: values by unit first (yuan apart from US$)."""
    if query.sort == "value":
        return [Figure.unit, Figure.value]
    return [SORT_KEYS.get(query.sort, Figure.id)]


def sort_order(query: FigureQuery) -> list[ColumnElement]:
    columns = _sort_columns(query)
    if query.descending:
        return [c.desc().nulls_last() for c in columns] + [Figure.id.desc()]
    return [c.asc().nulls_last() for c in columns] + [Figure.id.asc()]


def count_figures(session: Session, query: FigureQuery) -> int:
    stmt = filtered_by(joined_rows(select(func.count(Figure.id))), query)
    return session.scalar(stmt) or 0


def figure_page(session: Session, query: FigureQuery, offset: int, limit: int) -> list[FigureRow]:
    stmt = filtered_by(joined_rows(select(*ROW_COLUMNS)), query).order_by(*sort_order(query)).offset(offset).limit(limit)
    return figure_rows_of(session.execute(stmt))


def figure_ids(session: Session, query: FigureQuery, limit: int | None = None) -> list[int]:
    stmt = filtered_by(joined_rows(select(Figure.id)), query).order_by(*sort_order(query))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def row_of_figure(session: Session, query: FigureQuery, figure_id: int) -> int | None:
    """The row a figure has in the ordered set, or None if it is not in the set."""
    columns = _sort_columns(query)
    found = session.execute(
        filtered_by(joined_rows(select(*columns, Figure.id)), query).where(Figure.id == figure_id)
    ).first()
    if found is None:
        return None
    *keys, _ = found
    if len(columns) == 1 and keys[0] is None:
        # NULLs sort last: count every non-null row, then the nulls before this id.
        key_column = columns[0]
        before = or_(key_column.is_not(None), and_(key_column.is_(None), _id_before(figure_id, query)))
        return count_figures_where(session, query, before)
    # Lexicographic: a row is before when its first differing key (then its id) comes first.
    earlier = (lambda c, k: c > k) if query.descending else (lambda c, k: c < k)
    terms, same = [], []
    for column, key in zip(columns, keys):
        terms.append(and_(*same, earlier(column, key)))
        same.append(column == key)
    terms.append(and_(*same, _id_before(figure_id, query)))
    return count_figures_where(session, query, or_(*terms))


def _id_before(figure_id: int, query: FigureQuery) -> ColumnElement:
    return Figure.id > figure_id if query.descending else Figure.id < figure_id


def count_figures_where(session: Session, query: FigureQuery, condition: ColumnElement) -> int:
    return session.scalar(filtered_by(joined_rows(select(func.count(Figure.id))), query).where(condition)) or 0


def figure_rows(session: Session, ids: list[int]) -> list[FigureRow]:
    if not ids:
        return []
    stmt = joined_rows(select(*ROW_COLUMNS)).where(Figure.id.in_(ids)).order_by(Figure.id)
    return figure_rows_of(session.execute(stmt))


def metric_counts(session: Session, query: FigureQuery) -> list[tuple[int, str, str, int]]:
    """(metric id, name, unit kind, figures) in the set, most figures first."""
    stmt = filtered_by(joined_rows(select(Metric.id, Metric.name, Metric.unit_kind, func.count(Figure.id))),
                  query.with_(metric_id=None))
    stmt = stmt.group_by(Metric.id, Metric.name, Metric.unit_kind).order_by(func.count(Figure.id).desc(), Metric.name)
    return [tuple(row) for row in session.execute(stmt)]


def chart_rows(session: Session, query: FigureQuery, metric_id: int, limit: int = 2000) -> list[FigureRow]:
    """Figures of one metric in the set, for the charts (capped; the caller downsamples)."""
    stmt = filtered_by(joined_rows(select(*ROW_COLUMNS)), query.with_(metric_id=metric_id, figure_ids=None))
    stmt = stmt.where(Figure.status.not_in(INACTIVE))
    stmt = stmt.order_by(Figure.period_start.asc().nulls_first(), Figure.id).limit(limit)
    return figure_rows_of(session.execute(stmt))



def figure_ids_in_reading_order(session: Session, document_ids: list[int]) -> list[int]:
    """The figures of these documents, document by document in the order given, each in reading order."""
    if not document_ids:
        return []
    order = case({doc_id: n for n, doc_id in enumerate(document_ids)}, value=Anchor.document_id)
    return list(session.scalars(select(Figure.id).join(Anchor, Anchor.figure_id == Figure.id)
                                .where(Anchor.document_id.in_(document_ids))
                                .order_by(order, Anchor.start, Anchor.end, Figure.id)))
