"""Reading the rows of an export: one SQL query in batches of plain tuples, names looked up, notes joined.

Part of store.export.figures (see there). The names of a figure's document, metric, entity and
cluster are read once per export (`Coded` columns); the annotations of each batch come
from one query; the sources are read at the end, with how many exported figures each states.
"""

from __future__ import annotations

from collections import Counter
from itertools import repeat
from typing import Callable, Iterator

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from store.errors import StoreError
from store.export.columns import COLUMN_SQL_BY_KEY, LINEAGE_COLUMNS, LOOKUPS
from store.export.csv import Coded
from store.models import Anchor, Annotation, Document, Figure, LineageLink
from store.query.browse import filtered_by, joined_rows, sort_order
from store.query.queries import FigureFilter

BATCH_ROWS = 1_000  # rows per SQL fetch, annotation query, progress report and cancel check


class ExportCancelled(StoreError):
    """The user cancelled; the target was not touched."""


def _batches(session, stmt, ids, query, filters) -> Iterator[list]:
    """Lists of up to BATCH_ROWS rows (figure id, document id, then the SQL columns)."""
    connection = session.connection()
    if ids is not None:
        # Core execution on the session's connection (same transaction): the ORM path costs twice the time.
        by_ids = stmt.where(Figure.id.in_(bindparam("ids", expanding=True)))
        for at in range(0, len(ids), BATCH_ROWS):
            chunk = ids[at:at + BATCH_ROWS]
            found = {row[0]: row for row in connection.execute(by_ids, {"ids": chunk})}
            yield [found[fid] for fid in chunk if fid in found]  # a figure deleted meanwhile is skipped
        return
    if query is not None:
        stmt = filtered_by(stmt, query).order_by(*sort_order(query))
    else:
        stmt = (filters or FigureFilter()).narrow(stmt).order_by(Figure.id)
    # Plain tuples instead of Row objects: a third of the read time at a million rows. The sqlite3
    # cursor steps through the result lazily: fetchmany never holds more than a batch.
    cursor = _on_driver(connection, stmt)()
    try:
        while batch := cursor.fetchmany(BATCH_ROWS):
            yield batch
    finally:
        cursor.close()


def _on_driver(connection, stmt) -> Callable[..., object]:
    """`stmt` for the DB-API connection under `connection`: a function of its parameters returning a cursor.

    The same connection, so the same transaction; compiled once by SQLAlchemy for its dialect.
    """
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    sql, defaults = str(compiled), compiled.params
    names = compiled.positiontup if compiled.positional else None
    driver = connection.connection.driver_connection

    def execute(**values):
        bound = {**defaults, **values}
        cursor = driver.cursor()
        try:
            cursor.execute(sql, tuple(bound[name] for name in names) if names is not None else bound)
        except BaseException:
            cursor.close()
            raise
        return cursor
    return execute


def _plan(columns):
    """What to read, and how each exported column is made.

    Returns the SQL expressions to select after the figure id and document id; the tables to
    look up, each as (where its key is among those expressions, -1 for the document id; its id
    expression; the keys of its exported columns); and per exported column a recipe: ("read",
    index among the expressions) | ("lookup", index among the tables, key) | ("annotations",).
    """
    selected, tables, recipes = [], [], []
    used = {}  # index in LOOKUPS -> index in tables
    for key in (column.key for column in columns):
        if key == "annotations":
            recipes.append(("annotations",))
            continue
        if key in LINEAGE_COLUMNS:
            recipes.append(("lineage", key))
            continue
        at = next((n for n, (_, _, fields) in enumerate(LOOKUPS) if key in fields), None)
        if at is None:
            recipes.append(("read", len(selected)))
            selected.append(COLUMN_SQL_BY_KEY[key])
            continue
        if at not in used:
            foreign_key, table_id, _ = LOOKUPS[at]
            used[at] = len(tables)
            tables.append((-1 if foreign_key is Anchor.document_id else len(selected), table_id, []))
            if foreign_key is not Anchor.document_id:
                selected.append(foreign_key)
        tables[used[at]][2].append(key)
        recipes.append(("lookup", used[at], key))
    return selected, tables, recipes


def _lookup(session, table_id, keys: list[str]) -> tuple[dict, dict[str, list]]:
    """(the place of each row id, {column key: the values by place, then None for a missing row}).

    A whole table, but a small one (documents, metrics, entities, clusters), read once.
    """
    rows = session.connection().execute(select(table_id, *(COLUMN_SQL_BY_KEY[key] for key in keys))).all()
    place = {row[0]: at for at, row in enumerate(rows)}
    return place, {key: [row[at] for row in rows] + [None] for at, key in enumerate(keys, start=1)}


