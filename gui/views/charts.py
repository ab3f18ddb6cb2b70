"""Linked charts: a comparison bar chart and a trend chart of one metric.

Bars are horizontal so that long labels ("Electronic information · 2024") stay
readable; the largest is at the top. A click on a bar or a point emits the
figure ids it stands for; set_selected() only repaints (it never emits), so the
selection state can drive the charts without a loop. Tooltips, the legend and the
axis labels (pyqtgraph takes HTML there) are escaped: a quote, a cluster name or a
unit is shown as text, never read as markup.
"""

from __future__ import annotations

import html
import math
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QFontMetricsF, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QSplitter, QStackedWidget, QToolTip, QVBoxLayout, QWidget

from gui.theme import repaint_tone, tone
from gui.views.chart_data import ChartData, build_chart, middle_elide, tick_text
from gui.views.pivot_data import tooltip_html

if TYPE_CHECKING:
    from store.query.rows import FigureRow

BAR_COLOUR = QColor("#4c78a8")
SELECTED_COLOUR = QColor("#ff9a2e")  # the document view's colour for the selected span
# Plum, of the disputed span's pink: never the conflict's red, which the legend calls "sources disagree".
DISPUTED_COLOUR = QColor("#a03d8c")
DISPUTED_FILL = QColor("#f8d2ee")  # the document view's colour for a disputed span
CONFLICT_PEN = pg.mkPen("#d00000", width=2.5)  # mkPen: cosmetic, so widths are pixels, not data units
SERIES_COLOURS = ("#4c78a8", "#e45756", "#54a24b", "#b279a2", "#f58518", "#72b7b2", "#9d755d", "#eeca3b")
BAR_HEIGHT = 0.7
MIN_BAR_PIXELS = 18  # fewer bars are shown at once than would be thinner than this; scroll for the rest
MAX_LABEL_CHARS = 34
TREND_MIN_HEIGHT = 96  # the trend plot's smallest: its title, axis and a band of lines; the legend takes the rest
LEGEND = ("Hatched or pink: disputed \u00b7 red outline: sources disagree \u00b7 orange: selected \u00b7 "
          "click to read the source, drag to select a range")
SAVED_LEGEND = "Hatched or pink: disputed \u00b7 red outline: sources disagree"
LIGHT = {"background": "#ffffff", "axis": "#666666", "text": "#222222", "title": "#333333", "caption": "#555555",
         "outline": "#000000"}
DARK = {"background": "#1e1f22", "axis": "#9a9a9a", "text": "#e6e6e6", "title": "#dddddd", "caption": "#b4b4b4",
        "outline": "#ffffff"}


def chart_colours(palette: QPalette) -> dict[str, str]:
    """The charts' colours for a palette: light on a light window, dark on a dark one."""
    return DARK if palette.color(QPalette.ColorRole.Window).lightness() < 128 else LIGHT
NO_METRIC = "Choose a metric to chart."


_LOOKS: dict[str, tuple] = {}  # brush, pen and size of a trend point, by colour or state; the bars' pens


def _init_looks(outline: str = "#000000") -> None:
    """outline: the selected point's ring, the page's text colour (black on white, white on dark)."""
    _LOOKS["selected"] = (QBrush(SELECTED_COLOUR), pg.mkPen(outline, width=2), 13)
    _LOOKS["disputed"] = (QBrush(DISPUTED_FILL), pg.mkPen(DISPUTED_COLOUR, width=2), 8)
    _LOOKS["bar pens"] = (pg.mkPen(BAR_COLOUR.darker(130), width=1), pg.mkPen(DISPUTED_COLOUR, width=1))  # plain, disputed


def _as_text(text: str) -> str:
    """Free text (a unit) for a pyqtgraph label or title, which takes HTML: escaped, shown as its characters."""
    return html.escape(text)


def _legend_entry(colour: str, label: str, one_line: bool = True) -> str:
    """One series: its colour's square and its name, escaped (markup only of our own making), kept on one line."""
    name = _as_text(label)
    if one_line:
        name = name.replace(" ", "&nbsp;").replace("-", "\u2011")
    return f"<span style='color:{colour}'>\u25a0</span>&nbsp;{name}"


