"""`python -m store`: the store's command line.

The subcommands and the fields of `figures --format jsonl` are promises to
users' scripts: extend them, never rename them. Every failure is one line on
stderr and a non-zero exit, never a traceback (set CLUSTER_EXPLORER_DEBUG=1 to
see one): `main` is that one guard, around everything, parsing included.

What reaches a terminal cannot act on it: stderr always, and stdout when it is a
terminal, show control characters as escapes (`\x1b`); table output escapes them
wherever it goes; jsonl escapes them as JSON does (`\u001b`), the same data. CSV to a
pipe or a file is the exact data; CSV to a terminal is escaped like any other text.
Every line on stderr is said without the store URL's password.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import logging
import os
import sys
import warnings
from fractions import Fraction
from typing import Callable, Iterable

from sqlalchemy import func, select

from store import conflict_rule
from store.config import ENV_VAR, redact
from store.conflicts import conflict_groups
from store.core import Store, open_store
from store.curation import STATUSES
from store.display import for_terminal, format_value, json_line
from store.errors import StoreError
from store.process import exit_on_termination, ignore_file_size_signal
from store.exact import parse_exact
from store.models import Anchor, Cluster, Document, Entity, Figure, Metric
from store.periods import period_label
from store.provenance import anchor_failures, orphaned_anchors
from store.queries import FigureFilter, figure_select, iter_figures
from store.reading.citation import citation_record
from store.schema import current_revision

PROG = "python -m store"
JSONL_FIELDS = (
    "id", "key", "doc", "start", "end", "quote", "value", "value_text", "value_max", "unit", "scale",
    "qualifier", "period", "metric", "cluster", "entity", "status", "note", "anchor", "prefix", "suffix",
    "metric_text", "growth", "growth_base", "projected", "reading",
)


def _json_number(text: str | None) -> int | float | None:
    if not text:
        return None
    value: Fraction = parse_exact(text)
    return value.numerator if value.denominator == 1 else float(value)


def figure_record(row: dict) -> dict:
    """The jsonl object of one figure (see JSONL_FIELDS)."""
    record = {name: row.get(name) for name in JSONL_FIELDS}
    record["value"] = _json_number(row["value_text"])
    record["value_max"] = _json_number(row["value_max_text"])
    record["projected"] = bool(row.get("projected"))
    record["reading"] = dict(row.get("reading") or {})  # the words each part of the meaning was read from
    return record


def _add_db_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None if top else argparse.SUPPRESS,
        help=f"store to use: a SQLite file path or a database URL (default: ${ENV_VAR}, else the user data folder)",
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    for name, what in (("cluster", "cluster key"), ("metric", "metric key"), ("entity", "entity key"),
                       ("status", "review status"), ("doc", "document file name")):
        parser.add_argument(f"--{name}", action="append", default=[], metavar=name.upper(),
                            help=f"only figures with this {what} (repeatable)")


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (not a usage block and a line)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {for_terminal(message)} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Cluster Explorer's store, from the command line.")
    _add_db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    figures = sub.add_parser("figures", help="list figures with their anchors")
    figures.add_argument("--format", choices=("jsonl", "csv", "table"), default="table")
    _add_filters(figures)
    _add_db_option(figures, top=False)

    verify = sub.add_parser("verify", help="check every anchor against its document")
    _add_db_option(verify, top=False)

    documents = sub.add_parser("documents", help="list the documents with their citations")
    documents.add_argument("--format", choices=("jsonl", "table"), default="table")
    _add_db_option(documents, top=False)

    conflicts = sub.add_parser("conflicts", help="groups of figures that state the same thing with different values")
    conflicts.add_argument("--format", choices=("jsonl", "table"), default="table")
    _add_db_option(conflicts, top=False)

    info = sub.add_parser("info", help="where the store is, its schema and its counts")
    _add_db_option(info, top=False)
    for module in _plugins():
        command = module.add_parser(sub, add_db_option=lambda p: _add_db_option(p, top=False), add_filters=_add_filters)
        PLUGIN_COMMANDS[command] = module
    return parser


# Subcommands that live beside their code (export, import, extract ...): each module has
# add_parser(sub, add_db_option, add_filters) -> name, and run(store, args) -> exit code.
# A module with OPENS_STORE = False gets None for the store (backup and restore work on the file).
PLUGIN_MODULES = ("store.export_cli", "store.import_cli", "store.synth_cli", "store.backup_cli",
                  "store.reading.citation_cli", "store.lineage_cli")
PLUGIN_COMMANDS: dict[str, object] = {}
# Commands that write to the store take the day's backup first, as opening the app does (store.backup).
WRITING_COMMANDS = ("import", "synth")


def _plugins() -> list:
    import importlib

    modules = []
    for name in PLUGIN_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but something it needs is missing: say so
                raise
    return modules


def _filter(args: argparse.Namespace) -> FigureFilter:
    return FigureFilter(args.cluster, args.metric, args.entity, args.status, args.doc)


def _write_lines(lines: Iterable[str]) -> None:
    out = sys.stdout
    for line in lines:
        out.write(line)
        out.write("\n")


def _check_filter(session, flt: FigureFilter) -> None:
    """A key that names nothing is an error naming it (with close matches), not an empty list."""
    for kind, wanted, column in (("cluster", flt.clusters, Cluster.key), ("metric", flt.metrics, Metric.key),
                                 ("entity", flt.entities, Entity.key), ("document", flt.docs, Document.file_name)):
        found = set(session.scalars(select(column).where(column.in_(wanted)))) if wanted else set()
        missing = [key for key in wanted if key not in found]
        if missing:
            _unknown(kind, missing[0], session.scalars(select(column)).all())
    for status in flt.statuses:
        if status not in STATUSES:
            _unknown("status", status, STATUSES)


def _unknown(kind: str, key: str, known) -> None:
    close = difflib.get_close_matches(key, list(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise StoreError(f"there is no {kind} {key!r} in the store{hint}")


def cmd_figures(store: Store, args: argparse.Namespace) -> int:
    with store.read() as session:
        _check_filter(session, _filter(args))
        rows = iter_figures(session, _filter(args))
        if args.format == "jsonl":
            _write_lines(json_line(figure_record(row)) for row in rows)
        elif args.format == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=JSONL_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({**record, "reading": json.dumps(record["reading"], ensure_ascii=False)}
                             for record in map(figure_record, rows))
        else:
            _write_lines(for_terminal(
                f"{row['key'] or row['id']:<9} {format_value(row['value_text'], row['unit'], row['value_max_text']):>26}"
                f"  {row['qualifier']:<14} {period_label(row['period']):<14} {row['metric']:<24}"
                f" {row['cluster'] or '-':<22} {row['entity']}")
                for row in rows
            )
    return 0


def cmd_verify(store: Store, args: argparse.Namespace) -> int:
    """Exit 1 if an anchor does not match; orphans (words lost in a new version) are listed, not failures."""
    with store.read() as session:
        failures = anchor_failures(session)
        orphaned = orphaned_anchors(session)
        total = session.scalar(select(func.count()).select_from(Figure)) - len(orphaned)
    for failure in failures:
        print(for_terminal(failure.describe()), file=sys.stderr)
    for figure_id, key, doc, quote in orphaned:
        print(for_terminal(f"figure {key or f'#{figure_id}'}: orphaned, its words {quote!r} are not in the current {doc}"))
    lost = (f"; {len(orphaned)} orphaned figure{'s' if len(orphaned) != 1 else ''} to re-attach (the Orphans tab)"
            if orphaned else "")
    if failures:
        print(f"{len(failures)} of {total} anchors do not match their documents{lost}", file=sys.stderr)
        return 1
    print(f"all {total} anchors match their documents{lost}")
    return 0


def cmd_documents(store: Store, args: argparse.Namespace) -> int:
    with store.read() as session:
        docs = session.scalars(select(Document).order_by(Document.id)).all()
        counts = _figure_counts(session)
    if args.format == "jsonl":
        for doc in docs:
            print(json_line({
                "id": doc.id, "doc": doc.file_name, "title": doc.title, "publisher": doc.publisher,
                "author": doc.author, "published": doc.published, "sha256": doc.sha256,
                "chars": len(doc.text), "figures": counts.get(doc.id, 0),
                **citation_record(doc),  # url, place, language, kind, date_basis ... (store.reading.citation)
            }))
    else:
        for doc in docs:
            print(for_terminal(f"{doc.file_name:<26} {doc.published:<11} {counts.get(doc.id, 0):>4} figures  {doc.title}"))
    return 0


def _figure_counts(session) -> dict[int, int]:
    return dict(session.execute(select(Anchor.document_id, func.count()).group_by(Anchor.document_id)).all())


def cmd_conflicts(store: Store, args: argparse.Namespace) -> int:
    with store.read() as session:
        groups = conflict_groups(session)
        wanted = sorted({i for group in groups for i in group})  # only these figures, not all of them
        by_id = {row["id"]: row for row in session.execute(figure_select().where(Figure.id.in_(wanted))).mappings()}
    for group in groups:
        first = by_id[group[0]]
        key = {"metric": first["metric"], "entity": first["entity"], "cluster": first["cluster"],
               "period": first["period"], "unit": first["unit"],
               "kind": conflict_rule.figure_kind(first["growth"], first["metric"], first["metric_name"]),
               "projected": conflict_rule.is_target(first["projected"], first["qualifier"])}
        figures = [{name: figure_record(by_id[fid])[name] for name in ("id", "key", "doc", "start", "end", "quote", "value", "status")}
                   for fid in group]
        if args.format == "jsonl":
            print(json_line({"key": key, "figures": figures}))
        else:
            print(for_terminal(" / ".join(str(v) for name, v in key.items() if v and name not in ("kind", "projected"))
                               + f" / {key['kind']}" + (" / target" if key["projected"] else "")))
            for figure in figures:
                print(for_terminal(f"    {figure['value']!s:>18}  {figure['status']:<9} {figure['doc']}[{figure['start']}:{figure['end']}] {figure['quote']!r}"))
    return 0


def cmd_info(store: Store, args: argparse.Namespace) -> int:
    with store.read() as session:
        documents = session.scalar(select(func.count()).select_from(Document))
        figures = session.scalar(select(func.count()).select_from(Figure))
    print(f"store:     {for_terminal(store.where)}")
    print(f"schema:    {current_revision(store.engine)}")
    print(f"documents: {documents}")
    print(f"figures:   {figures}")
    return 0


COMMANDS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    "figures": cmd_figures,
    "verify": cmd_verify,
    "documents": cmd_documents,
    "conflicts": cmd_conflicts,
    "info": cmd_info,
}


def main(argv: list[str] | None = None) -> int:
    """The command line's one guard: any failure, from parsing the arguments to the last line of
    output, is one line on stderr and a non-zero exit; nothing on stderr shows a password."""
    ignore_file_size_signal()
    exit_on_termination()
    argv = sys.argv[1:] if argv is None else argv
    out, err = sys.stdout, sys.stderr
    sys.stderr = _Shown(err, _named_stores(argv), one_line_each=True)
    if _is_terminal(out):
        sys.stdout = _Shown(out, [])
    said = _LogLine()
    logging.getLogger().addHandler(said)  # a library's logged error (SQLAlchemy's pool) carries a traceback
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_line
            return _run(argv)
    except SystemExit as exc:  # argparse: --help, or a bad argument already said in one line
        return exc.code if isinstance(exc.code, int) else 2
    except StoreError as exc:
        print(f"{PROG}: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except MemoryError:  # said with as little memory as can be
        sys.stderr.flush()
        os.write(err.fileno(), f"{PROG}: error: out of memory; nothing more was saved\n".encode())
        return 1
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("CLUSTER_EXPLORER_DEBUG"):
            raise
        print(f"{PROG}: unexpected error: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
        return 1
    finally:
        logging.getLogger().removeHandler(said)
        sys.stdout, sys.stderr = out, err


def _daily_backup(store: Store) -> None:
    """A script that imports every day gets the same daily backup as a curator opening the app. A backup
    that cannot be made is said, not fatal: the write itself is one transaction and can be undone."""
    from store.backup import backup_if_due

    if store.path is not None and not store.read_only:
        try:
            backup_if_due(store.path)
        except StoreError as exc:
            print(f"{PROG}: warning: no daily backup was made: {one_line(exc.__cause__ or exc)}", file=sys.stderr)


def _run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    plugin = PLUGIN_COMMANDS.get(args.command)
    if plugin is not None and getattr(plugin, "OPENS_STORE", True) is False:
        return plugin.run(None, args)
    store = open_store(args.db)
    try:
        if args.command in WRITING_COMMANDS:
            _daily_backup(store)
        handler = COMMANDS.get(args.command) or plugin.run
        return handler(store, args)
    finally:
        store.close()


def one_line(exc: BaseException | str) -> str:
    """A message on one line: its own line breaks (a file name may hold one) shown as `\\n`."""
    return for_terminal(str(exc).strip())


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A library's warning (SQLAlchemy's span several lines) as one line."""
    print(f"{PROG}: warning: {one_line(message)}", file=sys.stderr)


