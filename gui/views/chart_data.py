"""What the charts draw, worked out without Qt so it can be tested on its own.

One chart axis carries one unit: the most common unit of the metric's figures is
drawn and the others are counted in a caption, never mixed in. Shares ("one out
of every three") are drawn as percentages. Money is scaled to the largest word
that fits (billion, trillion) so the axis reads like the text.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from gui.views.pivot_data import figure_lines, row_key
from store.query.conflict_rule import rows_conflict
from store.values.periods import period_label

if TYPE_CHECKING:
    from store.query.rows import FigureRow

MAX_BARS = 40
MAX_SERIES = 8
MONEY_UNITS = ("yuan", "US$")
SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
CHINESE_SCALE_WORDS = ((1e12, "\u4e07\u4ebf"), (1e8, "\u4ebf"), (1e4, "\u4e07"))  # 万亿, 亿, 万: as a Chinese text says it
MAX_SOURCES = 4
PERIOD_SEPARATOR = " \u00b7 "
MAX_TOOLTIP_FIGURES = 6


@dataclass
class Bar:
    label: str
    value: float  # in axis units (already divided by the axis scale)
    ids: list[int]
    disputed: bool
    conflict: bool  # the figures of this bar state different values
    rows: list[FigureRow] = field(default_factory=list, repr=False)

    @property
    def tooltip(self) -> str:
        """Plain text, made when the user hovers (formatting thousands of tooltips up front is slow)."""
        return _tooltip(self.label + (" \u2014 sources disagree" if self.conflict else ""), self.rows)


@dataclass
class Point:
    x: float  # fractional year: the middle of the period the figure covers
    y: float
    id: int
    disputed: bool
    title: str = ""
    row: FigureRow | None = field(default=None, repr=False)
    months: int = 12  # the length of the period the figure covers
    joined: bool = False  # joined by the trend line to the point before it

    @property
    def tooltip(self) -> str:
        return _tooltip(self.title, [self.row] if self.row is not None else [])


@dataclass
class Series:
    label: str
    points: list[Point]


@dataclass
class ChartData:
    title: str = ""
    axis_label: str = ""
    source: str = ""  # "Source: China Daily, 2025-03-07; ...": the documents of the figures drawn
    log_scale: bool = False  # the values span orders of magnitude (LOG_SPAN) and are all positive
    bars: list[Bar] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is not drawn, and why

    @property
    def empty(self) -> bool:
        return not self.bars


def _plotted(row: FigureRow) -> tuple[str, float] | None:
    """(unit, value) as drawn, or None for a figure with no numeric value."""
    value, unit = row.value, row.unit or ""
    if value is None:
        return None
    if unit == "share":
        return "%", float(value) * 100
    return unit, float(value)


LOG_SPAN = 1000  # a log axis when the largest value is more than this many times the smallest


def axis_scale(unit: str, values: list[float], chinese: bool = False) -> tuple[float, str]:
    """(divisor, axis label) for values of one unit: money and large counts in the text's words."""
    if values and (unit in MONEY_UNITS or unit not in ("%",)):
        largest = max(abs(v) for v in values)
        words = CHINESE_SCALE_WORDS if chinese else SCALE_WORDS
        for factor, word in words:
            if largest >= factor and (unit in MONEY_UNITS or factor >= 1e6):
                if unit == "US$":
                    return factor, f"US$ {word}"
                return factor, f"{word} {unit}".strip()
    return 1.0, unit


def tick_text(value: float, spacing: float = 0.0) -> str:
    """A tick as a person writes it: 1,250 or 0.25 or 12.5, never 4e+06."""
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    step = abs(spacing) or abs(value)
    decimals = 0 if step >= 1 else min(6, max(0, -math.floor(math.log10(step))))
    return f"{value:,.{decimals}f}"


