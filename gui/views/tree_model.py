"""The cluster tree as a Qt model over the store's plain TreeNode objects.

Nodes are flattened into a list once; a QModelIndex carries the node's list
position as its internal id (no Python object pointers cross into Qt).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from gui.names import node_name
from gui.views.pivot_data import tooltip_html
from store.query.tree_node import TreeNode
from store.values.display import counted

NodeRole = Qt.ItemDataRole.UserRole + 1
BothNamesRole = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Cluster", "Figures", "Check")  # short headers: the tree dock is narrow
HEADER_TIPS = (
    "Clusters under each grouping; a cluster in two groupings appears under both",
    "Figures in the subtree",
    "\u26a0 in conflict with another source, \u2717 disputed, ? not yet reviewed, \u270e annotated, "
    "\u2713 corroborated by an official source, \u2260 differs from it",
)
NO_PARENT = -1


def attention_text(node: TreeNode) -> str:
    counts = node.counts
    parts = []
    if counts.conflicts:
        parts.append(f"\u26a0{counts.conflicts}")
    if counts.disputed:
        parts.append(f"\u2717{counts.disputed}")
    if counts.unreviewed:
        parts.append(f"?{counts.unreviewed}")
    if counts.annotations:
        parts.append(f"\u270e{counts.annotations}")
    return " ".join(parts)


def attention_tooltip(node: TreeNode) -> str:
    counts = node.counts
    return (
        f"{counted(counts.figures, 'figure')} in this subtree\n"
        f"\u26a0 {counts.conflicts} in conflict with another source\n"
        f"\u2717 {counts.disputed} disputed\n"
        f"? {counts.unreviewed} not yet reviewed\n"
        f"\u270e {counted(counts.annotations, 'annotation')}"
    )


def lineage_text(official: int, differs: int) -> str:
    """The tree's lineage count: "✓4 ≠1" (corroborated by an official source, differing from it)."""
    return " ".join(part for part in (f"\u2713{official}" if official else "", f"\u2260{differs}" if differs else "") if part)


def lineage_tooltip(official: int, differs: int) -> str:
    return (f"\u2713 {official} corroborated by an official source \u00b7 "
            f"\u2260 {differs} differ from their official source")


class ClusterTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._nodes: list[TreeNode] = []
        self._parent: list[int] = []
        self._row: list[int] = []
        self._children: list[list[int]] = []
        self._lineage: dict[int | None, tuple[int, int]] = {}  # per cluster id: (corroborated, differs)

    # --- loading -------------------------------------------------------------------
    def set_root(self, root: TreeNode | None) -> None:
        self.beginResetModel()
        self._nodes, self._parent, self._row, self._children = [], [], [], []
        if root is not None:
            self._add(root, NO_PARENT, 0)
        self.endResetModel()

    def update_counts(self, root: TreeNode) -> bool:
        """Take the counts of a tree with the same nodes (after an edit) without a reset, so the view
        keeps its selection, expansion and scroll; False if the structure differs."""
        fresh: list[TreeNode] = []

        def walk(node: TreeNode) -> None:
            fresh.append(node)
            for child in node.children:
                walk(child)

        walk(root)
        if [(n.kind, n.key) for n in fresh] != [(n.kind, n.key) for n in self._nodes]:
            return False
        for position, (mine, theirs) in enumerate(zip(self._nodes, fresh)):
            if mine.counts != theirs.counts:  # an edit changes a few nodes: signal only those
                mine.counts = theirs.counts
                row = self._row[position]
                self.dataChanged.emit(self.createIndex(row, 1, position), self.createIndex(row, 2, position))
        return True

    def set_lineage_counts(self, per_cluster: dict[int | None, tuple[int, int]]) -> None:
        """What official sources say of each cluster's figures (FigureColumns.lineage_counts)."""
        if per_cluster == self._lineage:
            return
        self._lineage = dict(per_cluster)
        self.names_changed()  # every node, at every depth, repaints

    def lineage_of(self, node: TreeNode) -> tuple[int, int]:
        """(corroborated, differs) among the node's figures: its distinct clusters, or everything."""
        if node.kind == "all":
            keys = list(self._lineage)
        elif node.kind == "unclustered":
            keys = [None]
        else:
            keys = list(node.cluster_ids)
        found = [self._lineage.get(k, (0, 0)) for k in keys]
        return sum(f[0] for f in found), sum(f[1] for f in found)

    def _add(self, node: TreeNode, parent: int, row: int) -> int:
        index = len(self._nodes)
        self._nodes.append(node)
        self._parent.append(parent)
        self._row.append(row)
        self._children.append([])
        self._children[index] = [self._add(child, index, r) for r, child in enumerate(node.children)]
        return index

    def node(self, index: QModelIndex) -> TreeNode | None:
        return self._nodes[index.internalId()] if index.isValid() else None

    def index_of(self, kind: str, key: str) -> QModelIndex:
        """The first node of this kind and key (a cluster appears under several groupings)."""
        for position, node in enumerate(self._nodes):
            if node.kind == kind and node.key == key:
                return self.createIndex(self._row[position], 0, position)
        return QModelIndex()

    def key_of_cluster(self, cluster_id: int) -> str | None:
        return next((n.key for n in self._nodes if n.kind == "cluster" and n.id == cluster_id), None)

    # --- QAbstractItemModel --------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if self._nodes and row == 0 else QModelIndex()
        children = self._children[parent.internalId()]
        return self.createIndex(row, column, children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._parent[index.internalId()]
        if parent == NO_PARENT:
            return QModelIndex()
        return self.createIndex(self._row[parent], 0, parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return 1 if self._nodes else 0
        return len(self._children[parent.internalId()])

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return node_name(node)
            if column == 1:
                return f"{node.counts.figures:,}"
            return " ".join(part for part in (attention_text(node), lineage_text(*self.lineage_of(node))) if part)
        if role == Qt.ItemDataRole.ToolTipRole:  # names and notes may look like markup: never let Qt guess
            if column == 0:
                return tooltip_html(node.note or node_name(node))
            lines = attention_tooltip(node).split("\n")
            lines.insert(-1, lineage_tooltip(*self.lineage_of(node)))  # beside the review marks, notes last
            return tooltip_html("\n".join(lines))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 0 and node.kind in ("all", "grouping"):
            font = QFont()
            font.setBold(node.kind == "all" or self._parent[index.internalId()] == 0)
            return font
        if role == NodeRole:
            return node.kind, node.key
        if role == BothNamesRole:  # what the filter box matches: either language
            return f"{node.name}\n{node.name_zh}"
        return None

    def names_changed(self) -> None:
        """Names or lineage counts changed: repaint every node (same nodes, same rows)."""
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None
