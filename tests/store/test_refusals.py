"""What opening a store refuses, and how the command line says so: another application's database,
a newer store, a path that is a typo, a URL with a password, a reader beside a writer, a server
that does not answer, text that would act on a terminal. Each done for real: real SQLite files,
second processes, a PostgreSQL server, a read-only mount, a TCP listener, a pseudo-terminal."""

from __future__ import annotations

import hashlib
import os
import pty
import select
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest

from store import SchemaTooNew, open_store
from store.errors import ForeignDatabase
from store.opening.config import redact, shown_url
from store.opening.health import DamagedStore
from store.reading.files import MAX_DOCUMENT_CHARS
from tests.conftest import ROOT
from tests.seed_counts import SEED_FIGURES
from tests.store.test_safety import LOCKER, _damage

SECRET = "S3cretPW"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _journal_mode(path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def _cli(*args, cwd=ROOT, env=None, timeout=120, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env=env, stdin=stdin)


def _env(**extra) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def _sqlite_db(path, *statements: str) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        con.execute(statement)
    con.close()


# --- another application's database ----------------------------------------------------------------
FOREIGN = {
    "users": ("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO users VALUES (1, 'ann')"),
    "documents": ("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)",
                  "INSERT INTO documents VALUES (1, 'a letter')"),
    "another alembic app": ("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
                            "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
                            "CREATE TABLE orders (id INTEGER PRIMARY KEY)"),
}


@pytest.mark.parametrize("tables", FOREIGN.values(), ids=FOREIGN.keys())
def test_another_applications_sqlite_database_is_refused_byte_for_byte_untouched(tmp_path, tables):
    path = tmp_path / "theirs.db"
    _sqlite_db(path, *tables)
    before, listing = _sha(path), sorted(p.name for p in tmp_path.iterdir())
    assert _journal_mode(path) == "delete"
    with pytest.raises(ForeignDatabase, match="not a Cluster Explorer store.*left untouched"):
        open_store(str(path))
    line = _one_error_line(_cli("info", "--db", path))
    assert "not a Cluster Explorer store" in line
    assert _sha(path) == before and _journal_mode(path) == "delete"  # not switched to WAL, no seeds, no tables
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no -wal, no -shm, no backups folder


def test_a_newer_store_in_rollback_journal_mode_is_refused_and_not_switched_to_wal(seeded_path):
    _sqlite_db(seeded_path, "PRAGMA journal_mode = DELETE", "UPDATE alembic_version SET version_num = '9999'")
    before = _sha(seeded_path)
    with pytest.raises(SchemaTooNew, match="newer version"):
        open_store(str(seeded_path))
    _one_error_line(_cli("figures", "--db", seeded_path))
    assert _sha(seeded_path) == before and _journal_mode(seeded_path) == "delete"
    assert not seeded_path.with_name(seeded_path.name + ".backups").exists()


@pytest.mark.parametrize("kind", ["no file", "zero-byte file", "empty SQLite database"])
def test_no_file_a_zero_byte_file_and_an_empty_database_become_a_new_store(tmp_path, kind):
    path = tmp_path / "new.sqlite3"
    if kind == "zero-byte file":
        path.touch()
    elif kind == "empty SQLite database":
        _sqlite_db(path, "PRAGMA user_version = 0", "VACUUM")
        assert path.stat().st_size > 0
    result = _cli("info", "--db", path)
    assert result.returncode == 0 and f"figures:   {SEED_FIGURES}" in result.stdout, result.stderr


def test_a_foreign_postgresql_database_is_refused_and_nothing_is_created(pg_server):
    name = pg_server.new_database()
    try:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=pg_server.port, user="postgres", dbname=name,
                             autocommit=True) as conn:
            conn.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text)")
            conn.execute("INSERT INTO customers (name) VALUES ('ann')")

            def tables() -> list[str]:
                return sorted(row[0] for row in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))

            with pytest.raises(ForeignDatabase, match=r"customers.*left untouched"):
                open_store(pg_server.url(name))
            line = _one_error_line(_cli("info", "--db", pg_server.url(name)))
            assert "not a Cluster Explorer store" in line
            assert tables() == ["customers"] and conn.execute("SELECT count(*) FROM customers").fetchone() == (1,)
    finally:
        pg_server.drop_database(name)


