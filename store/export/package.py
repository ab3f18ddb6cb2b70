"""The Frictionless Data Package export: figures.csv, sources.csv, datapackage.json and README.md.

Part of the export formats (store/export/formats.py). The CSVs are written as the CSV export
writes them; the descriptor's table schema and the README describe every column.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from store.export.csv import CsvRows, csv_batch, csv_header
from store.export.formats import SOURCE_FIELDS


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
            self._figures.write(csv_header([column.key for column in columns]))
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
        convert = csv_batch([kind for _, _, kind, _ in SOURCE_FIELDS])
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
