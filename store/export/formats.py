"""The file formats of an export: one writer per format, fed rows in batches.

Each writer writes into a temporary path that store.export.figures chose and later
moves into place; a writer never decides where its output ends up. A batch
arrives column by column (a list per column, raw values: int, float, str or
None; or a `Coded` column, places in a list of values, which iterates as the
values), which is what the hot loops want: CSV is rendered a column at a time
with pyarrow (`CsvRows`), a Parquet array is built from one. Each format
decides how a value is written:

- CSV, XLSX and the data package's CSVs are read by spreadsheets, which run a
  cell that starts with "=" as a formula: their text cells go through
  `neutralise` (OWASP "CSV injection"). XLSX text is also written with
  write_string, never as a formula, whatever it looks like.
- JSON and Parquet are read by programs: they keep the exact stored text.

Heavy libraries (XlsxWriter, pyarrow) are imported by the writer that needs
them, so `python -m store` starts fast whatever it is asked to do.

Here: XLSX, JSON and Parquet; CSV (and `neutralise`, `Coded`) in
store/export/csv.py; the data package in store/export/package.py;
store.export.figures.make_writer picks the writer of a format.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from store.export.csv import neutralise

XLSX_MAX_ROWS = 1_048_576 - 1     # Excel's row limit, less the header row
XLSX_MAX_CHARS = 32_767           # Excel's limit on the text of one cell
XLSX_CONSTANT_MEMORY_ROWS = 20_000  # above this, stream rows to disk instead of holding the sheet in memory
PARQUET_ROW_GROUP = 65_536        # rows buffered per Parquet row group (1,000-row groups would bloat the file)

DATAPACKAGE_FILES = ("datapackage.json", "figures.csv", "sources.csv", "README.md")

# One row per document, in the XLSX "Sources" sheet, the JSON "sources" list and sources.csv.
SOURCE_FIELDS = (
    ("file", "File", "string", "The document's file name; the doc column of the figures names it."),
    ("title", "Title", "string", "The document's title (supplied by the curators when the text has none)."),
    ("publisher", "Publisher", "string", "Who published the document."),
    ("author", "Author", "string", "Who wrote it, if known."),
    ("published", "Published", "string", "When it was published: a year, year-month or date (YYYY[-MM[-DD]])."),
    ("sha256", "SHA-256", "string", "SHA-256 of the document's text, to check a copy is the same document."),
    ("figures", "Figures", "integer", "How many of the exported figures this document states."),
)


class XlsxFormat:
    """A workbook with a "Figures" sheet and a "Sources" sheet; never a formula, never a guessed type."""

    def __init__(self, target: Path, columns, options, meta):
        import xlsxwriter

        # XlsxWriter keeps constant_memory row data in temp files it names itself; a private folder
        # lets abort() remove them (close() would otherwise be the only thing that does). It is beside
        # the export, not in /tmp, and named so that the next export clears it if this one is killed.
        from store.opening.scratch import create

        self._scratch = str(create(target.parent, "scratch", directory=True))
        large = meta["total"] > XLSX_CONSTANT_MEMORY_ROWS
        self._book = xlsxwriter.Workbook(str(target), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "constant_memory": large, "use_zip64": large, "tmpdir": self._scratch,
        })
        self._header = self._book.add_format({"bold": True, "bottom": 1})
        self._numeric = [column.type != "string" for column in columns]
        try:
            self._sheet = self._sheet_with_header("Figures", [(c.title, _width(c)) for c in columns])
        except BaseException:
            self.abort()
            raise
        self._row = 1
        self._columns = len(columns)

    def _sheet_with_header(self, name: str, titles: list[tuple[str, int]]):
        sheet = self._book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for col, (title, width) in enumerate(titles):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, neutralise(title), self._header)
        return sheet

    def write(self, columns: list[list]) -> None:
        sheet, numeric, row_number = self._sheet, self._numeric, self._row
        write_number, write_string = sheet.write_number, sheet.write_string
        for row in zip(*columns):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue  # an empty cell, not an empty string: Excel filters treat them alike
                if numeric[col]:
                    write_number(row_number, col, value)
                else:
                    write_string(row_number, col, _xlsx_text(value))
            row_number += 1
        self._row = row_number

    def finish(self, sources: list[dict]) -> None:
        if self._row > 1:
            self._sheet.autofilter(0, 0, self._row - 1, self._columns - 1)
        widths = {"file": 28, "title": 60, "publisher": 36, "author": 20, "published": 11, "sha256": 66, "figures": 9}
        sheet = self._sheet_with_header("Sources", [(title, widths[key]) for key, title, _, _ in SOURCE_FIELDS])
        for row_number, source in enumerate(sources, start=1):
            for col, (key, _, kind, _) in enumerate(SOURCE_FIELDS):
                value = source[key]
                if kind == "integer":
                    sheet.write_number(row_number, col, value)
                elif value:
                    sheet.write_string(row_number, col, _xlsx_text(value))
        self._close()

    def _close(self) -> None:
        from xlsxwriter.exceptions import FileCreateError

        try:
            self._book.close()
        except FileCreateError as exc:  # XlsxWriter wraps the OSError: give the engine an OSError back
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            raise (cause or OSError(str(exc))) from exc
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def abort(self) -> None:
        for sheet in self._book.worksheets():
            if getattr(sheet, "row_data_fh", None) is not None and not sheet.row_data_fh_closed:
                sheet.row_data_fh.close()
                sheet.row_data_fh_closed = True
        self._book.fileclosed = True  # nothing to write any more; the engine removes the target
        shutil.rmtree(self._scratch, ignore_errors=True)


def _xlsx_text(value: str) -> str:
    value = neutralise(value)
    if len(value) > XLSX_MAX_CHARS:  # Excel refuses longer cells; say so in the cell rather than cut silently
        marker = f" [... cut at Excel's {XLSX_MAX_CHARS:,} characters; the CSV and JSON exports hold it all]"
        value = value[:XLSX_MAX_CHARS - len(marker)] + marker
    return value


_WIDTHS = {"quote": 60, "doc_title": 48, "note": 48, "annotations": 40, "status_reason": 32, "metric_name": 28,
           "cluster_name": 28, "entity_name": 24, "doc": 28, "publisher": 28, "value": 18, "value_text": 18,
           "flag": 24}


def _width(column) -> int:
    return _WIDTHS.get(column.key, 10 if column.type != "string" else 14)


class JsonFormat:
    """{"exported_at", "figures": [...], "sources": [...]}, streamed one figure per line; exact text kept."""

    def __init__(self, target: Path, columns, options, meta):
        self._file = open(target, "w", encoding="utf-8", newline="\n")
        self._keys = [column.key for column in columns]
        # One encoder for every row: json.dumps(..., ensure_ascii=False) would build a new one per call.
        self._encode = json.JSONEncoder(ensure_ascii=False).encode
        self._file.write('{"exported_at": %s,\n "figures": [' % json.dumps(meta["exported_at"]))
        self._separator = "\n  "

    def write(self, columns: list[list]) -> None:
        keys, encode = self._keys, self._encode
        parts = []
        for row in zip(*columns):
            parts.append(self._separator)
            parts.append(encode(dict(zip(keys, row))))
            self._separator = ",\n  "
        self._file.write("".join(parts))

    def finish(self, sources: list[dict]) -> None:
        self._file.write('\n ],\n "sources": [')
        self._file.write(",".join("\n  " + json.dumps(source, ensure_ascii=False) for source in sources))
        self._file.write("\n ]\n}\n")
        self._file.close()

    def abort(self) -> None:
        self._file.close()


class ParquetFormat:
    """A typed Parquet table (int64, float64, string), written in row groups as rows arrive."""

    def __init__(self, target: Path, columns, options, meta):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        types = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string()}
        self._schema = pa.schema(
            [pa.field(c.key, types[c.type], metadata={"title": c.title, "description": c.description}) for c in columns],
            metadata={"exported_at": meta["exported_at"], "generator": "Cluster Explorer"},
        )
        self._writer = pq.ParquetWriter(str(target), self._schema)
        self._buffer: list[list] = [[] for _ in columns]

    def write(self, columns: list[list]) -> None:
        for buffered, values in zip(self._buffer, columns):
            buffered.extend(values)
        if len(self._buffer[0]) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer[0]:
            return
        pa, schema = self._pa, self._schema
        arrays = [pa.array(values, type=field.type) for values, field in zip(self._buffer, schema)]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        self._buffer = [[] for _ in self._buffer]

    def finish(self, sources: list[dict]) -> None:
        self._flush()
        # The sources are known only at the end; Parquet lets the footer carry them.
        self._writer.add_key_value_metadata({"sources": json.dumps(sources, ensure_ascii=False)})
        self._writer.close()

    def abort(self) -> None:
        self._writer.close()