# --- checks that come before any write ----------------------------------------------------------------
def test_a_sqlite_uri_url_gets_the_damage_check_and_makes_no_folder(seeded_path, tmp_path):
    _damage(seeded_path)
    damaged = _sha(seeded_path)
    with pytest.raises(DamagedStore):
        open_store(f"sqlite:///file:{seeded_path}?uri=true")
    assert _sha(seeded_path) == damaged
    work = tmp_path / "work"
    work.mkdir()
    for url in ("sqlite:///file:none/store.sqlite3?uri=true", "none/../store.sqlite3",
                f"sqlite:///file:{seeded_path}?mode=rw&uri=true"):
        line = _one_error_line(_cli("info", "--db", url, cwd=work, env=_env()))
        assert "does not exist" in line or "options" in line, line
    assert list(work.iterdir()) == [] and _sha(seeded_path) == damaged


def test_an_empty_db_option_and_a_folder_that_is_not_there_are_errors_but_the_default_store_is_made(tmp_path):
    env = _env(XDG_DATA_HOME=str(tmp_path / "xdg"), CLUSTER_EXPLORER_DB=str(tmp_path / "env.sqlite3"))
    line = _one_error_line(_cli("--db", "", "info", env=env))
    assert "--db is empty" in line and not (tmp_path / "env.sqlite3").exists()
    typo = tmp_path / "no-such-folder" / "store.sqlite3"
    line = _one_error_line(_cli("info", "--db", typo, env=env))
    assert f"folder {typo.parent} does not exist" in line and not typo.parent.exists()
    del env["CLUSTER_EXPLORER_DB"]
    first = _cli("info", env=env)  # the default store, in a user data folder not made yet
    assert first.returncode == 0 and f"figures:   {SEED_FIGURES}" in first.stdout, first.stderr
    assert (tmp_path / "xdg" / "ClusterExplorer" / "cluster-explorer.sqlite3").is_file()


def test_a_filter_that_names_nothing_is_an_error_naming_it(seeded_path):
    line = _one_error_line(_cli("figures", "--cluster", "no_such_cluster", "--db", seeded_path))
    assert "no cluster 'no_such_cluster'" in line
    assert "did you mean semiconductors_ic" in _one_error_line(_cli("figures", "--cluster", "semiconductor",
                                                                      "--db", seeded_path))
    assert "no status 'verfied'" in _one_error_line(_cli("figures", "--status", "verfied", "--db", seeded_path))
    assert _cli("figures", "--cluster", "semiconductors_ic", "--db", seeded_path).returncode == 0


def test_an_export_whose_filter_names_nothing_is_an_error_and_writes_no_file(seeded_path, tmp_path):
    out = tmp_path / "figures.csv"
    line = _one_error_line(_cli("export", "--format", "csv", "--out", out, "--cluster", "no_such_cluster",
                                "--db", seeded_path))
    assert "no cluster 'no_such_cluster'" in line and not out.exists()


