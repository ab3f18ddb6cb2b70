"""Import and extract stay bounded on hostile files: candidates per document, document size, file kinds.

Each test does the real thing (real files, FIFOs, device nodes, the CLI as a process) and checks
the outcome a user sees: a one-line message, nothing half stored, the other files still imported.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from store import cli, import_cli, importing, open_store
from store.curation import MAX_DOCUMENT_CHARS
from store.importing import import_documents
from tests.conftest import ROOT


def _cli(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def _anchors(db, document_id: int) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM anchors WHERE document_id = ?", (document_id,)).fetchone()[0]
    finally:
        con.close()


# --- item 5: candidates per document are capped, and the user is told --------------------------------
def test_past_the_cap_the_document_is_stored_with_its_first_candidates_and_the_rest_counted(
        seeded_path, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_CANDIDATES", 50)
    ones = tmp_path / "ones.txt"
    ones.write_text("Counts\n\n" + "1 " * 200, encoding="utf-8")
    store = open_store(str(seeded_path))
    try:
        [result] = import_documents(store, [ones])
    finally:
        store.close()
    assert (result.candidates, result.not_kept) == (50, 150)
    assert _anchors(seeded_path, result.document_id) == 50
    assert result.not_kept_note == "the first 50 candidates were kept and 150 more were not (the limit is 50 a document)"


def test_the_cli_says_how_many_candidates_were_not_kept_or_shown(seeded_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(importing, "MAX_CANDIDATES", 5)
    monkeypatch.setattr(import_cli, "MAX_CANDIDATES", 5)
    ones = tmp_path / "ones.txt"
    ones.write_text("Counts\n\n" + "1 " * 12, encoding="utf-8")
    assert cli.main(["extract", str(ones), "--format", "jsonl", "--db", str(seeded_path)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert err == "python -m store: ones.txt: the first 5 candidates are shown and 7 more are not (the limit is 5 a document)\n"
    assert cli.main(["import", str(ones), "--db", str(seeded_path)]) == 0
    out, err = capsys.readouterr()
    assert "(5 candidates; the first 5 candidates were kept and 7 more were not (the limit is 5 a document))" in out


def test_extract_refuses_a_document_over_the_import_limit_in_one_line(seeded_path, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x" * (MAX_DOCUMENT_CHARS + 1), encoding="utf-8")
    for command in ("extract", "import"):
        result = _cli(command, big, "--db", seeded_path)
        assert result.returncode == 2 and result.stdout == "", (command, result.stdout)
        assert result.stderr.count("\n") == 1 and "is too long" in result.stderr and "Traceback" not in result.stderr
