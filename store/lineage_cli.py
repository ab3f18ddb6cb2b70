"""`python -m store lineage`: every link between a figure and the official figure it restates.

A plugin of store/cli.py (see PLUGIN_MODULES there). jsonl: one object per link, with `figure` and
`source` (each: id, key, doc, doc_id, doc_kind, start, end, quote, value, value_text, unit, period, metric,
entity), `verdict` (corroborates | rounds | differs) and `status` (proposed | confirmed; removed with
--status removed). These fields are a promise to scripts: extend, never rename. --propose first
proposes the links of every figure (one undoable action; a store upgraded from an older version has none).
"""

from __future__ import annotations

import argparse

from store.display import for_terminal, format_value, json_line
from store.lineage import CONFIRMED, PROPOSED, REMOVED, Link, LinkEnd, links, propose_links

STATUSES = (PROPOSED, CONFIRMED, REMOVED)


def add_parser(sub, add_db_option, add_filters) -> str:
    parser = sub.add_parser("lineage", help="links between figures and the official figures they restate",
                            description="List each link: the restating figure, its source (the official side), "
                                        "the verdict and whether a curator confirmed it.")
    parser.add_argument("--format", choices=("jsonl", "table"), default="table")
    parser.add_argument("--status", action="append", choices=STATUSES, default=[],
                        help="only links in this status (repeatable; default: proposed and confirmed)")
    parser.add_argument("--figure", action="append", type=int, default=[], metavar="ID",
                        help="only links touching this figure id, on either side (repeatable)")
    parser.add_argument("--propose", action="store_true",
                        help="first propose the links of every figure (writes one undoable action)")
    add_db_option(parser)
    return "lineage"


def _end_record(end: LinkEnd, keys: dict[int, str], names: dict[int, str]) -> dict:
    from store.cli import _json_number

    return {"id": end.id, "key": keys.get(end.id), "doc": names.get(end.doc, ""), "doc_id": end.doc,
            "doc_kind": end.doc_kind, "start": end.start, "end": end.end, "quote": end.quote,
            "value": _json_number(end.value), "value_text": end.value, "unit": end.unit, "period": end.period,
            "metric": end.metric, "entity": end.entity}


def link_record(link: Link, keys: dict[int, str], names: dict[int, str]) -> dict:
    return {"id": link.id, "figure": _end_record(link.figure, keys, names),
            "source": _end_record(link.source, keys, names), "verdict": link.verdict, "status": link.status}


def _labels(store, found: list[Link]) -> tuple[dict[int, str], dict[int, str]]:
    """Figure keys and document file names, for the people and scripts who know them by those."""
    from sqlalchemy import select

    from store.models import Document, Figure

    ids = {end.id for link in found for end in (link.figure, link.source)}
    with store.read() as session:
        keys = dict(session.execute(select(Figure.id, Figure.key).where(Figure.id.in_(ids))).all()) if ids else {}
        names = dict(session.execute(select(Document.id, Document.file_name)).all())
    return keys, names


def run(store, args: argparse.Namespace) -> int:
    if args.propose:
        propose_links(store)
    found = links(store, figure_ids=args.figure or None, statuses=tuple(args.status) or (PROPOSED, CONFIRMED))
    keys, names = _labels(store, found)
    for link in found:
        if args.format == "jsonl":
            print(json_line(link_record(link, keys, names)))
            continue
        figure, source = link.figure, link.source
        print(for_terminal(
            f"{keys.get(figure.id) or figure.id:<9} {format_value(figure.value, figure.unit, None):>22} "
            f"{figure.quote[:30]!r:<34} {link.verdict:<12} {keys.get(source.id) or source.id:<9} "
            f"{format_value(source.value, source.unit, None):>22} {source.quote[:30]!r:<34} {link.status}"))
    return 0
