"""Selected cells as tab-separated text with headers, ready to paste into a spreadsheet.

Ready means safe too: a cell a spreadsheet would run as a formula is neutralised by the exporters'
own rule (`store.export.csv.neutralise`), so a pasted note cannot start a program; numbers stay numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from store.export.csv import neutralise

_ONE_LINE = str.maketrans("\t\r\n", "   ")


def cell_text(value) -> str:
    """One cell of the copy: on one line, with no formula a spreadsheet would run."""
    # A tab or line break inside a cell would split it into two cells in the spreadsheet; the formula
    # check comes after the strip, which can bare an "=" that a leading tab or CR hid.
    return neutralise(str(value or "").translate(_ONE_LINE).strip())


def selection_tsv(view: QTableView, row_header_title: str = "") -> str:
    """The bounding rows and columns of the selection, in view order, with the header texts."""
    model, header = view.model(), view.horizontalHeader()
    chosen = view.selectionModel().selectedIndexes()
    rows = sorted({i.row() for i in chosen})
    picked = {i.column() for i in chosen}
    columns = [c for c in (header.logicalIndex(v) for v in range(header.count()))
               if c in picked and not view.isColumnHidden(c)]
    with_row_header = view.verticalHeader().isVisible()
    titles = [cell_text(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
    lines = ["\t".join(([row_header_title] if with_row_header else []) + titles)]
    for row in rows:
        cells = [cell_text(model.headerData(row, Qt.Orientation.Vertical))] if with_row_header else []
        cells += [cell_text(model.index(row, c).data()) for c in columns]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
