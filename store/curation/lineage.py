"""Lineage: which figure restates which (a news figure and the official figure it came from).

A link joins two figures that state the same thing (store.query.conflict_rule's key: metric, entity, cluster,
period, unit, level or change, target or outcome; every part known) in different documents, one of
them official. The official side is the source; when both are official, the earlier published one.
Two news figures are never linked (neither is a source).

The verdict, in exact arithmetic (Fractions of the figures' value texts, never floats):
- `corroborates`: the same value (and the same upper end of a range), stated the same way (both exact,
  or both over it ...);
- `rounds`: both can be true, by store.query.conflict_rule's reading: a number is exact to the last
  digit written, in its scale word's unit ("535 billion" to a billion, "4成" to a tenth), one called
  approximate (约, "about", "nearly") only to its last nonzero digit; two such agree within half the
  coarser step; a bound ("over 50%", "less than 30") admits any value on its side of the number
  ("over 50%" rounds the report's 56.2%);
- `differs`: the same key, values that cannot both be true: a conflict between a restatement and its source.

Links are proposed (when a document is imported, when a figure is added or edited, when the seeds
load) and decided by a curator: confirmed, or removed. A removed link stays as a row with status
"removed", so proposing again never brings it back. Every write is one undoable action.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from store.changes import NOTHING, Changes
from store.curation.history import action, current_user
from store.errors import StoreError
from store.models import Anchor, Document, Figure, LineageLink, utcnow
from store.query.lineage_rule import (
    CONFIRMED,
    DIFFERS,
    OFFICIAL,
    PROPOSED,
    REMOVED,
    LinkableRow,
    id_chunks,
    linkable_rows,
    propose_in,
)


@dataclass(frozen=True)
class LinkEnd:
    """One side of a link: a figure, where it is stated and what it says."""

    id: int
    doc: int
    doc_title: str
    doc_kind: str  # official | news | other ('' when the document's kind is not known)
    start: int
    end: int
    quote: str
    value: str  # the value as exact text ("535000000000", "1/3")
    unit: str
    period: str
    metric: str
    entity: str


@dataclass(frozen=True)
class Link:
    id: int
    figure: LinkEnd  # the restatement
    source: LinkEnd  # the official (or earlier) side
    verdict: str  # corroborates | rounds | differs
    status: str  # proposed | confirmed


# --- the API ----------------------------------------------------------------------------------------
def propose_links(store, document_ids=None) -> Changes:
    """Propose the links of the figures of these documents (None: all). Idempotent: a second call writes
    nothing (and returns NOTHING); a removed link is never proposed again."""
    with action(store, "Propose lineage links") as recorder:
        session = recorder.session
        if document_ids is None:
            figure_ids = None
        else:
            docs = sorted({int(d) for d in document_ids})
            figure_ids = [fid for chunk in id_chunks(docs) for fid in session.scalars(
                select(Anchor.figure_id).where(Anchor.document_id.in_(chunk)))]
        propose_in(session, figure_ids, recorder)
    return recorder.changes if recorder.changes else NOTHING


def _end(row: LinkableRow) -> LinkEnd:
    return LinkEnd(id=row.id, doc=row.document_id, doc_title=row.doc_title, doc_kind=row.doc_kind or "",
                   start=row.start, end=row.end, quote=row.quote, value=row.value_text,
                   unit=row.unit, period=row.period, metric=row.metric, entity=row.entity)


def links(store, figure_ids=None, statuses=(PROPOSED, CONFIRMED)) -> list[Link]:
    """The links touching these figures (either side; None: all), in these statuses, by link id."""
    with store.read() as session:
        query = select(LineageLink).where(LineageLink.status.in_(tuple(statuses))).order_by(LineageLink.id)
        if figure_ids is None:
            found = list(session.scalars(query))
        else:
            ids = sorted({int(i) for i in figure_ids})
            found = {link.id: link for chunk in id_chunks(ids) for link in session.scalars(query.where(
                or_(LineageLink.figure_id.in_(chunk), LineageLink.source_id.in_(chunk))))}
            found = [found[i] for i in sorted(found)]
        ends = sorted({i for link in found for i in (link.figure_id, link.source_id)})
        rows = {row.id: row for chunk in id_chunks(ends) for row in linkable_rows(session, Figure.id.in_(chunk))}
    return [Link(id=link.id, figure=_end(rows[link.figure_id]), source=_end(rows[link.source_id]),
                 verdict=link.verdict, status=link.status)
            for link in found if link.figure_id in rows and link.source_id in rows]


def lineage_states(store) -> dict[int, str]:
    """Figure id -> "official" (an official source agrees: corroborates or rounds) or "differs" (a linked
    source states another value; said even when another link agrees, so the curator looks). A figure with
    no link, or in an official document itself, is absent."""
    with store.read() as session:
        found = session.execute(
            select(LineageLink.figure_id, LineageLink.verdict, Document.kind)
            .join(Anchor, Anchor.figure_id == LineageLink.source_id).join(Document, Document.id == Anchor.document_id)
            .where(LineageLink.status.in_((PROPOSED, CONFIRMED)))).all()
        official_figures = set(session.scalars(
            select(Anchor.figure_id).join(Document, Document.id == Anchor.document_id)
            .where(Document.kind == OFFICIAL, Anchor.figure_id.in_({f for f, _v, _k in found}))))
    states: dict[int, str] = {}
    for figure_id, found_verdict, _kind in found:
        if figure_id in official_figures:
            continue
        if found_verdict == DIFFERS:
            states[figure_id] = DIFFERS
        else:
            states.setdefault(figure_id, OFFICIAL)
    return states


def _decide(store, link_id: int, status: str, label: str) -> Changes:
    with action(store, label) as recorder:
        link = recorder.session.get(LineageLink, int(link_id))
        if link is None:
            raise StoreError(f"there is no lineage link {link_id}")
        if link.status == REMOVED and status == CONFIRMED:
            raise StoreError(f"lineage link {link_id} was removed; undo its removal to confirm it")
        recorder.touch(link)
        link.status = status
        link.decided_by = current_user()
        link.decided_at = utcnow()
    return recorder.changes if recorder.changes else NOTHING


def confirm_link(store, link_id: int) -> Changes:
    """A curator says the figure does restate its source."""
    return _decide(store, link_id, CONFIRMED, "Confirm lineage link")


def remove_link(store, link_id: int) -> Changes:
    """A curator says it does not: status "removed" (never proposed again); undo brings it back."""
    return _decide(store, link_id, REMOVED, "Remove lineage link")
