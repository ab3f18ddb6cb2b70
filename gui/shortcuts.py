"""Key bindings: the platform's standard keys (QKeySequence.StandardKey), each key bound once.

Qt refuses a key that two actions of a window carry ("Ambiguous shortcut overload") and runs
neither, and the standard keys differ per platform (Redo is Ctrl+Y on Windows, Ctrl+Shift+Z under
X11): a list built from the platform's bindings plus the usual alternatives, without repeats,
works everywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

Key = QKeySequence.StandardKey | str | None


def key_list(key: Key, *also: str) -> list[QKeySequence]:
    """The platform's bindings for a standard key (or one key written out), then the alternatives
    the platform lacks; no sequence twice."""
    if key is None:
        found: list[QKeySequence] = []
    elif isinstance(key, QKeySequence.StandardKey):
        found = list(QKeySequence.keyBindings(key))
    else:
        found = [QKeySequence(key)]
    found += [QKeySequence(extra) for extra in also]
    return [s for i, s in enumerate(found) if not s.isEmpty() and s not in found[:i]]


def bind(action: QAction, key: Key, *also: str) -> QAction:
    action.setShortcuts(key_list(key, *also))
    return action


def _actions(window: QWidget) -> list[QAction]:
    seen: dict[int, QAction] = {}
    pending = window.actions() + window.menuBar().actions() + window.findChildren(QAction)
    while pending:
        action = pending.pop()
        if id(action) in seen:
            continue
        seen[id(action)] = action
        if action.menu() is not None:
            pending.extend(action.menu().actions())
    return list(seen.values())


def key_owners(window: QWidget) -> dict[str, list[str]]:
    """Every key sequence an action or shortcut of the window carries -> what carries it."""
    owners: dict[str, list[str]] = {}
    for action in _actions(window):
        for sequence in action.shortcuts():
            owners.setdefault(sequence.toString(), []).append(action.text().replace("&", "") or action.objectName())
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():
            owners.setdefault(sequence.toString(), []).append(shortcut.objectName() or "shortcut")
    return owners


def duplicated_keys(window: QWidget) -> dict[str, list[str]]:
    """The key sequences bound more than once (Qt would run none of their actions)."""
    return {key: names for key, names in key_owners(window).items() if len(names) > 1}
