"""Synthetic documents and their figures, as rows ready for executemany.

Part of tests.perf.synth (see there for the choices). This is the loop a million
figures go through, so rows are built once, as tuples in the column orders of
tests/perf/synth/sql.py, with no intermediate objects: a figure's row is made when
its words are, a document's anchors when its text is laid out.
"""

from __future__ import annotations

import hashlib
import random

from store.errors import StoreError
from tests.perf.synth.facts import LAST_MONTH, Metric, Period, number_words, periods_of
from tests.perf.synth.taxonomy import Taxonomy, pick
from tests.perf.synth.words import CURATORS, FIGURE_NOTES, NOTES, REASONS
from tests.perf.synth.writer import Writer

# Review status of a fresh figure: verified below the first cut, candidate, disputed, else rejected (3.1%).
# With the ~2% superseded that revisions make, the store holds ~70/20/5/3/2 percent.
STATUS_CUTS = (0.714, 0.918, 0.969)
P_CONFLICT, P_AGREE, P_REVISE = 0.010, 0.010, 0.021  # restatements of an earlier document's fact
P_ENTITY, P_FIRM, P_USD, P_PAIR, P_NOTE, P_FIGURE_NOTE = 0.08, 0.2, 0.03, 0.6, 0.005, 0.08
POOL_MAX, POOL_DROP = 60_000, 20_000  # a window of recent facts to restate: plenty to draw from, bounded memory
_ORDINALS = [f"{i:03d}" for i in range(1000)]  # the end of a figure's key, S000001-001


def stamp(month: int, day: int, second: int) -> str:
    """A timestamp as SQLAlchemy writes a DateTime to SQLite, from a month count (year * 12 + month - 1)."""
    return (f"{month // 12:04d}-{month % 12 + 1:02d}-{day:02d} "
            f"{second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000")


