"""Column statistics from the table header's menu: count, distinct, first and last, per unit for Value.

The numbers come from store.query.columns.FigureColumns.column_stats over the figures the table lists;
this module writes them as plain text in a small window that stays open beside the table.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from store.values.display import counted, format_value
from store.values.exact import canonical

if TYPE_CHECKING:
    from store.query.facets import ColumnStats


def _value(number: float, unit: str) -> str:
    """A stored value as the table shows it (the float's shortest decimal: 31.2, not 31.19999…)."""
    return format_value(canonical(Fraction(repr(number))), unit)


def stats_text(title: str, stats: ColumnStats, shown: int) -> str:
    """The statistics of one column as a few lines of plain text."""
    lines = [f"{title}: {counted(shown, 'figure')} in view"]
    if stats.units is not None:
        lines.append(f"{counted(stats.distinct or 0, 'distinct value')} in {counted(len(stats.units), 'unit')}")
        if stats.units:
            rows = [("unit", "count", "distinct", "min", "max")]
            rows += [(u.unit or "(none)", f"{u.count:,}", f"{u.distinct:,}", _value(u.low, u.unit), _value(u.high, u.unit))
                     for u in stats.units]
            widths = [max(len(row[i]) for row in rows) for i in range(5)]
            lines.append("")
            for row in rows:
                cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in (1, 2)] + \
                        [row[i].ljust(widths[i]) for i in (3, 4)]
                lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)
    lines.append(f"with a value: {stats.count:,}")
    lines.append(f"distinct: {stats.distinct:,}" if stats.distinct is not None else "distinct: not counted for this column")
    if stats.low is not None:
        lines.append(f"first: {stats.low}")
        lines.append(f"last: {stats.high}")
    return "\n".join(lines)


def show_stats(parent: QWidget, title: str, text: str) -> QDialog:
    """A small window beside the table (not modal: the table stays usable) with the text, as plain text."""
    dialog = QDialog(parent)
    dialog.setObjectName("columnStats")
    dialog.setWindowTitle(f"Statistics: {title}")
    view = QPlainTextEdit(dialog)
    view.setObjectName("columnStatsText")
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setPlainText(text)
    view.setAccessibleName(f"Statistics of {title}")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    layout.addWidget(buttons)
    metrics = view.fontMetrics()
    widest = max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=200)
    dialog.resize(min(900, widest + 60), min(500, metrics.lineSpacing() * (text.count("\n") + 2) + 90))
    dialog.setModal(False)
    dialog.show()
    return dialog
