"""View › Theme: the whole window, charts and captions included, turns dark or light at once, and the
choice outlives a restart. Colours are read from what the widgets paint (grabs) and the palettes
they paint with."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette

from gui.theme import apply_theme
from gui.theme import contrast as _contrast
from gui.views.figures_model import COLUMN_INDEX
from tests.gui.helpers import click_table_row


@pytest.fixture(autouse=True)
def _system_theme_after():
    yield
    apply_theme("system")  # the application palette is process-wide: later tests get the usual one


def _seen(widget) -> QColor:
    """The colour most of a widget's painted pixels have (its background as the user sees it)."""
    image = widget.grab().toImage()
    counts: dict[str, int] = {}
    for x in range(0, image.width(), 7):
        for y in range(0, image.height(), 7):
            name = image.pixelColor(x, y).name()
            counts[name] = counts.get(name, 0) + 1
    return QColor(max(counts, key=counts.get))


def _captions(window):
    charts = window.charts
    return [charts._source, charts._notes, window.document_view.meta_label]


def _check_readable(qtbot, window, dark: bool) -> None:
    qtbot.wait(20)
    for plot in (window.charts.comparison_plot(), window.charts.trend_plot()):
        assert (_seen(plot).lightness() < 60) if dark else (_seen(plot).lightness() > 200)
    axis = window.charts.comparison_plot().getPlotItem().getAxis("bottom").textPen().color()
    assert (axis.lightness() > 128) == dark
    for label in _captions(window):
        text = label.palette().color(label.foregroundRole())
        ground = _seen(label.parentWidget())
        assert _contrast(text, ground) >= 4.5, (label.text()[:40], text.name(), ground.name())
    editor = window.document_view.editor
    assert (_seen(editor.viewport()).lightness() < 80) == dark
    selected = [p for p in window.charts._scatter.points() if int(p.data()) in window.selection.figures]
    assert selected and all((p.pen().color().lightness() > 128) == dark for p in selected)  # its ring shows
    table = window.figures_panel.table
    assert (_seen(table.viewport()).lightness() < 80) == dark
    status = table.model().index(1, COLUMN_INDEX["status"]).data(Qt.ItemDataRole.ForegroundRole).color()
    assert _contrast(status, _seen(table.viewport())) >= 4.5, status.name()  # "verified" in green, readable


def test_dark_and_light_turn_charts_captions_and_panes_at_once(qtbot, window):
    click_table_row(window, 0)
    qtbot.waitUntil(lambda: window.charts.source_text() != "")
    _check_readable(qtbot, window, dark=False)
    window.theme_menu.actions["dark"].trigger()
    _check_readable(qtbot, window, dark=True)
    # the selected figure's words stay black on orange: readable on the dark page too
    selections = window.document_view.editor.extraSelections()
    strong = [s for s in selections if s.format.background().color().name() == "#ff9a2e"]
    assert strong and all(_contrast(s.format.foreground().color(), QColor("#ff9a2e")) >= 4.5 for s in strong)
    window.theme_menu.actions["light"].trigger()
    _check_readable(qtbot, window, dark=False)


def test_the_theme_is_remembered_across_a_restart(qtbot, make_window, settings_path):
    first = make_window()
    first.theme_menu.actions["dark"].trigger()
    first.close()
    assert QSettings(settings_path, QSettings.Format.IniFormat).value("view/theme") == "dark"
    apply_theme("system")  # as a fresh process would start
    second = make_window()
    assert second.theme_menu.actions["dark"].isChecked()
    assert second.palette().color(QPalette.ColorRole.Window).lightness() < 80
    _check_readable(qtbot, second, dark=True)
    second.theme_menu.actions["system"].trigger()
    assert second.palette().color(QPalette.ColorRole.Window).lightness() > 200  # offscreen's own palette is light


def test_dialog_messages_stay_readable_in_the_dark(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QLabel

    from gui.theme import TONE_PROPERTY

    window.theme_menu.actions["dark"].trigger()
    from gui.dialogs.export import ExportDialog

    dialog = ExportDialog(window, QSettings(str(tmp_path / "e.ini"), QSettings.Format.IniFormat), 3, 10, "Figures")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    marked = [w for w in dialog.findChildren(QLabel) if w.property(TONE_PROPERTY)]
    assert marked
    for label in marked:
        assert _contrast(label.palette().color(label.foregroundRole()), _seen(dialog)) >= 4.5


def test_tick_boxes_show_on_a_dark_window(qtbot, window):
    """Fusion draws a tick box's frame a shade darker than the window: on the dark one it vanished."""
    from PySide6.QtWidgets import QCheckBox

    window.theme_menu.actions["dark"].trigger()
    box = next(b for b in window.findChildren(QCheckBox) if b.isVisible())
    for checked in (False, True):
        box.setChecked(checked)
        qtbot.wait(20)
        image = box.grab().toImage()
        indicator = [image.pixelColor(x, y) for x in range(0, min(18, image.width())) for y in range(image.height())]
        assert max(c.lightness() for c in indicator) > 120, checked
        ticked = sum(1 for c in indicator if c.lightness() >= 245)  # the tick: whiter than the box's frame
        assert (ticked >= 4) if checked else (ticked == 0), (checked, ticked)
