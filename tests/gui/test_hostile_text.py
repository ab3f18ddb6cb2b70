"""Hostile text stays text, and the app makes no network connection at all.

A document, its title, a figure's note and annotations are full of markup that would load a
resource or make a link if Qt guessed rich text. A whole session (open the store, browse the
tree, table, pivot, conflicts, orphans and annotations, read the document, open an editor and
the history, export) runs with every Python socket refused and a local server listening at the
address the markup points to: nothing connects, and every label, tooltip and message shows the
markup as the characters it is.
"""

from __future__ import annotations

import socket
import threading

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import Qt  # QtGui's Qt namespace adds mightBeRichText
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMessageBox

from store.curation.annotations import annotate
from store.curation.figures import FigureDraft, add_document, add_figure
from tests.gui.helpers import click_table_row, click_tree_node

RAW = ("<a href='file", "<img src='http", "<script>", "<iframe")  # the hostile markup, unescaped


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it is offered."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.server.settimeout(0.2)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(2)
        self.server.close()


@pytest.fixture
def no_network(monkeypatch):
    """Every outgoing Python socket connection is refused and recorded."""
    attempts = []
    real_connect = socket.socket.connect

    def refuse(sock, address, *args):
        attempts.append(address)
        raise ConnectionRefusedError(f"the test refuses network connections ({address})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", lambda sock, address: refuse(sock, address))
    yield attempts
    monkeypatch.setattr(socket.socket, "connect", real_connect)


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _hostile(port: int) -> str:
    return (f"<img src='http://127.0.0.1:{port}/pixel.png'><a href='file:///etc/passwd'>passwords</a>"
            f"<script>alert(1)</script><b>bold</b><iframe src='http://127.0.0.1:{port}/'></iframe>")


def _fill(store, port: int) -> int:
    markup = _hostile(port)
    text = f"{markup}\n\nIn 2024 the drone cluster earned 535 billion yuan. {markup}\n"
    doc_id = add_document(store, text, f"Title {markup}", publisher=f"Daily {markup}", published="2025-02").created_id
    start = text.index("535 billion yuan")
    figure_id = add_figure(store, FigureDraft(
        document_id=doc_id, start=start, end=start + len("535 billion yuan"), value_text="535000000000", unit="yuan",
        scale="billion", period="2024", metric="operating_revenue", entity="guangdong", cluster=f"Drones {markup}",
        note=f"note {markup}")).first_created("figures")
    annotate(store, f"annotation {markup}", figure_id=figure_id)
    annotate(store, f"span note {markup}", document_id=doc_id, start=0, end=20)
    return figure_id


def _tooltips(view: QAbstractItemView) -> list[str]:
    model, found = view.model(), []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DisplayRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        found.append((role, value))
            walk(model.index(row, 0, parent))

    if model is not None:
        walk(QModelIndex())
        for orientation, count in ((Qt.Orientation.Horizontal, model.columnCount()), (Qt.Orientation.Vertical, model.rowCount())):
            for section in range(count):
                value = model.headerData(section, orientation, Qt.ItemDataRole.ToolTipRole)
                if isinstance(value, str):
                    found.append((Qt.ItemDataRole.ToolTipRole, value))
    return found


def _assert_shown_as_text(window) -> int:
    """Every string in views and labels that carries the markup shows it as characters; returns how many."""
    checked = 0
    for view in window.findChildren(QAbstractItemView):
        for role, value in _tooltips(view):
            if "passwd" not in value:
                continue
            checked += 1
            if role == Qt.ItemDataRole.ToolTipRole and Qt.mightBeRichText(value):  # Qt will render it: escaped?
                assert not any(raw in value for raw in RAW), (type(view.model()).__name__, value)
    for label in window.findChildren(QLabel):
        if "passwd" in label.text():
            checked += 1
            assert label.textFormat() == Qt.TextFormat.PlainText or not any(raw in label.text() for raw in RAW), \
                label.objectName() or label.text()[:80]
    for box in window.findChildren(QMessageBox):
        assert box.textFormat() == Qt.TextFormat.PlainText
    return checked


