"""Anchors: the exact span of a document that states a figure, and its check.

An anchor keeps the quote and about 32 characters either side, and the hash of
the text it was made against, so that a span that no longer matches its
document is found and flagged rather than shown silently wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Anchor, Document, Figure

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class AnchorFailure:
    figure_id: int
    figure_key: str | None
    doc: str
    start: int
    end: int
    quote: str
    found: str

    def describe(self) -> str:
        name = self.figure_key or f"#{self.figure_id}"
        return (
            f"figure {name}: {self.doc}[{self.start}:{self.end}] is {self.found!r}, "
            f"the anchor says {self.quote!r}"
        )


def span_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix kept with an anchor."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def span_matches(text: str, start: int, end: int, quote: str) -> bool:
    return 0 <= start < end <= len(text) and text[start:end] == quote


def anchor_failures(session: Session) -> list[AnchorFailure]:
    """Every anchor whose quote is not the text at its offsets, in document and position order.

    An orphaned anchor (its words were lost in a new version of the document: store.curation.reanchor) keeps
    the offsets and quote of the old text on purpose, and is not a failure; `orphaned_anchors` lists
    those. Each document's text is read once, not once per anchor: a long imported document can have
    tens of thousands of figures.
    """
    failures = []
    documents = session.execute(select(Document.id, Document.file_name).order_by(Document.id)).all()
    for document_id, file_name in documents:
        text = session.scalar(select(Document.text).where(Document.id == document_id)) or ""
        rows = session.execute(
            select(Anchor.figure_id, Figure.key, Anchor.start, Anchor.end, Anchor.quote)
            .join(Figure, Anchor.figure_id == Figure.id)
            .where(Anchor.document_id == document_id, Anchor.state != "orphaned").order_by(Anchor.start)
        )
        for figure_id, key, start, end, quote in rows:
            if not span_matches(text, start, end, quote):
                failures.append(AnchorFailure(figure_id, key, file_name, start, end, quote, text[start:end]))
    return failures


def orphaned_anchors(session: Session) -> list[tuple[int, str | None, str, str]]:
    """(figure id, figure key, document, quote) of every orphaned anchor, in document and position order."""
    return [tuple(row) for row in session.execute(
        select(Anchor.figure_id, Figure.key, Document.file_name, Anchor.quote)
        .join(Figure, Anchor.figure_id == Figure.id).join(Document, Anchor.document_id == Document.id)
        .where(Anchor.state == "orphaned").order_by(Anchor.document_id, Anchor.start, Anchor.figure_id))]


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[\u3002\uff01\uff1f\n]")  # "1.1 trillion" is not an end


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence that holds a span (for guessing its period), at most `limit` characters either side."""
    low, high = max(0, start - limit), min(len(text), end + limit)
    ends_before = [m.end() for m in _SENTENCE_END.finditer(text, low, start)]
    after = _SENTENCE_END.search(text, end, high)
    left = ends_before[-1] if ends_before else low
    right = after.end() if after else high
    return text[left:right].strip()
