"""The curator's actions: add documents and figures, edit, annotate, review, undo.

Every action that writes is one store action (one transaction, one history
record), pushed on the undo stack after it succeeded; a refusal from the store
is shown as a message and nothing is pushed. Dialogs open window-modal with
open(), not exec(), so the window keeps painting and tests can drive them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui.events import Events, Messages
from gui.selection import ScopeChosen, Selection
from gui.shortcuts import bind
from gui.undo import StoreCommand
from gui.views.document import DocumentView
from gui.views.figures_panel import FiguresPanel
from gui.views.tree_panel import ClusterTreePanel
from store.changes import NOTHING, Changes
from store.errors import StaleEdit, StoreBusy, StoreError

if TYPE_CHECKING:
    from store.opening.core import Store
    from store.query.rows import FigureRow
    from store.workspace import Workspace


class ReasonDialog(QDialog):
    """Why a figure is disputed (required), or which figure supersedes it."""

    def __init__(self, parent, title: str, prompt: str, choices: list[tuple[int, str]] | None = None,
                 required: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.reason = QLineEdit()
        self.choice = QComboBox()
        label = QLabel(prompt)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        form = QFormLayout()
        if choices:
            for figure_id, text in choices:
                self.choice.addItem(text, figure_id)
            form.addRow("Superseded &by:", self.choice)
        form.addRow("&Reason:", self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if required:
            self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
            ok.setEnabled(False)


class Curator(QObject):
    """The curator's writes (each one store action, pushed for undo) and the review queue (F8)."""

    def __init__(self, parent: QWidget, events: Events, selection: Selection, messages: Messages,
                 figures: FiguresPanel, tree: ClusterTreePanel, document: DocumentView,
                 metrics: Callable[[], list[tuple[int, str, str, int]]],
                 refused: Callable[..., None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent  # dialogs open window-modal over it
        self.events, self.selection, self.messages = events, selection, messages
        self.figures, self.tree, self.document = figures, tree, document
        self._metrics = metrics  # the metrics of the table's set: (id, name, unit kind, count)
        self._refused = refused  # a save refused for now: offer Retry (StoreSafety.save_refused)
        self.stack = QUndoStack(self)
        self.dialog: QDialog | None = None  # the dialog open now (tests drive it)
        self.advance_after_review = True
        # After an import, F8 walks the imported documents' figures in reading order (their candidates),
        # whatever the tree shows, until the user picks another tree node or none is left to review.
        self.review_queue: np.ndarray | None = None
        self.review_title = ""
        figures.model.editRequested.connect(self.edit_in_place)
        selection.scopeChosen.connect(self._scope_chosen)

    # --- running one action ----------------------------------------------------------------
    @property
    def workspace(self) -> Workspace | None:
        return self.events.workspace

    def run(self, label: str, do: Callable[[Store], Changes], select: list[int] | None = None,
            at_version: Callable[[Store, int], Changes] | None = None) -> Changes | None:
        """Write one action, do(store); on success push it for undo and refresh every view.

        A save refused for now (the store locked by another program, the server away) offers
        Retry with the same change; one refused because someone saved a newer version shows both,
        and at_version(store, version), if given, makes the same change over theirs."""
        workspace = self.workspace
        if workspace is None:
            return None
        try:
            changes = workspace.write(do)
        except (StoreBusy, StaleEdit) as exc:
            use_mine = ((lambda version: self.run(label, lambda store: at_version(store, version), select))
                        if at_version else None)
            self._refused(label, exc, lambda: self.run(label, do, select, at_version), use_mine, select)
            return None
        except StoreError as exc:
            self.messages.error(f"{label}: not saved.", str(exc))
            return None
        self.adopt(label, changes, select)
        return changes

    def adopt_quietly(self, label: str, changes: Changes | None) -> None:
        """Put an action on the undo stack without refreshing (the caller refreshes once for many)."""
        if changes is not None and changes.action_id is not None:
            self.stack.push(StoreCommand(label, changes.action_id, self._undo, self._replayed))

    def adopt(self, label: str, changes: Changes, select: list[int] | None = None) -> None:
        """Put an action written and applied to the workspace (here, or by a panel: a conflict resolved)
        on the undo stack, and refresh every view."""
        self.adopt_quietly(label, changes)
        self.events.written(changes, select)
        self.messages.status(f"{label}: saved.", 5000)

    def _undo(self, action_id: int) -> Changes:
        from store.curation.history import undo
        return self.workspace.write(undo, action_id)

    def _replayed(self, error: str | None, changes: Changes | None = None) -> None:
        if error:
            self.messages.error("Cannot undo or redo that change.", error)
        self.events.written(changes or NOTHING)

    def open_dialog(self, dialog: QDialog, on_accept) -> QDialog:
        """Open a dialog window-modal (the window keeps painting); `dialog` holds it while it is open."""
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _selected(self) -> list[int]:
        return list(self.selection.figures)

    def undo_actions(self) -> tuple[QAction, QAction]:
        """Edit › Undo and Redo, from the undo stack (their labels say what they undo)."""
        undo = self.stack.createUndoAction(self, "&Undo")
        bind(undo, QKeySequence.StandardKey.Undo)
        redo = self.stack.createRedoAction(self, "&Redo")
        # X11's standard Redo is Ctrl+Shift+Z only, Windows' Ctrl+Y first: users expect both everywhere.
        bind(redo, QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y")
        self.undo_action, self.redo_action = undo, redo
        return undo, redo

    def show_new_figure(self, figure_id: int) -> None:
        """Select a figure just added; widen the scope to every figure if the current one does not hold it."""
        if self.figures.model.row_of(figure_id) is None:
            self.tree.select("all", "all")
        self.selection.set_figures([figure_id], self)

    # --- documents and figures -------------------------------------------------------------
    def new_document(self) -> QDialog | None:
        if self.workspace is None:
            return None
        from gui.dialogs.document import DocumentDialog  # dialogs load on first use, not at start-up

        dialog = DocumentDialog(self.parent_widget)

        def save() -> None:
            from store.curation import figures as curation
            fields = dialog.fields()
            changes = self.run("Add document", lambda store: curation.add_document(store, **fields))
            if changes:
                self.selection.set_document(changes.created_id, self)
                self.messages.status("Document added: select the words that state a figure, then "
                                               "Figure \u203a Add Figure from Selection.", 8000)
        return self.open_dialog(dialog, save)

    def _choices(self) -> dict:
        return self.workspace.taxonomy_choices()

    def _context_guess(self, quote: str) -> dict:
        """What the user is looking at is the likeliest metric (if its units fit) and cluster of a new figure."""
        from store.curation import figures as curation
        guess = {}
        try:
            from store.values.numbers import parse_quantity

            kind = curation.unit_kind(parse_quantity(quote).unit)
        except StoreError:
            kind = None
        current = self.selection.metric_id
        for metric_id, name, metric_kind, _count in self._metrics():
            if metric_id == current and metric_kind == kind:
                guess["metric"] = name
        node = self.tree.selected_node()
        if node is not None and node.kind == "cluster":
            guess["cluster"] = node.key
        return guess

    def add_figure_from_selection(self) -> QDialog | None:
        from store.query.provenance import sentence_around
        view = self.document
        span, doc_id = view.selected_text_span(), view.current_document_id()
        if self.workspace is None or span is None or doc_id is None or span[0] == span[1]:
            self.messages.error("Select the words first.", "Select the words that state the figure in the "
                              "document view, then choose Add Figure from Selection.")
            return None
        found = self.workspace.document(doc_id)
        if found is None:
            self.messages.error("The document is no longer in the store.", "")
            return None
        detail, _spans = found
        start, end = span
        text = detail["text"]
        while start < end and text[start].isspace():  # a double-click often takes a trailing space
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        quote = text[start:end]
        from gui.dialogs.figure import FigureDialog

        dialog = FigureDialog(self.parent_widget, title="Add Figure", quote=quote, sentence=sentence_around(text, start, end),
                              published=detail.get("published") or "", choices=self._choices(),
                              initial=self._context_guess(quote),
                              meaning=self._finder_reading(text, start, end, detail.get("published") or ""))

        def save() -> None:
            from store.curation import figures as curation
            draft = curation.FigureDraft(document_id=doc_id, start=start, end=end, **dialog.fields())
            changes = self.run("Add figure", lambda store: curation.add_figure(store, draft))
            if changes:
                self.show_new_figure(changes.first_created("figures"))
        return self.open_dialog(dialog, save)

    def edit_figure(self) -> QDialog | None:
        from store.query.provenance import sentence_around
        ids = self._selected()
        if self.workspace is None or len(ids) != 1:
            self.messages.error("Select one figure to edit.", "Select exactly one figure in the table.")
            return None
        row = self.workspace.row(ids[0])
        found = self.workspace.document(row.document_id) if row is not None else None
        if found is None:
            self.messages.error("The figure is no longer in the store.", "")
            return None
        detail, _spans = found
        initial = {"value_text": row.value_text, "value_max_text": row.value_max_text or "", "unit": row.unit,
                   "scale": row.scale, "qualifier": row.qualifier, "period": row.period, "note": row.note,
                   "metric": row.metric, "entity": row.entity, "cluster": row.cluster or ""}
        meaning = {"metric_text": row.metric_text, "growth": row.growth, "growth_base": row.growth_base,
                   "projected": row.projected, "period": row.period, "reading": row.reading}
        from gui.dialogs.figure import FigureDialog

        dialog = FigureDialog(self.parent_widget, title=f"Edit Figure {row.key or row.id}", quote=row.quote,
                              sentence=sentence_around(detail["text"], row.start, row.end),
                              published=detail.get("published") or "", choices=self._choices(), initial=initial,
                              meaning=meaning)

        def save() -> None:
            from store.curation import figures as curation
            changes = {k: v for k, v in dialog.fields().items() if v != initial.get(k, "")}
            if changes:
                def at(store, version):
                    return curation.edit_figure(store, row.id, changes, expected_version=version)
                self.run("Edit figure", lambda store: at(store, row.version), ids, at)
        return self.open_dialog(dialog, save)

    def edit_in_place(self, figure_id: int, field: str, text: str, version: int) -> None:
        """A cell typed in the table: a value is read by the same parser as the dialog's."""
        from store.curation import figures as curation
        if field == "value_text":
            try:
                from store.values.exact import canonical
                from store.values.numbers import parse_value

                text = canonical(parse_value(text))
            except StoreError as exc:
                self.messages.error("The value was not changed.", str(exc))
                return

        def at(store, expected):
            return curation.edit_figure(store, figure_id, {field: text}, expected_version=expected)
        self.run("Edit figure", lambda store: at(store, version), [figure_id], at)

    def _finder_reading(self, text: str, start: int, end: int, published: str) -> dict:
        """What the finder reads the selected words to mean (the text around them, not the whole document:
        a dialog opens at once), as the figure fields of the same names."""
        from dataclasses import asdict

        from store.finder import find_figures
        low = max(0, text.rfind("\n", 0, max(0, start - 2000)))
        names = self.workspace.finder_names()
        try:
            found = find_figures(text[low:min(len(text), end + 2000)], published, names)
        except StoreError:
            return {}
        overlapping = [c for c in found if c.start + low < end and c.end + low > start]
        if not overlapping:
            return {}
        best = max(overlapping, key=lambda c: min(end, c.end + low) - max(start, c.start + low))
        return {**asdict(best), "reading": dict(best.reading)}

    # --- review ---------------------------------------------------------------------------
    def set_status(self, status: str, reason: str = "", superseded_by: int | None = None) -> None:
        from store.curation import figures as curation
        ids = self._selected()
        if not ids:
            self.messages.error("Select a figure to review.", "Select one or more figures in the table first.")
            return
        label = {"verified": "Verify", "rejected": "Reject", "candidate": "Back to candidate",
                 "disputed": "Dispute", "superseded": "Supersede"}[status]
        done = self.run(label, lambda store: curation.set_status(store, ids, status, reason, superseded_by), ids)
        if done and self.advance_after_review and status != "candidate":
            self.next_in_queue(1)

    def dispute(self) -> QDialog | None:
        if not self._selected():
            return self.set_status("disputed")
        dialog = ReasonDialog(self.parent_widget, "Dispute",
                              "Why is this figure likely wrong? (The reason is kept with it.)")
        return self.open_dialog(dialog, lambda: self.set_status("disputed", dialog.reason.text()))

    def supersede(self) -> QDialog | None:
        ids = self._selected()
        if self.workspace is None or len(ids) != 2:
            self.messages.error("Select two figures.", "Select the figure to set aside and the one that replaces "
                              "it (Ctrl+click), then choose Supersede.")
            return None
        rows = {r.id: r for r in self.workspace.rows(ids)}
        if len(rows) != 2:
            self.messages.error("The figure is no longer in the store.", "")
            return None
        old, new = ids
        choices = [(new, _figure_label(rows[new])), (old, _figure_label(rows[old]))]
        dialog = ReasonDialog(self.parent_widget, "Supersede", "Which figure replaces the other?", choices, required=False)

        def save() -> None:
            keep = dialog.choice.currentData()
            other = old if keep == new else new
            self.selection.set_figures([other], self)
            self.set_status("superseded", dialog.reason.text(), superseded_by=keep)
        return self.open_dialog(dialog, save)

    def review_documents(self, document_ids: list[int], title: str) -> None:
        """Make F8 walk these documents' candidates in reading order (after an import)."""
        if self.workspace is None or not document_ids:
            return
        ids = self.workspace.reading_order(document_ids)
        self.review_queue, self.review_title = (np.asarray(ids, np.int64), title) if ids else (None, "")

    def leave_review_queue(self) -> None:
        self.review_queue, self.review_title = None, ""

    def _scope_chosen(self, event: ScopeChosen) -> None:
        if event.source is self.tree and self.review_queue is not None:
            self.leave_review_queue()  # the user chose what to look at: F8 follows the tree again
            self.messages.status("F8 now walks the candidates of the tree's selection.", 5000)

    def _next_imported(self, step: int) -> bool:
        """F8 in the imported documents' queue; False when there is none (any more)."""
        from store.status import Status, code
        columns = self.workspace.columns
        queue = self.review_queue
        if queue is None:
            return False
        rows = np.clip(np.searchsorted(columns.id, queue), 0, max(len(columns.id) - 1, 0))
        present = (columns.id[rows] == queue) if len(columns.id) else np.zeros(len(queue), bool)
        waiting = np.flatnonzero(present & (columns.status[rows] == code(Status.CANDIDATE)))
        if not present.any():  # the import was undone
            self.messages.status("The imported document is no longer in the store; F8 now walks the "
                                           "candidates of the tree's selection.", 8000)
            self.leave_review_queue()
            return True
        if not len(waiting):
            self.messages.status(f"Every candidate of \u201c{self.review_title}\u201d has been reviewed; "
                                           "F8 now walks the candidates of the tree's selection.", 8000)
            self.leave_review_queue()
            return True
        current = self._selected()
        here = np.flatnonzero(queue == current[0]) if current else np.zeros(0, np.int64)
        if len(here):
            later = waiting[waiting > here[0]] if step > 0 else waiting[waiting < here[0]][::-1]
            position = later[0] if len(later) else (waiting[0] if step > 0 else waiting[-1])
        else:
            position = waiting[0] if step > 0 else waiting[-1]
        self.selection.set_figures([int(queue[position])], self)
        done = int(np.searchsorted(waiting, position))
        self.messages.status(
            f"Reviewing \u201c{self.review_title}\u201d: candidate {done + 1} of {len(waiting)} left "
            "(F8 next; pick a node in the tree to leave).", 8000)
        return True

    def next_in_queue(self, step: int) -> None:
        """Select the next (or previous) candidate: of the documents just imported, else in the table's
        scope and order (numpy: instant at 1M)."""
        if self.workspace is None:
            return
        columns = self.workspace.columns
        if self._next_imported(step):
            return
        model = self.figures.model
        queue = columns.select(model.query.with_(statuses=("candidate",), figure_ids=None))
        if not len(queue):
            self.messages.status("Nothing left to review here: every figure in this selection has a "
                                           "status.", 8000)
            return
        current = self._selected()
        found = np.flatnonzero(queue == current[0]) if current else np.zeros(0, np.int64)
        if len(found):
            position = (int(found[0]) + step) % len(queue)
        else:  # the selected figure is not a candidate: the next candidate after it in the table
            here = model.row_of(current[0]) if current else None
            position = 0 if step > 0 else len(queue) - 1
            if here is not None:
                table = model.ids
                after = table[here + 1:] if step > 0 else table[:here][::-1]
                hits = np.flatnonzero(np.isin(after, queue))
                if len(hits):
                    position = int(np.flatnonzero(queue == after[hits[0]])[0])
        self.selection.set_figures([int(queue[position])], self)
        self.messages.status(f"To review: {position + 1} of {len(queue)}", 5000)

def _figure_label(row: FigureRow) -> str:
    return f"{row.key or row.id}: {row.quote} \u2014 {row.doc_title or ''}"

