"""Actions, history and undo: every write is one action, kept as row snapshots.

An action records, for each row it touched, the row before and after (None
where the row did not exist). That one record serves three needs:
- history: what changed in a figure, when, by whom, survives restarts;
- undo: write the `before` snapshots back, itself as a new action, so an undo
  leaves history too and redo is simply the undo of the undo;
- safety: an undo whose rows were changed since (by another curator, or a
  later edit) is refused rather than overwriting that newer change.
"""

from __future__ import annotations

import getpass
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterator

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from store.changes import Changes
from store.errors import StoreError
from store.write_errors import write_failure
from store.models import (Action, Anchor, Annotation, Change, Cluster, Document, Entity, Figure, LineageLink, Metric,
                          utcnow)

TRACKED = {model.__tablename__: model for model in (Figure, Anchor, Annotation, Document, Cluster, Entity, Metric,
                                                    LineageLink)}
VERSIONED = (Figure, Annotation, LineageLink)
IGNORED_IN_DIFF = {"version", "status_at", "updated_at"}


def current_user() -> str:
    """Who is curating: CLUSTER_EXPLORER_USER, else the operating-system user."""
    name = os.environ.get("CLUSTER_EXPLORER_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): still record something
        return "unknown"


def snapshot(row) -> dict:
    values = {}
    for column in inspect(type(row)).columns:
        value = getattr(row, column.key)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)  # SQLite hands back naive UTC times
        values[column.key] = value.isoformat() if isinstance(value, (datetime, date)) else value
    return values


def _restore_values(model, values: dict) -> dict:
    restored = {}
    for column in inspect(model).columns:
        if column.key not in values:
            continue
        value = values[column.key]
        if isinstance(value, str) and column.type.python_type in (datetime, date):
            value = datetime.fromisoformat(value)
        restored[column.key] = value
    return restored


def _figure_of(row) -> int | None:
    if isinstance(row, Figure):
        return row.id
    if isinstance(row, (Anchor, Annotation, LineageLink)):
        return row.figure_id  # a lineage link belongs to the history of its restating figure
    return None


class Recorder:
    """Collects the rows an action touches; writes their before/after when the action ends."""

    def __init__(self, session: Session, action: Action):
        self.session = session
        self.action = action
        self._before: dict[tuple[str, int], dict | None] = {}
        self._rows: dict[tuple[str, int], object] = {}
        self._new: list[object] = []
        self._deleted: list[tuple[str, int, dict, int | None]] = []
        self.changes: Changes | None = None  # set by finish(): what this action changed

    def touch(self, row) -> None:
        """Call before changing an existing row."""
        key = (type(row).__tablename__, row.id)
        if key not in self._before:
            self._before[key] = snapshot(row)
            self._rows[key] = row

    def add(self, row) -> None:
        """Call for a new row (it is added to the session here)."""
        self.session.add(row)
        self._new.append(row)

    def delete(self, row) -> None:
        self.touch(row)
        key = (type(row).__tablename__, row.id)
        self._deleted.append((key[0], key[1], self._before[key], _figure_of(row)))
        del self._rows[key]
        self.session.delete(row)

    def finish(self) -> None:
        self.session.flush()
        created = tuple((type(row).__tablename__, row.id) for row in self._new)
        written: list[tuple[str, int, int | None]] = []  # (table, row id, figure id) of each Change
        for row in self._new:
            self._before.setdefault((type(row).__tablename__, row.id), None)
            self._rows[(type(row).__tablename__, row.id)] = row
        for (table, row_id), row in self._rows.items():
            before = self._before[(table, row_id)]
            after = snapshot(row)
            if before is not None and _same(before, after):
                continue
            if before is not None and isinstance(row, VERSIONED):
                row.version = (before.get("version") or 1) + 1
                after = snapshot(row)
            self.session.add(Change(action_id=self.action.id, table=table, row_id=row_id,
                                    figure_id=_figure_of(row), before=before, after=after))
            written.append((table, row_id, _figure_of(row)))
        for table, row_id, before, figure_id in self._deleted:
            self.session.add(Change(action_id=self.action.id, table=table, row_id=row_id,
                                    figure_id=figure_id, before=before, after=None))
            written.append((table, row_id, figure_id))
        self.session.flush()
        self.changes = Changes(
            action_id=self.action.id, label=self.action.label, created=created,
            figures=frozenset(f for _t, _r, f in written if f is not None)
            | frozenset(r for t, r, _f in written if t == "figures"),
            documents=frozenset(r for t, r, _f in written if t == "documents"),
            tables=frozenset(t for t, _r, _f in written))


def _same(before: dict, after: dict) -> bool:
    return all(before.get(k) == after.get(k) for k in after if k not in IGNORED_IN_DIFF)


