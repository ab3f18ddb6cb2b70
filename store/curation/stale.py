"""Refusing a save that would overwrite someone else's newer change, with a message that shows both.

Every figure and annotation has a version, raised by each action that changes
it. An editor remembers the version it read; when the row is now at another
version, the save is refused with StaleEdit: who changed it and when, their
value and yours for each field either side changed, and nothing is written.
The rows are read FOR UPDATE, so on PostgreSQL two curators saving at the same
instant are serialised too (SQLite serialises writers with BEGIN IMMEDIATE).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.errors import StaleEdit
from store.models import Action, Change

SHOWN = {"value_text": "value", "value_max_text": "value up to", "note": "note", "text": "text"}
# Figure columns as the editor names them; other columns (ids, timestamps, derived values) are not shown.
FIELD_OF_COLUMN = {"metric_id": "metric", "entity_id": "entity", "cluster_id": "cluster", "value_text": "value_text",
                   "value_max_text": "value_max_text", "unit": "unit", "scale": "scale", "qualifier": "qualifier",
                   "period": "period", "note": "note", "status": "status", "status_reason": "status_reason"}


def check_figure_version(session: Session, figure, expected: int | None, yours: dict) -> None:
    if expected is None or figure.version == expected:
        return
    from dataclasses import asdict

    from store.query.browse import figure_rows

    current = asdict(figure_rows(session, [figure.id])[0])  # field -> value, to name what differs
    changed = _fields_changed_since(session, "figures", figure.id, expected)
    _refuse(session, f"figure {figure.key or figure.id}", "figures", figure.id, figure.version, expected,
            {field: current.get(field) for field in (set(yours) | changed) if field in current}, yours)


def check_annotation_version(session: Session, annotation, expected: int | None, yours: dict) -> None:
    if expected is None or annotation.version == expected:
        return
    _refuse(session, "the annotation", "annotations", annotation.id, annotation.version, expected,
            {"text": annotation.text}, yours)


def _fields_changed_since(session: Session, table: str, row_id: int, version: int) -> set[str]:
    fields: set[str] = set()
    for before, after in session.execute(select(Change.before, Change.after).where(
            Change.table == table, Change.row_id == row_id).order_by(Change.id)):
        if before and after and (after.get("version") or 0) > version:
            fields |= {FIELD_OF_COLUMN[key] for key in after
                       if key in FIELD_OF_COLUMN and after.get(key) != before.get(key)}
    return fields


def _refuse(session: Session, what: str, table: str, row_id: int, version: int, expected: int,
            theirs: dict, yours: dict) -> None:
    last = session.execute(select(Action.by, Action.at).join(Change, Change.action_id == Action.id)
                           .where(Change.table == table, Change.row_id == row_id)
                           .order_by(Change.id.desc()).limit(1)).first()
    who = f"{last.by} ({last.at:%Y-%m-%d %H:%M} UTC)" if last else "someone else"
    lines = [f"{what} was changed by {who} after you opened it (it is now version {version}; "
             f"you edited version {expected}). Nothing was saved."]
    for field in sorted(set(theirs) | set(yours), key=_order):
        label = SHOWN.get(field, field)
        if field in yours and str(yours[field] or "") != str(theirs.get(field) or ""):
            lines.append(f"{label}: theirs {_show(theirs.get(field))} \u2014 yours {_show(yours[field])}")
        elif field not in yours:
            lines.append(f"{label}: theirs {_show(theirs.get(field))} (you did not change it)")
    raise StaleEdit("\n".join(lines), current_version=version, theirs=theirs, yours=yours)


def _order(field: str) -> tuple[int, str]:
    return (0 if field in SHOWN else 1, field)


def _show(value) -> str:
    text = "" if value is None else str(value)
    if not text:
        return "(empty)"
    return f"\u201c{text[:80]}\u2026\u201d" if len(text) > 80 else f"\u201c{text}\u201d"
