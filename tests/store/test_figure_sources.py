"""The figure_sources view: other tools (Datasette, DB Browser for SQLite, pandas) read every curated
figure with its names, its document and its anchor in one SELECT, on SQLite and on PostgreSQL."""

from __future__ import annotations

import math
import os
import shutil
import sqlite3

import pandas
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from store import open_store
from store.models import Base, Figure
from store.opening.backup import backup, check_backup, restore
from store.opening.db import make_engine
from store.opening.paths import backups
from store.opening.schema import current_revision, head_revision
from tests.store.test_migrations import migrate

SELECT_ALL = "select * from figure_sources"
COLUMNS = ["id", "key", "metric_key", "metric", "entity_key", "entity", "cluster_key", "cluster", "period",
           "period_start", "period_end", "value", "value_text", "value_max", "value_max_text", "unit", "scale",
           "qualifier", "status", "metric_text", "growth", "projected", "flag", "document_id", "document", "title",
           "publisher", "published", "url", "document_kind", "quote", "start", "end", "prefix", "suffix",
           "anchor_state"]


def _expected(store) -> dict[int, dict]:
    """Each figure's row as the app's own models read it, through their relationships."""
    rows = {}
    with store.read() as session:
        for f in session.scalars(select(Figure).order_by(Figure.id)):
            a, cluster = f.anchor, f.cluster
            d = a.document
            rows[f.id] = {
                "id": f.id, "key": f.key, "metric_key": f.metric.key, "metric": f.metric.name,
                "entity_key": f.entity.key, "entity": f.entity.name,
                "cluster_key": cluster.key if cluster else None, "cluster": cluster.name if cluster else None,
                "period": f.period, "period_start": f.period_start, "period_end": f.period_end, "value": f.value,
                "value_text": f.value_text, "value_max": f.value_max, "value_max_text": f.value_max_text,
                "unit": f.unit, "scale": f.scale, "qualifier": f.qualifier, "status": f.status,
                "metric_text": f.metric_text, "growth": f.growth, "projected": f.projected, "flag": f.flag,
                "document_id": d.id, "document": d.file_name, "title": d.title, "publisher": d.publisher,
                "published": d.published, "url": d.url, "document_kind": d.kind, "quote": a.quote, "start": a.start,
                "end": a.end, "prefix": a.prefix, "suffix": a.suffix, "anchor_state": a.state,
            }
    return rows