@contextmanager
def action(store, label: str, kind: str = "edit", undoes_id: int | None = None) -> Iterator[Recorder]:
    """One user action in one transaction. Any failure leaves nothing written and says so in one line."""
    try:
        with store.write() as session:
            record = Action(label=label, kind=kind, undoes_id=undoes_id, by=current_user(), at=utcnow())
            session.add(record)
            session.flush()
            recorder = Recorder(session, record)
            yield recorder
            recorder.finish()
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise write_failure(label, exc) from exc


def _apply(session: Session, table: str, row_id: int, values: dict | None, recorder: Recorder) -> None:
    model = TRACKED[table]
    row = session.get(model, row_id)
    if values is None:
        if row is not None:
            recorder.delete(row)
        return
    restored = _restore_values(model, values)
    if row is None:
        recorder.add(model(**restored))
        return
    recorder.touch(row)
    for key, value in restored.items():
        if key != "id":
            setattr(row, key, value)


def undo(store, action_id: int) -> int:
    """Undo an action (or redo, by undoing its undo). Returns the id of the new action."""
    with store.read() as session:
        target = session.get(Action, action_id)
        if target is None:
            raise StoreError(f"there is no action {action_id} to undo")
        label = target.label[5:] if target.kind == "undo" and target.label.startswith("Undo ") else f"Undo {target.label}"
    with action(store, label, kind="undo", undoes_id=action_id) as recorder:
        session = recorder.session
        changes = list(session.scalars(select(Change).where(Change.action_id == action_id).order_by(Change.id.desc())))
        for change in changes:
            row = session.get(TRACKED[change.table], change.row_id, with_for_update=True)
            now = snapshot(row) if row is not None else None
            if not _matches(now, change.after):
                raise StoreError(f"cannot undo \u201c{target.label}\u201d: the {change.table[:-1]} was changed since "
                                 f"(version {now.get('version') if now else 'deleted'}); undo that change first")
        for change in changes:  # newest first, so a row created then edited is restored in order
            _apply(session, change.table, change.row_id, change.before, recorder)
        return recorder.action.id


def _matches(now: dict | None, expected: dict | None) -> bool:
    if now is None or expected is None:
        return now is None and expected is None
    return all(now.get(k) == v for k, v in expected.items() if k not in IGNORED_IN_DIFF)


@dataclass(frozen=True)
class HistoryEntry:
    change_id: int
    action_id: int
    label: str
    kind: str
    by: str
    at: datetime
    table: str
    fields: tuple[tuple[str, object, object], ...]  # (field, old, new)
    version: int | None  # the row's version after this change


def figure_history(store, figure_id: int) -> list[HistoryEntry]:
    """Every change to a figure, its anchor and its annotations, oldest first."""
    with store.read() as session:
        rows = session.execute(
            select(Change, Action).join(Action, Action.id == Change.action_id)
            .where(Change.figure_id == figure_id).order_by(Change.id)
        ).all()
    entries = []
    for change, act in rows:
        before, after = change.before or {}, change.after or {}
        keys = [k for k in (after or before) if k not in IGNORED_IN_DIFF and k != "id"]
        fields = tuple((k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k))
        entries.append(HistoryEntry(change.id, act.id, act.label, act.kind, act.by, act.at, change.table,
                                    fields, (change.after or {}).get("version")))
    return entries


def revert_figure(store, figure_id: int, change_id: int) -> int:
    """Bring a figure back to how it was right after one change in its history, as a new action."""
    with store.read() as session:
        change = session.get(Change, change_id)
        if change is None or change.figure_id != figure_id or change.table != "figures" or change.after is None:
            raise StoreError("that history entry is not a version of this figure")
        wanted = change.after
    with action(store, f"Revert figure to version {wanted.get('version', '?')}", kind="revert") as recorder:
        figure = recorder.session.get(Figure, figure_id)
        if figure is None:
            raise StoreError("the figure no longer exists; undo its removal first")
        values = {k: v for k, v in _restore_values(Figure, wanted).items() if k not in {"id", "version", "created_at"}}
        recorder.touch(figure)
        for key, value in values.items():
            setattr(figure, key, value)
        return recorder.action.id


def figures_of_actions(store, action_ids, with_tables: bool = False):
    """The figures these actions changed (for views that keep their own copy of figure data);
    with_tables: also the names of the tables they touched."""
    ids = [int(i) for i in action_ids if i is not None]
    if not ids:
        return ([], set()) if with_tables else []
    with store.read() as session:
        rows = session.execute(select(Change.figure_id, Change.table, Change.row_id)
                               .where(Change.action_id.in_(ids))).all()
    found = {figure_id for figure_id, _table, _row in rows if figure_id is not None}
    found |= {row_id for _figure, table, row_id in rows if table == "figures"}
    if with_tables:
        return sorted(found), {table for _figure, table, _row in rows}
    return sorted(found)
