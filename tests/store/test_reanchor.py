"""Document versions: a new text replaces a document in place and its figures follow their words.

On the real seeded store, with edited versions of seed documents: inserted text moves figures,
a changed number makes a figure fuzzy (back to review), a repeated quote keeps to its context,
a deleted paragraph orphans its figures (re-attachable), one undo restores everything, and the CLI.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from store.curation.annotations import annotate, list_annotations
from store.curation.documents import document_with_spans
from store.curation.figures import set_status
from store.curation.history import figure_history, snapshot, undo
from store.curation.reanchor import new_version, orphans, reattach
from store.curation.reanchor_place import Reanchorer, reanchor
from store.errors import StoreError
from store.models import Action, Anchor, Document, Figure
from store.query.provenance import anchor_failures, orphaned_anchors, span_context
from tests.seed_counts import SEED_FIGURES

DOC3, DOC1 = "003_e841e1e603b82c1f.txt", "001_a1eeaa708860a3d1.txt"
SERVICE = ("During this period, the production of service robots in Guangdong reached 4.1698 million sets, "
           "an increase of 8.2% year-on-year.\n\n")


def _document(store, name: str) -> Document:
    with store.read() as session:
        return session.scalar(select(Document).where(Document.file_name == name))


def _anchors(store, name: str) -> dict[str, Anchor]:
    """The anchors of a document, by figure key."""
    with store.read() as session:
        rows = session.execute(select(Figure.key, Anchor).join(Anchor, Anchor.figure_id == Figure.id)
                               .join(Document, Document.id == Anchor.document_id)
                               .where(Document.file_name == name)).all()
    return {key: anchor for key, anchor in rows}


def _figure(store, key: str) -> Figure:
    with store.read() as session:
        return session.scalar(select(Figure).where(Figure.key == key))


def _assert_placed(store, name: str, text: str) -> None:
    """Every anchor that is not orphaned states its quote at its offsets, with fresh context."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for key, anchor in _anchors(store, name).items():
        if anchor.state == "orphaned":
            continue
        assert text[anchor.start:anchor.end] == anchor.quote, key
        assert (anchor.prefix, anchor.suffix) == span_context(text, anchor.start, anchor.end), key
        assert anchor.doc_sha256 == digest, key


# --- the pure placement ---------------------------------------------------------------------------
def test_reanchor_exact_moved_fuzzy_and_orphaned():
    old = "Intro. Output rose to 124,700 sets in May, up 33% on the year. The end."
    start = old.index("124,700 sets")
    end = start + len("124,700 sets")
    prefix, suffix = span_context(old, start, end)
    args = (start, end, "124,700 sets", prefix, suffix)
    assert reanchor(old, old + " More.", *args) == ("exact", start, end, 1.0)
    assert reanchor(old, "New lead. " + old, *args) == ("moved", start + 10, end + 10, 1.0)
    state, s, e, score = reanchor(old, old.replace("124,700", "124,800"), *args)
    assert (state, s, e) == ("fuzzy", start, end) and 0.8 <= score < 1
    assert reanchor(old, "Intro. Something else entirely. The end.", *args) == ("orphaned", start, end, 0.0)


def test_several_occurrences_without_context_are_not_guessed():
    old = "A: the plant made 124,700 sets last year; B: nothing."
    start = old.index("124,700 sets")
    prefix, suffix = span_context(old, start, start + 12)
    new = "X 124,700 sets X\nY 124,700 sets Y\n"  # two copies, neither keeps a character of context
    assert reanchor(old, new, start, start + 12, "124,700 sets", prefix, suffix)[0] == "orphaned"


def test_a_figure_never_takes_the_words_of_another():
    """In a text that repeats itself every copy of a sentence has the same context: a figure whose
    sentence was deleted must not move onto another copy that belongs to another figure."""
    copy = "Robots: 4.1698 million sets made. Drones: 2,000 makers.\n\n"
    old = copy * 3
    starts = [i for i in range(len(old)) if old.startswith("4.1698 million sets", i)]
    spans = [(s, s + 19, "4.1698 million sets", *span_context(old, s, s + 19)) for s in starts]
    new = copy + "Drones: 2,000 makers.\n\n" + copy  # the second copy's robots sentence is gone
    placed = Reanchorer(old, new).place_all(spans)
    assert [p[0] for p in placed] == ["exact", "orphaned", "moved"]
    assert placed[2][1] == new.rindex("4.1698 million sets")


