"""The history of one figure: every change to it, its anchor and its notes, newest first.

The dialog only reads. "Revert to this version" emits revertRequested so the
main window runs the revert as an undoable command; the dialog stays open and
the window calls refresh() afterwards, so the revert shows up as the newest
entry. Values come from curators and documents: all of it is shown as plain
text, and tooltips are escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
)

from gui.views.annotations import local_time
from gui.views.list_model import ItemRole, RowListModel, list_table
from gui.views.pivot_data import tooltip_html
from store.errors import StoreError

if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.curation.history import HistoryEntry

COLUMNS = ("When", "By", "Action", "Changes", "Version")
EntryRole = ItemRole  # the HistoryEntry of a row
EMPTY = "No changes since this figure was loaded from the seeds."
MAX_VALUE_CHARS = 40

# Fields derived from others (value from value_text, period_start from period) would only repeat them.
HIDDEN_FIELDS = {"value", "value_max", "period_start", "period_end", "created_at", "created_by"}
# For a note or an anchor, the bookkeeping columns (ids, target, timestamps) say nothing to a curator.
SHOWN_FIELDS = {"annotations": ("text",), "anchors": ("quote", "start", "end", "state", "document_id")}


def _value(value, limit: int | None = MAX_VALUE_CHARS) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        text = " ".join(value.split())  # a note's line breaks would break the row
        if limit is not None and len(text) > limit:
            text = text[:limit] + "\u2026"
        return f"'{text}'"
    return str(value)


def changed_fields(entry: HistoryEntry) -> list[tuple[str, object, object]]:
    shown = SHOWN_FIELDS.get(entry.table)
    return [(name, old, new) for name, old, new in entry.fields
            if (name in shown if shown else name not in HIDDEN_FIELDS)]


def describe_changes(entry: HistoryEntry, limit: int | None = MAX_VALUE_CHARS, separator: str = "; ") -> str:
    """e.g. "qualifier: 'at least' → 'approximately'; note: '' → 'checked'"."""
    fields = changed_fields(entry)
    if entry.table == "annotations" and fields:
        _, old, new = fields[0]
        if old is None:
            return f"note added: {_value(new, limit)}"
        if new is None:
            return f"note removed: {_value(old, limit)}"
    parts = [f"{name}: {_value(old, limit)} \u2192 {_value(new, limit)}" for name, old, new in fields]
    prefix = {"anchors": "anchor ", "annotations": "note "}.get(entry.table, "")
    return separator.join(prefix + part for part in parts) or "(no visible change)"


class HistoryModel(RowListModel):
    """A flat table over HistoryEntry rows, newest first."""

    columns = COLUMNS

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        """Entries as figure_history returns them (oldest first); shown newest first."""
        self.set_rows(list(reversed(entries)))

    def entry(self, row: int) -> HistoryEntry | None:
        return self.row(row)

    def row_of(self, change_id: int) -> int | None:
        return self.find(lambda entry: entry.change_id == change_id)

    def cell(self, entry: HistoryEntry, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            version = "" if entry.table != "figures" or entry.version is None else str(entry.version)
            return (local_time(entry.at), entry.by, entry.label, describe_changes(entry), version)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return tooltip_html(local_time(entry.at, seconds=True))
            if column == 3:  # the full values, one field a line
                return tooltip_html(describe_changes(entry, limit=None, separator="\n"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HistoryDialog(QDialog):
    revertRequested = Signal(int, int)  # figure id, change id to go back to

    def __init__(self, workspace, figure_id: int, figure_label: str, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace  # store.workspace.Workspace: history and version reads
        self.figure_id = figure_id
        self._current_version: int | None = None
        self.setWindowTitle(f"History of Figure {figure_label}")
        self.model = HistoryModel(self)

        intro = QLabel(f"Every change to figure {figure_label}, its anchor and its notes, newest first. "
                       "Reverting adds a new change; nothing is lost.", self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        self.table = list_table(self, "historyTable", self.model, stretch=3,
                                widths=((0, 120), (1, 80), (2, 150), (4, 60)))
        self.table.selectionModel().selectionChanged.connect(self._update_revert)

        self.empty_label = QLabel(EMPTY, self)
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("historyHint")
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.revert_button = QPushButton("Revert to This Version", self)
        self.revert_button.setObjectName("revertButton")
        # An action role, so the button neither closes the dialog nor becomes its default (Enter must not revert).
        self.buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.revert_button.setAutoDefault(False)
        self.revert_button.clicked.connect(self._revert)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)
        self.resize(760, 360)
        self.refresh()

    def refresh(self) -> None:
        """Reload the history (after an edit, undo or revert), keeping the selected entry selected."""
        keep = self.selected_entry()
        try:
            entries = self.workspace.history(self.figure_id)
            self._current_version = self.workspace.figure_version(self.figure_id)
        except StoreError as exc:
            self.model.set_entries([])
            self.empty_label.setText(f"The history could not be read: {exc}")
            self.stack.setCurrentWidget(self.empty_label)
            self._update_revert()
            return
        self.model.set_entries(entries)
        if entries:
            self.stack.setCurrentWidget(self.table)
            row = self.model.row_of(keep.change_id) if keep is not None else None
            if row is not None:
                self.table.selectRow(row)
        else:
            self.empty_label.setText(EMPTY)
            self.stack.setCurrentWidget(self.empty_label)
        self._update_revert()

    def selected_entry(self) -> HistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _revertible(self, entry: HistoryEntry | None) -> tuple[bool, str]:
        """Whether the entry is a version of the figure one can go back to, and a hint saying why."""
        if entry is None:
            return False, "Select a change to see whether the figure can go back to it."
        if entry.table != "figures" or entry.version is None:
            return False, "Only changes to the figure itself are versions; undo note and anchor changes instead."
        if self._current_version is None:
            return False, "The figure is no longer in the store; undo its removal first."
        if entry.version == self._current_version:
            return False, f"Version {entry.version} is the figure as it is now."
        return True, f"Revert sets the figure back to version {entry.version}, as a new change you can undo."

    def _update_revert(self, *_args) -> None:
        ok, hint = self._revertible(self.selected_entry())
        if ok and self.workspace.read_only:
            ok, hint = False, "The store is read-only: nothing can be reverted."
        self.revert_button.setEnabled(ok)
        self.hint_label.setText(hint if self.model.rowCount() else "")

    def _revert(self) -> None:
        entry = self.selected_entry()
        if self._revertible(entry)[0]:
            self.revertRequested.emit(self.figure_id, entry.change_id)
