"""The file formats of an export: one writer per format, fed rows in batches.

Each writer writes into a temporary path that store.export chose and later
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
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
import zipfile
from functools import cache, partial
from pathlib import Path

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
_DANGER = frozenset("=+-@\t\r\0")
# ... unless it is a plain number: "-2" or "+1/3" cannot run anything, and quoting it would change it.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?(/\d+)?")

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


def neutralise(value):
    """A CSV/XLSX cell that no spreadsheet will run as a formula.

    Text starting with = + - @ tab CR or NUL gets a leading single quote,
    unless it is a plain number ("-2", "+1", "3/4"): such a text cannot hold a
    formula, and a quote would turn a value_text of "-2" into something else.
    Anything that is not text (numbers included, negative or not) is returned
    as is.
    """
    if isinstance(value, str) and value[:1] in _DANGER and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _float_text(value: float) -> str:
    # 1100000000000.0 is written 1100000000000; below 2**53 an integral float is exactly that integer.
    if value.is_integer() and -2**53 < value < 2**53:
        return str(int(value))
    return repr(value)


def _csv_batch(kinds: list[str]):
    """A function turning a column-major batch into CSV rows for csv.writer: text neutralised, floats without ".0".

    The cell by cell definition of a CSV cell: sources.csv is written with it, and `CsvRows`,
    which writes the figures, must give the same bytes (tests compare the two).
    """
    def convert(columns: list[list]):
        columns = list(columns)
        for index, kind in enumerate(kinds):
            if kind == "string":
                columns[index] = [v if not v or v[0] not in _DANGER else neutralise(v) for v in columns[index]]
            elif kind == "number":
                columns[index] = [v if v is None else _float_text(v) for v in columns[index]]
        return zip(*columns)  # the csv module writes None as an empty field
    return convert


def _csv_header(titles: list[str]) -> bytes:
    """The header line as csv.writer writes it (QUOTE_MINIMAL, CRLF), titles neutralised, in UTF-8."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow([neutralise(t) for t in titles])
    return buffer.getvalue().encode("utf-8")


class Coded:
    """A column given as places in a list of values: each figure's document title as its document's place.

    `values` ends with None, the place of a missing row (a figure without a cluster). Iterating
    gives the values, for the writers that want them; the CSV writer renders each distinct
    value once and copies its text to every row that has it.
    """

    __slots__ = ("places", "values")

    def __init__(self, places: list[int], values: list):
        self.places, self.values = places, values

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self):
        return map(self.values.__getitem__, self.places)


CSV_CHUNK_ROWS = 32_768  # rows rendered together into CSV text (some 12 MB)


