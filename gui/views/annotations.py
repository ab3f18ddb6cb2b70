"""The Annotations dock: every curator note, filtered to the current selection on request.

The panel never writes to the store. Edits and removals are emitted as requests
(editRequested, removeRequested) so the main window runs them as undoable
commands, the same way as every other change; the panel only reads and shows.

Annotation text is typed by people and may hold anything, markup included. It
is returned raw for DisplayRole (item views paint it as plain text), escaped
for tooltips (Qt would otherwise guess rich text), and labels are PlainText.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from gui.views.list_model import ItemRole, RowListModel, list_table
from gui.views.long_text import NoteEdit, cut, wrap_mode
from gui.views.pivot_data import tooltip_html
from store.errors import StoreError

COLUMNS = ("On", "Note", "By", "When")
if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.curation.annotations import AnnotationView

AnnotationRole = ItemRole  # the AnnotationView of a row
MAX_QUOTE_CHARS = 200

# (label, the set_filter field it uses); None shows every annotation.
SHOW_MODES = (("All annotations", None), ("This figure", "figure_id"),
              ("This cluster", "cluster_id"), ("This document", "document_id"))
EMPTY_ALL = ("No annotations yet. Select a figure, a cluster or words in the document "
             "and choose Annotate\u2026 (Ctrl+Shift+N).")


def local_time(moment: datetime | None, seconds: bool = False) -> str:
    """A stored time as the curator's local time; SQLite hands back naive UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def first_line(text: str) -> str:
    lines = (text or "").strip().splitlines()
    if not lines:
        return ""
    return lines[0] + (" \u2026" if len(lines) > 1 else "")


def describe_target(view: AnnotationView) -> str:
    """What a note is about, in words, for the dialog and tooltips."""
    if view.target == "figure":
        return f"Figure {view.subject.removeprefix('figure ')}"
    if view.target == "cluster":
        return f"Cluster {view.subject}"
    quote = " ".join(view.quote.split())
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[:MAX_QUOTE_CHARS] + "\u2026"
    return f"\u201c{quote}\u201d in {view.subject}"


