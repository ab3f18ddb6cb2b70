"""What a view asks for: a set of figures and its order. Plain data, no SQLAlchemy, so the GUI
can build one before the store's modules are loaded.

The package store/query/ reads figures: the numpy columns the window filters and sorts (columns,
columns_load, text_search), the SQL reads (browse, queries), the conflict rule and its SQL form
(conflict_rule, conflicts), and the taxonomy tree with its counts (taxonomy, tree_node).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from store.query.value_filter import ValueFilter

# The facets a set can be narrowed by, and what a chosen value is: status, unit and period texts
# (period "" for none), metric, entity and document ids, cluster ids (-1 for no cluster).
FACETS = ("status", "unit", "metric", "period", "entity", "cluster", "document")


@dataclass(frozen=True)
class FigureQuery:
    """A figure set and its order. cluster_ids None means every figure.

    `text` words match the figure's own fields (names, quote, note, period, status, qualifier); a word
    written `title:robot` matches document titles, and `titles` makes every word match them too.
    `facets` is ((facet, values), ...): a figure has one of the values of each facet named."""

    cluster_ids: frozenset[int] | None = None
    include_unclustered: bool = False
    text: str = ""
    statuses: tuple[str, ...] = ()
    metric_id: int | None = None
    figure_ids: frozenset[int] | None = None
    sort: str = "id"
    descending: bool = False
    titles: bool = False
    facets: tuple[tuple[str, tuple], ...] = ()
    value_filter: ValueFilter | None = None

    def with_(self, **changes) -> FigureQuery:
        return replace(self, **changes)

    @property
    def filtered(self) -> bool:
        """True when a filter (not the tree's scope) narrows the set: words, statuses, facets, values."""
        return bool(self.text.strip() or self.statuses or self.facets or self.value_filter is not None)


def facets_of(chosen: dict[str, set | list | tuple]) -> tuple[tuple[str, tuple], ...]:
    """A query's facets from {facet: values}, in one canonical order (equal choices, equal queries)."""
    return tuple((name, tuple(sorted(chosen[name], key=repr))) for name in FACETS if chosen.get(name))


TITLE_PREFIX = "title:"


def split_words(text: str) -> list[tuple[bool, str]]:
    """(title only, word) for each word of a filter text, case-folded; `title:` alone is no word."""
    words = []
    for word in text.split():
        folded = word.casefold()
        if folded.startswith(TITLE_PREFIX):
            if len(folded) > len(TITLE_PREFIX):
                words.append((True, folded[len(TITLE_PREFIX):]))
        else:
            words.append((False, folded))
    return words
