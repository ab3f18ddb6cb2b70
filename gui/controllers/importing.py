"""File > Import and drag and drop: documents in, their candidate figures into the review queue.

The import runs off the UI thread with progress and Cancel; each file is one
store action (document and candidates together), so a cancelled or failed file
leaves nothing, and each imported file can be undone as a whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from gui.controllers.curation import Curator
from gui.controllers.progress import ProgressJob
from gui.events import Events, Messages
from gui.selection import Selection
from store.values.display import counted

FILE_FILTER = ("Documents and datasets (*.txt *.md *.htm *.html *.csv *.jsonl *.parquet);;"
               "Datasets, one document a row (*.csv *.jsonl *.parquet);;All files (*)")
SUFFIXES = (".txt", ".md", ".htm", ".html", ".csv", ".jsonl", ".ndjson", ".parquet")


class Importer(QObject):
    def __init__(self, parent: QWidget, events: Events, selection: Selection, messages: Messages,
                 curator: Curator, settings: QSettings, show_document: Callable[[], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events, self.selection, self.messages, self.curator = events, selection, messages, curator
        self.settings = settings
        self._show_document = show_document  # raise the document dock
        self.job: ProgressJob | None = None
        self.last_results = None

    def choose_files(self) -> None:
        folder = self.settings.value("import/folder", str(Path.home()))
        paths, _ = QFileDialog.getOpenFileNames(self.parent_widget, "Import Documents", folder, FILE_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        if self.events.workspace is None or not paths:
            return
        self.settings.setValue("import/folder", str(Path(paths[0]).parent))
        store = self.events.workspace.store

        def work(report, cancelled):
            # The importer (finder, HTML parser, encoding guesser) is imported on first use, not at start-up.
            from store.curation.importing import ImportCancelled, import_documents

            committed: list = []  # each result as its file's action commits
            try:
                return import_documents(store, paths, progress=lambda done, total, _name: report(done, total),
                                        cancelled=cancelled, on_result=committed.append), ""
            except ImportCancelled as exc:
                return list(exc.results or []), str(exc)
            except Exception as exc:  # noqa: BLE001 - whatever stopped it, the files already saved stay undoable
                return committed, f"The import stopped ({type(exc).__name__}: {exc})"

        self.job = ProgressJob(self.parent_widget, "Importing documents\u2026", len(paths))
        self.job.start(work, self._done, self._failed)

    def _done(self, outcome) -> None:
        from store.workspace import combined
        results, cancelled = outcome
        self.last_results = results
        added = [r for r in results if r.document_id is not None]
        for result in added:
            self.curator.adopt_quietly(f"Import {Path(result.path).name}", result.changes)
        changes = combined([r.changes for r in added])
        if self.events.workspace is not None:
            self.events.workspace.apply(changes)
        self.events.written(changes)
        if added:
            self.selection.set_document(added[-1].document_id, self)
            self._show_document()
            title = added[0].title if len(added) == 1 else f"{len(added)} imported documents"
            self.curator.review_documents([r.document_id for r in added], title or Path(added[0].path).name)
        problems = [f"{Path(r.path).name}: {r.skipped_reason}" for r in results if r.document_id is None]
        problems += [f"{Path(r.path).name}: {r.not_kept_note}" for r in added if r.not_kept]
        candidates = sum(r.candidates for r in added)
        summary = (f"Imported {counted(len(added), 'document')} with {counted(candidates, 'candidate figure')} "
                   f"to review (Review \u203a Next to Review, F8).")
        if cancelled:
            summary = f"{cancelled}. {summary}"
        if problems:
            self.messages.error(summary if added else "Nothing was imported.", "\n".join(problems))
        else:
            self.messages.status(summary, 12000)

    def _failed(self, message: str) -> None:
        self.messages.error("The import did not finish.", message)

    # --- drag and drop (called by the main window's event handlers) --------------------------
    @staticmethod
    def dropped_files(mime) -> list[str]:
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()
                and Path(url.toLocalFile()).suffix.lower() in SUFFIXES]