# --- new versions in the store ---------------------------------------------------------------------
def test_text_inserted_before_a_figure_moves_it_and_verify_still_passes(seeded_store):
    doc = _document(seeded_store, DOC1)
    before = _anchors(seeded_store, DOC1)
    at = before["001-010"].start - 40  # inside the paragraph before figure 001-010 ...
    at = doc.text.rindex("\n", 0, at) + 1  # ... at its start
    inserted = "Editor's note: this article was updated with the latest figures.\n\n"
    text = doc.text[:at] + inserted + doc.text[at:]
    report = new_version(seeded_store, doc.id, text)
    assert report.document_id == doc.id and report.orphaned == report.fuzzy == 0
    assert report.exact + report.moved == len(before) and report.moved > 0
    after = _anchors(seeded_store, DOC1)
    for key, old in before.items():
        expected = ("exact", old.start) if old.start < at else ("moved", old.start + len(inserted))
        assert (after[key].state, after[key].start) == expected, key
        assert after[key].quote == old.quote and report.outcomes[after[key].figure_id] == expected[0]
    assert after["001-010"].state == "moved"
    _assert_placed(seeded_store, DOC1, text)
    stored = _document(seeded_store, DOC1)
    assert (stored.id, stored.text, stored.title, stored.file_name) == (doc.id, text, doc.title, doc.file_name)
    with seeded_store.read() as session:
        assert anchor_failures(session) == []
        assert session.get(Action, report.action_id).label == f"New version of {DOC1}"
    assert report.summary() == {"document": DOC1, "exact": report.exact, "moved": report.moved, "fuzzy": 0,
                                "orphaned": 0}


def test_a_changed_number_in_a_quote_is_fuzzy_and_back_to_review(seeded_store):
    doc = _document(seeded_store, DOC3)
    note = _figure(seeded_store, "003-002").note
    report = new_version(seeded_store, DOC3, doc.text.replace("124,700 sets", "124,800 sets"))
    assert (report.exact, report.moved, report.fuzzy, report.orphaned) == (10, 0, 1, 0)
    anchor = _anchors(seeded_store, DOC3)["003-002"]
    assert (anchor.state, anchor.quote, anchor.start, anchor.end) == ("fuzzy", "124,800 sets", 130, 142)
    figure = _figure(seeded_store, "003-002")
    assert figure.status == "candidate" and figure.note == note
    assert "'124,700 sets'" in figure.status_reason and "'124,800 sets'" in figure.status_reason
    assert "124,800" in figure.flag  # the typed value (124,700) no longer says what the words say
    assert _figure(seeded_store, "003-003").status == "verified"  # exact figures keep their review
    _assert_placed(seeded_store, DOC3, _document(seeded_store, DOC3).text)
    with seeded_store.read() as session:
        _, spans = document_with_spans(session, doc.id)
    assert {s[3] for s in spans if s[0] == figure.id} == {"candidate"}  # never shown as verified


def test_a_repeated_quote_keeps_to_the_occurrence_whose_context_matches(seeded_store):
    doc = _document(seeded_store, DOC3)
    body = doc.text.index("From January to May 2025")
    inserted = "Analysts had expected over 40% and 124,700 sets for the whole year.\n\n"
    text = doc.text[:body] + inserted + doc.text[body:]
    before = _anchors(seeded_store, DOC3)
    new_version(seeded_store, DOC3, text)
    after = _anchors(seeded_store, DOC3)
    for key in ("003-002", "003-004"):  # "124,700 sets" and the body's "over 40%"
        assert after[key].state == "moved" and after[key].start == before[key].start + len(inserted)
        assert text.find(after[key].quote, body) < after[key].start  # not the first occurrence after the title
    assert after["003-001"].state == "exact" and after["003-001"].start == before["003-001"].start  # the headline


def test_a_deleted_paragraph_orphans_its_figures_which_can_be_reattached(seeded_store):
    doc = _document(seeded_store, DOC3)
    before = _anchors(seeded_store, DOC3)
    text = doc.text.replace(SERVICE, "Service robot output reached 4.2 million sets in the period.\n\n")
    report = new_version(seeded_store, DOC3, text)
    assert (report.exact, report.moved, report.fuzzy, report.orphaned) == (5, 4, 0, 2)
    after = _anchors(seeded_store, DOC3)
    for key in ("003-006", "003-007"):
        old, now = before[key], after[key]
        assert now.state == "orphaned"
        assert (now.start, now.end, now.quote, now.prefix, now.suffix, now.doc_sha256) == \
            (old.start, old.end, old.quote, old.prefix, old.suffix, old.doc_sha256)
    _assert_placed(seeded_store, DOC3, text)
    with seeded_store.read() as session:
        assert anchor_failures(session) == []  # an orphan keeps its old offsets on purpose: not a failure
        assert [key for _, key, _, _ in orphaned_anchors(session)] == ["003-006", "003-007"]
        _, spans = document_with_spans(session, doc.id)
    assert sorted(s[3] for s in spans).count("flagged") == 2
    lost = orphans(seeded_store)
    assert [o["key"] for o in lost] == ["003-006", "003-007"] and orphans(seeded_store, doc.id + 1) == []
    assert {"quote": "4.1698 million sets", "doc": DOC3, "document_id": doc.id, "unit": "sets",
            "value_text": "4169800"}.items() <= lost[0].items()
    assert lost[0]["metric"] and lost[0]["prefix"] == before["003-006"].prefix
    start = text.index("4.2 million sets")
    reattach(seeded_store, lost[0]["figure_id"], start, start + len("4.2 million sets"))
    anchor = _anchors(seeded_store, DOC3)["003-006"]
    assert (anchor.state, anchor.quote, anchor.start) == ("exact", "4.2 million sets", start)
    assert (anchor.prefix, anchor.suffix) == span_context(text, start, anchor.end)
    assert "4.2" in _figure(seeded_store, "003-006").flag  # the value 4,169,800 is not what the words say
    assert [o["key"] for o in orphans(seeded_store)] == ["003-007"]
    with pytest.raises(StoreError, match="outside the document"):
        reattach(seeded_store, lost[1]["figure_id"], len(text) - 2, len(text) + 5)


