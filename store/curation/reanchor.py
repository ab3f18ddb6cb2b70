"""Document versions: replace a document's text and re-anchor its figures to the new words.

A news article gets corrected or updated; its figures must follow their words into the new text,
and must never end up silently attached to other words. Each anchor is placed by these rules,
in this order:

1. exact:  the quote is still at the same offsets (and no other occurrence keeps more context);
2. moved:  the quote occurs elsewhere; the occurrence whose surrounding text best keeps the stored
           prefix/suffix (common characters read outwards) wins, ties going to the one nearest to
           where the diff maps the old start. It must keep at least a quarter of that context: with
           less (several "33%" and none in a sentence like the old one) it is not proven, no guess;
3. fuzzy:  no such occurrence, but the words where the old span went changed only a little (quote
           similarity >= 0.8, context similarity >= 0.6, still whole words, still a number if it had
           one): the anchor takes the new words and the figure goes back to review (candidate);
4. orphaned: anything else. The old offsets, quote and context are kept so the curator sees what
           was lost, and can re-attach the figure to new words (reattach). A verified figure goes back
           to review (candidate, with the reason in its history): nothing in the text verifies it now.
           An orphan is a known state, not a broken anchor: `verify` lists orphans apart and passes.
Two figures that did not share words before never share words after (Reanchorer.place_all): a
figure whose sentence was deleted must not land on another figure's copy of the same words.

The whole version (document text, every anchor, every figure sent back to review) is ONE action,
so one undo restores the old text and every anchor exactly (store.curation.history snapshots the rows).

Speed: the old and new texts are diffed ONCE, chunk by chunk (sentences and lines), with small
changed regions refined character by character; positions are then mapped with bisect. Only anchors
whose words are not where the diff says they went cost more (a search of the new text, or a small
character diff of a window around them), so 10,000 anchors of a 1 MB document take seconds.

Here: the store's side (a new version, re-attaching an orphan, listing orphans); the placing
itself, which needs no store, is store/curation/reanchor_place.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from store.changes import Changes
from store.curation.figures import review_flag
from store.curation.history import action, current_user
from store.curation.reanchor_place import Reanchorer
from store.errors import StoreError
from store.models import Anchor, Annotation, Document, Figure, Metric, utcnow
from store.query.provenance import span_context
from store.reading.files import MAX_DOCUMENT_CHARS
from store.status import Status


@dataclass
class ReanchorReport:
    document_id: int
    file_name: str
    exact: int = 0
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    outcomes: dict[int, str] = field(default_factory=dict)  # figure id -> state
    action_id: int = 0
    changes: Changes | None = None  # what the new version changed (set when its action ends)

    def count(self, figure_id: int, state: str) -> None:
        self.outcomes[figure_id] = state
        setattr(self, state, getattr(self, state) + 1)

    def summary(self) -> dict:
        return {"document": self.file_name, "exact": self.exact, "moved": self.moved, "fuzzy": self.fuzzy,
                "orphaned": self.orphaned}


def _document(session, document: int | str) -> Document:
    """A document by id, or by file name (a name made of digits is tried as a name first)."""
    found = session.get(Document, document) if isinstance(document, int) else \
        session.scalar(select(Document).where(Document.file_name == str(document)))
    if found is None and isinstance(document, str) and document.strip().isdigit():
        found = session.get(Document, int(document))
    if found is None:
        raise StoreError(f"no document {document!r} in the store (give its id or file name)")
    return found


def new_version(store, document: int | str, text: str, *, encoding: str = "utf-8",
                title: str | None = None) -> ReanchorReport:
    """Replace a document's text in place and re-anchor all its figures, as one undoable action."""
    if not text.strip():
        raise StoreError("the new version is empty")
    if "\x00" in text:
        raise StoreError("the new version holds NUL characters: it looks like a binary file, not a document")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise StoreError(f"the new version is too long ({len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,})")
    with store.read() as session:
        file_name = _document(session, document).file_name  # for the action's label
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with action(store, f"New version of {file_name}") as recorder:
        session = recorder.session
        doc = _document(session, file_name)
        if doc.text == text:
            raise StoreError("this is the same text; nothing to do")
        other = session.scalar(select(Document).where(Document.sha256 == digest, Document.id != doc.id))
        if other is not None:  # one text, one document: import relies on it to skip duplicates
            raise StoreError(f"this text is already in the store as \u201c{other.title}\u201d ({other.file_name})")
        old_text = doc.text
        placer = Reanchorer(old_text, text)
        recorder.touch(doc)  # the old text stays in history: undo restores it
        doc.text, doc.sha256, doc.encoding = text, digest, encoding
        if title is not None and title.strip():
            doc.title = title.strip()
        report = ReanchorReport(doc.id, doc.file_name, action_id=recorder.action.id)
        changed_words: dict[int, tuple[str, str]] = {}
        anchors = list(session.scalars(select(Anchor).where(Anchor.document_id == doc.id).order_by(Anchor.start)))
        placed = placer.place_all([(a.start, a.end, a.quote, a.prefix, a.suffix) for a in anchors])
        for anchor, (state, s, e, _) in zip(anchors, placed):
            recorder.touch(anchor)
            if state == "orphaned":  # keep what was lost, for the curator
                anchor.state = "orphaned"
            else:
                if state == "fuzzy":
                    changed_words[anchor.figure_id] = (anchor.quote, text[s:e])
                anchor.start, anchor.end, anchor.quote = s, e, text[s:e]
                anchor.prefix, anchor.suffix = span_context(text, s, e)
                anchor.doc_sha256, anchor.state = digest, state
            report.count(anchor.figure_id, state)
        for figure_id, (old, new) in changed_words.items():
            _back_to_review(recorder, session.get(Figure, figure_id), old, new)
        for anchor in anchors:
            if anchor.state == "orphaned":
                _orphan_unverified(recorder, session.get(Figure, anchor.figure_id), anchor.quote, file_name)
        _move_annotations(recorder, placer, doc.id, old_text)
    report.changes = recorder.changes
    return report


