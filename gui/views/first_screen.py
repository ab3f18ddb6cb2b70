"""What the window shows when a store opens: a figure selected, its words highlighted in its source,
and a chart of figures that can be compared; or, for a store with no figures, what to do first.

The figure is the first row of the table among the *headline group*: a set of figures of one
metric, in one unit and one period, about different clusters or entities, stated as values (not
"over", "at least", a target), so that the bars compare like with like. Among groups of three
subjects or more, money comes before shares and shares before counts ("Number of industrial
clusters" across unrelated groupings compares groupings, not clusters); then the larger group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from store.query import FigureQuery
    from store.query.columns import FigureColumns

KIND_RANK = {"money": 2, "percent": 1}  # the rest (counts, durations, areas) rank 0
MIN_SUBJECTS = 3
# Values stated as such; "over 500 billion", "at least", a target or a projection are bounds or plans,
# not measurements to set side by side.
STATED = {"", "approximately", "nearly", "about", "around", "almost", "some", "roughly"}
EMPTY_STORE = ("This store has no figures yet.\n\n"
               "Import documents with File \u203a Import Documents\u2026 (Ctrl+I), or drop .txt, .md, .html "
               "or .csv files on the window: every quantity they state becomes a candidate figure, "
               "anchored to its words, for you to review.\n\n"
               "Or paste a text with Figure \u203a New Document\u2026 (Ctrl+N) and select the words that "
               "state a figure. Help \u203a Guide (F1) explains figures, anchors and reviews.")
EMPTY_DOCUMENT = "The documents you import are shown here, with each figure's words highlighted."
EMPTY_CHARTS = "Charts compare one metric across clusters and periods once the store has figures."


def headline_group(columns: FigureColumns, query: FigureQuery) -> np.ndarray:
    """The ids of the headline group among the figures the query selects (empty if there is none)."""
    from store.query.columns import INACTIVE_CODES

    if not len(columns):
        return np.zeros(0, np.int64)
    wanted = columns.mask(query) & ~np.isin(columns.status, INACTIVE_CODES)
    undated = [code for code, text in enumerate(columns.period_texts) if not text]
    if undated:
        wanted &= ~np.isin(columns.period, undated)
    bounds = [code for code, text in enumerate(columns.qualifier_texts) if text.strip().casefold() not in STATED]
    if bounds:
        wanted &= ~np.isin(columns.qualifier, bounds)
    rows = np.flatnonzero(wanted)
    if not len(rows):
        return np.zeros(0, np.int64)
    # A share (1/3) is drawn as a percentage: the two are one axis.
    same_unit = np.array([columns.unit_texts.index("%") if text == "share" and "%" in columns.unit_texts else code
                          for code, text in enumerate(columns.unit_texts)] or [0], np.int64)
    # One int64 key per row, built in place (a million rows: a few arrays of 8 MB alive at once, not a dozen).
    unit = same_unit[columns.unit[rows]]
    key = columns.metric[rows].astype(np.int64)
    key *= int(unit.max()) + 1
    key += unit
    del unit
    period = columns.period[rows]
    key *= int(period.max()) + 1
    key += period
    del period
    _, first_row, group = np.unique(key, return_index=True, return_inverse=True)  # each group's first row
    del key
    group = group.ravel()
    entity = columns.entity[rows]
    subject = columns.cluster[rows].astype(np.int64) + 1
    subject *= int(entity.max()) + 2
    subject += entity
    subject += 1
    del entity
    pair = group * (int(subject.max()) + 1)
    pair += subject
    del subject
    _, first = np.unique(pair, return_index=True)
    del pair
    subjects = np.bincount(group[first], minlength=int(group.max()) + 1)  # distinct subjects per group
    metric = columns.metric[rows[first_row]]
    kinds = np.array([KIND_RANK.get(columns.metric_kinds.get(int(m), ""), 0) for m in metric])
    # A group of three subjects or more, then the kind of measure, then the most subjects, then the group
    # met first (a stable, explainable choice).
    best = int(np.lexsort((first_row, -subjects, -kinds, (subjects < MIN_SUBJECTS)))[0])
    return columns.id[rows[group == best]]


def first_figure(table_ids: np.ndarray, group_ids: np.ndarray) -> int | None:
    """The group's figure that comes first in the table (None if the table shows none of them)."""
    if not len(group_ids) or not len(table_ids):
        return None
    found = np.flatnonzero(np.isin(table_ids, group_ids))
    return int(table_ids[found[0]]) if len(found) else int(table_ids[0])


def open_on_headline(selection, table_ids: np.ndarray, columns: FigureColumns, query: FigureQuery,
                     source: object) -> int | None:
    """Select the headline figure, unless a figure is already selected. Returns the id selected."""
    if selection.figures:
        return None
    figure_id = first_figure(table_ids, headline_group(columns, query))
    if figure_id is not None:
        selection.set_figures([figure_id], source)
    return figure_id


def explain_empty_store(figures_panel, document_view, charts) -> None:
    """A store with no figures says what to do, in the table, the document pane and the charts."""
    figures_panel.empty_label.setText(EMPTY_STORE)
    figures_panel.stack.setCurrentWidget(figures_panel.empty_label)
    document_view.clear(EMPTY_DOCUMENT)
    charts.clear(EMPTY_CHARTS)


class FirstScreen:
    """Keeps the empty-store guidance in place across table resets (the table's own empty text speaks
    of clusters and filters, which an empty store has nothing of) and opens each store on a figure."""

    def __init__(self, selection, figures_panel, document_view, charts) -> None:
        self.selection = selection
        self.figures_panel, self.document_view, self.charts = figures_panel, document_view, charts
        # After the panel's own reset handler (connected first), so this text wins on an empty store.
        figures_panel.model.modelReset.connect(self._model_reset)

    def _model_reset(self) -> None:
        if self.figures_panel.model.total == 0 and self.figures_panel.model.rowCount() == 0:
            self.figures_panel.empty_label.setText(EMPTY_STORE)

    def store_opened(self, columns: FigureColumns | None) -> int | None:
        model = self.figures_panel.model
        if columns is None or not len(columns):
            explain_empty_store(self.figures_panel, self.document_view, self.charts)
            return None
        return open_on_headline(self.selection, model.ids, columns, model.query, self)
