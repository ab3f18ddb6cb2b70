"""The cluster tree dock: a filter box over the taxonomy tree; selecting nodes sets the scope."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from gui.names import node_name
from gui.selection import Scope
from gui.views.tree_model import BothNamesRole, ClusterTreeModel
from store.query.tree_node import TreeNode


class ClusterTreePanel(QWidget):
    scopeChanged = Signal(object)  # Scope

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = ClusterTreeModel(self)
        # The tree holds at most a few thousand nodes, so a proxy is cheap here
        # (unlike the figures table, which never uses one).
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterRole(BothNamesRole)  # a name in either language: 机器人 finds the robot clusters

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter clusters\u2026")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)

        self.view = QTreeView(self)
        self.view.setObjectName("clusterTree")
        self.view.setModel(self.proxy)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setIndentation(12)  # deep groupings would otherwise push names out of a narrow dock
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)

    def set_root(self, root: TreeNode | None) -> None:
        expanded = self._expanded_keys()
        selected = [self.model.node(self.proxy.mapToSource(i)) for i in self.view.selectionModel().selectedRows()]
        self.model.set_root(root)
        if not expanded:
            self.view.expandToDepth(0)
        else:
            self._expand_keys(expanded)
        for node in selected:
            if node is not None:
                self.select(node.kind, node.key, emit=False)

    def _expanded_keys(self) -> set[tuple[str, str]]:
        keys = set()
        for row in range(self.proxy.rowCount()):
            self._collect_expanded(self.proxy.index(row, 0), keys)
        return keys

    def _collect_expanded(self, index, keys) -> None:
        if self.view.isExpanded(index):
            node = self.model.node(self.proxy.mapToSource(index))
            keys.add((node.kind, node.key))
            for row in range(self.proxy.rowCount(index)):
                self._collect_expanded(self.proxy.index(row, 0, index), keys)

    def _expand_keys(self, keys) -> None:
        for kind, key in keys:
            index = self.proxy.mapFromSource(self.model.index_of(kind, key))
            if index.isValid():
                self.view.expand(index)

    def select(self, kind: str, key: str, emit: bool = True) -> bool:
        index = self.proxy.mapFromSource(self.model.index_of(kind, key))
        if not index.isValid():
            return False
        blocked = self.blockSignals(not emit)
        try:
            self.view.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        finally:
            self.blockSignals(blocked)
        return True

    def selected_node(self) -> TreeNode | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.node(self.proxy.mapToSource(rows[0])) if rows else None

    def select_cluster_id(self, cluster_id: int) -> bool:
        key = self.model.key_of_cluster(cluster_id)
        return key is not None and self.select("cluster", key)

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()

    def current_scope(self) -> Scope:
        nodes = [self.model.node(self.proxy.mapToSource(i)) for i in self.view.selectionModel().selectedRows()]
        nodes = [n for n in nodes if n is not None]
        if not nodes or any(n.kind == "all" for n in nodes):
            return Scope()
        ids = frozenset().union(*(n.cluster_ids for n in nodes))
        unclustered = any(n.kind == "unclustered" for n in nodes)
        label = node_name(nodes[0]) if len(nodes) == 1 else f"{len(nodes)} tree nodes"
        return Scope(ids, unclustered, label)

    def _selection_changed(self, *_args) -> None:
        self.scopeChanged.emit(self.current_scope())

    def announce_scope(self) -> None:
        """Say the scope again (its label follows the language of names)."""
        self._selection_changed()
