"""`python -m store export`: the export engine (store/export/__init__.py) from the command line.

A plugin of store/cli/__init__.py (see PLUGIN_MODULES there): `add_parser` declares the
subcommand, `run` does it. Like every subcommand it prints one line on success
and, on failure, raises StoreError for main() to print as one line (exit 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from store.errors import StoreError
from store.export.figures import DEFAULT_COLUMNS, FORMATS, ExportOptions, export_figures


def add_parser(sub, add_db_option, add_filters) -> str:
    parser = sub.add_parser(
        "export", help="write figures with their sources to CSV, XLSX, JSON, Parquet or a data package",
        description="Write the figures (all, or those the filters select) with their provenance: "
                    "document, title, publisher, date, quote and offsets, and review status. "
                    "The file at --out is replaced only once the export is complete.")
    parser.add_argument("--format", required=True, choices=FORMATS,
                        help="datapackage writes a folder, or a zip if --out ends in .zip")
    parser.add_argument("--out", required=True, metavar="PATH", type=Path, help="the file (or folder) to write")
    add_filters(parser)
    parser.add_argument("--columns", metavar="KEY,KEY,...",
                        help=f"the columns to write, in order; the provenance columns are always added "
                             f"(default: all of {', '.join(DEFAULT_COLUMNS)})")
    parser.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark, for Excel")
    parser.add_argument("--no-annotations", dest="annotations", action="store_false",
                        help="leave out the column of the figures' annotations")
    add_db_option(parser)
    return "export"


def _columns(text: str | None) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_COLUMNS
    keys = tuple(key.strip() for key in text.split(",") if key.strip())
    if not keys:
        raise StoreError("--columns names no column")
    return keys  # unknown keys: export_figures names them in its error


def run(store, args: argparse.Namespace) -> int:
    from store.cli import check_filter, figure_filter  # at call time: store.cli imports this module

    filters = figure_filter(args)
    with store.read() as session:
        check_filter(session, filters)  # an unknown --cluster is an error naming it, not an empty file
    options = ExportOptions(format=args.format, columns=_columns(args.columns), bom=args.bom,
                            annotations=args.annotations)
    report = export_figures(store, args.out, options, filters=filters)
    print(f"wrote {report.rows} figures to {report.path}")
    return 0
