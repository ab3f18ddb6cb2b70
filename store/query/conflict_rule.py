"""When two figures conflict: the one rule that the store's SQL, its numpy columns, the pivot, the chart and lineage follow.

Two figures conflict when they state the same thing and their values cannot both be true: they differ
beyond rounding, or one is a bound ("over 50 %") that the other falls outside.

*The same thing* (the conflict key): the same metric, entity, cluster, period and unit, the same kind
(a level or a change: the figure's `growth`, else its metric's, "growth" in its name), and both a
target or both an outcome (`projected`, or "projected"/"target" in the qualifier). Every part must be
known: a figure whose metric or entity is still an import's placeholder ("Unassigned (money)",
"Unassigned entity") or that has no period never forms or joins a conflict (nobody knows yet what it
states). A US$ conversion beside its yuan figure is not a conflict (another unit).

*What a value says* (its interval): a stated value v says [v - step/2, v + step/2], its rounding. The
step: a value is exact to the last digit its text wrote, in the unit of its scale word ("1.2 trillion"
to 0.1 trillion, "535 billion" to a billion, "5350亿" to 100 million); a value the text calls
approximate ("nearly 270", "about 60", 约, 左右) only to its last nonzero digit (to 10). A bound says a
side of v: "over", "more than", "above", "exceeding", 超过, 超, 逾, 突破, 以上: (v, ∞); "under", "less
than", "below", 不到, 不足, 以下: (-∞, v); "at least", 不低于, 不少于, 至少: [v, ∞); "up to", "at most",
不超过, 以内: (-∞, v] (BOUND_WORDS; the longest word wins, so 不超过 is not 超过).

Where the bound is read: the figure's qualifier, never its quote. Every reader writes the word it saw
in the quote into the qualifier as a plain English word: the add-figure dialog and the finder through
store.values.numbers.parse_quantity ("exceeded 8 trillion" -> "over", "up to" -> "less than"), Chinese
text through store.reading.numbers_zh (超过10% -> "over", 80岁以上 -> "over", 不到 -> "less than"),
and an import adds its mode ("projected over"). The seeds write the same words, also where the bound
word stands outside the quote (seed 000's "30%" in "over 50% and 30%" is "over"), and a curator who
edits the qualifier overrides what the quote says. A word typed in the qualifier in either language
counts as well.

*Cannot both be true*: two stated values conflict when they are more than half the coarser of their
two steps apart: "535 billion yuan" and "5350亿元" agree (the same number), so do "267 journalists" and
"nearly 270"; "4000 billion" and "4470.30 billion" do not. Any two figures conflict when their
intervals do not overlap (for two stated values this never adds a conflict: apart by more than both
half steps is apart by more than the coarser one): "over 50 %" agrees with 56.2 % (the news rounded
the report down), "over 50 %" with "over 60 %", 超过10% with 12 %; "over 50 %" conflicts with 40 %,
"under 5 %" with 6 %, "over 50 %" with "under 50 %". A group of one key conflicts when two of its
figures do; in one dimension intervals that overlap two by two share a point, so that is
max(lower ends) > min(upper ends) over the group, besides the stated pairs' own test.

Where it is applied: `conflict_key`, `bound` and `disagree` here are the definition; `rows_conflict`
applies them to the pivot's and the chart's rows, store.query.lineage_rule to a restatement and its
source (exactly, in fractions). store.query.conflicts (SQL, for the CLI) and store.query.columns
(numpy, for the window) are its vectorised forms over the whole store: SQL finds each key with more
than one value or qualifier and `values_conflict` decides; the columns use `groups_in_conflict`. The
tests check both against `conflict_key` and `values_conflict` figure by figure, so a change to the
rule here that they do not follow fails.

Only numpy here (the GUI imports this module with the pivot, before the store loads).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from store.query.rows import FigureRow

PLACEHOLDER = "unassigned"  # the import names an unknown metric "Unassigned (money)", an entity "Unassigned entity"
CHANGE_WORDS = ("growth", "increase", "change", "增长", "增速", "增幅", "增量")
TARGET_WORDS = ("projected", "target")
APPROXIMATE_WORDS = ("about", "approximately", "around", "nearly", "almost", "roughly", "close to",
                     "约", "近", "接近", "左右", "大约")
LEVEL, CHANGE = "level", "change"
KINDS = ("", LEVEL, CHANGE)  # codes 0 (not stated), 1, 2
# Scale words of a percentage, in percent: "4成" (four tenths) is 40 %, stated to the tenth (10 %).
PERCENT_SCALES = {"成": 10.0}
_MAX_DECIMALS = 8  # a value with more decimals than this (1/3) counts as exact
_HALF = 0.5 * (1 + 1e-9)  # half a step, and a hair: a value exactly half a step away still agrees
_INF = float("inf")
# What a qualifier says of its value: stated (rounded, or approximate), or a bound on one side.
STATED, OVER, AT_LEAST, UNDER, AT_MOST = range(5)
BOUND_WORDS = {
    OVER: ("over", "more than", "above", "exceed", "exceeds", "exceeded", "exceeding", "surpass", "surpasses",
           "surpassed", "surpassing", "in excess of", "upwards of", "超过", "超", "逾", "突破", "以上", "多于"),
    AT_LEAST: ("at least", "no less than", "not less than", "no fewer than", "not fewer than", "or more",
               "不低于", "不少于", "至少"),
    UNDER: ("under", "less than", "fewer than", "below", "不到", "不足", "以下", "低于", "少于"),
    AT_MOST: ("up to", "at most", "no more than", "not more than", "not exceeding", "not to exceed", "or less",
              "or fewer", "不超过", "不高于", "不多于", "最多", "以内"),
}


# --- the key --------------------------------------------------------------------------------------
def is_placeholder(name: str | None) -> bool:
    """A metric or entity name an import gave for want of a real one."""
    return (name or "").strip().casefold().startswith(PLACEHOLDER)


def metric_kind(key: str | None, name: str | None) -> str:
    """A metric's kind, for figures that do not state theirs: a change if its key or name says so."""
    words = f"{key or ''} {name or ''}".casefold()
    return CHANGE if any(word in words for word in CHANGE_WORDS) else LEVEL


