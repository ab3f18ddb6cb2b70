"""Room for names: the panes and the table's columns share the window's width, and a name that must be
cut shows whole in its tooltip.

QMainWindow gives every pixel a larger window gains to the central widget and keeps the docks at
the widths they had at 1280 px; QTableView gives them all to its last column. Here a larger (or
smaller) window or table is shared out in proportion to what each pane or column already has, so
the user's own sizes are kept in proportion; a window opened with no saved layout starts from
shares of its own size. Combo boxes grow to their current text where the bar has room, their lists
are as wide as their longest item, and their tooltip names the chosen item whole.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDockWidget, QMainWindow, QTableView

from gui.views.pivot_data import tooltip_html

# The docks' shares of a window opened without a saved layout (tree, document; charts of the height),
# and the widths a share stops growing at: past them the table, which needs it most, gets the rest.
TREE_SHARE, DOCUMENT_SHARE, CHARTS_SHARE = 0.30, 0.31, 0.38
SIDE_MAX = (385, 410)  # grouping names whole beside their counts; some 60 characters a line of the document
MIN_COLUMN = 40  # a column shrinks no further when the table narrows
NAME_MIN = 110  # a name column is cut (its whole name in the tooltip) no narrower than this
LAST_MIN = 80  # the last column (the source, also named above the document) before the table scrolls
NAME_COLUMNS = ("metric", "cluster", "entity", "source")  # the columns an initial fit widens
NATURAL_ROWS = 200  # rows read to find a column's natural width
MAX_NATURAL = 320
COMBO_MIN_WIDTH = 140
COMBO_MAX_CHARS = 60


class DockSharing(QObject):
    """Shares a window's change of size among its side docks, its bottom dock and the centre."""

    def __init__(self, window: QMainWindow, side: list[QDockWidget], bottom: list[QDockWidget]) -> None:
        super().__init__(window)
        self.window, self.side, self.bottom = window, side, bottom
        self.restored = False  # a saved layout was restored: its sizes are the user's
        self._asked: dict[int, int] = {}  # per dock: the size last given to it here
        self._first_show = True
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window:
            if event.type() == QEvent.Type.Show and self._first_show:
                self._first_show = False
                if not self.restored:
                    QTimer.singleShot(0, self.fit_to_window)
            elif event.type() == QEvent.Type.Resize and self.window.isVisible() and not self._first_show:
                old, new = event.oldSize(), event.size()
                if old.isValid() and old.width() > 0 and old.height() > 0 and old != new:
                    self._share(old.width(), new.width(), old.height(), new.height())
        return False

    def _target(self, dock: QDockWidget, width: int, height: int) -> int:
        if dock in self.bottom:
            return round(height * CHARTS_SHARE)
        share, most = ((TREE_SHARE, SIDE_MAX[0]), (DOCUMENT_SHARE, SIDE_MAX[1]))[min(self.side.index(dock), 1)]
        return min(round(width * share), most)

    def _docks(self, docks: list[QDockWidget]) -> list[QDockWidget]:
        return [d for d in docks if d.isVisible() and not d.isFloating()]

    def fit_to_window(self) -> None:
        """Dock sizes from the window's own size (a first start, Reset Layout)."""
        width, height = self.window.width(), self.window.height()
        for docks, orientation in ((self._docks(self.side), Qt.Orientation.Horizontal),
                                   (self._docks(self.bottom), Qt.Orientation.Vertical)):
            if docks:
                sizes = [self._target(d, width, height) for d in docks]
                self._asked.update(zip((id(d) for d in docks), sizes))
                self.window.resizeDocks(docks, sizes, orientation)

    def _share(self, old_width: int, new_width: int, old_height: int, new_height: int) -> None:
        """A dock still at the size this class gave it takes its share of the new size; one the user
        sized by hand keeps its proportion of the window."""
        for docks, old, new, orientation in (
                (self._docks(self.side), old_width, new_width, Qt.Orientation.Horizontal),
                (self._docks(self.bottom), old_height, new_height, Qt.Orientation.Vertical)):
            if not docks or old == new:
                continue
            sizes = []
            for dock in docks:
                current = dock.width() if orientation == Qt.Orientation.Horizontal else dock.height()
                asked = self._asked.get(id(dock))
                # (the main window's layout may already have moved it a few pixels towards the new size)
                if asked is not None and abs(current - asked) <= max(8, asked * 0.04):
                    sizes.append(self._target(dock, new_width, new_height))
                else:
                    sizes.append(max(1, round(current * new / old)))
            self._asked.update(zip((id(d) for d in docks), sizes))
            self.window.resizeDocks(docks, sizes, orientation)


