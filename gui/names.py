"""View › Language of Names: metrics, clusters, entities and groupings in English or 中文.

The choice is the user's (remembered in QSettings) and is read where a name is shown, through
`shown` (a row of store.query.browse) and `node_name` (a tree node); each falls back to the other name
when the chosen one is missing. Filters match both languages whatever the choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from gui.shortcuts import bind
from store.values.names import LANGUAGE_NAMES, LANGUAGES, pick

if TYPE_CHECKING:
    from store.query.rows import FigureRow

SETTING = "view/nameLanguage"
_language = "en"  # the one choice every view reads; set only through NameLanguage


def current() -> str:
    return _language


def shown(row: FigureRow, kind: str) -> str:
    """A row's name of `kind` (metric, cluster, entity) in the chosen language."""
    if kind == "metric":
        return pick(row.metric_name, row.metric_name_zh, _language)
    if kind == "entity":
        return pick(row.entity_name, row.entity_name_zh, _language)
    if kind == "cluster":
        return pick(row.cluster_name, row.cluster_name_zh, _language)
    raise ValueError(f"no name of kind {kind!r}")


def node_name(node) -> str:
    return pick(node.name, getattr(node, "name_zh", ""), _language)


class NameLanguage(QObject):
    """Holds the choice, remembers it, and tells the views that show names."""

    changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        saved = settings.value(SETTING, "en")
        self._apply(saved if saved in LANGUAGES else "en")
        self.actions: dict[str, QAction] = {}

    @property
    def language(self) -> str:
        return _language

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES or language == _language:
            return
        self._apply(language)
        self._settings.setValue(SETTING, language)
        for key, action in self.actions.items():
            action.setChecked(key == language)
        self.changed.emit(language)

    @staticmethod
    def _apply(language: str) -> None:
        global _language
        _language = language

    def add_menu(self, menu: QMenu) -> QMenu:
        """View › Language of Names, with one checkable entry per language."""
        sub = menu.addMenu("Language of &Names")
        group = QActionGroup(sub)
        group.setExclusive(True)
        for language in LANGUAGES:
            action = bind(QAction(LANGUAGE_NAMES[language], sub), None)
            action.setObjectName(f"nameLanguage_{language}")
            action.setCheckable(True)
            action.setChecked(language == _language)
            action.setStatusTip(f"Show metrics, clusters and entities by their {LANGUAGE_NAMES[language]} names")
            action.triggered.connect(lambda _checked=False, lang=language: self.set_language(lang))
            group.addAction(action)
            sub.addAction(action)
            self.actions[language] = action
        return sub


def connect_views(names: NameLanguage, columns: Callable[[], object], table_model, tree_model,
                  refresh_others: Callable[[], None] = lambda: None) -> None:
    """On a switch: the numpy columns sort by the new names, the table re-reads its rows (its reset
    refreshes the metric list, charts and pivot), the tree repaints."""
    def switched(language: str) -> None:
        found = columns()
        if found is not None:
            found.set_language(language)
        table_model.refresh()
        tree_model.names_changed()
        refresh_others()

    names.changed.connect(switched)
