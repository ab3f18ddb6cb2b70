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
callbacks; the CLI is store/cli/export.py.

Here: the options and export_figures. The columns are in store/export/columns.py,
reading the rows in store/export/rows.py, the temporary name and the rename in
store/export/target.py, the formats in store/export/formats.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from store.errors import StoreError
from store.export.columns import COLUMN_BY_KEY, COLUMNS, DEFAULT_COLUMNS, PROVENANCE_COLUMNS, ExportColumn
from store.export.csv import CsvFormat, neutralise
from store.export.formats import XLSX_MAX_ROWS, JsonFormat, ParquetFormat, XlsxFormat
from store.export.package import DataPackageFormat
from store.export.rows import ExportCancelled, source_rows, write_rows
from store.export.target import check_target, move_into_place, remove_temporary, sync_to_disk, temporary_path
from store.models import Figure
from store.query import FigureQuery
from store.query.browse import count_figures, joined_rows
from store.query.queries import FigureFilter

__all__ = [
    "FORMATS", "ExportColumn", "COLUMNS", "DEFAULT_COLUMNS", "PROVENANCE_COLUMNS", "ExportCancelled",
    "ExportOptions", "ExportReport", "export_figures", "neutralise",
]

FORMATS = ("csv", "xlsx", "json", "parquet", "datapackage")


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
    unknown = [key for key in options.columns if key not in COLUMN_BY_KEY]
    if unknown:
        raise StoreError(f"unknown column {', '.join(map(repr, unknown))}; the columns are: {', '.join(COLUMN_BY_KEY)}")
    keys = list(dict.fromkeys(options.columns))
    keys += [key for key in PROVENANCE_COLUMNS if key not in keys]
    if options.annotations and "annotations" not in keys:
        keys.append("annotations")
    if not options.annotations and "annotations" in keys:
        keys.remove("annotations")
    return [COLUMN_BY_KEY[key] for key in keys]


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
    check_target(target, as_folder)
    exported_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    # One read session is one transaction: the count, rows, annotations and sources all see one snapshot.
    with store.read() as session:
        ids = list(dict.fromkeys(figure_ids)) if figure_ids is not None else None  # an id once: it is a key
        total = len(ids) if ids is not None else (
            count_figures(session, query) if query is not None else session.scalar(
                (filters or FigureFilter()).narrow(joined_rows(select(func.count(Figure.id))))) or 0)
        if options.format == "xlsx" and total > XLSX_MAX_ROWS:
            raise StoreError(f"an XLSX sheet holds at most {XLSX_MAX_ROWS:,} figures and this export has "
                             f"{total:,}; export CSV or Parquet instead")
        temp = temporary_path(target, as_folder)
        try:
            writer = make_writer(options.format, temp, columns, options, {"exported_at": exported_at, "total": total},
                                 as_zip=options.format == "datapackage" and not as_folder)
            try:
                rows, counts = write_rows(session, writer, columns, ids, query, filters, total, progress, cancelled)
                sources = source_rows(session, counts)
                writer.finish(sources)
            except BaseException:
                writer.abort()
                raise
            if cancelled is not None and cancelled():
                raise ExportCancelled("export cancelled; nothing was written")
            sync_to_disk(temp)
            move_into_place(temp, target, as_folder)
        except OSError as exc:
            remove_temporary(temp)
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
        except BaseException:
            remove_temporary(temp)
            raise
    return ExportReport(target, options.format, rows, len(sources))


def make_writer(fmt: str, target: Path, columns, options, meta, *, as_zip: bool = False):
    """The writer of one export format (FORMATS), writing into the temporary `target`."""
    if fmt == "datapackage":
        return DataPackageFormat(target, columns, options, meta, as_zip=as_zip)
    return {"csv": CsvFormat, "xlsx": XlsxFormat, "json": JsonFormat, "parquet": ParquetFormat}[fmt](
        target, columns, options, meta)