class AnnotationsModel(RowListModel):
    """A flat table over a list of AnnotationView; the list is replaced whole on refresh."""

    columns = COLUMNS

    def annotation(self, row: int) -> AnnotationView | None:
        return self.row(row)

    def row_of(self, annotation_id: int) -> int | None:
        return self.find(lambda view: view.id == annotation_id)

    def cell(self, view: AnnotationView, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return (view.subject, first_line(view.text), view.created_by, local_time(view.updated_at))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            # Every tooltip goes through tooltip_html: a subject or a note may look like markup.
            if column == 0:
                return tooltip_html(describe_target(view))
            if column == 1:
                return tooltip_html(cut(view.text))
            if column == 3:
                return tooltip_html(f"Last changed {local_time(view.updated_at, seconds=True)} (version {view.version})")
        return None


class AnnotationDialog(QDialog):
    """Type or edit one note. OK stays disabled while the note is empty or too long."""

    def __init__(self, parent, title: str, target_text: str, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.target_label = QLabel(f"On: {target_text}", self)
        self.target_label.setTextFormat(Qt.TextFormat.PlainText)  # a quote from a document is untrusted
        self.target_label.setWordWrap(True)
        from store.curation.annotations import MAX_CHARS
        self.text_edit = NoteEdit(MAX_CHARS, self)  # refuses a paste past the limit before laying it out
        self.text_edit.setObjectName("annotationText")
        self.text_edit.setPlaceholderText("Your note (plain text)")
        self.text_edit.setWordWrapMode(wrap_mode(initial))
        self.text_edit.setPlainText(initial)
        self.hint_label = QLabel(self)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Enter types a new line in the note, so OK needs its own key: Ctrl+Enter, caught on the editor
        # itself rather than as a shortcut, so it works whatever shortcuts the window has.
        self.text_edit.installEventFilter(self)
        self.text_edit.textChanged.connect(self._update_ok)
        self.text_edit.refused.connect(self.hint_label.setText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.target_label)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)
        self.resize(480, 260)
        self.text_edit.setFocus()
        self._update_ok()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _update_ok(self) -> None:
        from store.curation.annotations import MAX_CHARS
        length = len(self.text())
        self.ok_button.setEnabled(0 < length <= MAX_CHARS)
        if length > MAX_CHARS:
            self.hint_label.setText(f"Too long: {length:,} characters; a note is at most {MAX_CHARS:,}.")
        else:
            self.hint_label.setText("Ctrl+Enter saves the note.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.text_edit and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            if self.ok_button.isEnabled():
                self.accept()
            return True  # never a line break: Ctrl+Enter means "save"
        return super().eventFilter(watched, event)


def ask_annotation_text(parent, title: str, target_text: str, initial: str = "") -> AnnotationDialog:
    """Open a note dialog (window-modal, not blocking) and return it.

    Connect to its `accepted` signal and read `text()` there; the dialog deletes
    itself once closed.
    """
    dialog = AnnotationDialog(parent, title, target_text, initial)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


class AnnotationsPanel(QWidget):
    editRequested = Signal(int, str, int)  # annotation id, new text, the version it was edited from
    removeRequested = Signal(int, int)  # annotation id, version
    annotationActivated = Signal(object)  # the AnnotationView, on click or Enter

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._store = None
        self._context = {"figure_id": None, "cluster_id": None, "document_id": None}
        self._dialog: AnnotationDialog | None = None
        self.model = AnnotationsModel(self)

        self.show_combo = QComboBox(self)
        self.show_combo.setObjectName("annotationsShow")
        for label, _ in SHOW_MODES:
            self.show_combo.addItem(label)
        self.show_combo.currentIndexChanged.connect(self.refresh)
        self.edit_button = QPushButton("Edit\u2026", self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected note (Delete). Edit \u203a Undo brings it back.")
        self.remove_button.clicked.connect(self.remove_selected)

        self.table = list_table(self, "annotationsTable", self.model, stretch=1,  # the note gets the room a dock has
                                widths=((0, 140), (2, 80), (3, 120)))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.clicked.connect(self._activate)
        self.table.doubleClicked.connect(self._edit_at)
        self.table.installEventFilter(self)

        self.empty_label = QLabel(EMPTY_ALL, self)
        self.empty_label.setObjectName("annotationsEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        bar = QHBoxLayout()
        show_label = QLabel("Show:", self)
        show_label.setBuddy(self.show_combo)
        bar.addWidget(show_label)
        bar.addWidget(self.show_combo, 1)
        # The buttons under the list, not beside the chooser: on one row they made this tab (and so the
        # Document dock it shares) at least 335 px wide, which at 1024 px came out of the cluster tree.
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._update_buttons()
        self._update_empty()

    # --- data -----------------------------------------------------------------------
    def set_store(self, store) -> None:
        self._store = store
        self.refresh()

    def set_filter(self, figure_id: int | None = None, cluster_id: int | None = None,
                   document_id: int | None = None) -> None:
        """What is selected in the window; the Show box picks which of these narrows the list."""
        new = {"figure_id": figure_id, "cluster_id": cluster_id, "document_id": document_id}
        if new == self._context:
            return
        self._context = new
        if self._mode_field() is not None:  # "All annotations" does not depend on the selection
            self.refresh()

    def _mode_field(self) -> str | None:
        return SHOW_MODES[max(0, self.show_combo.currentIndex())][1]

    def refresh(self) -> None:
        """Reload from the store, keeping the selected note selected if it is still listed."""
        keep = self.selected_annotation()
        field = self._mode_field()
        rows: list[AnnotationView] = []
        if self._store is not None and (field is None or self._context[field] is not None):
            try:
                rows = self._store.annotations(**({field: self._context[field]} if field else {}))
            except StoreError as exc:
                self.model.set_rows([])
                self._show_empty(f"The notes could not be read: {exc}")
                return
        self.model.set_rows(rows)
        if keep is not None:
            row = self.model.row_of(keep.id)
            if row is not None:
                self.table.selectRow(row)
        self._update_buttons()
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
            return
        field = self._mode_field()
        if self._store is None:
            self._show_empty("No store is open.")
        elif field is None:
            self._show_empty(EMPTY_ALL)
        else:
            thing = field.removesuffix("_id")
            if self._context[field] is None:
                self._show_empty(f"No {thing} is selected. Select one, or choose \u201cAll annotations\u201d.")
            else:
                self._show_empty(f"No annotations on this {thing}. Choose Annotate\u2026 (Ctrl+Shift+N) to add one, "
                                 f"or \u201cAll annotations\u201d to see every note.")

    def _show_empty(self, text: str) -> None:
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    # --- selection and actions -----------------------------------------------------
    def selected_annotation(self) -> AnnotationView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.annotation(rows[0].row()) if rows else None

    def _update_buttons(self, *_args) -> None:
        selected = self.selected_annotation() is not None and not (self._store is not None and self._store.read_only)
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    def _activate(self, index: QModelIndex | QPersistentModelIndex) -> None:
        view = self.model.annotation(index.row()) if index.isValid() else None
        if view is not None:
            self.annotationActivated.emit(view)

    def edit_selected(self) -> AnnotationDialog | None:
        """Open the edit dialog on the selected note; OK emits editRequested."""
        view = self.selected_annotation()
        if view is None:
            return None
        if self.edit_dialog() is not None:
            self._dialog.close()
        dialog = AnnotationDialog(self, "Edit Annotation", describe_target(view), view.text)
        # The id and version are bound now: the window refuses the edit if the note changed meanwhile.
        dialog.accepted.connect(lambda: self._edit_accepted(view, dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _edit_at(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())  # edit what was double-clicked, whatever was selected before
            self.edit_selected()

    def _edit_accepted(self, view: AnnotationView, text: str) -> None:
        if text and text != view.text:  # an unchanged note is not an edit worth an undo step
            self.editRequested.emit(view.id, text, view.version)

    def edit_dialog(self) -> AnnotationDialog | None:
        """The open edit dialog, if any (for tests and for the window to raise it)."""
        if self._dialog is not None and isValid(self._dialog) and self._dialog.isVisible():
            return self._dialog
        return None

    def remove_selected(self) -> None:
        # No confirmation: the removal is an undoable command in the window.
        view = self.selected_annotation()
        if view is not None:
            self.removeRequested.emit(view.id, view.version)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            key = event.key()
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                # Claim the key before any window-wide shortcut (a Delete for figures) can take it.
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                    return True
                if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self.remove_selected()
                else:
                    self._activate(self.table.currentIndex())
                return True
        return super().eventFilter(watched, event)
