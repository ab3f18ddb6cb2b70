"""Crash safety, for real: `python -m store import` is killed with SIGKILL in the middle of its
writes, again and again, and the store is then checked as SQLite itself and as our data.

Each imported file is one action: the document, its candidate figures and anchors, and the
history rows, in one transaction. The command prints a line as soon as a file is committed.
After every kill: `PRAGMA integrity_check` is ok, every file the command reported as saved is
there with all of its figures, and no file is there in part.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import open_store
from store.curation.importing import import_documents
from store.opening.seed import SEEDS_DIR
from tests.conftest import ROOT

RUNS = int(os.environ.get("CLUSTER_EXPLORER_CRASH_RUNS", "8"))
FILES_PER_RUN = 12
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))]


def _write_files(folder: Path, run: int) -> list[Path]:
    folder.mkdir()
    files = []
    for i in range(FILES_PER_RUN):
        text = SEED_TEXTS[(run + i) % len(SEED_TEXTS)]
        path = folder / f"run{run:03}-{i:02}.txt"
        path.write_text(f"Crash run {run} file {i}\n\n{text}", encoding="utf-8")
        files.append(path)
    return files


def _kill_during_import(db: Path, folder: Path, rng: random.Random) -> tuple[list[tuple[int, int]], bool]:
    """Start an import, SIGKILL it after a random number of saved files plus a random moment.
    Returns the (document id, candidates) it reported as saved, and whether it was killed."""
    process = subprocess.Popen([sys.executable, "-m", "store", "import", "--db", str(db), str(folder)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kill_after = rng.randrange(0, FILES_PER_RUN - 2)  # at least two files still to write: really mid-import
    saved: list[tuple[int, int]] = []
    killed = False
    for line in process.stdout:
        if line.startswith("added doc "):
            doc_id = int(line.split()[2].rstrip(":"))
            saved.append((doc_id, int(line.rsplit("(", 1)[1].split()[0])))
        if len(saved) >= kill_after:
            time.sleep(rng.uniform(0, 0.08))  # somewhere in the next file's finding or writing
            process.send_signal(signal.SIGKILL)
            killed = True
            break
    process.wait(60)
    process.stdout.close()
    process.stderr.close()
    return saved, killed and process.returncode == -signal.SIGKILL


def _figures_per_document(db: Path) -> dict[int, int]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT d.id, count(a.id) FROM documents d LEFT JOIN anchors a "
                                "ON a.document_id = d.id GROUP BY d.id"))


@pytest.fixture
def expected_candidates(tmp_path, seeded_path) -> dict[str, int]:
    """What an import that is not interrupted stores for each seed text: candidates per document."""
    reference = tmp_path / "reference.sqlite3"
    reference.write_bytes(seeded_path.read_bytes())
    files = _write_files(tmp_path / "reference-files", 0)[:len(SEED_TEXTS)]
    store = open_store(str(reference))
    try:
        results = import_documents(store, files)
    finally:
        store.close()
    return {SEED_TEXTS[i]: result.candidates for i, result in enumerate(results)}


def test_sigkill_in_the_middle_of_imports_never_loses_a_saved_file_or_leaves_half_of_one(
        tmp_path, seeded_path, expected_candidates):
    rng = random.Random(20261126)
    seed_documents = set(_figures_per_document(seeded_path))
    all_saved: dict[int, int] = {}
    kills = 0
    for run in range(RUNS):
        folder = tmp_path / f"run{run}"
        _write_files(folder, run)
        saved, killed = _kill_during_import(seeded_path, folder, rng)
        kills += killed
        all_saved.update(saved)

        con = sqlite3.connect(seeded_path)  # recovers from the WAL the killed process left, as the app would
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"run {run}"
            assert con.execute("PRAGMA foreign_key_check").fetchall() == [], f"run {run}"
            texts = dict(con.execute("SELECT id, text FROM documents"))
            actions_without_changes = con.execute(
                "SELECT count(*) FROM actions WHERE id NOT IN (SELECT action_id FROM changes)").fetchone()[0]
        finally:
            con.close()
        assert actions_without_changes == 0
        present = _figures_per_document(seeded_path)
        for doc_id, candidates in all_saved.items():  # every file reported as saved is there, whole
            assert present.get(doc_id) == candidates, f"run {run}: saved document {doc_id}"
        for doc_id, figures in present.items():  # and nothing is there in part
            if doc_id not in seed_documents:
                body = texts[doc_id].split("\n\n", 1)[1]
                assert figures == expected_candidates[body], f"run {run}: document {doc_id} is half there"
        # A file committed just before a kill may be there without its line having been read: that is
        # fine, as long as it is whole (above) and one of the files given, stored once.
        firsts = [texts[doc_id].split("\n\n", 1)[0] for doc_id in present if doc_id not in seed_documents]
        assert all(first.startswith("Crash run ") for first in firsts), f"run {run}"
        assert len(firsts) == len(set(firsts)), f"run {run}: a file is stored twice"
    assert kills >= 1  # the runs were really interrupted, not all finished before the kill
    assert len(all_saved) > 0
