"""A store made by the first schema revision, with data, upgrades to this version with nothing lost."""

from __future__ import annotations

import sqlite3

from alembic import command

from store import open_store
from store.backup import backups
from store.db import make_engine
from store.schema import alembic_config, current_revision, head_revision

TABLES = ("meta", "documents", "groupings", "clusters", "cluster_groupings", "entities", "metrics", "figures",
          "anchors")


def _columns(con: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [row[1] for row in con.execute(f"PRAGMA {schema}.table_info({table})")]


def migrate(url: str, revision: str, step=command.upgrade) -> None:
    """Take a database to `revision` (up, or down with `step=command.downgrade`) in one transaction."""
    engine = make_engine(url)
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            step(config, revision)
    finally:
        engine.dispose()


def _first_revision_store(path, seeded_path) -> None:
    """Schema 0001, filled with the seed data through plain SQL (the models already have later columns)."""
    migrate(f"sqlite:///{path}", "0001")
    con = sqlite3.connect(path)
    con.execute("ATTACH DATABASE ? AS seeded", (str(seeded_path),))
    for table in TABLES:
        if table == "meta":
            continue  # alembic_version lives beside it; the seeds_loaded marker is copied below
        names = ", ".join(f'"{c}"' for c in _columns(con, table))
        con.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM seeded.{table}")
    con.execute("INSERT INTO main.meta SELECT * FROM seeded.meta")
    con.commit()
    con.close()


def test_a_first_revision_store_with_data_upgrades_with_every_figure_and_quote(tmp_path, seeded_path):
    old = tmp_path / "old.sqlite3"
    _first_revision_store(old, seeded_path)
    engine = make_engine(f"sqlite:///{old}")
    assert current_revision(engine) == "0001"
    engine.dispose()

    store = open_store(str(old))  # backs the old store up, then upgrades it in one transaction
    assert current_revision(store.engine) == head_revision()
    store.close()
    [saved] = backups(old)
    copy = sqlite3.connect(saved)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM figures").fetchone()[0] > 100
    copy.close()
    assert not list(saved.parent.glob(".backup-*"))

    con = sqlite3.connect(old)
    con.execute("ATTACH DATABASE ? AS seeded", (str(seeded_path),))
    for table in TABLES:
        assert con.execute(f"SELECT count(*) FROM main.{table}").fetchone() == \
            con.execute(f"SELECT count(*) FROM seeded.{table}").fetchone(), table
    quotes = "SELECT a.figure_id, a.start, a.\"end\", a.quote, f.value_text FROM {0}.anchors a JOIN {0}.figures f " \
             "ON f.id = a.figure_id ORDER BY a.figure_id"
    assert con.execute(quotes.format("main")).fetchall() == con.execute(quotes.format("seeded")).fetchall()
    assert "flag" in _columns(con, "figures") and "annotations" in [
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    # 0005: the lineage links, empty until proposed (`python -m store lineage --propose`).
    assert _columns(con, "lineage_links") == ["id", "figure_id", "source_id", "verdict", "status", "created_by",
                                              "created_at", "decided_by", "decided_at", "version"]
    assert con.execute("SELECT count(*) FROM lineage_links").fetchone() == (0,)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_a_new_store_and_an_up_to_date_store_are_not_backed_up(tmp_path, seeded_path):
    open_store(str(tmp_path / "new.sqlite3")).close()
    open_store(str(seeded_path)).close()
    assert backups(tmp_path / "new.sqlite3") == [] and backups(seeded_path) == []


def test_backups_are_bounded_and_never_half_written(seeded_path):
    from store.backup import KEEP, backup

    made = [backup(seeded_path, f"test{n:02}") for n in range(KEEP + 2)]
    kept = backups(seeded_path)
    assert len(kept) == KEEP and made[-1] in kept and made[0] not in kept
    assert not list(kept[0].parent.glob(".backup-*"))


def test_lineage_links_go_down_to_0004_and_come_back_with_the_figures_kept(seeded_path):
    url = f"sqlite:///{seeded_path}"
    con = sqlite3.connect(seeded_path)
    linked = con.execute("SELECT count(*) FROM lineage_links").fetchone()[0]
    figures = con.execute("SELECT count(*) FROM figures").fetchone()
    con.close()
    assert linked > 0  # the seeds' restatements, proposed when they were loaded
    migrate(url, "0004", step=command.downgrade)
    con = sqlite3.connect(seeded_path)
    assert _columns(con, "lineage_links") == []
    assert con.execute("SELECT count(*) FROM figures").fetchone() == figures
    assert con.execute("SELECT count(*) FROM figure_sources").fetchone() == figures
    con.close()
    migrate(url, "head")
    store = open_store(str(seeded_path))
    try:
        from store.lineage import links, propose_links

        assert links(store) == []
        assert propose_links(store).action_id is not None
        assert len(links(store)) == linked
    finally:
        store.close()