class _LogLine(logging.Handler):
    """A library's logged warning or error as one line on stderr, its traceback as its last words."""

    def __init__(self):
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        cause = f": {type(error).__name__}: {error}" if error is not None else ""
        print(f"{PROG}: warning: {one_line(record.getMessage() + cause)}", file=sys.stderr)


class _Shown:
    """A text stream as a person sees it: control characters as escapes (tabs kept, and newlines,
    or with `one_line_each` only the one that ends a print: a message is one line, whatever it
    quotes), and the named stores' passwords taken out."""

    def __init__(self, stream, urls: list[str], one_line_each: bool = False):
        self._stream = stream
        self._urls = urls
        self._keep = "\t" if one_line_each else "\n\t"

    def write(self, text: str) -> int:
        for url in self._urls:
            text = redact(text, url)
        body, end = (text[:-1], "\n") if text.endswith("\n") else (text, "")
        return self._stream.write(for_terminal(body, keep=self._keep) + end)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _named_stores(argv: list[str]) -> list[str]:
    """The store URLs given (--db, the environment): what must not be shown with its password."""
    named = [os.environ.get(ENV_VAR, "")]
    for i, item in enumerate(argv):
        if item == "--db" and i + 1 < len(argv):
            named.append(argv[i + 1])
        elif item.startswith("--db="):
            named.append(item[len("--db="):])
    return [url for url in named if "://" in url]