def _records(frame: pandas.DataFrame) -> dict[int, dict]:
    """A frame's rows by figure id, NULLs as None (pandas reads them as NaN) and `projected` as a bool
    (SQLite stores 0/1, PostgreSQL a boolean)."""
    def plain(name, value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return bool(value) if name == "projected" else value

    return {int(row["id"]): {name: plain(name, value) for name, value in row.items()}
            for row in frame.astype(object).to_dict("records")}


def _texts(store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT id, text FROM documents").all())


def _check_rows(rows: dict[int, dict], store) -> None:
    """Every figure is there once, as the models read it, and each quote is its document's text at its offsets."""
    expected = _expected(store)
    assert rows == expected and len(rows) > 100
    texts = _texts(store)
    for row in rows.values():
        assert texts[row["document_id"]][row["start"]:row["end"]] == row["quote"], row["key"]
    assert any(row["cluster"] is None for row in rows.values())  # left joins: figures without a cluster stay


def test_pandas_and_sqlite3_read_every_figure_from_the_view(seeded_store, seeded_path):
    con = sqlite3.connect(seeded_path)
    try:
        frame = pandas.read_sql(SELECT_ALL, con)
        assert list(frame.columns) == COLUMNS
        _check_rows(_records(frame), seeded_store)
        assert con.execute("SELECT count(*) FROM figure_sources").fetchone() == \
            con.execute("SELECT count(*) FROM figures").fetchone()
        # A known seed figure through plain sqlite3: its quote is its document's words at its offsets.
        con.row_factory = sqlite3.Row
        row = con.execute("SELECT * FROM figure_sources WHERE cluster_key IS NOT NULL ORDER BY id LIMIT 1").fetchone()
        text = con.execute("SELECT text FROM documents WHERE file_name = ?", (row["document"],)).fetchone()[0]
        assert row["quote"] and text[row["start"]:row["end"]] == row["quote"]
        assert row["cluster"] and row["metric"] and row["entity"] and row["title"]
        with pytest.raises(sqlite3.OperationalError, match="view"):  # read-only: edits go through the app
            con.execute("UPDATE figure_sources SET value_text = '1'")
    finally:
        con.close()


def test_the_view_follows_edits(seeded_store, seeded_path):
    from store.curation.figures import edit_figure, set_status

    first = min(_expected(seeded_store))
    edit_figure(seeded_store, first, {"value_text": "64"})
    set_status(seeded_store, [first], "disputed", "another source says 62")
    con = sqlite3.connect(seeded_path)
    try:
        assert con.execute("SELECT value_text, status FROM figure_sources WHERE id = ?", (first,)).fetchone() == \
            ("64", "disputed")
    finally:
        con.close()


def test_the_models_and_the_migrated_schema_agree_with_the_view_there(seeded_store):
    """Alembic's autogenerate comparison sees no difference at head: the view is not taken for a table."""
    with seeded_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def _views(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
    finally:
        con.close()


def test_a_0003_store_with_data_upgrades_to_the_view_and_its_backup_restores(seeded_path):
    migrate(f"sqlite:///{seeded_path}", "0003", command.downgrade)  # drops the view and nothing else
    assert _views(seeded_path) == []
    engine = make_engine(f"sqlite:///{seeded_path}")
    assert current_revision(engine) == "0003"
    engine.dispose()

    store = open_store(str(seeded_path))  # backs the 0003 store up, then upgrades it
    try:
        assert current_revision(store.engine) == head_revision() and _views(seeded_path) == ["figure_sources"]
        with store.engine.connect() as conn:
            _check_rows(_records(pandas.read_sql(SELECT_ALL, conn)), store)
    finally:
        store.close()
    [before] = backups(seeded_path)
    assert _views(before) == []
    check_backup(before)  # a 0003 backup is still a store this version restores

    made = backup(seeded_path, "test")  # a backup of a store with the view is a sound store too
    check_backup(made)
    assert _views(made) == ["figure_sources"]
    restore(seeded_path, before)
    store = open_store(str(seeded_path))  # the restored 0003 store is upgraded again, view and all
    try:
        assert _views(seeded_path) == ["figure_sources"]
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM figure_sources").scalar() == \
                conn.exec_driver_sql("SELECT count(*) FROM figures").scalar()
    finally:
        store.close()


def test_a_read_only_store_with_the_view_opens_and_reads_it(seeded_path, tmp_path):
    """The store check judges the file ours (the view is no foreign table) and opens it read-only."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "store.sqlite3"
    shutil.copyfile(seeded_path, path)
    os.chmod(path, 0o444)
    store = open_store(str(path))
    try:
        assert store.read_only_reason
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM figure_sources").scalar() == len(_expected(store))
    finally:
        store.close()
        os.chmod(path, 0o644)


# --- PostgreSQL ---------------------------------------------------------------------------------------
def test_pandas_reads_the_same_rows_from_the_view_on_postgresql(pg_seeded_url, seeded_store):
    team = open_store(pg_seeded_url)
    try:
        with team.engine.connect() as conn:
            frame = pandas.read_sql(SELECT_ALL, conn)
            assert conn.exec_driver_sql("SELECT count(*) FROM figure_sources").scalar() == \
                conn.exec_driver_sql("SELECT count(*) FROM figures").scalar()
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert list(frame.columns) == COLUMNS
        rows = _records(frame)
        _check_rows(rows, team)
        with seeded_store.engine.connect() as conn:
            assert rows == _records(pandas.read_sql(SELECT_ALL, conn))  # the same answers as SQLite
        from sqlalchemy.exc import DBAPIError

        with pytest.raises(DBAPIError, match="view"), team.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE figure_sources SET value_text = '1'")
    finally:
        team.close()


def test_a_0003_postgresql_store_upgrades_to_the_view(pg_seeded_url):
    migrate(pg_seeded_url, "0003", command.downgrade)
    engine = make_engine(pg_seeded_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_views WHERE viewname = 'figure_sources'").scalar() == 0
    assert current_revision(engine) == "0003"
    engine.dispose()

    store = open_store(pg_seeded_url)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            _check_rows(_records(pandas.read_sql(SELECT_ALL, conn)), store)
    finally:
        store.close()