def middle_elide(label: str, limit: int) -> str:
    """Cut a label in the middle of its subject, keeping the start, the end and the period
    ("Guangzhou core digi\u2026 economy \u00b7 2024"): two labels that differ only at the end stay distinct."""
    if len(label) <= limit:
        return label
    subject, separator, period = label.rpartition(PERIOD_SEPARATOR)
    if not separator:
        subject, period = label, ""
    room = max(4, limit - len(separator) - len(period) - 1)
    head = (room + 1) // 2
    tail = room - head
    return subject[:head].rstrip() + "\u2026" + (subject[-tail:].lstrip() if tail else "") + separator + period


def _source_name(publisher: str, title: str) -> str:
    publisher = publisher.strip()
    if publisher and not publisher.casefold().startswith("unknown"):
        return middle_elide(publisher, 60)
    return middle_elide(title.strip() or "unknown document", 60)


def source_line(rows: list[FigureRow]) -> str:
    """The documents the drawn figures come from, most figures first: publisher (or title) and date."""
    documents = Counter((row.doc_publisher or "", row.doc_title or row.doc or "",
                         (row.doc_published or "").strip()) for row in rows)
    counts: Counter = Counter()
    for (publisher, title, date), n in documents.items():
        counts[(_source_name(publisher, title), date)] += n
    ordered = sorted(counts, key=lambda key: (-counts[key], key))
    parts = [f"{name}, {date}" if date else name for name, date in ordered[:MAX_SOURCES]]
    if len(ordered) > MAX_SOURCES:
        parts.append(f"and {len(ordered) - MAX_SOURCES} more")
    return ("Source: " if len(ordered) == 1 else "Sources: ") + "; ".join(parts) if parts else ""


def _months(row: FigureRow) -> int:
    return _period_months(row.period_start, row.period_end or row.period_start)


@lru_cache(maxsize=4096)
def _period_months(start: str | None, end: str | None) -> int:
    try:
        (y0, m0), (y1, m1) = ((int(p) for p in month.split("-")[:2]) for month in (start, end))
    except (AttributeError, ValueError):
        return 0
    return (y1 - y0) * 12 + m1 - m0 + 1


@lru_cache(maxsize=4096)  # a chart's figures share a few dozen periods: work each out once
def year_position(month: str | None, end: bool = False) -> float | None:
    """'2025-03' -> 2025.1667 (its start), or its end when end=True."""
    if not month:
        return None
    try:
        year, mon = (int(part) for part in month.split("-")[:2])
    except ValueError:
        return None
    return year + (mon if end else mon - 1) / 12


def period_x(row: FigureRow) -> float | None:
    start = year_position(row.period_start)
    stop = year_position(row.period_end or row.period_start, end=True)
    if start is None or stop is None:
        return None
    return (start + stop) / 2


def _tooltip(title: str, rows: list[FigureRow]) -> str:
    lines = [title]
    for row in rows[:MAX_TOOLTIP_FIGURES]:
        lines.extend(figure_lines(row, with_subject=False))
    if len(rows) > MAX_TOOLTIP_FIGURES:
        lines.append(f"\u2026 and {len(rows) - MAX_TOOLTIP_FIGURES} more")
    lines.append("Click to select and read the source.")
    return "\n".join(lines)


def _period_text(row: FigureRow) -> str:
    period = (row.period or "").strip()
    return _label(period) if period else ""


_label = lru_cache(maxsize=4096)(period_label)


def _bars(rows: list[FigureRow], divisor: float) -> list[Bar]:
    groups: dict[tuple, list[FigureRow]] = defaultdict(list)
    for row in rows:
        groups[(row_key(row, "auto")[1], _period_text(row))].append(row)
    bars = []
    for (subject, period), members in groups.items():
        label = f"{subject}{PERIOD_SEPARATOR}{period}" if period else subject
        values = [_plotted(row)[1] for row in members]
        conflict = rows_conflict(members)
        bars.append(Bar(
            label=label, value=max(values) / divisor, ids=[row.id for row in members],
            disputed=any(row.status == "disputed" for row in members), conflict=conflict, rows=members,
        ))
    bars.sort(key=lambda bar: (-bar.value, bar.label.casefold()))
    return bars


