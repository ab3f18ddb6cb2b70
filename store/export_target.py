"""Where an export is written: the target checked first, a temporary name beside it, then one rename.

Part of store.export (see there): a failure, a full disk or a cancel leaves an existing
file or data package folder exactly as it was.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from store.errors import StoreError
from store.export_formats import DATAPACKAGE_FILES


# --- Writing atomically -------------------------------------------------------------------------


def _check_target(target: Path, as_folder: bool) -> None:
    """Refuse, before any work, a target that could never be replaced (or must not be)."""
    if not target.parent.is_dir():
        raise StoreError(f"cannot write {target}: the folder {target.parent} does not exist")
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


def _temporary(target: Path, as_folder: bool) -> Path:
    """A new hidden name beside the target (the same file system, so os.replace is atomic)."""
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            if as_folder:
                os.mkdir(temp, 0o777)  # the umask applies, as for any folder the user creates
            else:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return temp
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
    raise StoreError(f"cannot write {target}: no free temporary name beside it")


def _sync(temp: Path) -> None:
    """Flush to disk before the rename, so a crash never leaves a renamed but empty export."""
    for path in ([p for p in temp.iterdir() if p.is_file()] if temp.is_dir() else [temp]):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _move_into_place(temp: Path, target: Path, as_folder: bool) -> None:
    if not (as_folder and target.exists()):
        os.replace(temp, target)
        return
    # A folder cannot be replaced in one step: move the old one aside, the new one in, then delete the old.
    old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    os.replace(target, old)
    try:
        os.replace(temp, target)
    except OSError:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove(temp: Path) -> None:
    try:
        if temp.is_dir():
            shutil.rmtree(temp)
        else:
            temp.unlink(missing_ok=True)
    except OSError:
        pass  # best effort: the error being reported matters more than a leftover .part
