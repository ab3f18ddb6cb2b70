"""Files in resources/: the application icon, the style sheet and the desktop entry.

Where resources/ is (a checkout or the bundle) is store.opening.paths' one definition. This module
imports Qt only to make the icon, so the launcher installer uses it with no display.
"""

from __future__ import annotations

from functools import lru_cache

from store.opening.paths import RESOURCES_DIR

RESOURCES = RESOURCES_DIR
ICON_PATH = RESOURCES / "icons" / "cluster-explorer.svg"
DESKTOP_ENTRY_PATH = RESOURCES / "cluster-explorer.desktop"


@lru_cache(maxsize=1)
def app_icon():
    from PySide6.QtGui import QIcon

    return QIcon(str(ICON_PATH)) if ICON_PATH.is_file() else QIcon()


def style_sheet() -> str:
    path = RESOURCES / "style.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