def figure_kind(growth: str | None, metric_key: str | None, metric_name: str | None) -> str:
    return growth if growth in (LEVEL, CHANGE) else metric_kind(metric_key, metric_name)


def is_target(projected, qualifier: str | None) -> bool:
    words = (qualifier or "").casefold()
    return bool(projected) or any(word in words for word in TARGET_WORDS)


def is_approximate(qualifier: str | None) -> bool:
    words = (qualifier or "").casefold()
    return any(word in words for word in APPROXIMATE_WORDS)


@lru_cache(maxsize=1024)  # a store has a few dozen qualifier texts; the pivot and the chart ask per row
def bound(qualifier: str | None) -> int:
    """What the qualifier says of the value: STATED, or the side of a bound (OVER, AT_LEAST, UNDER, AT_MOST).
    The first word wins, and the longest at a place ("not exceeding" is not "exceeding")."""
    found = _bound_pattern().search((qualifier or "").casefold())
    return _BOUND_OF[found.group(0)] if found else STATED


_BOUND_OF = {word: side for side, words in BOUND_WORDS.items() for word in words}


@lru_cache(maxsize=1)
def _bound_pattern() -> re.Pattern:
    """Latin words whole ("over", not "turnover"), Chinese as they stand."""
    words = sorted(_BOUND_OF, key=len, reverse=True)
    return re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w) for w in words))


def key_known(metric_name: str | None, entity_name: str | None, period: str | None) -> bool:
    return not is_placeholder(metric_name) and not is_placeholder(entity_name) and bool((period or "").strip())


def conflict_key(row: FigureRow) -> tuple | None:
    """The conflict key of a figure row (store.query.rows; a lineage_rule.LinkableRow has the same parts), None when
    a part is unknown.

    The definition: store.query.conflicts (SQL) and store.query.columns (numpy) compute the same key vectorised,
    and tests/store/test_conflict_rule.py holds both to this function on every figure of a store."""
    if not key_known(row.metric_name, row.entity_name, row.period):
        return None
    return (row.metric or row.metric_name, row.entity or row.entity_name,
            row.cluster or row.cluster_name, (row.period or "").strip(), row.unit or "",
            figure_kind(row.growth, row.metric, row.metric_name),
            is_target(row.projected, row.qualifier))


# --- rounding -------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def scale_factors() -> dict[str, float]:
    """Scale word (lower case) -> its factor: the number reader's own table."""
    from store.values.numbers import SCALES

    factors = {word.casefold(): float(factor) for word, factor in SCALES.items()}
    factors.update(PERCENT_SCALES)
    return factors


def scale_factor(scale: str | None) -> float:
    return scale_factors().get((scale or "").strip().casefold(), 1.0)


def steps(values, factors, approximate) -> np.ndarray:
    """The rounding step of each value as its text wrote it (see the module docstring); 0: exact."""
    values = np.asarray(values, np.float64)
    factors = np.asarray(factors, np.float64)
    mantissa = np.abs(values / factors)
    step = np.where(mantissa == 0, 1.0, 0.0)  # '0' is exact to its units
    for exponent in range(-_MAX_DECIMALS, 16):  # the last place that divides the mantissa wins: its last digit
        place = 10.0 ** exponent
        scaled = mantissa / place
        whole = np.round(scaled)
        step = np.where((whole >= 1) & (np.abs(scaled - whole) <= 1e-9 * scaled), place, step)
    # A number as written is exact to its units ('270' to 1), unless the text says it is approximate.
    step = np.where(np.asarray(approximate, bool) & (mantissa > 0), step, np.minimum(step, 1.0))
    return step * factors