class ChartLegend(QLabel):
    """The trend's series under its plot, in as many lines as the plot can spare: a quarter of the trend's
    height, one line at least, three at most. Names that do not fit make way for "+N more"; the tooltip
    names every series. Its height changes only with the room it has or the series it shows, and then
    keeps, at a given room, the tallest it has been (a selection that charts fewer series leaves the plot
    where it is, instead of laying out, re-ranging and repainting it twice: ~10 ms a selection)."""

    MAX_LINES = 3
    MAX_CHARS = 40  # a name longer than this is cut in the middle, as the bar labels are

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.RichText)  # built from escaped names only (see _legend_entry)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never widens the chart
        self._entries: list[tuple[str, str]] = []
        self._shown = 0
        self._tallest: dict[tuple[int, int], int] = {}  # (width, lines allowed) -> the most lines used there

    def set_entries(self, entries: list[tuple[str, str]]) -> None:
        """(colour, name) of each series, in the order drawn."""
        self._entries = list(entries)
        self.setToolTip("<br>".join(_legend_entry(colour, label, one_line=False) for colour, label in entries))
        self.fit()

    def shown_count(self) -> int:
        """How many series the legend names; the rest are counted in "+N more"."""
        return self._shown

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.fit()  # the room for lines follows the trend's height
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def _lines_allowed(self, line: int) -> int:
        """Lines the trend can spare: none where the plot would go under its smallest (the points' tooltips
        still name each series), one at least otherwise, a quarter of the trend's height, three at most."""
        box = self.parentWidget()
        room = box.height() if box is not None else TREND_MIN_HEIGHT + 4 * line * self.MAX_LINES
        return min(self.MAX_LINES, (room - TREND_MIN_HEIGHT) // line, max(1, room // 4 // line))

    def fit(self) -> None:
        metrics = QFontMetrics(self.font())
        line, width = metrics.lineSpacing(), max(1, self.width())
        allowed = self._lines_allowed(line)
        lines = self._lay_out_names(metrics, width, allowed) if self._entries and allowed > 0 else []
        self._shown = sum(len(entries) for entries in lines)
        hidden = len(self._entries) - self._shown
        html_lines = ["&nbsp; ".join(_legend_entry(colour, name) for colour, name in entries) for entries in lines]
        if hidden and html_lines:
            html_lines[-1] += f"&nbsp; +{hidden}&nbsp;more"
        self.setText("<br>".join(html_lines))
        key = (width, allowed)
        if len(self._tallest) > 64:  # sizes seen while the user drags a splitter: forget them
            self._tallest.clear()
        count = self._tallest[key] = max(len(html_lines), self._tallest.get(key, 0)) if allowed > 0 else 0
        self.setFixedHeight(count * line + (2 if count else 0))

    def _lay_out_names(self, metrics: QFontMetrics, width: int, allowed: int) -> list[list[tuple[str, str]]]:
        """(colour, name) on each of at most `allowed` lines, leaving room for "+N more" after the last."""
        mark = metrics.horizontalAdvance("\u25a0\u00a0")
        gap = metrics.horizontalAdvance("\u00a0 ")

        def advance(name: str) -> int:
            return mark + metrics.horizontalAdvance(name) + gap

        lines: list[list[tuple[str, str]]] = [[]]
        used = 0
        for colour, label in self._entries:
            name = metrics.elidedText(middle_elide(label, self.MAX_CHARS), Qt.TextElideMode.ElideMiddle, width - mark)
            if lines[-1] and used + advance(name) > width:
                if len(lines) == allowed:
                    break
                lines.append([])
                used = 0
            lines[-1].append((colour, name))
            used += advance(name)
        shown = sum(len(entries) for entries in lines)
        while shown < len(self._entries):  # "+N more" after the last name, which gives way to it if need be
            more = metrics.horizontalAdvance(f"+{len(self._entries) - shown} more")
            last = lines[-1]
            if sum(advance(name) for _colour, name in last) + more <= width:
                break
            if shown == 1:  # the one name shown is cut shorter instead
                colour, name = last[0]
                last[0] = (colour, metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, max(0, width - mark - gap - more)))
                break
            last.pop()
            shown -= 1
            if not last:
                lines.pop()
        return lines


