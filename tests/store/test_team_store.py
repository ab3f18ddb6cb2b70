"""Two curators, one store: on a SQLite file and on a real PostgreSQL server, nobody's newer change is overwritten."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from store import open_store
from store.curation.annotations import annotate, edit_annotation
from store.curation.figures import edit_figure, set_status
from store.curation.history import undo
from store.errors import StaleEdit, StoreError
from store.models import Action, Annotation, Figure

FIGURE = 1  # 000-001, "approximately 63%"


def _figure(store, figure_id=FIGURE) -> Figure:
    with store.read() as session:
        return session.get(Figure, figure_id)


def _actions(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Action))


@pytest.fixture
def two_curators(team_store_url, monkeypatch):
    """Ann and Bo, each with a store connection of their own (as two copies of the app would have)."""
    ann, bo = open_store(team_store_url), open_store(team_store_url)
    yield ann, bo
    ann.close()
    bo.close()


def test_a_save_over_a_newer_change_is_refused_showing_both_and_nothing_is_lost(two_curators, monkeypatch):
    ann, bo = two_curators
    opened = _figure(bo).version  # Bo opens the editor
    monkeypatch.setenv("CLUSTER_EXPLORER_USER", "ann")
    edit_figure(ann, FIGURE, {"value_text": "64", "note": "Ann's reading"}, expected_version=opened)
    actions = _actions(ann)

    monkeypatch.setenv("CLUSTER_EXPLORER_USER", "bo")
    with pytest.raises(StaleEdit) as refused:
        edit_figure(bo, FIGURE, {"value_text": "65"}, expected_version=opened)
    message = str(refused.value)
    assert "changed by ann" in message and "Nothing was saved" in message
    assert "value: theirs \u201c64\u201d \u2014 yours \u201c65\u201d" in message
    assert "note: theirs \u201cAnn's reading\u201d (you did not change it)" in message
    assert refused.value.current_version == opened + 1 and refused.value.yours == {"value_text": "65"}
    assert _figure(bo).value_text == "64" and _actions(bo) == actions  # Ann's change stands, nothing half-written

    # Bo, having seen both, applies his value on top of Ann's version: nothing of either is lost (history has both).
    edit_figure(bo, FIGURE, {"value_text": "65"}, expected_version=refused.value.current_version)
    figure = _figure(ann)
    assert figure.value_text == "65" and figure.note == "Ann's reading" and figure.version == opened + 2


def test_an_annotation_edited_by_two_keeps_the_first_and_shows_both(two_curators):
    ann, bo = two_curators
    note_id = annotate(ann, "check the base year", figure_id=FIGURE).created_id
    edit_annotation(ann, note_id, "base year is 2024", expected_version=1)
    with pytest.raises(StaleEdit, match="text: theirs \u201cbase year is 2024\u201d \u2014 yours \u201cbase year is 2023\u201d"):
        edit_annotation(bo, note_id, "base year is 2023", expected_version=1)
    with bo.read() as session:
        assert session.get(Annotation, note_id).text == "base year is 2024"


def test_an_undo_of_a_row_someone_changed_since_is_refused(two_curators):
    ann, bo = two_curators
    mine = edit_figure(ann, FIGURE, {"unit": "percent"})
    set_status(bo, [FIGURE], "disputed", reason="unit unclear")
    with pytest.raises(StoreError, match="changed since"):
        undo(ann, mine.action_id)
    figure = _figure(ann)
    assert figure.unit == "percent" and figure.status == "disputed"


def test_two_curators_saving_the_same_figure_at_the_same_instant_one_wins_the_other_is_told(two_curators):
    ann, bo = two_curators
    opened = _figure(ann).version
    start, outcomes = threading.Barrier(2), {}

    def save(name, store, value):
        start.wait()
        try:
            edit_figure(store, FIGURE, {"value_text": value}, expected_version=opened)
            outcomes[name] = "saved"
        except StaleEdit:
            outcomes[name] = "refused"

    threads = [threading.Thread(target=save, args=("ann", ann, "70")), threading.Thread(target=save, args=("bo", bo, "71"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = "70" if outcomes["ann"] == "saved" else "71"
    figure = _figure(ann)
    assert figure.value_text == winner and figure.version == opened + 1
