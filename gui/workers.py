"""Run slow store work off the UI thread; results come back as queued signals.

Worker functions get no widgets: they take plain arguments and return plain
objects. The signal carrier is created on the UI thread, so its queued
signals are delivered there.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from store.errors import StoreError


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.carrier = _Carrier()

    def run(self) -> None:
        try:
            result = self.fn()
        except StoreError as exc:
            self.carrier.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown to the user as one message
            self.carrier.failed.emit(f"Unexpected error: {type(exc).__name__}: {exc}")
        else:
            self.carrier.done.emit(result)


_running: set[Task] = set()


def run_task(fn: Callable[[], object], on_done: Callable[[object], None], on_failed: Callable[[str], None]) -> Task:
    task = Task(fn)
    queued = Qt.ConnectionType.QueuedConnection
    task.carrier.done.connect(on_done, queued)
    task.carrier.failed.connect(on_failed, queued)
    task.carrier.done.connect(lambda *_: _running.discard(task), queued)
    task.carrier.failed.connect(lambda *_: _running.discard(task), queued)
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task