class LabelAxis(pg.AxisItem):
    """A category axis: one label per bar, thinned when the bars are too close for text."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.labels: list[str] = []

    def set_labels(self, labels: list[str]) -> None:
        self.labels = [middle_elide(label, MAX_LABEL_CHARS) for label in labels]
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(label) for label in self.labels), default=40)
        self.setWidth(min(widest + 16, 260))
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph's name
        minVal, maxVal = sorted((minVal, maxVal))  # an inverted axis passes them top to bottom
        if not self.labels or size <= 0:
            return []
        per_bar = size / max(maxVal - minVal, 1e-9)
        step = max(1, math.ceil(QFontMetrics(self.font()).height() / per_bar))
        first, last = max(0, math.ceil(minVal)), min(len(self.labels) - 1, math.floor(maxVal))
        return [(step, [float(i) for i in range(first, last + 1) if i % step == 0])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) else "" for v in values]


class ValueAxis(pg.AxisItem):
    """Values as the text writes them (1,250; 0.5), never 4e+06; on a log axis, the drawn values are
    log10 of the values and the ticks are the decades (and 2 and 5 between them when there is room)."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.log = False

    def tickValues(self, minVal, maxVal, size):  # noqa: N802
        if not self.log:
            return super().tickValues(minVal, maxVal, size)
        minVal, maxVal = sorted((minVal, maxVal))
        decades = [float(d) for d in range(math.floor(minVal), math.ceil(maxVal) + 1) if minVal <= d <= maxVal]
        minor = []
        if maxVal - minVal < 4:
            minor = [d + math.log10(m) for d in range(math.floor(minVal), math.ceil(maxVal)) for m in (2, 5)
                     if minVal <= d + math.log10(m) <= maxVal]
        return [(1.0, decades), (0.5, minor)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if self.log:
            return [tick_text(10 ** v, 10 ** v) for v in values]
        return [tick_text(v * scale, spacing * scale) for v in values]


class YearAxis(pg.AxisItem):
    """Years labelled in the middle of the span they cover, where a whole-year figure is drawn."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802
        minVal, maxVal = sorted((minVal, maxVal))
        years = max(1, math.ceil(maxVal) - math.floor(minVal))
        step = max(1, math.ceil(years / max(size / 60, 1)))
        ticks = [y + 0.5 for y in range(math.floor(minVal), math.ceil(maxVal) + 1) if y % step == 0]
        return [(step, [t for t in ticks if minVal <= t <= maxVal])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [str(math.floor(v)) for v in values]


class SteadyLabel(QLabel):
    """A word-wrapped caption that keeps, at a given width, the tallest height its texts have needed.

    A selection whose caption wraps to fewer lines then leaves the plots where they are, instead of
    resizing both (pyqtgraph lays out, re-ranges and repaints them twice over: ~10 ms a selection)."""

    def __init__(self) -> None:
        super().__init__()
        self._tallest: dict[int, int] = {}  # width -> the tallest height asked for at that width

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        height = max(super().heightForWidth(width), self._tallest.get(width, 0))
        if len(self._tallest) > 64:  # widths seen while the user drags a splitter: forget them
            self._tallest.clear()
        self._tallest[width] = height
        return height


class BrushViewBox(pg.ViewBox):
    """A view where a left-button drag draws a rectangle and reports it (in data coordinates) when
    released, as glue's brushing does; the wheel still scrolls and zooms."""

    sigBrushed = Signal(object)  # QRectF in view coordinates
    scrolls = False  # the wheel scrolls the bars (3 a notch) instead of zooming

    def wheelEvent(self, ev, axis=None):  # noqa: N802 - pyqtgraph's name
        if not self.scrolls:
            super().wheelEvent(ev, axis)
            return
        ev.accept()
        self.translateBy(y=-3 * ev.delta() / 120)  # the y axis is inverted: up shows the bars above

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 - pyqtgraph's name
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        if ev.isFinish():
            self.rbScaleBox.hide()
            corners = (self.mapToView(ev.buttonDownPos()), self.mapToView(ev.pos()))
            self.sigBrushed.emit(QRectF(corners[0], corners[1]).normalized())
        else:
            self.updateScaleBox(ev.buttonDownPos(), ev.pos())


def _lay_out(item: pg.PlotItem) -> pg.ViewBox:
    """Size the plot's view for its new axes (labels, titles) now, rather than when Qt next lays out."""
    item.layout.activate()
    return item.getViewBox()


def _settle(view: pg.ViewBox) -> None:
    """Work out the range and transform pyqtgraph would when it first paints, now: a transform that
    changes inside a paint makes the items ask for a second paint of the whole plot. Twice, because the
    new transform changes the points' bounds (they are sized in pixels), and so the automatic range."""
    view.prepareForPaint()
    view.prepareForPaint()


def _plot(title: str, axis_items: dict) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems=axis_items, background="w", viewBox=BrushViewBox())
    plot.setMinimumSize(160, 120)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    for name in ("left", "bottom"):
        item.getAxis(name).enableAutoSIPrefix(False)
    item.showGrid(x=True, y=False, alpha=0.15)
    _shrinkable_title(item.titleLabel)
    return plot


