"""Import: store article files (text, Markdown, HTML) with their candidate figures.

A file becomes a document exactly as decoded (line ends normalised to "\\n", so anchor offsets
count the code points of the stored text) and, unless asked not to, the figure finder's
candidates anchored to it. Each file is ONE action (store.curation.history.action): the document and
all its candidates are written in one transaction, so a refused, failed or cancelled import
leaves nothing behind, and one undo removes the whole import.

Reading a file into text (decoding, HTML, the size cap) is store.reading.files'.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import select

from store.changes import Changes
from store.curation.figures import find_or_add_taxon, period_fields, review_flag, value_fields
from store.curation.history import action, current_user
from store.errors import Cancelled, ReadOnlyStore, StoreError
from store.finder import Candidate, find_figures_within
from store.finder.names import load_taxonomy
from store.models import Anchor, Cluster, Document, Entity, Figure, Metric, utcnow
from store.query.lineage_rule import propose_in
from store.query.provenance import span_context
from store.reading.files import MAX_DOCUMENT_CHARS, ImportedText, without_controls
from store.values.numbers import unit_kind

# Candidates kept per document. An import holds each kept candidate's rows (figure, anchor, their
# history) until its one transaction commits, about 14 KB each, so this bounds an import's memory
# (about 150 MB past the text at the cap). A real article states tens to a few hundred figures;
# past the cap the document is still stored with its first MAX_CANDIDATES candidates, and the
# result says how many more the finder counted (ImportResult.not_kept).
MAX_CANDIDATES = 10_000
class ImportCancelled(Cancelled):
    """The user cancelled; the file being imported left nothing. `results` lists the files done before."""

    def __init__(self, message: str, results: list | None = None):
        super().__init__(message)
        self.results = results or []


@dataclass(frozen=True)
class ImportResult:
    path: str
    document_id: int | None
    candidates: int
    skipped_reason: str = ""
    refused: bool = False  # the file could not be read (binary, empty, too large ...), not a clean skip
    title: str = ""
    changes: Changes | None = None  # what the one action that stored it changed: undo removes the whole document
    not_kept: int = 0  # candidates past MAX_CANDIDATES: counted, not stored

    @property
    def action_id(self) -> int | None:
        return self.changes.action_id if self.changes is not None else None

    @property
    def not_kept_note(self) -> str:
        """'' or one sentence saying that candidates past the cap were not kept."""
        if not self.not_kept:
            return ""
        return (f"the first {self.candidates:,} candidates were kept and {self.not_kept:,} more were not "
                f"(the limit is {MAX_CANDIDATES:,} a document)")


# --- the store ---------------------------------------------------------------------------------------
class _Duplicate(StoreError):
    pass


def _existing(session, digest: str) -> Document | None:
    return session.scalar(select(Document).where(Document.sha256 == digest))


def _store_one(store, doc: ImportedText, candidates: list[Candidate], cancelled) -> Changes:
    """Write the document and its candidates in one action; returns its Changes (`created_id`: the document)."""
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    with action(store, f"Import document \u201c{doc.title[:60]}\u201d") as recorder:
        session = recorder.session
        if (existing := _existing(session, digest)) is not None:  # added meanwhile by someone else
            raise _Duplicate(f"already in the store as \u201c{existing.title}\u201d ({existing.file_name})")
        name = doc.file_name
        if session.scalar(select(Document.id).where(Document.file_name == name)) is not None:
            name = f"{digest[:12]}_{name}"
        document = Document(file_name=name, title=doc.title.strip(), published=doc.published, text=doc.text,
                            sha256=digest, encoding=doc.encoding, origin="import", **doc.citation)
        recorder.add(document)
        session.flush()
        taxa: dict[tuple, object] = {}

        def taxon(model, text: str, kind: str, **extra):
            key = (model, text, tuple(extra.items()))
            if key not in taxa:
                taxa[key] = find_or_add_taxon(recorder, model, text, kind, optional=model is Cluster, **extra)
            return taxa[key]

        user, now = current_user(), utcnow()
        added: list[Figure] = []
        for n, c in enumerate(candidates):
            if cancelled is not None and n % 25 == 0 and cancelled():
                raise ImportCancelled(f"import cancelled: nothing of \u201c{doc.title[:60]}\u201d was stored")
            kind = unit_kind(c.unit)
            # A candidate always gets a metric and an entity (the schema needs them): the finder's
            # suggestion, else a placeholder per unit kind that the reviewer replaces.
            metric = taxon(Metric, c.metric or f"Unassigned ({kind.replace('_', ' ')})", "metric", unit_kind=kind)
            entity = taxon(Entity, c.entity or "Unassigned entity", "entity")
            cluster = taxon(Cluster, c.cluster, "cluster")
            figure = Figure(**value_fields(c.value_text, c.value_max_text), **period_fields(c.period),
                            unit=c.unit, scale=c.scale, qualifier=c.qualifier, metric_id=metric.id,
                            entity_id=entity.id, cluster_id=cluster.id if cluster else None, status="candidate",
                            status_by=user, status_at=now, created_by=user, created_at=now, version=1,
                            flag=review_flag(c.quote, c.value_text, c.unit), metric_text=c.metric_text,
                            growth=c.growth, growth_base=c.growth_base, projected=c.projected,
                            reading=dict(c.reading) or None)
            prefix, suffix = span_context(doc.text, c.start, c.end)
            recorder.add(figure)
            recorder.add(Anchor(figure=figure, document=document, start=c.start, end=c.end, quote=c.quote,
                                prefix=prefix, suffix=suffix, doc_sha256=digest, state="exact"))
            added.append(figure)
        session.flush()
        propose_in(session, [figure.id for figure in added], recorder)  # its figures' official sources
        if cancelled is not None and cancelled():
            raise ImportCancelled(f"import cancelled: nothing of \u201c{doc.title[:60]}\u201d was stored")
    return recorder.changes


def _import_one(store, path: str, read: Callable[[], ImportedText], find: bool, names: list,
                cancelled) -> ImportResult:
    """One file (or dataset row) as one action; StoreError (or another error of reading it) if refused."""
    try:
        doc = read()  # the file's or row's text with its citation fields (store.reading.facts)
        # A row's text as a file's: the same size limit, and no control characters (see _C0).
        doc = replace(doc, text=without_controls(doc.text), title=without_controls(doc.title))
        if len(doc.text) > MAX_DOCUMENT_CHARS:
            raise StoreError(f"{doc.file_name} is too long ({len(doc.text):,} characters; "
                             f"the limit is {MAX_DOCUMENT_CHARS:,})")
    except StoreError as exc:
        return ImportResult(path, None, 0, str(exc), refused=True)
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    with store.read() as session:
        existing = _existing(session, digest)
        if existing is None and find and not names:
            names.append(load_taxonomy(session))
    if existing is not None:
        return ImportResult(path, None, 0, f"already in the store as \u201c{existing.title}\u201d ({existing.file_name})")
    # the document's place (store.reading.facts puts it in the citation fields) is the default entity of its figures
    place = (getattr(doc, "citation", None) or {}).get("place", "")
    try:  # a long text is read for seconds: Cancel stops the finder too, before anything is stored
        candidates, found = find_figures_within(doc.text, doc.published, names[0], MAX_CANDIDATES, place=place,
                                                cancelled=cancelled) if find else ([], 0)
    except Cancelled as exc:
        raise ImportCancelled(f"import cancelled: nothing of \u201c{doc.title[:60]}\u201d was stored") from exc
    try:
        changes = _store_one(store, doc, candidates, cancelled)
    except _Duplicate as exc:
        return ImportResult(path, None, 0, str(exc))
    return ImportResult(path, changes.created_id, len(candidates), title=doc.title, changes=changes,
                        not_kept=found - len(candidates))


def import_documents(store, paths: Iterable, *, find: bool = True,
                     progress: Callable[[int, int, str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None,
                     on_result: Callable[[ImportResult], None] | None = None,
                     columns: dict | None = None) -> list[ImportResult]:
    """Import files one action each; a refused file is reported and the others still imported.

    progress(done, total, file name) is called before each file and once at the end; cancelled()
    is asked between files, while the finder reads a file and while its candidates are written, and
    raises ImportCancelled.
    on_result(result) is called for each file once its outcome is final: an added document is
    committed by then, so a caller may report it as saved. A dataset file (.csv, .jsonl, .parquet)
    is one document per row, each its own action; `columns` names its columns where the header does
    not tell (store.reading.datasets).
    """
    if getattr(store, "read_only", False):
        raise ReadOnlyStore(f"nothing can be imported: {store.read_only_reason} (it was opened read-only)")
    from store.reading.datasets import expand_datasets

    items = expand_datasets([str(p) for p in paths], columns)  # a dataset stands for its rows, one document each
    results: list[ImportResult] = []

    def done(result: ImportResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    names: list = []  # the store's taxonomy, read once for the whole batch
    for i, (path, read) in enumerate(items):
        if cancelled is not None and cancelled():
            raise ImportCancelled(f"import cancelled after {i} of {len(items)} files", results)
        if progress is not None:
            progress(i, len(items), Path(path).name)
        try:
            result = _import_one(store, path, read, find, names, cancelled)
        except ImportCancelled as exc:
            exc.results = results
            raise
        except ReadOnlyStore:
            raise
        except (StoreError, RecursionError, MemoryError, ValueError, LookupError, OSError) as exc:
            # One bad file never ends the batch: the files before it stay stored (each its own action)
            # and the files after it are still read. Nothing of this one was stored (one transaction).
            why = str(exc) if isinstance(exc, StoreError) else f"{Path(path).name} could not be read ({type(exc).__name__})"
            result = ImportResult(path, None, 0, why, refused=True)
        done(result)
    if progress is not None:
        progress(len(items), len(items), "")
    return results
