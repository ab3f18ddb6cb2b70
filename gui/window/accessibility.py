"""Names for assistive technology, and the order Tab visits the window's views.

One table for the whole window, so a screen reader says what each view is ("Figures table", not
"table") and Tab reads the window as it looks: the tree and its filter, the tabs, the figure filter
and table, the document, the annotations, then the metric and the charts. Item views leave Tab to
the window (setTabKeyNavigation(False)): Tab moves to the next view, arrows move inside one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)


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
    name_dialogs_when_shown()
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


# --- dialogs ----------------------------------------------------------------------------------------
def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def _label_names(dialog: QWidget) -> dict[QWidget, str]:
    """What the dialog's own labels say each field is: a form row's label, or a label's buddy."""
    names: dict[QWidget, str] = {}
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and field and isinstance(label.widget(), QLabel):
                text = _plain(label.widget().text())
                targets = [field.widget()] if field.widget() else []
                if field.layout() is not None:
                    layout = field.layout()
                    targets = [layout.itemAt(i).widget() for i in range(layout.count()) if layout.itemAt(i).widget()]
                for target in targets:
                    if target is not None and not isinstance(target, QLabel):
                        names.setdefault(target, text)
    for label in dialog.findChildren(QLabel):
        if label.buddy() is not None:
            names.setdefault(label.buddy(), _plain(label.text()))
    return names


def name_dialog(dialog: QWidget) -> None:
    """Give every control of a dialog that takes focus and has no accessible name the name a sighted
    user reads beside it: its form label, its buddy label, its own text, its placeholder, its tooltip;
    item views and text areas are named after the dialog. Lists and text areas leave Tab to the dialog."""
    title = dialog.windowTitle() or "Dialog"
    if not dialog.accessibleName():
        dialog.setAccessibleName(title)
    labelled = _label_names(dialog)
    for widget in dialog.findChildren(QWidget):
        if widget.accessibleName() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        name = labelled.get(widget, "")
        if not name and isinstance(widget, QAbstractButton):
            name = _plain(widget.text()) or _plain(widget.toolTip())
        if not name and isinstance(widget, QLineEdit):
            name = widget.placeholderText()
        if not name and isinstance(widget, (QPlainTextEdit, QTextEdit)):
            name = widget.placeholderText() or f"{title}: text"
        if not name and isinstance(widget, QComboBox):
            name = widget.toolTip() or f"{title}: choice"
        if not name and isinstance(widget, QAbstractItemView):
            name = f"{title}: list"
        if not name:
            name = widget.toolTip() or f"{title}: {type(widget).__name__.removeprefix('Q')}"
        widget.setAccessibleName(name)
    for view in dialog.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
    for edit in [*dialog.findChildren(QPlainTextEdit), *dialog.findChildren(QTextEdit)]:
        edit.setTabChangesFocus(True)  # a Tab in a note moves on, as in every other field, never traps
    for scroll in dialog.findChildren(QAbstractScrollArea):
        if not scroll.viewport().accessibleName():
            scroll.viewport().setAccessibleName(scroll.accessibleName())


def _focus_changed(_old, new) -> None:
    """A dialog is named when focus first enters it (as it opens): cheaper than watching every event
    of the application for a dialog's Show, and before a screen reader asks for the focused name."""
    dialog = new.window() if new is not None else None
    if isinstance(dialog, QDialog) and not dialog.property("named"):
        dialog.setProperty("named", True)
        name_dialog(dialog)


def name_dialogs_when_shown() -> None:
    app = QApplication.instance()
    if app is not None and not app.property("namesDialogs"):
        app.focusChanged.connect(_focus_changed)
        app.setProperty("namesDialogs", True)