def _shrinkable_title(label: pg.LabelItem) -> None:
    """pyqtgraph makes a title's width the plot's minimum width (again on every resize): a long metric
    name pushed the plot wider than its pane, and the pane cut off its right end (the longest bar, the
    axis). Here the title never widens the plot; where "Comparison: <metric> (<unit>)" does not fit,
    the plot is titled "Comparison" alone (the panel's title above the charts names the metric whole)."""
    measure = label.updateMin
    label.titles = ("", "", {})  # (full, short, style): set by _colour_plot
    label.fitting = False

    def update_min() -> None:
        measure()
        label.setMinimumWidth(0)
        label._sizeHint[Qt.SizeHint.MinimumSize] = (0, label._sizeHint[Qt.SizeHint.MinimumSize][1])
        full, short, style = label.titles
        if label.fitting or not full or label.size().width() <= 0:
            return
        room = label.size().width() - 8
        wanted = full if QFontMetricsF(label.item.font()).horizontalAdvance(full) <= room else short
        if label.text != _as_text(wanted):
            label.fitting = True
            try:
                label.setText(_as_text(wanted), **style)
            finally:
                label.fitting = False

    label.updateMin = update_min


def _colour_plot(plot: pg.PlotWidget, colours: dict[str, str], title: str) -> None:
    """Colours and title, set only when they change: each setting lays the plot out and repaints it."""
    if getattr(plot, "_looks", None) == (colours, title):
        return
    plot._looks = (dict(colours), title)
    plot.setBackground(colours["background"])
    item = plot.getPlotItem()
    style = {"size": "9pt", "color": colours["title"]}
    item.titleLabel.titles = (title, title.split(":", 1)[0], style)
    item.setTitle(_as_text(title), **style)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(colours["axis"]))
        axis.setTextPen(pg.mkPen(colours["text"]))



