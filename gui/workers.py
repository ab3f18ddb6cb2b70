"""Run slow store work off the UI thread; results come back as queued signals.

Worker functions get no widgets: they take plain arguments and return plain
objects. The signal carrier is created on the UI thread, so its queued
signals are delivered there.
"""

from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from store.errors import StoreError


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)  # (done, total)


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
_stops: set[threading.Event] = set()  # the cancel switches of the cancellable work running now


def cancel_all() -> None:
    """Ask every cancellable task to stop (the app is ending): an export removes its temporary file."""
    for stop in list(_stops):
        stop.set()


def run_task(fn: Callable[[], object], on_done: Callable[[object], None], on_failed: Callable[[str], None],
             start: bool = True) -> Task:
    task = Task(fn)
    queued = Qt.ConnectionType.QueuedConnection
    task.carrier.done.connect(on_done, queued)
    task.carrier.failed.connect(on_failed, queued)
    task.carrier.done.connect(lambda *_: _running.discard(task), queued)
    task.carrier.failed.connect(lambda *_: _running.discard(task), queued)
    _running.add(task)
    if start:
        QThreadPool.globalInstance().start(task)
    return task


def run_cancellable(fn: Callable[[Callable[[int, int], None], Callable[[], bool]], object],
                    on_done: Callable[[object], None], on_failed: Callable[[str], None],
                    on_progress: Callable[[int, int], None]) -> tuple[Task, threading.Event]:
    """Run fn(progress, cancelled) off the UI thread; progress arrives queued; set the event to cancel."""
    stop = threading.Event()
    holder: dict[str, Task] = {}
    task = run_task(lambda: fn(lambda done, total: holder["task"].carrier.progress.emit(done, total), stop.is_set),
                    on_done, on_failed, start=False)
    holder["task"] = task
    _stops.add(stop)
    task.carrier.done.connect(lambda *_: _stops.discard(stop), Qt.ConnectionType.QueuedConnection)
    task.carrier.failed.connect(lambda *_: _stops.discard(stop), Qt.ConnectionType.QueuedConnection)
    task.carrier.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(task)
    return task, stop
