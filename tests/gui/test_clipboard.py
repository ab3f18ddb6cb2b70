"""Ctrl+C gives text ready to paste into a spreadsheet: one cell per cell, and no formula a spreadsheet would run.

A quote, a note or a cluster name is free text; pasted raw, `=cmd|' /C calc'!A0` or `+SUM(1)` would be run
by Excel, LibreOffice or Sheets. The copy neutralises such cells by the exporters' own rule (a leading
single quote), also when a tab or a carriage return hid the formula character; numbers stay numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from gui.views.figures_model import COLUMN_INDEX
from store.curation.figures import FigureDraft, add_document, add_figure

CALC = "=cmd|' /C calc'!A0"
# (the words of the document the figure quotes, its value, unit, metric, note)
FIGURES = (
    (f"{CALC} earned 5 yuan", "5", "yuan", "Zyx revenue", "+SUM(1)"),
    ("\t=1+1 earned 6 yuan", "6", "yuan", "Zyx revenue", "@x"),
    ("\r@SUM(1) earned 7 yuan", "7", "yuan", "Zyx revenue", "-x"),
    ("-5", "-5", "", "Zyx balance", "-5"),
    ("-3.2 %", "-3.2", "%", "Zyx growth", CALC),
)


def _fill(store) -> None:
    text = "".join(f"{quote}.\n" for quote, *_ in FIGURES)
    doc_id = add_document(store, text, "Zyxwv formulas", published="2025-01").created_id
    for quote, value, unit, metric, note in FIGURES:
        start = text.index(quote)
        add_figure(store, FigureDraft(document_id=doc_id, start=start, end=start + len(quote), value_text=value,
                                      unit=unit, period="2024", metric=metric, entity="guangdong",
                                      cluster="=HYPERLINK(\"http://127.0.0.1:1/\")", note=note))


def _copied(window, widget) -> list[dict]:
    QGuiApplication.clipboard().clear()
    QTest.keyClick(widget, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().split("\n")
    assert lines[-1] == ""  # one line per row, each ended
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:-1]]


def test_ctrl_c_neutralises_formulas_in_the_copied_rows_and_keeps_numbers(qtbot, make_window, seeded_store):
    _fill(seeded_store)
    seeded_store.close()
    window = make_window()
    panel = window.figures_panel
    for key in ("quote", "note"):  # as the header's right-click menu shows them
        panel.table.setColumnHidden(COLUMN_INDEX[key], False)
    QTest.keyClicks(panel.filter_edit, "title:Zyxwv")  # the document's title
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(FIGURES))
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)

    rows = _copied(window, panel.table)
    assert sorted(r["Quote"] for r in rows) == sorted([
        f"'{CALC} earned 5 yuan", "'=1+1 earned 6 yuan", "'@SUM(1) earned 7 yuan", "-5", "-3.2 %"])
    assert sorted(r["Note"] for r in rows) == sorted(["'+SUM(1)", "'@x", "'-x", "-5", f"'{CALC}"])
    assert sorted(r["Value"] for r in rows) == sorted(["5 yuan", "6 yuan", "7 yuan", "-5", "-3.2 %"])
    assert {r["Cluster"] for r in rows} == {"'=HYPERLINK(\"http://127.0.0.1:1/\")"}

    # The pivot's copy: the cluster is a row header there.
    window.tabs.setCurrentWidget(window.pivot)
    window.metric_combo.setCurrentIndex(window.metric_combo.findText("Zyx revenue", Qt.MatchFlag.MatchStartsWith))
    window.metric_combo.activated.emit(window.metric_combo.currentIndex())
    qtbot.waitUntil(lambda: window.pivot.model().rowCount() == 1)
    window.pivot.table().selectAll()
    pivot = _copied(window, window)
    assert [row["Cluster or entity"] for row in pivot] == ["'=HYPERLINK(\"http://127.0.0.1:1/\")"]
