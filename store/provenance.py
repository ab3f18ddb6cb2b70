"""Anchors: the exact span of a document that states a figure, and its check.

An anchor keeps the quote and about 32 characters either side, and the hash of
the text it was made against, so that a span that no longer matches its
document is found and flagged rather than shown silently wrong.
"""

from __future__ import annotations

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
    """Every anchor whose quote is not the text at its offsets, in figure order."""
    rows = session.execute(
        select(Anchor, Figure.key, Document)
        .join(Figure, Anchor.figure_id == Figure.id)
        .join(Document, Anchor.document_id == Document.id)
        .order_by(Anchor.document_id, Anchor.start)
    )
    failures = []
    for anchor, key, document in rows:
        if not span_matches(document.text, anchor.start, anchor.end, anchor.quote):
            failures.append(
                AnchorFailure(
                    anchor.figure_id, key, document.file_name, anchor.start, anchor.end,
                    anchor.quote, document.text[anchor.start : anchor.end],
                )
            )
    return failures
