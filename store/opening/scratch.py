"""Temporary files and folders beside what they become, named so that a later run can clear a dead one's.

Exports, backups and restores write under a hidden temporary name in the target's own folder (the same
file system, so os.replace is atomic, and never /tmp, which may be small or another disk) and rename it
into place. SIGTERM and SIGHUP are turned into an exception (store.opening.process), so the writer's cleanup
runs; SIGKILL cannot be caught, so the name itself proves whose a leftover is:

    .ce-<kind>-<host>-<pid>-<random>.part

`host` is a short hash of this machine's name and `pid` the writing process. The next run that writes
into the same folder removes leftovers of its kinds made on this machine by a process that is no longer
alive. A live pid, another machine's file on a shared folder, or any other name is never touched. The
name is at most about 50 characters whatever the target is called, so a target name of 255 characters
(NAME_MAX) can still be written.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
from pathlib import Path

# SQLite's own files beside a temporary database (a backup's copy) go with it.
_NAME = re.compile(r"\.ce-(?P<kind>[a-z]+)-(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]+)-[0-9a-f]{8}\.part"
                   r"(?:-journal|-wal|-shm)?")


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]


def name(folder: Path, kind: str) -> Path:
    """A temporary name of this process in `folder` (not created: see `create`)."""
    return folder / f".ce-{kind}-{_host()}-{os.getpid()}-{secrets.token_hex(4)}.part"


def create(folder: Path, kind: str, *, directory: bool = False) -> Path:
    """A new, empty file (or folder) of this process in `folder`; the umask applies as for any new file."""
    for _ in range(100):
        path = name(folder, kind)
        try:
            if directory:
                os.mkdir(path, 0o777)
            else:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _alive(pid: int) -> bool:
    if os.name == "nt" or pid == os.getpid():  # Windows' os.kill would end the process: never probe there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's live process (EPERM), or anything unclear: keep its file
        return True
    return True


def remove_stale(folder: Path, *kinds: str) -> list[Path]:
    """Remove what dead processes of this machine left in `folder` (of these kinds); returns what went."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host = _host()
    for entry in entries:
        found = _NAME.fullmatch(entry.name)
        if found is None or found["kind"] not in kinds or found["host"] != host or _alive(int(found["pid"])):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass  # best effort: a leftover never stops the work at hand
    return removed


def keep_mode(previous: os.stat_result, path: Path) -> None:
    """Give `path` the permission bits (and, where allowed, the group) of the file it replaces or copies."""
    set_mode(path, previous.st_mode & 0o7777, previous.st_gid)


def set_mode(path: Path, mode: int, gid: int) -> None:
    if hasattr(os, "chown") and gid != os.stat(path).st_gid:
        try:
            os.chown(path, -1, gid)  # before chmod: a change of group may clear set-id bits
        except OSError:
            pass  # not a member of that group: the permission bits still apply
    os.chmod(path, mode)
