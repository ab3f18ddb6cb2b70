"""What an export may replace, and what a killed export leaves: real FIFOs, device nodes, modes and signals.

An export is written under a short temporary name beside its target and renamed into place
(store.export_target, store.scratch). Here: a FIFO or a device at the target is refused and left
as it is; a replaced file keeps its mode and group; a 250-character name can be written; and a real
`python -m store export` process stopped by SIGTERM, SIGHUP or SIGKILL in the middle of its writing
leaves the previous export intact, and nothing behind once the next export has run.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.seed_counts import SEED_FIGURES
from store.errors import StoreError
from store.export import ExportOptions, export_figures
from tests.conftest import ROOT
from tests.stopped import stop_when_paused

PREVIOUS = b"the previous export\r\n"


def _cli(*args, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", "export", *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def _hidden(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


# --- Only a regular file is replaced ---------------------------------------------------------------


def _device(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), made in the test's own folder."""
    if not hasattr(os, "mknod") or os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "link to a fifo"])
def test_a_fifo_or_a_device_is_refused_and_left_as_it_was(seeded_store, seeded_path, tmp_path, kind):
    target = tmp_path / "figures.csv"
    if kind == "device":
        _device(target)
    else:
        fifo = tmp_path / "pipe" if kind == "link to a fifo" else target
        os.mkfifo(fifo)
        if fifo != target:
            target.symlink_to(fifo)
    before = os.stat(target)
    what = "character device" if kind == "device" else "FIFO"
    for fmt in ("csv", "xlsx", "parquet"):
        with pytest.raises(StoreError, match=f"it is a {what}.*, not a regular file"):
            export_figures(seeded_store, target, ExportOptions(fmt))
    result = _cli("--format", "csv", "--out", target, db=seeded_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not a regular file" in result.stderr
    after = os.stat(target)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)
    assert _hidden(tmp_path) == []


# --- A replaced file keeps its mode and group; any legal name can be written -----------------------------


def test_a_replaced_file_keeps_its_mode_and_group(seeded_store, tmp_path):
    private, shared = tmp_path / "private.csv", tmp_path / "shared.csv"
    for path, mode in ((private, 0o600), (shared, 0o664)):
        path.write_bytes(PREVIOUS)
        path.chmod(mode)
    group = next((g for g in (100, 1, 2) if g != os.getgid()), None)
    if os.geteuid() == 0 and group is not None:
        os.chown(shared, -1, group)  # as a curator's shared file would belong to the team's group
    before = {path: os.stat(path) for path in (private, shared)}
    for path in (private, shared):
        export_figures(seeded_store, path, ExportOptions("csv"))
        after = os.stat(path)
        assert path.read_bytes() != PREVIOUS and after.st_ino != before[path].st_ino  # really replaced
        assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before[path].st_mode)
        assert after.st_gid == before[path].st_gid
    new = tmp_path / "new.csv"
    export_figures(seeded_store, new, ExportOptions("csv"))  # a new file: the umask decides, as for any file
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "datapackage"])
def test_a_250_character_name_is_written(seeded_store, seeded_path, tmp_path, fmt):
    suffix = ".zip" if fmt == "datapackage" else f".{fmt}"
    target = tmp_path / ("f" * (250 - len(suffix)) + suffix)
    report = export_figures(seeded_store, target, ExportOptions(fmt))
    assert report.rows == SEED_FIGURES and target.stat().st_size > 0 and len(target.name) == 250
    result = _cli("--format", fmt, "--out", target, db=seeded_path)
    assert result.returncode == 0, result.stderr
    assert _hidden(tmp_path) == []


# --- Killed in the middle ----------------------------------------------------------------------------

# The real command line, stopped in the middle of writing (tests/paused_export.py).
_PAUSED_EXPORT = textwrap.dedent("""
    import sys
    from tests.paused_export import pause_exports

    pause_exports()
    from store.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def _killed_export(db: Path, target: Path, fmt: str, signum: int, tmp: Path) -> int:
    return stop_when_paused(_PAUSED_EXPORT, ["export", "--format", fmt, "--out", target, "--db", db], "mid-export",
                            signum, env={**os.environ, "TMPDIR": str(tmp)})


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "datapackage"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=["TERM", "HUP", "KILL"])
def test_a_killed_export_leaves_the_previous_one_and_nothing_after_the_next_run(seeded_path, tmp_path, fmt, signum):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    target = out / ("figures.zip" if fmt == "datapackage" else f"figures.{fmt}")
    target.write_bytes(PREVIOUS)
    other = out / ".figures.csv.notes"  # someone else's hidden file in the same folder is never touched
    other.write_text("mine")

    code = _killed_export(seeded_path, target, fmt, signum, tmp)
    assert target.read_bytes() == PREVIOUS and os.listdir(tmp) == []  # nothing ever written to /tmp
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
        assert len(_hidden(out)) > 1  # what the kill left: the half export (and XLSX's scratch folder)
    else:
        assert code == 128 + signum  # stopped, cleaned up, and said so in its exit status
        assert _hidden(out) == [other.name]

    result = _cli("--format", fmt, "--out", target, db=seeded_path)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() != PREVIOUS and target.stat().st_size > 0
    assert _hidden(out) == [other.name] and other.read_text() == "mine"
    assert os.listdir(tmp) == []


def test_a_live_exports_temporary_file_is_not_cleared(seeded_path, tmp_path):
    """Two exports into one folder at once: the second never takes the first's file for a dead one's."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    target = out / "figures.csv"
    process = subprocess.Popen([sys.executable, "-c", _PAUSED_EXPORT, "export", "--format", "csv", "--out",
                                str(target), "--db", str(seeded_path)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "mid-export\n", process.stderr.read()
        [first] = _hidden(out)
        result = _cli("--format", "csv", "--out", out / "other.csv", db=seeded_path)
        assert result.returncode == 0, result.stderr
        assert _hidden(out) == [first]  # still there: its process is alive
    finally:
        process.kill()
        process.wait()
