"""The cluster tree: groupings over clusters, each node with aggregate counts.

Counts come from one GROUP BY over figures, never from loading figures. A
cluster under two groupings appears under both; a grouping counts the distinct
clusters of its subtree, so a figure is counted once per node.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from store.models import Annotation, Cluster, Entity, Figure, Grouping, Metric, cluster_groupings
from store.query.conflicts import conflict_ids
from store.query.tree_node import Counts, TreeNode
from store.status import Status
from store.values.names import grouping_names_zh


def cluster_counts(session: Session) -> dict[int | None, Counts]:
    """Counts per cluster id (None: figures with no cluster)."""
    rows = session.execute(
        select(
            Figure.cluster_id,
            func.count(Figure.id),
            func.sum(case((Figure.status == Status.CANDIDATE.value, 1), else_=0)),
            func.sum(case((Figure.status == "disputed", 1), else_=0)),
        ).group_by(Figure.cluster_id)
    )
    counts = {cid: Counts(int(n), int(u or 0), int(d or 0)) for cid, n, u, d in rows}
    # Whether values can both be true (rounding, bounds) is decided per key in Python (store.query.conflicts), so the
    # figures in conflict are counted from their ids, a few at a time, not in the GROUP BY.
    ids = sorted(conflict_ids(session))
    for chunk in range(0, len(ids), 500):
        for cid, n in session.execute(select(Figure.cluster_id, func.count(Figure.id))
                                      .where(Figure.id.in_(ids[chunk:chunk + 500])).group_by(Figure.cluster_id)):
            counts[cid].conflicts += int(n)
    add_annotation_counts(session, counts)
    return counts


def add_annotation_counts(session: Session, counts: dict[int | None, Counts]) -> None:
    """Annotations per cluster (on the cluster or on its figures): a small table, counted in SQL."""
    on_figures = select(Figure.cluster_id, func.count(Annotation.id)).join(
        Annotation, Annotation.figure_id == Figure.id).group_by(Figure.cluster_id)
    on_clusters = select(Annotation.cluster_id, func.count(Annotation.id)).where(
        Annotation.cluster_id.is_not(None)).group_by(Annotation.cluster_id)
    for cid, n in [*session.execute(on_figures), *session.execute(on_clusters)]:
        counts.setdefault(cid, Counts()).annotations += int(n)


def build_tree(session: Session, figure_counts: dict[int | None, tuple[int, int, int, int]] | None = None) -> TreeNode:
    """The tree; figure_counts (figures, unreviewed, disputed, conflicts per cluster) saves the GROUP BY
    over every figure when the caller already has them (store.query.columns)."""
    if figure_counts is None:
        counts = cluster_counts(session)
    else:
        counts = {cid: Counts(*values) for cid, values in figure_counts.items()}
        add_annotation_counts(session, counts)
    groupings = session.execute(select(Grouping).order_by(Grouping.position, Grouping.id)).scalars().all()
    clusters = {c.id: c for c in session.scalars(select(Cluster).order_by(Cluster.name))}
    members: dict[int, list[int]] = {}
    for cluster_id, grouping_id in session.execute(select(cluster_groupings.c.cluster_id, cluster_groupings.c.grouping_id)):
        members.setdefault(grouping_id, []).append(cluster_id)

    grouping_zh = grouping_names_zh(session)
    nodes = {g.id: TreeNode("grouping", g.id, g.key, g.name, g.note, name_zh=grouping_zh.get(g.key, ""))
             for g in groupings}
    roots: list[TreeNode] = []
    for g in groupings:
        (nodes[g.parent_id].children if g.parent_id in nodes else roots).append(nodes[g.id])
    for g in groupings:
        for cid in sorted(members.get(g.id, []), key=lambda i: clusters[i].name.lower()):
            c = clusters[cid]
            nodes[g.id].children.append(
                TreeNode("cluster", c.id, c.key, c.name, c.note, cluster_ids=frozenset({c.id}),
                         counts=counts.get(c.id, Counts()), name_zh=c.name_zh or "")
            )

    def finish(node: TreeNode) -> frozenset[int]:
        if node.kind == "grouping":
            ids = frozenset().union(*(finish(child) for child in node.children)) if node.children else frozenset()
            node.cluster_ids = ids
            node.counts = Counts()
            for cid in ids:
                node.counts.add(counts.get(cid, Counts()))
        return node.cluster_ids

    grouped = {cid for ids in members.values() for cid in ids}
    loose = [c for c in clusters.values() if c.id not in grouped]
    if loose:  # clusters a curator created while adding a figure, not yet placed in a grouping
        other = TreeNode("grouping", None, "ungrouped", "Other clusters (no grouping)")
        other.children = [TreeNode("cluster", c.id, c.key, c.name, c.note, cluster_ids=frozenset({c.id}),
                                   counts=counts.get(c.id, Counts()), name_zh=c.name_zh or "") for c in loose]
        roots.append(other)
    for root in roots:
        finish(root)
    everything = TreeNode("all", None, "all", "All figures")
    for value in counts.values():
        everything.counts.add(value)
    unclustered = TreeNode("unclustered", None, "unclustered", "Whole economy (no cluster)",
                           counts=counts.get(None, Counts()))
    everything.children = [*roots, unclustered]
    return everything


def taxonomy_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """(key, name) of every metric, entity and cluster, by name: what a dialog offers to pick from."""
    return {
        kind: [(key, name) for key, name in session.execute(select(model.key, model.name).order_by(model.name))]
        for kind, model in (("metric", Metric), ("entity", Entity), ("cluster", Cluster))
    }
