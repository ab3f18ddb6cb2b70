"""Files from the desktop (`cluster-explorer PATH...`) and the launcher that installs itself."""

from __future__ import annotations

import configparser
import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from gui.__main__ import build_parser
from gui.app import import_when_open
from gui.launcher import exec_argument
from gui.resources import ICON_PATH
from tests.gui.test_import import ARTICLE

ROOT = Path(__file__).resolve().parents[2]


def _documents(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT file_name FROM documents ORDER BY id")]


def _start_with(qtbot, make_window, paths):
    """What `cluster-explorer PATH...` does: the window opens, the store loads, then the files import."""
    args = build_parser().parse_args([str(p) for p in paths])
    window = make_window(load=False)
    import_when_open(window, args.paths)
    window.open_store_async()
    qtbot.waitUntil(lambda: window.importer.last_results is not None, timeout=30000)
    return window


def test_a_file_given_on_the_command_line_is_imported_once_the_store_opens(qtbot, make_window, seeded_path, tmp_path):
    path = tmp_path / "zhuhai report.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    window = _start_with(qtbot, make_window, [path])
    [result] = window.importer.last_results
    assert result.document_id is not None and result.candidates >= 3
    assert "Imported 1 document with" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.document_view.current_document_id() == result.document_id)
    window.store.close()
    assert _documents(seeded_path)[-1] == "zhuhai report.txt"


def test_a_missing_file_and_a_binary_one_are_a_message_and_nothing_is_stored(qtbot, make_window, seeded_path, tmp_path):
    before = _documents(seeded_path)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    window = _start_with(qtbot, make_window, [tmp_path / "gone.txt", binary])
    text, detail = window.last_error
    assert text == "Nothing was imported."
    assert "gone.txt" in detail and "photo.txt: it is a PNG image" in detail
    assert any(isinstance(w, QMessageBox) and w.isVisible() and w.text() == text for w in QApplication.topLevelWidgets())
    window.store.close()
    assert _documents(seeded_path) == before


def test_the_command_line_imports_before_a_screenshot_and_says_what_it_refused(tmp_path, seeded_path):
    """The real process: `cluster-explorer --screenshot PNG GOOD MISSING` imports GOOD, reports MISSING
    on stderr, still paints, and exits 1 because a file was not imported."""
    good = tmp_path / "good.md"
    good.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "gui", "--db", str(seeded_path), "--screenshot", str(out),
                             str(good), str(tmp_path / "missing.txt")], capture_output=True, text=True, timeout=180)
    assert result.returncode == 1, result.stderr
    assert "imported good.md:" in result.stdout
    assert "not imported: missing.txt: cannot read" in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _documents(seeded_path)[-1] == "good.md"


def _clean_env(tmp_path) -> dict:
    """No display at all: the launcher options must not need Qt."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(XDG_DATA_HOME=str(tmp_path / "xdg data"), HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    return env


def _launcher(tmp_path, option: str) -> subprocess.CompletedProcess:
    code = ("import sys; from gui.__main__ import main; code = main([sys.argv[1]]); "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'; sys.exit(code)")
    return subprocess.run([sys.executable, "-c", code, option], capture_output=True, text=True, timeout=60,
                          env=_clean_env(tmp_path), cwd=tmp_path)


def split_exec(value: str) -> list[str]:
    """An Exec value (as read from the file) as argv, by the desktop entry spec: the string escape
    first, then arguments split on spaces outside double quotes, where a backslash escapes one of
    `"`, backquote, `$` and backslash; `%%` is a literal `%`. For plain arguments it is shlex.split."""
    value = value.replace("\\\\", "\\")
    args, current, quoted, i = [], None, False, 0
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and value[i + 1:i + 2] in ('"', "`", "$", "\\"):
            current, i = current + value[i + 1], i + 2
            continue
        if c == '"':
            quoted, current = not quoted, current or ""
        elif c == " " and not quoted:
            if current is not None:
                args.append(current)
            current = None
        else:
            current = (current or "") + c
        i += 1
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def exec_command(entry: Path) -> list[str]:
    """The entry's Exec as argv, as a desktop would run it with no files (%F dropped)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(entry, encoding="utf-8")
    exec_line = parser["Desktop Entry"]["Exec"]
    assert exec_line.endswith(" %F")
    command = split_exec(exec_line[: -len(" %F")])
    if '"' not in exec_line and "\\" not in exec_line:
        assert command == shlex.split(exec_line[: -len(" %F")])
    return command


def test_install_launcher_writes_the_entry_and_icon_and_its_exec_starts_the_app(tmp_path, seeded_path):
    result = _launcher(tmp_path, "--install-launcher")
    assert result.returncode == 0, result.stderr
    data = tmp_path / "xdg data"
    entry = data / "applications" / "cluster-explorer.desktop"
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "cluster-explorer.svg"
    assert f"wrote {entry} and {icon}" in result.stdout
    assert icon.read_bytes() == ICON_PATH.read_bytes()
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(entry, encoding="utf-8")
    desktop = parser["Desktop Entry"]
    assert desktop["MimeType"] == "text/plain;text/markdown;text/html;text/csv;"
    assert desktop["Icon"] == str(icon) and desktop["Terminal"] == "false"
    command = exec_command(entry)
    assert Path(command[0]).is_absolute() and Path(command[0]).is_file()

    # The written Exec starts the app: it paints the window offscreen and exits.
    env = _clean_env(tmp_path)
    env.update(QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH")
    shot = tmp_path / "shot.png"
    started = subprocess.run([*command, "--db", str(seeded_path), "--screenshot", str(shot)], capture_output=True,
                             text=True, timeout=180, env=env, cwd=desktop.get("Path", str(tmp_path)))
    assert started.returncode == 0, started.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    removed = _launcher(tmp_path, "--uninstall-launcher")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == f"removed {entry} and {icon}"
    assert not entry.exists() and not icon.exists()
    again = _launcher(tmp_path, "--uninstall-launcher")
    assert again.returncode == 0 and again.stdout.startswith("nothing to remove")


def test_a_launcher_that_cannot_be_written_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "xdg data").write_text("a file where the folder should be")
    result = _launcher(tmp_path, "--install-launcher")
    assert result.returncode == 1
    assert result.stderr.startswith("cluster-explorer: error: cannot write the launcher") and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_help_menu_adds_the_launcher_and_says_what_it_wrote(qtbot, window, tmp_path):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if a.text() == "Add to Applications &Menu")
    action.trigger()
    entry = tmp_path / "xdg-data" / "applications" / "cluster-explorer.desktop"  # conftest's XDG_DATA_HOME
    assert entry.is_file()
    assert f"Wrote {entry}" in window.last_launcher_message
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert box.text() == "Cluster Explorer is now in your applications menu."
    box.close()


def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says():
    for arg in ("/opt/apps/cluster-explorer", "/home/a b/My Apps/cluster-explorer", 'odd"$`name', "100%"):
        assert split_exec(exec_argument(arg)) == [arg]
        assert split_exec(f"{exec_argument(arg)} --version") == [arg, "--version"]
    assert exec_argument("/plain/path") == "/plain/path"
    assert exec_argument("/a b") == '"/a b"'
