"""CSV as an export writes it: cells a spreadsheet would run neutralised, chunks rendered with pyarrow.

Part of the export formats (store/export/formats.py explains how a writer is fed). `CsvRows`
renders a batch a column at a time with pyarrow and numpy, byte for byte what the csv module
writes (tested); `neutralise` is the OWASP "CSV injection" rule that CSV, XLSX and the data
package share.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache, partial
from pathlib import Path

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
_DANGER = frozenset("=+-@\t\r\0")
# ... unless it is a plain number: "-2", "+1/3", "-1,234.5" or "-3.2 %" (as the app shows values)
# cannot run anything, and quoting it would change it.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(/\d+)?( ?%)?")

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


def csv_batch(kinds: list[str]):
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


def csv_header(titles: list[str]) -> bytes:
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
    writes from `csv_batch`'s cells (a test compares the two): text neutralised, then quoted
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
            self._file.write((b"\xef\xbb\xbf" if options.bom else b"") + csv_header([c.title for c in columns]))
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
