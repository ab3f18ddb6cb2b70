"""Selected cells as tab-separated text with headers, ready to paste into a spreadsheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView


def _clean(value) -> str:
    # A tab or line break inside a cell would split it into two cells in the spreadsheet.
    return " ".join(str(value or "").replace("\t", " ").split("\n")).strip()


def selection_tsv(view: QTableView, row_header_title: str = "") -> str:
    """The bounding rows and columns of the selection, in view order, with the header texts."""
    model, header = view.model(), view.horizontalHeader()
    chosen = view.selectionModel().selectedIndexes()
    rows = sorted({i.row() for i in chosen})
    picked = {i.column() for i in chosen}
    columns = [c for c in (header.logicalIndex(v) for v in range(header.count()))
               if c in picked and not view.isColumnHidden(c)]
    with_row_header = view.verticalHeader().isVisible()
    titles = [_clean(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
    lines = ["\t".join(([row_header_title] if with_row_header else []) + titles)]
    for row in rows:
        cells = [_clean(model.headerData(row, Qt.Orientation.Vertical))] if with_row_header else []
        cells += [_clean(model.index(row, c).data()) for c in columns]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
