"""The app keeps no source lines of the modules it imports, and PySide6 still tells its modules apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, linecache, sys
sys.path.insert(0, sys.argv[1])
from gui.app import make_application
make_application()
import uses_qt, plain  # imported after the application, as the store's libraries are
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({"kept": sorted(name for name in linecache.cache if name.startswith(sys.argv[1])),
                  "marks": [feature.pyside_feature_dict.get("uses_qt"), feature.pyside_feature_dict.get("plain")]}))
"""


def test_modules_imported_after_the_application_leave_no_source_lines(tmp_path):
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\n" + "x = 1\n" * 500, encoding="utf-8")
    (tmp_path / "plain.py").write_text("y = 2\n" * 500, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["kept"] == []
    # PySide6's own check is unchanged: the module that names PySide6 is one of its modules (0), the other is not (-1).
    assert found["marks"] == [0, -1]
