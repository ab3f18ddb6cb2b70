"""store.status: one list of review statuses, and the numpy columns' codes agree with the SQL that loads them."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from store.curation.figures import set_status
from store.errors import StoreError
from store.models import Figure
from store.query.columns import FigureColumns
from store.status import CODES, INACTIVE, SEEDABLE, STATUSES, Status, code


def test_one_list_in_review_order_with_its_codes_alphabetical():
    assert STATUSES == ("candidate", "verified", "disputed", "rejected", "superseded")
    assert list(CODES) == sorted(STATUSES) and set(CODES) == set(STATUSES)
    assert set(INACTIVE) == {Status.REJECTED, Status.SUPERSEDED} and not SEEDABLE & set(INACTIVE)
    assert Status.VERIFIED == "verified"  # the stored text, as scripts and exports read it


def test_each_status_loads_as_its_code(seeded_store):
    with seeded_store.read() as session:
        ids = session.scalars(select(Figure.id).order_by(Figure.id).limit(len(STATUSES))).all()
    keep = ids[0]
    for figure_id, status in zip(ids, STATUSES):
        if status == Status.SUPERSEDED:
            set_status(seeded_store, [figure_id], status, "newer", superseded_by=keep)
        elif figure_id != keep or status == Status.CANDIDATE:
            set_status(seeded_store, [figure_id], status, "test")
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
        stored = dict(session.execute(select(Figure.id, Figure.status).where(Figure.id.in_(ids))).all())
    at = np.searchsorted(columns.id, ids)
    assert [CODES[c] for c in columns.status[at].tolist()] == [stored[i] for i in ids]
    assert [code(stored[i]) for i in ids] == columns.status[at].tolist()
    assert sorted(stored.values()) == sorted(STATUSES)


def test_an_unknown_status_is_refused_naming_the_statuses(seeded_store):
    with pytest.raises(StoreError, match="use one of candidate, verified, disputed, rejected, superseded"):
        set_status(seeded_store, [1], "approved")
