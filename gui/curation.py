"""The curator's actions: add documents and figures, edit, annotate, review, undo.

Every action that writes is one store action (one transaction, one history
record), pushed on the undo stack after it succeeded; a refusal from the store
is shown as a message and nothing is pushed. Dialogs open window-modal with
open(), not exec(), so the window keeps painting and tests can drive them.
"""

from __future__ import annotations

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
)

from gui.shortcuts import bind
from gui.undo import StoreCommand
from store.errors import StaleEdit, StoreBusy, StoreError


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


READING_ACTIONS = {"&History\u2026", "&Next to Review", "&Previous to Review", "&Advance After Reviewing"}


class Curator(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.stack = QUndoStack(self)
        self.dialog: QDialog | None = None  # the dialog open now (tests drive it)
        self.advance_after_review = True
        # After an import, F8 walks the imported documents' figures in reading order (their candidates),
        # whatever the tree shows, until the user picks another tree node or none is left to review.
        self.review_queue: np.ndarray | None = None
        self.review_title = ""
        window.figures_panel.model.editRequested.connect(self.edit_in_place)
        window.selection.subscribe(self._selection_changed)

    # --- running one action ----------------------------------------------------------------
    @property
    def store(self):
        return self.w.store

    def run(self, label: str, do, select: list[int] | None = None, at_version=None):
        """Write one action; on success push it for undo and refresh every view.

        A save refused for now (the store locked by another program, the server away) offers
        Retry with the same change; one refused because someone saved a newer version shows both,
        and at_version(version), if given, makes the same change over theirs."""
        if self.store is None:
            return None
        try:
            result = do()
        except (StoreBusy, StaleEdit) as exc:
            use_mine = (lambda version: self.run(label, lambda: at_version(version), select)) if at_version else None
            self.w.safety.save_refused(label, exc, lambda: self.run(label, do, select, at_version), use_mine, select)
            return None
        except StoreError as exc:
            self.w.show_error(f"{label}: not saved.", str(exc))
            return None
        action_id = result[1] if isinstance(result, tuple) else result
        self.stack.push(StoreCommand(self.store, label, action_id, self._replayed))
        self.w.linker.data_changed(select, [action_id])
        self.w.statusBar().showMessage(f"{label}: saved.", 5000)
        return result

    def adopt_quietly(self, label: str, action_id: int | None) -> None:
        """Put an action on the undo stack without refreshing (the caller refreshes once for many)."""
        if action_id is not None:
            self.stack.push(StoreCommand(self.store, label, action_id, self._replayed))

    def adopt(self, label: str, action_id: int) -> None:
        """Put an action another panel wrote (e.g. a conflict resolved) on the undo stack, and refresh."""
        self.stack.push(StoreCommand(self.store, label, action_id, self._replayed))
        self.w.linker.data_changed(None, [action_id])
        self.w.statusBar().showMessage(f"{label}: saved.", 5000)

    def _replayed(self, error: str | None, action_id: int | None = None) -> None:
        if error:
            self.w.show_error("Cannot undo or redo that change.", error)
        self.w.linker.data_changed(None, [action_id])

    def _open(self, dialog: QDialog, on_accept) -> QDialog:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _selected(self) -> list[int]:
        return list(self.w.selection.figures)

    # --- menus -----------------------------------------------------------------------------
    def add_actions(self, edit_menu, figure_menu, review_menu) -> None:
        undo = self.stack.createUndoAction(self, "&Undo")
        bind(undo, QKeySequence.StandardKey.Undo)
        redo = self.stack.createRedoAction(self, "&Redo")
        # X11's standard Redo is Ctrl+Shift+Z only, Windows' Ctrl+Y first: users expect both everywhere.
        bind(redo, QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y")
        first = edit_menu.actions()[0] if edit_menu.actions() else None
        edit_menu.insertActions(first, [undo, redo])
        edit_menu.insertSeparator(first)
        self.undo_action, self.redo_action = undo, redo

        add = self.w._action
        add(figure_menu, "&New Document\u2026", self.new_document, QKeySequence.StandardKey.New,
            "Paste or type a new source document with its citation")
        add(figure_menu, "&Add Figure from Selection\u2026", self.add_figure_from_selection, "Ctrl+Shift+A",
            "Add a figure stated by the words selected in the document")
        add(figure_menu, "&Edit Figure\u2026", self.edit_figure, "Ctrl+E", "Edit the selected figure")
        add(figure_menu, "&Re-attach to Selected Words", lambda: self.w.versions.reattach(), "Ctrl+Shift+R",
            "Anchor the selected figure (an orphan, say) to the words selected in its document")
        figure_menu.addSeparator()
        add(figure_menu, "&Annotate\u2026", self.w.annotate, "Ctrl+Shift+N",
            "Add a note on the selected figure, the selected words, or the selected cluster")
        add(figure_menu, "&History\u2026", self.w.show_history, "Ctrl+H", "Every change to the selected figure")

        add(review_menu, "&Verify", lambda: self.set_status("verified"), "Ctrl+1", "The figure says what the text says")
        add(review_menu, "&Dispute\u2026", self.dispute, "Ctrl+2", "The text is likely wrong: say why")
        add(review_menu, "&Reject", lambda: self.set_status("rejected"), "Ctrl+3", "Not a figure")
        add(review_menu, "&Supersede\u2026", self.supersede, "Ctrl+4", "Another figure replaces this one")
        add(review_menu, "Back to &Candidate", lambda: self.set_status("candidate"), "Ctrl+0", "Needs review again")
        review_menu.addSeparator()
        add(review_menu, "&Next to Review", lambda: self.next_in_queue(1), "F8", "The next candidate figure")
        add(review_menu, "&Previous to Review", lambda: self.next_in_queue(-1), "Shift+F8",
            "The previous candidate figure")
        advance = QAction("&Advance After Reviewing", self, checkable=True, checked=True)
        advance.toggled.connect(lambda on: setattr(self, "advance_after_review", on))
        review_menu.addAction(advance)
        for action in figure_menu.actions() + review_menu.actions():  # disabled on a read-only store
            if action.text() and action.text() not in READING_ACTIONS:
                action.setProperty("writes", True)

    # --- documents and figures -------------------------------------------------------------
    def new_document(self) -> QDialog | None:
        if self.store is None:
            return None
        from gui.document_dialog import DocumentDialog  # dialogs load on first use, not at start-up

        dialog = DocumentDialog(self.w)

        def save() -> None:
            from store.curation import figures as curation
            fields = dialog.fields()
            result = self.run("Add document", lambda: curation.add_document(self.store, **fields))
            if result:
                self.w.selection.set_document(result[0], self)
                self.w.statusBar().showMessage("Document added: select the words that state a figure, then "
                                               "Figure \u203a Add Figure from Selection.", 8000)
        return self._open(dialog, save)

    def _choices(self) -> dict:
        from store.query.taxonomy import taxonomy_choices
        with self.store.read() as session:
            return taxonomy_choices(session)

    def _context_guess(self, quote: str) -> dict:
        """What the user is looking at is the likeliest metric (if its units fit) and cluster of a new figure."""
        from store.curation import figures as curation
        guess = {}
        try:
            from store.values.numbers import parse_quantity

            kind = curation.unit_kind(parse_quantity(quote).unit)
        except StoreError:
            kind = None
        current = self.w.selection.metric_id
        for metric_id, name, metric_kind, _count in self.w.linker.metrics:
            if metric_id == current and metric_kind == kind:
                guess["metric"] = name
        node = self.w.tree_panel.selected_node()
        if node is not None and node.kind == "cluster":
            guess["cluster"] = node.key
        return guess

    def add_figure_from_selection(self) -> QDialog | None:
        from store.curation.documents import document_with_spans
        from store.query.provenance import sentence_around
        view = self.w.document_view
        span, doc_id = view.selected_text_span(), view.current_document_id()
        if self.store is None or span is None or doc_id is None or span[0] == span[1]:
            self.w.show_error("Select the words first.", "Select the words that state the figure in the "
                              "document view, then choose Add Figure from Selection.")
            return None
        with self.store.read() as session:
            detail, _spans = document_with_spans(session, doc_id)
        start, end = span
        text = detail["text"]
        while start < end and text[start].isspace():  # a double-click often takes a trailing space
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        quote = text[start:end]
        from gui.figure_dialog import FigureDialog

        dialog = FigureDialog(self.w, title="Add Figure", quote=quote, sentence=sentence_around(text, start, end),
                              published=detail.get("published") or "", choices=self._choices(),
                              initial=self._context_guess(quote),
                              meaning=self._finder_reading(text, start, end, detail.get("published") or ""))

        def save() -> None:
            from store.curation import figures as curation
            draft = curation.FigureDraft(document_id=doc_id, start=start, end=end, **dialog.fields())
            result = self.run("Add figure", lambda: curation.add_figure(self.store, draft))
            if result:
                self.w.show_new_figure(result[0])
        return self._open(dialog, save)

    def edit_figure(self) -> QDialog | None:
        from store.curation.documents import document_with_spans
        from store.query.browse import figure_rows
        from store.query.provenance import sentence_around
        ids = self._selected()
        if self.store is None or len(ids) != 1:
            self.w.show_error("Select one figure to edit.", "Select exactly one figure in the table.")
            return None
        with self.store.read() as session:
            [row] = figure_rows(session, ids)
            detail, _spans = document_with_spans(session, row["document_id"])
        initial = {key: row.get(key) or "" for key in ("value_text", "value_max_text", "unit", "scale", "qualifier",
                                                       "period", "note", "metric", "entity", "cluster")}
        from gui.figure_dialog import FigureDialog

        dialog = FigureDialog(self.w, title=f"Edit Figure {row.get('key') or row['id']}", quote=row["quote"],
                              sentence=sentence_around(detail["text"], row["start"], row["end"]),
                              published=detail.get("published") or "", choices=self._choices(), initial=initial,
                              meaning=row)

        def save() -> None:
            from store.curation import figures as curation
            changes = {k: v for k, v in dialog.fields().items() if v != initial.get(k, "")}
            if changes:
                def at(version):
                    return curation.edit_figure(self.store, row["id"], changes, expected_version=version)
                self.run("Edit figure", lambda: at(row["version"]), ids, at)
        return self._open(dialog, save)

    def edit_in_place(self, figure_id: int, field: str, text: str, version: int) -> None:
        """A cell typed in the table: a value is read by the same parser as the dialog's."""
        from store.curation import figures as curation
        if field == "value_text":
            try:
                from store.values.exact import canonical
                from store.values.numbers import parse_value

                text = canonical(parse_value(text))
            except StoreError as exc:
                self.w.show_error("The value was not changed.", str(exc))
                return
        def at(expected):
            return curation.edit_figure(self.store, figure_id, {field: text}, expected_version=expected)
        self.run("Edit figure", lambda: at(version), [figure_id], at)

    def _finder_reading(self, text: str, start: int, end: int, published: str) -> dict:
        """What the finder reads the selected words to mean (the text around them, not the whole document:
        a dialog opens at once), as the figure fields of the same names."""
        from dataclasses import asdict

        from store.finder import find_figures
        from store.finder.names import load_taxonomy
        low = max(0, text.rfind("\n", 0, max(0, start - 2000)))
        with self.store.read() as session:
            names = load_taxonomy(session)
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
            self.w.show_error("Select a figure to review.", "Select one or more figures in the table first.")
            return
        label = {"verified": "Verify", "rejected": "Reject", "candidate": "Back to candidate",
                 "disputed": "Dispute", "superseded": "Supersede"}[status]
        done = self.run(label, lambda: curation.set_status(self.store, ids, status, reason, superseded_by), ids)
        if done and self.advance_after_review and status != "candidate":
            self.next_in_queue(1)

    def dispute(self) -> QDialog | None:
        if not self._selected():
            return self.set_status("disputed")
        dialog = ReasonDialog(self.w, "Dispute", "Why is this figure likely wrong? (The reason is kept with it.)")
        return self._open(dialog, lambda: self.set_status("disputed", dialog.reason.text()))

    def supersede(self) -> QDialog | None:
        from store.query.browse import figure_rows
        ids = self._selected()
        if len(ids) != 2:
            self.w.show_error("Select two figures.", "Select the figure to set aside and the one that replaces "
                              "it (Ctrl+click), then choose Supersede.")
            return None
        with self.store.read() as session:
            rows = {r["id"]: r for r in figure_rows(session, ids)}
        old, new = ids
        choices = [(new, _figure_label(rows[new])), (old, _figure_label(rows[old]))]
        dialog = ReasonDialog(self.w, "Supersede", "Which figure replaces the other?", choices, required=False)

        def save() -> None:
            keep = dialog.choice.currentData()
            other = old if keep == new else new
            self.w.selection.set_figures([other], self)
            self.set_status("superseded", dialog.reason.text(), superseded_by=keep)
        return self._open(dialog, save)

    def review_documents(self, document_ids: list[int], title: str) -> None:
        """Make F8 walk these documents' candidates in reading order (after an import)."""
        from store.query.browse import figure_ids_in_reading_order
        if self.store is None or not document_ids:
            return
        with self.store.read() as session:
            ids = figure_ids_in_reading_order(session, document_ids)
        self.review_queue, self.review_title = (np.asarray(ids, np.int64), title) if ids else (None, "")

    def leave_review_queue(self) -> None:
        self.review_queue, self.review_title = None, ""

    def _selection_changed(self, what: str, source: object) -> None:
        if what == "scope" and source is self.w.tree_panel and self.review_queue is not None:
            self.leave_review_queue()  # the user chose what to look at: F8 follows the tree again
            self.w.statusBar().showMessage("F8 now walks the candidates of the tree's selection.", 5000)

    def _next_imported(self, step: int) -> bool:
        """F8 in the imported documents' queue; False when there is none (any more)."""
        from store.status import Status, code
        columns = self.w.linker.columns
        queue = self.review_queue
        if queue is None:
            return False
        rows = np.clip(np.searchsorted(columns.id, queue), 0, max(len(columns.id) - 1, 0))
        present = (columns.id[rows] == queue) if len(columns.id) else np.zeros(len(queue), bool)
        waiting = np.flatnonzero(present & (columns.status[rows] == code(Status.CANDIDATE)))
        if not present.any():  # the import was undone
            self.w.statusBar().showMessage("The imported document is no longer in the store; F8 now walks the "
                                           "candidates of the tree's selection.", 8000)
            self.leave_review_queue()
            return True
        if not len(waiting):
            self.w.statusBar().showMessage(f"Every candidate of \u201c{self.review_title}\u201d has been reviewed; "
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
        self.w.selection.set_figures([int(queue[position])], self)
        done = int(np.searchsorted(waiting, position))
        self.w.statusBar().showMessage(
            f"Reviewing \u201c{self.review_title}\u201d: candidate {done + 1} of {len(waiting)} left "
            "(F8 next; pick a node in the tree to leave).", 8000)
        return True

    def next_in_queue(self, step: int) -> None:
        """Select the next (or previous) candidate: of the documents just imported, else in the table's
        scope and order (numpy: instant at 1M)."""
        columns = self.w.linker.columns
        if self.store is None or columns is None:
            return
        if self._next_imported(step):
            return
        model = self.w.figures_panel.model
        queue = columns.select(model.query.with_(statuses=("candidate",), figure_ids=None))
        if not len(queue):
            self.w.statusBar().showMessage("Nothing left to review here: every figure in this selection has a "
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
        self.w.selection.set_figures([int(queue[position])], self)
        self.w.statusBar().showMessage(f"To review: {position + 1} of {len(queue)}", 5000)

def _figure_label(row: dict) -> str:
    return f"{row.get('key') or row['id']}: {row['quote']} \u2014 {row.get('doc_title') or ''}"

