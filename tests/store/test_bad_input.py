"""Bad input, each with a clear message and nothing lost: numbers in several locales, nan and inf,
a 500 MB file, paths that do not exist, an export folder that cannot be written, and a disk that
fills (a file-size limit, RLIMIT_FSIZE) during an export and during a save."""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from tests.seed_counts import SEED_FIGURES
from store.errors import InvalidNumber
from store.numbers import parse_value
from tests.conftest import ROOT

REFUSED_NUMBERS = [
    ("12,5", "decimal comma"),                 # German, French: twelve and a half
    ("1.234,5", "decimal comma"),              # German thousands dots
    ("1 234,5", "decimal comma"),              # French, with a space
    ("1\u00a0234,5", "decimal comma"),         # French, with a no-break space
    ("1\u202f234,5", "decimal comma"),         # French, with a narrow no-break space
    ("2,5 млрд", "decimal comma"),             # Russian
    ("0,5%", "decimal comma"),
    ("1,23,456", "not a value"),               # Indian grouping is not read as a guess either
    ("nan", "no number"), ("NaN", "no number"), ("inf", "no number"), ("-Infinity", "no number"),
    ("1e999", "exponent"), ("1e3", "exponent"), ("--5", "doubled sign"), ("1..2", "not a value"), ("", "empty"),
]
READ_NUMBERS = [("1,234.5", "2469/2"), ("12,345,678", "12345678"), ("\uff11\uff12\uff13", "123"),
                ("\u0663\u0664\u0665", "345"), ("3.5 trillion", "3500000000000"), ("-0", "0")]


@pytest.mark.parametrize("text, message", REFUSED_NUMBERS)
def test_numbers_that_cannot_be_read_safely_are_refused_saying_why(text, message):
    with pytest.raises(InvalidNumber, match=message):
        parse_value(text)


@pytest.mark.parametrize("text, value", READ_NUMBERS)
def test_numbers_in_other_digits_and_groupings_are_read(text, value):
    assert str(parse_value(text)) == value


def _cli(*args, limit: int | None = None) -> subprocess.CompletedProcess:
    def limit_file_size():
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([sys.executable, "-m", "store", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, preexec_fn=limit_file_size)


def _one_line_error(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert words in result.stderr, result.stderr


def _counts(path) -> tuple:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "figures", "actions"))
    finally:
        con.close()


def test_a_500_mb_file_is_refused_without_being_read(seeded_path, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: 500 MB to the file system, no disk used
        handle.truncate(500 * 1024 * 1024)
    before = _counts(seeded_path)
    _one_line_error(_cli("import", "--db", seeded_path, huge), "huge.txt is too large (500.0 MB")
    assert _counts(seeded_path) == before


def test_paths_that_do_not_exist_are_named(seeded_path, tmp_path):
    _one_line_error(_cli("import", "--db", seeded_path, tmp_path / "missing.txt"), "missing.txt")
    _one_line_error(_cli("export", "--db", seeded_path, "--format", "csv", "--out", tmp_path / "no" / "such" / "x.csv"),
                    "cannot write")
    # A typo in a folder is not a new store (it would look like lost work); a new file in a real folder is.
    _one_line_error(_cli("info", "--db", tmp_path / "new-folder" / "store.sqlite3"), "new-folder does not exist")
    assert not (tmp_path / "new-folder").exists()
    result = _cli("info", "--db", tmp_path / "new-store.sqlite3")
    assert result.returncode == 0 and f"figures:   {SEED_FIGURES}" in result.stdout


def test_a_disk_that_fills_during_an_export_leaves_no_part_and_the_old_export_intact(seeded_path, tmp_path):
    out = tmp_path / "figures.csv"
    out.write_text("the previous export\n")
    result = _cli("export", "--db", seeded_path, "--format", "csv", "--out", out, limit=60_000)  # room for SQLite's 32 KB -shm, not for the CSV (~85 KB)
    _one_line_error(result, "cannot write")
    assert "File too large" in result.stderr
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.csv", "store.sqlite3"]  # no .part left


def test_a_disk_that_fills_during_a_save_rolls_back_and_keeps_what_was_saved(seeded_path, tmp_path):
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    big = tmp_path / "big.txt"
    big.write_text("Quarterly report\n\n" + "\n\n".join(p.read_text(encoding="utf-8") for p in seeds) * 6,
                   encoding="utf-8")
    before = _counts(seeded_path)
    result = _cli("import", "--db", seeded_path, big, limit=seeded_path.stat().st_size // 2)
    assert result.returncode == 2, result.stdout
    assert "disk is full" in result.stderr and "Nothing was changed" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert _counts(seeded_path) == before  # the seeds and history are all there; nothing half-saved
    result = _cli("import", "--db", seeded_path, big)  # with room again, the same file saves
    assert result.returncode == 0 and _counts(seeded_path)[0] == before[0] + 1


def test_an_export_folder_that_cannot_be_written_is_refused(seeded_path, tmp_path):
    """A real read-only mount (private mount namespace): no permission bit that root could ignore."""
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("no mount namespaces here (unshare -m)")
    folder = tmp_path / "ro"
    folder.mkdir()
    script = textwrap.dedent(f"""
        mount -t tmpfs tmpfs {folder} && mount -o remount,ro {folder} || exit 99
        {sys.executable} -m store export --db {seeded_path} --format xlsx --out {folder}/figures.xlsx
        echo "exit $?"
    """)
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert "exit 2" in result.stdout, (result.stdout, result.stderr)
    assert "cannot write" in result.stderr and "Read-only file system" in result.stderr
    assert result.stderr.count("\n") == 1
