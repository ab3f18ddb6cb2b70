"""Export and save-chart actions: the dialog, the worker with progress and Cancel, the messages.

What is exported follows what the user looks at: the Figures table, the Pivot
or the Conflicts tab, its selection or all of it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QTabWidget, QWidget

from gui.controllers.progress import ProgressJob
from gui.events import Events, Messages
from gui.views.charts import ChartsPanel
from gui.views.conflicts import ConflictsView, IdsRole
from gui.views.figures_panel import FiguresPanel
from gui.views.pivot import PivotView
from store.values.display import counted

CHART_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"


class Exporter(QObject):
    def __init__(self, parent: QWidget, events: Events, messages: Messages, settings: QSettings, tabs: QTabWidget,
                 figures: FiguresPanel, pivot: PivotView, conflicts: ConflictsView, charts: ChartsPanel) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events, self.messages, self.settings = events, messages, settings
        self.tabs, self.figures, self.pivot, self.conflicts, self.charts = tabs, figures, pivot, conflicts, charts
        self.dialog = None  # the export dialog while it is open
        self.job: ProgressJob | None = None
        self.last_report = None

    # --- what is exported -------------------------------------------------------------------
    def _source(self) -> tuple[list[int], dict, int, str]:
        """(selected ids, kwargs for the whole view, count in view, name of the view)."""
        current = self.tabs.currentWidget()
        if current is self.pivot:
            ids = [row.id for row in self.pivot.model().figure_rows()]
            return self.pivot.selected_ids(), {"figure_ids": ids}, len(ids), "pivot"
        if current is self.conflicts:
            model = self.conflicts.model
            ids = [i for r in range(model.rowCount()) for i in (model.index(r, 0).data(IdsRole) or [])]
            return self.conflicts.selected_ids(), {"figure_ids": ids}, len(ids), "conflicts view"
        model = self.figures.model
        return self.figures.selected_ids(), {"query": model.query}, model.rowCount(), "figures table"

    def export(self):
        if self.events.workspace is None:
            return None
        selected, whole, count, where = self._source()
        if not selected and not count:
            self.messages.error("Nothing to export.", f"The {where} is empty: choose a cluster in the tree first.")
            return None
        from gui.dialogs.export import ExportDialog  # and with it the exporter: on first use

        dialog = ExportDialog(self.parent_widget, self.settings, len(selected), count, where)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._start(dialog, selected, whole))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _start(self, dialog, selected: list[int], whole: dict) -> None:
        request = dialog.request()
        target = {"figure_ids": selected} if request.selected_only else whole
        store = self.events.workspace.store

        def work(report, cancelled):
            from store.export.figures import export_figures  # imported on first use, not at start-up

            return export_figures(store, request.path, request.options, progress=report, cancelled=cancelled,
                                  **target)

        self.job = ProgressJob(self.parent_widget, "Exporting figures\u2026", delay_ms=400)
        self.job.start(work, self._done, self._failed)

    def _done(self, report) -> None:
        self.last_report = report
        self.messages.status(f"Exported {counted(report.rows, 'figure')} to {report.path}", 10000)

    def _failed(self, message: str) -> None:
        self.messages.error("The export did not finish; nothing was written.", message)

    # --- charts ------------------------------------------------------------------------------
    def save_chart(self, which: str = "comparison", path: str | None = None, highlight: bool = False) -> Path | None:
        """Save a chart as PNG or SVG, written under a temporary name and then moved into place; the
        selection is drawn only when asked (File \u203a Save Chart \u203a \u2026 with the Selection)."""
        charts = self.charts
        if not charts.bar_figure_ids():
            self.messages.error("No chart to save.", "Choose a cluster and a metric so that the charts show figures.")
            return None
        if path is None:
            folder = self.settings.value("export/folder", str(Path.home()))
            path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Save Chart", str(Path(folder) / f"{which}.png"), CHART_FILTERS)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg"):
            target = target.with_suffix(".png")
        from store.errors import StoreError

        try:
            write_chart(charts, which, target, highlight)
        except StoreError as exc:
            self.messages.error("The chart was not saved.", str(exc))
            return None
        except OSError as exc:
            self.messages.error("The chart was not saved.", f"cannot write {target}: {exc.strerror or exc}")
            return None
        self.settings.setValue("export/folder", str(target.parent))
        self.messages.status(f"Saved the {which} chart to {target}", 8000)
        return target


def write_chart(charts, which: str, target: Path, highlight: bool = False) -> None:
    """The chart with its title, legend, notes and source line (ChartsPanel.paint_chart), painted into
    an image (PNG, at least PNG_WIDTH pixels wide) or into Qt's SVG generator (pyqtgraph's SVGExporter
    fails on the path syntax of Qt 6: 'not enough values to unpack').
    Like an export, it never replaces a FIFO or a device (StoreError)."""
    from store.export.target import refuse_special
    from store.opening import scratch

    refuse_special(target)
    # scratch.create, not mkstemp: the umask applies (mkstemp's 0600 made every saved chart private)
    temp = str(scratch.create(target.parent, "chart"))
    try:
        if target.suffix.lower() == ".svg":
            _write_svg(charts, which, temp, highlight)
        else:
            _write_png(charts, which, temp, highlight)
        if not Path(temp).stat().st_size:
            raise OSError(f"the chart could not be drawn into {target.name}")
        try:
            scratch.keep_mode(os.stat(target), Path(temp))  # a chart saved over keeps its permissions
        except FileNotFoundError:
            pass
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


PNG_WIDTH = 1200


def _dpi(charts) -> int:
    """The plots' resolution: pyqtgraph's axes are recorded as QPictures at the screen's resolution, and
    replayed on a device of another resolution they are scaled (the SVG's left axis stood apart)."""
    return charts.comparison_plot().logicalDpiX()


def _write_png(charts, which: str, path: str, highlight: bool) -> None:
    from PySide6.QtGui import QImage, QPainter

    width, height = charts.paint_chart(which, None)
    scale = max(1.0, PNG_WIDTH / width)
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32)
    dots_per_metre = round(_dpi(charts) / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        charts.paint_chart(which, painter, width, highlight)
    finally:
        painter.end()
    if not image.save(path, "PNG"):
        raise OSError(f"the chart could not be written to {Path(path).name}")


def _write_svg(charts, which: str, path: str, highlight: bool) -> None:
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    width, height = charts.paint_chart(which, None)
    size = QSize(round(width), round(height))
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setResolution(_dpi(charts))
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(charts.chart_data().title or "Cluster Explorer chart")
    generator.setDescription(charts.chart_data().source)
    painter = QPainter(generator)
    try:
        charts.paint_chart(which, painter, width, highlight)
    finally:
        painter.end()
