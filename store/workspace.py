"""The application layer between the window and the store: one open store with what the views show.

A `Workspace` holds the store, the figures' numpy columns (store.query.columns), the
taxonomy tree counted from them and the document list. The GUI reads through
its typed methods and writes through `write`, which returns the `Changes` of the
action after applying them to the columns, the tree and the documents, so the
views refresh from the record alone. Nothing here imports Qt, and the GUI never
opens a session or imports a model class: every `store.read()` the window needs
is in this module.

Store modules are imported inside the methods: the window imports this module
before its first paint, and the store's libraries load after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from store.changes import NOTHING, Changes

if TYPE_CHECKING:
    from store.curation.history import HistoryEntry
    from store.opening.core import Store
    from store.query.columns import FigureColumns
    from store.query.rows import FigureRow
    from store.query.tree_node import TreeNode

# A write that touched one of these tables may change a document's figure count in the chooser.
DOCUMENT_TABLES = frozenset({"documents", "figures", "anchors"})


@dataclass(frozen=True)
class Applied:
    """What `Workspace.apply` renewed, for the views: the tree is always recounted."""
    changes: Changes
    tree_rebuilt: bool  # clusters were added or removed: the tree's shape changed, not only its counts
    documents_changed: bool  # the document list was read again


def combined(many: list[Changes]) -> Changes:
    """Several actions' Changes as one record to apply and refresh from once (an import of many files)."""
    many = [c for c in many if c is not None]
    if not many:
        return NOTHING
    if len(many) == 1:
        return many[0]
    return Changes(action_id=many[-1].action_id, label=many[-1].label,
                   created=tuple(x for c in many for x in c.created),
                   figures=frozenset().union(*(c.figures for c in many)),
                   documents=frozenset().union(*(c.documents for c in many)),
                   tables=frozenset().union(*(c.tables for c in many)))


class Workspace:
    """An open store and the data the views share (see the module's docstring)."""

    def __init__(self, store: Store, columns: FigureColumns, tree: TreeNode, documents: list[dict]) -> None:
        self.store = store
        self.columns = columns
        self.tree = tree
        self.documents = documents

    # --- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None) -> Workspace:
        """Open (first start: create and seed) a store and read what the window shows first."""
        from store.opening.core import open_store
        return cls.load(open_store(url))

    @classmethod
    def load(cls, store: Store) -> Workspace:
        from store.curation.documents import list_documents
        from store.curation.lineage import lineage_states
        from store.query.columns import FigureColumns
        from store.query.taxonomy import build_tree
        with store.read() as session:
            columns = FigureColumns.load(session)
            workspace = cls(store, columns, build_tree(session, columns.cluster_counts()),
                            list_documents(session, columns.document_counts()))
        columns.set_lineage(lineage_states(store))  # what official sources say of each figure
        return workspace

    def close(self) -> None:
        self.store.close()

    @property
    def read_only(self) -> bool:
        return bool(self.store.read_only)

    # --- reads ------------------------------------------------------------------------
    def rows(self, ids) -> list[FigureRow]:
        """The figures' rows in the order of `ids` (missing ids left out), with what official sources
        say of each (FigureRow.lineage) as the columns know it."""
        from dataclasses import replace

        from store.query.browse import figure_rows
        ids = [int(i) for i in ids]
        if not ids:
            return []
        with self.store.read() as session:
            by_id = {row.id: row for row in figure_rows(session, ids)}
        found = [by_id[i] for i in ids if i in by_id]
        states = self.columns.lineage_of([row.id for row in found])
        return [replace(row, lineage=state) if state else row for row, state in zip(found, states)]

    def row(self, figure_id: int) -> FigureRow | None:
        found = self.rows([figure_id])
        return found[0] if found else None

    def links(self, figure_ids) -> list:
        """The lineage links (store.curation.lineage.Link) touching these figures, either side."""
        from store.curation.lineage import links
        return links(self.store, [int(i) for i in figure_ids])

    def document(self, document_id: int) -> tuple[dict, list[tuple[int, int, int, str]]] | None:
        """(detail with its text, spans of its figures), or None when it is no longer in the store."""
        from store.curation.documents import document_with_spans
        with self.store.read() as session:
            return document_with_spans(session, document_id)

    def citation(self, document_id: int) -> tuple[str, dict] | None:
        """(file name, citation fields) of a document, or None when it is no longer in the store."""
        from store.curation.citation import citation_of, find_document
        from store.errors import StoreError
        with self.store.read() as session:
            try:
                doc = find_document(session, document_id)
            except StoreError:
                return None
            return doc.file_name, citation_of(doc)

    def history(self, figure_id: int) -> list[HistoryEntry]:
        from store.curation.history import figure_history
        return figure_history(self.store, figure_id)

    def figure_version(self, figure_id: int) -> int | None:
        """The figure's version now (None: it is no longer in the store)."""
        row = self.row(figure_id)
        return row.version if row is not None else None

    def taxonomy_choices(self) -> dict:
        from store.query.taxonomy import taxonomy_choices
        with self.store.read() as session:
            return taxonomy_choices(session)

    def finder_names(self):
        """The taxonomy the figure finder reads names with."""
        from store.finder.names import load_taxonomy
        with self.store.read() as session:
            return load_taxonomy(session)

    def reading_order(self, document_ids: list[int]) -> list[int]:
        """The figures of these documents in reading order (the review queue after an import)."""
        from store.query.browse import figure_ids_in_reading_order
        with self.store.read() as session:
            return figure_ids_in_reading_order(session, document_ids)

    def conflict_groups(self) -> list[list[int]]:
        return self.columns.conflict_groups()

    def annotations(self, **target) -> list:
        from store.curation.annotations import list_annotations
        return list_annotations(self.store, **target)

    def orphans(self) -> list[dict]:
        from store.curation.reanchor import orphans
        return orphans(self.store)

    # --- writes -----------------------------------------------------------------------
    def write(self, do: Callable[..., Changes], *args, **kwargs) -> Changes:
        """Run one store write, do(store, *args, **kwargs), and apply what it changed here."""
        changes = do(self.store, *args, **kwargs)
        self.apply(changes)
        return changes

    def apply(self, changes: Changes = NOTHING, figure_ids=()) -> Applied:
        """Bring the columns, the tree's counts and the documents up to date with a write (or with
        figures another curator changed: figure_ids)."""
        from store.curation.documents import list_documents
        from store.curation.lineage import lineage_states
        from store.query.taxonomy import build_tree
        touched = sorted(set(changes.figures) | {int(i) for i in figure_ids})
        if "lineage_links" in changes.tables:  # a link proposed, decided or undone: either side's state may change
            self.columns.set_lineage(lineage_states(self.store))
        with self.store.read() as session:
            if touched:
                self.columns.refresh(session, touched)
            self.tree = build_tree(session, self.columns.cluster_counts())
            documents = DOCUMENT_TABLES & changes.tables or not changes.tables
            if documents:
                self.documents = list_documents(session, self.columns.document_counts())
        return Applied(changes, tree_rebuilt="clusters" in changes.tables, documents_changed=bool(documents))