def test_a_whole_session_with_hostile_text_and_no_network(qtbot, make_window, seeded_store, no_network, listener,
                                                          tmp_path, monkeypatch):
    figure_id = _fill(seeded_store, listener.port)
    seeded_store.close()
    window = make_window()
    window.curator.show_new_figure(figure_id)
    qtbot.waitUntil(lambda: window.selection.figures == (figure_id,))
    qtbot.waitUntil(lambda: "passwords" in window.document_view.editor.toPlainText())
    assert "<a href='file:///etc/passwd'>passwords</a>" in window.document_view.editor.toPlainText()
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
    window.annotations_dock.raise_()
    click_tree_node(qtbot, window, "all", "all")
    window.tabs.setCurrentIndex(0)
    checked = _assert_shown_as_text(window)
    assert checked >= 5  # the markup really reached the views

    window.curator.show_new_figure(figure_id)
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # the editor, on hostile text
    qtbot.waitUntil(lambda: window.curator.dialog is not None)
    dialog = window.curator.dialog
    for label in dialog.findChildren(QLabel):
        if "passwd" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()[:80]
    dialog.reject()
    QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)  # the history
    qtbot.waitUntil(lambda: window.curator.dialog is not None and window.curator.dialog is not dialog)
    assert _assert_shown_as_text(window.curator.dialog) >= 1
    window.curator.dialog.reject()

    from store.export.figures import ExportOptions, export_figures
    export_figures(window.store, tmp_path / "out.csv", ExportOptions("csv"))
    click_tree_node(qtbot, window, "cluster", "smart_robots")
    click_table_row(window, 0)
    qtbot.wait(200)
    assert no_network == [] and listener.connections == 0


def test_a_unit_that_looks_like_markup_is_shown_as_its_characters_on_the_chart_axes(
        qtbot, make_window, seeded_store, no_network, listener, tmp_path):
    """pyqtgraph's axis labels and titles take HTML; a figure's unit, its metric (the title), its cluster
    (the legend) and its document's publisher (the source line) are free text: escaped on screen, and
    written as text into a saved SVG."""
    import xml.etree.ElementTree as ElementTree

    from PySide6.QtGui import QTextDocument

    unit = f"<b>x</b><a href=http://127.0.0.1:{listener.port}/>y</a><img src=http://127.0.0.1:{listener.port}/z>"
    metric = f"Zyxwv <i>output</i><img src=http://127.0.0.1:{listener.port}/m>"
    cluster = f"Zyxwv <b>makers</b><img src=http://127.0.0.1:{listener.port}/c>"
    publisher = f"<a href=http://127.0.0.1:{listener.port}/p>Daily</a> & Co"
    text = "In 2024 the zyxwv cluster made 7 things. In 2023 it made 5 things.\n"
    doc_id = add_document(seeded_store, text, "Zyxwv units", publisher=publisher, published="2025-01").created_id
    for words, value, period in (("7 things", "7", "2024"), ("5 things", "5", "2023")):
        start = text.index(words)
        add_figure(seeded_store, FigureDraft(document_id=doc_id, start=start, end=start + len(words), value_text=value,
                                             unit=unit, period=period, metric=metric, entity="guangdong",
                                             cluster=cluster))
    seeded_store.close()
    window = make_window()
    QTest.keyClicks(window.figures_panel.filter_edit, "Zyxwv")  # the table, and so the charts, show these two
    qtbot.waitUntil(lambda: window.figures_panel.model.rowCount() == 2)
    charts = window.charts
    qtbot.waitUntil(lambda: sorted(i for bar in charts.bar_figure_ids() for i in bar)
                    == sorted(window.figures_panel.model.ids.tolist()))
    window.charts_dock.raise_()
    qtbot.wait(100)  # painted, with whatever the labels would load
    for plot, side in ((charts.comparison_plot(), "bottom"), (charts.trend_plot(), "left")):
        label = plot.getPlotItem().getAxis(side).label
        assert label.toPlainText().rstrip() == unit  # rendered as markup it would read "xy" and an image box
        shown = plot.getPlotItem().titleLabel.item.toPlainText()
        # the whole title as its characters, or, where it is too long for the plot, the chart's kind alone
        assert metric in shown or shown in ("Comparison", "Trend"), shown
    source = f"Source: {publisher}, 2025-01"
    assert charts.title_text() == f"{metric} ({unit})" and charts.source_text() == source
    legend = QTextDocument()
    legend.setHtml(charts._legend.text())
    shown = legend.toPlainText().replace("\xa0", " ").replace("\u2011", "-")  # kept on one line
    head, _, tail = shown.removeprefix("\u25a0 ").partition("\u2026")  # a long name is cut in the middle
    assert cluster.startswith(head) and cluster.endswith(tail) and charts.legend_items() == [cluster]
    tip = QTextDocument()
    tip.setHtml(charts._legend.toolTip())
    assert cluster in tip.toPlainText()  # whole, as its characters, on hover
    saved = window.exporter.save_chart("trend", str(tmp_path / "hostile.svg"))
    texts = "".join(ElementTree.parse(saved).getroot().itertext())
    assert metric in texts and source in texts and cluster in texts
    assert no_network == [] and listener.connections == 0
