"""A slow job off the UI thread behind a window-modal progress dialog with Cancel.

Shared by import and export: the dialog appears only if the job takes a while,
Cancel sets the job's stop flag (the store checks it between batches), and the
dialog is gone before the result or the error is shown.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog

from gui.workers import run_cancellable


class ProgressJob(QObject):
    def __init__(self, parent, label: str, maximum: int = 0, delay_ms: int = 300) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog(label, "Cancel", 0, maximum, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(delay_ms)  # a quick job never flashes a dialog
        # The dialog closes in _close, not by itself at 100 %: _close must know whether it was shown.
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self._stop = None
        self._reporting = False  # inside the dialog's setValue

    def start(self, work: Callable, on_done: Callable[[object], None], on_failed: Callable[[str], None]) -> None:
        """work(progress, cancelled) runs on a worker thread; the callbacks run on the UI thread."""
        def done(result) -> None:
            self._close()
            on_done(result)

        def failed(message: str) -> None:
            self._close()
            on_failed(message)

        _task, self._stop = run_cancellable(work, done, failed, self._progressed)
        self.dialog.canceled.connect(self._stop.set)

    def _progressed(self, done: int, total: int) -> None:
        # A window-modal QProgressDialog runs the event loop inside setValue, which can deliver the next
        # report (skipped: a newer one follows) or the end of the job, which closes the dialog; it is
        # deleted only after setValue has returned (deleted inside it, it crashed the app).
        dialog = self.dialog
        if dialog is None or self._reporting:
            return
        self._reporting = True
        try:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
        finally:
            self._reporting = False
        if self.dialog is None:
            dialog.deleteLater()

    def _close(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            shown = dialog.isVisible()
            dialog.reset()
            dialog.hide()  # without auto-close, reset() leaves it up (and active) until deleted
            if not self._reporting:  # else _progressed deletes it once its setValue has returned
                dialog.deleteLater()
            window = self.parent()
            if shown and window is not None and not window.isActiveWindow():
                # Not every window manager (nor the offscreen platform) gives the window back its focus
                # when the dialog closes, and its shortcuts (Ctrl+Z after an import) need it.
                window.activateWindow()
