"""A node of the cluster tree and its counts: plain data, no SQLAlchemy (the GUI imports it at start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Counts:
    figures: int = 0
    unreviewed: int = 0
    disputed: int = 0
    conflicts: int = 0
    annotations: int = 0  # on the cluster and on its figures

    def add(self, other: Counts) -> None:
        self.figures += other.figures
        self.unreviewed += other.unreviewed
        self.disputed += other.disputed
        self.conflicts += other.conflicts
        self.annotations += other.annotations


@dataclass
class TreeNode:
    kind: str  # "all", "grouping", "cluster", "unclustered"
    id: int | None
    key: str
    name: str
    note: str = ""
    children: list[TreeNode] = field(default_factory=list)
    cluster_ids: frozenset[int] = frozenset()
    counts: Counts = field(default_factory=Counts)
    name_zh: str = ""  # the Chinese name, where there is one (store.values.names)
