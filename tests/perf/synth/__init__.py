"""Synthetic stores: a grown taxonomy, documents and anchored figures, made in bulk from a seed.

Why: the GUI's queries (the tree's GROUP BY, paged and sorted tables, conflicts,
charts) must be tried on stores of a million figures, and nobody curates that
many. Everything grows from what the seeds put in the store: the groupings, the
metrics (never invented; values respect each unit_kind) and some seed clusters.

Choices, so the data exercises the store the way curation would:
- A document is about a few clusters and states their figures in template
  sentences ("In 2019, the Foshan robotics cluster earned operating revenue of
  12.3 billion yuan, up 8.1 percent year on year."); every anchor is the exact
  span of its quote, with its prefix, suffix and the document's sha256. Quotes
  are written the way store.values.numbers reads them, so no figure needs a flag.
- A figure's key (metric, entity, cluster, period) is fresh unless it is made on
  purpose to restate one from an earlier document: ~1% conflicts (another value),
  ~1% agreements (the same value), ~2% revisions (the earlier figure becomes
  superseded by the new one). Random keys would collide by chance and blur those rates.
- Deterministic: one random.Random(seed) drawn in a fixed order; no clock, no
  iteration over sets. Same seed, same store, byte for byte in every row.
- Fast: rows are tuples made once (tests/perf/synth/documents.py) and written with
  DB-API executemany in one transaction on one connection; the columns all rows
  share are SQL literals; the figures' and anchors' secondary indexes are rebuilt
  once at the end of a large load; the cyclic GC is paused. While loading, the
  store uses a rollback journal instead of its WAL (the pages a load adds are
  written once, not to the WAL and then again into the file), synced
  at the commit only, and a big cache; then it goes back to WAL. Foreign keys are
  checked once at the end, through the indexes, rather than row by row.
- Never half-made: the load is one transaction (DDL included); any failure rolls
  it back, and a process killed mid-load leaves a hot journal that SQLite rolls
  back when the store is next opened. The "synthetic" meta row, written last,
  is what says a store is complete.

Where the time goes, 1M figures on the 2-core EPYC VM: about 13 s making the words and rows in
Python, 8 s of inserts, 5-6 s rebuilding indexes, checking references, ANALYZE and the commit.
The summary line of `python -m store synth` says what each of its rates counts.
"""

from __future__ import annotations

import gc
import json
import random
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from store.errors import StoreError
from tests.perf.synth.documents import Documents
from tests.perf.synth.facts import LAST_MONTH
from tests.perf.synth.sql import (
    ANCHOR_SQL,
    ANNOTATION_SQL,
    DOCUMENT_SQL,
    FIGURE_SQL,
    META_SQL,
    SUPERSEDE_SQL,
    check_columns,
    drop_indexes,
)
from tests.perf.synth.taxonomy import META_KEY, Taxonomy
from tests.perf.synth.words import CLUSTER_NOTES, CURATORS

GENERATOR = "store.synth 2"  # stored in each synthetic store: kept as it was, so cached stores stay valid
CHUNK_FIGURES = 50_000  # rows kept in memory between writes
# (child table, column, parent table) of the rows a load writes by the million; see check_references
REFERENCES = (("figures", "cluster_id", "clusters"), ("figures", "entity_id", "entities"),
              ("figures", "metric_id", "metrics"), ("anchors", "document_id", "documents"),
              ("anchors", "figure_id", "figures"))
LOAD_CACHE_KIB = 1_048_576  # 1 GiB of page cache while loading: the B-trees being filled stay in memory


@dataclass
class SynthReport:
    figures: int
    documents: int
    clusters: int
    seconds: float
    write_seconds: float = 0.0  # in SQLite: inserts, index rebuild, reference checks, ANALYZE, commit and its sync
    rows: int = 0  # every row inserted or updated: documents, figures, anchors, revisions, taxonomy, notes, meta
    insert_seconds: float = 0.0  # of write_seconds, in the executemany of documents, figures, anchors, revisions
    inserted: int = 0  # the rows those wrote (all but the taxonomy, the notes and the meta row)


def synth(store, figures: int, documents: int, seed: int = 0,
          progress: Callable[[int, int], None] | None = None) -> SynthReport:
    """Add `figures` synthetic figures in `documents` documents, with their taxonomy, to a seeded SQLite store."""
    if figures < 1 or documents < 1:
        raise StoreError(f"synth needs at least 1 figure and 1 document (asked for {figures} and {documents})")
    if documents > figures:
        raise StoreError(f"synth needs at least one figure per document ({documents:,} documents, {figures:,} figures)")
    if store.path is None:
        raise StoreError("synth writes SQLite store files only; give --db a file path")
    check_columns()
    began = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples and no cycles: the cyclic collector would cost a quarter of the time
    raw = store.engine.raw_connection()  # a pooled connection, with the store's pragmas (WAL, FULL, foreign keys)
    db = raw.driver_connection
    try:
        with _bulk_settings(db):
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"the store is busy ({exc}); close the program writing to it and try again") from exc
            try:
                loader = _Loader(db.cursor(), random.Random(seed), figures, documents, seed, progress)
                report = loader.run()
                analyzing = time.perf_counter()
                db.execute("ANALYZE")  # statistics for the planner, committed with the data
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        report.write_seconds += time.perf_counter() - analyzing  # with the sync and the switch back to WAL
    except sqlite3.Error as exc:
        raise StoreError(f"synth failed and wrote nothing: {exc}") from exc
    finally:
        raw.close()
        if collecting:
            gc.enable()
    report.seconds = time.perf_counter() - began
    return report


