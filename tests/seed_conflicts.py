"""Conflicts in the seeds, for tests that need some.

The seeds as they load hold none (store.query.conflict_rule): each group of one key has a bound or an
approximate value that the others agree with ('nearly 270' and 267 journalists; Guangzhou's added value
'breaking through the 4000 billion yuan mark' and 4470.30 billion; 突破 5000亿元 and the translation's
'exceeding 5000 billion'). Read as exact numbers, as a curator may edit them, three figures make three
groups: the Conflicts tab's, the tree's counts, and what the tests resolve.
"""

from __future__ import annotations

from store.curation.figures import edit_figure

GZ_2024, GZ_2025, JOURNALISTS = [104, 105, 114], [109, 115, 121], [50, 54]  # the groups, by figure id


def restate_exactly(store) -> None:
    edit_figure(store, 104, {"qualifier": ""})  # 4000 billion yuan exactly: not 4470.30 billion
    edit_figure(store, 109, {"qualifier": "projected"})  # 500 billion yuan exactly: not over 5000 billion
    edit_figure(store, 54, {"qualifier": ""})  # 270 journalists exactly: not 267