class CsvRows:
    """The data rows of a CSV file, rendered a column at a time with pyarrow and numpy.

    The bytes are exactly those csv.writer(quoting=QUOTE_MINIMAL, lineterminator="\r\n")
    writes from `_csv_batch`'s cells (a test compares the two): text neutralised, then quoted
    only if it holds a comma, a double quote, CR or LF (its quotes doubled); None empty; an
    integral float without ".0", any other float as repr(); an integer as str(). Cell by cell
    in Python a million figures took 15 s; column by column in C, about 2 s. Only the rare
    text that starts with a formula character goes through `neutralise` itself, and only the
    floats with a fraction through repr(); a `Coded` column is rendered once per distinct value.

    Batches become Arrow arrays as they arrive and are rendered CSV_CHUNK_ROWS rows at a time:
    a numpy or Arrow call has a fixed cost that would dominate at 1,000 rows.
    """

    def __init__(self, handle, kinds: list[str]):
        import pyarrow as pa

        types = {"integer": pa.int64(), "number": pa.float64(),
                 "string": pa.large_string()}  # 64-bit offsets: a chunk's text may pass 2 GB
        self._handle = handle
        self._types = [types[kind] for kind in kinds]
        self._pending: list[list] = [[] for _ in kinds]
        self._count = 0
        self._rendered: dict[int, tuple] = {}  # id(Coded.values) -> (the values, their cells)

    def write(self, columns: list) -> None:
        import pyarrow as pa

        for pending, values, arrow_type in zip(self._pending, columns, self._types):
            if isinstance(values, Coded):
                pending.append((pa.array(values.places, pa.int32()), values.values, arrow_type))
            else:
                pending.append(_arrow_column(values, arrow_type))
        self._count += len(columns[0]) if columns else 0
        if self._count >= CSV_CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        """Render and write the rows written so far."""
        if not self._count:
            return
        import pyarrow as pa
        import pyarrow.compute as pc

        pending, self._pending, self._count = self._pending, [[] for _ in self._pending], 0
        cells = [self._column_cells(pieces) for pieces in pending]
        # The line end rides on the last cell, then one join per row: the rows' text lies end to end
        # in the data buffer of the result, which is written as is.
        text = partial(pa.scalar, type=pa.large_string())
        cells[-1] = pc.binary_join_element_wise(pc.fill_null(cells[-1], text("")), text("\r\n"), text(""))
        lines = pc.binary_join_element_wise(*cells, text(","), null_handling="replace", null_replacement="")
        offsets, data = _string_buffers(lines)
        self._handle.write(data[offsets[0]:offsets[-1]])

    def _column_cells(self, pieces: list):
        """One column of a chunk as CSV cells (null: an empty cell), from the pieces its batches gave."""
        import pyarrow as pa

        first = pieces[0]
        if isinstance(first, tuple):
            if all(isinstance(piece, tuple) and piece[1] is first[1] for piece in pieces):
                places = pa.concat_arrays([piece[0] for piece in pieces]) if len(pieces) > 1 else first[0]
                return self._coded_cells(first[1], first[2]).take(places)
        elif all(not isinstance(piece, tuple) and piece.type == first.type for piece in pieces):
            return _cells(pa.concat_arrays(pieces) if len(pieces) > 1 else first)
        return pa.concat_arrays([self._column_cells([piece]) for piece in pieces])  # mixed: piece by piece

    def _coded_cells(self, values: list, arrow_type):
        known = self._rendered.get(id(values))
        if known is None or known[0] is not values:
            known = self._rendered[id(values)] = (values, _cells(_arrow_column(values, arrow_type)))
        return known[1]


