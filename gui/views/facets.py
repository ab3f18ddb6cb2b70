"""The Facets pane beside the figures table: each facet's values with their counts in the current set.

Checking values narrows the table: values of one facet add up (OR), facets combine (AND), as in
Datasette. A facet's counts are those of the set with every *other* facet's choice applied, so the
values of a chosen facet keep their counts and can be added to. The counts come from
store.query.columns.FigureColumns.facet_counts (numpy bincounts); this pane only shows them.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.views.long_text import cut
from store.query import FACETS, facets_of
from store.values.display import counted

if TYPE_CHECKING:
    from store.query.facets import FacetCounts

TITLES = {"status": "Status", "unit": "Unit", "metric": "Metric", "period": "Period", "entity": "Entity",
          "cluster": "Cluster", "document": "Document"}
SHOWN = 8  # values listed per facet until "Show more"
MORE = 200  # after "Show more"
OPEN_AT_FIRST = ("status", "unit", "metric", "period")
ValueRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2  # "facet", "value" or "more"


def _tooltip(text: str) -> str:
    """A tooltip that shows the whole (untrusted) name as plain text, however Qt guesses its format."""
    return f"<p style='white-space:pre-wrap'>{html.escape(cut(text))}</p>"


class FacetsPanel(QWidget):
    changed = Signal()  # the user chose or cleared values: the table's query changes
    moreRequested = Signal()  # a facet shows more (or fewer) values: count again
    shown = Signal()  # the pane came into view (counts are skipped while it is hidden)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("facetsPanel")
        self._chosen: dict[str, set] = {}
        self._limits: dict[str, int] = {}
        self._open = set(OPEN_AT_FIRST)
        self._filling = False

        hint = QLabel("Tick values to filter", self)
        hint.setEnabled(False)  # the palette's quiet text colour, in light and dark
        font = hint.font()
        font.setBold(True)
        self.clear_button = QPushButton("Clear All", self)
        self.clear_button.setObjectName("clearFacets")
        self.clear_button.setAccessibleName("Clear all facets")
        self.clear_button.setToolTip("Uncheck every facet value")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(lambda: self.clear())

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("facetsTree")
        self.tree.setAccessibleName("Facets")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setIndentation(12)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The counts' column as wide as the widest count can be (set with the store): measuring every
        # item's text after each recount made Qt lay the pane out again, ~10 ms a keystroke.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.set_widest_count(999_999)
        self._facet_items: dict[str, QTreeWidgetItem] = {}
        for name in FACETS:
            item = QTreeWidgetItem([TITLES[name], ""])
            item.setData(0, KindRole, "facet")
            item.setData(0, ValueRole, name)
            item.setFont(0, font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(item)
            item.setExpanded(name in self._open)
            self._facet_items[name] = item
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.itemClicked.connect(self._item_clicked)
        self.tree.itemExpanded.connect(lambda item: self._open.add(item.data(0, ValueRole)))
        self.tree.itemCollapsed.connect(lambda item: self._open.discard(item.data(0, ValueRole)))

        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 0, 0)
        top.addWidget(hint, 1)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.setMinimumWidth(150)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.shown.emit()

    # --- what the user chose ----------------------------------------------------------
    def facets(self) -> tuple[tuple[str, tuple], ...]:
        """The choice as FigureQuery.facets."""
        return facets_of(self._chosen)

    def limits(self) -> dict[str, int]:
        return {name: self._limits.get(name, SHOWN) for name in FACETS}

    def choose(self, facet: str, value, on: bool = True) -> None:
        """Check or uncheck one value, as a click on its box does."""
        values = self._chosen.setdefault(facet, set())
        (values.add if on else values.discard)(value)
        if not values:
            del self._chosen[facet]
        self.clear_button.setEnabled(bool(self._chosen))
        self.changed.emit()

    def clear(self, emit: bool = True) -> None:
        had = bool(self._chosen)
        self._chosen.clear()
        self.clear_button.setEnabled(False)
        for item in self._facet_items.values():
            for i in range(item.childCount()):
                child = item.child(i)
                if child.data(0, KindRole) == "value":
                    blocked = self.tree.blockSignals(True)
                    child.setCheckState(0, Qt.CheckState.Unchecked)
                    self.tree.blockSignals(blocked)
        if emit and had:
            self.changed.emit()

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0 or item.data(0, KindRole) != "value":
            return
        self.choose(item.parent().data(0, ValueRole), item.data(0, ValueRole),
                    item.checkState(0) == Qt.CheckState.Checked)

    def _item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KindRole) == "more":
            name = item.parent().data(0, ValueRole)
            self._limits[name] = SHOWN if self._limits.get(name, SHOWN) > SHOWN else MORE
            self.moreRequested.emit()
        elif item.data(0, KindRole) == "value" and _column == 1:  # a click on the count toggles, as on the name
            item.setCheckState(0, Qt.CheckState.Unchecked if item.checkState(0) == Qt.CheckState.Checked
                               else Qt.CheckState.Checked)

    # --- the counts ---------------------------------------------------------------------
    def set_widest_count(self, count: int) -> None:
        width = self.tree.fontMetrics().horizontalAdvance(f"{count:,}") + 16
        if width != self.tree.header().sectionSize(1):
            self.tree.header().resizeSection(1, width)

    def set_counts(self, counts: dict[str, FacetCounts]) -> None:
        """Show each facet's values and counts (from FigureColumns.facet_counts)."""
        self._filling = True
        try:
            grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            for name in FACETS:
                self._fill(self._facet_items[name], counts.get(name), grey)
        finally:
            self._filling = False

    def _fill(self, parent: QTreeWidgetItem, found: FacetCounts | None, grey: QBrush) -> None:
        name = parent.data(0, ValueRole)
        if found is None:
            parent.takeChildren()
            parent.setText(1, "")
            return
        chosen = self._chosen.get(name, set())
        title = TITLES[name] + (f" \u00b7 {len(chosen)} chosen" if chosen else "")
        if parent.text(0) != title:
            parent.setText(0, title)
        tip = f"{TITLES[name]}: {counted(found.distinct, 'value')} among {counted(found.figures, 'figure')}"
        if parent.toolTip(0) != tip:
            parent.setToolTip(0, tip)
        listed = sum(1 for v in found.values if v.count)
        more = None
        if found.distinct > listed or self._limits.get(name, SHOWN) > SHOWN:
            more = "Show fewer" if self._limits.get(name, SHOWN) > SHOWN else f"Show more ({found.distinct - listed:,} more)"
        kept = [parent.child(i) for i in range(parent.childCount())]
        values = [c for c in kept if c.data(0, KindRole) == "value"]
        if [c.data(0, ValueRole) for c in values] == [v.value for v in found.values] and \
                (more is None) == (len(kept) == len(values)):
            # The same values as before (a keystroke changes counts, rarely the list): change texts in
            # place, without the pane being laid out again.
            for item, value in zip(values, found.values):
                self._show_value(item, value, chosen, grey)
            if more is not None and kept[-1].text(0) != more:
                kept[-1].setText(0, more)
            return
        parent.takeChildren()
        children = []
        for value in found.values:
            item = QTreeWidgetItem()
            item.setData(0, KindRole, "value")
            item.setData(0, ValueRole, value.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setCheckState(0, Qt.CheckState.Unchecked)  # a box to tick, from the start
            self._show_value(item, value, chosen, grey)
            children.append(item)
        if more is not None:
            item = QTreeWidgetItem([more, ""])
            item.setData(0, KindRole, "more")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont(item.font(0))
            font.setItalic(True)
            item.setFont(0, font)
            children.append(item)
        parent.addChildren(children)
        parent.setExpanded(name in self._open)

    @staticmethod
    def _show_value(item: QTreeWidgetItem, value, chosen: set, grey: QBrush) -> None:
        count = f"{value.count:,}"
        if item.text(0) != value.label:
            item.setText(0, value.label)
        if item.text(1) != count:
            item.setText(1, count)
            item.setToolTip(0, _tooltip(f"{value.label}\n{counted(value.count, 'figure')}"))
            item.setToolTip(1, item.toolTip(0))
            item.setData(0, Qt.ItemDataRole.ForegroundRole, None if value.count else grey)
            item.setData(1, Qt.ItemDataRole.ForegroundRole, None if value.count else grey)
        state = Qt.CheckState.Checked if value.value in chosen else Qt.CheckState.Unchecked
        if item.checkState(0) != state:
            item.setCheckState(0, state)