class ChartsPanel(QWidget):
    figuresClicked = Signal(list)  # list[int] of figure ids

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        if not _LOOKS:
            _init_looks()
        self._point_ids: list[int] = []
        self._data = ChartData()
        self._selected: set[int] = set()
        self._hovered_bar: int | None = None
        self._base = 0.0  # where the bars start: 0, or the decade below the smallest on a log axis

        self._bar_axis = LabelAxis("left")
        self._bar_value_axis = ValueAxis("bottom")
        self._trend_value_axis = ValueAxis("left")
        self._comparison = _plot("Comparison", {"left": self._bar_axis, "bottom": self._bar_value_axis})
        self._comparison.getPlotItem().getViewBox().invertY(True)
        self._comparison.getPlotItem().getViewBox().scrolls = True
        self._comparison.getPlotItem().getViewBox().setMouseEnabled(x=False, y=True)
        self._trend = _plot("Trend", {"bottom": YearAxis("bottom"), "left": self._trend_value_axis})
        self._trend.setMinimumHeight(TREND_MIN_HEIGHT)
        self._trend.getPlotItem().showGrid(x=True, y=True, alpha=0.15)
        self._trend.getPlotItem().getViewBox().setDefaultPadding(0.12)  # points off the frame
        # The plot items are made once and given new data on each change: making and adding pyqtgraph
        # items (and a pyqtgraph legend) cost more than drawing them, on every selection.
        self._bar_item = pg.BarGraphItem(x0=[], y=[], height=BAR_HEIGHT, width=[])
        self._comparison.getPlotItem().addItem(self._bar_item)
        self._lines = [pg.PlotDataItem(pen=pg.mkPen(colour, width=2)) for colour in SERIES_COLOURS]
        for line in self._lines:
            self._trend.getPlotItem().addItem(line)
        self._tips: dict[int, object] = {}
        self._scatter = pg.ScatterPlotItem(hoverable=True, tip=lambda x, y, data: tooltip_html(self._tips[data].tooltip))
        self._scatter.sigClicked.connect(self._points_clicked)
        self._trend.getPlotItem().addItem(self._scatter)
        self._legend = ChartLegend()

        self._title = QLabel()
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        self._title.setStyleSheet("font-weight: 600")
        self._notes = SteadyLabel()
        self._notes.setTextFormat(Qt.TextFormat.PlainText)
        self._notes.setWordWrap(True)
        self._source = QLabel()
        self._source.setTextFormat(Qt.TextFormat.PlainText)
        self._source.setWordWrap(True)
        self._colours: dict[str, str] = {}
        for caption in (self._notes, self._source):
            tone(caption)  # the theme's caption grey, readable on a light or a dark window

        trend_box = QWidget()
        trend_layout = QVBoxLayout(trend_box)
        trend_layout.setContentsMargins(0, 0, 0, 0)
        trend_layout.setSpacing(0)
        trend_layout.addWidget(self._trend, 1)
        trend_layout.addWidget(self._legend)
        trend_box.installEventFilter(self._legend)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._comparison)
        splitter.addWidget(trend_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(self._title)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._notes)
        layout.addWidget(self._source)

        self.empty_label = QLabel(NO_METRIC)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self._comparison.getPlotItem().getViewBox().sigBrushed.connect(self._bars_brushed)
        self._trend.getPlotItem().getViewBox().sigBrushed.connect(self._points_brushed)
        scene = self._comparison.scene()
        scene.sigMouseClicked.connect(self._comparison_clicked)
        scene.sigMouseMoved.connect(self._comparison_hovered)
        self._apply_palette()

    # --- palette ----------------------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _apply_palette(self) -> None:
        colours = chart_colours(self.palette())
        if colours == self._colours:
            return
        self._colours = colours
        _colour_plot(self._comparison, colours, self._plot_title("Comparison"))
        _colour_plot(self._trend, colours, self._plot_title("Trend"))
        for caption in (self._notes, self._source):
            repaint_tone(caption, self.palette())
        _LOOKS.clear()
        _init_looks(colours["outline"])
        if self._point_ids:
            self._restyle()

    def _plot_title(self, which: str) -> str:
        return f"{which}: {self._data.title}" if self._data.title else which

    def colours(self) -> dict[str, str]:
        return dict(self._colours)

    def source_text(self) -> str:
        return self._source.text()

    def notes_text(self) -> str:
        return self._notes.text()

    def title_text(self) -> str:
        return self._title.text()

    # --- what tests and the window read ---------------------------------------------------
    def comparison_plot(self) -> pg.PlotWidget:
        return self._comparison

    def trend_plot(self) -> pg.PlotWidget:
        return self._trend

    def chart_data(self) -> ChartData:
        return self._data

    def bar_figure_ids(self) -> list[list[int]]:
        return [list(bar.ids) for bar in self._data.bars]

    def bar_tooltip(self, index: int) -> str:
        return tooltip_html(self._data.bars[index].tooltip)

    def highlighted_ids(self) -> set[int]:
        """The selected figures that a bar or a point shows."""
        shown = {i for bar in self._data.bars for i in bar.ids}
        shown |= {p.id for s in self._data.series for p in s.points}
        return self._selected & shown

    def bar_scene_center(self, index: int) -> QPoint:
        """The viewport pixel at the middle of a bar (for a click in a test or a screenshot)."""
        bar = self._data.bars[index]
        view = self._comparison.getPlotItem().getViewBox()
        base = self._base if self._data.log_scale else 0.0
        scene_point = view.mapViewToScene(QPointF((max(self._drawn(bar.value), base) + base) / 2, index))
        return self._comparison.mapFromScene(scene_point)

    # --- a chart to save -------------------------------------------------------------------
    def _saved_blocks(self, which: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """The text around a saved chart, top to bottom: (style, [(colour or "", text)]), all plain text."""
        data = self._data
        blocks = [("title", [("", data.title)])]
        blocks.append(("plot", []))
        if which == "trend":
            blocks.append(("legend", [(SERIES_COLOURS[n % len(SERIES_COLOURS)], s.label)
                                      for n, s in enumerate(data.series)]))
        blocks.append(("caption", [("", "  ".join([SAVED_LEGEND, *data.notes]))]))
        if data.source:
            blocks.append(("caption", [("", data.source)]))
        return blocks

    def legend_items(self, which: str = "trend") -> list[str]:
        """The names a saved chart's legend shows."""
        return [text for style, items in self._saved_blocks(which) if style == "legend" for _c, text in items]

    def paint_chart(self, which: str, painter, width: float | None = None, highlight: bool = False) -> tuple[float, float]:
        """Paint a chart as it is saved: its title, the plot as on screen, the legend, notes and the
        source line, in the palette's colours. Without highlight the selection is drawn as unselected.
        With painter None it only measures. Returns (width, height) in the plot's pixels."""
        from PySide6.QtGui import QFont

        plot = self._comparison if which == "comparison" else self._trend
        plot_size = self._saved_plot_size(which)
        width = float(width or max(plot_size.width(), 480))
        margin = 12.0
        inner = width - 2 * margin
        colours = self._colours or LIGHT
        base_font = QFont(self.font())
        title_font = QFont(base_font)
        title_font.setBold(True)
        title_font.setPointSizeF(base_font.pointSizeF() * 1.25)
        flags = int(Qt.TextFlag.TextWordWrap)

        def measure(font, text, room):
            return QFontMetrics(font).boundingRect(0, 0, int(room), 100000, flags, text).height()

        y = margin
        steps = []
        for style, items in self._saved_blocks(which):
            if style == "plot":
                steps.append((style, None, QRectF(margin, y, plot_size.width(), plot_size.height())))
                y += plot_size.height() + 6
            elif style == "legend":
                metrics = QFontMetrics(base_font)
                x, line = margin, metrics.height()
                for colour, text in items:
                    text = middle_elide(text, 64)
                    advance = line + 4 + metrics.horizontalAdvance(text) + 16
                    if x > margin and x + advance > width - margin:
                        x, y = margin, y + line + 2
                    steps.append(("swatch", colour, QRectF(x, y + 2, line - 4, line - 4)))
                    steps.append(("text", text, QRectF(x + line, y, advance, line)))
                    x += advance
                y += line + 6
            else:
                font = title_font if style == "title" else base_font
                text = items[0][1]
                height = measure(font, text, inner)
                steps.append((style, text, QRectF(margin, y, inner, height)))
                y += height + 6
        size = (width, y + margin - 6)
        if painter is None:
            return size
        kept = self._selected
        if not highlight and kept:
            self._selected = set()
            self._restyle()
        try:
            painter.fillRect(QRectF(0, 0, *size), QColor(colours["background"]))
            for style, content, rect in steps:
                if style == "plot":
                    # the points drawn one by one (their cached pixmaps come out as specks in an SVG)
                    scatter_opts = {"antialias": True, "resolutionScale": painter.transform().m11()}
                    self._scatter.setExportMode(True, scatter_opts)
                    try:
                        with self._every_bar_shown(which, plot_size):
                            plot.render(painter, rect, plot.viewport().rect())
                    finally:
                        self._scatter.setExportMode(False)
                elif style == "swatch":
                    painter.fillRect(rect, QColor(content))
                else:
                    painter.setFont(title_font if style == "title" else base_font)
                    painter.setPen(QColor(colours["title" if style == "title" else
                                                  "text" if style == "text" else "caption"]))
                    painter.drawText(rect, flags, content)
        finally:
            if not highlight and kept:
                self._selected = kept
                self._restyle()
        return size

    def _saved_plot_size(self, which: str) -> QSize:
        """The plot's size on screen; for the comparison, tall enough that every bar has its label."""
        plot = self._comparison if which == "comparison" else self._trend
        size = plot.viewport().size()
        if which == "comparison" and self._data.bars:
            view = plot.getPlotItem().getViewBox()
            row = max(MIN_BAR_PIXELS, QFontMetrics(self._bar_axis.font()).height() + 4)
            frame = size.height() - max(1, round(view.height()))
            size.setHeight(max(size.height(), frame + row * len(self._data.bars) + row // 2))
        return size

    @contextmanager
    def _every_bar_shown(self, which: str, size: QSize):
        """The comparison plot resized to `size` with all its bars in view, while it is painted for a file."""
        plot = self._comparison
        if which != "comparison" or size == plot.viewport().size():
            yield
            return
        view = plot.getPlotItem().getViewBox()
        old_size, old_range = plot.size(), view.viewRange()
        plot.resize(plot.size() + (size - plot.viewport().size()))
        try:
            _lay_out(plot.getPlotItem())
            view.setRange(xRange=old_range[0], yRange=(-0.6, len(self._data.bars) - 0.4), padding=0)
            _settle(view)
            yield
        finally:
            plot.resize(old_size)
            _lay_out(plot.getPlotItem())
            view.setRange(xRange=old_range[0], yRange=old_range[1], padding=0)
            _settle(view)

    # --- content --------------------------------------------------------------------------
    def clear(self, message: str = NO_METRIC) -> None:
        self._data = ChartData()
        self._bar_item.setOpts(x0=[], y=[], width=[], brushes=None, pens=None)  # pyqtgraph fails on empty lists
        for line in self._lines:
            line.setData([], [])
        self._scatter.setData([])
        self._point_ids, self._tips = [], {}
        self._legend.set_entries([])
        self._bar_axis.set_labels([])
        self.empty_label.setText(message)
        self.stack.setCurrentWidget(self.empty_label)

    def set_data(self, metric_name: str, unit_kind: str, rows: list[FigureRow], total: int | None = None) -> None:
        data = build_chart(metric_name, rows)
        if total is not None and total > len(rows):
            data.notes.insert(0, f"A sample of {len(rows):,} of the {total:,} figures, spread over the periods.")
        if data.empty:
            self.clear(f"No figure of \u201c{metric_name}\u201d with a value in this selection.")
            return
        self._data = data
        self._title.setText(data.title)
        self._notes.setText("  ".join([LEGEND, *data.notes]))
        self._source.setText(data.source)
        colours = self._colours
        _colour_plot(self._comparison, colours, self._plot_title("Comparison"))
        _colour_plot(self._trend, colours, self._plot_title("Trend"))
        self._draw_bars(data)
        self._draw_trend(data)
        self.stack.setCurrentIndex(1)

    def set_selected(self, ids: set[int]) -> None:
        if set(ids) == self._selected:
            return  # set_data already styled for this selection
        self._selected = set(ids)
        self._restyle()

    # --- drawing --------------------------------------------------------------------------
    def _draw_bars(self, data: ChartData) -> None:
        bars = data.bars
        self._bar_axis.set_labels([("\u26a0 " if b.conflict else "") + b.label for b in bars])
        item = self._comparison.getPlotItem()
        item.setLabel("bottom", _as_text(data.axis_label + (" (log scale)" if data.log_scale else "")))
        self._bar_value_axis.log = data.log_scale
        self._bar_value_axis.picture = None
        ends = [self._drawn(b.value) for b in bars]
        base = self._base = math.floor(min(ends)) if data.log_scale else 0.0
        self._bar_item.setOpts(x0=[base] * len(bars), y=list(range(len(bars))), height=BAR_HEIGHT,
                               width=[end - base for end in ends], brushes=self._bar_brushes(), pens=self._bar_pens())
        view = _lay_out(item)  # its height says how many bars fit
        low = min(base, *ends)
        high = max(base, *ends) or 1.0
        if data.log_scale:
            high = max(ends) + 0.08 * (max(ends) - base)
        view.setLimits(yMin=-0.6, yMax=len(bars) - 0.4)
        height = view.height()
        visible = len(bars) if height <= 0 else max(3, min(len(bars), int(height // MIN_BAR_PIXELS)))
        view.setRange(xRange=(low, high if data.log_scale else high * 1.08), yRange=(-0.6, visible - 0.4), padding=0)
        _settle(view)

    def _drawn(self, value: float) -> float:
        """Where a value is drawn: itself, or its log10 on a log axis."""
        return math.log10(value) if self._data.log_scale else value

    def _draw_trend(self, data: ChartData) -> None:
        item = self._trend.getPlotItem()
        item.setLabel("left", _as_text(data.axis_label + (" (log scale)" if data.log_scale else "")))
        self._trend_value_axis.log = data.log_scale
        self._trend_value_axis.picture = None
        xs, ys, ids, tips, symbols = [], [], [], {}, []
        for number, line in enumerate(self._lines):
            points = data.series[number].points if number < len(data.series) else []
            # connect[i]: a line from point i to i+1, only where the data joins them (same period length, undisputed)
            connect = np.array([nxt.joined for nxt in points[1:]] + [False], dtype=bool) if points else "all"
            line.setData([p.x for p in points], [self._drawn(p.y) for p in points], connect=connect)
            for p in points:
                xs.append(p.x), ys.append(self._drawn(p.y)), ids.append(p.id)
                symbols.append("d" if 0 < p.months < 12 else "o")
                tips[p.id] = p
        self._legend.set_entries([(SERIES_COLOURS[n % len(SERIES_COLOURS)], s.label) for n, s in enumerate(data.series)])
        self._point_colours = {p.id: SERIES_COLOURS[n % len(SERIES_COLOURS)]
                               for n, s in enumerate(data.series) for p in s.points}
        self._point_disputed = {p.id for s in data.series for p in s.points if p.disputed}
        self._tips, self._point_ids = tips, ids
        self._scatter.setData(x=xs, y=ys, data=ids, symbol=symbols)
        if not xs:
            return
        view = _lay_out(item)
        view.enableAutoRange()
        if max(xs) - min(xs) < 1:  # one period: keep the point off the edge, with its year tick in view
            view.setXRange(min(xs) - 0.6, max(xs) + 0.6, padding=0)
        self._restyle()
        _settle(view)

    def _bar_brushes(self) -> list[QBrush]:
        brushes = []
        for bar in self._data.bars:
            colour = SELECTED_COLOUR if self._selected.intersection(bar.ids) else BAR_COLOUR
            if bar.disputed:
                brushes.append(QBrush(DISPUTED_COLOUR if colour is BAR_COLOUR else colour, Qt.BrushStyle.BDiagPattern))
            else:
                brushes.append(QBrush(colour))
        return brushes

    def _bar_pens(self) -> list[QPen]:
        plain, disputed = _LOOKS["bar pens"]
        return [CONFLICT_PEN if bar.conflict else disputed if bar.disputed else plain for bar in self._data.bars]

    def _restyle(self) -> None:
        if self._data.bars:
            self._bar_item.setOpts(brushes=self._bar_brushes(), pens=self._bar_pens())
        if self._point_ids:
            ids = self._point_ids
            looks = [self._point_look(i) for i in ids]  # (brush, pen, size), shared objects: cheap to set
            self._scatter.setBrush([look[0] for look in looks])
            self._scatter.setPen([look[1] for look in looks])
            self._scatter.setSize([look[2] for look in looks])

    def _point_look(self, figure_id: int) -> tuple:
        if figure_id in self._selected:
            return _LOOKS["selected"]
        if figure_id in self._point_disputed:
            return _LOOKS["disputed"]
        colour = self._point_colours.get(figure_id, BAR_COLOUR.name())
        look = _LOOKS.get(colour)
        if look is None:
            look = _LOOKS[colour] = (QBrush(QColor(colour)), pg.mkPen("w"), 8)
        return look

    # --- mouse ----------------------------------------------------------------------------
    def _bar_at(self, scene_pos: QPointF) -> int | None:
        view = self._comparison.getPlotItem().getViewBox()
        if not self._data.bars or not view.sceneBoundingRect().contains(scene_pos):
            return None
        y = view.mapSceneToView(scene_pos).y()
        index = round(y)
        if 0 <= index < len(self._data.bars) and abs(y - index) <= BAR_HEIGHT / 2:
            return index
        return None

    def _comparison_clicked(self, event) -> None:
        index = self._bar_at(event.scenePos())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self._clicked(list(self._data.bars[index].ids))

    def _comparison_hovered(self, scene_pos: QPointF) -> None:
        index = self._bar_at(scene_pos)
        if index == self._hovered_bar:
            return
        self._hovered_bar = index
        if index is None:
            QToolTip.hideText()
            return
        viewport_pos = self._comparison.mapFromScene(scene_pos)
        QToolTip.showText(self._comparison.viewport().mapToGlobal(viewport_pos), self.bar_tooltip(index),
                          self._comparison.viewport())

    def bars_in(self, rect: QRectF) -> list[int]:
        """The figures of the bars a rectangle (in the comparison's view coordinates) touches."""
        base = self._base if self._data.log_scale else 0.0
        ids = []
        for index, bar in enumerate(self._data.bars):
            end = self._drawn(bar.value) if bar.value > 0 or not self._data.log_scale else base
            low, high = sorted((base, end))
            if (rect.top() <= index + BAR_HEIGHT / 2 and index - BAR_HEIGHT / 2 <= rect.bottom()
                    and rect.left() <= high and low <= rect.right()):
                ids.extend(bar.ids)
        return ids

    def points_in(self, rect: QRectF) -> list[int]:
        """The figures of the trend points inside a rectangle (in the trend's view coordinates)."""
        if not self._point_ids:
            return []
        xs, ys = self._scatter.getData()
        inside = (xs >= rect.left()) & (xs <= rect.right()) & (ys >= rect.top()) & (ys <= rect.bottom())
        return [self._point_ids[i] for i in np.flatnonzero(inside)]

    def _bars_brushed(self, rect: QRectF) -> None:
        ids = self.bars_in(rect)
        if ids:
            self._clicked(ids)

    def _points_brushed(self, rect: QRectF) -> None:
        ids = self.points_in(rect)
        if ids:
            self._clicked(ids)

    def _points_clicked(self, _item, points, _event) -> None:
        ids = [int(point.data()) for point in points]
        if ids:
            self._clicked(ids)

    def _clicked(self, ids: list[int]) -> None:
        # The selection state does not echo a change back to its source, so show it here first.
        self.set_selected(set(ids))
        self.figuresClicked.emit(ids)

