"""Documents for reading: the list with figure counts, and one text with its figure spans."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Anchor, Document, Figure
from store.query.provenance import span_matches

CITATION_FIELDS = ("id", "title", "file_name", "published", "publisher", "author", "language_notes")


def list_documents(session: Session, counts: dict[int, int] | None = None) -> list[dict]:
    """The documents with their figure counts (given by the caller when it has them: store.query.columns)."""
    if counts is None:
        counts = dict(session.execute(select(Anchor.document_id, func.count()).group_by(Anchor.document_id)).all())
    rows = session.execute(
        select(Document.id, Document.title, Document.file_name, Document.published, Document.publisher,
               Document.author, Document.language_notes).order_by(Document.id)
    ).mappings()
    return [dict(row, figures=counts.get(row["id"], 0)) for row in rows]


def document_with_spans(session: Session, document_id: int) -> tuple[dict, list[tuple[int, int, int, str]]] | None:
    """The document (citation fields and text) and its figures' spans (id, start, end, status).

    A span whose quote is no longer the text at its offsets is returned with
    the status "flagged", whatever its review status, so no view shows it as true.
    """
    document = session.get(Document, document_id)
    if document is None:
        return None
    detail = {name: getattr(document, name) for name in CITATION_FIELDS}
    detail["text"] = document.text
    spans = []
    for figure_id, start, end, quote, state, status in session.execute(
        select(Anchor.figure_id, Anchor.start, Anchor.end, Anchor.quote, Anchor.state, Figure.status)
        .join(Figure, Figure.id == Anchor.figure_id)
        .where(Anchor.document_id == document_id)
        .order_by(Anchor.start)
    ):
        ok = state != "orphaned" and span_matches(document.text, start, end, quote)
        spans.append((figure_id, start, end, status if ok else "flagged"))
    return detail, spans
