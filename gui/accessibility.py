"""Names for assistive technology, and the order Tab visits the window's views.

One table for the whole window, so a screen reader says what each view is ("Figures table", not
"table") and Tab reads the window as it looks: the tree and its filter, the tabs, the figure filter
and table, the document, the annotations, then the metric and the charts. Item views leave Tab to
the window (setTabKeyNavigation(False)): Tab moves to the next view, arrows move inside one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QTabBar, QWidget


def _names(w) -> list[tuple[QWidget, str]]:
    return [
        (w.tree_panel.filter_edit, "Filter clusters"),
        (w.tree_panel.view, "Clusters tree"),
        (w.tabs, "Views"),
        (w.tabs.tabBar(), "Views: Figures, Pivot, Conflicts, Orphans"),
        (w.figures_panel.filter_edit, "Filter figures"),
        (w.figures_panel.status_combo, "Review status shown"),
        (w.figures_panel.table, "Figures table"),
        (w.pivot.rows_combo, "Pivot rows"),
        (w.pivot.table(), "Pivot table"),
        (w.conflicts_view.tree, "Conflicts"),
        (w.conflicts_view.resolve_button, "Resolve conflict"),
        (w.orphans_view.table, "Orphaned figures"),
        (w.document_view.chooser, "Document shown"),
        (w.document_view.editor, "Document text"),
        (w.annotations_panel.show_combo, "Annotations shown"),
        (w.annotations_panel.table, "Annotations"),
        (w.annotations_panel.edit_button, "Edit annotation"),
        (w.annotations_panel.remove_button, "Remove annotation"),
        (w.metric_combo, "Metric compared"),
        (w.charts.comparison_plot(), "Comparison chart"),
        (w.charts.trend_plot(), "Trend chart"),
    ]


def _order(w) -> list[QWidget]:
    """The widgets in the order Tab visits them (a hidden one, on another tab, is skipped)."""
    order = [w.tree_panel.filter_edit, w.tree_panel.view, w.tabs, w.tabs.tabBar(),
             w.figures_panel.filter_edit, w.figures_panel.status_combo, w.figures_panel.table,
             w.pivot.rows_combo, w.pivot.table(), w.conflicts_view.resolve_button, w.conflicts_view.tree,
             w.orphans_view.table, w.document_view.chooser, w.document_view.editor,
             w.annotations_panel.show_combo, w.annotations_panel.table, w.annotations_panel.edit_button,
             w.annotations_panel.remove_button]
    dock_tabs = [bar for bar in w.findChildren(QTabBar) if bar is not w.tabs.tabBar()]
    return order + dock_tabs + [w.metric_combo, w.charts.comparison_plot(), w.charts.trend_plot()]


def name_and_order(window) -> None:
    for widget, name in _names(window):
        widget.setAccessibleName(name)
    for scroll in window.findChildren(QAbstractScrollArea):
        scroll.viewport().setAccessibleName(scroll.accessibleName())
    name_dock_tabs(window)
    for view in window.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
    order = _order(window)
    for first, second in zip(order, order[1:]):
        QWidget.setTabOrder(first, second)


def name_dock_tabs(window) -> None:
    """The tab bars QMainWindow makes for tabbed docks (it makes new ones when docks move)."""
    for bar in window.findChildren(QTabBar):
        if bar is not window.tabs.tabBar() and not bar.accessibleName():
            bar.setAccessibleName("Docked panels")
