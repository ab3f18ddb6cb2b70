"""store.synth: synthetic stores that are deterministic, consistent with their documents, and realistic enough
for the GUI's queries (tree, conflicts, review statuses) to be tried on them. Real SQLite files throughout."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.seed_counts import SEED_FIGURES, SEED_DOCUMENTS
from store import StoreError, open_store
from store.conflicts import conflict_groups, conflict_ids
from store.curation import unit_kind
from store.exact import canonical, parse_exact
from store.models import Figure
from store.numbers import guess_period, quote_disagrees
from store.periods import parse_period
from store.provenance import anchor_failures, sentence_around
from store.synth import META_KEY, cluster_target, synth
from store.taxonomy import build_tree

N, D = 5000, 50
SYNTHETIC = ("SELECT f.* FROM figures f JOIN anchors a ON a.figure_id = f.id "
             "JOIN documents d ON d.id = a.document_id WHERE d.origin = 'synthetic' ORDER BY f.id")


def _copy(template, folder, name="store.sqlite3"):
    path = folder / name
    shutil.copyfile(template, path)
    return path


@pytest.fixture(scope="module")
def made(seeded_template, tmp_path_factory):
    """One synthetic store (5,000 figures in 50 documents) for the read-only checks, with what seeds it had."""
    path = _copy(seeded_template, tmp_path_factory.mktemp("synth"))
    store = open_store(str(path))
    with store.engine.connect() as conn:
        before = {kind: conn.exec_driver_sql(f"SELECT count(*) FROM {kind}").scalar()
                  for kind in ("groupings", "metrics", "clusters", "entities")}
        indexes = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all()
    calls = []
    report = synth(store, N, D, seed=0, progress=lambda done, total: calls.append((done, total)))
    yield store, path, report, before, indexes, calls
    store.close()


def _rows(path, sql, *args):
    conn = sqlite3.connect(path)
    try:  # closed now, not when the garbage collector gets to it: an open connection keeps a store in WAL
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_counts_report_and_meta(made):
    store, path, report, before, _, calls = made
    assert (report.figures, report.documents, report.clusters) == (N, D, cluster_target(N)) == (N, D, 200)
    assert report.seconds > 0
    assert _rows(path, "SELECT count(*) FROM figures")[0][0] == SEED_FIGURES + N
    assert _rows(path, "SELECT count(*) FROM anchors")[0][0] == SEED_FIGURES + N
    assert _rows(path, "SELECT count(*) FROM figure_sources")[0][0] == SEED_FIGURES + N  # one row each, joined
    assert _rows(path, "SELECT origin, count(*) FROM documents GROUP BY origin ORDER BY origin") == [
        ("seed", SEED_DOCUMENTS), ("synthetic", D)]
    assert _rows(path, "SELECT count(*) FROM clusters")[0][0] == before["clusters"] + 200
    assert 200 <= _rows(path, "SELECT count(*) FROM entities")[0][0] - before["entities"] <= 600
    # No grouping or metric is invented: the new clusters grow under the seeds' own.
    assert _rows(path, "SELECT count(*) FROM groupings")[0][0] == before["groupings"]
    assert _rows(path, "SELECT count(*) FROM metrics")[0][0] == before["metrics"]
    params = json.loads(_rows(path, "SELECT value FROM meta WHERE key = ?", META_KEY)[0][0])
    assert (params["figures"], params["documents"], params["seed"]) == (N, D, 0)
    assert calls and calls[-1] == (N, N) and [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_seeds_are_kept(made, seeded_template):
    _, path, *_ = made
    seed_rows = "SELECT key, value_text, status, note FROM figures WHERE id <= ? ORDER BY id"
    assert _rows(path, seed_rows, SEED_FIGURES) == _rows(seeded_template, seed_rows, SEED_FIGURES)


def test_every_anchor_matches_and_the_file_is_sound(made):
    store, path, *_ = made
    with store.read() as session:
        assert anchor_failures(session) == []
    assert _rows(path, "PRAGMA foreign_key_check") == []
    assert _rows(path, "PRAGMA quick_check") == [("ok",)]
    # Each anchor keeps the 32 characters either side and the hash of its document.
    for start, end, quote, prefix, suffix, digest, text, sha in _rows(path, (
            "SELECT a.start, a.\"end\", a.quote, a.prefix, a.suffix, a.doc_sha256, d.text, d.sha256 FROM anchors a "
            "JOIN documents d ON d.id = a.document_id WHERE d.origin = 'synthetic' AND a.id % 7 = 0")):
        assert text[start:end] == quote and prefix == text[max(0, start - 32):start] and suffix == text[end:end + 32]
        assert digest == sha


def test_indexes_and_statistics_are_back(made):
    _, path, _, _, indexes, _ = made
    assert _rows(path, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name") == indexes
    assert _rows(path, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'figures'")[0][0] > 0  # ANALYZE ran


def test_the_connection_is_durable_again(made):
    store, *_ = made
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_quotes_state_their_values_and_periods(made):
    """Every quote reads back (store.numbers) as its value, and every sentence as its period."""
    _, path, *_ = made
    rows = _rows(path, "SELECT f.value, f.value_text, f.unit, f.period, f.period_start, f.period_end, f.flag, a.quote, "
                       "a.start, a.\"end\", d.text, d.published FROM figures f JOIN anchors a ON a.figure_id = f.id "
                       "JOIN documents d ON d.id = a.document_id WHERE d.origin = 'synthetic'")
    for value, value_text, unit, period, start_month, end_month, flag, quote, start, end, text, published in \
            random.Random(1).sample(rows, 600):
        exact = parse_exact(value_text)
        assert canonical(exact) == value_text and value == float(exact) and flag == ""
        assert quote_disagrees(quote, exact, unit) is None, quote
        parsed = parse_period(period)
        assert (parsed.start, parsed.end) == (start_month, end_month)
        assert guess_period(sentence_around(text, start, end), published) == period
        assert published[:7] > end_month  # a document reports what is over when it is written


def test_values_respect_the_metrics_unit_kinds(made):
    _, path, *_ = made
    rows = _rows(path, "SELECT f.unit, f.value, f.period, m.unit_kind FROM figures f JOIN metrics m ON m.id = f.metric_id "
                       "WHERE f.key LIKE 'S%'")
    for unit, value, period, kind in rows:
        assert unit_kind(unit) == kind, (unit, kind)
        if unit == "yuan":
            assert 1e8 <= value <= 2e12
        elif unit == "%":
            assert 0.1 <= value <= 80
        elif kind == "count":
            assert value == int(value) and value >= 1
        assert "2011" <= period[:4] <= "2025"
    periods = Counter("/" in period or "-" in period for _, _, period, _ in rows)
    assert 0.05 < periods[True] / len(rows) < 0.4  # mostly years, some part-years (2025-01/2025-05, H1, quarters)
    years = {period[:4] for _, _, period, _ in rows}
    assert len(years) >= 12


def test_status_mix(made):
    _, path, *_ = made
    rows = _rows(path, "SELECT status, status_reason, superseded_by_id FROM figures WHERE key LIKE 'S%'")
    share = {status: n / len(rows) for status, n in Counter(status for status, _, _ in rows).items()}
    assert 0.65 < share["verified"] < 0.75 and 0.16 < share["candidate"] < 0.24
    assert 0.03 < share["disputed"] < 0.07 and 0.015 < share["rejected"] < 0.045 and 0.01 < share["superseded"] < 0.03
    assert all(reason for status, reason, _ in rows if status in ("disputed", "rejected", "superseded"))
    assert all(by is not None for status, _, by in rows if status == "superseded")


def test_superseded_figures_are_revised_by_the_same_fact_elsewhere(made):
    _, path, *_ = made
    pairs = _rows(path, "SELECT o.metric_id, o.entity_id, o.cluster_id, o.period, o.unit, oa.document_id, "
                        "n.metric_id, n.entity_id, n.cluster_id, n.period, n.unit, na.document_id, o.value_text, "
                        "n.value_text FROM figures o JOIN figures n ON n.id = o.superseded_by_id "
                        "JOIN anchors oa ON oa.figure_id = o.id JOIN anchors na ON na.figure_id = n.id "
                        "WHERE o.status = 'superseded'")
    assert pairs
    for row in pairs:
        assert row[:5] == row[6:11] and row[5] != row[11] and row[12] != row[13]


def test_conflicts_exist_across_documents(made):
    store, path, *_ = made
    with store.read() as session:
        ids = conflict_ids(session)
        groups = conflict_groups(session)
    synthetic = {fid for fid, in _rows(path, "SELECT id FROM figures WHERE key LIKE 'S%'")}
    assert 0.005 < len(ids & synthetic) / N < 0.04
    docs = dict(_rows(path, "SELECT figure_id, document_id FROM anchors"))
    assert all(len({docs[fid] for fid in group}) > 1 for group in groups if set(group) <= synthetic)


def test_the_tree_holds_the_new_clusters_under_the_seed_groupings(made):
    store, path, _, before, *_ = made
    with store.read() as session:
        tree = build_tree(session)
        total = session.scalar(select(func.count()).select_from(Figure))
    assert tree.counts.figures == total
    grouped = set()

    def walk(node):
        for child in node.children:
            if child.kind == "cluster":
                grouped.add(child.id)
            walk(child)
    walk(tree)
    new = {cid for cid, in _rows(path, "SELECT id FROM clusters WHERE key LIKE 'syn_%'")}
    assert len(new) == 200 and new <= grouped
    memberships = Counter(cid for cid, in _rows(path, "SELECT cluster_id FROM cluster_groupings"))
    assert {memberships[cid] for cid in new} <= {1, 2}
    region = next(node for node in tree.children if node.key == "region")
    assert region.counts.figures > N / 2  # most synthetic clusters sit in a region of the seeds
    names = [name for name, in _rows(path, "SELECT name FROM clusters WHERE key LIKE 'syn_%'")]
    assert len(set(names)) == len(names)


def test_documents_read_like_articles(made):
    _, path, *_ = made
    rows = _rows(path, "SELECT text, sha256, title, publisher, published FROM documents WHERE origin = 'synthetic'")
    for text, sha, title, publisher, published in rows:
        assert 2000 <= len(text) <= 60_000 and "\n\n" in text
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha
        assert title and publisher and "2012-01" <= published <= "2026-03"
    assert 5_000 < sum(len(text) for text, *_ in rows) / len(rows) < 30_000


def test_annotations_on_figures_clusters_and_spans(made):
    _, path, *_ = made
    targets = dict(_rows(path, "SELECT target, count(*) FROM annotations GROUP BY target"))
    assert targets.get("figure", 0) >= 5 and targets.get("cluster", 0) >= 1 and targets.get("span", 0) >= 1
    for start, end, quote, text in _rows(path, "SELECT n.start, n.\"end\", n.quote, d.text FROM annotations n "
                                               "JOIN documents d ON d.id = n.document_id"):
        assert text[start:end] == quote


def test_same_seed_same_store_other_seed_another(seeded_template, tmp_path):
    def make(name, seed):
        path = _copy(seeded_template, tmp_path, name)
        store = open_store(str(path))
        synth(store, 2000, 20, seed=seed)
        store.close()
        return (_rows(path, SYNTHETIC), _rows(path, "SELECT * FROM anchors WHERE id > ? ORDER BY id", SEED_FIGURES),
                _rows(path, "SELECT sha256 FROM documents ORDER BY id"), _rows(path, "SELECT * FROM clusters"))

    first, again, other = make("a.sqlite3", 7), make("b.sqlite3", 7), make("c.sqlite3", 8)
    assert len(first[0]) == 2000 and first == again
    assert first[0] != other[0] and first[2] != other[2]


@pytest.mark.parametrize("figures, documents, says", [
    (0, 1, "at least 1 figure"), (10, 0, "at least 1 figure"), (10, 11, "one figure per document"),
])
def test_refuses_impossible_sizes(seeded_store, figures, documents, says):
    with pytest.raises(StoreError, match=says):
        synth(seeded_store, figures, documents)


def test_refuses_a_store_that_is_already_synthetic(seeded_store):
    synth(seeded_store, 300, 3, seed=4)
    with pytest.raises(StoreError, match=r'already holds synthetic data.*"figures": 300') as caught:
        synth(seeded_store, 300, 3)
    assert "\n" not in str(caught.value)
    with seeded_store.read() as session:
        assert session.scalar(select(func.count()).select_from(Figure)) == SEED_FIGURES + 300


def test_a_failure_leaves_the_store_as_it_was(seeded_store, seeded_path, monkeypatch):
    import store.synth as synth_module

    indexes = _rows(seeded_path, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
    original = synth_module._Loader._flush
    calls = []

    def failing_flush(self, rows):
        calls.append(1)
        original(self, rows)
        if len(calls) == 2:  # some chunks are written, then the disk is "full"
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(synth_module._Loader, "_flush", failing_flush)
    with pytest.raises(StoreError, match="wrote nothing: database or disk is full"):
        synth(seeded_store, 60_000, 300)
    assert _rows(seeded_path, "SELECT count(*) FROM figures")[0][0] == SEED_FIGURES
    assert _rows(seeded_path, "SELECT count(*) FROM documents")[0][0] == SEED_DOCUMENTS
    assert _rows(seeded_path, "SELECT count(*) FROM meta WHERE key = ?", META_KEY)[0][0] == 0
    assert _rows(seeded_path, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name") == indexes
    with seeded_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "store", *args], capture_output=True, text=True, timeout=300)


def test_command_line(seeded_path):
    done = _cli("synth", "--figures", "2000", "--documents", "20", "--db", str(seeded_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and "2,000 synthetic figures in 20 documents" in lines[0] and done.stderr == ""
    verified = _cli("verify", "--db", str(seeded_path))
    assert verified.returncode == 0 and f"all {SEED_FIGURES + 2000} anchors match" in verified.stdout
    again = _cli("synth", "--figures", "2000", "--documents", "20", "--db", str(seeded_path))
    assert again.returncode == 2 and again.stdout == ""
    assert len(again.stderr.splitlines()) == 1 and "already holds synthetic data" in again.stderr


@pytest.mark.parametrize("figures, documents", [("0", "1"), ("5", "6"), ("-3", "1")])
def test_command_line_refusals(tmp_path, figures, documents):
    done = _cli("synth", "--figures", figures, "--documents", documents, "--db", str(tmp_path / "s.sqlite3"))
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("python -m store: error: synth needs")


_KILLED_MID_LOAD = """
import os, sys
import store.synth as synth_module
from store import open_store

