"""Document datasets: a CSV, JSON Lines or Parquet file whose rows are documents.

Each row is one document (its own undoable import action, as a file is): the text column becomes
the stored text exactly (line ends normalised, as for files), and the citation columns (title,
source_url, publish_date, province ...) become its citation fields, winning over what the text
says about itself where they are usable (store.reading.facts.cite). Columns are recognised by
name; `columns` ({"text": "body", "title": "headline", ...}) names them where the header does not.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from store.errors import StoreError

DATASET_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")
MAX_DATASET_BYTES = 512 * 1024 * 1024
# The fields a dataset can supply, each with the column names that mean it (first found wins).
COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("full_text", "text", "content", "body", "article", "article_text", "正文", "全文", "内容"),
    "title": ("title", "headline", "标题", "题目"),
    "url": ("source_url", "url", "link", "source_link", "href", "网址", "链接"),
    "published": ("publish_date", "published", "date", "pub_date", "publication_date", "published_at",
                  "发布日期", "发布时间", "日期"),
    "publisher": ("publisher", "source", "outlet", "来源"),
    "author": ("author", "authors", "byline", "作者"),
    "place": ("province", "place", "region", "location", "city", "省份", "地区"),
    "language": ("language", "lang"),
    "kind": ("kind", "doc_kind", "document_kind"),
}
OPTION_NAMES = {"text": "--text-column", "title": "--title-column", "url": "--url-column",
                "published": "--date-column", "publisher": "--publisher-column", "author": "--author-column",
                "place": "--place-column"}


def is_dataset(path) -> bool:
    return Path(str(path)).suffix.lower() in DATASET_SUFFIXES


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return ""
    return str(value)


def _read_bytes(path: Path) -> bytes:
    from store.reading.files import read_capped  # a regular file only (not a FIFO, not /dev/zero), never past the limit

    try:
        return read_capped(path, MAX_DATASET_BYTES)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _text_of(data: bytes, name: str) -> str:
    from store.reading.files import decode, normalise_text

    try:
        return normalise_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return decode(data, name)[0]  # UTF-16, GB18030, a Windows code page; refuses a binary file


def read_rows(path) -> tuple[list[str], list[dict | StoreError]]:
    """(the column names, the rows) of a dataset; a row that cannot be read is a StoreError in its place."""
    path = Path(str(path))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            table = pq.read_table(io.BytesIO(_read_bytes(path)))
        except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
            raise StoreError(f"{path.name} is not a readable Parquet file: {' '.join(str(exc).split())[:200]}") from exc
        return list(table.column_names), [{k: _cell(v) for k, v in row.items()} for row in table.to_pylist()]
    text = _text_of(_read_bytes(path), path.name)
    if suffix == ".csv":
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""))
            names = [n.lstrip("\ufeff").strip() for n in reader.fieldnames or []]
            reader.fieldnames = names
            return names, [{k: _cell(v) for k, v in row.items() if k is not None} for row in reader]
        except csv.Error as exc:
            raise StoreError(f"{path.name} is not a readable CSV file: {exc}") from exc
    names: list[str] = []
    rows: list[dict | StoreError] = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            rows.append(StoreError(f"{path.name} line {n}: not JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            rows.append(StoreError(f"{path.name} line {n}: not a JSON object"))
            continue
        names.extend(k for k in record if k not in names)
        rows.append({str(k): _cell(v) for k, v in record.items()})
    return names, rows


def choose_columns(names: list[str], given: dict | None, file_name: str) -> dict[str, str]:
    """{field: column} for this header: the columns given (by field), else the first recognised name."""
    folded = {name.casefold(): name for name in names}
    chosen: dict[str, str] = {}
    for field, wanted in (given or {}).items():
        if not wanted:
            continue
        if wanted.casefold() not in folded:
            raise StoreError(f"{file_name} has no column {wanted!r} for {OPTION_NAMES.get(field, field)} "
                             f"(its columns: {', '.join(names) or 'none'})")
        chosen[field] = folded[wanted.casefold()]
    for field, candidates in COLUMNS.items():
        if field not in chosen:
            found = next((folded[c] for c in candidates if c in folded and folded[c] not in chosen.values()), None)
            if found is not None:
                chosen[field] = found
    if "text" not in chosen:
        raise StoreError(f"{file_name} has no text column (one of {', '.join(COLUMNS['text'][:4])} ...); "
                         f"name it with --text-column (its columns: {', '.join(names) or 'none'})")
    return chosen


def dataset_documents(path, given: dict | None = None) -> list[tuple[str, Callable]]:
    """(label, read) per row: read() is the row's cited ImportedText, or raises StoreError for that row."""
    from store.reading.facts import cite
    from store.reading.files import ImportedText

    path = Path(str(path))
    names, rows = read_rows(path)
    if not rows:
        raise StoreError(f"{path.name} holds no rows")
    chosen = choose_columns(names, given, path.name)
    items = []
    for n, row in enumerate(rows, 1):
        label = str(path) if len(rows) == 1 else f"{path} (row {n})"
        file_name = path.stem if len(rows) == 1 else f"{path.stem}_row{n:0{len(str(len(rows)))}d}"

        def read(row=row, n=n, file_name=file_name):
            if isinstance(row, StoreError):
                raise row
            from store.reading.files import normalise_text

            text = normalise_text(row.get(chosen["text"], ""))
            if not text.strip():
                raise StoreError(f"{path.name} row {n}: the {chosen['text']} column is empty")
            if "\x00" in text:
                raise StoreError(f"{path.name} row {n}: the text holds NUL characters")
            supplied = {field: row.get(column, "") for field, column in chosen.items() if field != "text"}
            return cite(ImportedText(text, "", "utf-8", file_name), supplied)

        items.append((label, read))
    return items


def _refused(exc: StoreError) -> Callable:
    def read():
        raise exc
    return read


def expand_datasets(paths: list[str], given: dict | None = None) -> list[tuple[str, Callable]]:
    """(label, read) for each document to import: a file is one, a dataset one per row. A dataset
    that cannot be read at all is one item whose read() raises its error."""
    from store.reading.facts import cite
    from store.reading.files import read_document

    items: list[tuple[str, Callable]] = []
    for path in paths:
        if is_dataset(path):
            try:
                items.extend(dataset_documents(path, given))
            except StoreError as exc:
                items.append((path, _refused(exc)))
        else:
            items.append((path, lambda path=path: cite(read_document(path))))
    return items


def add_dataset_options(parser) -> None:
    """--text-column and the like, for `python -m store import`."""
    for field, option in OPTION_NAMES.items():
        what = "the documents' text" if field == "text" else f"the {field if field != 'published' else 'date'}"
        parser.add_argument(option, dest=f"{field}_column", metavar="NAME", default=None,
                            help=f"in a dataset (.csv, .jsonl, .parquet): the column holding {what}")


def given_columns(args) -> dict:
    return {field: getattr(args, f"{field}_column", None) for field in OPTION_NAMES if getattr(args, f"{field}_column", None)}
