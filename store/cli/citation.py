"""`python -m store document DOC [--set field=value ...] [--history]`: one document's citation.

A plugin of store/cli/__init__.py (PLUGIN_MODULES). Without --set, prints the citation as one JSON line;
with --set, changes those fields as one undoable action and prints what changed; --history
lists every change to the citation. A malformed date or an unknown field is one line on stderr
and exit 2 (store.cli), and nothing is written.
"""

from __future__ import annotations

import argparse
import json

from store.curation.citation import citation_of, document_history, edit_citation, find_document, parse_assignments


def add_parser(sub, add_db_option, add_filters) -> str:
    parser = sub.add_parser(
        "document", help="show or edit one document's citation (title, publisher, author, date, place, url ...)",
        description="Show a document's citation, or change fields of it as one undoable action: "
                    "--set title=... --set date=2026-01-26. Fields: title, publisher, author, date, place, url, "
                    "language, kind (official, news, other), date_basis.")
    parser.add_argument("doc", metavar="DOC", help="the document's id or file name")
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="FIELD=VALUE",
                        help="a citation field's new value (repeatable; an empty value clears the field)")
    parser.add_argument("--history", action="store_true", help="list every change to the citation, oldest first")
    add_db_option(parser)
    return "document"


def run(store, args: argparse.Namespace) -> int:
    changes = parse_assignments(args.assignments)  # checked before the store is touched
    with store.read() as session:
        doc = find_document(session, args.doc)
        doc_id, file_name, before = doc.id, doc.file_name, citation_of(doc)
    if args.history:
        for entry in document_history(store, doc_id):
            print(json.dumps(entry, ensure_ascii=False))
        return 0
    if not changes:
        print(json.dumps({"id": doc_id, "doc": file_name, **before}, ensure_ascii=False))
        return 0
    action_id = edit_citation(store, doc_id, changes, expected=before).action_id
    changed = {c: [before[c], v] for c, v in changes.items() if before[c] != v}
    print(json.dumps({"id": doc_id, "doc": file_name, "action": action_id, "changed": changed}, ensure_ascii=False))
    return 0