@contextmanager
def _bulk_settings(db: sqlite3.Connection) -> Iterator[None]:
    """Settings for one big write; the connection's own again after it, so it goes back to the pool as it came."""
    saved = {name: db.execute(f"PRAGMA {name}").fetchone()[0]
             for name in ("foreign_keys", "synchronous", "cache_size", "journal_mode")}
    # Checked once at the end instead (check_references): an insert's lookups of its parents cost a fifth of the load.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        # Only the store's pages that the load changes go to the journal, not the pages it adds. Another
        # connection to the store keeps it in WAL (SQLite refuses the switch): slower, just as safe.
        rollback = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    except sqlite3.OperationalError:
        rollback = False
    # With a rollback journal, NORMAL syncs the journal before the file is written and the file before the
    # journal goes: a crash never leaves a half store. In WAL, checksums do that and no sync is needed until
    # the WAL is folded into the file, which happens with the pool's own setting.
    db.execute(f"PRAGMA synchronous = {'NORMAL' if rollback else 'OFF'}")
    db.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        for name in ("foreign_keys", "synchronous", "cache_size"):
            db.execute(f"PRAGMA {name} = {saved[name]}")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != saved["journal_mode"]:
            db.execute(f"PRAGMA journal_mode = {saved['journal_mode']}")


def check_references(cur) -> None:
    """What foreign keys would have refused, checked once after the load through the rebuilt indexes."""
    dangling = [f"{column} {child}" for child, column, parent in REFERENCES if cur.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT {column} AS ref FROM {child}) "
        f"WHERE ref IS NOT NULL AND ref NOT IN (SELECT id FROM {parent})").fetchone()[0]]
    dangling += [f"rows of {table}" for table in ("entities", "cluster_groupings", "annotations")
                 if cur.execute(f"PRAGMA foreign_key_check({table})").fetchone()]
    if dangling:
        raise StoreError(f"synth made rows that point at nothing ({', '.join(dangling)}); nothing was written")


class _Loader:
    """One load: read what the store holds, grow the taxonomy, then write the documents chunk by chunk."""

    def __init__(self, cur, rnd: random.Random, figures: int, documents: int, seed: int, progress):
        self.cur, self.rnd, self.n, self.d, self.seed = cur, rnd, figures, documents, seed
        self.progress = progress or (lambda done, total: None)
        self.write_seconds, self.rows, self.insert_seconds, self.inserted = 0.0, 0, 0.0, 0

    def run(self) -> SynthReport:
        tax = Taxonomy(self.cur, self.rnd, self.n)
        # Building an index once is cheaper than keeping it up to date through a million random inserts;
        # worth it when the load at least doubles the figures. DDL is transactional: a failed load keeps them.
        rebuild = drop_indexes(self.cur) if self.n >= tax.existing else []
        tax.grow()
        self.rows += tax.new_entities + tax.new_clusters + len(tax.new_links)
        docs = Documents(self.rnd, tax)
        rnd, n, d = self.rnd, self.n, self.d
        first = 2012 * 12  # documents from January 2012 to March 2026, more of them lately
        months = sorted(first + int((LAST_MONTH - first + 1) * rnd.random() ** 0.6) for _ in range(d))
        done = 0
        for number, (month, size) in enumerate(zip(months, _split(n, d, rnd)), start=1):
            docs.document(number, month, size)
            done += size
            if len(docs.figures) >= CHUNK_FIGURES or number == d:
                self._flush(docs.take_rows())
                self.progress(done, n)
        for cluster in tax.clusters:
            if cluster[0] >= tax.first_cluster and rnd.random() < 0.03:
                docs.notes.append(("cluster", None, cluster[0], None, None, None, "", rnd.choice(CLUSTER_NOTES),
                                   rnd.choice(CURATORS), "2026-03-02 09:30:00.000000"))
        began = time.perf_counter()
        self.cur.executemany(ANNOTATION_SQL, [note + (note[-1],) for note in docs.notes])
        for sql in rebuild:
            self.cur.execute(sql)
        check_references(self.cur)
        self.write_seconds += time.perf_counter() - began
        params = {"figures": n, "documents": d, "seed": self.seed, "clusters": tax.new_clusters,
                  "entities": tax.new_entities, "generator": GENERATOR}
        self.cur.execute(META_SQL, (META_KEY, json.dumps(params, sort_keys=True)))  # last: the store is complete
        self.rows += len(docs.notes) + 1
        return SynthReport(n, d, tax.new_clusters, 0.0, self.write_seconds, self.rows, self.insert_seconds,
                           self.inserted)

    def _flush(self, rows: dict[str, list[tuple]]) -> None:
        cur = self.cur
        began = time.perf_counter()
        cur.executemany(DOCUMENT_SQL, rows["documents"])
        cur.executemany(FIGURE_SQL, rows["figures"])
        cur.executemany(ANCHOR_SQL, rows["anchors"])
        cur.executemany(SUPERSEDE_SQL, rows["superseded"])
        self.write_seconds += time.perf_counter() - began
        self.insert_seconds += time.perf_counter() - began
        self.inserted += sum(len(batch) for batch in rows.values())
        self.rows += sum(len(batch) for batch in rows.values())


def _split(total: int, parts: int, rnd: random.Random) -> list[int]:
    """`total` figures over `parts` documents, each at least one, sizes varying as articles do."""
    weights = [rnd.lognormvariate(0, 0.5) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):  # what rounding down left over
        sizes[i % parts] += 1
    return sizes