def _back_to_review(recorder, figure: Figure, old: str, new: str) -> None:
    """A figure whose words changed is a candidate again: a person checks its value against them."""
    recorder.touch(figure)
    reason = (f"re-anchored to changed words: {old!r} -> {new!r}" if old != new
              else f"re-anchored where its context changed: {old!r}")
    figure.status, figure.status_reason, figure.superseded_by_id = Status.CANDIDATE.value, reason, None
    figure.status_by, figure.status_at = current_user(), utcnow()
    figure.flag = review_flag(new, figure.value_text, figure.unit)


def _orphan_unverified(recorder, figure: Figure, quote: str, file_name: str) -> None:
    """A verified figure whose words are gone is verified against nothing: it goes back to review.

    Only `verified` is undone: disputed, rejected and superseded record a decision about the figure
    itself, which losing its words does not change, and a candidate is under review already."""
    if figure.status != "verified":
        return
    recorder.touch(figure)
    figure.status = "candidate"
    figure.status_reason = f"orphaned: its words {quote!r} are not in the new version of {file_name}"
    figure.status_by, figure.status_at = current_user(), utcnow()


def _move_annotations(recorder, placer: Reanchorer, document_id: int, old_text: str) -> None:
    """Annotations on spans follow their words when those are found unchanged; otherwise they keep their quote."""
    annotations = recorder.session.scalars(select(Annotation).where(Annotation.document_id == document_id,
                                                               Annotation.target == "span"))
    for annotation in annotations:
        if annotation.start is None or annotation.end is None or old_text[annotation.start:annotation.end] != annotation.quote:
            continue
        prefix, suffix = span_context(old_text, annotation.start, annotation.end)
        state, s, e, _ = placer.place(annotation.start, annotation.end, annotation.quote, prefix, suffix)
        if state in ("exact", "moved") and (s, e) != (annotation.start, annotation.end):
            recorder.touch(annotation)
            annotation.start, annotation.end = s, e


def reattach(store, figure_id: int, start: int, end: int) -> Changes:
    """The curator chose the words that state a figure now: its anchor becomes exact there. Returns the action id."""
    with store.read() as session:
        key = session.scalar(select(Figure.key).where(Figure.id == figure_id))
    with action(store, f"Re-attach figure {key or figure_id}") as recorder:
        session = recorder.session
        anchor = session.scalar(select(Anchor).where(Anchor.figure_id == figure_id))
        figure = session.get(Figure, figure_id)
        if anchor is None or figure is None:
            raise StoreError(f"figure {figure_id} is no longer in the store")
        doc = session.get(Document, anchor.document_id)
        if not 0 <= start < end <= len(doc.text):
            raise StoreError(f"the span {start}:{end} is outside the document")
        quote = doc.text[start:end]
        if not quote.strip():
            raise StoreError("select the words that state the figure")
        recorder.touch(anchor)
        anchor.start, anchor.end, anchor.quote = start, end, quote
        anchor.prefix, anchor.suffix = span_context(doc.text, start, end)
        anchor.doc_sha256, anchor.state = doc.sha256, "exact"
        recorder.touch(figure)
        figure.flag = review_flag(quote, figure.value_text, figure.unit)  # the value may not be what the new words say
    return recorder.changes


def orphans(store, document_id: int | None = None) -> list[dict]:
    """Figures whose words were lost in a new version, with what they said, in document and position order."""
    stmt = (select(Figure.id.label("figure_id"), Figure.key, Anchor.document_id, Document.file_name.label("doc"),
                   Anchor.start, Anchor.end, Anchor.quote, Anchor.prefix, Anchor.suffix,
                   Metric.name.label("metric"), Figure.value_text, Figure.unit, Figure.status)
            .join(Anchor, Anchor.figure_id == Figure.id).join(Document, Document.id == Anchor.document_id)
            .join(Metric, Metric.id == Figure.metric_id).where(Anchor.state == "orphaned")
            .order_by(Anchor.document_id, Anchor.start, Figure.id))
    if document_id is not None:
        stmt = stmt.where(Anchor.document_id == document_id)
    with store.read() as session:
        return [dict(row) for row in session.execute(stmt).mappings()]
