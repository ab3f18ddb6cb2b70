"""Undo and redo over the store's own history.

A command wraps one store action that has already been written (the write
happens before the push, so a failed write never reaches the stack). Undo asks
the store to undo the action, which is itself a new action; redo undoes that
undo. The store refuses an undo whose rows were changed since, and then the
command is dropped from the stack with a message rather than overwriting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QUndoCommand

from store.errors import StoreError

if TYPE_CHECKING:
    from store.changes import Changes


class StoreCommand(QUndoCommand):
    def __init__(self, label: str, action_id: int, undo: Callable[[int], Changes],
                 after: Callable[[str | None, Changes | None], None]) -> None:
        super().__init__(label)
        self._action_id = action_id
        self._undo = undo  # undo(action id) -> the Changes of the new action (the workspace's write)
        self._after = after  # called with (None, the new action's Changes) when done, or with the error message
        self._written = True  # the first redo() (from QUndoStack.push) has nothing to do

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._replay()

    def undo(self) -> None:
        self._replay()

    def _replay(self) -> None:
        try:
            changes = self._undo(self._action_id)
        except StoreError as exc:
            self.setObsolete(True)  # QUndoStack drops an obsolete command: it cannot be replayed any more
            self._after(str(exc), None)
            return
        self._action_id = changes.action_id
        self._after(None, changes)
