"""Stdlib-only helpers shared by the benchmark's parent and its child probes."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: children run with this as their cwd


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank (of 20 values, the 19th smallest; of 10, the largest)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def error_text(exc: BaseException) -> str:
    """One line: the exception and where in the project it was raised."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/tests/perf/" not in f.filename]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}".replace("\n", " ")[:400]


def child_env() -> dict[str, str]:
    """The environment of every child: offscreen Qt when there is no display, settings kept out of $HOME."""
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = Path(tempfile.gettempdir()) / "cluster-explorer-perf" / "xdg-config"
    scratch.mkdir(parents=True, exist_ok=True)
    env["XDG_CONFIG_HOME"] = str(scratch)  # QSettings() anywhere in the app never touches the user's
    env.pop("CLUSTER_EXPLORER_DB", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if line.strip() and "propagateSizeHints" not in line]
    return " | ".join(kept[-lines:])[:600]


def last_json(lines: list[str]) -> dict | None:
    """The last line that is a JSON object (the app may print other things)."""
    for line in reversed(lines):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


class Watchdog:
    """Kill a child process (by its own pid) if it outlives `seconds`."""

    def __init__(self, process, seconds: float) -> None:
        self.fired = False
        self._timer = threading.Timer(seconds, self._kill, args=(process,))
        self._timer.daemon = True
        self._timer.start()

    def _kill(self, process) -> None:
        if process.poll() is None:
            self.fired = True
            process.kill()

    def cancel(self) -> None:
        self._timer.cancel()


@dataclass
class ChildRun:
    returncode: int | None
    killed: bool  # by the watchdog, after its time limit
    stderr_tail: str


def run_child(command: list[str], env: dict, seconds: float, on_line, cwd) -> ChildRun:
    """Run a probe process, hand each stdout line to on_line, never leave it running; stderr is kept
    in a temporary file (a pipe could fill and stall the child) and its last lines are returned."""
    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    with log_path.open("wb") as errors:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        watchdog = Watchdog(process, seconds)
        try:
            for line in iter(process.stdout.readline, ""):
                on_line(line)
            process.wait()
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
    problem = tail(log_path)
    log_path.unlink(missing_ok=True)
    return ChildRun(process.returncode, watchdog.fired, problem)


def say(text: str) -> None:
    """Progress, to stdout (the JSON line is printed last, after all progress)."""
    print(text, flush=True)


def now() -> float:
    return time.perf_counter()


def python() -> str:
    return sys.executable


def byte_compile_project() -> bool:
    """Byte-compile the app's own modules, as an installed app has them from its first start on.

    pip byte-compiles what it installs (Qt, pyqtgraph: all the floor window imports), but the
    project's own modules are compiled on first import, and never kept where PYTHONDONTWRITEBYTECODE
    is set (as on this machine): each start-up probe would then compile gui/ and store/ from source
    (about 65 ms) and compare that with a floor that compiles nothing."""
    import compileall

    return all(compileall.compile_dir(ROOT / name, quiet=1) for name in ("gui", "store", "tests"))