# --- a reader beside a writer ------------------------------------------------------------------------
def test_readers_open_the_store_while_another_process_holds_the_write_lock(seeded_path, monkeypatch):
    import store.opening.db

    monkeypatch.setattr(store.opening.db, "BUSY_TIMEOUT_MS", 300)  # a lock wait would fail fast, not pass slowly
    writer = subprocess.Popen([sys.executable, "-c", LOCKER, str(seeded_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # BEGIN IMMEDIATE and a write, not committed
    try:
        assert writer.stdout.readline().strip() == "locked"
        for command in (["info"], ["verify"], ["figures", "--format", "jsonl"], ["documents"]):
            result = _cli(*command, "--db", seeded_path)
            assert result.returncode == 0, (command, result.stderr)
        open_store(str(seeded_path)).close()  # what the app does when it opens
    finally:
        writer.communicate("\n", timeout=30)
    assert writer.returncode == 0  # and the writer's commit went through


# --- a read-only mount whose -wal holds commits ------------------------------------------------------------
def test_a_read_only_copy_whose_wal_holds_commits_is_refused_not_shown_old(seeded_path, tmp_path):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("no mount namespaces here (unshare -m)")
    staged = tmp_path / "staged"
    staged.mkdir()
    con = sqlite3.connect(seeded_path, isolation_level=None)
    con.execute("PRAGMA wal_autocheckpoint = 0")  # the commits stay in the -wal file
    con.execute("DELETE FROM anchors WHERE figure_id > 100")
    con.execute("DELETE FROM figures WHERE id > 100")
    shutil.copyfile(seeded_path, staged / "store.sqlite3")  # copied while open: the disk a curator unplugged
    shutil.copyfile(f"{seeded_path}-wal", staged / "store.sqlite3-wal")
    con.close()
    mount = tmp_path / "ro"
    mount.mkdir()
    script = textwrap.dedent(f"""
        set -e
        mount -t tmpfs tmpfs {mount}
        cp {staged}/store.sqlite3 {staged}/store.sqlite3-wal {mount}/
        mount -o remount,ro {mount}
        {sys.executable} -m store info --db {mount}/store.sqlite3 || echo "info exit $?"
    """)
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert f"figures:   {SEED_FIGURES}" not in result.stdout  # never the old data as if it were all
    assert "info exit 2" in result.stdout, result.stderr
    assert result.stderr.count("\n") == 1 and "store.sqlite3-wal" in result.stderr and "Traceback" not in result.stderr


# --- passwords -------------------------------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_message_shows_a_password(tmp_path):
    port = _closed_port()
    urls = [f"foo://bob:{SECRET}@host/db", f"postgresql://bob@127.0.0.1:{port}/db?password={SECRET}",
            f"postgresql://bob:p@ss{SECRET}@127.0.0.1:{port}/db", f"postgresql://bob:{SECRET}@127.0.0.1:{port}/db",
            f"postgresql://bob:{SECRET}:x@127.0.0.1:{port}/db", f"sqlite:///{tmp_path}/s.sqlite3?password={SECRET}",
            f"postgresql://bob:{SECRET}@127.0.0.1:{port}/db?sslpassword={SECRET}"]
    for url in urls:
        for result in (_cli("info", "--db", url), _cli("info", env=_env(CLUSTER_EXPLORER_DB=url))):
            _one_error_line(result)
            assert SECRET not in result.stderr + result.stdout and "ss" + SECRET not in result.stderr, url
    assert not (tmp_path / "s.sqlite3").exists()


def test_one_definition_shows_urls_without_their_password():
    assert shown_url(f"postgresql://bob:{SECRET}@db.example/cx") == "postgresql://bob:***@db.example/cx"
    assert shown_url(f"postgresql://bob:p@ss{SECRET}@h/cx") == "postgresql://bob:***@h/cx"
    assert shown_url(f"postgresql://h/cx?sslmode=require&password={SECRET}") == \
        "postgresql://h/cx?sslmode=require&password=***"
    said = f'failed to resolve host "ss{SECRET}@h" for postgresql://bob:p@ss{SECRET}@h/cx'
    assert SECRET not in redact(said, f"postgresql://bob:p@ss{SECRET}@h/cx")


def test_the_info_of_a_postgresql_store_shows_no_password(pg_seeded_url):
    url = pg_seeded_url.replace("postgres@", f"postgres:{SECRET}@")  # trust authentication ignores it
    result = _cli("info", "--db", url)
    assert result.returncode == 0 and f"figures:   {SEED_FIGURES}" in result.stdout, result.stderr
    assert SECRET not in result.stdout and "postgres:***@" in result.stdout


# --- a server that does not answer ------------------------------------------------------------------------
def test_a_port_that_is_not_postgresql_fails_in_one_line_instead_of_hanging():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept_and_say_nothing() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        url = f"postgresql://bob@127.0.0.1:{listener.getsockname()[1]}/db"
        line = _one_error_line(_cli("info", "--db", url, timeout=90))  # it hung over 100 s without a timeout
        assert "timeout" in line and held
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


# --- one line on stderr, whatever happens -------------------------------------------------------------
def test_a_file_name_with_a_line_break_is_one_line_with_the_break_shown(seeded_path, tmp_path):
    odd = tmp_path / "two\nlines.txt"
    odd.write_bytes(bytes(range(256)) * 8)  # binary: refused, the message names the file
    line = _one_error_line(_cli("import", odd, "--db", seeded_path))
    assert "two\\nlines.txt" in line
    line = _one_error_line(_cli("info", "--db", tmp_path / "no\nsuch" / "store.sqlite3"))
    assert "no\\nsuch" in line


MEMORY_BOUND = """
import resource, sys
from store.cli import main
import store.opening.core, store.curation.importing, store.finder, store.opening.schema, sqlalchemy.dialects.sqlite, alembic.command
size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (size + 48 * 2**20, resource.getrlimit(resource.RLIMIT_AS)[1]))
sys.exit(main(sys.argv[1:]))
"""


def test_running_out_of_memory_is_one_line_and_nothing_half_saved(seeded_path, tmp_path):
    big = tmp_path / "big.txt"
    # 4.8 million characters: inside the length limit (MAX_DOCUMENT_CHARS), so the import reads it and
    # runs out of memory finding its 300,000 candidate figures, not at the length check.
    big.write_text("Robot output rose 12 % in 2023.\n" * 150_000, encoding="utf-8")
    assert big.stat().st_size < MAX_DOCUMENT_CHARS
    before = sqlite3.connect(seeded_path).execute("SELECT count(*) FROM documents").fetchone()
    result = subprocess.run([sys.executable, "-c", MEMORY_BOUND, "import", str(big), "--db", str(seeded_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    line = _one_error_line(result)
    assert "memory" in line.lower() or "MemoryError" in line, line
    con = sqlite3.connect(seeded_path)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == before


def test_a_bad_argument_is_one_line():
    _one_error_line(_cli("figures", "--format", "yaml"))
    _one_error_line(_cli("no-such-command"))


# --- text that would act on a terminal ---------------------------------------------------------------------
HOSTILE_TITLE = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31mTitle\x1b\\ Robot output"


def _pty_run(*args) -> bytes:
    """Run the command line with its stdout on a pseudo-terminal, as a person at a terminal does."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "store", *map(str, args)], stdout=follower,
                            stderr=subprocess.PIPE, cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks)


def test_control_characters_in_documents_never_reach_a_terminal_raw(seeded_path, tmp_path):
    article = tmp_path / "hostile.txt"
    body = "Robot output in Guangdong rose 12 % in 2023, to 124,700 sets, the province said. " * 30
    article.write_text(f"{HOSTILE_TITLE}\n\n{body}\n", encoding="utf-8")  # few controls: text, not binary
    imported = _cli("import", article, "--db", seeded_path)
    assert imported.returncode == 0, imported.stderr
    raw = ("\x1b", "\x07", "\x9b")
    # Import drops C0 controls (ESC, BEL) from the text; the C1 CSI it keeps is shown escaped
    assert not any(c in imported.stdout for c in raw) and "]0;pwned" in imported.stdout
    assert "\\x9b31mTitle" in imported.stdout
    # A title can still hold them (an edit, an older store): every table output shows them escaped
    sqlite3.connect(seeded_path, isolation_level=None).execute(
        "UPDATE documents SET title = ? WHERE id = (SELECT max(id) FROM documents)", (HOSTILE_TITLE,))
    text = _cli("documents", "--db", seeded_path).stdout  # to a pipe: table text
    assert not any(c in text for c in raw) and "\\x1b]0;pwned\\x07" in text
    jsonl = _cli("documents", "--format", "jsonl", "--db", seeded_path).stdout
    assert not any(c in jsonl for c in raw) and "\\u001b]0;pwned" in jsonl and "\\u009b" in jsonl
    import json

    assert json.loads(jsonl.splitlines()[-1])["title"].startswith(HOSTILE_TITLE[:12])  # the same data
    # A note holding escapes: in CSV to a file the exact data; in CSV to a terminal, shown escaped.
    sqlite3.connect(seeded_path, isolation_level=None).execute("UPDATE figures SET note = ? WHERE id = 1",
                                                               (HOSTILE_TITLE,))
    to_file = tmp_path / "figures.csv"
    with to_file.open("w") as handle:
        assert subprocess.run([sys.executable, "-m", "store", "figures", "--format", "csv", "--db", str(seeded_path)],
                              stdout=handle, cwd=ROOT, timeout=120).returncode == 0
    assert HOSTILE_TITLE in to_file.read_text(encoding="utf-8")
    for args in (("figures", "--format", "csv"), ("documents",), ("figures",)):
        shown = _pty_run(*args, "--db", seeded_path)
        assert b"\x1b" not in shown and b"\x07" not in shown and "\x9b".encode() not in shown, args
    assert b"\\x1b]0;pwned" in _pty_run("figures", "--format", "csv", "--db", seeded_path)
