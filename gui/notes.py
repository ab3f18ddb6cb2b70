"""Annotations and history in the window: what the user annotates, and each figure's past.

The annotations panel and the history dialog only ask; the writes go through
the Curator, so each one is a single store action on the undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from gui.annotations_panel import ask_annotation_text
from gui.history_dialog import HistoryDialog


class Notes(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        panel = window.annotations_panel
        panel.editRequested.connect(self._edit)
        panel.removeRequested.connect(self._remove)
        panel.annotationActivated.connect(self._activated)
        window.linker.data_written.connect(self._data_written)
        window.selection.subscribe(self._selection_changed)

    @property
    def curator(self):
        return self.w.curator

    # --- annotate ---------------------------------------------------------------------------
    def annotate(self, prefer_words: bool = False):
        """A note on the selected words (if the document has focus, or asked for), else figure, else cluster."""
        from store.curation.annotations import annotate
        from store.query.browse import figure_rows
        store, view = self.w.store, self.w.document_view
        if store is None:
            return None
        span, doc_id = view.selected_text_span(), view.current_document_id()
        words = span is not None and doc_id is not None and span[0] < span[1]
        if words and (prefer_words or view.editor.hasFocus() or not self.w.selection.figures):
            start, end = span
            target = f"the words \u201c{view.editor.textCursor().selectedText()[:80]}\u201d"
            kwargs = {"document_id": doc_id, "start": start, "end": end}
        elif self.w.selection.figures:
            figure_id = self.w.selection.figures[0]
            with store.read() as session:
                [row] = figure_rows(session, [figure_id])
            target = f"figure {row.get('key') or figure_id}: \u201c{row['quote']}\u201d"
            kwargs = {"figure_id": figure_id}
        else:
            node = self.w.tree_panel.selected_node()
            if node is None or node.kind != "cluster":
                self.w.show_error("Nothing to annotate.", "Select a figure, a cluster in the tree, or words in "
                                  "the document, then choose Annotate.")
                return None
            target, kwargs = f"the cluster {node.name}", {"cluster_id": node.id}
        dialog = ask_annotation_text(self.w, "Annotate", target)
        self.curator.dialog = dialog
        dialog.accepted.connect(lambda: self.curator.run(
            "Annotate", lambda: annotate(store, dialog.text(), **kwargs), list(self.w.selection.figures)))
        return dialog

    def _edit(self, annotation_id: int, text: str, version: int) -> None:
        from store.curation.annotations import edit_annotation
        self.curator.run("Edit annotation", lambda: edit_annotation(self.w.store, annotation_id, text, version))

    def _remove(self, annotation_id: int, version: int) -> None:
        from store.curation.annotations import delete_annotation
        self.curator.run("Remove annotation", lambda: delete_annotation(self.w.store, annotation_id, version))

    def _activated(self, note) -> None:
        """Go to what a note is about."""
        if note.figure_id is not None:
            self.w.selection.set_figures([note.figure_id], self)
        elif note.cluster_id is not None:
            self.w.tree_panel.select_cluster_id(note.cluster_id)
        elif note.document_id is not None:
            self.w.selection.set_document(note.document_id, self)
            self.w.document_dock.show()
            self.w.document_view.select_text(note.start, note.end)

    # --- keeping the panel and the marks current ---------------------------------------------
    def _data_written(self) -> None:
        tables = self.w.linker.last_tables
        # Only when notes may have changed (a note itself, or figures and documents coming and going):
        # the list can be long, and a status change cannot touch it.
        if not tables or tables & {"annotations", "anchors", "documents"}:
            self.w.annotations_panel.refresh()
            self._mark_document()

    def _selection_changed(self, what: str, _source) -> None:
        if what in ("figures", "document"):
            figures = self.w.selection.figures
            self.w.annotations_panel.set_filter(figure_id=figures[0] if figures else None,
                                                document_id=self.w.selection.document_id)
        if what == "document":
            self._mark_document()

    def _mark_document(self) -> None:
        from store.curation.annotations import list_annotations
        doc_id = self.w.document_view.current_document_id()
        if self.w.store is None or doc_id is None:
            return
        notes = list_annotations(self.w.store, document_id=doc_id)
        self.w.document_view.set_note_spans([(n.start, n.end) for n in notes if n.target == "span"])

    # --- history ----------------------------------------------------------------------------
    def show_history(self):
        from store.query.browse import figure_rows

        figures = self.w.selection.figures
        if self.w.store is None or len(figures) != 1:
            self.w.show_error("Select one figure.", "Select one figure to see its history.")
            return None
        figure_id = figures[0]
        with self.w.store.read() as session:
            [row] = figure_rows(session, [figure_id])
        dialog = HistoryDialog(self.w.store, figure_id, f"{row.get('key') or figure_id}: {row['quote']}", self.w)

        def revert(fid: int, change_id: int) -> None:
            from store.curation.history import revert_figure
            if self.curator.run("Revert figure", lambda: revert_figure(self.w.store, fid, change_id), [fid]):
                dialog.refresh()
        dialog.revertRequested.connect(revert)
        self.w.linker.data_written.connect(dialog.refresh)
        dialog.finished.connect(lambda _r: self.w.linker.data_written.disconnect(dialog.refresh))
        self.curator.dialog = dialog
        dialog.open()
        return dialog