class ColumnSharing(QObject):
    """Lays a table's visible columns out across its width: each as wide as its contents need (up to
    MAX_NATURAL), room left over widening the name columns in proportion, a shortfall taken from the
    name columns down to NAME_MIN (then the table scrolls). Once the user sizes a column by hand (or a
    saved header is restored), a change of width is shared in proportion to the widths they chose."""

    def __init__(self, table: QTableView, keys: list[str]) -> None:
        super().__init__(table)
        self.table, self.keys = table, keys
        self.by_hand = False
        self._natural: dict[int, int] = {}
        self._laying_out = False
        table.viewport().installEventFilter(self)
        table.model().modelReset.connect(self._model_reset)
        header = table.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.sectionCountChanged.connect(self.lay_out)

    def _columns(self) -> list[int]:
        header = self.table.horizontalHeader()
        shown = [header.logicalIndex(v) for v in range(header.count())]
        return [c for c in shown if not header.isSectionHidden(c)]

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            old, new = event.oldSize().width(), event.size().width()
            if not self.by_hand:
                self.lay_out()
            elif old > 0 and new != old:
                self._share(old, new)
        return False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        shown = self._columns()
        if not self._laying_out and column in shown[:-1]:  # the last shown column stretches by itself
            self.by_hand = True  # the user dragged a column's edge: their widths rule from now on

    def _model_reset(self) -> None:
        if not self._natural and self.table.model().rowCount() and not self.by_hand:
            self.lay_out()

    def _set_widths(self, widths: dict[int, int]) -> None:
        self._laying_out = True
        try:
            for column, width in widths.items():
                if self.table.columnWidth(column) != width:
                    self.table.setColumnWidth(column, width)
        finally:
            self._laying_out = False

    def _share(self, old: int, new: int) -> None:
        columns = self._columns()[:-1]  # the last stretches by itself
        self._set_widths({c: max(MIN_COLUMN, round(self.table.columnWidth(c) * new / old)) for c in columns})

    def natural_width(self, column: int) -> int:
        """What the column's header and its first rows need: all of them for a short column (a value, a
        status), nine in ten for a name column (one very long name is cut, with its tooltip)."""
        if column in self._natural:
            return self._natural[column]
        model, metrics = self.table.model(), self.table.fontMetrics()
        header_text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        header_width = self.table.horizontalHeader().fontMetrics().horizontalAdvance(header_text) + 28
        texts = (model.index(row, column).data() for row in range(min(model.rowCount(), NATURAL_ROWS)))
        sizes = sorted(metrics.horizontalAdvance(str(text)) + 14 for text in texts if text)
        if sizes and self.keys[column] in NAME_COLUMNS:
            sizes = sizes[:max(1, (len(sizes) * 9 + 9) // 10)]
        width = min(max([header_width, *sizes[-1:]]), MAX_NATURAL)
        if model.rowCount():
            self._natural[column] = width  # measured on rows: kept; on an empty table, measured again later
        return width

    def widths_for(self, available: int) -> dict[int, int]:
        """Short columns get what they need; name columns start at NAME_MIN (or less, if they need less),
        then get what is left in turn (metric, cluster, entity); room beyond every need widens them in
        proportion to their widths, the last column taking its share by stretching."""
        columns = self._columns()
        if not columns:
            return {}
        names = [c for c in columns if self.keys[c] in NAME_COLUMNS]
        need = {c: self.natural_width(c) for c in columns}
        widths = {c: (min(need[c], NAME_MIN) if c in names else need[c]) for c in columns}
        widths[columns[-1]] = min(widths[columns[-1]], LAST_MIN)  # it stretches into whatever is left
        room = available - sum(widths.values())
        # In the order of NAME_COLUMNS: the metric says what a row is, then the cluster, then the entity.
        for c in sorted((c for c in names if c != columns[-1]), key=lambda c: NAME_COLUMNS.index(self.keys[c])):
            given = max(0, min(room, need[c] - widths[c]))
            widths[c] += given
            room -= given
        growing = [c for c in names if c != columns[-1]]
        if room > 0 and growing:  # more than every name needs: shared, the last column takes the rest
            total = sum(widths[c] for c in growing)
            for c in growing:
                widths[c] += room * widths[c] // (total + widths[columns[-1]])
        return widths

    def lay_out(self, *_args) -> None:
        if self.by_hand or not self.table.model().rowCount():
            return
        self._set_widths({c: w for c, w in self.widths_for(self.table.viewport().width()).items()
                          if c != self._columns()[-1]})


def name_whole(combo: QComboBox, description: str) -> None:
    """A combo box that grows to its current text where there is room (never below COMBO_MIN_WIDTH, so
    a long name cannot push the window wider), lists its items whole, and names the chosen item whole
    in its tooltip."""
    combo.setMinimumWidth(COMBO_MIN_WIDTH)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def follow(*_args) -> None:
        text = combo.currentText()
        combo.setMinimumContentsLength(max(12, min(len(text) + 1, COMBO_MAX_CHARS)))
        # Names are untrusted text: a tooltip Qt could read as markup is escaped, whole.
        combo.setToolTip(tooltip_html(f"{text}\n{description}" if text else description))

    def measure_items() -> None:
        widest = max((combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
                     default=0)
        combo.view().setMinimumWidth(min(widest + 40, 900))
        for i in range(combo.count()):
            combo.setItemData(i, tooltip_html(combo.itemText(i)), Qt.ItemDataRole.ToolTipRole)
        follow()

    # Items arrive one addItem at a time (5,000 documents in a big store): measuring them all on each
    # one made filling the chooser quadratic (200 s at 5,000). They are measured once, after the last.
    pending = QTimer(combo)
    pending.setSingleShot(True)
    pending.setInterval(0)
    pending.timeout.connect(measure_items)
    combo.currentIndexChanged.connect(follow)
    combo.model().rowsInserted.connect(pending.start)
    combo.model().modelReset.connect(pending.start)
    # Views set their combo's current item with its signals blocked: the text is checked again when the
    # box paints or shows its tooltip.
    combo.installEventFilter(_Follower(combo, follow))
    measure_items()


class _Follower(QObject):
    def __init__(self, combo: QComboBox, follow) -> None:
        super().__init__(combo)
        self.combo, self.follow, self.seen = combo, follow, None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Paint, QEvent.Type.ToolTip) and self.combo.currentText() != self.seen:
            self.seen = self.combo.currentText()
            self.follow()
        return False


class WindowFit:
    """The sharing for the main window: its side and bottom docks, the figures table, the combo boxes."""

    def __init__(self, window: QMainWindow, side: list[QDockWidget], bottom: list[QDockWidget], table: QTableView,
                 column_keys: list[str], combos: list[tuple[QComboBox, str]], restored: bool,
                 header_restored: bool) -> None:
        self.docks = DockSharing(window, side, bottom)
        self.docks.restored = restored
        self.columns = ColumnSharing(table, column_keys)
        self.columns.by_hand = header_restored
        for combo, description in combos:
            name_whole(combo, description)
