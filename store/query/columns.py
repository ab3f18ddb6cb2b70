"""The figures as numpy columns, for a GUI that stays instant at a million figures.

The SQL in store.query.browse is the reference; this module gives the same answers
(tests compare them) from arrays held in memory: filtering is a boolean mask,
sorting an argsort, counting a bincount, each a few milliseconds at a million
rows, where SQL over the joined tables takes seconds. Only the rows a view
shows are then read from the database, by id. Text filters match the small
name tables first (a lookup table per column, not np.isin's sort) and the quotes
through store.query.text_search (signatures skip most quotes, pyarrow searches the rest).

After an edit the touched figures are re-read (refresh); conflicts are then
recomputed for all figures, vectorised (a few hundred milliseconds at 1M).
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from store import status
from store.models import Cluster, Document, Entity, Metric
from store.query import FigureQuery, split_words
from store.query import conflict_rule as rule
from store.query.arrow import byte_lengths, indices
from store.query.columns_load import FIELDS as _FIELDS
from store.query.columns_load import fetch as _fetch
from store.query.facets import FacetsAndStats
from store.query.text_search import QuoteIndex, narrows
from store.status import Status
from store.values.names import both, pick

INACTIVE_CODES = tuple(status.code(s) for s in status.INACTIVE)  # the statuses out of conflicts, as codes
LINEAGE = ("", "official", "differs")  # codes of the lineage column: none found, corroborated or rounded, differs
TEXT_MASKS_KEPT = 12
MAX_LOCAL_KEYS = 32  # past this many touched keys (an import), conflicts are recomputed for everything


def _narrows(before: tuple, after: tuple) -> bool:
    """text_search.narrows over (title only, word) pairs: a title word never narrows a figure word."""
    if not before or len(after) < len(before) or before[-1][0] != after[len(before) - 1][0]:
        return False
    return narrows(tuple(w for _, w in before), tuple(w for _, w in after)) and before[:-1] == after[:len(before) - 1]


class FigureColumns(FacetsAndStats):
    def __init__(self) -> None:
        self.id = np.zeros(0, np.int64)
        self.cluster = self.entity = self.metric = self.document = np.zeros(0, np.int32)
        self.status = np.zeros(0, np.int8)
        self.value = np.zeros(0, np.float64)
        self.period_start = np.zeros(0, np.int32)
        self.period = self.unit = self.qualifier = np.zeros(0, np.int32)  # codes into the *_texts lists
        self.growth = self.projected = np.zeros(0, np.int8)  # growth: conflict_rule.KINDS codes
        self.scale_factor = np.ones(0, np.float64)  # the factor of the scale word, for rounding
        self.conflict = np.zeros(0, bool)
        self.lineage = np.zeros(0, np.int8)  # LINEAGE codes: what an official source says of each figure
        self._lineage_states: dict[int, int] = {}  # figure id -> LINEAGE code, as store.curation.lineage last said
        self.period_texts: list[str] = []
        self.unit_texts: list[str] = []
        self.qualifier_texts: list[str] = []
        self.quotes = None  # pyarrow array, row-aligned, lower-cased (for the text filter only)
        self.quote_index: QuoteIndex | None = None  # signatures of the quotes (set with them)
        self.notes = None
        self.names: dict[str, dict[int, str]] = {}  # English names (the conflict rule reads them)
        self.names_zh: dict[str, dict[int, str]] = {}
        self.display_names: dict[str, dict[int, str]] = {}  # in self.language, falling back to the other
        self.language = "en"
        self._noted_cache: tuple | None = None  # rows with a note, their notes, and the notes' signatures
        self._orders: dict[tuple[str, bool], np.ndarray] = {}
        self._mask_cache: tuple | None = None
        self._scope_cache: tuple | None = None  # the set before its text filter
        self._text_cache: tuple | None = None  # the last text filter's words and rows
        self._text_masks: dict[tuple, np.ndarray] = {}  # the last few filters' rows (1 MB each at 1M)
        self._active: np.ndarray | None = None  # rows neither rejected nor superseded
        self._metric_totals: np.ndarray | None = None  # figures per metric id, in the whole store
        self._chart_orders: dict[int, np.ndarray] = {}  # per metric: its active rows by period (chart_ids)
        self._sorted_ids: dict[tuple[str, bool], np.ndarray] = {}  # every id in each order (read-only)
        self._sizes: dict[str, int] = {}  # per code column: 1 + its largest code (lookup table size)
        self._facet_masks: dict[tuple, np.ndarray] = {}  # per facet and chosen values: its rows
        self._facet_totals: dict[str, np.ndarray] = {}  # per facet: counts over the whole store
        self._value_cache: tuple | None = None  # the last value filter and its rows

    # --- loading --------------------------------------------------------------------------
    @classmethod
    def load(cls, session: Session) -> FigureColumns:
        columns = cls()
        columns._load_names(session)
        columns._set(_fetch(session, None, columns))
        columns.compute_conflicts()
        return columns

    def _load_names(self, session: Session) -> None:
        self.names = {
            "cluster": dict(session.execute(select(Cluster.id, Cluster.name)).all()),
            "entity": dict(session.execute(select(Entity.id, Entity.name)).all()),
            "metric": dict(session.execute(select(Metric.id, Metric.name)).all()),
            "document": dict(session.execute(select(Document.id, Document.title)).all()),
        }
        self.metric_kinds = dict(session.execute(select(Metric.id, Metric.unit_kind)).all())
        # Per metric and entity id, for the conflict key (conflict_rule): known or a placeholder, and the
        # kind (1 level, 2 change) of a metric's figures that state none.
        metric_keys = dict(session.execute(select(Metric.id, Metric.key)).all())
        self._metric_known = _id_table(self.names["metric"], lambda i, name: not rule.is_placeholder(name))
        self._entity_known = _id_table(self.names["entity"], lambda i, name: not rule.is_placeholder(name))
        self._metric_kind = _id_table(self.names["metric"], lambda i, name: rule.KINDS.index(
            rule.metric_kind(metric_keys.get(i), name)), np.int8)
        self.names_zh = {kind: dict(session.execute(select(model.id, model.name_zh)).all())
                         for kind, model in (("cluster", Cluster), ("entity", Entity), ("metric", Metric))}
        # The text filter matches a name in either language (typing 机器人 finds the robot clusters).
        self._folded = {kind: [(i, both(name, self.names_zh.get(kind, {}).get(i))) for i, name in names.items()]
                        for kind, names in self.names.items()}
        self._apply_language()

    def set_language(self, language: str) -> None:
        """Show and sort names in `language` (store.values.names.LANGUAGES); the filter matches both anyway."""
        if language != self.language:
            self.language = language
            self._apply_language()
            self._orders, self._sorted_ids = {}, {}

    def _apply_language(self) -> None:
        self.display_names = {kind: {i: pick(name, self.names_zh.get(kind, {}).get(i), self.language)
                                     for i, name in names.items()} for kind, names in self.names.items()}
        self._ranks = {kind: _ranks(names) for kind, names in self.display_names.items()}

    def _set(self, fetched: dict) -> None:
        for name in _FIELDS:
            setattr(self, name, fetched[name])
        self.quotes, self.notes = fetched["quotes"], fetched["notes"]
        self.quote_index = QuoteIndex.build(self.quotes)
        self._forget()
        self._place_lineage()
        self._noted()  # with the load, not at the first keystroke

    def _forget(self) -> None:
        """Drop what was worked out from the data (after a load or a refresh)."""
        self._noted_cache = self._active = self._metric_totals = self._packed_key = None
        self._orders, self._sizes, self._chart_orders, self._sorted_ids = {}, {}, {}, {}
        self._mask_cache = self._scope_cache = self._text_cache = self._value_cache = None
        self._text_masks, self._facet_masks, self._facet_totals = {}, {}, {}

    def refresh(self, session: Session, figure_ids) -> None:
        """Re-read these figures (edited, added or removed), then recompute conflicts."""
        import pyarrow as pa

        ids = sorted({int(i) for i in figure_ids})
        if not ids:
            return
        self._load_names(session)  # an edit may have created a cluster, entity or metric
        keep = ~np.isin(self.id, ids)
        keys = self._keys(np.flatnonzero(~keep))  # conflicts may end where the old rows were
        fresh = _fetch(session, ids, self)
        conflict = np.concatenate([self.conflict[keep], np.zeros(len(fresh["id"]), bool)])
        for name in _FIELDS:
            setattr(self, name, np.concatenate([getattr(self, name)[keep], fresh[name]]))
        kept = indices(np.nonzero(keep)[0])
        quotes = pa.concat_arrays([self.quotes.take(kept), fresh["quotes"]])
        notes = pa.concat_arrays([self.notes.take(kept), fresh["notes"]])
        order = np.argsort(self.id, kind="stable")  # keep id order: the default sort is free
        for name in _FIELDS:
            setattr(self, name, getattr(self, name)[order])
        self.conflict = conflict[order]  # still right for every key the change did not touch
        self.quotes, self.notes = quotes.take(indices(order)), notes.take(indices(order))
        self.quote_index = self.quote_index.changed(keep, fresh["quotes"], order)
        self._forget()
        keys |= self._keys(np.flatnonzero(np.isin(self.id, ids)))  # and begin where the new ones are
        self.compute_conflicts(keys if len(keys) <= MAX_LOCAL_KEYS else None)
        self._place_lineage()
        self._noted()

    def _keys(self, rows: np.ndarray) -> set[tuple]:
        return set(zip(*(column[rows].tolist() for column in self._key_columns())))

    def _key_columns(self) -> tuple[np.ndarray, ...]:
        return self.metric, self.entity, self.cluster, self._packed()

    def _packed(self) -> np.ndarray:
        """Period, unit, kind and target in one int64 per row (fewer keys to sort), cached until the data change."""
        if self._packed_key is None or len(self._packed_key) != len(self.id):
            kind = np.where(self.growth > 0, self.growth, self._metric_kind[self.metric]).astype(np.int64)
            target = (self.projected > 0) | self._qualifier_table(lambda text: rule.is_target(False, text))[self.qualifier]
            # A fixed width per unit code: keys packed before an edit still match those packed after it.
            self._packed_key = ((self.period.astype(np.int64) * 2**21 + self.unit) * 3 + kind) * 2 + target
        return self._packed_key

    def _qualifier_table(self, test, dtype=bool) -> np.ndarray:
        """test(text) per qualifier code (and 0 for the code past the end)."""
        return np.asarray([test(text) for text in self.qualifier_texts] + [0], dtype)

    # --- lineage ---------------------------------------------------------------------------
    def set_lineage(self, states: dict[int, str]) -> bool:
        """Take store.curation.lineage.lineage_states (figure id -> "official" | "differs"); True if any changed."""
        codes = {int(i): LINEAGE.index(state) for i, state in states.items() if state in LINEAGE}
        if codes == self._lineage_states:
            return False
        self._lineage_states = codes
        self._place_lineage()
        self._orders = {key: order for key, order in self._orders.items() if key[0] != "lineage"}
        self._sorted_ids = {key: ids for key, ids in self._sorted_ids.items() if key[0] != "lineage"}
        return True

    def _place_lineage(self) -> None:
        """The codes as a row-aligned column (ids are sorted: one searchsorted, no per-row Python)."""
        self.lineage = np.zeros(len(self.id), np.int8)
        if not self._lineage_states or not len(self.id):
            return
        ids = np.fromiter(self._lineage_states, np.int64, len(self._lineage_states))
        codes = np.fromiter(self._lineage_states.values(), np.int8, len(self._lineage_states))
        at = np.minimum(np.searchsorted(self.id, ids), len(self.id) - 1)
        found = self.id[at] == ids
        self.lineage[at[found]] = codes[found]

    def lineage_of(self, figure_ids) -> list[str]:
        """LINEAGE names of these figures ("" for none found)."""
        return [LINEAGE[self._lineage_states.get(int(i), 0)] for i in figure_ids]

    def lineage_counts(self) -> dict[int | None, tuple[int, int]]:
        """(corroborated by an official source, differing from it) per cluster id; None for no cluster."""
        slot = np.where(self.cluster < 0, 0, self.cluster + 1)
        size = int(slot.max()) + 1 if len(slot) else 1
        official = np.bincount(slot, weights=self.lineage == LINEAGE.index("official"), minlength=size)
        differs = np.bincount(slot, weights=self.lineage == LINEAGE.index("differs"), minlength=size)
        return {(None if s == 0 else s - 1): (int(official[s]), int(differs[s]))
                for s in np.flatnonzero(official + differs)}

    # --- conflicts ------------------------------------------------------------------------
    def compute_conflicts(self, keys: set[tuple] | None = None) -> None:
        """Flag the figures in conflict by store.query.conflict_rule: a known key, active, values that cannot
        both be true (beyond rounding, or outside a bound).

        With `keys`, only the figures of those keys are looked at again (an edit touches one or two
        keys: milliseconds instead of a pass over every figure)."""
        if keys is not None and len(self.conflict) == len(self.id):
            columns = self._key_columns()
            touched = np.zeros(len(self.id), bool)
            for key in keys:
                touched |= np.logical_and.reduce([c == v for c, v in zip(columns, key)])
            rows = np.flatnonzero(touched)
            self.conflict[rows] = self._conflicting(rows)
            return
        self.conflict = self._conflicting(np.arange(len(self.id)))

    def _conflicting(self, rows: np.ndarray) -> np.ndarray:
        """For these rows, whether each is in conflict (with the others among them), vectorised."""
        result = np.zeros(len(rows), bool)
        period_known = np.asarray([bool(text.strip()) for text in self.period_texts] + [False], bool)
        eligible = (~np.isin(self.status[rows], INACTIVE_CODES) & self._metric_known[self.metric[rows]]
                    & self._entity_known[self.entity[rows]] & period_known[self.period[rows]])
        at = np.flatnonzero(eligible)
        if len(at) < 2:
            return result
        picked = rows[at]
        keys = [column[picked] for column in self._key_columns()]
        sides = self._qualifier_table(rule.bound, np.int8)[self.qualifier[picked]]  # rule.STATED, OVER ...
        order = np.lexsort((sides, self.value[picked]) + tuple(keys[::-1]))
        sorted_keys = [k[order] for k in keys]
        values, sides = self.value[picked][order], sides[order]
        new_key = np.ones(len(order), bool)
        new_key[1:] = np.any([k[1:] != k[:-1] for k in sorted_keys], axis=0)
        new_value = new_key.copy()
        new_value[1:] |= (values[1:] != values[:-1]) | (sides[1:] != sides[:-1])
        group = np.cumsum(new_key) - 1
        # Keys with two values or more, or one value two ways ("over 50", "under 50"): the rest agree.
        suspect = np.flatnonzero(np.bincount(group, weights=new_value)[group] > 1)
        if not len(suspect):
            return result
        chosen = picked[order][suspect]  # still by key, then value
        steps = rule.steps(self.value[chosen], self.scale_factor[chosen],
                           self._qualifier_table(rule.is_approximate)[self.qualifier[chosen]])
        starts = np.flatnonzero(new_key[suspect])
        in_conflict = rule.groups_in_conflict(starts, self.value[chosen], steps, sides[suspect])
        sizes = np.diff(np.r_[starts, len(suspect)])
        result[at[order[suspect]]] = np.repeat(in_conflict, sizes)
        return result

    # --- queries --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.id)

    def mask(self, query: FigureQuery) -> np.ndarray:
        """The rows in the set. The part without the metric is cached: a keystroke in the filter asks
        for the same set three times (the table, the metric list, the charts)."""
        base = (query.cluster_ids, query.include_unclustered, query.text, query.statuses, query.figure_ids,
                query.titles, query.facets, query.value_filter)
        if self._mask_cache is None or self._mask_cache[0] != base:
            mask = self._filtered_mask(query)
            for name, values in query.facets:
                mask = mask & self._facet_mask(name, values)
            self._mask_cache = (base, mask)
        mask = self._mask_cache[1]
        if query.metric_id is not None:
            mask = mask & (self.metric == query.metric_id)
        return mask

    def _filtered_mask(self, query: FigureQuery) -> np.ndarray:
        """The scope, its words and its values: the set before its facets."""
        mask = self._base_mask(query)
        if query.value_filter is not None:
            mask = mask & self._value_mask(query.value_filter)
        return mask

    def _base_mask(self, query: FigureQuery) -> np.ndarray:
        scope_key = (query.cluster_ids, query.include_unclustered, query.statuses, query.figure_ids, query.titles)
        if self._scope_cache is None or self._scope_cache[0] != scope_key:
            self._scope_cache = (scope_key, self._scope_mask(query))
        mask = self._scope_cache[1]
        words = tuple(split_words(query.text))
        if not words:
            return mask
        remembered = self._text_masks.get((scope_key, words))
        if remembered is not None:  # backspacing returns to a filter typed a moment ago
            self._text_cache = (scope_key, words, remembered)
            return remembered
        start, done = mask, 0
        last = self._text_cache
        if last is not None and last[0] == scope_key and _narrows(last[1], words):
            # Typing on: the rows that matched "robo" are the only ones that can match "robot".
            start, done = last[2], len(last[1]) - 1
        result = start.copy()
        for title_only, word in words[done:]:
            result &= self._text_mask(word, result, title_only, query.titles)
        self._text_cache = (scope_key, words, result)
        self._text_masks[(scope_key, words)] = result
        while len(self._text_masks) > TEXT_MASKS_KEPT:
            self._text_masks.pop(next(iter(self._text_masks)))
        return result

    def _scope_mask(self, query: FigureQuery) -> np.ndarray:
        parts = []
        if query.cluster_ids is not None:
            wanted = list(query.cluster_ids) + ([-1] if query.include_unclustered else [])
            parts.append(self._member("cluster", self.cluster, wanted))
        if query.statuses:
            parts.append(self._member("status", self.status,
                                      [status.code(s) for s in query.statuses if s in status.CODES]))
        if query.figure_ids is not None:
            parts.append(np.isin(self.id, np.fromiter(query.figure_ids, np.int64, len(query.figure_ids))))
        mask = parts[0] if parts else np.ones(len(self.id), bool)
        for part in parts[1:]:
            mask &= part
        return mask

    def _column_size(self, name: str) -> int:
        """1 + the largest code of a code column (0 when empty), kept until the data change."""
        size = self._sizes.get(name)
        if size is None:
            column = getattr(self, name)
            size = self._sizes[name] = int(column.max()) + 1 if len(column) else 0
        return size

    def _member(self, name: str, values: np.ndarray, wanted) -> np.ndarray:
        """values (codes of column `name`, >= -1) in `wanted`, by a lookup table: one gather, where np.isin
        sorts or range-checks (a few milliseconds a column at a million rows). Code -1 takes the last slot."""
        size = self._column_size(name)
        table = np.zeros(size + 1, bool)
        wanted = np.asarray([w for w in wanted if -1 <= w < size], np.int64)
        table[wanted] = True
        return np.take(table, values)  # twice as fast as table[values] with int32 codes

    def _text_mask(self, word: str, within: np.ndarray, title_only: bool = False, titles: bool = False) -> np.ndarray:
        """Rows (among `within`) whose names, period, status, qualifier, quote or note contain the word;
        their document's title too with `titles`, and only it with `title_only` (a word typed `title:…`).
        A title says what the article is about, not what a figure states: "robot" in the title of an
        article that also gives GDP shares is no reason to list those shares."""
        def ids(kind: str) -> list[int]:
            return [i for i, name in self._folded[kind] if word in name]

        def codes(texts: list[str]) -> list[int]:
            return [i for i, text in enumerate(texts) if word in text.casefold()]

        if title_only:
            return self._member("document", self.document, ids("document")) & within
        sparse = within.sum() * 3 < len(within)  # after a few letters: look only at the rows still in
        rows = np.flatnonzero(within) if sparse else None
        hit_rows = self.quote_index.search(self.quotes, word, rows)
        for name, wanted in (("cluster", ids("cluster")), ("entity", ids("entity")), ("metric", ids("metric")),
                             ("document", ids("document") if titles else []), ("period", codes(self.period_texts)),
                             ("qualifier", codes(self.qualifier_texts)),
                             ("status", [i for i, s in enumerate(status.CODES) if word in s])):
            if wanted:  # a column with no matching name cannot add a row
                column = getattr(self, name)
                hit_rows |= self._member(name, column if rows is None else column[rows], wanted)
        if rows is None:
            hit = hit_rows
        else:
            hit = np.zeros(len(within), bool)
            hit[rows] = hit_rows
        noted, notes, index = self._noted()
        inside = np.flatnonzero(within[noted])
        if len(inside):
            hit[noted[inside[index.search(notes, word, inside)]]] = True
        return hit & within

    def _noted(self) -> tuple:
        """(rows with a note, their notes, the notes' signatures): only those notes are searched."""
        if self._noted_cache is None:
            rows = np.flatnonzero(byte_lengths(self.notes) > 0)
            notes = self.notes.take(indices(rows))
            self._noted_cache = (rows, notes, QuoteIndex.build(notes))
        return self._noted_cache

    def select(self, query: FigureQuery) -> np.ndarray:
        """The ids of the figures in the set, in the query's order (ties by id)."""
        mask = self.mask(query)
        everything = bool(mask.all())  # the tree's root: the same answer until the data change
        if self._sort_key(query.sort, np.zeros(0, np.int64)) is None:  # rows are in id order already
            ids = _read_only(self.id) if everything else self.id[mask]
            return ids[::-1] if query.descending else ids
        key = (query.sort, query.descending)
        order = self._order(*key)
        ids = self._sorted_ids.get(key)
        if ids is None:  # every id in this order, kept with it: a set is a pick from them, not a gather
            ids = self._sorted_ids[key] = _read_only(self.id[order])
        return ids if everything else ids[mask[order]]  # the whole store's order, kept where the mask is true

    def _order(self, sort: str, descending: bool) -> np.ndarray:
        """Every row in this sort order, computed once per order until the data change: a selection
        is then a boolean pick from it (milliseconds), not a new sort of a million rows."""
        cached = self._orders.get((sort, descending))
        if cached is None and sort == "value":
            cached = self._orders[(sort, descending)] = self._value_order(descending)
        if cached is None:
            rows = np.arange(len(self.id))
            keys, missing = self._sort_key(sort, rows)
            # Figures with no value for the key come last either way, as SQL's NULLS LAST.
            if descending:
                cached = np.lexsort((-self.id,) + tuple(-k for k in keys[::-1]) + (missing,))
            else:
                cached = np.lexsort((self.id,) + tuple(keys[::-1]) + (missing,))
            self._orders[(sort, descending)] = cached
        return cached

    def _value_order(self, descending: bool) -> np.ndarray:
        """By unit, then value, then id (the rows are in id order): a stable sort of the values, then a
        stable sort of their unit ranks (a radix sort of small integers), four times faster at a million
        than a lexsort of four keys. Descending is the exact reverse (ties by id, descending)."""
        ascending = self._orders.get(("value", False))
        if ascending is None:
            order = np.argsort(self.value, kind="stable")
            units = _text_rank(self.unit_texts).astype(np.int16 if len(self.unit_texts) < 2**15 else np.int64)
            ascending = self._orders[("value", False)] = order[np.argsort(units[self.unit[order]], kind="stable")]
        return ascending[::-1].copy() if descending else ascending

    def _sort_key(self, sort: str, rows: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray] | None:
        """(keys, most significant first; missing) for the rows; None for the id order."""
        none = np.zeros(len(rows), bool)
        if sort == "value":
            # By unit first (yuan apart from US$, % apart from counts), then by value: 100 yuan never
            # sorts between two sums of US$, nor 8.2 % between 8 clusters and 9 years.
            return (_text_rank(self.unit_texts)[self.unit[rows]], self.value[rows]), none
        if sort == "period":
            key = self.period_start[rows].astype(np.int64)
            return (key,), key < 0
        if sort in ("cluster", "entity", "metric", "source"):
            kind = "document" if sort == "source" else sort
            column = getattr(self, kind)[rows]
            ranks = self._ranks[kind]
            present = np.unique(column)
            key = np.asarray([ranks.get(int(c), -1) for c in present], np.int64)[np.searchsorted(present, column)]
            return (key,), key < 0
        if sort == "status":
            return (self.status[rows].astype(np.int64),), none
        if sort == "lineage":  # none found, then corroborated, then differs (descending: differs first)
            return (self.lineage[rows].astype(np.int64),), none
        if sort == "qualifier":
            return (_text_rank(self.qualifier_texts)[self.qualifier[rows]],), none
        return None

    def metric_counts(self, query: FigureQuery) -> list[tuple[int, str, str, int]]:
        """(metric id, name, unit kind, figures) in the set, most figures first (as browse.metric_counts)."""
        mask = self.mask(query.with_(metric_id=None))
        if mask.all():  # every figure (the tree's root): counted once until the data change
            if self._metric_totals is None:
                self._metric_totals = np.bincount(self.metric) if len(self.metric) else np.zeros(0, np.int64)
            counts = self._metric_totals
        else:
            metrics = self.metric[mask]
            counts = np.bincount(metrics) if len(metrics) else np.zeros(0, np.int64)
        found = [(int(m), self.display_names["metric"].get(int(m), ""), self.metric_kinds.get(int(m), ""), int(counts[m]))
                 for m in np.flatnonzero(counts)]
        return sorted(found, key=lambda item: (-item[3], item[1]))

    def chart_ids(self, query: FigureQuery, metric_id: int, limit: int = 160) -> tuple[list[int], int]:
        """(ids, how many there are): the active figures of one metric in period order; past `limit`,
        an even sample across the periods, so that a chart of a million figures still shows every year."""
        rows = self._chart_rows(metric_id)
        rows = rows[self.mask(query.with_(metric_id=None, figure_ids=None))[rows]]  # keeps the period order
        picked = rows
        if len(rows) > limit:
            picked = rows[np.linspace(0, len(rows) - 1, limit).astype(np.int64)]
        return [int(i) for i in self.id[picked]], len(rows)

    def _chart_rows(self, metric_id: int) -> np.ndarray:
        """The active rows of one metric by period, then id: sorted once per metric until the data change,
        so that a chart of any set is a pick from them, not a sort."""
        rows = self._chart_orders.get(metric_id)
        if rows is None:
            if self._active is None:
                self._active = ~self._member("status", self.status, INACTIVE_CODES)
            rows = np.flatnonzero((self.metric == metric_id) & self._active)
            rows = self._chart_orders[metric_id] = rows[np.lexsort((self.id[rows], self.period_start[rows]))]
        return rows

    def cluster_counts(self) -> dict[int | None, tuple[int, int, int, int]]:
        """(figures, unreviewed, disputed, in conflict) per cluster id; None for no cluster."""
        slot = np.where(self.cluster < 0, 0, self.cluster + 1)
        size = int(slot.max()) + 1 if len(slot) else 1
        figures = np.bincount(slot, minlength=size)
        unreviewed = np.bincount(slot, weights=self.status == status.code(Status.CANDIDATE), minlength=size)
        disputed = np.bincount(slot, weights=self.status == status.code(Status.DISPUTED), minlength=size)
        conflicts = np.bincount(slot, weights=self.conflict, minlength=size)
        return {(None if s == 0 else s - 1): (int(figures[s]), int(unreviewed[s]), int(disputed[s]), int(conflicts[s]))
                for s in np.nonzero(figures)[0]}

    def conflict_groups(self) -> list[list[int]]:
        """Each conflict as its figure ids, in the order of store.query.conflicts.conflict_groups (key, then id)."""
        rows = np.flatnonzero(self.conflict)
        if not len(rows):
            return []
        period = _text_rank(self.period_texts)[self.period[rows]]
        unit = _text_rank(self.unit_texts)[self.unit[rows]]
        packed = self._packed()[rows]  # kind and target: 'change' sorts before 'level', as in SQL
        kind, target = (packed // 2) % 3, packed % 2
        keys = (self.metric[rows], self.entity[rows], self.cluster[rows], period, unit, -kind, target)
        order = np.lexsort((self.id[rows],) + keys[::-1])  # no cluster (-1) first, as SQL's NULLs
        ordered = [k[order] for k in keys]
        starts = np.flatnonzero(np.r_[True, np.any([k[1:] != k[:-1] for k in ordered], axis=0)])
        ids = self.id[rows][order]
        return [[int(i) for i in part] for part in np.split(ids, starts[1:])]

    def document_counts(self) -> dict[int, int]:
        counts = np.bincount(self.document) if len(self.document) else np.zeros(0, np.int64)
        return {int(d): int(n) for d, n in enumerate(counts) if n}


def _id_table(names: dict[int, str], value, dtype=bool) -> np.ndarray:
    """A lookup table over ids (1 + the largest id long): value(id, name) for each named id, 0 elsewhere."""
    table = np.zeros(max(names, default=-1) + 2, dtype)
    for i, name in names.items():
        table[i] = value(i, name)
    return table


def _read_only(ids: np.ndarray) -> np.ndarray:
    """A view the table can hold without copying, that nobody can change under the cache."""
    view = ids.view()
    view.flags.writeable = False
    return view


def _ranks(names: dict[int, str]) -> dict[int, int]:
    """Dense ranks in the database's order (code points, as SQLite's BINARY collation): equal names tie."""
    distinct = {name: rank for rank, name in enumerate(sorted({n or "" for n in names.values()}))}
    return {i: distinct[name or ""] for i, name in names.items()}


def _text_rank(texts: list[str]) -> np.ndarray:
    distinct = {text: rank for rank, text in enumerate(sorted(set(texts)))}
    return np.asarray([distinct[text] for text in texts], np.int64)