synth_module.CHUNK_FIGURES = 500
original, calls = synth_module._Loader._flush, []

def flush(self, rows):
    original(self, rows)
    calls.append(1)
    if len(calls) == 3:  # some chunks written: the process dies as a kill -9 would, nothing cleaned up
        os._exit(7)

synth_module._Loader._flush = flush
synth_module.synth(open_store(sys.argv[1]), 5000, 50)
"""


def test_a_load_killed_midway_leaves_the_store_as_it_was(seeded_path):
    """A kill mid-load leaves a journal that SQLite rolls back on the next open: never a half store."""
    seed_rows = "SELECT key, value_text, status FROM figures ORDER BY id"
    before = _rows(seeded_path, seed_rows)
    done = subprocess.run([sys.executable, "-c", _KILLED_MID_LOAD, str(seeded_path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 7, done.stderr
    assert seeded_path.with_name(seeded_path.name + "-journal").exists()  # the load ran with a rollback journal
    store = open_store(str(seeded_path))
    store.close()
    assert _rows(seeded_path, seed_rows) == before
    assert _rows(seeded_path, "SELECT count(*) FROM documents")[0][0] == SEED_DOCUMENTS
    assert _rows(seeded_path, "SELECT count(*) FROM meta WHERE key = ?", META_KEY)[0][0] == 0
    assert _rows(seeded_path, "PRAGMA quick_check") == [("ok",)]
    assert _rows(seeded_path, "PRAGMA journal_mode") == [("wal",)]


def test_the_store_is_back_in_wal_with_its_indexes_and_references_checked(made):
    _, path, *_ = made
    assert _rows(path, "PRAGMA journal_mode") == [("wal",)]  # what every later connection finds in the file
    assert not path.with_name(path.name + "-journal").exists()


def test_a_dangling_reference_is_refused_and_nothing_is_written(seeded_store, seeded_path, monkeypatch):
    """Foreign keys are checked once after the load rather than row by row: a bad row still stops the load."""
    import store.synth_documents as documents

    original = documents.Documents._figure

    def orphan(self, *args, **kwargs):
        made_figure = original(self, *args, **kwargs)
        if made_figure[0] % 97 == 0:
            self.figures[-1] = self.figures[-1][:12] + (999_999,) + self.figures[-1][13:]  # a metric that is not there
        return made_figure

    monkeypatch.setattr(documents.Documents, "_figure", orphan)
    with pytest.raises(StoreError, match="point at nothing.*metric_id figures"):
        synth(seeded_store, 2000, 20)
    assert _rows(seeded_path, "SELECT count(*) FROM figures")[0][0] == SEED_FIGURES
    with seeded_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
