"""Annotations and history in the window: what the user annotates, and each figure's past.

The annotations panel and the history dialog only ask; the writes go through
the Curator, so each one is a single store action on the undo stack.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from gui.controllers.curation import Curator
from gui.dialogs.history import HistoryDialog
from gui.events import Events, Messages
from gui.selection import Selection
from gui.views.annotations import AnnotationsPanel, ask_annotation_text
from gui.views.document import DocumentView
from gui.views.tree_panel import ClusterTreePanel
from store.changes import Changes

# A write touching one of these may change the notes listed or marked (a status change cannot).
NOTE_TABLES = frozenset({"annotations", "anchors", "documents"})


class Notes(QObject):
    def __init__(self, parent: QWidget, events: Events, selection: Selection, messages: Messages,
                 curator: Curator, panel: AnnotationsPanel, document: DocumentView, tree: ClusterTreePanel,
                 show_document: Callable[[], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events, self.selection, self.messages = events, selection, messages
        self.curator, self.panel, self.document, self.tree = curator, panel, document, tree
        self._show_document = show_document  # raise the document dock
        panel.editRequested.connect(self._edit)
        panel.removeRequested.connect(self._remove)
        panel.annotationActivated.connect(self._activated)
        events.refreshed.connect(self._data_written)
        selection.figuresSelected.connect(lambda _event: self._follow_selection())
        selection.documentChosen.connect(lambda _event: (self._follow_selection(), self._mark_document()))

    # --- annotate ---------------------------------------------------------------------------
    def annotate(self, prefer_words: bool = False):
        """A note on the selected words (if the document has focus, or asked for), else figure, else cluster."""
        from store.curation.annotations import annotate
        workspace, view = self.events.workspace, self.document
        if workspace is None:
            return None
        span, doc_id = view.selected_text_span(), view.current_document_id()
        words = span is not None and doc_id is not None and span[0] < span[1]
        if words and (prefer_words or view.editor.hasFocus() or not self.selection.figures):
            start, end = span
            target = f"the words \u201c{view.editor.textCursor().selectedText()[:80]}\u201d"
            kwargs = {"document_id": doc_id, "start": start, "end": end}
        elif self.selection.figures:
            figure_id = self.selection.figures[0]
            row = workspace.row(figure_id)
            if row is None:
                self.messages.error("The figure is no longer in the store.", "")
                return None
            target = f"figure {row.key or figure_id}: \u201c{row.quote}\u201d"
            kwargs = {"figure_id": figure_id}
        else:
            node = self.tree.selected_node()
            if node is None or node.kind != "cluster":
                self.messages.error("Nothing to annotate.", "Select a figure, a cluster in the tree, or words in "
                                    "the document, then choose Annotate.")
                return None
            target, kwargs = f"the cluster {node.name}", {"cluster_id": node.id}
        dialog = ask_annotation_text(self.parent_widget, "Annotate", target)
        self.curator.dialog = dialog
        dialog.accepted.connect(lambda: self.curator.run(
            "Annotate", lambda store: annotate(store, dialog.text(), **kwargs), list(self.selection.figures)))
        return dialog

    def annotate_words(self):
        return self.annotate(prefer_words=True)

    def _edit(self, annotation_id: int, text: str, version: int) -> None:
        from store.curation.annotations import edit_annotation
        self.curator.run("Edit annotation", lambda store: edit_annotation(store, annotation_id, text, version))

    def _remove(self, annotation_id: int, version: int) -> None:
        from store.curation.annotations import delete_annotation
        self.curator.run("Remove annotation", lambda store: delete_annotation(store, annotation_id, version))

    def _activated(self, note) -> None:
        """Go to what a note is about."""
        if note.figure_id is not None:
            self.selection.set_figures([note.figure_id], self)
        elif note.cluster_id is not None:
            self.tree.select_cluster_id(note.cluster_id)
        elif note.document_id is not None:
            self.selection.set_document(note.document_id, self)
            self._show_document()
            self.document.select_text(note.start, note.end)

    # --- keeping the panel and the marks current ---------------------------------------------
    def _data_written(self, changes: Changes) -> None:
        # Only when notes may have changed (a note itself, or figures and documents coming and going):
        # the list can be long, and a status change cannot touch it.
        if not changes.tables or changes.tables & NOTE_TABLES:
            self.panel.refresh()
            self._mark_document()

    def _follow_selection(self) -> None:
        """The panel's "this figure" and "this document" follow the selection."""
        figures = self.selection.figures
        self.panel.set_filter(figure_id=figures[0] if figures else None, document_id=self.selection.document_id)

    def _mark_document(self) -> None:
        doc_id = self.document.current_document_id()
        if self.events.workspace is None or doc_id is None:
            return
        notes = self.events.workspace.annotations(document_id=doc_id)
        self.document.set_note_spans([(n.start, n.end) for n in notes if n.target == "span"])

    # --- history ----------------------------------------------------------------------------
    def show_history(self):
        workspace, figures = self.events.workspace, self.selection.figures
        if workspace is None or len(figures) != 1:
            self.messages.error("Select one figure.", "Select one figure to see its history.")
            return None
        figure_id = figures[0]
        row = workspace.row(figure_id)
        if row is None:
            self.messages.error("The figure is no longer in the store.", "")
            return None
        dialog = HistoryDialog(workspace, figure_id, f"{row.key or figure_id}: {row.quote}",
                               self.parent_widget)

        def revert(fid: int, change_id: int) -> None:
            from store.curation.history import revert_figure
            if self.curator.run("Revert figure", lambda store: revert_figure(store, fid, change_id), [fid]):
                dialog.refresh()

        def refresh(_changes) -> None:
            dialog.refresh()
        dialog.revertRequested.connect(revert)
        self.events.refreshed.connect(refresh)
        dialog.finished.connect(lambda _r: self.events.refreshed.disconnect(refresh))
        self.curator.dialog = dialog
        dialog.open()
        return dialog
