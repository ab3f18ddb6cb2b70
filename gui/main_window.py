"""The main window: tree dock, figures and pivot tabs, charts and document docks, menus."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMenu, QMessageBox, QTabWidget,
    QVBoxLayout, QWidget,
)

from gui.accessibility import name_and_order, name_dock_tabs
from gui.charts import ChartsPanel
from gui.citation_dialog import CitationEditor
from gui.clipboard import copy_text, selection_tsv
from gui.conflicts_view import ConflictsView
from gui.curation import Curator
from gui.document_view import DocumentView
from gui.figures_model import FiguresTableModel
from gui.figures_panel import FiguresPanel
from gui.exporting import Exporter
from gui.importing import Importer
from gui.linking import Linker
from gui.versions import OrphansView, Versions
from gui.names import NameLanguage, connect_views, shown
from gui.notes import Notes
from gui.sources_panel import (SourcesPanel, connect_lineage, refresh_lineage, show_dock,
                               store_opened as sources_store_opened)
from gui.annotations_panel import AnnotationsPanel
from gui.pivot import PivotView
from gui.resources import app_icon
from gui.selection import SelectionState
from gui.shortcuts import bind
from gui.store_safety import DamagedResult, StoreSafety
from gui.tree_panel import ClusterTreePanel
from gui.workers import run_task
from store.config import resolve_db_url, sqlite_path
from store.display import counted, format_value
from store.periods import period_label

if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.core import Store

APP_TITLE = "Cluster Explorer"
DEFAULT_SIZE = QSize(1280, 800)
LAYOUT_VERSION = 2  # 2: the annotations dock


def load_store(url: str | None):
    """Worker: open (first start: create and seed) the store and read what the window shows first:
    the figure columns the views filter and sort in, the tree counted from them, the documents."""
    from store.columns import FigureColumns
    from store.core import open_store
    from store.documents import list_documents
    from store.taxonomy import build_tree
    from store.config import ENV_VAR, redact
    from store.errors import StoreError
    from store.health import DamagedStore
    try:
        store = open_store(url)
    except DamagedStore as exc:
        return DamagedResult(str(exc), sqlite_path(resolve_db_url(url)), exc.backup)
    except StoreError:
        raise  # a refusal, said fit to show (a foreign database, a newer store, a folder that is not there)
    except Exception as exc:  # noqa: BLE001 - a library's own words may quote the URL with its password
        import os

        raise StoreError(redact(f"{type(exc).__name__}: {exc}", url or os.environ.get(ENV_VAR))) from exc
    with store.read() as session:
        columns = FigureColumns.load(session)
    refresh_lineage(store, columns)
    with store.read() as session:
        return (store, build_tree(session, columns.cluster_counts()),
                list_documents(session, columns.document_counts()), columns)


class MainWindow(QMainWindow):
    storeOpened = Signal()  # a store was opened and shown (start-up imports wait for it)

    def __init__(self, settings: QSettings, db_url: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.db_url = db_url
        self.store: Store | None = None
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self.resize(DEFAULT_SIZE)

        self.selection = SelectionState()
        self.name_language = NameLanguage(settings, self)
        self.safety = StoreSafety(self)
        self._build_centre()
        self._build_docks()
        self.linker = Linker(self, self.selection)
        self.curator = Curator(self)
        self.notes = Notes(self)
        self.exporter = Exporter(self)
        self.importer = Importer(self)
        self.versions = Versions(self)
        self.citations = CitationEditor(self)
        self.conflicts_view.resolved.connect(lambda action_id: self.curator.adopt("Resolve conflict", action_id))
        self.conflicts_view.failed.connect(lambda message: self.show_error("The conflict was not resolved.", message))
        self._build_menus()
        connect_views(self.name_language, lambda: self.linker.columns, self.figures_panel.model,
                      self.tree_panel.model, lambda: (self.conflicts_view.refresh(), self.tree_panel.announce_scope()))
        connect_lineage(self.linker.data_written, lambda: self.store, lambda: self.linker.columns,
                        self.figures_panel.model, self.tree_panel.model, self.sources_panel)
        self.document_view.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.document_view.editor.customContextMenuRequested.connect(self._document_menu)
        table = self.figures_panel.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._table_menu)
        self.statusBar().showMessage("Opening the store\u2026")
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._restore_layout()
        name_and_order(self)

    # --- construction ---------------------------------------------------------------
    def _build_centre(self) -> None:
        self.scope_label = QLabel("Loading\u2026")
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scope_label.setObjectName("scopeLabel")
        font = self.scope_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.scope_label.setFont(font)
        self.metric_combo = QComboBox()
        self.metric_combo.setObjectName("metricCombo")
        self.metric_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.metric_combo.setMinimumContentsLength(24)
        self.metric_combo.setToolTip("The metric the charts and the pivot compare")

        self.figures_panel = FiguresPanel(FiguresTableModel(), self)
        self.pivot = PivotView(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.figures_panel, "Figures")
        self.tabs.addTab(self.pivot, "Pivot")
        self.conflicts_view = ConflictsView(self)
        self.tabs.addTab(self.conflicts_view, "Conflicts")
        self.orphans_view = OrphansView(self)
        self.tabs.addTab(self.orphans_view, "Orphans")

        bar = QHBoxLayout()
        bar.addWidget(self.scope_label, 1)
        bar.addWidget(QLabel("Metric:"))
        bar.addWidget(self.metric_combo)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.safety.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(centre)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.tree_panel = ClusterTreePanel(self)
        self.charts = ChartsPanel(self)
        self.document_view = DocumentView(self)
        self.tree_dock = self._dock("Clusters", "clustersDock", self.tree_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.document_dock = self._dock("Document", "documentDock", self.document_view, Qt.DockWidgetArea.RightDockWidgetArea)
        self.charts_dock = self._dock("Charts", "chartsDock", self.charts, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.annotations_panel = AnnotationsPanel(self)
        self.annotations_dock = self._dock("Annotations", "annotationsDock", self.annotations_panel,
                                           Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.document_dock, self.annotations_dock)
        self.document_dock.raise_()
        self.sources_panel = SourcesPanel(
            self.selection, lambda figure_id: self.linker.columns.lineage_of([figure_id])[0] if self.linker.columns else "",
            lambda label, action_id: self.curator.adopt(label, action_id), self.show_error, self)
        self.sources_dock = self._dock("Sources", "sourcesDock", self.sources_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        # Wide, beside the charts: the list beside the source's words, while the Document dock keeps the
        # figure's own sentence in view. Shown when asked for (Figure > Official Sources), so the charts
        # keep their height until then.
        self.tabifyDockWidget(self.charts_dock, self.sources_dock)
        self.charts_dock.raise_()
        self.sources_dock.hide()
        # The tree keeps the full height on the left; the charts sit under the table and the document.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tree_panel.setMinimumWidth(180)
        self.document_view.setMinimumWidth(220)
        self.resizeDocks([self.tree_dock, self.document_dock], [300, 430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.charts_dock], [300], Qt.Orientation.Vertical)

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = bind(QAction(text, self), shortcut)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Open Store\u2026", self.choose_store, QKeySequence.StandardKey.Open,
                     "Open another Cluster Explorer store file")
        file_menu.addSeparator()
        for action in (
            self._action(file_menu, "&Import Documents\u2026", self.importer.choose_files, "Ctrl+I",
                         "Import text or HTML files; their figures become candidates to review (or drop files here)"),
            self._action(file_menu, "Import New &Version of Document\u2026", self.versions.choose_new_version, None,
                         "Replace the open document's text; every figure is re-placed on the new words")):
            action.setProperty("writes", True)
        self._action(file_menu, "&Export Figures\u2026", self.exporter.export, "Ctrl+Shift+E",
                     "Export the selected figures, or the whole view, with their sources")
        charts_menu = file_menu.addMenu("Save &Chart")
        self._action(charts_menu, "&Comparison Chart\u2026", lambda: self.exporter.save_chart("comparison"))
        self._action(charts_menu, "&Trend Chart\u2026", lambda: self.exporter.save_chart("trend"))
        self._action(charts_menu, "Comparison Chart with the &Selection\u2026",
                     lambda: self.exporter.save_chart("comparison", highlight=True))
        self._action(charts_menu, "Trend Chart with the S&election\u2026", lambda: self.exporter.save_chart("trend", highlight=True))
        file_menu.addSeparator()
        self.safety.add_actions(file_menu)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self._action(edit_menu, "&Copy Rows", self.copy_rows, QKeySequence.StandardKey.Copy,
                     "Copy the selected figures as tab-separated text with headers")
        self._action(edit_menu, "Select &All Figures", self.figures_panel.table.selectAll, QKeySequence.StandardKey.SelectAll)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find Figures", self.focus_filter, QKeySequence.StandardKey.Find)
        self._action(edit_menu, "Filter C&lusters", self.focus_tree_filter, "Ctrl+L")
        figure_menu = bar.addMenu("Fi&gure")
        document_menu = bar.addMenu("&Document")
        self.citations.add_actions(document_menu)
        review_menu = bar.addMenu("&Review")
        self.curator.add_actions(edit_menu, figure_menu, review_menu)
        figure_menu.addSeparator()
        self._action(figure_menu, "Official &Sources", lambda: show_dock(self.sources_dock), "Ctrl+Shift+O",
                     "What official sources say of the selected figure; open one beside it")

        view_menu = bar.addMenu("&View")
        self._action(view_menu, "&Figures", lambda: self.tabs.setCurrentWidget(self.figures_panel), "Alt+1")
        self._action(view_menu, "&Pivot", lambda: self.tabs.setCurrentWidget(self.pivot), "Alt+2")
        self._action(view_menu, "&Conflicts", lambda: self.tabs.setCurrentWidget(self.conflicts_view), "Alt+3")
        self._action(view_menu, "&Orphans", lambda: self.tabs.setCurrentWidget(self.orphans_view), "Alt+4")
        view_menu.addSeparator()
        for dock, key in ((self.tree_dock, "Ctrl+Shift+T"), (self.charts_dock, "Ctrl+Shift+C"),
                          (self.document_dock, "Ctrl+Shift+D"), (self.annotations_dock, "Ctrl+Shift+L"),
                          (self.sources_dock, None)):
            view_menu.addAction(bind(dock.toggleViewAction(), key))
        view_menu.addSeparator()
        self.name_language.add_menu(view_menu)
        self._action(view_menu, "&Reset Layout", self.reset_layout)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Guide", self.show_guide, QKeySequence.StandardKey.HelpContents,
                     "What a figure, an anchor, a review status and a conflict are; the main keys")
        self._action(help_menu, "&Keyboard Shortcuts", self.show_shortcuts)
        if sys.platform.startswith("linux"):
            self._action(help_menu, "Add to Applications &Menu", self.add_launcher,
                         tip="Put Cluster Explorer in the desktop's applications menu, with its icon")
        self._action(help_menu, "&About Cluster Explorer", self.show_about)

    # --- store ------------------------------------------------------------------------
    def open_store_async(self, url: str | None = None) -> None:
        self.db_url = url if url is not None else self.db_url
        gc.unfreeze()  # the store being replaced may leave cycles behind: let the collector see them again
        self.statusBar().showMessage("Opening the store\u2026 (the first start loads the seed documents)")
        self.figures_panel.empty_label.setText("Opening the store\u2026")
        self.figures_panel.stack.setCurrentWidget(self.figures_panel.empty_label)
        run_task(lambda: load_store(self.db_url), self._store_loaded, self._store_failed)

    def _store_loaded(self, result) -> None:
        if isinstance(result, DamagedResult):
            self._store_failed(result.message, quiet=True)
            self.safety.store_damaged(result)
            return
        store, tree, documents, columns = result
        columns.set_language(self.name_language.language)
        if self.store is not None:
            self.store.close()
        self.store = store
        self.linker.set_store(store, tree, documents, columns)
        sources_store_opened(store, columns, self.tree_panel.model, self.sources_panel)
        # What the store loaded lives as long as the window; every full collection would walk it again
        # (100 ms at a million figures: a visible hitch in a selection). Frozen, the collector skips it.
        gc.freeze()
        self.safety.store_opened(store)
        name = store.path.name if store.path else store.where
        self.setWindowTitle(f"{APP_TITLE} \u2014 {name}{' (read-only)' if store.read_only else ''}")
        self.statusBar().showMessage(f"Store: {store.where}", 8000)
        self._restore_tree_selection()
        self.storeOpened.emit()

    def _store_failed(self, message: str, quiet: bool = False) -> None:
        self.statusBar().showMessage("The store could not be opened.")
        self.scope_label.setText("No store open")
        self.figures_panel.empty_label.setText(f"The store could not be opened.\n\n{message}\n\nUse File \u203a Open Store\u2026 to choose another.")
        self.figures_panel.stack.setCurrentWidget(self.figures_panel.empty_label)
        if quiet:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, "The store could not be opened.", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(message)
        box.open()

    def choose_store(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open Store", "", "Cluster Explorer stores (*.sqlite3 *.sqlite *.db);;All files (*)")
        if path:
            self.open_store_async(resolve_db_url(path))

    # --- actions ------------------------------------------------------------------------
    def copy_rows(self) -> None:
        if self.tabs.currentWidget() is self.pivot:
            if self.pivot.table().selectionModel().hasSelection():
                text = selection_tsv(self.pivot.table(), "Cluster or entity")
                copy_text(text)
                self.statusBar().showMessage(f"Copied {counted(text.count(chr(10)) - 1, 'pivot row')}", 4000)
            return
        if self.figures_panel.table.selectionModel().hasSelection():
            text = self.figures_panel.copy_selection()
            self.statusBar().showMessage(f"Copied {counted(text.count(chr(10)) - 1, 'row')}", 4000)

    def focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.figures_panel)
        self.figures_panel.filter_edit.setFocus()
        self.figures_panel.filter_edit.selectAll()

    def focus_tree_filter(self) -> None:
        self.tree_dock.show()
        self.tree_panel.filter_edit.setFocus()
        self.tree_panel.filter_edit.selectAll()

    def show_figure_status(self, row: dict | None, count: int) -> None:
        if row is None:
            self.statusBar().clearMessage()
            return
        value = format_value(row["value_text"], row["unit"], row["value_max_text"])
        where = f"{row['doc']} [{row['start']}:{row['end']}]"
        more = f"  (+{count - 1} more selected)" if count > 1 else ""
        period = period_label(row["period"]) or "no period"
        self.statusBar().showMessage(f"{shown(row, 'metric')}: {row['qualifier']} {value}, {period} \u2014 {where}{more}")

    def show_error(self, text: str, detail: str) -> None:
        """A refusal or failure, as plain text (store messages quote user text), without blocking."""
        self.last_error = (text, detail)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(detail)
        box.open()
        self.statusBar().showMessage(f"{text} {detail}", 10000)

    def show_new_figure(self, figure_id: int) -> None:
        """Select a figure just added; widen the scope to every figure if the current one does not hold it."""
        if self.figures_panel.model.row_of(figure_id) is None:
            self.tree_panel.select("all", "all")
        self.selection.set_figures([figure_id], self)

    def annotate(self):
        return self.notes.annotate()

    def annotate_words(self):
        return self.notes.annotate(prefer_words=True)

    def show_history(self):
        return self.notes.show_history()

    def _table_menu(self, pos) -> None:
        """The actions on selected figures, where the user is pointing (same as the menus)."""
        menu = QMenu(self)
        names = ("&Copy Rows", "&Export Figures\u2026", None, "&Edit Figure\u2026", "&Annotate\u2026",
                 "&History\u2026", "Official &Sources", None, "&Verify", "&Dispute\u2026", "&Reject")
        actions = {a.text(): a for m in self.menuBar().actions() if m.menu() for a in m.menu().actions()}
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name in actions:
                menu.addAction(actions[name])
        menu.exec(self.figures_panel.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _document_menu(self, pos) -> None:
        menu = self.document_view.editor.createStandardContextMenu()
        menu.addSeparator()
        has_words = self.document_view.selected_text_span() is not None
        for text, slot in (("Add Figure from Selection\u2026", self.curator.add_figure_from_selection),
                           ("Annotate Selection\u2026", self.annotate_words)):
            action = menu.addAction(text, slot)
            action.setEnabled(has_words)
        menu.addAction("Edit Citation\u2026", self.citations.edit).setEnabled(
            self.store is not None and not self.store.read_only)
        menu.exec(self.document_view.editor.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in (self.tree_dock, self.document_dock, self.charts_dock, self.annotations_dock, self.sources_dock):
            dock.show()
        name_dock_tabs(self)

    def show_guide(self):
        from gui.help_boxes import show_guide
        return show_guide(self)

    def show_shortcuts(self):
        from gui.help_boxes import show_shortcuts
        return show_shortcuts(self)

    def add_launcher(self) -> None:
        from gui.launcher import add_to_menu

        add_to_menu(self)

    def show_about(self):
        from gui.help_boxes import show_about
        return show_about(self)

    # --- settings ---------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)
        self.figures_panel.restore_state(self.settings)

    def _restore_tree_selection(self) -> None:
        kind, key = self.settings.value("tree/selected", ["all", "all"]) or ["all", "all"]
        if not self.tree_panel.select(kind, key):
            self.tree_panel.select("all", "all")

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.figures_panel.save_state(self.settings)
        rows = self.tree_panel.view.selectionModel().selectedRows()
        if rows:
            node = self.tree_panel.model.node(self.tree_panel.proxy.mapToSource(rows[0]))
            self.settings.setValue("tree/selected", [node.kind, node.key])
        self.settings.sync()

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.store is not None and self.importer.dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = self.importer.dropped_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.importer.import_files(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        gc.unfreeze()
        self.save_settings()
        if self.store is not None:
            self.store.close()
        super().closeEvent(event)
