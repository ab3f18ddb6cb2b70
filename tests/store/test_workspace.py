"""The application layer: every store write returns the Changes it made, and a Workspace applies them
to its own columns, tree and documents, so the views refresh from the record alone."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, asdict, replace

import pytest

from store.changes import Changes
from store.curation.annotations import annotate, delete_annotation
from store.curation.figures import FigureDraft, add_document, add_figure, edit_figure, set_status
from store.curation.history import revert_figure, undo
from store.curation.reanchor import new_version
from store.query.browse import ROW_COLUMNS
from store.query.rows import FIELDS, FigureRow
from store.status import CODES
from store.workspace import Workspace

TEXT = "Zyxwv county shipped 4,321 drones in 2025, the bureau said."


def _status(workspace: Workspace, figure_id: int) -> str:
    columns = workspace.columns
    return CODES[int(columns.status[list(columns.id).index(figure_id)])]


def test_a_write_through_the_workspace_returns_its_changes_and_updates_the_columns(seeded_store):
    workspace = Workspace.load(seeded_store)
    documents, total = len(workspace.documents), len(workspace.columns)
    added_doc = workspace.write(add_document, TEXT, "Zyxwv drones", published="2025-06")
    assert isinstance(added_doc, Changes) and added_doc.documents == {added_doc.created_id}
    assert len(workspace.documents) == documents + 1
    start = TEXT.index("4,321")
    added = workspace.write(add_figure, FigureDraft(added_doc.created_id, start, start + len("4,321 drones"),
                                                    "4321", "drones", metric="Zyxwv drone shipments",
                                                    entity="Zyxwv county", period="2025"))
    figure_id = added.first_created("figures")
    assert added.created_id != figure_id  # the new metric and entity came first
    assert figure_id in added.figures and {"figures", "anchors", "metrics"} <= added.tables
    assert len(workspace.columns) == total + 1 and _status(workspace, figure_id) == "candidate"

    verified = workspace.write(set_status, [figure_id], "verified")
    assert verified.figures == {figure_id} and _status(workspace, figure_id) == "verified"
    undone = workspace.write(undo, verified.action_id)
    assert undone.figures == {figure_id} and _status(workspace, figure_id) == "candidate"
    workspace.write(undo, added.action_id)
    assert len(workspace.columns) == total


def test_every_kind_of_write_says_what_it_touched(seeded_store):
    workspace = Workspace.load(seeded_store)
    figure_id = int(workspace.columns.id[0])
    note = annotate(seeded_store, "checked", figure_id=figure_id)
    assert note.tables == {"annotations"} and note.figures == {figure_id} and note.created_id is not None
    assert delete_annotation(seeded_store, note.created_id).figures == {figure_id}
    edit_figure(seeded_store, figure_id, {"note": "first"})
    edit_figure(seeded_store, figure_id, {"note": "second"})
    first = [e for e in workspace.history(figure_id) if e.table == "figures" and e.version][-2]
    reverted = revert_figure(seeded_store, figure_id, first.change_id)
    assert reverted.figures == {figure_id} and reverted.tables == {"figures"}
    document_id = workspace.row(figure_id).document_id
    detail, _spans = workspace.document(document_id)
    report = new_version(seeded_store, document_id, "Updated.\n\n" + detail["text"])
    assert report.changes.action_id == report.action_id and report.changes.documents == {document_id}
    assert figure_id in report.changes.figures


def test_a_workspace_opens_a_store_with_its_columns_tree_and_documents(seeded_path):
    workspace = Workspace.open(str(seeded_path))
    try:
        assert len(workspace.columns) > 0 and workspace.documents and workspace.tree.children
        first = int(workspace.columns.id[0])
        assert workspace.row(first).id == first and workspace.rows([first, -1]) == [workspace.row(first)]
        assert workspace.document(-1) is None and workspace.citation(-1) is None
    finally:
        workspace.close()


def test_a_figure_row_is_typed_frozen_and_made_from_every_row_column(seeded_store):
    workspace = Workspace.load(seeded_store)
    figure_id = int(workspace.columns.id[0])
    row = workspace.row(figure_id)
    assert isinstance(row, FigureRow) and row.id == figure_id and isinstance(row.version, int)
    with pytest.raises(FrozenInstanceError):
        row.value_text = "42"
    with pytest.raises((FrozenInstanceError, AttributeError, TypeError)):
        row._texts = ["a view's cache"]  # slots: no room for what a view derives
    assert not hasattr(row, "__dict__")
    # One field per column of the SQL, each labelled with its field's name; lineage comes from the columns.
    assert tuple(column.key for column in ROW_COLUMNS) + ("lineage",) == FIELDS
    edited = replace(row, value_text="42")  # a changed row is a new row
    assert (edited.value_text, row.value_text) == ("42", workspace.row(figure_id).value_text)
    assert set(asdict(row)) == set(FIELDS)
