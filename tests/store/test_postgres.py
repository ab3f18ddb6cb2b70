"""The team store on a real PostgreSQL server: migrations with data, the same answers as SQLite,
and a connection lost mid-save that rolls back cleanly and recovers when the server returns."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic import command
from sqlalchemy import MetaData, event, func, insert, inspect, select

from store import open_store
from store.curation.figures import edit_figure
from store.errors import StoreBusy
from store.models import Action, Change, Figure
from store.opening.db import make_engine
from store.opening.schema import alembic_config, current_revision, head_revision
from store.query.columns import FigureColumns
from tests.conftest import ROOT
from tests.seed_conflicts import restate_exactly
from tests.seed_counts import SEED_FIGURES

FIGURE = 1
TABLES = ("meta", "documents", "groupings", "clusters", "cluster_groupings", "entities", "metrics", "figures",
          "anchors")


def _jsonl(url: str) -> str:
    result = subprocess.run([sys.executable, "-m", "store", "--db", url, "figures", "--format", "jsonl"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_command_line_lists_the_same_figures_from_postgresql_as_from_sqlite(pg_seeded_url, seeded_path):
    on_postgres = _jsonl(pg_seeded_url)
    assert on_postgres == _jsonl(str(seeded_path)) and on_postgres.count("\n") == SEED_FIGURES


def test_the_gui_columns_load_the_same_from_postgresql(pg_seeded_url, seeded_store):
    team = open_store(pg_seeded_url)
    try:
        for store in (seeded_store, team):
            restate_exactly(store)  # conflicts to count: the seeds as loaded hold none (tests.seed_conflicts)
        with seeded_store.read() as mine, team.read() as shared:
            ours, theirs = FigureColumns.load(mine), FigureColumns.load(shared)
        assert len(theirs.id) == len(ours.id) == SEED_FIGURES
        assert (theirs.id == ours.id).all() and (theirs.value == ours.value).all()
        assert theirs.quotes.to_pylist() == ours.quotes.to_pylist()
        assert theirs.names == ours.names and theirs.conflict.sum() == ours.conflict.sum() > 0
    finally:
        team.close()


def test_a_first_revision_postgresql_store_with_data_upgrades_with_every_quote(pg_server, seeded_store):
    name = pg_server.new_database()
    url = pg_server.url(name)
    engine = make_engine(url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        old = MetaData()
        old.reflect(conn)
        with seeded_store.engine.connect() as source:
            for table in TABLES:  # only the columns revision 0001 has
                names = [column["name"] for column in inspect(conn).get_columns(table)]
                listed = ", ".join(f'"{name}"' for name in names)
                rows = source.exec_driver_sql(f"SELECT {listed} FROM {table}").all()
                conn.execute(insert(old.tables[table]), [dict(zip(names, row)) for row in rows])
    assert current_revision(engine) == "0001"
    engine.dispose()

    store = open_store(url)
    try:
        assert current_revision(store.engine) == head_revision()
        quotes = "SELECT a.figure_id, a.start, a.\"end\", a.quote, f.value_text FROM anchors a JOIN figures f " \
                 "ON f.id = a.figure_id ORDER BY a.figure_id"
        with store.engine.connect() as upgraded, seeded_store.engine.connect() as seeded:
            assert upgraded.exec_driver_sql(quotes).all() == seeded.exec_driver_sql(quotes).all()
            for table in TABLES:
                count = f"SELECT count(*) FROM {table}"
                assert upgraded.exec_driver_sql(count).scalar() == seeded.exec_driver_sql(count).scalar(), table
        edit_figure(store, FIGURE, {"note": "saved after the upgrade"})  # the new columns and tables work
    finally:
        store.close()
        pg_server.drop_database(name)


def _state(store) -> tuple:
    with store.read() as session:
        figure = session.get(Figure, FIGURE)
        return (figure.value_text, figure.version, session.scalar(select(func.count()).select_from(Action)),
                session.scalar(select(func.count()).select_from(Change)))


def test_a_backend_killed_mid_save_rolls_back_and_the_retry_saves(pg_server, pg_seeded_url):
    store = open_store(pg_seeded_url)
    database = pg_seeded_url.rsplit("/", 1)[1]
    before = _state(store)
    killed = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def kill_when_history_is_written(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO changes") and not killed:  # the figure row is already updated
            killed.append(pg_server.terminate_backends(database))

    try:
        with pytest.raises(StoreBusy, match="connection to the database server was lost.*Nothing was changed"):
            edit_figure(store, FIGURE, {"value_text": "64"}, expected_version=before[1])
        assert killed == [1]
        assert _state(store) == before  # nothing of the action is there: not the figure, not the history
        edit_figure(store, FIGURE, {"value_text": "64"}, expected_version=before[1])  # the same edit, retried
        assert _state(store)[:2] == ("64", before[1] + 1)
    finally:
        store.close()


def test_a_save_while_the_server_is_down_is_refused_and_works_when_it_returns(pg_server, pg_seeded_url):
    store = open_store(pg_seeded_url)
    before = _state(store)
    pg_server.stop()
    try:
        with pytest.raises(StoreBusy, match="Nothing was changed; your change is kept"):
            edit_figure(store, FIGURE, {"value_text": "66"}, expected_version=before[1])
    finally:
        pg_server.start()
    edit_figure(store, FIGURE, {"value_text": "66"}, expected_version=before[1])
    assert _state(store)[:3] == ("66", before[1] + 1, before[2] + 1)
    store.close()
