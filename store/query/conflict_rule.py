"""When two figures conflict: the one rule that the store's SQL, its numpy columns, the pivot and the chart follow.

Two figures conflict when they state the same thing and their values differ beyond rounding.

*The same thing* (the conflict key): the same metric, entity, cluster, period and unit, the same kind
(a level or a change: the figure's `growth`, else its metric's, "growth" in its name), and both a
target or both an outcome (`projected`, or "projected"/"target" in the qualifier). Every part must be
known: a figure whose metric or entity is still an import's placeholder ("Unassigned (money)",
"Unassigned entity") or that has no period never forms or joins a conflict (nobody knows yet what it
states). A US$ conversion beside its yuan figure is not a conflict (another unit).

*Beyond rounding*: a value is exact to the last digit its text wrote, in the unit of its scale word
("1.2 trillion" to 0.1 trillion, "535 billion" to a billion, "5350亿" to 100 million); a value the text
calls approximate ("nearly 270", 约) only to its last nonzero digit (to 10). Two values agree when they
are within half the coarser of their two steps: "535 billion yuan" and "5350亿元" agree (the same
number), so do "267 journalists" and "nearly 270"; "4000 billion" and "4470.30 billion" do not.

Where it is applied: `conflict_key` and `rows_conflict` here are the definition, which the pivot and the
chart call on their rows. store.query.conflicts (SQL, for the CLI) and store.query.columns (numpy, for the window)
are its vectorised forms over the whole store: the same parts, each written as a column expression;
the tests check both against `conflict_key` figure by figure, so a change to the rule here that they
do not follow fails.

Only numpy here (the GUI imports this module with the pivot, before the store loads).
"""

from __future__ import annotations

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


def disagree(a: float, step_a: float, b: float, step_b: float) -> bool:
    """The definition: two values of one key differ beyond rounding (pairwise; the store's SQL uses it)."""
    return abs(a - b) > max(step_a, step_b) * _HALF


def values_conflict(values, steps_) -> bool:
    """Whether any two of these values (one key) differ beyond rounding."""
    pairs = list(zip(values, steps_))
    return any(disagree(a, sa, b, sb) for i, (a, sa) in enumerate(pairs) for b, sb in pairs[i + 1:])


def groups_in_conflict(starts: np.ndarray, values: np.ndarray, steps_: np.ndarray) -> np.ndarray:
    """For rows sorted by group (each group begins at an index in `starts`): whether each group holds two
    values that differ beyond rounding. The same answer as values_conflict, vectorised: a pair disagrees
    exactly when, at the coarser step L of the two, the values whose steps are at most L spread over more
    than L/2; so each step level present is one min/max per group."""
    found = np.zeros(len(starts), bool)
    if not len(values):
        return found
    for level in np.unique(steps_):
        inside = steps_ <= level
        low = np.minimum.reduceat(np.where(inside, values, np.inf), starts)
        high = np.maximum.reduceat(np.where(inside, values, -np.inf), starts)
        found |= np.isfinite(low) & (high - low > level * _HALF)
    return found


def row_steps(rows: list[FigureRow]) -> np.ndarray:
    return steps([float(r.value) for r in rows], [scale_factor(r.scale) for r in rows],
                 [is_approximate(r.qualifier) for r in rows])


def rows_conflict(rows: list[FigureRow]) -> bool:
    """Whether these figure rows (the pivot's cell, the chart's bar) hold a conflict: two of one known key
    whose values differ beyond rounding. Inactive figures never reach the pivot or the chart."""
    if len(rows) < 2:
        return False
    by_key: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        if row.value is not None and (key := conflict_key(row)) is not None:
            by_key.setdefault(key, []).append(i)
    # Only keys stating two values can conflict; their rounding steps are worked out in one pass.
    groups = [group for group in by_key.values() if len({rows[i].value for i in group}) > 1]
    if not groups:
        return False
    wanted = sorted({i for group in groups for i in group})
    step_of = dict(zip(wanted, row_steps([rows[i] for i in wanted]).tolist()))
    return any(values_conflict([float(rows[i].value) for i in group], [step_of[i] for i in group])
               for group in groups)
