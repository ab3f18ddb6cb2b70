"""The shortcuts under a real X server (Xvfb + openbox), keys pressed through it by xdotool:
the offscreen platform maps standard keys differently, so only this proves Redo works on Linux."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


@pytest.fixture
def x_display(tmp_path):
    """A private Xvfb server (it picks a free display itself) with openbox managing its windows."""
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (bash .ci/system-deps installs them)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              pass_fds=[write_end], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    number = b""
    while not number.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], START_TIMEOUT)
        chunk = os.read(read_end, 16) if ready else b""
        if not chunk:
            break
        number += chunk
    os.close(read_end)
    if not number.strip().isdigit():
        server.kill()
        server.wait()
        pytest.skip("Xvfb could not be started")
    display = f":{number.strip().decode()}"
    manager = subprocess.Popen(["openbox", "--sm-disable"], env={**os.environ, "DISPLAY": display},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield display
    finally:
        for process in (manager, server):
            process.terminate()
            try:
                process.wait(timeout=START_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_undo_and_redo_keys_work_under_x11(x_display, seeded_path, settings_path):
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "gui" / "x11_keys.py"), str(seeded_path), settings_path],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[0] == "platform xcb"
    assert lines[1] == "duplicates {}"
    assert lines[2:] == ["start verified", "ctrl+3 rejected", "ctrl+z verified", "ctrl+shift+z rejected",
                         "ctrl+z verified", "ctrl+y rejected"], result.stdout + result.stderr
    assert "Ambiguous shortcut" not in result.stderr