class Documents:
    """Makes documents one at a time and keeps their rows until the loader writes them (take_rows).

    A fact, a figure that later documents may state again, is (figure id, metric, subject, entity,
    cluster, period, theme, share, magnitude, value text, unit).
    """

    def __init__(self, rnd: random.Random, taxonomy: Taxonomy):
        self.rnd, self.random, self.tax = rnd, rnd.random, taxonomy
        self.words = Writer(rnd, taxonomy.metrics, taxonomy.names)
        self.next_figure, self.next_document = taxonomy.next_id["figures"], taxonomy.next_id["documents"]
        self.used = taxonomy.used  # keys (metric, entity, cluster or 0, period) stated so far
        self.pool: list[tuple] = []  # facts of earlier documents, for later ones to restate
        self.slots: dict[tuple, list] = {}  # (entity, cluster, period) -> [its order of metrics, how far it got]
        self.notes: list[tuple] = []  # annotations: (target, figure, cluster, document, start, end, quote, text, by, at)
        self.take_rows()

    def take_rows(self) -> dict[str, list[tuple]]:
        """The rows made since the last call, by table (parents first), and a fresh start."""
        rows = getattr(self, "rows", None)
        self.rows = {"documents": [], "figures": [], "anchors": [], "superseded": []}
        self.figures = self.rows["figures"]
        return rows

    def document(self, number: int, month: int, size: int) -> None:
        """One document of `size` figures, published in `month` (a month count, year * 12 + month - 1)."""
        rnd, tax, rows = self.rnd, self.tax, self.rows
        doc_id = self.next_document
        self.next_document += 1
        created = stamp(month, 1 + rnd.randrange(27), rnd.randrange(86400))
        reviewed = stamp(min(month + 1 + rnd.randrange(6), LAST_MONTH + 1), 1 + rnd.randrange(27), rnd.randrange(86400))
        curator, reviewer = CURATORS[rnd.randrange(len(CURATORS))], CURATORS[rnd.randrange(len(CURATORS))]
        self.published = f"{month // 12:04d}-{month % 12 + 1:02d}"
        self.key_prefix, self.ordinal, self.reviewer, self.reviewed = f"S{number:06d}-", 0, reviewer, reviewed
        self.by_candidate, self.by_reviewer = (curator, reviewed, curator, created), (reviewer, reviewed, curator, created)
        periods = periods_of(month)
        themes = [tax.clusters[pick(tax.popularity, rnd)] for _ in range(1 + size // 70)]
        statements, fresh, made = [], [], 0
        while made < size:
            statement = self._statement(themes, periods, size - made, fresh)
            statements.append(statement)
            made += len(statement[3])
        statements.sort(key=lambda s: s[0])  # an article runs through the years in order
        text, spans = self.words.layout(statements, themes[0][1])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        title, publisher, author = self.words.citation(themes[0], month)
        rows["documents"].append((doc_id, f"syn_{number:06d}_{digest[:16]}.txt", title, publisher, author,
                                  self.published, "Synthetic: the month tests.perf.synth gave it.",
                                  "Synthetic text made from templates by tests.perf.synth; not a real article.",
                                  text, digest, created))
        rows["anchors"] += [(fid, doc_id, start, start + len(quote), quote, text[max(0, start - 32):start],
                             text[start + len(quote):start + len(quote) + 32], digest) for start, fid, quote in spans]
        if spans and self.random() < 0.15:  # a note on the words of one quote
            start, _, quote = spans[rnd.randrange(len(spans))]
            self.notes.append(("span", None, None, doc_id, start, start + len(quote), quote,
                               NOTES[rnd.randrange(len(NOTES))], reviewer, reviewed))
        pool = self.pool
        pool += fresh
        if len(pool) > POOL_MAX:
            del pool[:POOL_DROP]

    def _statement(self, themes: list[tuple], periods: list[Period], room: int, fresh: list[tuple]) -> tuple:
        """One sentence: (period start, text, quote starts, figure ids, quotes)."""
        r, tax = self.random, self.tax
        roll = r()
        if self.pool and roll < P_CONFLICT + P_AGREE + P_REVISE:
            return self._restatement(roll)
        theme = themes[int(r() * len(themes))]
        for attempt in range(40):  # a fact nobody stated yet: another period if need be, now and then another theme
            if attempt % 4 == 3:
                theme = tax.clusters[pick(tax.popularity, self.rnd)]
            period = periods[int(r() * len(periods))]
            share, scope = 1.0, "c"
            if not attempt and r() < P_ENTITY:  # about a place as a whole (its GDP ...), now and then a province;
                # tried once only: a place has far fewer facts than its clusters, and large stores exhaust them
                scope, cluster = "e", None
                entity = theme[2] if r() < 0.9 else tax.provinces[int(r() * len(tax.provinces))]
                subject = tax.names[entity]
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
        words = self.words
        x = words.magnitude(metric, theme, period, share, None if cluster else entity)
        fact = self._figure(metric, entity, cluster, period, x)
        fresh.append((fact[0], metric, subject, entity, cluster, period, theme, share, x, fact[1], fact[3]))
        ids, quotes, usd, growth = [fact[0]], [fact[2]], None, None
        if metric.kind == "money" and room > 1 and r() < P_USD:
            usd = self._figure(metric, entity, cluster, period, x / 7.1, usd=True)
            ids.append(usd[0])
            quotes.append(usd[2])
        partner = metric.partner
        if partner is not None and room > len(ids) and r() < P_PAIR:
            pkey = (partner.id, entity, cluster or 0, period.text)
            if pkey not in self.used:
                self.used.add(pkey)
                x = words.magnitude(partner, theme, period, share, None if cluster else entity)
                growth = self._figure(partner, entity, cluster, period, x)
                ids.append(growth[0])
                quotes.append(growth[2])
        text, starts = words.sentence(period, subject, metric, quotes[0], usd and usd[2], growth and growth[2])
        return period.start, text, starts, ids, quotes

    def _next_metric(self, scope: str, entity: int, cluster: int, period: str) -> Metric | None:
        """The next metric of this subject and period in its own order that nobody stated; None when all were."""
        slot = (entity, cluster, period)
        state = self.slots.get(slot)
        if state is None:
            orders = self.words.orders[scope]
            state = self.slots[slot] = [orders[int(self.random() * len(orders))], 0]
        order, i = state
        used = self.used
        while i < len(order):
            metric = order[i]
            i += 1
            key = (metric.id, entity, cluster, period)
            if key not in used:  # the seeds, or a growth figure stated beside its value, may have it
                used.add(key)
                state[1] = i
                return metric
        state[1] = i
        return None

    def _figure(self, metric: Metric, entity: int, cluster: int | None, period: Period, x: float,
                status: str | None = None, usd: bool = False) -> tuple[int, str, str, str]:
        """Add a figure's row (and now and then a note on it); return (its id, value text, quote, unit)."""
        r = self.random
        fid = self.next_figure
        self.next_figure = fid + 1
        quote, value_text, unit, scale, qualifier = self.words.quote(metric, x, usd)
        if status is None:  # the review mix of STATUS_CUTS
            roll = r()
            status = ("verified" if roll < STATUS_CUTS[0] else "candidate" if roll < STATUS_CUTS[1]
                      else "disputed" if roll < STATUS_CUTS[2] else "rejected")
        reasons = REASONS.get(status)
        reason = reasons[int(r() * len(reasons))] if reasons else ""
        note = FIGURE_NOTES[int(r() * len(FIGURE_NOTES))] if r() < P_FIGURE_NOTE else ""
        self.ordinal += 1
        key = self.key_prefix + (_ORDINALS[self.ordinal] if self.ordinal < 1000 else str(self.ordinal))
        self.figures.append((fid, key, float(value_text), value_text, unit, scale, qualifier, period.text, period.start,
                             period.end, entity, cluster, metric.id, status, reason, note)
                            + (self.by_candidate if status == "candidate" else self.by_reviewer))
        if r() < P_NOTE:
            self.notes.append(("figure", fid, None, None, None, None, "", NOTES[int(r() * len(NOTES))],
                               self.reviewer, self.reviewed))
        return fid, value_text, quote, unit

    def _restatement(self, roll: float) -> tuple:
        """An earlier document's fact again: another value (a conflict, or a revision that supersedes it) or the same."""
        rnd, pool = self.rnd, self.pool
        i = rnd.randrange(len(pool))
        old = pool[i]
        pool[i] = pool[-1]
        pool.pop()  # each earlier fact is restated once at most
        old_id, metric, subject, entity, cluster, period, _, _, old_x, old_value, old_unit = old
        x = old_x
        if roll >= P_CONFLICT + P_AGREE or roll < P_CONFLICT:  # another value, close enough to be a rival report
            for step in range(1, 60):
                x = old_x * (1 + rnd.choice((-1, 1)) * rnd.uniform(0.02, 0.12) * step ** 0.5)
                if metric.kind == "money" and old_unit == "yuan":
                    x = min(max(x, 1e8), 2e12)  # the bounds fresh values keep
                if x > 0 and number_words(metric, x)[1] != old_value:
                    break
        status = ("verified" if roll >= P_CONFLICT else ("verified", "candidate", "candidate")[rnd.randrange(3)])
        fid, _, quote, _ = self._figure(metric, entity, cluster, period, x, status)
        if roll >= P_CONFLICT + P_AGREE:
            self.rows["superseded"].append((f"Revised by {self.figures[-1][1]} ({self.published}).", self.reviewer,
                                            self.reviewed, fid, old_id))
        text, starts = self.words.sentence(period, subject, metric, quote)
        return period.start, text, starts, [fid], [quote]
