"""The pivot grid, built from chart rows without Qt: one metric, clusters (or entities) by period.

A cell holds every figure of its row and period. Two figures conflict by
store.query.conflict_rule, the rule of the Conflicts tab and the tree's counts: the
same known key (entity, cluster, unit, level or change ...) and values that
cannot both be true (beyond rounding, or outside a bound: "over 50 %" and 40 %); a US$ conversion beside its yuan figure is not a
conflict, nor is a figure with no period or an unassigned entity.
Tooltips are built as plain text here; `tooltip_html` makes them safe for Qt,
which would otherwise guess that an untrusted quote is rich text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gui.names import shown
from store.query.conflict_rule import rows_conflict
from store.values.display import counted, format_value
from store.values.periods import period_label

if TYPE_CHECKING:
    from store.query.rows import FigureRow

BY_MODES = ("auto", "cluster", "entity")
NO_PERIOD = "No period"
NO_CLUSTER = "No cluster"
WARNING = "\u26a0 "
MAX_TOOLTIP_FIGURES = 8


@dataclass(frozen=True)
class Cell:
    figures: tuple[FigureRow, ...]
    text: str
    conflict: bool
    disputed: bool
    tooltip: str  # plain text

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.figures]

    @property
    def sort_value(self) -> float | None:
        value = self.figures[0].value
        return None if value is None else float(value)


@dataclass
class Grid:
    row_labels: list[str] = field(default_factory=list)
    row_tooltips: list[str] = field(default_factory=list)
    column_labels: list[str] = field(default_factory=list)
    column_tooltips: list[str] = field(default_factory=list)
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def cell(self, row: int, column: int) -> Cell | None:
        return self.cells.get((row, column))

    def cells_with(self, ids: set[int]) -> list[tuple[int, int]]:
        """(row, column) of every cell holding one of these figures, top to bottom."""
        return sorted(key for key, cell in self.cells.items() if ids.intersection(cell.ids))


def value_of(row: FigureRow) -> str:
    try:
        return format_value(row.value_text, row.unit or "", row.value_max_text)
    except Exception:  # noqa: BLE001
        return f"{row.value_text} {row.unit or ''}".strip()


def row_key(row: FigureRow, by: str) -> tuple[int, str]:
    """(kind order, label): clusters first, then whole entities, then figures with no cluster."""
    if by == "entity":
        return 0, shown(row, "entity")
    if row.cluster_name:
        return 0, shown(row, "cluster")
    if by == "cluster":
        return 2, NO_CLUSTER
    return 1, shown(row, "entity")


def _row_tooltip(kind: int, label: str) -> str:
    if kind == 1:
        return f"{label} (whole entity, no cluster)"
    if kind == 2:
        return "Figures that are not about any cluster"
    return label


def _column_order(rows: list[FigureRow]) -> list[str]:
    spans: dict[str, tuple] = {}
    for row in rows:
        period = (row.period or "").strip()
        start = row.period_start or ""
        end = row.period_end or ""
        spans.setdefault(period, (not period, start, end, period))
    return sorted(spans, key=lambda p: spans[p])


def _column_tooltip(period: str, rows: list[FigureRow]) -> str:
    if not period:
        return "Figures stated without a period"
    first = next(r for r in rows if (r.period or "").strip() == period)
    start, end = first.period_start, first.period_end
    if start and end and start != end:
        return f"{period_label(period)}: {start} to {end}"
    return period_label(period)


def _subject(row: FigureRow) -> str:
    return " \u00b7 ".join(name for name in (shown(row, "cluster"), shown(row, "entity")) if name)


def figure_lines(row: FigureRow, with_subject: bool) -> list[str]:
    head = value_of(row)
    if row.qualifier:
        head += f" ({row.qualifier})"
    if row.status == "disputed":
        head += " \u2014 disputed"
    if with_subject:
        head += f" \u2014 {_subject(row)}"
    lines = [head, f"  {row.doc_title or row.doc or 'unknown document'}"]
    if row.quote:
        lines.append(f"  \u201c{row.quote}\u201d")
    return lines


def build_cell(figures: list[FigureRow], title: str) -> Cell:
    """Cell text, conflict and tooltip for the figures of one row and period."""
    texts: dict[str, list[str]] = {}  # unit -> distinct display texts, in order of appearance
    for row in figures:
        shown = texts.setdefault(row.unit or "", [])
        if value_of(row) not in shown:
            shown.append(value_of(row))
    conflict = rows_conflict(figures)
    disputed = any(row.status == "disputed" for row in figures)
    text = " / ".join(t for unit_texts in texts.values() for t in unit_texts)
    if conflict:
        text = WARNING + text
    documents = len({row.doc or row.doc_title for row in figures})
    if conflict:
        summary = f"{WARNING}Conflict: the sources state different values ({counted(documents, 'document')})"
    else:
        summary = f"Stated by {counted(documents, 'document')}"
        if len(figures) > documents:
            summary += f" ({len(figures)} times)"
    if disputed:
        count = sum(row.status == "disputed" for row in figures)
        summary += f"; {count} disputed"
    lines = [title, summary]
    with_subject = len({_subject(row) for row in figures}) > 1  # e.g. several clusters in an entity's row
    for row in figures[:MAX_TOOLTIP_FIGURES]:
        lines.append("")
        lines.extend(figure_lines(row, with_subject))
    if len(figures) > MAX_TOOLTIP_FIGURES:
        lines.extend(["", f"\u2026 and {len(figures) - MAX_TOOLTIP_FIGURES} more (click the cell to select them all)"])
    return Cell(tuple(figures), text, conflict, disputed, "\n".join(lines))


def build_grid(rows: list[FigureRow], by: str = "auto") -> Grid:
    if by not in BY_MODES:
        raise ValueError(f"by must be one of {BY_MODES}, not {by!r}")
    grid = Grid()
    if not rows:
        return grid
    keys = sorted({row_key(row, by) for row in rows}, key=lambda k: (k[0], k[1].casefold(), k[1]))
    row_index = {key: i for i, key in enumerate(keys)}
    periods = _column_order(rows)
    column_index = {period: i for i, period in enumerate(periods)}
    grid.row_labels = [label for _, label in keys]
    grid.row_tooltips = [_row_tooltip(kind, label) for kind, label in keys]
    grid.column_labels = [period_label(p) or NO_PERIOD for p in periods]
    grid.column_tooltips = [_column_tooltip(p, rows) for p in periods]
    groups: dict[tuple[int, int], list[FigureRow]] = {}
    for row in rows:
        at = (row_index[row_key(row, by)], column_index[(row.period or "").strip()])
        groups.setdefault(at, []).append(row)
    for (r, c), figures in groups.items():
        title = f"{grid.row_labels[r]} \u00b7 {grid.column_labels[c]}"
        grid.cells[(r, c)] = build_cell(figures, title)
    return grid


def sorted_rows(grid: Grid, column: int, descending: bool = False) -> list[int]:
    """The old row numbers in the order of their values in a column; empty cells last, ties by label."""
    def key(row: int) -> tuple:
        cell = grid.cell(row, column)
        value = cell.sort_value if cell else None
        if value is None:
            return 1, 0.0, row
        return 0, -value if descending else value, row
    return sorted(range(len(grid.row_labels)), key=key)


def permute_rows(grid: Grid, order: list[int]) -> Grid:
    """A grid whose row i is the given grid's row order[i]."""
    new_of = {old: new for new, old in enumerate(order)}
    return Grid(
        [grid.row_labels[i] for i in order], [grid.row_tooltips[i] for i in order],
        grid.column_labels, grid.column_tooltips,
        {(new_of[r], c): cell for (r, c), cell in grid.cells.items()},
    )


def tooltip_html(text: str) -> str:
    """Plain text as a Qt tooltip that can never be read as markup."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
