"""The Sources panel: where the selected figure comes from, and what its official source says.

It lists the figures linked to the selected one (store.curation.lineage: the official figure a news figure
restates, or the restatements of an official figure) with their documents, quotes, values and
verdicts. Opening one shows its document in the panel's own document view, its words highlighted,
while the Document dock keeps the selected figure's sentence highlighted: both at once. A curator
confirms or removes a link here (buttons, context menu), as one undoable action each.
Everything shown is plain text: quotes and titles come from documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.selection import FiguresSelected, Selection
from gui.shortcuts import bind
from gui.views.document import DocumentView
from gui.views.figures_model import LINEAGE_COLOURS
from gui.views.pivot_data import tooltip_html
from store.values.display import format_value
from store.values.periods import period_label

if TYPE_CHECKING:
    from store.curation.lineage import Link, LinkEnd
    from store.workspace import Workspace

LinkRole = Qt.ItemDataRole.UserRole + 1  # the Link of a row
HEADERS = ("Verdict", "Link", "Value", "Period", "Document", "Quote")
VERDICTS = {"corroborates": "\u2713 corroborates", "rounds": "\u2713 rounds", "differs": "\u2260 differs"}
BADGES = {
    "official": "\u2713 official: an official source states the same value",
    "differs": "\u2260 differs from the official source",
    "": "\u2013 no official source found",
}


def other_end(link: Link, figure_id: int) -> LinkEnd:
    """The side of the link that is not the selected figure."""
    return link.source if link.figure.id == figure_id else link.figure


def _value(end: LinkEnd) -> str:
    try:
        return format_value(end.value, end.unit)
    except Exception:  # noqa: BLE001 - a value the formatter cannot read is shown as stored
        return f"{end.value} {end.unit}".strip()


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


class SourcesPanel(QWidget):
    def __init__(self, selection: Selection, state_of: Callable[[int], str], adopt: Callable[[str, object], None],
                 report_error: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selection = selection
        self._state_of = state_of  # figure id -> "official" | "differs" | "" (the window's numpy columns)
        self._adopt = adopt  # puts a written action on the window's undo stack and refreshes the views
        self._report_error = report_error
        self._store: Workspace | None = None  # the open store's workspace: reads and writes go through it
        self._figure_id: int | None = None
        self._stale = False  # the selection changed while the panel was hidden: read when shown

        self.badge = QLabel(BADGES[""])
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        self.badge.setWordWrap(True)
        font = QFont(self.badge.font())
        font.setBold(True)
        self.badge.setFont(font)

        self.list = QTreeWidget()
        self.list.setObjectName("sourcesList")
        self.list.setAccessibleName("Linked figures")
        self.list.setColumnCount(len(HEADERS))
        self.list.setHeaderLabels(list(HEADERS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemActivated.connect(lambda _item, _column: self.open_selected())
        self.list.itemClicked.connect(lambda _item, _column: self.open_selected())
        self.list.currentItemChanged.connect(lambda *_: self._enable())

        self.open_action = self._make_action("&Open Source", self.open_selected,
                                             "Show the linked figure in its document, beside the selected one")
        self.confirm_action = self._make_action("&Confirm Link", self.confirm_selected,
                                                "Say that the figure does restate its source (undoable)")
        self.remove_action = self._make_action("&Remove Link", self.remove_selected,
                                               "Say that the figure does not restate it; it is not proposed again (undoable)")
        buttons = QHBoxLayout()
        self.open_button, self.confirm_button, self.remove_button = (
            self._button(action, name) for action, name in ((self.open_action, "Open source"),
                                                            (self.confirm_action, "Confirm link"),
                                                            (self.remove_action, "Remove link")))
        for button in (self.open_button, self.confirm_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.badge)
        top_layout.addWidget(self.list, 1)
        top_layout.addLayout(buttons)

        self.source_view = DocumentView()  # the linked figure's document, beside the Document dock's
        self.source_view.setObjectName("sourceDocumentView")
        self.source_view.chooser.hide()  # it shows what a link opens, nothing else
        self.source_view.editor.setAccessibleName("Source document text")
        self.source_view.clear("Open a linked figure to read its document here, beside the selected figure's.")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.source_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        selection.figuresSelected.connect(self._figures_selected)
        self._enable()

    def _make_action(self, text: str, slot, tip: str) -> QAction:
        action = bind(QAction(text, self), None)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _button(self, action: QAction, name: str) -> QPushButton:
        button = QPushButton(action.text().replace("&", ""))
        button.setAccessibleName(name)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return button

    # --- data -----------------------------------------------------------------------------
    def set_store(self, store: Workspace | None) -> None:
        self._store = store
        self.refresh()

    def _show_badge(self) -> None:
        """The selected figure's lineage state, as the table's column says it."""
        state = self._state_of(self._figure_id) if self._figure_id is not None else ""
        shown = self.links_shown()
        if self._figure_id is None:
            text = "Select a figure to see its sources."
        elif not state and shown and all(link.source.id == self._figure_id for link in shown):
            text = f"\u25c6 an official source: {len(shown)} figure{'s' if len(shown) > 1 else ''} restate it"
        else:
            text = BADGES.get(state, BADGES[""])
        self.badge.setText(text)
        self.badge.setStyleSheet(f"color: {LINEAGE_COLOURS.get(state, LINEAGE_COLOURS[''])}")

    def _figures_selected(self, event: FiguresSelected) -> None:
        # The links shown are the first figure's; a write re-reads them itself (connect_lineage).
        if (event.ids[0] if event.ids else None) != self._figure_id:
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the selected figure's links again (after a selection or a write)."""
        if not self.isVisible():
            self._stale = True  # hidden (a tab behind the charts): nothing to read until it is shown
            return
        self._stale = False
        from store.errors import StoreError
        figures = self._selection.figures
        figure_id = figures[0] if figures and self._store is not None else None
        if figure_id != self._figure_id:
            self.source_view.clear("Open a linked figure to read its document here, beside the selected figure's.")
        self._figure_id = figure_id
        kept = self.current_link()
        self.list.clear()
        found: list[Link] = []
        if figure_id is not None:
            try:
                found = self._store.links([figure_id])
            except StoreError as exc:
                self._report_error("The sources could not be read.", str(exc))
        for link in found:
            end = other_end(link, figure_id)
            side = "its source" if end is link.source else "restates it"
            item = QTreeWidgetItem([
                VERDICTS.get(link.verdict, link.verdict), f"{side}, {link.status}", _value(end),
                period_label(end.period) or "\u2014", _one_line(end.doc_title), _one_line(end.quote),
            ])
            item.setData(0, LinkRole, link)
            item.setToolTip(5, tooltip_html(end.quote))  # escaped: Qt would guess a quote with tags is rich text
            item.setToolTip(4, tooltip_html(end.doc_title))
            item.setForeground(0, QColor(LINEAGE_COLOURS["differs" if link.verdict == "differs" else "official"]))
            self.list.addTopLevelItem(item)
            if kept is not None and link.id == kept.id:
                self.list.setCurrentItem(item)
        for column in range(len(HEADERS) - 1):
            self.list.resizeColumnToContents(column)
        self._show_badge()
        self._enable()

    def links_shown(self) -> list[Link]:
        return [self.list.topLevelItem(i).data(0, LinkRole) for i in range(self.list.topLevelItemCount())]

    def current_link(self) -> Link | None:
        item = self.list.currentItem()
        return item.data(0, LinkRole) if item is not None else None

    def _enable(self) -> None:
        link = self.current_link()
        writable = self._store is not None and not self._store.read_only
        self.open_action.setEnabled(link is not None)
        self.confirm_action.setEnabled(link is not None and writable and link.status != "confirmed")
        self.remove_action.setEnabled(link is not None and writable)
        for button, action in ((self.open_button, self.open_action), (self.confirm_button, self.confirm_action),
                               (self.remove_button, self.remove_action)):
            button.setEnabled(action.isEnabled())

    # --- actions ----------------------------------------------------------------------------
    def open_selected(self) -> None:
        """The linked figure's document in the panel's view, its words highlighted and in view."""
        link = self.current_link()
        if link is None or self._store is None or self._figure_id is None:
            return
        end = other_end(link, self._figure_id)
        found = self._store.document(end.doc)
        if found is None:
            self.source_view.clear("That document is no longer in the store.")
            return
        document, spans = found
        self.source_view.show_document(dict(document, id=end.doc), spans)
        self.source_view.set_selected([end.id])
        self._enable()

    def confirm_selected(self) -> None:
        from store.curation.lineage import confirm_link
        self._decide(confirm_link, "Confirm Source Link")

    def remove_selected(self) -> None:
        from store.curation.lineage import remove_link
        self._decide(remove_link, "Remove Source Link")

    def _decide(self, write, label: str) -> None:
        from store.errors import StoreError
        link = self.current_link()
        if link is None or self._store is None:
            return
        try:
            changes = self._store.write(write, link.id)
        except StoreError as exc:
            self._report_error(f"{label.replace(' Source', ' the source').capitalize()} failed.", str(exc))
            return
        if changes.action_id is not None:
            self._adopt(label, changes)

    def _menu(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is not None:
            self.list.setCurrentItem(item)
        menu = QMenu(self)
        for action in (self.open_action, self.confirm_action, self.remove_action):
            menu.addAction(action)
        menu.exec(self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()


def show_dock(dock) -> None:
    """Show a dock and bring its tab to the front."""
    dock.show()
    dock.raise_()


def connect_lineage(events, table_model, tree_model, panel: SourcesPanel) -> None:
    """The lineage column, the tree's ✓/≠ counts and the panel follow every opened store and every write
    (the workspace re-reads what official sources say when a write touched a link: store.workspace)."""
    def counts() -> None:
        workspace = events.workspace
        if workspace is not None:
            tree_model.set_lineage_counts(workspace.columns.lineage_counts())

    def opened(workspace) -> None:
        counts()
        panel.set_store(workspace)

    def refreshed(changes) -> None:
        if "lineage_links" in changes.tables:
            table_model.refresh()
        # The tree keeps its counts across a rebuild: they change only with a link or a figure's cluster
        # (an empty Changes is a reload: anything may have changed).
        if not changes.tables or changes.tables & {"lineage_links", "figures"}:
            counts()
        panel.refresh()

    events.opened.connect(opened)
    events.refreshed.connect(refreshed)