def _series(rows: list[FigureRow], divisor: float) -> tuple[list[Series], int]:
    by_subject: dict[str, list[Point]] = defaultdict(list)
    for row in rows:
        x = period_x(row)
        if x is None:
            continue
        subject = row_key(row, "auto")[1]
        title = f"{subject} \u00b7 {_period_text(row)}"
        by_subject[subject].append(Point(
            x=x, y=_plotted(row)[1] / divisor, id=row.id,
            disputed=row.status == "disputed", title=title, row=row, months=_months(row),
        ))
    ordered = sorted(by_subject.items(), key=lambda item: (-len(item[1]), item[0].casefold()))
    series = [Series(label, sorted(points, key=lambda p: (p.x, p.id))) for label, points in ordered]
    for one in series:
        _join(one.points)
    return series[:MAX_SERIES], max(0, len(series) - MAX_SERIES)


def _join(points: list[Point]) -> None:
    """A line joins two neighbours only when both are undisputed and cover periods of one length:
    a January-May figure is not a fall from the full year before it."""
    for before, point in zip(points, points[1:]):
        point.joined = (not before.disputed and not point.disputed and before.months == point.months
                        and point.x > before.x)


def build_chart(metric_name: str, rows: list[FigureRow]) -> ChartData:
    """Bars and trend series of one metric's figures."""
    plotted = [row for row in rows if _plotted(row) is not None]
    if not plotted:
        return ChartData(title=metric_name)
    units = Counter(_plotted(row)[0] for row in plotted)
    unit = max(units, key=lambda u: (units[u], -list(units).index(u)))
    drawn = [row for row in plotted if _plotted(row)[0] == unit]
    chinese = any("\u4ebf" in (row.quote or "") or "\u4ebf" in (row.value_text or "") for row in drawn[:200])
    values = [_plotted(row)[1] for row in drawn]
    divisor, axis_label = axis_scale(unit, values, chinese)
    notes = []
    others = {u: n for u, n in units.items() if u != unit}
    if others:
        listed = ", ".join(f"{n} in {u or 'no unit'}" for u, n in sorted(others.items()))
        notes.append(f"Not drawn, one unit per axis: {listed}.")
    bars = _bars(drawn, divisor)
    if len(bars) > MAX_BARS:
        notes.append(f"The {MAX_BARS} largest of {len(bars)} bars are shown.")
        bars = bars[:MAX_BARS]
    series, hidden_series = _series(drawn, divisor)
    undated = sum(1 for row in drawn if period_x(row) is None)
    if undated:
        notes.append(f"{undated} figure{'s' if undated != 1 else ''} without a period are not on the trend.")
    if hidden_series:
        notes.append(f"The trend shows the {MAX_SERIES} longest series; {hidden_series} more are not drawn.")
    apart = sum(1 for s in series for n, p in enumerate(s.points) if n and not p.joined)
    if apart:
        notes.append("Not joined on the trend: disputed figures and periods of another length (\u25c6 part of a year).")
    positive = [v for v in values if v > 0]
    log_scale = len(positive) == len(values) and len(values) > 1 and max(positive) / min(positive) > LOG_SPAN
    if log_scale:
        notes.append(f"Log scale: the values span more than {LOG_SPAN:,} times.")
    title = f"{metric_name} ({axis_label})" if axis_label else metric_name
    shown_ids = {i for bar in bars for i in bar.ids} | {p.id for s in series for p in s.points}
    source = source_line([row for row in drawn if row.id in shown_ids])
    return ChartData(title=title, axis_label=axis_label, bars=bars, series=series, notes=notes, source=source,
                     log_scale=log_scale)
