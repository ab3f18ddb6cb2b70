"""FigureRow: one figure as the views show it, joined to its names, its document and its anchor.

A row is frozen: a view that needs a changed row (an edit's preview, the official-source
state the columns know) makes one with `dataclasses.replace`, and a view that caches what it
derives from rows (the table's cell texts) keeps that cache itself. Rows are made only by
`figure_row`, from a result row of store.query.browse's ROW_COLUMNS, and only for the figures a
view asks for (a page of the table, a chart's metric), never for a whole store at once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Iterable, Sequence


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A figure with what the views show of it (store.query.browse.ROW_COLUMNS, one field each)."""

    id: int  # the figure's id in the store
    key: str | None  # its stable key (e.g. "gd-2024-007"); None for a figure read or typed in without one
    cluster_name: str | None  # the cluster's English name; None when the figure has no cluster
    cluster: str | None  # the cluster's key; None when the figure has no cluster
    entity_name: str  # the entity's English name (a placeholder such as "Unassigned" when unknown)
    entity: str  # the entity's key
    metric_name: str  # the metric's English name (a placeholder such as "Unassigned (money)" when unknown)
    metric: str  # the metric's key
    metric_id: int
    cluster_name_zh: str | None  # the names in Chinese ("" when not given): gui.names picks the language
    entity_name_zh: str
    metric_name_zh: str
    unit_kind: str  # the metric's kind of unit ("money", "share", ...): which chart axis it shares
    period: str  # the period as stored ("2024", "2025-01/2025-05"); "" when the text gives none
    period_start: str | None  # its first and last month ("2024-01"), None when there is no period
    period_end: str | None
    value: float  # the value in its unit and scale, as a float (for sorting, charts, the conflict rule)
    value_text: str  # the value exactly as read ("1.2", "3/4"): what is shown, exported and compared exactly
    value_max_text: str | None  # the top of a range ("1.2 to 1.5"), None for a single value
    unit: str  # "yuan", "%", ...
    scale: str  # the scale word ("trillion", "亿"), "" for none
    qualifier: str  # "about", "over", "target", ... as stated; "" for none
    status: str  # the review status (store.status.STATUSES)
    status_reason: str  # why it was disputed, rejected or superseded ("" for none)
    note: str  # the curator's note on the figure itself ("" for none); see annotation_count
    document_id: int  # the document the figure is stated in
    doc_title: str  # that document's title
    doc: str  # that document's file name (the key exports and the command line use)
    start: int  # the anchor: character offsets of the quote in the document's text
    end: int
    quote: str  # the exact text at [start:end] when the anchor was made
    anchor: str  # the anchor's state: "exact", "moved", "orphaned", ...
    flag: str  # a reviewer's warning (a unit the quote does not show, ...); "" for none
    version: int  # the figure's version, for an edit's stale-version check
    superseded_by_id: int | None  # the figure that replaced this one, when superseded
    doc_published: str  # the document's publication date as given ("2024-03-01", "2024"); "" unknown
    doc_publisher: str
    metric_text: str  # the words the text used for the metric, when an import could not name it
    growth: str  # "change" (a growth rate) or "level"; "" when not read
    growth_base: str  # what a change is measured on ("previous year"); "" when not stated
    projected: bool  # a target or forecast rather than an outcome
    reading: dict | None  # the words each part of the meaning was read from (do not change it in place)
    annotation_count: int  # how many annotations (the Annotations panel's notes) the figure has
    # What official sources say of the figure ("official", "differs", ""): from the workspace's
    # columns, filled by store.workspace; "" on a row read straight from SQL.
    lineage: str = ""


FIELDS = tuple(f.name for f in fields(FigureRow))


def figure_row(values: Sequence[Any]) -> FigureRow:
    """The one way a FigureRow is made: from a result row of store.query.browse's ROW_COLUMNS, whose
    columns are the fields in order (browse checks the labels on import). By position, not by name:
    reading 44 values of a SQLAlchemy row by name took five times as long as the query of a page."""
    return FigureRow(*values)


def figure_rows_of(results: Iterable[Sequence[Any]]) -> list[FigureRow]:
    return [figure_row(values) for values in results]
