"""Annotations: a curator's notes on a figure, a cluster, or a span of a document.

Each add, edit and removal is one action (undoable, kept in history). The text
is stored as typed; every view shows it as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from store.changes import Changes
from store.curation.history import action, current_user
from store.curation.stale import check_annotation_version
from store.errors import StoreError
from store.models import Annotation, Cluster, Document, Figure, utcnow

TARGETS = ("figure", "cluster", "span")
MAX_CHARS = 20_000


@dataclass(frozen=True)
class AnnotationView:
    id: int
    target: str
    figure_id: int | None
    cluster_id: int | None
    document_id: int | None
    start: int | None
    end: int | None
    quote: str
    text: str
    created_by: str
    updated_at: datetime
    version: int
    subject: str  # what it is about, for a list: a figure key, a cluster name, a document file name


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise StoreError("an annotation needs some text")
    if len(text) > MAX_CHARS:
        raise StoreError(f"an annotation is at most {MAX_CHARS:,} characters")
    return text


def annotate(store, text: str, *, figure_id: int | None = None, cluster_id: int | None = None,
             document_id: int | None = None, start: int | None = None, end: int | None = None) -> Changes:
    """Add an annotation on exactly one target. Returns the Changes (`created_id`: the annotation)."""
    text = _clean(text)
    targets = [t for t, given in (("figure", figure_id), ("cluster", cluster_id), ("span", document_id)) if given is not None]
    if len(targets) != 1:
        raise StoreError("an annotation is on one figure, one cluster or one span of a document")
    with action(store, f"Annotate {targets[0]}") as recorder:
        session = recorder.session
        quote = ""
        if figure_id is not None and session.get(Figure, figure_id) is None:
            raise StoreError("the figure is no longer in the store")
        if cluster_id is not None and session.get(Cluster, cluster_id) is None:
            raise StoreError("the cluster is no longer in the store")
        if document_id is not None:
            document = session.get(Document, document_id)
            if document is None:
                raise StoreError("the document is no longer in the store")
            if start is None or end is None or not 0 <= start < end <= len(document.text):
                raise StoreError("select the words the note is about")
            quote = document.text[start:end]
        now = utcnow()
        annotation = Annotation(target=targets[0], figure_id=figure_id, cluster_id=cluster_id, document_id=document_id,
                          start=start, end=end, quote=quote, text=text, created_by=current_user(),
                          created_at=now, updated_at=now, version=1)
        recorder.add(annotation)
        session.flush()
    return recorder.changes


def _annotation(session, annotation_id: int, expected_version: int | None, yours: dict) -> Annotation:
    annotation = session.get(Annotation, annotation_id, with_for_update=True)
    if annotation is None:
        raise StoreError("the annotation is no longer in the store")
    check_annotation_version(session, annotation, expected_version, yours)
    return annotation


def edit_annotation(store, annotation_id: int, text: str, expected_version: int | None = None) -> Changes:
    text = _clean(text)
    with action(store, "Edit annotation") as recorder:
        annotation = _annotation(recorder.session, annotation_id, expected_version, {"text": text})
        recorder.touch(annotation)
        annotation.text, annotation.updated_at = text, utcnow()
    return recorder.changes


def delete_annotation(store, annotation_id: int, expected_version: int | None = None) -> Changes:
    with action(store, "Remove annotation") as recorder:
        recorder.delete(_annotation(recorder.session, annotation_id, expected_version, {}))
    return recorder.changes


def list_annotations(store, *, figure_id: int | None = None, cluster_id: int | None = None,
                     document_id: int | None = None) -> list[AnnotationView]:
    """Annotations, newest first; filtered to one figure, cluster or document when given."""
    stmt = (select(Annotation, Figure.key, Cluster.name, Document.file_name)
            .outerjoin(Figure, Figure.id == Annotation.figure_id)
            .outerjoin(Cluster, Cluster.id == Annotation.cluster_id)
            .outerjoin(Document, Document.id == Annotation.document_id)
            .order_by(Annotation.updated_at.desc(), Annotation.id.desc()))
    if figure_id is not None:
        stmt = stmt.where(Annotation.figure_id == figure_id)
    if cluster_id is not None:
        stmt = stmt.where(Annotation.cluster_id == cluster_id)
    if document_id is not None:
        stmt = stmt.where(Annotation.document_id == document_id)
    with store.read() as session:
        rows = session.execute(stmt).all()
    views = []
    for annotation, figure_key, cluster_name, file_name in rows:
        subject = {"figure": f"figure {figure_key or annotation.figure_id}", "cluster": cluster_name or "",
                   "span": f"{file_name}[{annotation.start}:{annotation.end}]"}[annotation.target]
        views.append(AnnotationView(annotation.id, annotation.target, annotation.figure_id, annotation.cluster_id, annotation.document_id,
                                    annotation.start, annotation.end, annotation.quote, annotation.text, annotation.created_by,
                                    annotation.updated_at, annotation.version, subject))
    return views
