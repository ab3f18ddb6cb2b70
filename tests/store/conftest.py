"""Fixtures shared by the store's tests."""

from __future__ import annotations

import pytest

from tests.perf.synth import synth


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic store of 4,000 figures (one per test module): the columns are checked against SQL on it."""
    from store import open_store

    store = open_store(str(tmp_path_factory.mktemp("synth") / "synth.sqlite3"))
    synth(store, 4000, 40, seed=3)
    yield store
    store.close()
