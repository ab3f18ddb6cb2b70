"""Import and extract stay bounded on hostile files: candidates per document, document size, file kinds.

Each test does the real thing (real files, FIFOs, device nodes, the CLI as a process) and checks
the outcome a user sees: a one-line message, nothing half stored, the other files still imported.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from store import cli, open_store
from store.cli import imports as import_cli
from store.curation import importing
from store.curation.importing import import_documents
from store.errors import StoreError
from store.finder import find_figures
from store.reading import files
from store.reading.files import MAX_DOCUMENT_CHARS
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


# --- item 7: deep HTML, and one bad file never ends the batch ------------------------------------------
def _deep_page(depth: int) -> str:
    return f"<html><body>{'<div>' * depth}<p>Output reached 5 million yuan.</p>{'</div>' * depth}</body></html>"


def test_deeply_nested_html_is_read_without_recursion(tmp_path):
    for depth in (1_500, 50_000):
        page = tmp_path / f"deep{depth}.html"
        page.write_text(_deep_page(depth), encoding="utf-8")
        assert files.read_document(page).text == "Output reached 5 million yuan."


def test_a_file_that_breaks_the_reader_is_refused_and_the_batch_goes_on(seeded_path, tmp_path, monkeypatch):
    real = files.html_article_text

    def fragile(html):  # an injected fault: the reader fails on one page the way it once did on deep pages
        if "boom" in html:
            raise RecursionError("maximum recursion depth exceeded")
        return real(html)
    monkeypatch.setattr(files, "html_article_text", fragile)
    paths = [tmp_path / "a.txt", tmp_path / "boom.html", tmp_path / "b.txt"]
    paths[0].write_text("Alpha\n\nAlpha made 3 million cars.\n", encoding="utf-8")
    paths[1].write_text("<p>boom 4 million</p>", encoding="utf-8")
    paths[2].write_text("Beta\n\nBeta made 7 million phones.\n", encoding="utf-8")
    store = open_store(str(seeded_path))
    try:
        results = import_documents(store, paths)
    finally:
        store.close()
    assert [r.document_id is not None for r in results] == [True, False, True]
    assert results[1].refused and results[1].skipped_reason == "boom.html could not be read (RecursionError)"


# --- item 8: FIFOs, devices and /proc files --------------------------------------------------------------
def _hostile_files(folder):
    """(good file, [bad files]): a FIFO, links to devices and to /proc, a folder, all named as articles."""
    import os

    folder.mkdir()
    good = folder / "good.txt"
    good.write_text("Good\n\nGood made 3 million cars.\n", encoding="utf-8")
    bad = []
    os.mkfifo(folder / "fifo.txt")
    bad.append(folder / "fifo.txt")
    for name, target in (("zero.txt", "/dev/zero"), ("urandom.html", "/dev/urandom"), ("null.md", "/dev/null"),
                         ("pagemap.txt", "/proc/self/pagemap")):
        (folder / name).symlink_to(target)
        bad.append(folder / name)
    (folder / "folder.txt").mkdir()
    bad.append(folder / "folder.txt")
    return good, bad


def test_fifos_devices_and_proc_files_are_refused_in_one_line_each_and_never_hang(seeded_path, tmp_path):
    good, bad = _hostile_files(tmp_path / "in")
    for command in ("import", "extract"):
        result = _cli(command, good.parent, "--db", seeded_path, timeout=120)  # a FIFO once hung here forever
        assert result.returncode == 2, (command, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == len(bad), result.stderr
        for path in bad:
            assert path.name in result.stderr
        assert "named pipe" in result.stderr and "is a device" in result.stderr and "is a folder" in result.stderr
        assert ("added doc" if command == "import" else "'3 million cars'") in result.stdout


def test_the_byte_cap_does_not_trust_st_size(tmp_path):
    import os

    link = tmp_path / "status.txt"
    link.symlink_to("/proc/self/status")
    assert os.stat(link).st_size == 0  # what the old guard trusted
    assert b"Pid:" in files.read_capped(link, limit=1 << 20)
    with pytest.raises(StoreError, match="too large"):
        files.read_capped(link, limit=100)


# --- item 19: UTF-16 without a BOM, UTF-8 with a stray byte ----------------------------------------------
ARTICLE = "Café exports rose 5% to 3 million yuan.\n\n销售额增长5%，达到3亿元。\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_not_refused_as_binary(tmp_path, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    doc = files.read_document(path)
    assert (doc.text, doc.encoding) == (ARTICLE, encoding)


def test_utf8_with_a_stray_byte_stays_utf8_and_says_so(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-8").replace(b"rose", b"ro\xffse"))
    doc = files.read_document(path)
    assert doc.text == ARTICLE.replace("rose", "ro\ufffdse")
    assert doc.encoding == "utf-8 (1 byte replaced)"


def test_text_in_another_code_page_and_binary_noise_are_still_told_apart(tmp_path):
    import os

    latin = tmp_path / "latin.txt"
    latin.write_bytes("The café sold 5 million cups.\n".encode("cp1252"))
    assert files.read_document(latin).text == "The café sold 5 million cups.\n"
    noise = tmp_path / "noise.txt"
    noise.write_bytes(os.urandom(8192))
    with pytest.raises(StoreError, match="binary"):
        files.read_document(noise)


# --- item 25: control characters are dropped at import, the same text on SQLite and PostgreSQL ---------
def test_control_characters_are_dropped_so_both_backends_store_the_same_text(team_store_url, tmp_path):
    text_file = tmp_path / "controls.txt"
    filler = "Nothing to see here. " * 40  # a text file's control characters are under 1%: not binary
    text_file.write_bytes(b"Controls\x1b[2J\x1b]0;owned\x07\n\nSales\x01 rose\x0c5%\tto 3\x08 million yuan.\n"
                          + filler.encode())
    page = tmp_path / "controls.html"
    page.write_text("<title>Page&#1;</title><p>Output&#0; reached&#27;[31m 7&#2; million yuan.</p>", encoding="utf-8")
    store = open_store(team_store_url)
    try:
        results = import_documents(store, [text_file, page])
        with store.read() as session:
            from store.models import Document
            stored = [(d.title, d.text) for d in (session.get(Document, r.document_id) for r in results)]
    finally:
        store.close()
    assert stored == [("Controls[2J]0;owned", "Controls[2J]0;owned\n\nSales rose\n5%\tto 3 million yuan.\n" + filler),
                      ("Page", "Output\ufffd reached[31m 7 million yuan.")]
    assert all(r.candidates >= 1 for r in results)


# --- hidden HTML text: a reader does not see it, so it yields no candidates ------------------------------
def test_hidden_html_text_is_not_article_text(tmp_path):
    page = tmp_path / "hidden.html"
    page.write_text("<body><p>Seen: 5 million yuan.</p><p style='color: red; DISPLAY:none'>Unseen 6%.</p>"
                    "<div hidden><p>Unseen 7%.</p></div><span aria-hidden='true'>Unseen 8%.</span>"
                    "<p style='visibility: hidden'>Unseen 9%.</p><p aria-hidden='false'>Seen 4%.</p></body>",
                    encoding="utf-8")
    doc = files.read_document(page)
    assert doc.text == "Seen: 5 million yuan.\n\nSeen 4%."
    assert [c.quote for c in find_figures(doc.text)] == ["5 million yuan", "4%"]


def test_a_dataset_named_fifo_or_device_is_refused_and_never_hangs(seeded_path, tmp_path):
    import os

    os.mkfifo(tmp_path / "rows.csv")
    (tmp_path / "zero.parquet").symlink_to("/dev/zero")
    (tmp_path / "random.jsonl").symlink_to("/dev/urandom")
    result = _cli("import", tmp_path / "rows.csv", tmp_path / "zero.parquet", tmp_path / "random.jsonl",
                  "--db", seeded_path, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 3 and "named pipe" in result.stderr and "is a device" in result.stderr