def write_rows(session, writer, columns, ids, query, filters, total, progress, cancelled):
    selected, tables, recipes = _plan(columns)
    stmt = joined_rows(select(Figure.id, Anchor.document_id, *selected))
    lookups = [_lookup(session, table_id, keys) for _, table_id, keys in tables]
    # Most stores have few annotations: when no figure has one, skip the query per batch.
    annotations = _Annotations(session) if any(recipe[0] == "annotations" for recipe in recipes) and session.scalar(
        select(Annotation.id).where(Annotation.figure_id.is_not(None)).limit(1)) is not None else None
    lineage = _Lineage(session) if any(recipe[0] == "lineage" for recipe in recipes) and session.scalar(
        select(LineageLink.id).limit(1)) is not None else None
    done, counts = 0, Counter()
    if progress is not None:
        progress(0, total)
    for batch in _batches(session, stmt, ids, query, filters):
        if cancelled is not None and cancelled():
            raise ExportCancelled("export cancelled; nothing was written")
        if not batch:
            continue
        # Column-major from here on: the writers' hot loops run down columns, and the
        # annotations become one more column instead of a rebuilt tuple per row.
        figure_column, doc_column, *read = zip(*batch)
        places = []  # per table looked up: each row's place in it (a missing row: the last place, None)
        for (foreign_key, _, _), (place, _) in zip(tables, lookups):
            keys_column = doc_column if foreign_key < 0 else read[foreign_key]
            places.append(list(map(place.get, keys_column, repeat(len(place), len(keys_column)))))
        data = []
        sources = lineage.columns(figure_column) if lineage else None
        for recipe in recipes:
            if recipe[0] == "read":
                data.append(read[recipe[1]])
            elif recipe[0] == "lookup":
                data.append(Coded(places[recipe[1]], lookups[recipe[1]][1][recipe[2]]))
            elif recipe[0] == "lineage":
                data.append(sources[recipe[1]] if sources else [None] * len(figure_column))
            else:
                data.append(annotations.column(figure_column) if annotations else [""] * len(figure_column))
        writer.write(data)
        counts.update(doc_column)
        done += len(batch)
        if progress is not None:
            progress(done, max(total, done))
    if progress is not None and done != total:
        progress(done, done)  # figures deleted since the count: still end at 100%
    return done, counts


# An "expanding" parameter: compiled once and cached, instead of coercing 1,000 literals per batch.
_NOTES = (select(Annotation.figure_id, Annotation.text)
          .where(Annotation.figure_id.in_(bindparam("ids", expanding=True)))
          .order_by(Annotation.figure_id, Annotation.created_at, Annotation.id))
# A batch of nearly consecutive ids (every figure, or a filter, in id order) asks for their range instead.
_NOTES_BETWEEN = (select(Annotation.figure_id, Annotation.text)
                  .where(Annotation.figure_id.between(bindparam("low"), bindparam("high")))
                  .order_by(Annotation.figure_id, Annotation.created_at, Annotation.id))


class _Annotations:
    """Per batch, one query: each figure's annotation texts, oldest first, joined by " | "."""

    def __init__(self, session):
        self._session = session
        self._between = _on_driver(session.connection(), _NOTES_BETWEEN)

    def column(self, figure_ids) -> list[str]:
        low, high = min(figure_ids), max(figure_ids)
        if high - low < 2 * len(figure_ids):
            cursor = self._between(low=low, high=high)
            try:
                found = cursor.fetchall()
            finally:
                cursor.close()
        else:
            found = self._session.connection().execute(_NOTES, {"ids": list(figure_ids)}).all()
        if not found:
            return [""] * len(figure_ids)
        grouped: dict[int, list[str]] = {}
        for figure_id, text in found:
            grouped.setdefault(figure_id, []).append(text)  # a figure in the range but not the batch: unused
        notes = {figure_id: " | ".join(texts) for figure_id, texts in grouped.items()}
        return list(map(notes.get, figure_ids, repeat("", len(figure_ids))))


_SOURCE = aliased(Anchor)
_LINKS = (select(LineageLink.figure_id, LineageLink.verdict, LineageLink.status, LineageLink.source_id,
                 Document.file_name, Document.title, _SOURCE.start, _SOURCE.end, _SOURCE.quote)
          .join(_SOURCE, _SOURCE.figure_id == LineageLink.source_id).join(Document, Document.id == _SOURCE.document_id)
          .where(LineageLink.figure_id.in_(bindparam("ids", expanding=True)),
                 LineageLink.status.in_(("proposed", "confirmed")))
          .order_by(LineageLink.figure_id, LineageLink.id))


def _link_rank(row) -> tuple:
    """The link a figure's lineage columns show: a differing source first (store.curation.lineage.lineage_states says
    differs then), then a confirmed link, then the oldest (the rows come in link id order)."""
    return (row[1] != "differs", row[2] != "confirmed")


class _Lineage:
    """Per batch, one query: each figure's official source (store.curation.lineage), as the LINEAGE_COLUMNS."""

    def __init__(self, session):
        self._connection = session.connection()

    def columns(self, figure_ids) -> dict[str, list]:
        chosen: dict[int, tuple] = {}
        for row in self._connection.execute(_LINKS, {"ids": list(figure_ids)}):
            if row[0] not in chosen or _link_rank(row) < _link_rank(chosen[row[0]]):
                chosen[row[0]] = row
        empty = (None,) * 9
        picked = [chosen.get(figure_id, empty) for figure_id in figure_ids]
        return {key: [row[at] for row in picked] for at, key in zip((1, 2, 3, 4, 5, 6, 7, 8), LINEAGE_COLUMNS)}


def source_rows(session, counts: Counter) -> list[dict]:
    """The documents the exported figures come from, by file name, with how many figures each gave."""
    doc_ids = sorted(counts)
    sources = []
    for at in range(0, len(doc_ids), BATCH_ROWS):
        stmt = select(Document.id, Document.file_name, Document.title, Document.publisher, Document.author,
                      Document.published, Document.sha256).where(Document.id.in_(doc_ids[at:at + BATCH_ROWS]))
        for doc_id, file_name, title, publisher, author, published, sha256 in session.execute(stmt):
            sources.append({"file": file_name, "title": title, "publisher": publisher or "", "author": author or "",
                            "published": published or "", "sha256": sha256, "figures": counts[doc_id]})
    return sorted(sources, key=lambda source: source["file"])
