"""Exporting figures with their provenance: CSV, XLSX, JSON, Parquet, a Frictionless data package.

An export is what leaves the tool for a report or someone else's analysis, so
three promises hold whatever the user chose:

- Provenance travels with every figure: the document, its title, publisher and
  date, the quote and its offsets, and the review status (PROVENANCE_COLUMNS)
  are always written, and every format lists the source documents.
- The output is safe to open: spreadsheet formats never carry a formula (see
  `neutralise`); JSON and Parquet keep the exact stored text.
- The target is replaced whole or not at all: the export is written under a
  temporary name beside it and moved into place with os.replace, so a failure,
  a full disk or a cancel leaves an existing file exactly as it was.

Rows are streamed from one SQL query in batches, as plain tuples from the DB-API
cursor (no ORM objects, no Row objects); the names of a figure's document,
metric, entity and cluster are read once per export and looked up (`Coded`
columns), and the annotations of each batch come from one query, so a million
figures take about ten seconds to CSV. The GUI's export dialog calls
`export_figures` from a worker thread with `progress` and `cancelled`
callbacks; the CLI is store/export_cli.py.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import bindparam, func, select

from store.browse import FigureQuery, _cluster, _joined, _order, _where, count_figures
from store.errors import StoreError
from store.export_csv import Coded, neutralise
from store.export_formats import DATAPACKAGE_FILES, XLSX_MAX_ROWS, make_writer
from store.models import Anchor, Annotation, Document, Entity, Figure, Metric
from store.queries import FigureFilter

__all__ = [
    "FORMATS", "ExportColumn", "COLUMNS", "DEFAULT_COLUMNS", "PROVENANCE_COLUMNS", "ExportCancelled",
    "ExportOptions", "ExportReport", "export_figures", "neutralise",
]

FORMATS = ("csv", "xlsx", "json", "parquet", "datapackage")
BATCH_ROWS = 1_000  # rows per SQL fetch, annotation query, progress report and cancel check


@dataclass(frozen=True)
class ExportColumn:
    key: str          # the field name in JSON, Parquet and the data package
    title: str        # the header in CSV and XLSX
    type: str         # a Frictionless type: integer | number | string
    description: str  # for the data package's schema and README


# (column, the SQL expression it reads); `annotations` is assembled per batch instead.
_COLUMN_SQL = (
    (ExportColumn("id", "ID", "integer", "The figure's id in the store it was exported from."), Figure.id),
    (ExportColumn("key", "Key", "string", "The figure's stable key, NNN-MMM (document number, running number); "
                  "empty for figures added by hand."), Figure.key),
    (ExportColumn("metric", "Metric key", "string", "What is measured, as a key (e.g. operating_revenue)."), Metric.key),
    (ExportColumn("metric_name", "Metric", "string", "What is measured, by name."), Metric.name),
    (ExportColumn("value", "Value", "number", "The value as a floating-point number, in base units (1.1 trillion "
                  "yuan is 1100000000000), in the unit of the unit column. For sorting and charts: it may be "
                  "rounded; value_text is exact."), Figure.value),
    (ExportColumn("value_text", "Value (exact)", "string", "The exact value in base units: a decimal, or a "
                  "fraction p/q (1/3). The one to cite."), Figure.value_text),
    (ExportColumn("value_max", "Value max", "number", "The upper end of a range ('2 to 3 hours') as a "
                  "floating-point number in base units; empty if the figure is not a range."), Figure.value_max),
    (ExportColumn("value_max_text", "Value max (exact)", "string", "The exact upper end of a range: a decimal or "
                  "p/q; empty if the figure is not a range."), Figure.value_max_text),
    (ExportColumn("unit", "Unit", "string", "The base unit: yuan, US$, %, percentage points, share (a fraction "
                  "of 1), or a counted noun (enterprises, sets ...)."), Figure.unit),
    (ExportColumn("scale", "Scale word", "string", "The scale word as written (thousand, billion, 亿 ...); "
                  "already applied to the value."), Figure.scale),
    (ExportColumn("qualifier", "Qualifier", "string", "Empty (exact), or over, nearly, approximately, at least, "
                  "less than, projected, target ..."), Figure.qualifier),
    (ExportColumn("period", "Period", "string", "When the figure applies: a year (2024), a month (2026-01), "
                  "a part-year (2025-01/2025-05) or a span of years (2018/2024); empty if none."), Figure.period),
    (ExportColumn("period_start", "Period start", "string", "First month of the period, YYYY-MM."),
     Figure.period_start),
    (ExportColumn("period_end", "Period end", "string", "Last month of the period, YYYY-MM."), Figure.period_end),
    (ExportColumn("cluster", "Cluster key", "string", "The industry cluster, as a key; empty when the figure "
                  "is about the entity as a whole."), _cluster.key),
    (ExportColumn("cluster_name", "Cluster", "string", "The industry cluster, by name."), _cluster.name),
    (ExportColumn("entity", "Entity key", "string", "Who or where the figure is about, as a key."), Entity.key),
    (ExportColumn("entity_name", "Entity", "string", "Who or where the figure is about, by name."), Entity.name),
    (ExportColumn("status", "Review status", "string", "The curators' verdict: candidate, verified, disputed, "
                  "rejected or superseded."), Figure.status),
    (ExportColumn("status_reason", "Status reason", "string", "Why the figure has its status."),
     Figure.status_reason),
    (ExportColumn("note", "Note", "string", "What a reader should know: how a relative period was resolved, "
                  "a likely mistranslation, a disagreement with another document."), Figure.note),
    (ExportColumn("flag", "Flag", "string", "Set when the value disagrees with the number in the quote."),
     Figure.flag),
    (ExportColumn("doc", "Source file", "string", "The file name of the document that states the figure."),
     Document.file_name),
    (ExportColumn("doc_title", "Source title", "string", "The title of that document."), Document.title),
    (ExportColumn("publisher", "Publisher", "string", "Who published the document."), Document.publisher),
    (ExportColumn("author", "Author", "string", "Who wrote the document, if known."), Document.author),
    (ExportColumn("published", "Published", "string", "When the document was published (YYYY[-MM[-DD]])."),
     Document.published),
    (ExportColumn("start", "Quote start", "integer", "Offset of the quote's first character in the document "
                  "(Python code points, from 0)."), Anchor.start),
    (ExportColumn("end", "Quote end", "integer", "Offset just after the quote's last character."), Anchor.end),
    (ExportColumn("quote", "Quote", "string", "The document's exact words that state the figure: its text from "
                  "start to end."), Anchor.quote),
    (ExportColumn("anchor", "Anchor state", "string", "Whether the quote was found at its offsets (exact) or "
                  "had to be re-found."), Anchor.state),
    (ExportColumn("annotations", "Annotations", "string", "The curators' annotations on the figure, oldest "
                  "first, joined by ' | '."), None),
)
COLUMNS: tuple[ExportColumn, ...] = tuple(column for column, _ in _COLUMN_SQL)
_BY_KEY = {column.key: column for column in COLUMNS}
_SQL = {column.key: expression for column, expression in _COLUMN_SQL if expression is not None}
DEFAULT_COLUMNS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
PROVENANCE_COLUMNS: tuple[str, ...] = ("doc", "doc_title", "publisher", "published", "start", "end", "quote", "status")
# Columns of the rows a figure points to: (the figure's or its anchor's key, the table's key, its columns).
# Read once per export into a lookup by id rather than once per figure through the join: a million
# figures share a few thousand documents, and SQLite and Python pay per value read.
_LOOKUPS = (
    (Anchor.document_id, Document.id, ("doc", "doc_title", "publisher", "author", "published")),
    (Figure.metric_id, Metric.id, ("metric", "metric_name")),
    (Figure.entity_id, Entity.id, ("entity", "entity_name")),
    (Figure.cluster_id, _cluster.id, ("cluster", "cluster_name")),
)


class ExportCancelled(StoreError):
    """The user cancelled; the target was not touched."""


@dataclass
class ExportOptions:
    format: str
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    bom: bool = False          # CSV: UTF-8 with a BOM, so that Excel reads it as UTF-8
    annotations: bool = True   # write the annotations column (appended if `columns` does not place it)


@dataclass
class ExportReport:
    path: Path
    format: str
    rows: int
    sources: int


def export_columns(options: ExportOptions) -> list[ExportColumn]:
    """The columns written, in order: the chosen ones, then any provenance column not chosen."""
    unknown = [key for key in options.columns if key not in _BY_KEY]
    if unknown:
        raise StoreError(f"unknown column {', '.join(map(repr, unknown))}; the columns are: {', '.join(_BY_KEY)}")
    keys = list(dict.fromkeys(options.columns))
    keys += [key for key in PROVENANCE_COLUMNS if key not in keys]
    if options.annotations and "annotations" not in keys:
        keys.append("annotations")
    if not options.annotations and "annotations" in keys:
        keys.remove("annotations")
    return [_BY_KEY[key] for key in keys]


def export_figures(store, path, options: ExportOptions, *, figure_ids: list[int] | None = None,
                   query: FigureQuery | None = None, filters: FigureFilter | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ExportReport:
    """Write the chosen figures to `path` in `options.format`; replace the target only on success.

    The figures are exactly one of: `figure_ids` (in the given order), `query` (the GUI's view,
    in its sort order), `filters` (the CLI's, by id), or none of them: every figure.
    """
    if sum(given is not None for given in (figure_ids, query, filters)) > 1:
        raise StoreError("export one selection: figure ids, a query or filters, not several")
    if options.format not in FORMATS:
        raise StoreError(f"unknown export format {options.format!r}; choose one of {', '.join(FORMATS)}")
    columns = export_columns(options)
    target = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    as_folder = options.format == "datapackage" and target.suffix.lower() != ".zip"
    _check_target(target, as_folder)
    exported_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    # One read session is one transaction: the count, rows, annotations and sources all see one snapshot.
    with store.read() as session:
        ids = list(dict.fromkeys(figure_ids)) if figure_ids is not None else None  # an id once: it is a key
        total = len(ids) if ids is not None else (
            count_figures(session, query) if query is not None else session.scalar(
                _filtered(_joined(select(func.count(Figure.id))), filters)) or 0)
        if options.format == "xlsx" and total > XLSX_MAX_ROWS:
            raise StoreError(f"an XLSX sheet holds at most {XLSX_MAX_ROWS:,} figures and this export has "
                             f"{total:,}; export CSV or Parquet instead")
        temp = _temporary(target, as_folder)
        try:
            writer = make_writer(options.format, temp, columns, options, {"exported_at": exported_at, "total": total},
                                 as_zip=options.format == "datapackage" and not as_folder)
            try:
                rows, counts = _write_rows(session, writer, columns, ids, query, filters, total, progress, cancelled)
                sources = _sources(session, counts)
                writer.finish(sources)
            except BaseException:
                writer.abort()
                raise
            if cancelled is not None and cancelled():
                raise ExportCancelled("export cancelled; nothing was written")
            _sync(temp)
            _move_into_place(temp, target, as_folder)
        except OSError as exc:
            _remove(temp)
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
        except BaseException:
            _remove(temp)
            raise
    return ExportReport(target, options.format, rows, len(sources))


def _filtered(stmt, flt: FigureFilter | None):
    # The meaning of store.queries.figure_select(flt), on browse's joins (tests compare the two).
    if flt is None:
        return stmt
    for keys, column in ((flt.clusters, _cluster.key), (flt.metrics, Metric.key), (flt.entities, Entity.key),
                         (flt.statuses, Figure.status), (flt.docs, Document.file_name)):
        if keys:
            stmt = stmt.where(column.in_(keys))
    return stmt


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
        stmt = _where(stmt, query).order_by(*_order(query))
    else:
        stmt = _filtered(stmt, filters).order_by(Figure.id)
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
    used = {}  # index in _LOOKUPS -> index in tables
    for key in (column.key for column in columns):
        if key == "annotations":
            recipes.append(("annotations",))
            continue
        at = next((n for n, (_, _, fields) in enumerate(_LOOKUPS) if key in fields), None)
        if at is None:
            recipes.append(("read", len(selected)))
            selected.append(_SQL[key])
            continue
        if at not in used:
            foreign_key, table_id, _ = _LOOKUPS[at]
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
    rows = session.connection().execute(select(table_id, *(_SQL[key] for key in keys))).all()
    place = {row[0]: at for at, row in enumerate(rows)}
    return place, {key: [row[at] for row in rows] + [None] for at, key in enumerate(keys, start=1)}


def _write_rows(session, writer, columns, ids, query, filters, total, progress, cancelled):
    selected, tables, recipes = _plan(columns)
    stmt = _joined(select(Figure.id, Anchor.document_id, *selected))
    lookups = [_lookup(session, table_id, keys) for _, table_id, keys in tables]
    # Most stores have few annotations: when no figure has one, skip the query per batch.
    annotations = _Annotations(session) if any(recipe[0] == "annotations" for recipe in recipes) and session.scalar(
        select(Annotation.id).where(Annotation.figure_id.is_not(None)).limit(1)) is not None else None
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
        for recipe in recipes:
            if recipe[0] == "read":
                data.append(read[recipe[1]])
            elif recipe[0] == "lookup":
                data.append(Coded(places[recipe[1]], lookups[recipe[1]][1][recipe[2]]))
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


def _sources(session, counts: Counter) -> list[dict]:
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


# --- Writing atomically -------------------------------------------------------------------------


def _check_target(target: Path, as_folder: bool) -> None:
    """Refuse, before any work, a target that could never be replaced (or must not be)."""
    if not target.parent.is_dir():
        raise StoreError(f"cannot write {target}: the folder {target.parent} does not exist")
    if not as_folder:
        if target.is_dir():
            raise StoreError(f"cannot write {target}: it is a folder")
        return
    if target.exists() and not target.is_dir():
        raise StoreError(f"cannot write {target}: it is a file; a data package is a folder, or a name ending in .zip")
    if target.is_dir():
        # Replacing a folder deletes the old one: only ever an earlier data package (or an empty folder).
        others = sorted(set(os.listdir(target)) - set(DATAPACKAGE_FILES))
        if others:
            raise StoreError(f"cannot write {target}: the folder holds other files ({others[0]} ...); "
                             f"choose a new or empty folder")


def _temporary(target: Path, as_folder: bool) -> Path:
    """A new hidden name beside the target (the same file system, so os.replace is atomic)."""
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            if as_folder:
                os.mkdir(temp, 0o777)  # the umask applies, as for any folder the user creates
            else:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return temp
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
    raise StoreError(f"cannot write {target}: no free temporary name beside it")


def _sync(temp: Path) -> None:
    """Flush to disk before the rename, so a crash never leaves a renamed but empty export."""
    for path in ([p for p in temp.iterdir() if p.is_file()] if temp.is_dir() else [temp]):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _move_into_place(temp: Path, target: Path, as_folder: bool) -> None:
    if not (as_folder and target.exists()):
        os.replace(temp, target)
        return
    # A folder cannot be replaced in one step: move the old one aside, the new one in, then delete the old.
    old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    os.replace(target, old)
    try:
        os.replace(temp, target)
    except OSError:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove(temp: Path) -> None:
    try:
        if temp.is_dir():
            shutil.rmtree(temp)
        else:
            temp.unlink(missing_ok=True)
    except OSError:
        pass  # best effort: the error being reported matters more than a leftover .part
