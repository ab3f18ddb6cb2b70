"""Curation in the store: every action is one transaction, kept in history, and can be undone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from store import open_store
from store.curation.annotations import annotate, delete_annotation, edit_annotation, list_annotations
from store.curation.figures import (
    FigureDraft,
    add_document,
    add_figure,
    edit_figure,
    resolve_conflict,
    review_queue,
    set_status,
)
from store.curation.history import figure_history, revert_figure, undo
from store.errors import StoreError
from store.models import Action, Anchor, Annotation, Change, Document, Figure, Metric

TEXT = "東莞 🚀 In 2024 the drone cluster earned 535 billion yuan, up 12.5 percent."


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _new_doc(store) -> int:
    doc_id = add_document(store, TEXT, "Drones of Dongguan", publisher="Test Daily", published="2025-02").created_id
    return doc_id


def _draft(doc_id: int, **changes) -> FigureDraft:
    start = TEXT.index("535 billion yuan")
    values = dict(document_id=doc_id, start=start, end=start + len("535 billion yuan"), value_text="535000000000",
                  unit="yuan", scale="billion", period="2024", metric="operating_revenue", entity="guangdong",
                  cluster="Drones")
    values.update(changes)
    return FigureDraft(**values)


def test_a_figure_added_from_a_new_document_is_anchored_to_its_exact_words(seeded_store):
    doc_id = _new_doc(seeded_store)
    figure_id = add_figure(seeded_store, _draft(doc_id)).first_created("figures")
    with seeded_store.read() as session:
        figure, anchor = session.get(Figure, figure_id), session.scalar(select(Anchor).where(Anchor.figure_id == figure_id))
        text = session.get(Document, doc_id).text
        assert text[anchor.start:anchor.end] == anchor.quote == "535 billion yuan"
        assert figure.value_text == "535000000000" and figure.status == "candidate" and figure.flag == ""
        assert figure.cluster.name == "Drones"  # a new cluster, created by name
        assert figure.period_start == "2024-01" and figure.created_by


def test_the_same_text_is_not_added_twice(seeded_store):
    _new_doc(seeded_store)
    with pytest.raises(StoreError, match="already in the store"):
        _new_doc(seeded_store)
    with pytest.raises(StoreError, match="empty"):
        add_document(seeded_store, "   ", "Nothing")


def test_a_value_that_disagrees_with_its_quote_is_saved_flagged(seeded_store):
    figure_id = add_figure(seeded_store, _draft(_new_doc(seeded_store), value_text="53500000000")).first_created("figures")
    with seeded_store.read() as session:
        assert "535" in session.get(Figure, figure_id).flag


@pytest.mark.parametrize("bad", ["", "nan", "inf", "1e400x", "twelve"])
def test_a_bad_value_is_refused_and_nothing_is_written(seeded_store, bad):
    doc_id = _new_doc(seeded_store)
    before = _count(seeded_store, Figure), _count(seeded_store, Action)
    with pytest.raises(StoreError):
        add_figure(seeded_store, _draft(doc_id, value_text=bad))
    assert (_count(seeded_store, Figure), _count(seeded_store, Action)) == before


def test_undo_and_redo_of_an_edit_and_its_history_survive_a_restart(seeded_path):
    store = open_store(str(seeded_path))
    with store.read() as session:
        figure_id, old = session.execute(select(Figure.id, Figure.qualifier).where(Figure.key == "001-002")).one()
    edit_id = edit_figure(store, figure_id, {"qualifier": "approximately", "note": "checked"})
    undo_id = undo(store, edit_id.action_id)
    with store.read() as session:
        assert session.get(Figure, figure_id).qualifier == old
    redo_id = undo(store, undo_id.action_id)
    with store.read() as session:
        assert session.get(Figure, figure_id).qualifier == "approximately"
        assert session.get(Action, redo_id.action_id).label == "Edit figure"
    store.close()

    again = open_store(str(seeded_path))
    history = figure_history(again, figure_id)
    assert [h.kind for h in history] == ["edit", "undo", "undo"]
    assert ("qualifier", old, "approximately") in history[0].fields
    assert history[0].by and history[-1].version == 4
    again.close()


def test_a_figure_reverts_to_an_earlier_version(seeded_store):
    with seeded_store.read() as session:
        figure_id = session.scalar(select(Figure.id).where(Figure.key == "001-002"))
    edit_figure(seeded_store, figure_id, {"period": "2023", "qualifier": "over"})
    edit_figure(seeded_store, figure_id, {"period": "2022"})
    first = figure_history(seeded_store, figure_id)[0]
    revert_figure(seeded_store, figure_id, first.change_id)
    with seeded_store.read() as session:
        figure = session.get(Figure, figure_id)
        assert (figure.period, figure.qualifier) == ("2023", "over") and figure.version == 4


def test_undo_of_an_add_removes_the_figure_its_anchor_and_the_cluster_it_created(seeded_store):
    doc_id = _new_doc(seeded_store)
    counts = [_count(seeded_store, m) for m in (Figure, Anchor, Metric)]
    added = add_figure(seeded_store, _draft(doc_id, metric="Drone deliveries"))
    figure_id = added.first_created("figures")
    undo(seeded_store, added.action_id)
    assert [_count(seeded_store, m) for m in (Figure, Anchor, Metric)] == counts
    with seeded_store.read() as session:
        assert session.get(Figure, figure_id) is None


def test_an_undo_never_overwrites_a_later_change(seeded_store):
    with seeded_store.read() as session:
        figure_id = session.scalar(select(Figure.id).where(Figure.key == "001-002"))
    first = edit_figure(seeded_store, figure_id, {"note": "first"})
    edit_figure(seeded_store, figure_id, {"note": "second"})
    with pytest.raises(StoreError, match="changed since"):
        undo(seeded_store, first.action_id)
    with seeded_store.read() as session:
        assert session.get(Figure, figure_id).note == "second"


def test_an_edit_of_a_stale_version_is_refused(seeded_store):
    with seeded_store.read() as session:
        figure = session.scalar(select(Figure).where(Figure.key == "001-002"))
    edit_figure(seeded_store, figure.id, {"note": "someone else"}, expected_version=figure.version)
    with pytest.raises(StoreError, match="changed by"):
        edit_figure(seeded_store, figure.id, {"note": "mine"}, expected_version=figure.version)


def test_review_statuses_need_their_reasons_and_leave_who_and_when(seeded_store):
    doc_id = _new_doc(seeded_store)
    a = add_figure(seeded_store, _draft(doc_id)).first_created("figures")
    assert a in review_queue(seeded_store)
    with pytest.raises(StoreError, match="why"):
        set_status(seeded_store, [a], "disputed")
    set_status(seeded_store, [a], "disputed", "the sum of the parts is 480 billion")
    with seeded_store.read() as session:
        figure = session.get(Figure, a)
        assert figure.status == "disputed" and figure.status_by and figure.status_at
    assert a not in review_queue(seeded_store)


def test_resolving_a_conflict_keeps_one_and_sets_the_others_aside_in_one_action(seeded_store):
    with seeded_store.read() as session:
        ids = dict(session.execute(select(Figure.key, Figure.id).where(Figure.key.in_(("001-005", "001-009")))).all())
    keep, other = sorted(ids.values())
    resolved = resolve_conflict(seeded_store, keep, {other: ("superseded", "the later, rounded count")})
    with seeded_store.read() as session:
        assert session.get(Figure, other).superseded_by_id == keep
        assert session.scalar(select(func.count()).select_from(Change).where(Change.action_id == resolved.action_id)) == 2
    undo(seeded_store, resolved.action_id)
    with seeded_store.read() as session:
        assert session.get(Figure, other).status == "verified" and session.get(Figure, other).superseded_by_id is None


def test_annotations_add_edit_remove_and_undo(seeded_store):
    doc_id = _new_doc(seeded_store)
    start = TEXT.index("12.5 percent")
    note_id = annotate(seeded_store, "<b>growth</b> is year on year", document_id=doc_id, start=start, end=start + 12).created_id
    edit_annotation(seeded_store, note_id, "growth is year on year")
    removed = delete_annotation(seeded_store, note_id)
    assert list_annotations(seeded_store, document_id=doc_id) == []
    undo(seeded_store, removed.action_id)
    [note] = list_annotations(seeded_store, document_id=doc_id)
    assert (note.text, note.quote, note.version) == ("growth is year on year", "12.5 percent", 2)
    with pytest.raises(StoreError):
        annotate(seeded_store, "two targets", figure_id=1, cluster_id=1)


def test_a_store_failing_mid_action_leaves_nothing_half_written(seeded_store):
    doc_id = _new_doc(seeded_store)
    with seeded_store.engine.begin() as conn:  # the history write fails after the figure row is in
        conn.exec_driver_sql("CREATE TRIGGER fail_history BEFORE INSERT ON changes "
                             "BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END")
    before = [_count(seeded_store, m) for m in (Figure, Anchor, Action, Change, Annotation)]
    with pytest.raises(StoreError, match="not saved, nothing was changed .*disk full"):
        add_figure(seeded_store, _draft(doc_id))
    with pytest.raises(StoreError, match="not saved"):
        annotate(seeded_store, "a note", document_id=doc_id, start=0, end=2)
    assert [_count(seeded_store, m) for m in (Figure, Anchor, Action, Change, Annotation)] == before


def test_an_action_reports_what_it_changed(seeded_store):
    from store.curation.history import action

    doc_id = _new_doc(seeded_store)
    with seeded_store.read() as session:
        figure_id = session.scalars(select(Figure.id).order_by(Figure.id)).first()
    with action(seeded_store, "Add a note") as recorder:
        note = Annotation(target="figure", figure_id=figure_id, text="checked against the report")
        recorder.add(note)
    changes = recorder.changes
    assert changes.label == "Add a note" and changes.action_id is not None
    assert changes.created_ids("annotations") == [note.id]
    assert changes.figures == {figure_id} and changes.tables == {"annotations"}
    assert not changes.documents and doc_id not in changes.documents
