"""Facets, value comparisons and column statistics over the figure columns (store.query.columns).

A mixin of FigureColumns: the same code arrays and caches. A facet's counts are a bincount of its
column over the set's rows (np.flatnonzero once, then a take per facet: a boolean pick of a million
codes costs ~12 ms a column); a set holding most of the store counts the rows left out and
subtracts them from the whole store's counts, kept until the data change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from store.query import FACETS, FigureQuery
from store.query.arrow import byte_lengths, indices
from store.query.value_filter import SHARE_UNITS, ValueFilter
from store.status import CODES
from store.values.periods import period_label

FACET_MASKS_KEPT = 12  # the last few facet choices' rows (1 MB each at a million figures)


def _statuses() -> tuple[str, ...]:
    return CODES  # the status column holds each status's place in CODES


@dataclass(frozen=True)
class FacetValue:
    value: object  # what FigureQuery.facets names: a status, unit or period text, or an id
    label: str
    count: int
    chosen: bool = False


@dataclass(frozen=True)
class FacetCounts:
    facet: str
    values: list[FacetValue]  # the commonest values and the chosen ones, most figures first
    distinct: int  # values with a figure in the set
    figures: int


@dataclass(frozen=True)
class UnitStats:
    unit: str
    count: int
    distinct: int
    low: float  # in base units, as stored
    high: float


@dataclass(frozen=True)
class ColumnStats:
    column: str
    count: int  # figures with a value in this column
    distinct: int | None  # None: not known for this column
    low: str | None  # the first and last value in the column's order, as the table shows them
    high: str | None
    units: list[UnitStats] | None = None  # Value only: per unit



class FacetsAndStats:
    """The facet, value and statistics queries of FigureColumns (see the module's docstring)."""

    def _facet_codes(self, name: str) -> np.ndarray:
        """The column a facet counts, as codes >= -1."""
        return getattr(self, name)

    def _facet_wanted(self, name: str, values) -> list[int]:
        """A facet's chosen values as codes of its column."""
        if name == "status":
            return [_statuses().index(v) for v in values if v in _statuses()]
        if name in ("unit", "period"):
            wanted = set(values)
            return [i for i, text in enumerate(getattr(self, f"{name}_texts")) if text in wanted]
        return [int(v) for v in values]

    def _facet_mask(self, name: str, values) -> np.ndarray:
        key = (name, values)
        found = self._facet_masks.get(key)
        if found is None:
            found = self._member(name, self._facet_codes(name), self._facet_wanted(name, values))
            self._facet_masks[key] = found
            while len(self._facet_masks) > FACET_MASKS_KEPT:
                self._facet_masks.pop(next(iter(self._facet_masks)))
        return found

    def _value_mask(self, wanted: ValueFilter) -> np.ndarray:
        """Rows whose value passes the comparison, in the unit the table shows (a share as a per cent)."""
        if self._value_cache is not None and self._value_cache[0] == wanted:
            return self._value_cache[1]

        def passes(values: np.ndarray, percent: bool) -> np.ndarray:
            low, high = wanted.bounds(percent)
            above = values >= low if wanted.low_inclusive else values > low
            below = values <= high if wanted.high_inclusive else values < high
            return above & below

        mask = passes(self.value, False)
        shares = [i for i, text in enumerate(self.unit_texts) if text in SHARE_UNITS]
        if shares:
            rows = np.flatnonzero(self._member("unit", self.unit, shares))
            mask[rows] = passes(self.value[rows], True)
        if wanted.unit is not None:
            units = set(wanted.units(self.unit_texts))
            mask &= self._member("unit", self.unit, [i for i, text in enumerate(self.unit_texts) if text in units])
        self._value_cache = (wanted, mask)
        return mask

    def column_stats(self, ids, key: str) -> ColumnStats:
        """Count, distinct values, first and last of one table column over these figures; for Value,
        the same per unit (values of different units are not one range)."""
        ids = np.asarray(ids, np.int64)
        rows = np.searchsorted(self.id, ids)
        rows = rows[(rows < len(self.id)) & (self.id[np.minimum(rows, len(self.id) - 1)] == ids)] if len(self.id) \
            else np.zeros(0, np.int64)
        if key == "value":
            units = self.unit[rows]
            per_unit = []
            for code in np.unique(units):
                values = self.value[rows[units == code]]
                per_unit.append(UnitStats(self.unit_texts[code], len(values), len(np.unique(values)),
                                          float(values.min()), float(values.max())))
            per_unit.sort(key=lambda u: (-u.count, u.unit))
            distinct = sum(u.distinct for u in per_unit)
            return ColumnStats(key, len(rows), distinct, None, None, per_unit)
        if key in ("quote", "note"):
            import pyarrow.compute as pc

            texts = (self.quotes if key == "quote" else self.notes).take(indices(rows))
            present = texts.take(indices(np.flatnonzero(byte_lengths(texts) > 0)))
            return ColumnStats(key, len(present), int(pc.count_distinct(present).as_py()), None, None)
        if key == "id":
            return ColumnStats(key, len(rows), len(rows), None, None)
        labelled = self._stat_column(key)
        if labelled is None:
            return ColumnStats(key, len(rows), None, None, None)
        column, rank, label = labelled
        codes = np.unique(column[rows])
        named = [c for c in codes.tolist() if label(c)]
        if not named:
            return ColumnStats(key, 0, 0, None, None)
        ordered = sorted(named, key=rank)
        count = int(np.isin(column[rows], named).sum())
        return ColumnStats(key, count, len(named), label(ordered[0]), label(ordered[-1]))

    def _stat_column(self, key: str):
        """(codes, rank of a code, label of a code ('' for none)) of a table column, or None."""
        if key in ("metric", "cluster", "entity", "source"):
            kind = "document" if key == "source" else key
            ranks, names = self._ranks[kind], self.names[kind]
            return getattr(self, kind), lambda c: ranks.get(c, -1), lambda c: names.get(c) or ""
        if key == "status":
            return self.status, lambda c: c, lambda c: _statuses()[c]
        if key in ("period", "qualifier"):
            texts = getattr(self, f"{key}_texts")
            label = (lambda c: period_label(texts[c])) if key == "period" else (lambda c: texts[c])
            starts = np.zeros(len(texts) + 1, np.int64)
            if key == "period":  # earliest by first month, as the Period column sorts (one start per text)
                starts[self.period] = self.period_start
            return getattr(self, key), (lambda c: (int(starts[c]), texts[c])), label
        return None

    def facet_counts(self, query: FigureQuery, limit: int = 10,
                     limits: dict[str, int] | None = None) -> dict[str, FacetCounts]:
        """Per facet, its values in the set and how many figures each has: the set with every other
        facet's choice applied, not this facet's own (values of one facet add up, as Datasette's do).
        The `limit` commonest values (or limits[facet]) and every chosen one, most figures first."""
        chosen = dict(query.facets)
        start = self._filtered_mask(query)
        everything = not chosen and bool(start.all())
        masks = {name: self._facet_mask(name, values) for name, values in chosen.items()}
        result = {}
        rows_by_others: dict[tuple, tuple[np.ndarray, bool]] = {}  # facets not chosen share one set
        for name in FACETS:
            if everything:
                counts = self._facet_total(name)
            else:
                others = tuple(other for other in masks if other != name)
                found = rows_by_others.get(others)
                if found is None:
                    mask = start
                    for other in others:
                        mask = mask & masks[other]
                    # Most of the store ("r" typed): count the few rows left out, and subtract.
                    outside = np.count_nonzero(mask) * 2 > len(mask)
                    found = rows_by_others[others] = (np.flatnonzero(~mask if outside else mask), outside)
                rows, outside = found
                counts = self._facet_count(name, rows)
                if outside:
                    total = self._facet_total(name)
                    counts = total - np.pad(counts, (0, len(total) - len(counts)))
            result[name] = self._facet_values(name, counts, chosen.get(name, ()), (limits or {}).get(name, limit))
        return result

    def _facet_count(self, name: str, rows: np.ndarray | None) -> np.ndarray:
        """Figures per code of a facet's column among these rows (None: all), code -1 in slot 0.

        The rows' positions, then a take: a boolean pick of a million codes costs ~12 ms a column (a
        branch per row), np.flatnonzero once and a take of sorted positions ~1 ms."""
        column = self._facet_codes(name)
        codes = column + 1 if rows is None else np.take(column, rows) + 1
        return np.bincount(codes, minlength=self._facet_slots(name))

    def _facet_slots(self, name: str) -> int:
        return self._column_size(name) + 1

    def _facet_total(self, name: str) -> np.ndarray:
        counts = self._facet_totals.get(name)
        if counts is None:
            counts = self._facet_totals[name] = self._facet_count(name, None)
        return counts

    def _facet_values(self, name: str, counts: np.ndarray, chosen, limit: int) -> FacetCounts:
        present = np.flatnonzero(counts)
        top = present[np.lexsort((present, -counts[present]))[:limit]]
        wanted = set(self._facet_wanted(name, chosen))
        codes = [int(c) - 1 for c in top] + sorted(wanted - {int(c) - 1 for c in top})
        values = []
        for code in codes:
            value, label = self._facet_label(name, code)
            values.append(FacetValue(value, label, int(counts[code + 1]) if code + 1 < len(counts) else 0,
                                     code in wanted))
        values.sort(key=lambda v: (-v.count, v.label))
        return FacetCounts(name, values, len(present), int(counts.sum()))

    def _facet_label(self, name: str, code: int) -> tuple[object, str]:
        """(the value a query names, the words a user reads) for a code of a facet's column."""
        if name == "status":
            return _statuses()[code], _statuses()[code]
        if name == "unit":
            text = self.unit_texts[code]
            return text, text or "(no unit)"
        if name == "period":
            text = self.period_texts[code]
            return text, period_label(text) or "(no period)"
        if name == "cluster" and code < 0:
            return -1, "(no cluster)"
        return code, self.display_names.get(name, self.names[name]).get(code) or f"#{code}"  # in the chosen language
