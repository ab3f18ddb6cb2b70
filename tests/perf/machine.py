"""The machine description printed at the top of a benchmark run (for the README to quote)."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def _version(module: str) -> str:
    try:
        imported = __import__(module)
        return getattr(imported, "__version__", "?")
    except Exception as exc:  # noqa: BLE001 - a description, never a failure
        return f"not importable ({type(exc).__name__})"


def _qt() -> str:
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        return f"Qt {qVersion()} (PySide6 {PySide6.__version__})"
    except Exception as exc:  # noqa: BLE001
        return f"Qt not importable ({type(exc).__name__}: {exc})"


def describe(env: dict[str, str]) -> list[str]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return [
        f"CPU:      {_cpu_model()}",
        f"Cores:    {os.cpu_count()} logical, {usable} usable by this process",
        f"RAM:      {_ram_gib()}",
        f"OS:       {platform.platform()}",
        f"Python:   {sys.version.split()[0]} ({platform.python_implementation()}) at {sys.executable}",
        f"Qt:       {_qt()}, platform {env.get('QT_QPA_PLATFORM') or 'default (display)'}",
        f"Packages: pyqtgraph {_version('pyqtgraph')}, numpy {_version('numpy')}, "
        f"SQLAlchemy {_version('sqlalchemy')}, pandas {_version('pandas')}, SQLite {sqlite3.sqlite_version}",
    ]
