"""`python -m store import` and `python -m store extract`: document import from the command line.

A plugin of store/cli/__init__.py (see PLUGIN_MODULES there). The plugin contract names one command per
module, so add_parser declares both subcommands, returns "import", and registers this module
for "extract" too; `run` dispatches on the command.

- import: each file becomes a document with its candidate figures, one action per file. One
  line per file; a refused file is one stderr line and exit 2, the others are still imported.
  With --as-version-of DOC, the one file is a new version of a stored document instead: its text
  replaces the document's in place and every figure is re-anchored (store.curation.reanchor), as one
  undoable action; one line of JSON with the outcome counts.
- extract: prints the finder's candidates and stores nothing (the store is only read, for the
  taxonomy the metric, entity and cluster suggestions come from). Offsets count the code points
  of the text the import would store (for HTML, the article text, not the page source).
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

from store.curation.importing import MAX_CANDIDATES, import_documents
from store.errors import StoreError
from store.finder import find_figures_within
from store.finder.names import load_taxonomy
from store.reading.datasets import DATASET_SUFFIXES, add_dataset_options, expand_datasets, given_columns
from store.reading.files import HTML_SUFFIXES, TEXT_SUFFIXES, read_document
from store.values.display import for_terminal, json_line

PROG = "python -m store"
EXTRACT_FIELDS = ("doc", "start", "end", "quote", "value", "value_text", "value_max", "value_max_text", "unit",
                  "scale", "qualifier", "period", "metric", "entity", "cluster")


def add_parser(sub, add_db_option, add_filters) -> str:
    importing = sub.add_parser(
        "import", help="add article files (.txt, .md, .html) or datasets of them (.csv, .jsonl, .parquet: "
                  "one document a row) as documents with candidate figures",
        description="Add each file as a document, with the figures the finder proposes as candidates "
                    "for review. Each file is one undoable action; a text already in the store is skipped.")
    importing.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="files, or folders of files")
    importing.add_argument("--no-find", dest="find", action="store_false", help="store the documents only")
    importing.add_argument("--as-version-of", metavar="DOC", default=None,
                           help="the one file is a new version of this stored document (its id or file name): "
                                "replace its text and re-anchor its figures; prints one line of JSON")
    add_dataset_options(importing)
    add_db_option(importing)
    extract = sub.add_parser(
        "extract", help="print the figures the finder proposes in files, storing nothing",
        description="Print the candidate figures of each file (offsets into the text an import would store).")
    extract.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="files, or folders of files")
    extract.add_argument("--format", choices=("jsonl", "table"), default="table")
    add_dataset_options(extract)
    add_db_option(extract)
    import store.cli  # at call time: store.cli imports this module while building its parser

    store.cli.PLUGIN_COMMANDS["extract"] = sys.modules[__name__]
    return "import"


def _expand(paths: list[Path]) -> list[Path]:
    """Folders stand for the importable files directly inside them, in name order."""
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES + DATASET_SUFFIXES)
            if not found:
                raise StoreError(f"{path} holds no .txt, .md, .htm, .html, .csv, .jsonl or .parquet files")
            files.extend(found)
        else:
            files.append(path)
    return files


def json_number(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return value.numerator if value.denominator == 1 else float(value)


def run(store, args: argparse.Namespace) -> int:
    return run_extract(store, args) if args.command == "extract" else run_import(store, args)


def run_import(store, args: argparse.Namespace) -> int:
    if args.as_version_of is not None:
        return run_new_version(store, args)
    def report(result) -> None:
        """Printed (and flushed) as soon as the file's action is committed: a line printed is a file saved."""
        if result.document_id is not None:
            plural = "" if result.candidates == 1 else "s"
            note = f"; {result.not_kept_note}" if result.not_kept else ""
            print(for_terminal(f"added doc {result.document_id}: {result.title} ({result.candidates} candidate{plural}{note})"),
                  flush=True)
        elif result.refused:
            print(f"{PROG}: error: {result.skipped_reason}", file=sys.stderr, flush=True)
        else:
            print(for_terminal(f"skipped {Path(result.path).name}: {result.skipped_reason}"), flush=True)

    results = import_documents(store, _expand(args.paths), find=args.find, on_result=report,
                               columns=given_columns(args))
    return 2 if any(result.refused for result in results) else 0


def run_new_version(store, args: argparse.Namespace) -> int:
    """One file as a new version of a stored document: {"document", "exact", "moved", "fuzzy", "orphaned"}."""
    from store.curation.reanchor import new_version  # only this path needs it

    if len(args.paths) != 1 or args.paths[0].is_dir():
        raise StoreError("--as-version-of takes exactly one file")  # one line on stderr, exit 2 (store.cli)
    doc = read_document(args.paths[0])
    # The stored title is kept: the file's first line is only a guess, the stored one may be curated.
    report = new_version(store, args.as_version_of, doc.text, encoding=doc.encoding)
    print(json_line(report.summary()))
    return 0


def run_extract(store, args: argparse.Namespace) -> int:
    with store.read() as session:
        names = load_taxonomy(session)
    status = 0
    for _path, read in expand_datasets([str(p) for p in _expand(args.paths)], given_columns(args)):  # a dataset: each row
        try:
            doc = read()
        except StoreError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            status = 2
            continue
        found, total = find_figures_within(doc.text, doc.published, names, MAX_CANDIDATES,
                                           place=(getattr(doc, "citation", None) or {}).get("place", ""))
        for c in found:
            value_max = Fraction(c.value_max_text) if c.value_max_text else None
            record = {"doc": doc.file_name, "start": c.start, "end": c.end, "quote": c.quote,
                      "value": json_number(c.value), "value_text": c.value_text, "value_max": json_number(value_max),
                      "value_max_text": c.value_max_text, "unit": c.unit, "scale": c.scale,
                      "qualifier": c.qualifier, "period": c.period, "metric": c.metric, "entity": c.entity,
                      "cluster": c.cluster, "metric_text": c.metric_text, "growth": c.growth,
                      "growth_base": c.growth_base, "projected": c.projected, "reading": dict(c.reading)}
            if args.format == "jsonl":
                print(json_line(record))
            else:
                print(for_terminal(f"{doc.file_name}[{c.start}:{c.end}] {c.value_text:>16} {c.unit:<14} "
                                   f"{c.qualifier:<12} {c.period:<10} {c.metric or '-':<22} {c.entity or '-':<12} "
                                   f"{c.cluster or '-':<18} {c.quote!r}"))
        if total > len(found):  # the import's cap: memory stays bounded, and the user is told
            print(for_terminal(f"{PROG}: {doc.file_name}: the first {len(found):,} candidates are shown and "
                               f"{total - len(found):,} more are not (the limit is {MAX_CANDIDATES:,} a document)"),
                  file=sys.stderr)
    return status
