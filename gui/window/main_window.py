"""The main window: tree dock, figures and pivot tabs, charts and document docks, menus."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import actions as acts
from gui.actions import ActionSet
from gui.controllers.citation import CitationEditor
from gui.controllers.curation import Curator
from gui.controllers.exporting import Exporter
from gui.controllers.importing import Importer
from gui.controllers.linking import Linker, Views
from gui.controllers.notes import Notes
from gui.controllers.store_safety import DamagedResult, StoreSafety
from gui.controllers.versions import OrphansView, Versions
from gui.events import Events, Messages
from gui.names import NameLanguage, connect_views
from gui.resources import app_icon
from gui.selection import Selection
from gui.shortcuts import bind
from gui.theme import ThemeMenu
from gui.views.annotations import AnnotationsPanel
from gui.views.charts import ChartsPanel
from gui.views.clipboard import copy_text, selection_tsv
from gui.views.conflicts import ConflictsView
from gui.views.document import DocumentView
from gui.views.figures_model import COLUMNS, FiguresTableModel
from gui.views.figures_panel import FiguresPanel
from gui.views.first_screen import FirstScreen
from gui.views.metric_combo import MetricCombo
from gui.views.pivot import PivotView
from gui.views.sources import SourcesPanel, connect_lineage, show_dock
from gui.views.tree_panel import ClusterTreePanel
from gui.window.accessibility import name_and_order, name_dock_tabs
from gui.window.window_fit import WindowFit
from gui.workers import run_task
from store.opening.config import resolve_db_url, sqlite_path
from store.values.display import counted

if TYPE_CHECKING:  # for annotations only: the store's modules load after the first paint
    from store.opening.core import Store
    from store.workspace import Workspace

APP_TITLE = "Cluster Explorer"
DEFAULT_SIZE = QSize(1280, 800)
LAYOUT_VERSION = 2  # 2: the annotations dock


def load_store(url: str | None):
    """Worker: open (first start: create and seed) the store and read what the window shows first
    (a store.workspace.Workspace: the figure columns, the tree counted from them, the documents)."""
    from store.errors import StoreError
    from store.opening.config import ENV_VAR, redact
    from store.opening.core import open_store
    from store.opening.health import DamagedStore
    from store.workspace import Workspace
    try:
        store = open_store(url)
    except DamagedStore as exc:
        return DamagedResult(str(exc), sqlite_path(resolve_db_url(url)), exc.backup)
    except StoreError:
        raise  # a refusal, said fit to show (a foreign database, a newer store, a folder that is not there)
    except Exception as exc:  # noqa: BLE001 - a library's own words may quote the URL with its password
        import os

        raise StoreError(redact(f"{type(exc).__name__}: {exc}", url or os.environ.get(ENV_VAR))) from exc
    return Workspace.load(store)


class MainWindow(QMainWindow):
    storeOpened = Signal()  # a store was opened and shown (start-up imports wait for it)

    def __init__(self, settings: QSettings, db_url: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.db_url = db_url
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self.resize(DEFAULT_SIZE)

        self.selection = Selection(self)
        self.name_language = NameLanguage(settings, self)
        self.events = Events(self)
        self.messages = Messages(status=self._status, error=self.show_error,
                                 current=lambda: self.statusBar().currentMessage())
        self.menu_actions = ActionSet(self)
        self.safety = StoreSafety(self, self.events, self.messages, self.menu_actions, self.open_store_async,
                                  self.choose_store)
        self._build_centre()
        self._build_docks()
        self._build_controllers()
        self.first_screen = FirstScreen(self.selection, self.figures_panel, self.document_view, self.charts)
        self._build_menus()
        connect_views(self.name_language, lambda: self.linker.columns, self.figures_panel.model,
                      self.tree_panel.model, lambda: (self.conflicts_view.refresh(), self.tree_panel.announce_scope()))
        connect_lineage(self.events, self.figures_panel.model, self.tree_panel.model, self.sources_panel)
        self.document_view.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.document_view.editor.customContextMenuRequested.connect(self._document_menu)
        table = self.figures_panel.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._table_menu)
        self.setAcceptDrops(True)
        self.statusBar().showMessage("Opening the store\u2026")
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._restore_layout()
        self.window_fit = WindowFit(
            self, [self.tree_dock, self.document_dock], [self.charts_dock], self.figures_panel.table,
            [c.key for c in COLUMNS], [(self.metric_combo, "The metric the charts and the pivot compare"),
                                       (self.document_view.chooser, "The document shown; choose another to read it")],
            restored=settings.contains("window/state"), header_restored=settings.contains("figures/header"))
        name_and_order(self)

    @property
    def workspace(self) -> Workspace | None:
        return self.events.workspace

    @property
    def store(self) -> Store | None:
        return self.events.workspace.store if self.events.workspace is not None else None

    # --- construction ---------------------------------------------------------------
    def _build_centre(self) -> None:
        self.scope_label = QLabel("Loading\u2026")
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scope_label.setObjectName("scopeLabel")
        font = self.scope_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.scope_label.setFont(font)
        self.metric_combo = MetricCombo()

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
        # Facets under the tree: the left column has height to spare, the table keeps its width.
        self.facets_dock = self._dock("Facets", "facetsDock", self.figures_panel.facets_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.splitDockWidget(self.tree_dock, self.facets_dock, Qt.Orientation.Vertical)
        self.document_dock.raise_()
        self.sources_panel = SourcesPanel(
            self.selection, lambda figure_id: self.linker.columns.lineage_of([figure_id])[0] if self.linker.columns else "",
            lambda label, changes: self.curator.adopt(label, changes), self.show_error, self)
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

    def _build_controllers(self) -> None:
        """The controllers, each given what it uses (never the window)."""
        events, selection, messages, settings = self.events, self.selection, self.messages, self.settings
        show_document = self.document_dock.show
        self.linker = Linker(Views(self.scope_label, self.metric_combo, self.tree_panel, self.figures_panel,
                                   self.charts, self.pivot, self.conflicts_view, self.document_view,
                                   self.annotations_panel), selection, events, self._figure_status, self)
        self.curator = Curator(self, events, selection, messages, self.figures_panel, self.tree_panel,
                               self.document_view, lambda: self.linker.metrics, self.safety.save_refused)
        self.safety.restoring.connect(self.curator.stack.clear)
        self.notes = Notes(self, events, selection, messages, self.curator, self.annotations_panel,
                           self.document_view, self.tree_panel, show_document)
        self.exporter = Exporter(self, events, messages, settings, self.tabs, self.figures_panel, self.pivot,
                                 self.conflicts_view, self.charts)
        self.importer = Importer(self, events, selection, messages, self.curator, settings, show_document)
        self.versions = Versions(self, events, selection, messages, self.curator, self.orphans_view, self.tabs,
                                 self.document_view, self.linker.in_scope, settings)
        self.citations = CitationEditor(self, events, messages, self.curator, self.document_view)
        self.conflicts_view.resolved.connect(lambda changes: self.curator.adopt("Resolve conflict", changes))
        self.conflicts_view.failed.connect(lambda message: self.show_error("The conflict was not resolved.", message))

    def _status(self, text: str, ms: int = 0) -> None:
        self.statusBar().showMessage(text, ms)

    def _figure_status(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _build_menus(self) -> None:
        """Every menu action is an Act of gui.actions, made once here with the slot it runs."""
        add, curator, exporter = self.menu_actions.add, self.curator, self.exporter
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        add(file_menu, acts.OPEN_STORE, self.choose_store)
        file_menu.addSeparator()
        add(file_menu, acts.IMPORT, self.importer.choose_files)
        add(file_menu, acts.NEW_VERSION, self.versions.choose_new_version)
        add(file_menu, acts.EXPORT, exporter.export)
        charts_menu = file_menu.addMenu("Save &Chart")
        add(charts_menu, acts.SAVE_COMPARISON, lambda: exporter.save_chart("comparison"))
        add(charts_menu, acts.SAVE_TREND, lambda: exporter.save_chart("trend"))
        add(charts_menu, acts.SAVE_COMPARISON_SELECTION, lambda: exporter.save_chart("comparison", highlight=True))
        add(charts_menu, acts.SAVE_TREND_SELECTION, lambda: exporter.save_chart("trend", highlight=True))
        file_menu.addSeparator()
        self.safety.add_actions(file_menu)
        file_menu.addSeparator()
        add(file_menu, acts.QUIT, self.close)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions(list(curator.undo_actions()))
        edit_menu.addSeparator()
        add(edit_menu, acts.COPY_ROWS, self.copy_rows)
        add(edit_menu, acts.SELECT_ALL, self.figures_panel.table.selectAll)
        edit_menu.addSeparator()
        add(edit_menu, acts.FIND, self.focus_filter)
        add(edit_menu, acts.FILTER_TREE, self.focus_tree_filter)

        figure_menu = bar.addMenu("Fi&gure")
        add(figure_menu, acts.NEW_DOCUMENT, curator.new_document)
        add(figure_menu, acts.ADD_FIGURE, curator.add_figure_from_selection)
        add(figure_menu, acts.EDIT_FIGURE, curator.edit_figure)
        add(figure_menu, acts.REATTACH, self.versions.reattach)
        figure_menu.addSeparator()
        add(figure_menu, acts.ANNOTATE, self.notes.annotate)
        add(figure_menu, acts.HISTORY, self.notes.show_history)
        document_menu = bar.addMenu("&Document")
        add(document_menu, acts.EDIT_CITATION, self.citations.edit)

        review_menu = bar.addMenu("&Review")
        add(review_menu, acts.VERIFY, lambda: curator.set_status("verified"))
        add(review_menu, acts.DISPUTE, curator.dispute)
        add(review_menu, acts.REJECT, lambda: curator.set_status("rejected"))
        add(review_menu, acts.SUPERSEDE, curator.supersede)
        add(review_menu, acts.TO_CANDIDATE, lambda: curator.set_status("candidate"))
        review_menu.addSeparator()
        add(review_menu, acts.NEXT_TO_REVIEW, lambda: curator.next_in_queue(1))
        add(review_menu, acts.PREVIOUS_TO_REVIEW, lambda: curator.next_in_queue(-1))
        add(review_menu, acts.ADVANCE, lambda on: setattr(curator, "advance_after_review", on))
        figure_menu.addSeparator()
        add(figure_menu, acts.OFFICIAL_SOURCES, lambda: show_dock(self.sources_dock))

        view_menu = bar.addMenu("&View")
        add(view_menu, acts.SHOW_FIGURES, lambda: self.tabs.setCurrentWidget(self.figures_panel))
        add(view_menu, acts.SHOW_PIVOT, lambda: self.tabs.setCurrentWidget(self.pivot))
        add(view_menu, acts.SHOW_CONFLICTS, lambda: self.tabs.setCurrentWidget(self.conflicts_view))
        add(view_menu, acts.SHOW_ORPHANS, lambda: self.tabs.setCurrentWidget(self.orphans_view))
        view_menu.addSeparator()
        for dock, key in ((self.tree_dock, "Ctrl+Shift+T"), (self.charts_dock, "Ctrl+Shift+C"),
                          (self.document_dock, "Ctrl+Shift+D"), (self.annotations_dock, "Ctrl+Shift+L"),
                          (self.facets_dock, "Ctrl+Shift+F"), (self.sources_dock, None)):
            view_menu.addAction(bind(dock.toggleViewAction(), key))
        view_menu.addSeparator()
        self.name_language.add_menu(view_menu)
        add(view_menu, acts.RESET_LAYOUT, self.reset_layout)
        self.theme_menu = ThemeMenu(view_menu, self.settings, self)

        help_menu = bar.addMenu("&Help")
        add(help_menu, acts.GUIDE, self.show_guide)
        add(help_menu, acts.SHORTCUTS, self.show_shortcuts)
        if sys.platform.startswith("linux"):
            add(help_menu, acts.ADD_LAUNCHER, self.add_launcher)
        add(help_menu, acts.ABOUT, self.show_about)

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
        workspace: Workspace = result
        workspace.columns.set_language(self.name_language.language)
        self.events.close()
        self.events.open(workspace)
        store = workspace.store
        # What the store loaded lives as long as the window; every full collection would walk it again
        # (100 ms at a million figures: a visible hitch in a selection). Frozen, the collector skips it.
        gc.freeze()
        self.safety.store_opened(store)
        name = store.path.name if store.path else store.where
        self.setWindowTitle(f"{APP_TITLE} \u2014 {name}{' (read-only)' if store.read_only else ''}")
        self.statusBar().showMessage(f"Store: {store.where}", 8000)
        self._restore_tree_selection()
        self.first_screen.store_opened(workspace.columns)
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

    def show_error(self, text: str, detail: str) -> None:
        """A refusal or failure, as plain text (store messages quote user text), without blocking."""
        self.last_error = (text, detail)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(detail)
        box.open()
        self.statusBar().showMessage(f"{text} {detail}", 10000)

    def _table_menu(self, pos) -> None:
        """The actions on selected figures, where the user is pointing (same as the menus)."""
        menu = QMenu(self)
        self.menu_actions.fill(menu, acts.TABLE_MENU)
        menu.exec(self.figures_panel.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _document_menu(self, pos) -> None:
        menu = self.document_view.editor.createStandardContextMenu()
        menu.addSeparator()
        has_words = self.document_view.selected_text_span() is not None
        for text, slot in (("Add Figure from Selection\u2026", self.curator.add_figure_from_selection),
                           ("Annotate Selection\u2026", self.notes.annotate_words)):
            action = menu.addAction(text, slot)
            action.setEnabled(has_words)
        menu.addAction("Edit Citation\u2026", self.citations.edit).setEnabled(
            self.store is not None and not self.store.read_only)
        menu.exec(self.document_view.editor.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self.window_fit.docks.fit_to_window()
        for dock in (self.tree_dock, self.document_dock, self.charts_dock, self.annotations_dock, self.facets_dock,
                     self.sources_dock):
            dock.show()
        name_dock_tabs(self)

    def show_guide(self):
        from gui.dialogs.help import show_guide
        return show_guide(self)

    def show_shortcuts(self):
        from gui.dialogs.help import show_shortcuts
        return show_shortcuts(self)

    def add_launcher(self) -> None:
        from gui.launcher import add_to_menu

        add_to_menu(self)

    def show_about(self):
        from gui.dialogs.help import show_about
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
        self.events.close()
        super().closeEvent(event)
