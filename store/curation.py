"""Curation: add documents and figures, edit them, review them, resolve conflicts.

Each public function is one user action: one transaction, one history record,
one id to undo (store.history.undo). Figures only come from a source: a new
figure names a document and the exact span of it that states the figure.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.annotations import MAX_CHARS as MAX_NOTE_CHARS
from store.errors import StoreError
from store.exact import canonical, parse_exact
from store.history import action, current_user
from store.lineage import propose_in
from store.models import Anchor, Cluster, Document, Entity, Figure, Metric, utcnow
from store.periods import parse_period
from store.provenance import span_context
from store.stale import check_figure_version

STATUSES = ("candidate", "verified", "disputed", "rejected", "superseded")
EDITABLE = ("value_text", "value_max_text", "unit", "scale", "qualifier", "period", "note", "cluster", "entity", "metric")
MAX_DOCUMENT_CHARS = 5_000_000


@dataclass
class FigureDraft:
    """What the add-figure dialog collects. Taxonomy fields take a key or a name (a new name creates one)."""

    document_id: int
    start: int
    end: int
    value_text: str
    unit: str
    metric: str
    entity: str
    cluster: str = ""
    scale: str = ""
    qualifier: str = ""
    period: str = ""
    value_max_text: str = ""
    note: str = ""
    status: str = "candidate"
    extra: dict = field(default_factory=dict)


def _note(text: str) -> str:
    """A figure's note, stripped; as long as an annotation may be at the most."""
    text = (text or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise StoreError(f"a note is at most {MAX_NOTE_CHARS:,} characters (this one has {len(text):,})")
    return text


def _slug(name: str) -> str:
    slug = re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")
    return slug[:60] or "item"


def _taxon(recorder, model, text: str, kind: str, optional: bool = False, **defaults):
    """Find a cluster/entity/metric by key or name (case-insensitive); create it if it is new."""
    text = (text or "").strip()
    if not text:
        if optional:
            return None
        raise StoreError(f"a figure needs a {kind}")
    session = recorder.session
    found = session.scalar(select(model).where(model.key == text)) or session.scalar(
        select(model).where(func.lower(model.name) == text.casefold()))
    if found is not None:
        return found
    key, n = _slug(text), 1
    while session.scalar(select(model.id).where(model.key == key)) is not None:
        n += 1
        key = f"{_slug(text)}_{n}"
    row = model(key=key, name=text, **defaults)
    recorder.add(row)
    session.flush()
    return row


def _value_fields(value_text: str, value_max_text: str) -> dict:
    value = parse_exact(value_text)
    fields = {"value_text": canonical(value), "value": float(value), "value_max_text": None, "value_max": None}
    if (value_max_text or "").strip():
        high = parse_exact(value_max_text)
        if high < value:
            raise StoreError(f"the upper end of the range ({canonical(high)}) is below the value ({canonical(value)})")
        fields.update(value_max_text=canonical(high), value_max=float(high))
    return fields


def _period_fields(text: str) -> dict:
    period = parse_period(text or "")
    return {"period": period.text, "period_start": period.start, "period_end": period.end}


def _flag(quote: str, value_text: str, unit: str) -> str:
    """A message when the value disagrees with the number the quote states; '' when they agree."""
    try:
        from store.numbers import quote_disagrees
    except ImportError:  # pragma: no cover - the parser ships with the store
        return ""
    return quote_disagrees(quote, parse_exact(value_text), unit) or ""


# --- documents --------------------------------------------------------------------------
def add_document(store, text: str, title: str, publisher: str = "", author: str = "", published: str = "",
                 file_name: str = "", encoding: str = "utf-8", origin: str = "user") -> tuple[int, int]:
    """Store a new source document. Returns (document id, action id)."""
    if not text.strip():
        raise StoreError("the document is empty: paste or type its text")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise StoreError(f"the document is too long ({len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,})")
    if "\x00" in text:
        raise StoreError("the text holds NUL characters: it looks like a binary file, not a document")
    if not title.strip():
        raise StoreError("a document needs a title, for its citation")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with action(store, f"Add document \u201c{title.strip()[:60]}\u201d") as recorder:
        session = recorder.session
        existing = session.scalar(select(Document).where(Document.sha256 == digest))
        if existing is not None:
            raise StoreError(f"this text is already in the store as \u201c{existing.title}\u201d ({existing.file_name})")
        name = file_name or f"user_{digest[:12]}.txt"
        if session.scalar(select(Document.id).where(Document.file_name == name)) is not None:
            name = f"{digest[:12]}_{name}"
        document = Document(file_name=name, title=title.strip(), publisher=publisher.strip(), author=author.strip(),
                            published=published.strip(), text=text, sha256=digest, encoding=encoding, origin=origin)
        recorder.add(document)
        recorder.session.flush()
        return document.id, recorder.action.id


# --- figures ----------------------------------------------------------------------------
def add_figure(store, draft: FigureDraft) -> tuple[int, int]:
    """Add a figure anchored to a span of a stored document. Returns (figure id, action id)."""
    if draft.status not in STATUSES:
        raise StoreError(f"unknown status {draft.status!r}")
    values = _value_fields(draft.value_text, draft.value_max_text)
    periods = _period_fields(draft.period)
    with action(store, "Add figure") as recorder:
        session = recorder.session
        document = session.get(Document, draft.document_id)
        if document is None:
            raise StoreError("the document is no longer in the store")
        if not 0 <= draft.start < draft.end <= len(document.text):
            raise StoreError(f"the span {draft.start}:{draft.end} is outside the document")
        quote = document.text[draft.start:draft.end]
        metric = _taxon(recorder, Metric, draft.metric, "metric", unit_kind=unit_kind(draft.unit))
        entity = _taxon(recorder, Entity, draft.entity, "entity")
        cluster = _taxon(recorder, Cluster, draft.cluster, "cluster", optional=True)
        now = utcnow()
        figure = Figure(
            **values, **periods, unit=draft.unit.strip(), scale=draft.scale.strip(), qualifier=draft.qualifier.strip(),
            entity_id=entity.id, cluster_id=cluster.id if cluster else None, metric_id=metric.id,
            status=draft.status, status_by=current_user(), status_at=now, note=_note(draft.note),
            created_by=current_user(), created_at=now, version=1,
            flag=_flag(quote, values["value_text"], draft.unit.strip()),
        )
        recorder.add(figure)
        session.flush()
        prefix, suffix = span_context(document.text, draft.start, draft.end)
        recorder.add(Anchor(figure_id=figure.id, document_id=document.id, start=draft.start, end=draft.end,
                            quote=quote, prefix=prefix, suffix=suffix, doc_sha256=document.sha256, state="exact"))
        propose_in(session, [figure.id], recorder)
        return figure.id, recorder.action.id


UNIT_KINDS = {"yuan": "money", "US$": "money", "%": "percent", "share": "percent",
              "percentage points": "percentage_points", "years": "duration", "hours": "duration",
              "minutes": "duration", "months": "duration", "hectares": "area", "times": "ratio"}


def unit_kind(unit: str) -> str:
    """The metrics' unit_kind a unit belongs to (charts never mix kinds); counted nouns are counts."""
    return UNIT_KINDS.get((unit or "").strip(), "count")


def edit_figure(store, figure_id: int, changes: dict, expected_version: int | None = None) -> int:
    """Change some of a figure's fields (see EDITABLE). Returns the action id."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise StoreError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    with action(store, "Edit figure") as recorder:
        session = recorder.session
        figure = _figure(session, figure_id)
        check_figure_version(session, figure, expected_version, changes)
        recorder.touch(figure)
        if "value_text" in changes or "value_max_text" in changes:
            figure_values = _value_fields(changes.get("value_text", figure.value_text),
                                          changes.get("value_max_text", figure.value_max_text or ""))
            for key, value in figure_values.items():
                setattr(figure, key, value)
        if "period" in changes:
            for key, value in _period_fields(changes["period"]).items():
                setattr(figure, key, value)
        for key in ("unit", "scale", "qualifier"):
            if key in changes:
                setattr(figure, key, (changes[key] or "").strip())
        if "note" in changes:
            figure.note = _note(changes["note"])
        if "metric" in changes:
            figure.metric_id = _taxon(recorder, Metric, changes["metric"], "metric", unit_kind=unit_kind(figure.unit)).id
        if "entity" in changes:
            figure.entity_id = _taxon(recorder, Entity, changes["entity"], "entity").id
        if "cluster" in changes:
            cluster = _taxon(recorder, Cluster, changes["cluster"], "cluster", optional=True)
            figure.cluster_id = cluster.id if cluster else None
        quote = session.scalar(select(Anchor.quote).where(Anchor.figure_id == figure.id)) or ""
        figure.flag = _flag(quote, figure.value_text, figure.unit)
        propose_in(session, [figure.id], recorder)  # its key or value may have changed
        return recorder.action.id


def _figure(session: Session, figure_id: int) -> Figure:
    figure = session.get(Figure, figure_id, with_for_update=True)  # no-op on SQLite; serialises editors on PostgreSQL
    if figure is None:
        raise StoreError(f"figure {figure_id} is no longer in the store")
    return figure


def set_status(store, figure_ids: list[int], status: str, reason: str = "",
               superseded_by: int | None = None) -> int:
    """Review: verify, dispute (with a reason), reject, supersede (by another figure), or back to candidate."""
    if status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    if status == "disputed" and not reason.strip():
        raise StoreError("say why the figure is disputed")
    if status == "superseded" and superseded_by is None:
        raise StoreError("name the figure that supersedes it")
    if not figure_ids:
        raise StoreError("no figure is selected")
    label = f"{status.capitalize()} {len(figure_ids)} figure{'s' if len(figure_ids) != 1 else ''}"
    with action(store, label) as recorder:
        session = recorder.session
        if superseded_by is not None:
            if superseded_by in figure_ids:
                raise StoreError("a figure cannot supersede itself")
            _figure(session, superseded_by)
        for figure_id in figure_ids:
            figure = _figure(session, figure_id)
            recorder.touch(figure)
            figure.status, figure.status_reason = status, reason.strip()
            figure.status_by, figure.status_at = current_user(), utcnow()
            figure.superseded_by_id = superseded_by if status == "superseded" else None
        return recorder.action.id


def resolve_conflict(store, keep_id: int, others: dict[int, tuple[str, str]]) -> int:
    """Resolve a conflict in one action: keep one figure (verified), the others disputed or superseded."""
    if not others:
        raise StoreError("a conflict has at least two figures")
    with action(store, "Resolve conflict") as recorder:
        session = recorder.session
        keep = _figure(session, keep_id)
        recorder.touch(keep)
        keep.status, keep.status_reason, keep.superseded_by_id = "verified", "", None
        keep.status_by, keep.status_at = current_user(), utcnow()
        for figure_id, (status, reason) in others.items():
            if status not in ("disputed", "superseded", "rejected"):
                raise StoreError(f"the other figures are disputed, superseded or rejected, not {status}")
            if not reason.strip():
                raise StoreError("say why the other figures are set aside")
            figure = _figure(session, figure_id)
            recorder.touch(figure)
            figure.status, figure.status_reason = status, reason.strip()
            figure.superseded_by_id = keep_id if status == "superseded" else None
            figure.status_by, figure.status_at = current_user(), utcnow()
        return recorder.action.id


def review_queue(store, figure_ids: list[int] | None = None) -> list[int]:
    """Figures waiting for a person (candidates), in reading order: document, then position."""
    with store.read() as session:
        stmt = (select(Figure.id).join(Anchor, Anchor.figure_id == Figure.id)
                .where(Figure.status == "candidate").order_by(Anchor.document_id, Anchor.start, Figure.id))
        if figure_ids is not None:
            stmt = stmt.where(Figure.id.in_(figure_ids))
        return list(session.scalars(stmt))
