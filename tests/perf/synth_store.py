"""The benchmark's store: `python -m store synth` into a cache file, reused when it is the right one.

The default file is <tmp>/cluster-explorer-perf/synth-<N>f-<D>d.sqlite3. It is reused when
`python -m store info` says it holds N + SEED_FIGURES figures (the seeds a new store is
loaded with, then the N synthetic ones), or with --reuse whatever it holds; otherwise the
cache file is deleted and built again. A file given with --db is never deleted: if it holds
another number of figures the benchmark refuses it.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from tests.perf.common import ROOT, now, python, say

SEED_FIGURES = 151  # figures in seeds/: every new store is seeded before synth adds N


class StoreSetupError(Exception):
    pass


def default_path(figures: int, documents: int) -> Path:
    return Path(tempfile.gettempdir()) / "cluster-explorer-perf" / f"synth-{figures}f-{documents}d.sqlite3"


def figure_count(path: Path, env: dict[str, str]) -> int | None:
    """What `python -m store info --db PATH` says (run only on an existing file: info creates one)."""
    done = subprocess.run([python(), "-m", "store", "info", "--db", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    found = re.search(r"^figures:\s*(\d+)", done.stdout, re.M)
    if done.returncode != 0 or not found:
        say(f"  store info failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[:300]}")
        return None
    return int(found.group(1))


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare(figures: int, documents: int, db: str | None, reuse: bool, env: dict[str, str]) -> Path:
    """The path of a store with `figures` synthetic figures, built if needed."""
    user_given = db is not None
    path = Path(db).expanduser().absolute() if user_given else default_path(figures, documents)
    want = figures + SEED_FIGURES
    if path.exists():
        if reuse:
            say(f"Store: reusing {path} (--reuse: not checked)")
            return path
        count = figure_count(path, env)
        if count == want:
            say(f"Store: reusing {path} ({count:,} figures = {figures:,} synthetic + {SEED_FIGURES} seed)")
            return path
        if user_given:
            raise StoreSetupError(f"{path} holds {count} figures, not {want:,} ({figures:,} + {SEED_FIGURES} seed); "
                                  "pass --reuse to use it anyway, or another --db")
        say(f"Store: {path} holds {count} figures, not {want:,}: building it again")
        _remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    say(f"Store: python -m store synth --figures {figures} --documents {documents} --db {path}")
    started = now()
    done = subprocess.run([python(), "-m", "store", "synth", "--figures", str(figures), "--documents",
                           str(documents), "--db", str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          text=True)  # stderr inherited: synth shows progress when it is a terminal
    if done.returncode != 0:
        if not user_given:
            _remove(path)
        raise StoreSetupError(f"store synth failed (exit {done.returncode}): {done.stdout.strip()[:300]}")
    say(f"  {done.stdout.strip()}  [{now() - started:.1f} s wall]")
    return path
