"""The store's safety in the window: the read-only notice, backups and restore, a damaged store,
and saves that could not be made now (a lock another program holds, a server away, a newer change).

Store work (backup, restore) runs in workers; this module only asks, tells and re-opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from gui import actions as acts
from gui.actions import ActionSet
from gui.events import Events, Messages
from gui.workers import run_task
from store.changes import NOTHING

APP_TITLE = "Cluster Explorer"


@dataclass(frozen=True)
class DamagedResult:
    """What load_store returns for a damaged store file, so the window can offer its newest backup."""
    message: str
    path: Path
    backup: Path | None


def read_only_banner() -> QLabel:
    banner = QLabel()
    banner.setObjectName("readOnlyBanner")
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setWordWrap(True)
    banner.hide()
    return banner


def ask(parent, icon, text: str, detail: str, buttons: list[tuple[str, QMessageBox.ButtonRole, Callable | None]]) -> QMessageBox:
    """A message with choices, as plain text (messages quote user text), without blocking."""
    box = QMessageBox(icon, APP_TITLE, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(detail)
    for label, role, slot in buttons:
        button = box.addButton(label, role)
        if slot is not None:
            button.clicked.connect(slot)
    box.open()
    return box


class StoreSafety(QObject):
    restoring = Signal()  # a backup is about to replace the store: the undo stack's actions go with it

    def __init__(self, parent: QWidget, events: Events, messages: Messages, actions: ActionSet,
                 reopen: Callable[[], None], choose_store: Callable[[], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.events, self.messages, self.actions = events, messages, actions
        self._reopen = reopen  # open the store again (after a restore, F5)
        self._choose_store = choose_store  # File › Open Store…
        self.banner = read_only_banner()
        self.damaged_path: Path | None = None  # a store that did not open: File › Restore Backup can still fix it
        self.prompt: QMessageBox | None = None  # the question asked now (tests answer it)

    def _ask(self, icon, text: str, detail: str, buttons) -> QMessageBox:
        box = ask(self.parent_widget, icon, text, detail, buttons)
        box.finished.connect(lambda _result: self.prompt is box and setattr(self, "prompt", None))
        self.prompt = box
        return box

    def add_actions(self, file_menu) -> None:
        self.backup_action = self.actions.add(file_menu, acts.BACK_UP, self.back_up_now)
        self.restore_action = self.actions.add(file_menu, acts.RESTORE, self.choose_backup)
        self.actions.add(file_menu, acts.RELOAD, self.reload)

    # --- opening --------------------------------------------------------------------------
    def store_opened(self, store) -> None:
        """Show or hide the read-only notice; start the daily backup."""
        self.damaged_path = None
        read_only = store.read_only
        self.actions.set_read_only(read_only)
        self.backup_action.setEnabled(store.path is not None)
        self.restore_action.setEnabled(store.path is not None and not read_only)
        if read_only:
            self.banner.setText(f"Read-only: {store.read_only_reason}. You can browse, compare and export; "
                                "nothing can be saved to this store.")
        self.banner.setVisible(read_only)
        if store.path is not None and not read_only:
            from store.opening.backup import backup_if_due

            path = store.path
            run_task(lambda: backup_if_due(path), self._daily_done, lambda message: None)

    def _daily_done(self, made) -> None:
        # Quietly: never over a message the user is reading (an export, a save) that arrived meanwhile.
        if made is not None and not self.messages.current():
            self.messages.status(f"Daily backup saved: {made.name}", 5000)

    def store_damaged(self, result: DamagedResult) -> None:
        self.damaged_path = result.path
        self.restore_action.setEnabled(True)
        buttons = [("Open Another Store\u2026", QMessageBox.ButtonRole.ActionRole, self._choose_store),
                   ("Close", QMessageBox.ButtonRole.RejectRole, None)]
        if result.backup is not None:
            buttons.insert(0, ("Restore Newest Backup", QMessageBox.ButtonRole.AcceptRole,
                               lambda: self.restore(result.path, result.backup)))
        self._ask(QMessageBox.Icon.Critical, "The store is damaged and was not opened.", result.message, buttons)

    # --- backups -------------------------------------------------------------------------
    def back_up_now(self) -> None:
        store = self._store()
        if store is None or store.path is None:
            return
        from store.opening.backup import backup

        path = store.path
        self.messages.status("Backing up the store\u2026")
        run_task(lambda: backup(path, "manual"), lambda made: self.messages.status(
            f"Backup saved: {made}", 8000), lambda message: self.messages.error("The store was not backed up.", message))

    def choose_backup(self) -> None:
        store = self._store()
        path = store.path if store is not None else self.damaged_path
        if path is None:
            return
        from store.opening.paths import backup_folder

        chosen, _ = QFileDialog.getOpenFileName(self.parent_widget, "Restore Backup", str(backup_folder(path)),
                                                "Store backups (*.sqlite3);;All files (*)")
        if chosen:
            self.confirm_restore(path, Path(chosen))

    def confirm_restore(self, store_path: Path, backup: Path) -> QMessageBox:
        detail = (f"{backup.name} will replace the store {store_path.name}. The store as it is now is backed up "
                  "first, so this can be undone by restoring that backup. The undo history of this session "
                  "is cleared.")
        return self._ask(QMessageBox.Icon.Question, "Restore this backup?", detail,
                   [("Restore", QMessageBox.ButtonRole.AcceptRole, lambda: self.restore(store_path, backup)),
                    ("Cancel", QMessageBox.ButtonRole.RejectRole, None)])

    def restore(self, store_path: Path, backup: Path) -> None:
        from store.opening.backup import restore

        self.events.close()  # let go of the file: the restore replaces it
        self.restoring.emit()  # the undo stack refers to actions the restore takes away
        self.messages.status(f"Restoring {backup.name}\u2026")
        run_task(lambda: restore(store_path, backup), self._restored, self._not_restored)

    def _not_restored(self, message: str) -> None:
        self.messages.error("The backup was not restored.", message)
        self._reopen()  # the store is as it was: open it again (a damaged one is offered its backup)

    def _restored(self, done) -> None:
        kept = (f"The damaged store was moved aside, untouched: {done.previous.name}" if done.damaged
                else f"The store as it was is backed up as {done.previous.name}" if done.previous else "")
        self.messages.status(f"Restored {done.source.name}. {kept}", 15000)
        self.last_restored = done
        self._reopen()

    # --- saves that could not be made now ---------------------------------------------------
    def save_refused(self, label: str, exc, retry: Callable[[], None], use_mine: Callable[[int], None] | None,
                     figure_ids: list[int] | None = None) -> None:
        from store.errors import StaleEdit, StoreBusy

        if isinstance(exc, StoreBusy):
            self._ask(QMessageBox.Icon.Warning, f"{label}: not saved yet.", str(exc),
                [("Retry", QMessageBox.ButtonRole.AcceptRole, retry),
                 ("Discard My Change", QMessageBox.ButtonRole.DestructiveRole, None)])
        elif isinstance(exc, StaleEdit) and use_mine is not None:
            version = exc.current_version
            self._ask(QMessageBox.Icon.Warning, f"{label}: someone else changed it first.", str(exc),
                [("Save Mine Over Theirs", QMessageBox.ButtonRole.AcceptRole, lambda: use_mine(version)),
                 ("Keep Theirs", QMessageBox.ButtonRole.RejectRole, lambda: self.show_theirs(figure_ids or []))])
        else:
            self.messages.error(f"{label}: not saved.", str(exc))

    def show_theirs(self, figure_ids: list[int]) -> None:
        """Re-read figures another curator changed, so the views show their version."""
        if self.events.workspace is None:
            return
        self.events.workspace.apply(figure_ids=figure_ids)
        self.events.written(NOTHING)

    def _store(self):
        return self.events.workspace.store if self.events.workspace is not None else None

    def reload(self) -> None:
        """Read the whole store again (to see what other curators saved)."""
        if self.events.workspace is not None:
            self._reopen()
