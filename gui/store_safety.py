"""The store's safety in the window: the read-only notice, backups and restore, a damaged store,
and saves that could not be made now (a lock another program holds, a server away, a newer change).

Store work (backup, restore) runs in workers; this module only asks, tells and re-opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from gui.workers import run_task

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


def ask(window, icon, text: str, detail: str, buttons: list[tuple[str, QMessageBox.ButtonRole, Callable | None]]) -> QMessageBox:
    """A message with choices, as plain text (messages quote user text), without blocking; window.prompt holds it."""
    box = QMessageBox(icon, APP_TITLE, text, parent=window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(detail)
    for label, role, slot in buttons:
        button = box.addButton(label, role)
        if slot is not None:
            button.clicked.connect(slot)
    box.finished.connect(lambda _result: window.prompt is box and setattr(window, "prompt", None))
    window.prompt = box
    box.open()
    return box


class StoreSafety(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.banner = read_only_banner()
        self.damaged_path: Path | None = None  # a store that did not open: File › Restore Backup can still fix it
        window.prompt = None

    def add_actions(self, file_menu) -> None:
        self.backup_action = self.w._action(file_menu, "&Back Up Store Now", self.back_up_now, None,
                                            "Copy the store to its backups folder (one is also made each day)")
        self.restore_action = self.w._action(file_menu, "&Restore Backup\u2026", self.choose_backup, None,
                                             "Put a backup in the store's place (the store as it is now is kept)")
        self.w._action(file_menu, "Re&load Store", self.reload, "F5",
                       "Read the store again, with what other curators have saved since")

    # --- opening --------------------------------------------------------------------------
    def store_opened(self, store) -> None:
        """Show or hide the read-only notice; start the daily backup."""
        self.damaged_path = None
        read_only = store.read_only
        for action in self.w.findChildren(QAction):
            if action.property("writes"):
                action.setEnabled(not read_only)
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
        if made is not None and not self.w.statusBar().currentMessage():
            self.w.statusBar().showMessage(f"Daily backup saved: {made.name}", 5000)

    def store_damaged(self, result: DamagedResult) -> None:
        self.damaged_path = result.path
        self.restore_action.setEnabled(True)
        buttons = [("Open Another Store\u2026", QMessageBox.ButtonRole.ActionRole, self.w.choose_store),
                   ("Close", QMessageBox.ButtonRole.RejectRole, None)]
        if result.backup is not None:
            buttons.insert(0, ("Restore Newest Backup", QMessageBox.ButtonRole.AcceptRole,
                               lambda: self.restore(result.path, result.backup)))
        ask(self.w, QMessageBox.Icon.Critical, "The store is damaged and was not opened.", result.message, buttons)

    # --- backups -------------------------------------------------------------------------
    def back_up_now(self) -> None:
        store = self.w.store
        if store is None or store.path is None:
            return
        from store.opening.backup import backup

        path = store.path
        self.w.statusBar().showMessage("Backing up the store\u2026")
        run_task(lambda: backup(path, "manual"), lambda made: self.w.statusBar().showMessage(
            f"Backup saved: {made}", 8000), lambda message: self.w.show_error("The store was not backed up.", message))

    def choose_backup(self) -> None:
        store = self.w.store
        path = store.path if store is not None else self.damaged_path
        if path is None:
            return
        from store.opening.paths import backup_folder

        chosen, _ = QFileDialog.getOpenFileName(self.w, "Restore Backup", str(backup_folder(path)),
                                                "Store backups (*.sqlite3);;All files (*)")
        if chosen:
            self.confirm_restore(path, Path(chosen))

    def confirm_restore(self, store_path: Path, backup: Path) -> QMessageBox:
        detail = (f"{backup.name} will replace the store {store_path.name}. The store as it is now is backed up "
                  "first, so this can be undone by restoring that backup. The undo history of this session "
                  "is cleared.")
        return ask(self.w, QMessageBox.Icon.Question, "Restore this backup?", detail,
                   [("Restore", QMessageBox.ButtonRole.AcceptRole, lambda: self.restore(store_path, backup)),
                    ("Cancel", QMessageBox.ButtonRole.RejectRole, None)])

    def restore(self, store_path: Path, backup: Path) -> None:
        from store.opening.backup import restore

        if self.w.store is not None:  # let go of the file: the restore replaces it
            self.w.store.close()
            self.w.store = None
        self.w.curator.stack.clear()  # the undo stack refers to actions the restore takes away
        self.w.statusBar().showMessage(f"Restoring {backup.name}\u2026")
        run_task(lambda: restore(store_path, backup), self._restored, self._not_restored)

    def _not_restored(self, message: str) -> None:
        self.w.show_error("The backup was not restored.", message)
        self.w.open_store_async()  # the store is as it was: open it again (a damaged one is offered its backup)

    def _restored(self, done) -> None:
        kept = (f"The damaged store was moved aside, untouched: {done.previous.name}" if done.damaged
                else f"The store as it was is backed up as {done.previous.name}" if done.previous else "")
        self.w.statusBar().showMessage(f"Restored {done.source.name}. {kept}", 15000)
        self.last_restored = done
        self.w.open_store_async()

    # --- saves that could not be made now ---------------------------------------------------
    def save_refused(self, label: str, exc, retry: Callable[[], None], use_mine: Callable[[int], None] | None,
                     figure_ids: list[int] | None = None) -> None:
        from store.errors import StaleEdit, StoreBusy

        if isinstance(exc, StoreBusy):
            ask(self.w, QMessageBox.Icon.Warning, f"{label}: not saved yet.", str(exc),
                [("Retry", QMessageBox.ButtonRole.AcceptRole, retry),
                 ("Discard My Change", QMessageBox.ButtonRole.DestructiveRole, None)])
        elif isinstance(exc, StaleEdit) and use_mine is not None:
            version = exc.current_version
            ask(self.w, QMessageBox.Icon.Warning, f"{label}: someone else changed it first.", str(exc),
                [("Save Mine Over Theirs", QMessageBox.ButtonRole.AcceptRole, lambda: use_mine(version)),
                 ("Keep Theirs", QMessageBox.ButtonRole.RejectRole, lambda: self.show_theirs(figure_ids or []))])
        else:
            self.w.show_error(f"{label}: not saved.", str(exc))

    def show_theirs(self, figure_ids: list[int]) -> None:
        """Re-read figures another curator changed, so the views show their version."""
        if self.w.store is None:
            return
        with self.w.store.read() as session:
            self.w.linker.columns.refresh(session, figure_ids)
        self.w.linker.data_changed(None, [])

    def reload(self) -> None:
        """Read the whole store again (to see what other curators saved)."""
        if self.w.store is not None:
            self.w.open_store_async()
