"""View › Theme: System, Light or Dark for the whole application, remembered across restarts.

The palette is the one source of colour: the charts read it (charts.chart_colours, on their
PaletteChange), and so do the grey captions and the coloured messages marked here with `tone()`,
which are given a colour mixed from the palette's own text and window colours, so they stay
readable on either. "System" puts back the palette, style and style sheet the application started
with. Light and Dark use the Fusion style, the one Qt style that paints every palette faithfully.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QStyleFactory, QWidget

from store.opening.paths import RESOURCES_DIR

SETTING = "view/theme"
THEMES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))
TONE_PROPERTY = "themeTone"

# Colours that carry meaning, for each kind of window: contrast of 4.5:1 or more on its background.
TONES = {
    "light": {"error": "#b3261e", "warning": "#8a5a00", "meaning": "#35506b"},
    "dark": {"error": "#ff8a80", "warning": "#f0c060", "meaning": "#9cc3e6"},
}
# Rules the light style sheet (resources/style.qss) needs changed on a dark window.
DARK_RULES = """
QTableView#figuresTable { gridline-color: #3a3d42; }
QAbstractItemView::indicator, QCheckBox::indicator {
    width: 12px; height: 12px; border: 1px solid #9a9a9a; border-radius: 2px; background: #1e1f22; }
QAbstractItemView::indicator:checked, QCheckBox::indicator:checked {
    background: #5b9bf0; border-color: #cfe2ff; image: url("%s"); }
QAbstractItemView::indicator:indeterminate, QCheckBox::indicator:indeterminate { background: #3f5f8a; }
""" % (RESOURCES_DIR / "icons" / "tick-dark.svg").as_posix()
# Fusion draws a tick box's frame a shade darker than the window: on a dark one it vanished. A box of
# one's own loses Fusion's tick, hence the drawn one: a ticked box is more than a blue square.

_started_with: dict[str, object] = {}


def _dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
            (roles.Window, "#2b2d30"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1f22"),
            (roles.AlternateBase, "#26282b"), (roles.ToolTipBase, "#3c3f44"), (roles.ToolTipText, "#f0f0f0"),
            (roles.PlaceholderText, "#9a9a9a"), (roles.Text, "#e6e6e6"), (roles.Button, "#35383c"),
            (roles.ButtonText, "#e6e6e6"), (roles.BrightText, "#ff6b6b"), (roles.Link, "#7ab8ff"),
            (roles.LinkVisited, "#c39cff"), (roles.Highlight, "#2f6fc4"), (roles.HighlightedText, "#ffffff"),
            (roles.Light, "#4a4d52"), (roles.Midlight, "#3e4146"), (roles.Mid, "#2a2c2f"),
            (roles.Dark, "#1a1b1d"), (roles.Shadow, "#0d0d0e")):
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#7d7d7d"))
    palette.setColor(disabled, roles.Base, QColor("#26282b"))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def caption_colour(palette: QPalette) -> QColor:
    """A grey for captions: the text colour moved a third of the way to the window's, so it reads as
    secondary on a light or a dark window and never vanishes (PlaceholderText may be half-transparent)."""
    text, window = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    mix = 0.35
    return QColor(*(round(a + (b - a) * mix) for a, b in ((text.red(), window.red()), (text.green(), window.green()),
                                                          (text.blue(), window.blue()))))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_READABLE: dict[tuple[str, int], QColor] = {}


def readable(colour: str) -> QColor:
    """A text colour chosen for a light page (a status's green), lightened until it reads on the
    application's current page colour (Base) with a contrast of 4.5:1; unchanged on a light page."""
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    key = (colour, base.rgb())
    found = _READABLE.get(key)
    if found is None:
        found = QColor(colour)
        for _ in range(12):
            if contrast(found, base) >= 4.5:
                break
            found = found.lighter(125) if base.lightness() < 128 else found.darker(125)
        _READABLE[key] = found
    return found


def tone_colour(tone: str, palette: QPalette) -> QColor:
    if tone == "caption":
        return caption_colour(palette)
    return QColor(TONES["dark" if is_dark(palette) else "light"][tone])


def repaint_tone(widget: QWidget, palette: QPalette) -> None:
    """Colour a marked label for a palette (a panel with a palette of its own calls it on PaletteChange)."""
    own = widget.palette()
    colour = tone_colour(widget.property(TONE_PROPERTY), palette)
    if own.color(QPalette.ColorRole.WindowText) != colour:
        own.setColor(QPalette.ColorRole.WindowText, colour)
        widget.setPalette(own)


def tone(widget: QWidget, kind: str = "caption") -> QWidget:
    """Mark a label as a caption ("caption") or a message ("error", "warning", "meaning"): its text
    colour follows the theme."""
    widget.setProperty(TONE_PROPERTY, kind)
    repaint_tone(widget, QApplication.palette())
    return widget


def _repaint_tones(palette: QPalette) -> None:
    for widget in QApplication.allWidgets():
        if widget.property(TONE_PROPERTY):
            repaint_tone(widget, palette)


def current_theme(settings: QSettings) -> str:
    name = settings.value(SETTING, "system")
    return name if name in dict(THEMES) else "system"


def apply_theme(name: str) -> None:
    """Give the application the theme's palette (and style); every open window follows at once."""
    app = QApplication.instance()
    if not _started_with:
        _started_with.update(palette=QPalette(app.palette()), style=app.style().name(), sheet=app.styleSheet())
    if name == "system":
        style, palette = str(_started_with["style"]), QPalette(_started_with["palette"])
    else:
        style = "Fusion"
        palette = _dark_palette() if name == "dark" else QStyleFactory.create("Fusion").standardPalette()
    sheet = str(_started_with["sheet"]) + (DARK_RULES if is_dark(palette) else "")
    if app.style().name().lower() != style.lower():
        app.setStyle(QStyleFactory.create(style))
    app.setPalette(palette)
    # The style sheet after the palette, and set again even when unchanged: a widget a rule styles (a
    # dock's title) keeps the palette it was polished with until it is polished again.
    app.setStyleSheet("")
    app.setStyleSheet(sheet)
    _repaint_tones(palette)


class ThemeMenu:
    """The View › Theme submenu: one checked choice, applied at once and remembered in the settings."""

    def __init__(self, view_menu: QMenu, settings: QSettings, parent: QWidget) -> None:
        self.settings = settings
        self.menu = view_menu.addMenu("T&heme")
        self.group = QActionGroup(parent)
        self.actions: dict[str, QAction] = {}
        chosen = current_theme(settings)
        for name, text in THEMES:
            action = QAction(text, parent)
            action.setCheckable(True)
            action.setChecked(name == chosen)
            action.setStatusTip(f"Colours: {text.replace('&', '')}" + (" (as the desktop sets them)" if name == "system" else ""))
            action.triggered.connect(lambda _checked=False, n=name: self.choose(n))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[name] = action
        if chosen != "system":
            apply_theme(chosen)

    def choose(self, name: str) -> None:
        self.actions[name].setChecked(True)
        self.settings.setValue(SETTING, name)
        apply_theme(name)
