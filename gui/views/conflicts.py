"""The Conflicts view: figures that state the same thing with different values, side by side.

ConflictsModel is a two-level tree over the store's FigureRows: a row per
conflict (store.query.conflicts.conflict_groups), its figures as children
(the workspace's rows). ConflictsView adds the count, an empty state, the
figuresClicked link to the other views and "Resolve…", which opens a
ResolveDialog and writes the choice as one undoable action
(store.curation.figures.resolve_conflict).

Quotes and titles come from news documents: they are untrusted. Item text is
always drawn as plain text; tooltips go through tooltip_html, as Qt would
otherwise guess that "<b>…" is rich text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gui.names import shown
from gui.views.pivot_data import tooltip_html, value_of
from store.errors import StoreError
from store.values.periods import period_label

if TYPE_CHECKING:
    from store.query.rows import FigureRow

EMPTY_MESSAGE = "No conflicts: every figure agrees with the others that state the same thing."
COLUMNS = ("Value", "Status", "Source", "Quote", "Offsets")
OTHERS_STATUSES = (("Superseded by the kept figure", "superseded"), ("Disputed", "disputed"), ("Rejected", "rejected"))
NONE = "\u2014"
IdsRole = Qt.ItemDataRole.UserRole + 1  # list[int]: a figure's id, or every id of a group
RowRole = Qt.ItemDataRole.UserRole + 2  # FigureRow: the figure's row (figure rows only)


def group_label(rows: list[FigureRow]) -> str:
    first = rows[0]
    values = len({(row.value_text, row.value_max_text) for row in rows})
    parts = (shown(first, "metric"), shown(first, "entity"), shown(first, "cluster") or NONE,
             period_label(first.period) or NONE)
    return f"{' · '.join(parts)} {NONE} {len(rows)} figures, {values} values"


def offsets_of(row: FigureRow) -> str:
    return f"{row.doc}[{row.start}:{row.end}]"


def figure_tooltip(row: FigureRow) -> str:
    """Plain text; escaped by tooltip_html where it is shown."""
    status = row.status + (f": {row.status_reason}" if row.status_reason else "")
    return "\n".join((f"{value_of(row)} ({status})", row.doc_title or row.doc, offsets_of(row),
                      f"\u201c{row.quote or ''}\u201d"))


class ConflictsModel(QAbstractItemModel):
    """Groups at the top level (internal id 0), figures below (internal id = group row + 1)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[FigureRow]]] = []  # (label, figure rows)

    def set_groups(self, groups: list[list[FigureRow]]) -> None:
        self.beginResetModel()
        self._groups = [(group_label(rows), rows) for rows in groups if rows]
        self.endResetModel()

    def group_rows(self, group: int) -> list[FigureRow]:
        return list(self._groups[group][1])

    def group_of(self, index: QModelIndex) -> int | None:
        if not index.isValid():
            return None
        return index.row() if index.internalId() == 0 else index.internalId() - 1

    def index_of_figure(self, figure_id: int) -> QModelIndex:
        for g, (_, rows) in enumerate(self._groups):
            for r, row in enumerate(rows):
                if row.id == figure_id:
                    return self.index(r, 0, self.index(g, 0))
        return QModelIndex()

    # --- QAbstractItemModel -------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1 if parent.isValid() else 0)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()):  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0  # figures have no children; nor do a group's other columns

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags if index.internalId() == 0 else flags | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        if index.internalId() == 0:
            label, rows = self._groups[index.row()]
            if role == IdsRole:
                return [row.id for row in rows]
            if index.column() != 0:
                return None  # the label spans the row (setFirstColumnSpanned)
            if role == Qt.ItemDataRole.DisplayRole:
                return label
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip_html(label)
            return None
        row = self._groups[index.internalId() - 1][1][index.row()]
        if role == IdsRole:
            return [row.id]
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return (value_of(row), row.status, row.doc_title or row.doc, row.quote or "",
                    offsets_of(row))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(figure_tooltip(row))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ResolveDialog(QDialog):
    """Which figure of a conflict to keep, what becomes of the others, and why."""

    def __init__(self, rows: list[FigureRow], keep_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resolve conflict")
        self.rows = list(rows)
        self.keep_group = QButtonGroup(self)  # exclusive: one figure is kept
        choices = QWidget()
        box = QVBoxLayout(choices)
        self.quote_labels: dict[int, QLabel] = {}
        for row in self.rows:
            # A button's text is never rich text, but "&" would become a shortcut: double it.
            radio = QRadioButton(value_of(row).replace("&", "&&"))
            radio.setToolTip(tooltip_html(figure_tooltip(row)))
            self.keep_group.addButton(radio, row.id)
            # The title and quote can be long: a wrapping plain-text label, not the button's one line.
            quote = _plain_label(f"{row.doc_title or row.doc}\n\u201c{row.quote or ''}\u201d"
                                 f"  ({offsets_of(row)}, {row.status})")
            quote.setContentsMargins(24, 0, 0, 6)
            self.quote_labels[row.id] = quote
            box.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeft)  # sized to its text: a click beside it misses
            box.addWidget(quote)
        box.addStretch(1)
        scroll = QScrollArea()  # a conflict can hold many figures
        scroll.setWidgetResizable(True)
        scroll.setWidget(choices)

        self.status_combo = QComboBox()
        for text, status in OTHERS_STATUSES:
            self.status_combo.addItem(text, status)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why, e.g. the later report corrects the earlier one")
        form = QFormLayout()
        form.addRow("The &others:", self.status_combo)
        form.addRow("&Reason:", self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label("Keep which figure? It becomes verified."))
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.keep_group.idToggled.connect(self._update_ok)
        self.reason_edit.textChanged.connect(self._update_ok)
        if keep_id is not None:
            self.set_keep(keep_id)
        self._update_ok()

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def radio(self, figure_id: int) -> QRadioButton:
        return self.keep_group.button(figure_id)

    def set_keep(self, figure_id: int) -> None:
        button = self.radio(figure_id)
        if button is not None:
            button.setChecked(True)

    def keep_id(self) -> int | None:
        checked = self.keep_group.checkedId()
        return None if checked == -1 else checked

    def set_status(self, status: str) -> None:
        self.status_combo.setCurrentIndex(self.status_combo.findData(status))

    def others(self) -> dict[int, tuple[str, str]]:
        """What resolve_conflict takes: every figure but the kept one, with the status and reason chosen."""
        status, reason = self.status_combo.currentData(), self.reason_edit.text().strip()
        return {row.id: (status, reason) for row in self.rows if row.id != self.keep_id()}

    def _update_ok(self, *_args) -> None:
        # The store refuses an empty reason; say so here, before the user presses OK.
        self.ok_button().setEnabled(self.keep_id() is not None and bool(self.reason_edit.text().strip()))

    def accept(self) -> None:
        if self.ok_button().isEnabled():  # accept() called directly must obey the same rule as OK
            super().accept()


