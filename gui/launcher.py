"""A launcher that installs itself: the desktop entry and icon in the user's XDG folders.

`cluster-explorer --install-launcher` (and Help › Add to Applications Menu) writes
`applications/cluster-explorer.desktop`, whose Exec is this very program by its absolute path
(the bundle's executable, or the virtual environment's `cluster-explorer` script), and
`icons/hicolor/scalable/apps/cluster-explorer.svg`, under $XDG_DATA_HOME (default
~/.local/share). `--uninstall-launcher` removes both. No Qt: both work with no display.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gui.resources import DESKTOP_ENTRY_PATH, ICON_PATH
from store.opening.paths import APP_ROOT, is_frozen

APP_ID = "cluster-explorer"
# Characters the desktop entry spec reserves in an Exec argument: such an argument is quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class LauncherError(Exception):
    """The launcher cannot be installed here; the message says why."""


def data_home() -> Path:
    """$XDG_DATA_HOME if it is an absolute path (the spec ignores anything else), else ~/.local/share."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def entry_path() -> Path:
    return data_home() / "applications" / f"{APP_ID}.desktop"


def icon_path() -> Path:
    return data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def app_command() -> tuple[list[str], Path | None]:
    """The command that starts this app, absolute, and the folder to start it in (if it needs one)."""
    if is_frozen():
        return [str(Path(sys.executable).resolve())], None
    script = Path(sys.executable).parent / APP_ID  # the venv's (or user install's) launcher script
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())], None
    # A checkout run without the script: this Python, with the checkout as the working folder.
    return [str(Path(sys.executable).absolute()), "-m", "gui"], APP_ROOT


def exec_argument(arg: str) -> str:
    """One Exec argument as the desktop entry spec wants it: quoted if it has a reserved character,
    with `"`, backquote, `$` and backslash escaped inside the quotes, `%` doubled, and the string
    escape for backslash applied on top."""
    arg = arg.replace("%", "%%")
    if _RESERVED & set(arg):
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg.replace("\\", "\\\\")


def desktop_entry() -> str:
    """The shipped entry, with Exec (and TryExec) naming this program and Icon the installed icon."""
    command, folder = app_command()
    lines = []
    for line in DESKTOP_ENTRY_PATH.read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0].strip()
        if key in ("Exec", "TryExec", "Path", "Icon"):
            if key == "Exec":
                lines.append("Exec=" + " ".join(exec_argument(a) for a in command) + " %F")
                lines.append("TryExec=" + command[0].replace("\\", "\\\\"))
                if folder is not None:
                    lines.append(f"Path={folder}")
            elif key == "Icon":
                lines.append(f"Icon={icon_path()}")
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.chmod(mode)
    os.replace(part, path)


def _refresh_menus(applications: Path) -> None:
    """Let the desktop see the new entry and its MIME types now (where the tool is installed)."""
    tool = shutil.which("update-desktop-database")
    if tool:
        subprocess.run([tool, "-q", str(applications)], check=False, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _check_platform() -> None:
    if sys.platform.startswith(("win", "darwin")):
        raise LauncherError("the launcher is for Linux desktops (XDG); on Windows make a shortcut to "
                            "cluster-explorer.exe, on macOS drag the app to Applications")


def install() -> list[Path]:
    """Write the entry and the icon; return the files written."""
    _check_platform()
    entry, icon = entry_path(), icon_path()
    try:
        _write(icon, ICON_PATH.read_bytes(), 0o644)
        _write(entry, desktop_entry().encode("utf-8"), 0o755)  # executable: some desktops trust only those
    except OSError as exc:
        raise LauncherError(f"cannot write the launcher: {exc}") from exc
    _refresh_menus(entry.parent)
    return [entry, icon]


def uninstall() -> list[Path]:
    """Remove the entry and the icon; return the files removed (none if there were none)."""
    _check_platform()
    removed = []
    for path in (entry_path(), icon_path()):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise LauncherError(f"cannot remove {path}: {exc}") from exc
        removed.append(path)
    if removed:
        _refresh_menus(entry_path().parent)
    return removed


def install_report(written: list[Path]) -> str:
    return "wrote " + " and ".join(str(p) for p in written) + "; Cluster Explorer is in the applications menu"


def uninstall_report(removed: list[Path]) -> str:
    if not removed:
        return f"nothing to remove: no launcher at {entry_path()}"
    return "removed " + " and ".join(str(p) for p in removed)


def main(install_it: bool) -> int:
    """The command-line options: print what was done, or one line on stderr and exit 1."""
    try:
        print(install_report(install()) if install_it else uninstall_report(uninstall()))
    except LauncherError as exc:
        print(f"cluster-explorer: error: {exc}", file=sys.stderr)
        return 1
    return 0


def add_to_menu(window) -> None:
    """Help › Add to Applications Menu: install, and say what was written (or why not)."""
    try:
        written = install()
    except LauncherError as exc:
        window.show_error("The launcher was not installed.", str(exc))
        return
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, "Add to Applications Menu",
                      "Cluster Explorer is now in your applications menu.", parent=window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("\n".join(f"Wrote {p}" for p in written)
                           + "\n\nTo remove it: cluster-explorer --uninstall-launcher")
    box.open()
    window.last_launcher_message = box.informativeText()
