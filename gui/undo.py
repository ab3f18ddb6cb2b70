"""Undo and redo over the store's own history.

A command wraps one store action that has already been written (the write
happens before the push, so a failed write never reaches the stack). Undo asks
the store to undo the action, which is itself a new action; redo undoes that
undo. The store refuses an undo whose rows were changed since, and then the
command is dropped from the stack with a message rather than overwriting.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand

from store.errors import StoreError


class StoreCommand(QUndoCommand):
    def __init__(self, store, label: str, action_id: int, after: Callable[[str | None, int | None], None]) -> None:
        super().__init__(label)
        self._store = store
        self._action_id = action_id
        self._after = after  # called with (None, the new action id) when done, or with the error message
        self._written = True  # the first redo() (from QUndoStack.push) has nothing to do

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._replay()

    def undo(self) -> None:
        self._replay()

    def _replay(self) -> None:
        from store.curation.history import undo
        try:
            self._action_id = undo(self._store, self._action_id)
        except StoreError as exc:
            self.setObsolete(True)  # QUndoStack drops an obsolete command: it cannot be replayed any more
            self._after(str(exc), None)
            return
        self._after(None, self._action_id)
