"""Citation editing: a curator corrects a document's title, publisher, author, date, place, URL,
language or kind, as one undoable action with history (store.history), as figure edits are.

Only the citation fields change; the text (and so every anchor) is never touched.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from store.errors import StoreError
from store.history import action
from store.models import Action, Anchor, Change, Document
from store.reading.facts import KINDS, normal_date

# The names a curator uses (`--set date=...`) and the columns they edit.
FIELDS = {"title": "title", "publisher": "publisher", "author": "author", "date": "published",
          "published": "published", "place": "place", "url": "url", "language": "language", "kind": "kind",
          "date_basis": "date_basis"}
COLUMNS = ("title", "publisher", "author", "published", "place", "url", "language", "kind", "date_basis")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
MAX_CHARS = 2000


def citation_record(doc: Document) -> dict:
    """The citation fields `documents --format jsonl` adds to its original ones."""
    return {"url": doc.url or "", "place": doc.place or "", "language": doc.language or "", "kind": doc.kind or "",
            "date_basis": doc.date_basis or "", "language_notes": doc.language_notes or ""}


def citation_of(doc: Document) -> dict:
    return {column: getattr(doc, column) or "" for column in COLUMNS}


def find_document(session, ref) -> Document:
    """A document by its id or its file name; StoreError naming it if there is none."""
    ref = str(ref).strip()
    doc = session.get(Document, int(ref)) if ref.isdigit() else None
    doc = doc or session.scalar(select(Document).where(Document.file_name == ref))
    if doc is None:
        raise StoreError(f"there is no document {ref!r} (give its id or file name; `documents` lists them)")
    return doc


def parse_assignments(pairs: list[str]) -> dict:
    """["title=X", "date=2026-01-26"] → {"title": "X", "published": "2026-01-26"}, checked (see clean)."""
    changes = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise StoreError(f"--set takes field=value, not {pair!r}")
        key = name.strip().casefold()
        if key not in FIELDS:
            raise StoreError(f"unknown citation field {name.strip()!r}: use {', '.join(f for f in FIELDS if f != 'published')}")
        changes[FIELDS[key]] = value
    return clean(changes)


def clean(changes: dict) -> dict:
    """The changes, normalised ({column: value}); StoreError in one line for a value that cannot be stored."""
    out = {}
    for column, value in changes.items():
        if column not in COLUMNS:
            raise StoreError(f"unknown citation field {column!r}")
        value = str(value if value is not None else "")
        if "\x00" in value or len(value) > MAX_CHARS:
            raise StoreError(f"the {column} is not a usable value ({len(value):,} characters)")
        value = value.strip() if column == "date_basis" else " ".join(value.split())
        if column == "title" and not value:
            raise StoreError("a document needs a title, for its citation")
        if column == "published":
            date = normal_date(value)
            if date is None:
                raise StoreError(f"malformed date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
            value = date
        if column == "kind" and value and value.casefold() not in KINDS:
            raise StoreError(f"unknown kind {value!r}: use {', '.join(KINDS)} (or nothing)")
        if column == "kind":
            value = value.casefold()
        if column == "language" and value and not _LANGUAGE.match(value):
            raise StoreError(f"malformed language {value!r}: use a code such as zh, en or zh-Hans")
        if column == "url" and " " in value:
            raise StoreError(f"malformed URL {value!r}: it holds spaces")
        out[column] = value
    return out


def edit_citation(store, document_id: int, changes: dict, expected: dict | None = None) -> int | None:
    """Change some citation fields of a document as one action; its id, or None when nothing changes.

    `expected` ({column: value} as the editor read them): a field someone changed since is refused,
    not overwritten."""
    changes = clean(changes)
    with store.read() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise StoreError("the document is no longer in the store")
        now = citation_of(doc)
    if all(now[c] == v for c, v in changes.items()):
        return None
    with action(store, f"Edit citation of \u201c{now['title'][:60]}\u201d") as recorder:
        doc = recorder.session.get(Document, document_id)
        if doc is None:
            raise StoreError("the document is no longer in the store")
        for column, value in changes.items():
            if expected is not None and column in expected and (getattr(doc, column) or "") != expected[column]:
                raise StoreError(f"the {column} was changed since you opened it (it is now "
                                 f"\u201c{getattr(doc, column)}\u201d); open the citation again to edit it")
        recorder.touch(doc)
        for column, value in changes.items():
            setattr(doc, column, value)
        if "kind" in changes:  # an official document is the source side of lineage links: propose them again
            from store.lineage import propose_in

            propose_in(recorder.session, recorder.session.scalars(
                select(Anchor.figure_id).where(Anchor.document_id == document_id)).all(), recorder)
        return recorder.action.id


def document_history(store, document_id: int) -> list[dict]:
    """Every change to a document's citation (and its import), oldest first."""
    with store.read() as session:
        rows = session.execute(select(Change, Action).join(Action, Action.id == Change.action_id)
                               .where(Change.table == "documents", Change.row_id == document_id)
                               .order_by(Change.id)).all()
    history = []
    for change, act in rows:
        before, after = change.before or {}, change.after or {}
        fields = {c: [before.get(c), after.get(c)] for c in COLUMNS if before.get(c) != after.get(c)}
        history.append({"action": act.id, "label": act.label, "kind": act.kind, "by": act.by,
                        "at": act.at.isoformat() if act.at else None,
                        "change": "created" if change.before is None else "removed" if change.after is None else "edited",
                        "fields": fields if change.before is not None and change.after is not None else {}})
    return history