def _arrow_column(values, arrow_type):
    import pyarrow as pa

    try:
        if not pa.types.is_integer(arrow_type):
            return pa.array(values, type=arrow_type)
        array = pa.array(values)  # inferred: given type=int64, pyarrow would cut a float 1.5 to 1
        if array.type == arrow_type or pa.types.is_null(array.type):
            return array.cast(arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        pass
    # SQLite keeps what it was given: a value not of its column's type is written as the text
    # csv.writer made of it, str().
    return pa.array([v if v is None or isinstance(v, str) else str(v) for v in values], type=pa.large_string())


def _cells(array):
    """CSV cells (large_string; null: an empty cell) of an int64, float64 or large_string array."""
    import pyarrow as pa

    if pa.types.is_integer(array.type):
        return array.cast(pa.large_string())
    if pa.types.is_floating(array.type):
        return _number_cells(array)
    return _quoted(_neutralised(array))


def _number_cells(array):
    """`_float_text`, vectorised: an integral float below 2**53 as that integer, any other as repr()."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = array.to_numpy(zero_copy_only=False)  # a null is NaN
    valid = array.is_valid().to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        integral = (np.abs(values) < 2.0**53) & (np.floor(values) == values) & valid
    text = pa.array(np.where(integral, values, 0).astype(np.int64), mask=~integral).cast(pa.large_string())
    other = valid & ~integral
    if other.any():  # fractions, huge values, NaN and infinities: Python's own repr
        reprs = pa.array([repr(value) for value in values[other].tolist()], pa.large_string())
        text = pc.replace_with_mask(text, pa.array(other), reprs)
    return text


def _string_buffers(array):
    """(offsets, bytes) of a large_string array as numpy arrays; the offsets index the bytes."""
    import numpy as np

    _, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64, count=len(array) + 1, offset=array.offset * 8)
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)


@cache
def _byte_table(chars: str):
    """A lookup table: is this byte one of `chars` (ASCII)?"""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[[ord(char) for char in chars]] = True
    return table


def _neutralised(array):
    """`neutralise` on every cell; only the cells that start with a formula character reach Python."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets, data = _string_buffers(array)
    starts = offsets[:-1]
    rows = np.flatnonzero((offsets[1:] > starts) & array.is_valid().to_numpy(zero_copy_only=False))
    # The formula characters are ASCII, so a cell's first byte tells whether it starts with one.
    rows = rows[_byte_table("".join(sorted(_DANGER)))[data[starts[rows]]]]
    if not rows.size:
        return array
    texts = array.take(pa.array(rows)).to_pylist()
    changed = [(row, safe) for row, text, safe in zip(rows.tolist(), texts, map(neutralise, texts)) if safe != text]
    if not changed:  # plain numbers such as "-2"
        return array
    mask = np.zeros(len(array), dtype=bool)
    mask[[row for row, _ in changed]] = True
    return pc.replace_with_mask(array, pa.array(mask), pa.array([safe for _, safe in changed], pa.large_string()))


def _quoted(array):
    """QUOTE_MINIMAL: a cell holding a comma, a double quote, CR or LF is quoted, its quotes doubled."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets, data = _string_buffers(array)
    hits = np.flatnonzero(_byte_table(',"\r\n')[data[offsets[0]:offsets[-1]]]) + offsets[0]
    if not hits.size:
        return array
    rows = np.searchsorted(offsets, hits, side="right") - 1  # the cell of each such byte, in order
    rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
    quote, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(array.take(pa.array(rows)), '"', '""'), quote, nothing)
    mask = np.zeros(len(array), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(array, pa.array(mask), quoted)


class CsvFormat:
    """RFC 4180 CSV: a header row of titles, CRLF line ends, UTF-8 (with a BOM for Excel if asked)."""

    def __init__(self, target: Path, columns, options, meta):
        self._file = open(target, "wb")
        try:
            self._rows = CsvRows(self._file, [column.type for column in columns])
            self._file.write((b"\xef\xbb\xbf" if options.bom else b"") + _csv_header([c.title for c in columns]))
        except BaseException:
            self._file.close()
            raise

    def write(self, columns: list[list]) -> None:
        self._rows.write(columns)

    def finish(self, sources: list[dict]) -> None:
        try:
            self._rows.flush()
        finally:
            self._file.close()

    def abort(self) -> None:
        self._file.close()


class XlsxFormat:
    """A workbook with a "Figures" sheet and a "Sources" sheet; never a formula, never a guessed type."""

    def __init__(self, target: Path, columns, options, meta):
        import xlsxwriter

        # XlsxWriter keeps constant_memory row data in temp files it names itself; a private folder
        # lets abort() remove them (close() would otherwise be the only thing that does).
        self._scratch = tempfile.mkdtemp(prefix="cluster-explorer-xlsx-")
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


class DataPackageFormat:
    """A Frictionless Data Package: figures.csv, sources.csv, datapackage.json, README.md.

    `target` is a folder (already created) or, with as_zip, a file to hold the same files zipped.
    The CSV headers are the field names (Frictionless checks them against the schema); the
    human titles are in the schema and the README.
    """

    def __init__(self, target: Path, columns, options, meta, *, as_zip: bool):
        self._target, self._columns, self._meta = target, columns, meta
        # Level 1: a 600 MB figures.csv zips in 5 s instead of 19 s (level 6), for a fifth more bytes.
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) if as_zip else None
        self._figures = self._open("figures.csv")
        try:
            self._csv = CsvRows(self._figures, [column.type for column in columns])
            self._figures.write(_csv_header([column.key for column in columns]))
        except BaseException:
            self.abort()
            raise
        self._rows = 0

    def _open(self, name: str):
        if self._zip is not None:
            return self._zip.open(name, "w", force_zip64=True)  # zip64: figures.csv may pass 4 GB
        return open(self._target / name, "wb")

    def _write_file(self, name: str, text: str) -> None:
        with self._open(name) as handle:
            handle.write(text.encode("utf-8"))

    def write(self, columns: list[list]) -> None:
        self._rows += len(columns[0])
        self._csv.write(columns)

    def finish(self, sources: list[dict]) -> None:
        self._csv.flush()
        self._figures.close()
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([key for key, _, _, _ in SOURCE_FIELDS])
        convert = _csv_batch([kind for _, _, kind, _ in SOURCE_FIELDS])
        writer.writerows(convert([[source[key] for source in sources] for key, _, _, _ in SOURCE_FIELDS]))
        self._write_file("sources.csv", buffer.getvalue())
        descriptor = package_descriptor(self._columns, sources, self._meta)
        self._write_file("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
        self._write_file("README.md", package_readme(self._columns, sources, self._meta, self._rows))
        if self._zip is not None:
            self._zip.close()

    def abort(self) -> None:
        try:
            self._figures.close()
        finally:
            if self._zip is not None:
                self._zip.close()


def make_writer(fmt: str, target: Path, columns, options, meta, *, as_zip: bool = False):
    if fmt == "datapackage":
        return DataPackageFormat(target, columns, options, meta, as_zip=as_zip)
    return {"csv": CsvFormat, "xlsx": XlsxFormat, "json": JsonFormat, "parquet": ParquetFormat}[fmt](
        target, columns, options, meta)


def _table_field(key: str, title: str, kind: str, description: str) -> dict:
    return {"name": key, "type": kind, "title": title, "description": description}


def package_descriptor(columns, sources: list[dict], meta: dict) -> dict:
    """datapackage.json (Data Package v1, which Frictionless 5 reads and validates)."""
    keys = {column.key for column in columns}
    figures_schema: dict = {"fields": [_table_field(c.key, c.title, c.type, c.description) for c in columns]}
    if "id" in keys:
        figures_schema["primaryKey"] = ["id"]
    if "doc" in keys:  # every figure's source is a row of sources.csv: Frictionless checks it
        figures_schema["foreignKeys"] = [{"fields": ["doc"], "reference": {"resource": "sources", "fields": ["file"]}}]
    csv_resource = {"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
    return {
        "profile": "tabular-data-package",
        "name": "cluster-explorer-figures",
        "title": "Figures stated by news documents, exported from Cluster Explorer",
        "description": "Each figure is anchored to the exact words of the document that states it; "
                       "see README.md.",
        "created": meta["exported_at"],
        # Each document as a citation: what a reader needs to find the original.
        "sources": [{"title": source["title"] or source["file"], "path": source["file"],
                     "description": _citation(source)} for source in sources],
        "resources": [
            {"name": "figures", "path": "figures.csv", "title": "Figures", **csv_resource,
             "description": "One row per figure, with the quote, offsets and citation of its source.",
             "schema": figures_schema},
            {"name": "sources", "path": "sources.csv", "title": "Sources", **csv_resource,
             "description": "One row per document that states an exported figure.",
             "schema": {"fields": [_table_field(*field) for field in SOURCE_FIELDS], "primaryKey": ["file"]}},
        ],
    }


def _citation(source: dict) -> str:
    parts = [f"{label}: {source[key]}" for key, label in
             (("publisher", "Publisher"), ("author", "Author"), ("published", "Published")) if source[key]]
    parts.append(f"file {source['file']} (SHA-256 {source['sha256']})")
    return "; ".join(parts)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def package_readme(columns, sources: list[dict], meta: dict, rows: int) -> str:
    """README.md: what the columns mean and where the figures come from, for a reader without tools."""
    lines = [
        "# Figures exported from Cluster Explorer",
        "",
        f"Exported {meta['exported_at']}: {rows:,} figures stated by {len(sources):,} documents.",
        "",
        "Every figure is a quantity a news document states, curated by hand. `quote` is the document's own words,",
        "characters `start` to `end` of the file named in `doc` (Python code points, counted from 0, end excluded),",
        "so each figure can be checked against its source. `value` is a floating-point copy for sorting and charts;",
        "`value_text` is the exact value (a decimal, or a fraction p/q) and is the one to cite.",
        "",
        "Text cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return start with an added single quote",
        "(`'`) so that spreadsheets do not run them as formulas; remove it to get the stored text.",
        "",
        "- `figures.csv`: one row per figure; `sources.csv`: one row per document.",
        "- `datapackage.json`: the same column descriptions, machine-readable (Frictionless Data Package).",
        "",
        "## Columns of figures.csv",
        "",
        "| column | title | type | meaning |",
        "|---|---|---|---|",
        *(f"| `{c.key}` | {_md(c.title)} | {c.type} | {_md(c.description)} |" for c in columns),
        "",
        "## Sources",
        "",
        *(f"- {_md(s['title'] or s['file'])}. {_md(_citation(s))}. {s['figures']:,} figures." for s in sources),
        "",
    ]
    return "\n".join(lines)