def interval(value, step, side: int = STATED, half=_HALF) -> tuple:
    """(low, low is open, high, high is open) of what a figure says; floats or Fractions (half: Fraction(1, 2))."""
    if side == STATED:
        return value - step * half, False, value + step * half, False
    if side in (OVER, AT_LEAST):
        return value, side == OVER, _INF, True
    return -_INF, True, value, side == UNDER



def disagree(a, step_a, b, step_b, sides: tuple[int, int] = (STATED, STATED), half=_HALF) -> bool:
    """The definition: two values of one key cannot both be true (pairwise; see the module docstring)."""
    if sides == (STATED, STATED) and abs(a - b) > max(step_a, step_b) * half:
        return True
    ends = (interval(a, step_a, sides[0], half), interval(b, step_b, sides[1], half))
    low, low_open = max(end[:2] for end in ends)  # the higher low end; on a tie, the open one
    high, closed = min((end[2], not end[3]) for end in ends)  # the lower high end; on a tie, the open one
    return low > high or (low == high and (low_open or not closed))


def values_conflict(values, steps_, sides=None) -> bool:
    """Whether any two of these values (one key) cannot both be true; sides: each one's bound (None: stated)."""
    found = list(zip(values, steps_, sides if sides is not None else [STATED] * len(values)))
    return any(disagree(a, sa, b, sb, (ka, kb))
               for i, (a, sa, ka) in enumerate(found) for b, sb, kb in found[i + 1:])


def intervals(values: np.ndarray, steps_: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`interval` vectorised, in floats: an open end is the next float inward ((50, ∞) is [50.000...01, ∞))."""
    values, steps_, sides = np.asarray(values, np.float64), np.asarray(steps_, np.float64), np.asarray(sides)
    low = np.select([sides == STATED, sides == OVER, sides == AT_LEAST],
                    [values - steps_ * _HALF, np.nextafter(values, np.inf), values], -np.inf)
    high = np.select([sides == STATED, sides == UNDER, sides == AT_MOST],
                     [values + steps_ * _HALF, np.nextafter(values, -np.inf), values], np.inf)
    return low, high


def groups_in_conflict(starts: np.ndarray, values: np.ndarray, steps_: np.ndarray, sides=None) -> np.ndarray:
    """For rows sorted by group (each group begins at an index in `starts`): whether each group holds two
    values that cannot both be true. The same answer as values_conflict, vectorised. Two stated values: a
    pair disagrees exactly when, at the coarser step L of the two, the stated values whose steps are at
    most L spread over more than L/2; so each step level present is one min/max per group. Intervals: two
    are disjoint exactly when the largest low end passes the smallest high end."""
    found = np.zeros(len(starts), bool)
    if not len(values):
        return found
    sides = np.full(len(values), STATED) if sides is None else np.asarray(sides)
    stated = sides == STATED
    for level in np.unique(steps_[stated]):
        inside = stated & (steps_ <= level)
        low = np.minimum.reduceat(np.where(inside, values, np.inf), starts)
        high = np.maximum.reduceat(np.where(inside, values, -np.inf), starts)
        found |= np.isfinite(low) & (high - low > level * _HALF)
    low, high = intervals(values, steps_, sides)
    found |= np.maximum.reduceat(low, starts) > np.minimum.reduceat(high, starts)
    return found


def row_steps(rows: list[FigureRow]) -> np.ndarray:
    return steps([float(r.value) for r in rows], [scale_factor(r.scale) for r in rows],
                 [is_approximate(r.qualifier) for r in rows])


def row_sides(rows: list[FigureRow]) -> list[int]:
    """Each row's bound (STATED, OVER ...), from its qualifier."""
    return [bound(r.qualifier) for r in rows]


def rows_conflict(rows: list[FigureRow]) -> bool:
    """Whether these figure rows (the pivot's cell, the chart's bar) hold a conflict: two of one known key
    whose values cannot both be true. Inactive figures never reach the pivot or the chart."""
    if len(rows) < 2:
        return False
    by_key: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        if row.value is not None and (key := conflict_key(row)) is not None:
            by_key.setdefault(key, []).append(i)
    # Only keys stating two values, or one value two ways ("over 50", "under 50"), can conflict; their
    # bounds, then steps, are worked out in one pass each.
    shared = sorted(i for group in by_key.values() if len(group) > 1 for i in group)
    side_of = dict(zip(shared, row_sides([rows[i] for i in shared])))
    groups = [group for group in by_key.values() if len({(rows[i].value, side_of.get(i)) for i in group}) > 1]
    if not groups:
        return False
    wanted = sorted({i for group in groups for i in group})
    step_of = dict(zip(wanted, row_steps([rows[i] for i in wanted]).tolist()))
    return any(values_conflict([float(rows[i].value) for i in group], [step_of[i] for i in group],
                               [side_of[i] for i in group]) for group in groups)
