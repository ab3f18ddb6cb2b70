"""Process-wide settings both front ends (the command line and the GUI) make at start."""

from __future__ import annotations

import signal


def ignore_file_size_signal() -> None:
    """Past a file-size limit (ulimit -f), Unix kills the process with SIGXFSZ mid-write. Ignored, the
    write fails with EFBIG instead, and the store and exporters report it and roll back as for a full disk."""
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
