"""Where an export is written: the target checked first, a temporary name beside it, then one rename.

Part of store.export.figures (see there): a failure, a full disk, a cancel, SIGTERM or SIGHUP leaves an existing
file or data package folder exactly as it was. Only a regular file (or, for a data package, a folder
of one) is ever replaced: a FIFO, a device or a socket is refused, since os.replace would put a
regular file in its place. A replaced file keeps its permission bits and group. The temporary name
is short whatever the target's (store.opening.scratch), and a killed export's leftover is cleared by the next
export into the same folder.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from store.errors import StoreError
from store.export.formats import DATAPACKAGE_FILES
from store.opening import scratch

SCRATCH_KINDS = ("export", "scratch")  # the temporary export, and a writer's own scratch folder (XLSX)


# --- Writing atomically -------------------------------------------------------------------------


def check_target(target: Path, as_folder: bool) -> None:
    """Refuse, before any work, a target that could never be replaced (or must not be)."""
    if not target.parent.is_dir():
        raise StoreError(f"cannot write {target}: the folder {target.parent} does not exist")
    refuse_special(target)
    if not as_folder:
        if target.is_dir():
            raise StoreError(f"cannot write {target}: it is a folder")
        return
    if target.exists() and not target.is_dir():
        raise StoreError(f"cannot write {target}: it is a file; a data package is a folder, or a name ending in .zip")
    if target.is_dir():
        # Replacing a folder deletes the old one: only ever an earlier data package (or an empty folder).
        others = sorted(set(os.listdir(target)) - set(DATAPACKAGE_FILES))
        if others:
            raise StoreError(f"cannot write {target}: the folder holds other files ({others[0]} ...); "
                             f"choose a new or empty folder")


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def refuse_special(target: Path) -> None:
    """Only a regular file or a folder is replaced: renaming over a FIFO or a device would destroy it."""
    try:
        mode = os.stat(target).st_mode  # through a symbolic link: a link to /dev/null is /dev/null
    except OSError:
        return
    for test, what in _SPECIAL:
        if test(mode):
            raise StoreError(f"cannot write {target}: it is {what}, not a regular file; choose a file name")


def temporary_path(target: Path, as_folder: bool) -> Path:
    """A new hidden name beside the target (the same file system, so os.replace is atomic); first, what
    killed exports left there is cleared (store.opening.scratch)."""
    scratch.remove_stale(target.parent, *SCRATCH_KINDS)
    try:
        return scratch.create(target.parent, "export", directory=as_folder)
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc


def sync_to_disk(temp: Path) -> None:
    """Flush to disk before the rename, so a crash never leaves a renamed but empty export."""
    for path in ([p for p in temp.iterdir() if p.is_file()] if temp.is_dir() else [temp]):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def move_into_place(temp: Path, target: Path, as_folder: bool) -> None:
    refuse_special(target)  # again: the export may have taken minutes
    try:
        previous = os.stat(target)
    except OSError:
        previous = None
    if previous is not None:
        scratch.keep_mode(previous, temp)  # a 0600 file stays 0600; a shared one stays shared
    if not (as_folder and target.exists()):
        os.replace(temp, target)
        return
    # A folder cannot be replaced in one step: move the old one aside, the new one in, then delete the old.
    # (A SIGKILL between the two renames leaves the old package as a hidden .ce-old-* folder: kept, not cleared.)
    old = scratch.name(target.parent, "old")
    os.replace(target, old)
    try:
        os.replace(temp, target)
    except OSError:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_temporary(temp: Path) -> None:
    try:
        if temp.is_dir():
            shutil.rmtree(temp)
        else:
            temp.unlink(missing_ok=True)
    except OSError:
        pass  # best effort: the error being reported matters more than a leftover .part
