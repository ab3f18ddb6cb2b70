"""Document › Edit Citation…: open the citation dialog for the document in view and save the
corrected fields as one undoable store action."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from gui.controllers.curation import Curator
from gui.dialogs.citation import CitationDialog
from gui.events import Events, Messages
from gui.views.document import DocumentView
from store.errors import StoreError


class CitationEditor(QObject):
    """The Document menu's Edit Citation… and the document view's context menu entry."""

    def __init__(self, parent: QWidget, events: Events, messages: Messages, curator: Curator,
                 document: DocumentView) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events, self.messages, self.curator, self.document = events, messages, curator, document

    def edit(self) -> QDialog | None:
        workspace = self.events.workspace
        doc_id = self.document.current_document_id()
        if workspace is None or doc_id is None:
            self.messages.error("Open a document first.", "Choose a document in the Document view, then Edit Citation.")
            return None
        found = workspace.citation(doc_id)
        if found is None:
            self.messages.error("The document is no longer in the store.", "")
            return None
        file_name, initial = found
        dialog = CitationDialog(self.parent_widget, file_name, initial)

        def save() -> None:
            from store.curation.citation import clean, edit_citation
            try:
                changes = {k: v for k, v in clean(dialog.fields()).items() if v != initial.get(k, "")}
            except StoreError as exc:
                self.messages.error("Edit citation: not saved.", str(exc))
                return
            if not changes:
                self.messages.status("The citation is unchanged.", 4000)
                return
            self.curator.run("Edit citation", lambda store: edit_citation(store, doc_id, changes, expected=initial))
        return self.curator.open_dialog(dialog, save)