class ConflictsView(QWidget):
    figuresClicked = Signal(list)  # list[int]: the selected figure, or every figure of the selected group
    resolved = Signal(object)  # the Changes of a resolve (applied to the workspace), after the view has refreshed
    failed = Signal(str)  # a StoreError's message, for the window to show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = None
        self._scope_label: str | None = None
        self._stale = True  # the conflicts shown may be out of date: read them when the view is shown
        self._syncing = False  # True while the selection changes from code: nothing is emitted
        self.dialog: ResolveDialog | None = None
        self.model = ConflictsModel(self)

        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.resolve_button = QPushButton("Resolve\u2026")
        self.resolve_button.setToolTip("Keep one figure of the selected conflict; set the others aside")
        self.resolve_button.clicked.connect(self.open_resolve_dialog)

        self.tree = QTreeView()
        self.tree.setObjectName("conflictsTree")
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setAllColumnsShowFocus(True)
        for column, width in enumerate((170, 80, 220, 260)):
            self.tree.setColumnWidth(column, width)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty_label = _plain_label(EMPTY_MESSAGE)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(24)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty_label)

        bar = QHBoxLayout()
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.resolve_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._show_groups([])

    # --- public ---------------------------------------------------------------------------
    group_source = None  # a callable giving the groups (ids), when the caller has them faster than SQL

    def set_scope_label(self, label: str | None) -> None:
        """The tree node the conflicts are limited to (None: every figure); said in the count."""
        self._scope_label = label
        self.mark_stale()

    def mark_stale(self) -> None:
        """The conflicts may have changed (a write, another tree node): grouping every figure costs, so they
        are read again now if the view is on screen, else when it is shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale or not self.model.rowCount():
            self.refresh()

    def set_store(self, workspace, refresh: bool = True) -> None:
        """The open store.workspace.Workspace: the view reads and resolves through it."""
        self._store = workspace
        if refresh:
            self.refresh()

    def refresh(self) -> None:
        """Read the conflicts again; keep the selection where its figures are still in conflict."""
        self._stale = False
        if self._store is None:
            self._show_groups([])
            return
        try:
            # The workspace's numpy columns know the groups at once (group_source: those in the tree's scope).
            groups = self.group_source() if self.group_source is not None else self._store.conflict_groups()
            by_id = {row.id: row for row in self._store.rows([i for g in groups for i in g])}
        except StoreError as exc:
            self.failed.emit(str(exc))
            return
        selected = self.selected_ids()
        self._show_groups([[by_id[i] for i in group if i in by_id] for group in groups])
        self.select_figures(selected)

    def selected_ids(self) -> list[int]:
        ids: list[int] = []
        for index in self.tree.selectionModel().selectedRows():
            ids.extend(i for i in index.data(IdsRole) or [] if i not in ids)
        return ids

    def select_figures(self, ids: list[int]) -> None:
        """Select these figures' rows (a whole group if all its figures are named); emits nothing."""
        wanted, selection, first = set(ids), QItemSelection(), None
        for g in range(self.model.rowCount()):
            group = self.model.index(g, 0)
            group_ids = set(group.data(IdsRole))
            if group_ids and group_ids <= wanted:
                rows = [group]
            else:
                rows = [self.model.index(r, 0, group) for r in range(self.model.rowCount(group))
                        if self.model.index(r, 0, group).data(IdsRole)[0] in wanted]
            for index in rows:
                selection.select(index, index.siblingAtColumn(len(COLUMNS) - 1))
                if first is None:
                    first = index
        self._syncing = True
        try:
            model = self.tree.selectionModel()
            model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if first is not None:
                model.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.tree.scrollTo(first)
        finally:
            self._syncing = False
        self._update_button()

    def selected_group(self) -> int | None:
        """The conflict the selection is in, or None when nothing (or rows of several conflicts) is selected."""
        groups = {self.model.group_of(index) for index in self.tree.selectionModel().selectedRows()}
        return groups.pop() if len(groups) == 1 else None

    def resolve_dialog(self) -> ResolveDialog | None:
        """A dialog for the selected conflict, wired to resolve it on accept; not shown yet."""
        group = self.selected_group()
        if group is None:
            return None
        rows = self.model.group_rows(group)
        selected = self.selected_ids()
        keep = selected[0] if len(selected) == 1 else None  # a selected figure is the likely one to keep
        dialog = ResolveDialog(rows, keep, self)
        dialog.accepted.connect(lambda: self._resolve(dialog.keep_id(), dialog.others()))
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        return dialog

    def open_resolve_dialog(self) -> None:
        dialog = self.resolve_dialog()
        if dialog is not None:
            dialog.open()  # window-modal, and no nested event loop as exec() would start

    # --- internals ---------------------------------------------------------------------
    def _show_groups(self, groups: list[list[FigureRow]]) -> None:
        self._syncing = True  # a reset clears the selection: not a user's choice
        try:
            self.model.set_groups(groups)
        finally:
            self._syncing = False
        for g in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(g, QModelIndex(), True)
        self.tree.expandAll()
        count = self.model.rowCount()
        where = f" in \u201c{self._scope_label}\u201d" if self._scope_label else ""
        self.count_label.setText(f"{count} conflict{'s' if count != 1 else ''}{where}")
        self.empty_label.setText(EMPTY_MESSAGE if not where else
                                 f"No conflicts{where}. Choose \u201cAll figures\u201d in the tree to see every conflict.")
        self.stack.setCurrentWidget(self.tree if count else self.empty_label)
        self._update_button()

    def _update_button(self) -> None:
        writable = self._store is None or not self._store.read_only
        self.resolve_button.setEnabled(writable and self.selected_group() is not None)

    def _selection_changed(self, *_args) -> None:
        self._update_button()
        if self._syncing:
            return
        ids = self.selected_ids()
        if ids:
            self.figuresClicked.emit(ids)

    def _resolve(self, keep_id: int | None, others: dict[int, tuple[str, str]]) -> None:
        # Called from a Qt signal: a StoreError becomes `failed`, never an exception into Qt.
        from store.curation.figures import resolve_conflict
        if self._store is None or keep_id is None:
            return
        try:
            changes = self._store.write(resolve_conflict, keep_id, others)
        except StoreError as exc:
            self.failed.emit(str(exc))
            return
        self.refresh()
        self.resolved.emit(changes)

    def _forget(self, dialog: ResolveDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
