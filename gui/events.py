"""The window's event channel: which store is open, what a write changed, and where to say things.

Controllers and panels receive an `Events` (and the `gui.selection.Selection`, whose typed
signals say what is selected) instead of the main window: they read the open `Workspace` from it,
connect to the signals they use, and tell the user through its `Messages`.

- `opened(workspace)`: a store was opened (or opened again); `events.workspace` is it.
- `changed(changes, select)`: a write was applied to the workspace; the linker refreshes the
  shared views and, with `select` (ids or None), selects those figures.
- `refreshed(changes)`: after the shared views are current: panels that read for themselves
  (annotations, orphans, an open history) refresh when `changes` concerns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from store.changes import Changes
    from store.workspace import Workspace


@dataclass(frozen=True)
class Messages:
    """Where a controller tells the user something: the status bar, and a non-blocking warning."""
    status: Callable[[str, int], None]  # (text, milliseconds; 0 keeps it)
    error: Callable[[str, str], None]  # (what failed, why), plain text
    current: Callable[[], str]  # the status bar's message now ("" when none)


class Events(QObject):
    opened = Signal(object)  # Workspace
    changed = Signal(object, object)  # Changes, list[int] | None: figures to select afterwards
    refreshed = Signal(object)  # Changes, after every shared view shows them

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None

    def open(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.opened.emit(workspace)

    def close(self) -> None:
        """Let go of the open store (a restore replaces its file)."""
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None

    def written(self, changes: Changes, select: list[int] | None = None) -> None:
        """A write already applied to the workspace: every view follows."""
        self.changed.emit(changes, select)