def test_an_orphaned_verified_figure_goes_back_to_review_and_other_decisions_stay(seeded_store):
    verified, rejected = _figure(seeded_store, "003-006"), _figure(seeded_store, "003-007")
    set_status(seeded_store, [verified.id], "verified")
    set_status(seeded_store, [rejected.id], "rejected", "double counted")
    text = _document(seeded_store, DOC3).text.replace(SERVICE, "")
    report = new_version(seeded_store, DOC3, text)
    assert report.outcomes[verified.id] == report.outcomes[rejected.id] == "orphaned"
    now = _figure(seeded_store, "003-006")
    assert now.status == "candidate" and now.status_reason.startswith("orphaned: its words '4.1698 million sets'")
    [change] = [e for e in figure_history(seeded_store, verified.id) if e.action_id == report.action_id
                and e.table == "figures"]
    assert ("status", "verified", "candidate") in change.fields  # in the figure's history, by whom and when
    assert (_figure(seeded_store, "003-007").status, _figure(seeded_store, "003-007").status_reason) == \
        ("rejected", "double counted")  # a decision about the figure itself, not about its words
    undo(seeded_store, report.action_id)
    assert _figure(seeded_store, "003-006").status == "verified"


def test_verify_lists_orphans_apart_and_still_fails_a_broken_anchor(seeded_store, seeded_path, tmp_path):
    text = _document(seeded_store, DOC3).text.replace(SERVICE, "")
    seeded_store.close()
    path = tmp_path / "robots_v2.txt"
    path.write_text(text, encoding="utf-8")
    assert _cli("import", str(path), "--as-version-of", DOC3, "--db", str(seeded_path)).returncode == 0
    result = _cli("verify", "--db", str(seeded_path))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["figure 003-006: orphaned, its words '4.1698 million sets' are not in the current " + DOC3,
                         "figure 003-007: orphaned, its words '8.2%' are not in the current " + DOC3]
    assert lines[2] == f"all {SEED_FIGURES - 2} anchors match their documents; 2 orphaned figures to re-attach (the Orphans tab)"
    import sqlite3

    con = sqlite3.connect(seeded_path)  # a real break beside the orphans: still found, still exit 1
    con.execute("UPDATE anchors SET start = start + 1 WHERE figure_id = (SELECT id FROM figures WHERE key = '003-001')")
    con.commit()
    con.close()
    result = _cli("verify", "--db", str(seeded_path))
    assert result.returncode == 1 and result.stderr.startswith("figure 003-001:")
    assert f"1 of {SEED_FIGURES - 2} anchors do not match their documents; 2 orphaned" in result.stderr


def test_one_undo_restores_the_old_text_and_every_anchor(seeded_store):
    doc = _document(seeded_store, DOC3)

    def rows():
        with seeded_store.read() as session:
            document = snapshot(session.get(Document, doc.id))
            anchors = [snapshot(a) for a in session.scalars(select(Anchor).where(Anchor.document_id == doc.id)
                                                                .order_by(Anchor.id))]
            figures = [{k: v for k, v in snapshot(f).items() if k != "version"}
                       for f in session.scalars(select(Figure).where(Figure.key.like("003-%")).order_by(Figure.id))]
        return document, anchors, figures

    before = rows()
    text = "Update.\n\n" + doc.text.replace(SERVICE, "").replace("124,700 sets", "124,800 sets")
    report = new_version(seeded_store, doc.id, text, title="Robots, corrected")
    assert (report.moved, report.fuzzy, report.orphaned) == (8, 1, 2)
    assert _document(seeded_store, DOC3).title == "Robots, corrected"
    undo_id = undo(seeded_store, report.action_id)
    assert rows() == before
    undo(seeded_store, undo_id.action_id)  # redo: the new version again
    assert _document(seeded_store, DOC3).text == text and _anchors(seeded_store, DOC3)["003-007"].state == "orphaned"


def test_span_notes_follow_their_words(seeded_store):
    doc = _document(seeded_store, DOC3)
    start = doc.text.index("embodied intelligent robots")
    annotate(seeded_store, "the plan", document_id=doc.id, start=start, end=start + 27)
    new_version(seeded_store, DOC3, "Updated.\n\n" + doc.text)
    [note] = list_annotations(seeded_store, document_id=doc.id)
    assert note.start == start + 10 and note.quote == "embodied intelligent robots"


def test_refusals_store_nothing(seeded_store):
    doc = _document(seeded_store, DOC3)
    other = _document(seeded_store, DOC1)

    def actions():
        with seeded_store.read() as session:
            return session.scalar(select(func.count()).select_from(Action))

    count = actions()
    for document, text, message in (
        (doc.id, doc.text, "this is the same text; nothing to do"),
        ("nope.txt", "Some text.", "no document 'nope.txt'"),
        (9999, "Some text.", "no document 9999"),
        (doc.id, "  \n ", "empty"),
        (doc.id, other.text, "already in the store"),
    ):
        with pytest.raises(StoreError, match=message):
            new_version(seeded_store, document, text)
    assert actions() == count and _document(seeded_store, DOC3).text == doc.text


# --- the command line ------------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *args], capture_output=True, text=True, timeout=120)


def test_cli_imports_a_new_version_and_figures_show_the_anchor_states(seeded_path, seeded_store, tmp_path):
    text = _document(seeded_store, DOC3).text
    seeded_store.close()
    path = tmp_path / "robots_v2.txt"
    path.write_text("Update.\n\n" + text.replace(SERVICE, "").replace("124,700 sets", "124,800 sets"), encoding="utf-8")
    result = _cli("import", str(path), "--as-version-of", DOC3, "--db", str(seeded_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"document": DOC3, "exact": 0, "moved": 8, "fuzzy": 1, "orphaned": 2}
    assert result.stdout.count("\n") == 1
    figures = _cli("figures", "--format", "jsonl", "--doc", DOC3, "--db", str(seeded_path))
    states = {r["key"]: r["anchor"] for r in map(json.loads, figures.stdout.splitlines())}
    assert states["003-006"] == states["003-007"] == "orphaned" and states["003-002"] == "fuzzy"
    assert states["003-001"] == "moved"
    for args, message in (
        ((str(path), str(path), "--as-version-of", DOC3), "exactly one file"),
        ((str(path), "--as-version-of", "nope.txt"), "no document"),
        ((str(path), "--as-version-of", "4"), "same text"),  # by id: document 4 is DOC3, now this text
    ):
        refused = _cli("import", *args, "--db", str(seeded_path))
        assert refused.returncode == 2 and refused.stdout == "", args
        assert refused.stderr.count("\n") == 1 and message in refused.stderr, (args, refused.stderr)


# --- speed ---------------------------------------------------------------------------------------
def test_a_large_document_reanchors_in_seconds(seeded_store):
    """Document 001 repeated to about 1 MB, with its figures' anchors repeated with it."""
    seed = _document(seeded_store, DOC1)
    copies = 1_000_000 // len(seed.text) + 1
    big = seed.text * copies
    with seeded_store.write() as session:
        document = Document(file_name="big.txt", title="Big", text=big, origin="user",
                            sha256=hashlib.sha256(big.encode("utf-8")).hexdigest())
        session.add(document)
        session.flush()
        originals = session.execute(select(Figure, Anchor).join(Anchor, Anchor.figure_id == Figure.id)
                                    .where(Anchor.document_id == seed.id)).all()
        for n in range(copies):
            for figure, anchor in originals:
                copy = Figure(value=figure.value, value_text=figure.value_text, unit=figure.unit,
                              metric_id=figure.metric_id, entity_id=figure.entity_id, status="verified")
                s, e = anchor.start + n * len(seed.text), anchor.end + n * len(seed.text)
                copy.anchor = Anchor(document=document, start=s, end=e, quote=anchor.quote,
                                     prefix=big[max(0, s - 32):s], suffix=big[e:e + 32], doc_sha256=document.sha256)
                session.add(copy)
        total = copies * len(originals)
    cut = big.rindex("\n\n", 0, len(big) // 2)
    edited = "Corrected version.\n\n" + big[:cut] + "\n\nA new paragraph about nothing in particular." + big[cut:]
    started = time.perf_counter()
    report = new_version(seeded_store, "big.txt", edited)
    elapsed = time.perf_counter() - started
    assert report.moved == total and report.orphaned == report.fuzzy == 0
    assert elapsed < 30, f"{total} anchors of {len(big):,} characters took {elapsed:.1f} s"
    print(f"\n{total} anchors of {len(big):,} characters re-anchored in {elapsed:.2f} s")
