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
  are written the way store.numbers reads them, so no figure needs a flag.
- A figure's key (metric, entity, cluster, period) is fresh unless it is made on
  purpose to restate one from an earlier document: ~1% conflicts (another value),
  ~1% agreements (the same value), ~2% revisions (the earlier figure becomes
  superseded by the new one). Random keys would collide by chance and blur those rates.
- Deterministic: one random.Random(seed); no clock, no iteration over sets.
- Fast: DB-API executemany in one transaction on one connection; the columns all
  rows share are SQL literals (pysqlite adapts a bound None slowly); the figures'
  and anchors' secondary indexes are rebuilt once at the end of a large load;
  synchronous=OFF and a big cache only while loading; the cyclic GC paused.
  Foreign keys stay on. Any failure rolls the whole load back (DDL included):
  a store is never left half-made. On a 2-core EPYC VM: 1M figures in ~31 s,
  of which ~14 s in SQLite; the rest is making the words.
"""

from __future__ import annotations

import gc
import hashlib
import json
import random
import re
import sqlite3
import time
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from store.errors import StoreError
from store.models import Anchor, Document, Figure
from store.periods import parse_period

META_KEY = "synthetic"
GENERATOR = "store.synth 1"
MAX_CLUSTERS, CHUNK_FIGURES = 4000, 20_000
LOAD_CACHE_KIB = 1_048_576  # 1 GiB of page cache while loading: the B-trees being filled stay in memory
FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2011, 2025, 2026 * 12 + 2  # periods 2011-2025; documents up to March 2026
# Review status of a fresh figure: verified below the first cut, candidate, disputed, else rejected (3.1%).
# With the ~2% superseded that revisions make, the store holds ~70/20/5/3/2 percent.
STATUS_CUTS = (0.714, 0.918, 0.969)
P_CONFLICT, P_AGREE, P_REVISE = 0.010, 0.010, 0.021  # restatements of an earlier document's fact
P_ENTITY, P_FIRM, P_USD, P_PAIR, P_QUALIFIER, P_NOTE = 0.08, 0.2, 0.03, 0.6, 0.1, 0.005

# --- words ---------------------------------------------------------------------------------
from store.synth_words import (  # noqa: F401 - the vocabulary of the generator
    CITIES,
    GBA,
    REGION_OF,
    PROVINCES,
    ZONES,
    SECTORS,
    BRANDS,
    CURATORS,
    PUBLISHERS,
    WRITERS,
    SOURCES,
    QUALIFIERS,
    TITLES,
    FILLERS,
    REASONS,
    FIGURE_NOTES,
    NOTES,
    CLUSTER_NOTES,
    METRICS,
    BY_UNIT_KIND,
    PARTNERS,
    NUMBER_WORDS,
    MONTHS,
)


def slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


def cluster_target(figures: int) -> int:
    """How many clusters to add: one per ~300 figures, at least 200, at most 4,000."""
    return min(MAX_CLUSTERS, max(200, figures // 300))


# --- SQL -----------------------------------------------------------------------------------
def _insert_sql(table, literals: dict[str, str], skip: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """INSERT binding every column of `table` but the skipped and the literal ones: (sql, bound columns)."""
    bound = [c.name for c in table.columns if c.name not in literals and c.name not in skip]
    names = ", ".join(f'"{n}"' for n in bound + list(literals))
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(['?'] * len(bound) + list(literals.values()))})", bound


_SHARED = {"value_max": "NULL", "value_max_text": "NULL", "version": "1", "flag": "''", "superseded_by_id": "NULL"}
FIGURE_SQL, FIGURE_COLS = _insert_sql(Figure.__table__, _SHARED)
ENTITY_FIGURE_SQL, _ = _insert_sql(Figure.__table__, {**_SHARED, "cluster_id": "NULL"})  # about an entity as a whole
ANCHOR_SQL, ANCHOR_COLS = _insert_sql(Anchor.__table__, {"state": "'exact'"}, skip=("id",))
DOCUMENT_SQL, DOCUMENT_COLS = _insert_sql(Document.__table__, {"title_supplied": "0", "encoding": "'utf-8'",
                                                               "language": "'en'", "origin": "'synthetic'"})
SUPERSEDE_SQL = ("UPDATE figures SET status = 'superseded', status_reason = ?, status_by = ?, status_at = ?, "
                 "superseded_by_id = ? WHERE id = ?")
ANNOTATION_SQL = ('INSERT INTO annotations (target, figure_id, cluster_id, document_id, start, "end", quote, text, '
                  "created_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")
# Rows are built as tuples in these column orders: a schema change must stop synth, not write shifted data.
ROW_ORDERS = (
    (FIGURE_COLS, ["id", "key", "value", "value_text", "unit", "scale", "qualifier", "period", "period_start",
                   "period_end", "entity_id", "cluster_id", "metric_id", "status", "status_reason", "status_by",
                   "status_at", "note", "created_by", "created_at"]),
    (ANCHOR_COLS, ["figure_id", "document_id", "start", "end", "quote", "prefix", "suffix", "doc_sha256"]),
    (DOCUMENT_COLS, ["id", "file_name", "title", "publisher", "author", "published", "date_basis", "language_notes",
                     "text", "sha256", "added_at"]),
)


def _drop_indexes(cur) -> list[str]:
    """Drop the secondary indexes of figures and anchors; return the statements that make them again, as they were."""
    found = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                        "AND tbl_name IN ('figures', 'anchors') ORDER BY name").fetchall()
    for name, _ in found:
        cur.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _stamp(month: int, day: int, second: int) -> str:
    """A timestamp as SQLAlchemy writes a DateTime to SQLite, from a month count (year * 12 + month - 1)."""
    return (f"{month // 12:04d}-{month % 12 + 1:02d}-{day:02d} "
            f"{second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000")


# --- the entry point ------------------------------------------------------------------------
@dataclass
class SynthReport:
    figures: int
    documents: int
    clusters: int
    seconds: float
    write_seconds: float = 0.0  # in SQLite writing documents, figures and anchors and rebuilding their indexes


def synth(store, figures: int, documents: int, seed: int = 0,
          progress: Callable[[int, int], None] | None = None) -> SynthReport:
    """Add `figures` synthetic figures in `documents` documents, with their taxonomy, to a seeded SQLite store."""
    if figures < 1 or documents < 1:
        raise StoreError(f"synth needs at least 1 figure and 1 document (asked for {figures} and {documents})")
    if documents > figures:
        raise StoreError(f"synth needs at least one figure per document ({documents:,} documents, {figures:,} figures)")
    if store.path is None:
        raise StoreError("synth writes SQLite store files only; give --db a file path")
    if any(columns != expected for columns, expected in ROW_ORDERS):
        raise StoreError("synth does not know this version of the schema (the figures, anchors or documents "
                         "columns changed); update store/synth.py")
    began = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples and no cycles: the cyclic collector would cost a quarter of the time
    raw = store.engine.raw_connection()  # a pooled connection, with the store's pragmas (WAL, FULL, foreign keys)
    db = raw.driver_connection
    try:
        cache = db.execute("PRAGMA cache_size").fetchone()[0]
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        try:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"the store is busy ({exc}); close the program writing to it and try again") from exc
            try:
                report = _Loader(db.cursor(), random.Random(seed), figures, documents, seed, progress).run()
                db.execute("ANALYZE")  # statistics for the planner, committed with the data
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:  # the connection goes back to the pool as durable as it came
            db.execute("PRAGMA synchronous = FULL")
            db.execute(f"PRAGMA cache_size = {cache}")
    except sqlite3.Error as exc:
        raise StoreError(f"synth failed and wrote nothing: {exc}") from exc
    else:
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # fold the big WAL into the file now, not on a reader's time
        except sqlite3.Error:
            pass  # a reader holds the WAL: SQLite folds it later, the data is committed either way
    finally:
        raw.close()
        if collecting:
            gc.enable()
    report.seconds = time.perf_counter() - began
    return report


# --- the things a document states ----------------------------------------------------------------
class _Metric:
    __slots__ = ("id", "key", "scope", "weight", "kind", "unit", "noun", "verb", "tail", "lo", "hi", "partner")

    def __init__(self, mid: int, key: str, fields: list[str]):
        self.id, self.key = mid, key
        scope, weight, self.kind, self.unit, self.noun, self.verb, self.tail, lo, hi = fields
        self.scope, self.weight = scope, float(weight)
        self.lo, self.hi = float(lo or 0), float(hi or 0)
        self.partner = None


class _Period:
    __slots__ = ("text", "start", "end", "year", "frac", "lead", "inline")

    def __init__(self, text: str, lead: str, months: int):
        parsed = parse_period(text)  # the same start and end months as any other figure's
        self.text, self.start, self.end = parsed.text, parsed.start, parsed.end
        self.year, self.frac = int(text[:4]), months / 12
        self.lead, self.inline = lead, lead[0].lower() + lead[1:]


class _Fact:
    """One figure to write: what it says, its quote, and its review."""
    __slots__ = ("id", "metric", "subject", "entity", "cluster", "period", "theme", "share", "x", "quote",
                 "value_text", "unit", "scale", "qualifier", "status", "reason", "note", "supersedes")


_PERIODS: dict[int, list[_Period]] = {}  # by month: the same few hundred lists serve every document


def _periods(month: int) -> list[_Period]:
    """Periods a document of this month can report: full years before it (weighted x5) and part-years of its year."""
    cache = _PERIODS
    if month not in cache:
        year, now = divmod(month, 12)  # now: months of this year already over
        out = [_Period(str(y), f"In {y}", 12) for y in range(FIRST_YEAR, min(year, LAST_YEAR + 1))] * 5
        if year <= LAST_YEAR:
            for k in range(1, now):
                lead = (f"In {MONTHS[0]} {year}" if k == 1 else f"From January to {MONTHS[k - 1]} {year}" if k % 2
                        else f"In the first {NUMBER_WORDS[k]} months of {year}")
                out.append(_Period(f"{year}-01" if k == 1 else f"{year}-01/{year}-{k:02d}", lead, k))
            for q in range(1, now // 3 + 1):
                out.append(_Period(f"{year}-{3 * q - 2:02d}/{year}-{3 * q:02d}",
                                   f"In the {('first', 'second', 'third', 'fourth')[q - 1]} quarter of {year}", 3))
            if now >= 6:
                out.append(_Period(f"{year}-01/{year}-06", f"In the first half of {year}", 6))
        cache[month] = out or [_Period(str(FIRST_YEAR), f"In {FIRST_YEAR}", 12)]
    return cache[month]


# Money as articles print it: (from, unit of the last digit, its exact integer, decimals, scale word).
MONEY_BANDS = ((1e12, 1e10, 10 ** 10, 2, "trillion"), (1e11, 1e9, 10 ** 9, 0, "billion"),
               (1e10, 1e8, 10 ** 8, 1, "billion"), (1e9, 1e7, 10 ** 7, 2, "billion"), (0, 1e6, 10 ** 6, 0, "million"))


def _decimal(m: int, places: int) -> str:
    """m / 10**places written with exactly `places` decimals ("12.30"), as an article prints it."""
    if places == 2:
        return f"{m // 100}.{m % 100:02d}"
    return f"{m // 10}.{m % 10}" if places else str(m)


def _number(metric: _Metric, x: float) -> tuple[str, str, str]:
    """(number as printed, exact value text as store.exact.canonical writes it, scale word) for a magnitude.

    The value is what the printed words say (12.3 billion is 12300000000), so the quote never disagrees with it.
    """
    kind = metric.kind
    if kind == "money":
        for low, unit, exact, places, scale in MONEY_BANDS:
            if x >= low:
                m = max(1, round(x / unit))
                return _decimal(m, places), str(m * exact), scale
    if kind == "count":
        if x >= 1e6:
            m = round(x / 1e4)
            return _decimal(m, 2), str(m * 10_000), "million"
        n = max(int(metric.lo), round(x))
        return (NUMBER_WORDS[n] if n <= 12 and metric.unit == "years" else f"{n:,}"), str(n), ""
    m = min(800, max(1, round(x * 10)))  # percent, growth, ratios: one decimal, 0.1 .. 80
    printed = f"{m // 10}.{m % 10}"
    return printed, (printed if m % 10 else str(m // 10)), ""


class _Writer:
    """Words: quotes, sentences, documents and citations, all drawn from one Random."""

    def __init__(self, rnd: random.Random, metrics: dict[str, tuple[int, str]], names: dict[int, str]):
        self.rnd, self.names = rnd, names
        self.metrics = {}
        for key, (mid, unit_kind) in metrics.items():
            fields = METRICS.get(key) or (BY_UNIT_KIND[unit_kind].split("|") if unit_kind in BY_UNIT_KIND else None)
            if fields:
                self.metrics[key] = _Metric(mid, key, fields)
        for key, other in PARTNERS.items():
            if key in self.metrics and other in self.metrics:
                self.metrics[key].partner = self.metrics[other]
        # Orders in which a subject's metrics are stated, per scope: c a cluster, f a company of it (no counts),
        # e a place as a whole. Each is a weighted random permutation (Efraimidis-Spirakis: sort by u ** (1 / w)),
        # so the first metrics of a period are the common ones and no draw is wasted on one already stated.
        self.orders = {}
        for scope, wanted in (("c", "cb"), ("f", "cb"), ("e", "eb")):
            pool = [m for m in self.metrics.values() if m.scope in wanted and m.weight > 0
                    and (scope != "f" or m.kind != "count")]
            if not pool:
                raise StoreError("the store's metrics have no unit kind synth knows (money, percent, count ...)")
            self.orders[scope] = [tuple(sorted(pool, key=lambda m: -rnd.random() ** (1 / m.weight)))
                                  for _ in range(64)]

    def magnitude(self, metric: _Metric, theme: tuple, period: _Period, share: float, entity: int | None) -> float:
        """A plausible size: money grows with the cluster (or the place's economy), the rest is log-uniform."""
        rnd, kind = self.rnd, metric.kind
        if entity is None:
            base, growth = theme[4], theme[5]
        else:  # an entity as a whole: a GDP of 20 to 600 billion yuan in 2011, growing 7% a year
            base, growth = 10 ** (10.3 + (entity * 0.618034 % 1) * 1.5), 0.07
        if kind == "money":
            x = base * (1 + growth) ** (period.year - FIRST_YEAR) * metric.lo * share * period.frac
            return min(max(x * (0.93 + 0.14 * rnd.random()), 1e8), 2e12)  # within 7% of the trend
        if kind == "growth":
            return growth * (50 + 100 * rnd.random())  # 0.5 to 1.5 times the trend, in percent
        return metric.lo * (metric.hi / metric.lo) ** rnd.random()

    def quote(self, fact: _Fact, usd: bool = False) -> None:
        """Set the quote, exact value, unit, scale and qualifier of a fact from its magnitude."""
        r, metric = self.rnd.random, fact.metric
        number, fact.value_text, scale = _number(metric, fact.x)
        fact.scale, kind = scale, metric.kind
        if scale:
            number = f"{number} {scale}"
        if usd:
            words, fact.unit = "$" + number, "US$"
        elif kind == "money":
            words, fact.unit = ("RMB " + number if r() < 0.1 else number + " yuan"), "yuan"
        elif kind == "pct" or kind == "growth":
            words, fact.unit = (number + "%" if r() < 0.4 else number + " percent"), "%"
        else:
            words, fact.unit = f"{number} {metric.noun}", metric.unit
        if not usd and r() < P_QUALIFIER:
            said, fact.qualifier = QUALIFIERS[int(r() * len(QUALIFIERS))]
            words = f"{said} {words}"
        else:
            fact.qualifier = ""
        fact.quote = words

    def sentence(self, facts: list[_Fact], subject: str, period: _Period) -> tuple[str, list[int]]:
        """A sentence stating the facts (a value, its US$ conversion, its growth) and where each quote starts."""
        rnd, main = self.rnd, facts[0]
        form = rnd.random()
        text = f"{period.lead}, {subject} " if form < 0.65 else f"{subject[0].upper()}{subject[1:]} "
        text += f"{main.metric.verb} "
        starts = [len(text)]
        text += main.quote
        for fact in facts[1:]:
            if fact.unit == "US$":
                text += " (about "
                starts.append(len(text))
                text += fact.quote + ")"
        text += main.metric.tail
        for fact in facts[1:]:
            if fact.unit != "US$":
                text += ", up "
                starts.append(len(text))
                text += fact.quote + " year on year"
        if form < 0.5:
            return text + ".", starts
        if form < 0.65:
            return f"{text}, according to {SOURCES[int(rnd.random() * len(SOURCES))]}.", starts
        return f"{text} {period.inline}.", starts

    def filler(self, subject: str) -> str:
        return FILLERS[int(self.rnd.random() * len(FILLERS))].format(subject=subject)

    def layout(self, statements: list[tuple], subject: str) -> tuple[str, list[tuple[int, _Fact]]]:
        """The document's text (paragraphs of sentences, some without figures) and each quote's start."""
        rnd = self.rnd
        parts, spans = [self.filler(subject)], []
        pos, in_paragraph, paragraph = len(parts[0]), 1, 3 + rnd.randrange(4)
        for _, sentence, starts, facts in statements:
            sep = " " if in_paragraph else ""
            for start, fact in zip(starts, facts):
                spans.append((pos + len(sep) + start, fact))
            parts.append(sep + sentence)
            pos += len(sep) + len(sentence)
            in_paragraph += 1
            if rnd.random() < 0.2:
                extra = " " + self.filler(subject)
                parts.append(extra)
                pos += len(extra)
            if in_paragraph >= paragraph:
                parts.append("\n\n")
                pos, in_paragraph, paragraph = pos + 2, 0, 3 + rnd.randrange(4)
        while pos < 2000:  # even a short article has some body
            extra = (" " if in_paragraph else "") + self.filler(subject)
            parts.append(extra)
            pos, in_paragraph = pos + len(extra), 1
        return "".join(parts).rstrip(), spans

    def citation(self, theme: tuple, month: int) -> tuple[str, str, str]:
        rnd = self.rnd
        place, sector = self.names[theme[2]], theme[3][0]
        title = TITLES[rnd.randrange(len(TITLES))].format(
            place=place, sector=sector, Sector=sector[0].upper() + sector[1:], subject=theme[1])
        return title, PUBLISHERS[rnd.randrange(len(PUBLISHERS))], WRITERS[rnd.randrange(len(WRITERS))]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _pick(cum: list[float], rnd: random.Random) -> int:
    """An index drawn in proportion to its weight, from cumulative weights."""
    return min(bisect_right(cum, rnd.random() * cum[-1]), len(cum) - 1)


def _split(total: int, parts: int, rnd: random.Random) -> list[int]:
    """`total` figures over `parts` documents, each at least one, sizes varying as articles do."""
    weights = [rnd.lognormvariate(0, 0.5) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):  # what rounding down left over
        sizes[i % parts] += 1
    return sizes


# --- the load ----------------------------------------------------------------------------------
class _Loader:
    """One load: read what the store holds, grow the taxonomy, then write the documents chunk by chunk."""

    def __init__(self, cur, rnd: random.Random, figures: int, documents: int, seed: int, progress):
        self.cur, self.rnd, self.n, self.d, self.seed = cur, rnd, figures, documents, seed
        self.progress = progress or (lambda done, total: None)
        self.write_seconds = 0.0
        self.notes: list[tuple] = []  # annotations: (target, figure, cluster, document, start, end, quote, text, by, at)

    def run(self) -> SynthReport:
        self._read_store()
        # Building an index once is cheaper than keeping it up to date through a million random inserts;
        # worth it when the load at least doubles the figures. DDL is transactional: a failed load keeps them.
        rebuild = _drop_indexes(self.cur) if self.n >= self.existing else []
        self._grow_entities()
        self._grow_clusters()
        self.words = _Writer(self.rnd, self.metrics, self.names)
        rnd, n, d = self.rnd, self.n, self.d
        first = 2012 * 12  # documents from January 2012 to March 2026, more of them lately
        months = sorted(first + int((LAST_MONTH - first + 1) * rnd.random() ** 0.6) for _ in range(d))
        self.pool: list[_Fact] = []  # facts of earlier documents, for later ones to restate
        self.slots: dict[tuple, list] = {}  # (entity, cluster, period) -> [its order of metrics, how far it got]
        self.rows = {"documents": [], "figures": [], "entity_figures": [], "anchors": [], "superseded": []}
        done = 0
        for number, (month, size) in enumerate(zip(months, _split(n, d, rnd)), start=1):
            self._document(number, month, size)
            done += size
            if len(self.rows["figures"]) + len(self.rows["entity_figures"]) >= CHUNK_FIGURES or number == d:
                self._flush()
                self.progress(done, n)
        for cluster in self.clusters:
            if cluster[0] >= self.first_cluster and rnd.random() < 0.03:
                self.notes.append(("cluster", None, cluster[0], None, None, None, "", rnd.choice(CLUSTER_NOTES),
                                   rnd.choice(CURATORS), "2026-03-02 09:30:00.000000"))
        began = time.perf_counter()
        for sql in rebuild:
            self.cur.execute(sql)
        self.write_seconds += time.perf_counter() - began
        self.cur.executemany(ANNOTATION_SQL, [note + (note[-1],) for note in self.notes])
        params = {"figures": n, "documents": d, "seed": self.seed, "clusters": self.new_clusters,
                  "entities": self.new_entities, "generator": GENERATOR}
        self.cur.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (META_KEY, json.dumps(params, sort_keys=True)))
        return SynthReport(n, d, self.new_clusters, 0.0, self.write_seconds)

    def _flush(self) -> None:
        rows, cur = self.rows, self.cur
        began = time.perf_counter()
        cur.executemany(DOCUMENT_SQL, rows["documents"])  # parents before children: foreign keys stay on
        cur.executemany(FIGURE_SQL, rows["figures"])
        cur.executemany(ENTITY_FIGURE_SQL, rows["entity_figures"])
        cur.executemany(ANCHOR_SQL, rows["anchors"])
        cur.executemany(SUPERSEDE_SQL, rows["superseded"])
        self.write_seconds += time.perf_counter() - began
        for name in rows:
            rows[name] = []

    # --- what is there ---------------------------------------------------------------------
    def _read_store(self) -> None:
        cur = self.cur
        found = cur.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
        if found:
            raise StoreError(f"this store already holds synthetic data {found[0]}; synth needs a store without it")
        found = cur.execute("SELECT key, id, kind, parent_id FROM groupings ORDER BY id").fetchall()
        self.groupings = {key: gid for key, gid, _, _ in found}
        self.grouping_kind = {key: kind for key, _, kind, _ in found}
        parents = {parent for _, _, _, parent in found}
        self.leaf_groupings = [key for key, gid, _, _ in found if gid not in parents]
        self.metrics = {k: (i, kind) for k, i, kind in cur.execute("SELECT key, id, unit_kind FROM metrics ORDER BY id")}
        if not self.groupings or not self.metrics:
            raise StoreError("the store has no groupings or metrics to grow from; open it with its seeds first")
        self.entity_ids = dict(cur.execute("SELECT key, id FROM entities ORDER BY id"))
        self.names = {i: name for i, name in cur.execute("SELECT id, name FROM entities")}
        found = cur.execute("SELECT key, id, name FROM clusters ORDER BY id").fetchall()
        self.seed_clusters = {key: cid for key, cid, _ in found}
        self.cluster_names = {cid: name for _, cid, name in found}
        self.member_of: dict[int, list[str]] = {}
        for cid, gkey in cur.execute("SELECT cg.cluster_id, g.key FROM cluster_groupings cg "
                                     "JOIN groupings g ON g.id = cg.grouping_id ORDER BY cg.cluster_id, g.key"):
            self.member_of.setdefault(cid, []).append(gkey)
        # Keys already stated (by the seeds or anyone) are not fresh: restating them is a choice, never an accident.
        self.existing = cur.execute("SELECT count(*) FROM figures").fetchone()[0]
        self.used = set(cur.execute("SELECT metric_id, entity_id, coalesce(cluster_id, 0), period FROM figures"))
        self.next_id = {t: (cur.execute(f"SELECT max(id) FROM {t}").fetchone()[0] or 0) + 1
                        for t in ("figures", "documents", "clusters", "entities")}
        self.first_cluster = self.next_id["clusters"]

    # --- taxonomy ------------------------------------------------------------------------------
    def _entity(self, rows: list, key: str, name: str, kind: str, parent: str | None, short: str = "") -> int:
        if key not in self.entity_ids:  # else a seed entity (Guangzhou, Panyu ...): reuse it
            eid = self.next_id["entities"]
            self.next_id["entities"] += 1
            rows.append((eid, key, name, kind, json.dumps([short] if short else []), self.entity_ids.get(parent)))
            self.entity_ids[key] = eid
        eid = self.entity_ids[key]
        self.names[eid] = short or name
        return eid

    def _grow_entities(self) -> None:
        """Provinces, Guangdong's cities and districts (where clusters are), and companies of each sector."""
        rnd, rows = self.rnd, []
        self.provinces = [self._entity(rows, slug(p), p, "province", "china") for p in PROVINCES]
        self.places: list[tuple[str, int, str]] = []  # (name, entity id, city)
        for city, districts in CITIES.items():
            self.places.append((city, self._entity(rows, slug(city), city, "city", "guangdong"), city))
            for district in [w.replace("_", " ") for w in districts.split()]:
                eid = self._entity(rows, slug(district), f"{district} District, {city}", "district", slug(city), district)
                self.places.append((district, eid, city))
        self.firms: dict[str, list[tuple[str, int]]] = {}
        for sector in SECTORS:
            for brand in rnd.sample(BRANDS, rnd.randint(4, 8)):
                name = f"{brand} {sector[2]}"
                home = slug(rnd.choice(list(CITIES)))
                self.firms.setdefault(sector[0], []).append((name, self._entity(rows, "co_" + slug(name), name,
                                                                                 "company", home)))
        self.cur.executemany("INSERT INTO entities (id, key, name, kind, aliases, parent_id) VALUES (?, ?, ?, ?, ?, ?)",
                             rows)
        self.new_entities = len(rows)

    def _grow_clusters(self) -> None:
        """Clusters named for a place and a sector, each under its region's and its sector's seed groupings."""
        rnd, want = self.rnd, cluster_target(self.n)
        pairs = [(place, sector) for place in self.places for sector in SECTORS]
        rnd.shuffle(pairs)
        rows, links, keys = [], [], set(self.seed_clusters)
        # A theme: (cluster id, how a sentence names it, entity id, sector, revenue in 2011, growth, companies)
        self.clusters: list[tuple] = []
        for zone in (None, *ZONES):
            for (place, eid, city), sector in pairs:
                if len(rows) >= want:
                    break
                name = f"{place} {zone} {sector[0]}" if zone else f"{place} {sector[0]}"
                cid = self.next_id["clusters"]
                self.next_id["clusters"] += 1
                key = "syn_" + slug(name)[:56]
                key = key if key not in keys else f"{key}_{cid}"
                keys.add(key)
                rows.append((cid, key, name, "Synthetic cluster (store.synth).", json.dumps([f"{name} cluster"])))
                base, growth = 10 ** rnd.uniform(8.5, 11.3), rnd.uniform(0.02, 0.2)
                revenue = min(base * (1 + growth) ** (LAST_YEAR - FIRST_YEAR), 2e12)
                links += [(cid, self.groupings[g]) for g in self._groupings_for(city, sector[1], revenue)]
                firms = [f for f in self.firms.get(sector[0], []) if rnd.random() < 0.4][:3]
                self.clusters.append((cid, f"the {name} cluster", eid, sector, base, growth, firms))
        province = self.entity_ids.get("guangdong")
        seen = set()
        for sector in SECTORS:  # some articles are about the seed clusters themselves, province-wide
            cid = self.seed_clusters.get(sector[1])
            if cid is not None and cid not in seen and province is not None and rnd.random() < 0.5:
                seen.add(cid)
                self.clusters.append((cid, f"the province's {self.cluster_names[cid].lower()} cluster", province,
                                      sector, 10 ** rnd.uniform(10.5, 11.8), rnd.uniform(0.03, 0.12), []))
        self.cur.executemany("INSERT INTO clusters (id, key, name, note, aliases) VALUES (?, ?, ?, ?, ?)", rows)
        self.cur.executemany("INSERT INTO cluster_groupings (cluster_id, grouping_id) VALUES (?, ?)", links)
        self.popularity = _cumulative([rnd.lognormvariate(0, 0.6) for _ in self.clusters])  # some are in the news more
        self.new_clusters = len(rows)

    def _groupings_for(self, city: str, seed_key: str, revenue: float) -> list[str]:
        """One or two of the seeds' groupings: the place's region, and the sector's or the tier its size earns."""
        rnd, kind = self.rnd, self.grouping_kind
        region = REGION_OF.get(city) or ("region_gba" if city in GBA else "region_guangdong")
        sector = [g for g in self.member_of.get(self.seed_clusters.get(seed_key), [])
                  if kind[g] not in ("region", "tier")]  # a tier is earned by size, not inherited
        tier = ("tier_trillion" if revenue >= 1e12 else "tier_500bn" if revenue >= 5e11
                else "tier_100bn" if revenue >= 1e11 else "tier_10bn" if revenue >= 1e10 else None)
        other = tier if tier in self.groupings and rnd.random() < 0.3 else rnd.choice(sector) if sector else None
        picked = [g for g in (region, other) if g in self.groupings]
        if len(picked) == 2 and rnd.random() < 0.25:
            picked = [picked[rnd.randrange(2)]]
        return picked or [rnd.choice(self.leaf_groupings)]

    # --- documents -------------------------------------------------------------------------------
    def _document(self, number: int, month: int, size: int) -> None:
        rnd, words, rows = self.rnd, self.words, self.rows
        doc_id = self.next_id["documents"]
        self.next_id["documents"] += 1
        periods = _periods(month)
        themes = [self.clusters[_pick(self.popularity, rnd)] for _ in range(1 + size // 70)]
        statements, fresh, made = [], [], 0
        while made < size:
            statement = self._statement(themes, periods, size - made, fresh)
            statements.append(statement)
            made += len(statement[3])
        statements.sort(key=lambda s: s[0])  # an article runs through the years in order
        created = _stamp(month, 1 + rnd.randrange(27), rnd.randrange(86400))
        reviewed = _stamp(min(month + 1 + rnd.randrange(6), LAST_MONTH + 1), 1 + rnd.randrange(27), rnd.randrange(86400))
        curator, reviewer = CURATORS[rnd.randrange(len(CURATORS))], CURATORS[rnd.randrange(len(CURATORS))]
        text, spans = words.layout(statements, themes[0][1])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        title, publisher, author = words.citation(themes[0], month)
        published = f"{month // 12:04d}-{month % 12 + 1:02d}"
        rows["documents"].append((doc_id, f"syn_{number:06d}_{digest[:16]}.txt", title, publisher, author, published,
                                  "Synthetic: the month store.synth gave it.",
                                  "Synthetic text made from templates by store.synth; not a real article.",
                                  text, digest, created))
        figures, entity_figures, anchors = rows["figures"], rows["entity_figures"], rows["anchors"]
        for ordinal, (start, f) in enumerate(spans, start=1):
            key, end, p = f"S{number:06d}-{ordinal:03d}", start + len(f.quote), f.period
            by = curator if f.status == "candidate" else reviewer
            head = (f.id, key, float(f.value_text), f.value_text, f.unit, f.scale, f.qualifier, p.text, p.start, p.end,
                    f.entity)
            tail = (f.metric.id, f.status, f.reason, by, reviewed, f.note, curator, created)
            if f.cluster is None:
                entity_figures.append(head + tail)
            else:
                figures.append(head + (f.cluster,) + tail)
            anchors.append((f.id, doc_id, start, end, f.quote, text[max(0, start - 32):start], text[end:end + 32], digest))
            if f.supersedes is not None:
                rows["superseded"].append((f"Revised by {key} ({published}).", reviewer, reviewed, f.id, f.supersedes))
            if rnd.random() < P_NOTE:
                self.notes.append(("figure", f.id, None, None, None, None, "", NOTES[rnd.randrange(len(NOTES))],
                                   reviewer, reviewed))
        if spans and rnd.random() < 0.15:  # a note on the words of one quote
            start, f = spans[rnd.randrange(len(spans))]
            self.notes.append(("span", None, None, doc_id, start, start + len(f.quote), f.quote,
                               NOTES[rnd.randrange(len(NOTES))], reviewer, reviewed))
        self.pool.extend(fresh)
        if len(self.pool) > 60_000:  # a window of recent facts: plenty to draw from, bounded memory
            del self.pool[:20_000]

    def _statement(self, themes: list[tuple], periods: list[_Period], room: int, fresh: list[_Fact]) -> tuple:
        """One sentence: (period start, text, quote starts, facts)."""
        rnd, r = self.rnd, self.rnd.random
        roll = r()
        if self.pool and roll < P_CONFLICT + P_AGREE + P_REVISE:
            return self._restatement(roll)
        theme = themes[int(r() * len(themes))]
        for attempt in range(40):  # a fact nobody stated yet: another period if need be, now and then another theme
            if attempt % 4 == 3:
                theme = self.clusters[_pick(self.popularity, rnd)]
            period = periods[int(r() * len(periods))]
            share, scope = 1.0, "c"
            if not attempt and r() < P_ENTITY:  # about a place as a whole (its GDP ...), now and then a province;
                # tried once only: a place has far fewer facts than its clusters, and large stores exhaust them
                scope, cluster = "e", None
                entity = theme[2] if r() < 0.9 else self.provinces[int(r() * len(self.provinces))]
                subject = self.names[entity]
            else:
                cluster, entity, subject = theme[0], theme[2], theme[1]
                if theme[6] and r() < P_FIRM:  # a company of the cluster: its figures are a share of the cluster's
                    subject, entity = theme[6][int(r() * len(theme[6]))]
                    scope, share = "f", 0.05 + 0.25 * r()
            metric = self._next_metric(scope, entity, cluster or 0, period.text)
            if metric is not None:
                break
        else:
            raise StoreError("synth ran out of fresh figure keys; ask for fewer figures")
        main = self._fact(metric, subject, entity, cluster, period, theme, share)
        fresh.append(main)
        facts = [main]
        if metric.kind == "money" and room > len(facts) and r() < P_USD:
            facts.append(self._fact(metric, subject, entity, cluster, period, theme, share, x=main.x / 7.1, usd=True))
        partner = metric.partner
        if partner is not None and room > len(facts) and r() < P_PAIR:
            pkey = (partner.id, entity, cluster or 0, period.text)
            if pkey not in self.used:
                self.used.add(pkey)
                facts.append(self._fact(partner, subject, entity, cluster, period, theme, share))
        text, starts = self.words.sentence(facts, subject, period)
        return period.start, text, starts, facts

    def _next_metric(self, scope: str, entity: int, cluster: int, period: str) -> _Metric | None:
        """The next metric of this subject and period in its own order that nobody stated; None when all were."""
        slot = (entity, cluster, period)
        state = self.slots.get(slot)
        if state is None:
            orders = self.words.orders[scope]
            state = self.slots[slot] = [orders[int(self.rnd.random() * len(orders))], 0]
        order, i = state
        while i < len(order):
            metric = order[i]
            i += 1
            key = (metric.id, entity, cluster, period)
            if key not in self.used:  # the seeds, or a growth figure stated beside its value, may have it
                self.used.add(key)
                state[1] = i
                return metric
        state[1] = i
        return None

    def _fact(self, metric, subject, entity, cluster, period, theme, share, x=None, status=None, usd=False):
        r, f = self.rnd.random, _Fact()
        f.id = self.next_id["figures"]
        self.next_id["figures"] += 1
        f.metric, f.subject, f.entity, f.cluster, f.period, f.theme, f.share = (
            metric, subject, entity, cluster, period, theme, share)
        f.x = self.words.magnitude(metric, theme, period, share, None if cluster else entity) if x is None else x
        self.words.quote(f, usd)
        if status is None:  # the review mix of STATUS_CUTS
            roll = r()
            status = ("verified" if roll < STATUS_CUTS[0] else "candidate" if roll < STATUS_CUTS[1]
                      else "disputed" if roll < STATUS_CUTS[2] else "rejected")
        f.status, f.supersedes = status, None
        f.reason = REASONS[status][int(r() * len(REASONS[status]))] if status in REASONS else ""
        f.note = FIGURE_NOTES[int(r() * len(FIGURE_NOTES))] if r() < 0.08 else ""
        return f

    def _restatement(self, roll: float) -> tuple:
        """An earlier document's fact again: another value (a conflict, or a revision that supersedes it) or the same."""
        rnd, pool = self.rnd, self.pool
        i = rnd.randrange(len(pool))
        old = pool[i]
        pool[i] = pool[-1]
        pool.pop()  # each earlier fact is restated once at most
        x = old.x
        if roll >= P_CONFLICT + P_AGREE or roll < P_CONFLICT:  # another value, close enough to be a rival report
            for step in range(1, 60):
                x = old.x * (1 + rnd.choice((-1, 1)) * rnd.uniform(0.02, 0.12) * step ** 0.5)
                if old.metric.kind == "money" and old.unit == "yuan":
                    x = min(max(x, 1e8), 2e12)  # the bounds fresh values keep
                if x > 0 and _number(old.metric, x)[1] != old.value_text:
                    break
        status = ("verified" if roll >= P_CONFLICT else ("verified", "candidate", "candidate")[rnd.randrange(3)])
        f = self._fact(old.metric, old.subject, old.entity, old.cluster, old.period, old.theme, old.share, x, status)
        if roll >= P_CONFLICT + P_AGREE:
            f.supersedes = old.id
        text, starts = self.words.sentence([f], f.subject, f.period)
        return f.period.start, text, starts, [f]
