"""Citation editing: every field, one undoable action with history, from the store and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from store.errors import StoreError
from store.history import undo
from store.models import Document
from store.reading.citation import document_history, edit_citation, parse_assignments

DOC = "000_806b1f88b7e42a83.txt"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "store", *args], capture_output=True, text=True, timeout=120)


def _doc(store, doc_id=1) -> Document:
    with store.read() as session:
        return session.get(Document, doc_id)


def test_every_citation_field_is_edited_in_one_action_and_undo_restores_them(seeded_store):
    old = _doc(seeded_store)
    text, old_fields = old.text, {c: getattr(old, c) for c in ("title", "publisher", "published", "kind", "place")}
    changes = parse_assignments(["title=Guangdong clusters", "publisher=Nanfang Daily", "author=Li Wei",
                                 "date=2026-01-27", "place=Guangdong", "url=https://example.org/a",
                                 "language=en", "kind=news"])
    action_id = edit_citation(seeded_store, 1, changes)
    new = _doc(seeded_store)
    assert (new.title, new.publisher, new.author, new.published, new.place, new.url, new.language, new.kind) == (
        "Guangdong clusters", "Nanfang Daily", "Li Wei", "2026-01-27", "Guangdong", "https://example.org/a", "en", "news")
    assert new.text == text  # the text, and so every anchor, is untouched
    [created_or_edited] = [h for h in document_history(seeded_store, 1) if h["action"] == action_id]
    assert created_or_edited["fields"]["title"] == [old_fields["title"], "Guangdong clusters"]
    undo(seeded_store, action_id)
    back = _doc(seeded_store)
    assert {c: getattr(back, c) for c in old_fields} == old_fields
    assert len(document_history(seeded_store, 1)) == 2  # the edit and its undo, both kept


@pytest.mark.parametrize(("pair", "message"), [
    ("date=2026-13-01", "malformed date '2026-13-01'"), ("date=last week", "malformed date"),
    ("colour=red", "unknown citation field 'colour'"), ("title", "--set takes field=value"),
    ("title=  ", "a document needs a title"), ("kind=blog", "unknown kind 'blog'"),
    ("language=Chinese (simplified)", "malformed language"),
])
def test_a_bad_value_is_refused_before_anything_is_written(seeded_store, pair, message):
    with pytest.raises(StoreError, match=message.replace("(", r"\(")):
        edit_citation(seeded_store, 1, parse_assignments([pair]))


def test_an_edit_over_someone_elses_newer_change_is_refused(seeded_store):
    edit_citation(seeded_store, 1, {"title": "Theirs"})
    with pytest.raises(StoreError, match="was changed since you opened it"):
        edit_citation(seeded_store, 1, {"title": "Mine"}, expected={"title": "The title I saw"})
    assert _doc(seeded_store).title == "Theirs"


def test_cli_sets_fields_by_file_name_and_errors_are_one_line(seeded_path):
    db = ("--db", str(seeded_path))
    done = _cli("document", DOC, "--set", "title=Clusters", "--set", "date=2026-01", "--set", "kind=other", *db)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out["changed"]) == {"title", "kind"}  # the date was already 2026-01
    assert out["changed"]["title"][1] == "Clusters" and out["changed"]["kind"] == ["news", "other"]
    listed = {d["doc"]: d for d in map(json.loads, _cli("documents", "--format", "jsonl", *db).stdout.splitlines())}
    assert (listed[DOC]["title"], listed[DOC]["kind"]) == ("Clusters", "other")
    # the original fields are all still there, with the citation fields added
    assert {"id", "doc", "title", "publisher", "author", "published", "sha256", "chars", "figures", "url", "place",
            "language", "kind", "date_basis"} <= set(listed[DOC])
    for args, message in ((("--set", "date=31/02/2026"), "malformed date"), (("--set", "size=3"), "unknown citation field"),
                          ((), None)):
        result = _cli("document", "no-such.txt" if not args else DOC, *args, *db)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert message is None or message in result.stderr
    history = [json.loads(line) for line in _cli("document", "1", "--history", *db).stdout.splitlines()]
    assert history[-1]["fields"]["title"][1] == "Clusters"
    assert "Clusters" in _cli("documents", *db).stdout.splitlines()[0]  # the default output is unchanged in form
