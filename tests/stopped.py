"""A real process stopped by a real signal at a known point of its work (no timing involved)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def stop_when_paused(script: str, args: list, marker: str, signum: int, env: dict | None = None) -> int:
    """Run `python -c script *args`, wait for the line `marker` (the script prints it and waits for a
    signal at the point to test), send `signum`, and return the exit status."""
    process = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == f"{marker}\n", process.stderr.read()
        process.send_signal(signum)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode
