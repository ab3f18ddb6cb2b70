"""Process-wide settings both front ends (the command line and the GUI) make at start."""

from __future__ import annotations

import signal


def ignore_file_size_signal() -> None:
    """Past a file-size limit (ulimit -f), Unix kills the process with SIGXFSZ mid-write. Ignored, the
    write fails with EFBIG instead, and the store and exporters report it and roll back as for a full disk."""
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def exit_on_termination() -> None:
    """SIGTERM and SIGHUP (a closed terminal, `kill`, a logout) end the process through SystemExit rather
    than on the spot, so every `finally` and rollback runs: an export or backup in progress removes its
    temporary file, a transaction rolls back, and the exit status is 128 + the signal, as for a shell."""
    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
