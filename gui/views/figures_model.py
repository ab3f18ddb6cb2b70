"""The figures table: a Qt model over the ordered ids of its FigureQuery.

Filtering and sorting happen in numpy columns (store.query.columns: a mask and an
argsort, milliseconds at a million figures); the model then reads from the
database only the pages the view paints (PAGE_SIZE rows each, by id, cached).
There is no QSortFilterProxyModel and no per-row Python sort.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from gui.names import shown
from gui.theme import readable
from gui.views.long_text import cut
from store.query import FigureQuery
from store.query.conflict_rule import is_placeholder
from store.values.display import counted, format_value
from store.values.periods import period_label

if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.query.columns import FigureColumns
    from store.query.rows import FigureRow
    from store.workspace import Workspace

PAGE_SIZE = 64  # a screenful or two: a selection reads only what it paints
MAX_CACHED_PAGES = 200
FigureIdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

STATUS_COLOURS = {
    "candidate": "#8a6d00",
    "verified": "#1f7a1f",
    "disputed": "#b3261e",
    "rejected": "#777777",
    "superseded": "#777777",
}


@dataclass(frozen=True)
class Column:
    key: str  # also the store's sort key
    title: str
    text: Callable[[FigureRow], str]
    visible: bool = True


def _value(row: FigureRow) -> str:
    return format_value(row.value_text, row.unit, row.value_max_text)


def _metric(row: FigureRow) -> str:
    """The metric's name; for an import's placeholder ('Unassigned (money)'), the words the text used, quoted."""
    if row.metric_text and is_placeholder(row.metric_name):
        return f"\u201c{row.metric_text}\u201d"
    return shown(row, "metric")


COLUMNS: tuple[Column, ...] = (
    Column("metric", "Metric", _metric),
    Column("value", "Value", _value),
    Column("period", "Period", lambda r: period_label(r.period) or "\u2014"),
    Column("cluster", "Cluster", lambda r: shown(r, "cluster") or "\u2014"),
    Column("entity", "Entity", lambda r: shown(r, "entity")),
    Column("qualifier", "Qualifier", lambda r: r.qualifier),
    Column("status", "Status", lambda r: r.status + (" \u2691" if r.flag else "")),
    Column("notes", "\u270e", lambda r: str(r.annotation_count) if r.annotation_count else ""),
    Column("source", "Source", lambda r: r.doc_title),
    Column("quote", "Quote", lambda r: r.quote, visible=False),
    Column("note", "Note", lambda r: r.note, visible=False),
    Column("anchor", "Anchor", lambda r: r.anchor, visible=False),
    Column("id", "ID", lambda r: r.key or str(r.id), visible=False),
    # Last, so a header layout saved before it restores as it was (and this column appears after Source).
    Column("lineage", "Official", lambda r: LINEAGE_BADGES[r.lineage]),
)
COLUMN_INDEX = {column.key: i for i, column in enumerate(COLUMNS)}


def row_tooltip(row: FigureRow) -> str:
    """Quote and context as rich text built only from escaped pieces (the quote is untrusted)."""
    parts = [
        f"<b>{html.escape(_value(row))}</b> {html.escape(row.qualifier)}",
        f"{html.escape(shown(row, 'metric'))} \u00b7 {html.escape(period_label(row.period) or 'no period')}",
        f"{html.escape(shown(row, 'cluster') or 'no cluster')} \u00b7 {html.escape(shown(row, 'entity'))}",  # cut names, whole
        *([f"The text names the metric \u201c{html.escape(cut(row.metric_text))}\u201d"] if row.metric_text else []),
        f"\u201c{html.escape(cut(row.quote))}\u201d",
        f"{html.escape(row.doc_title)} [{row.start}:{row.end}]",
    ]
    if row.note:
        parts.append(html.escape(cut(row.note)))  # a long note: its start (a 1 MB tooltip took seconds)
    if row.flag:
        parts.append(f"<span style='color:#b3261e'>\u2691 {html.escape(row.flag)}</span>")
    if row.status_reason:
        parts.append(f"{html.escape(row.status)}: {html.escape(row.status_reason)}")
    if row.annotation_count:
        parts.append(f"\u270e {counted(row.annotation_count, 'annotation')}")
    if row.anchor not in ("exact", "moved"):
        parts.append(f"<span style='color:#b3261e'>anchor {html.escape(row.anchor)}</span>")
    return "<p style='white-space:pre-wrap'>" + "<br>".join(parts) + "</p>"


# The column shows the sign only (the tooltip, the Sources panel and the Help guide say it in words):
# at 1920 px the table has about 1,000 px and the names need them more.
LINEAGE_BADGES = {"official": "\u2713", "differs": "\u2260", "": "\u2013"}
LINEAGE_TIPS = {"official": "An official source states the same value (or the same rounded)",
                "differs": "An official source states another value for the same thing",
                "": "No official source found for this figure"}
LINEAGE_COLOURS = {"official": "#1f7a1f", "differs": "#b3261e", "": "#777777"}


# Columns edited in place, the figure field each one writes, and its text in a row.
EDITABLE_FIELDS = {"value": "value_text", "period": "period", "qualifier": "qualifier", "note": "note"}
_EDITED_TEXT: dict[str, Callable[[FigureRow], str | None]] = {
    "value": lambda r: r.value_text, "period": lambda r: r.period, "qualifier": lambda r: r.qualifier,
    "note": lambda r: r.note}


_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, FigureIdRole, RowRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.FontRole})


class FiguresTableModel(QAbstractTableModel):
    # (figure id, field, typed text, version): the window writes it as one undoable action, then refreshes.
    editRequested = Signal(int, str, str, int)
    facetsDropped = Signal()  # another store was opened: the chosen facets no longer apply

    def __init__(self, store: Workspace | None = None, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._columns: FigureColumns | None = None
        self._query = FigureQuery()
        self._ids = np.zeros(0, np.int64)
        # Page number -> its rows (None: a figure gone since the ids were picked), and the cells' texts of
        # each row, formatted on its first paint; both emptied whenever the rows may have changed.
        self._pages: dict[int, list[FigureRow | None]] = {}
        self._texts: dict[int, list[list[str] | None]] = {}

    # --- the query ----------------------------------------------------------------
    @property
    def query(self) -> FigureQuery:
        return self._query

    @property
    def columns(self) -> FigureColumns | None:
        """The store's figure columns the rows are picked from (None before a store is open)."""
        return self._columns

    @property
    def total(self) -> int:
        """Figures in the store (the most rows any query can have)."""
        return len(self._columns) if self._columns is not None else 0

    @property
    def ids(self) -> np.ndarray:
        """The figure ids of the rows, in order."""
        return self._ids

    def set_store(self, store: Workspace | None, columns: FigureColumns | None = None) -> None:
        if store is not self._store and self._query.facets:
            # Facets name ids and texts of the store they were chosen in: another store starts without.
            self._query = self._query.with_(facets=())
            self.facetsDropped.emit()
        self._store, self._columns = store, columns
        self.set_query(self._query, force=True)

    def set_query(self, query: FigureQuery, force: bool = False) -> None:
        if query == self._query and not force:
            return
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._texts.clear()
        has_data = self._store is not None and self._columns is not None
        self._ids = self._columns.select(query) if has_data else np.zeros(0, np.int64)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._query, force=True)

    def row_data(self, row: int) -> FigureRow | None:
        if not 0 <= row < len(self._ids) or self._store is None:
            return None
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            page = self._load_page(page_number)
        return page[row - page_number * PAGE_SIZE]

    def _load_page(self, page_number: int) -> list[FigureRow | None]:
        if len(self._pages) >= MAX_CACHED_PAGES:
            oldest = next(iter(self._pages))
            self._pages.pop(oldest)
            self._texts.pop(oldest, None)
        ids = [int(i) for i in self._ids[page_number * PAGE_SIZE:(page_number + 1) * PAGE_SIZE]]
        by_id = {r.id: r for r in self._store.rows(ids)}  # each with its lineage state from the columns
        page = self._pages[page_number] = [by_id.get(i) for i in ids]
        self._texts[page_number] = [None] * len(page)
        return page

    def _cell_texts(self, row: int, found: FigureRow) -> list[str]:
        """Every cell's text of a row, formatted once per page load, not per paint."""
        page_number, at = divmod(row, PAGE_SIZE)
        texts = self._texts[page_number]  # made with the page (row_data loaded it)
        if texts[at] is None:
            texts[at] = [c.text(found) for c in COLUMNS]
        return texts[at]

    def row_of(self, figure_id: int) -> int | None:
        found = np.flatnonzero(self._ids == figure_id)
        return int(found[0]) if len(found) else None

    # --- QAbstractTableModel ------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # A view asks ~10 roles per cell per paint; most are not ours: answer those before any lookup.
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row_data(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_texts(index.row(), row)[index.column()]
        if role == Qt.ItemDataRole.EditRole and column.key in EDITABLE_FIELDS:
            return _EDITED_TEXT[column.key](row) or ""
        if role == FigureIdRole:
            return row.id
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return LINEAGE_TIPS[row.lineage] if column.key == "lineage" else row_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key == "value":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "lineage":
            return QBrush(readable(LINEAGE_COLOURS[row.lineage]))  # lightened on a dark page
        if role == Qt.ItemDataRole.ForegroundRole and column.key in ("status", "anchor"):
            colour = STATUS_COLOURS.get(row.status) if column.key == "status" else (
                None if row.anchor in ("exact", "moved") else "#b3261e")
            return QBrush(readable(colour)) if colour else None  # lightened on a dark page
        if role == Qt.ItemDataRole.FontRole and row.status in ("disputed", "rejected", "superseded"):
            font = QFont()
            font.setItalic(True)
            font.setStrikeOut(row.status in ("rejected", "superseded"))
            return font
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and COLUMNS[index.column()].key in EDITABLE_FIELDS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the edit; the row changes when the store has it (and the model is refreshed)."""
        key = COLUMNS[index.column()].key if index.isValid() else ""
        row = self.row_data(index.row()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or key not in EDITABLE_FIELDS or row is None:
            return False
        text = str(value).strip()
        if text == (_EDITED_TEXT[key](row) or ""):
            return False
        self.editRequested.emit(row.id, EDITABLE_FIELDS[key], text, row.version)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.set_query(self._query.with_(
            sort=COLUMNS[column].key, descending=order == Qt.SortOrder.DescendingOrder))
