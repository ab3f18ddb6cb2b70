"""New versions of a document, and the figures whose words were lost (orphans).

A new version replaces a document's text and re-places every figure on it
(store.curation.reanchor): exact, moved, fuzzy (back to review) or orphaned. Orphans are
listed in their own tab; the curator selects the right words in the document
and re-attaches the figure to them. Each of these is one undoable action.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.controllers.curation import Curator
from gui.controllers.progress import ProgressJob
from gui.events import Events, Messages
from gui.selection import Selection
from gui.views.document import DocumentView
from gui.views.list_model import RowListModel
from store.values.display import counted

EMPTY = "No orphaned figures: the words of every figure are in its document."


class OrphansModel(RowListModel):
    columns = ("Figure", "Document", "Lost words", "Metric", "Value")

    def cell(self, row: dict, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:  # plain text, and no tooltip: nothing Qt could read as markup
            return (row.get("key") or str(row["figure_id"]), row["doc"], row["quote"], row.get("metric") or "",
                    f"{row.get('value_text')} {row.get('unit') or ''}".strip())[column]
        if role == Qt.ItemDataRole.UserRole:
            return row["figure_id"]
        return None


class OrphansView(QWidget):
    figuresClicked = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = OrphansModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.clicked.connect(lambda index: self.figuresClicked.emit([index.data(Qt.ItemDataRole.UserRole)]))
        hint = QLabel("Select an orphan, select the right words in the document, then Figure \u203a "
                      "Re-attach to Selected Words (Ctrl+Shift+R).")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        self.empty_label = QLabel(EMPTY)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(hint)
        inner.addWidget(self.table, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)

    def refresh(self, workspace, in_scope=None, scope_label: str | None = None) -> None:
        """List the orphans; with in_scope (ids -> a bool each), only those in the tree's scope."""
        rows = workspace.orphans() if workspace is not None else []
        if in_scope is not None and rows:
            rows = [r for r, inside in zip(rows, in_scope([r["figure_id"] for r in rows])) if inside]
        self.model.set_rows(rows)
        self.empty_label.setText(EMPTY if not scope_label else
                                 f"No orphaned figures in \u201c{scope_label}\u201d. Choose \u201cAll figures\u201d "
                                 "in the tree to see every orphan.")
        self.stack.setCurrentIndex(1 if rows else 0)


class Versions(QObject):
    def __init__(self, parent: QWidget, events: Events, selection: Selection, messages: Messages,
                 curator: Curator, orphans_view: OrphansView, tabs: QTabWidget, document: DocumentView,
                 in_scope: Callable[[list[int]], list[bool]], settings: QSettings) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events, self.selection, self.messages, self.curator = events, selection, messages, curator
        self.orphans_view, self.tabs, self.document = orphans_view, tabs, document
        self._in_scope, self.settings = in_scope, settings
        self.job: ProgressJob | None = None
        self.last_report = None
        orphans_view.figuresClicked.connect(lambda ids: selection.set_figures(ids, self))
        events.refreshed.connect(lambda _changes: self._data_written())
        tabs.currentChanged.connect(lambda _i: self._data_written())
        selection.scopeChosen.connect(lambda _event: self._data_written())

    def _data_written(self) -> None:
        if self.tabs.currentWidget() is self.orphans_view:
            scope = self.selection.scope
            self.orphans_view.refresh(self.events.workspace, self._in_scope,
                                      None if scope.cluster_ids is None else scope.label)

    def choose_new_version(self) -> None:
        doc_id = self.document.current_document_id()
        if self.events.workspace is None or doc_id is None:
            self.messages.error("Open the document first.", "Show the document to replace in the document view, "
                                "then choose Import New Version of Document.")
            return
        folder = self.settings.value("import/folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "New Version of the Document", folder,
                                              "Documents (*.txt *.md *.htm *.html);;All files (*)")
        if path:
            self.import_new_version(doc_id, path)

    def import_new_version(self, doc_id: int, path: str) -> None:
        store = self.events.workspace.store

        def work(_report, _cancelled):
            from store.curation.reanchor import new_version
            from store.reading.files import read_document

            doc = read_document(path)
            return new_version(store, doc_id, doc.text, encoding=doc.encoding)

        self.job = ProgressJob(self.parent_widget, "Re-placing the figures on the new version\u2026")
        self.job.start(work, self._done, lambda message: self.messages.error("The new version was not stored.", message))

    def _done(self, report) -> None:
        self.last_report = report
        if self.events.workspace is not None:
            self.events.workspace.apply(report.changes)
        self.curator.adopt_quietly("New version of the document", report.changes)
        self.events.written(report.changes)
        summary = (f"New version of {report.file_name}: {counted(report.exact, 'figure')} in place, {report.moved} moved, "
                   f"{report.fuzzy} re-placed on changed words (back to review), {report.orphaned} orphaned.")
        if report.orphaned:  # the Orphans tab says what to do; no box to dismiss before doing it
            self.tabs.setCurrentWidget(self.orphans_view)
        self.messages.status(summary, 20000)

    def reattach(self) -> None:
        workspace, figures, view = self.events.workspace, self.selection.figures, self.document
        span = view.selected_text_span()
        if workspace is None or len(figures) != 1 or span is None or span[0] == span[1]:
            self.messages.error("Select a figure and its words.", "Select one figure (an orphan, say) and the words "
                                "that state it in its document, then choose Re-attach to Selected Words.")
            return
        from store.curation.reanchor import reattach

        figure_id = figures[0]
        row = workspace.row(figure_id)
        if row is None or row.document_id != view.current_document_id():
            self.messages.error("Those words are in another document.", "A figure is re-attached to words of its "
                                "own document: select the figure, then its words in the document it opens.")
            return
        self.curator.run("Re-attach figure", lambda store: reattach(store, figure_id, *span), [figure_id])
