"""Lineage: each news figure linked to the official figure it restates, with a verdict, decided undoably."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from sqlalchemy import select

from store import open_store
from store.curation.figures import FigureDraft, add_figure, edit_figure
from store.curation.history import figure_history, undo
from store.curation.importing import import_documents
from store.curation.lineage import confirm_link, lineage_states, links, propose_links, remove_link
from store.errors import StoreError
from store.models import Anchor, Document, Figure, LineageLink
from store.query.lineage_rule import LinkableRow, verdict

REPORT = "005_63fab1a22a40af2e.txt"
NEWS = "000_806b1f88b7e42a83.txt"
# Seed 000's figures that issue 14's "Done when" names, and the report's words they restate (words around, quote).
DONE_WHEN = {"000-019": ("工业机器人产量增长31.2%", "31.2%"), "000-020": ("工业机器人产量增长31.2%、占全国4成", "4成"),
             "000-005": ("预计全社会研发投入5350亿元", "5350亿元"), "000-006": ("研发投入强度达3.6%", "3.6%")}
ROBOTS = DONE_WHEN["000-019"]


def linkable(fields: dict) -> LinkableRow:
    """A lineage row of these value fields (the rest blank): what the verdict reads."""
    blank = dict.fromkeys(LinkableRow.__dataclass_fields__, "")
    return LinkableRow(**{**blank, "id": 0, "metric_id": 0, "entity_id": 0, "document_id": 0, "start": 0, "end": 0,
                          "projected": False, **fields})


def _cli(*args: str, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", "--db", str(db), *args], capture_output=True, text=True)


def _ids(store) -> dict[str, int]:
    with store.read() as session:
        return dict(session.execute(select(Figure.key, Figure.id).where(Figure.key.is_not(None))).all())


def _report_start(text: str, words: str, quote: str) -> int:
    assert text.count(words) == 1
    return text.index(words) + words.index(quote)


def _report_figure(store, words: str, quote: str) -> int:
    """The curated figure of the report on these words (keys change as the curation grows; words do not)."""
    report = _doc(store, REPORT)
    with store.read() as session:
        return session.scalar(select(Anchor.figure_id).where(
            Anchor.document_id == report.id, Anchor.start == _report_start(report.text, words, quote)))


def _doc(store, name: str) -> Document:
    with store.read() as session:
        return session.scalar(select(Document).where(Document.file_name == name))


def _add(store, doc: str, quote: str, value: str, *, period="2025", entity="guangdong", metric="production_growth",
         cluster="smart_robots", unit="%", qualifier="", occurrence=0) -> int:
    """A figure on words of a seed document (the n-th occurrence of the quote)."""
    document = _doc(store, doc)
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(quote, start + 1)
    changes = add_figure(store, FigureDraft(
        document_id=document.id, start=start, end=start + len(quote), value_text=value, unit=unit, metric=metric,
        entity=entity, cluster=cluster, period=period, qualifier=qualifier))
    return changes.first_created("figures")


def test_a_new_store_links_the_four_done_when_figures_to_the_report(tmp_path):
    db = tmp_path / "new.sqlite3"
    result = _cli("lineage", "--format", "jsonl", db=db)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    found = {r["figure"]["key"]: r for r in records}
    store = open_store(str(db))
    try:
        texts = {d: _doc(store, d).text for d in (NEWS, REPORT)}
    finally:
        store.close()
    for news_key, (words, quote) in DONE_WHEN.items():
        record = found[news_key]
        assert (record["source"]["start"], record["source"]["quote"]) == (_report_start(texts[REPORT], words, quote), quote)
        assert record["verdict"] in ("corroborates", "rounds") and record["status"] == "proposed"
        assert record["figure"]["doc"] == NEWS and record["source"]["doc"] == REPORT
        for side in ("figure", "source"):
            assert set(record[side]) >= {"id", "doc", "start", "end", "quote", "value"}
    assert found["000-020"]["source"]["quote"] == "4成" and found["000-020"]["figure"]["value"] == 40
    assert found["000-005"]["source"]["quote"] == "5350亿元"
    assert found["000-005"]["figure"]["value"] == found["000-005"]["source"]["value"] == 535_000_000_000
    # The quotes are the documents' words at the offsets given.
    for record in records:
        for side in ("figure", "source"):
            end = record[side]
            if end["doc"] in texts:
                assert texts[end["doc"]][end["start"]:end["end"]] == end["quote"]
    # Every link joins a news figure to the official report, one key.
    assert all(r["figure"]["doc_kind"] == "news" and r["source"]["doc_kind"] == "official" for r in records)
    assert all((r["figure"]["metric"], r["figure"]["entity"], r["figure"]["period"], r["figure"]["unit"])
               == (r["source"]["metric"], r["source"]["entity"], r["source"]["period"], r["source"]["unit"])
               for r in records)
    table = _cli("lineage", db=db)
    assert table.returncode == 0 and "000-019" in table.stdout and "corroborates" in table.stdout


def test_bad_cli_input_is_one_line_and_a_nonzero_exit(tmp_path):
    db = tmp_path / "s.sqlite3"
    for args in (("lineage", "--figure", "x"), ("lineage", "--format", "xml"), ("lineage", "--status", "maybe")):
        result = _cli(*args, db=db)
        assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stated, scale, qualifier, source, source_scale, expected", [
    ("31.2", "", "", "31.2", "", "corroborates"),
    ("535000000000", "billion", "projected", "535000000000", "亿", "corroborates"),  # 535 billion = 5350亿
    ("41", "", "", "40", "成", "rounds"),  # 4成 is stated to the tenth
    ("270", "", "nearly", "267", "", "rounds"),
    ("8000000000000", "trillion", "over", "8200000000000", "", "rounds"),  # "exceeded 8 trillion"
    ("31", "", "approximately", "31.2", "", "rounds"),
    ("31", "", "", "31.2", "", "rounds"),  # 31 % is 31.2 % to its last digit
    ("30", "", "", "31.2", "", "differs"),
    ("270", "", "", "267", "", "differs"),
    ("270", "", "nearly", "281", "", "differs"),  # nearly 270: within ten below, five above
    ("8000000000000", "trillion", "over", "7900000000000", "", "differs"),
    ("1/3", "", "", "33.3", "", "differs"),
])
def test_the_verdict_is_exact_arithmetic_within_the_stated_precision(stated, scale, qualifier, source,
                                                                        source_scale, expected):
    figure = {"value_text": stated, "value_max_text": None, "scale": scale, "qualifier": qualifier}
    official = {"value_text": source, "value_max_text": None, "scale": source_scale, "qualifier": ""}
    assert verdict(linkable(figure), linkable(official)) == expected


@pytest.mark.parametrize("stated, qualifier, source, source_qualifier, expected", [
    ("50", "over", "95", "", "rounds"),  # a bound admits any value on its side (the conflict rule's reading)
    ("50", "over", "49.6", "", "differs"),  # within the rounding of 50, but on the wrong side
    ("270", "nearly", "272", "", "rounds"),  # approximate, as the conflict rule reads it: to its last digit
    ("50", "over", "50", "less than", "differs"),  # the same number, sides that cannot both hold
    ("50", "over", "50", "", "rounds"),  # the same number, one a bound: not the same statement
    ("50", "at least", "50", "up to", "rounds"),
])
def test_the_verdict_reads_bounds_as_the_conflict_rule_does(stated, qualifier, source, source_qualifier, expected):
    from store.query.conflict_rule import bound, disagree, is_approximate, steps

    figure = {"value_text": stated, "value_max_text": None, "scale": "", "qualifier": qualifier}
    official = {"value_text": source, "value_max_text": None, "scale": "", "qualifier": source_qualifier}
    assert verdict(linkable(figure), linkable(official)) == expected
    if stated != source:  # the float rule of the Conflicts tab says the same
        values = [float(stated), float(source)]
        steps_ = steps(values, [1.0, 1.0], [is_approximate(qualifier), is_approximate(source_qualifier)]).tolist()
        sides = (bound(qualifier), bound(source_qualifier))
        assert disagree(values[0], steps_[0], values[1], steps_[1], sides) == (expected == "differs")


def test_ranges_compare_both_ends():
    target = {"value_text": "4.5", "value_max_text": "5", "scale": "", "qualifier": "target"}
    assert verdict(linkable(target), linkable(target)) == "corroborates"
    assert verdict(linkable({**target, "value_max_text": "6"}), linkable(target)) == "differs"
    assert verdict(linkable({**target, "value_max_text": None}), linkable(target)) == "differs"


def test_near_misses_are_never_linked(seeded_store):
    ids = _ids(seeded_store)
    robots = _report_figure(seeded_store, *ROBOTS)
    share = _report_figure(seeded_store, *DONE_WHEN["000-020"])
    before = {(link.figure.id, link.source.id) for link in links(seeded_store)}
    # In the official report: the same value for another year, another province, and a growth
    # rate against a level (the same metric, unit and value, but a change).
    other_year = _add(seeded_store, REPORT, "31.2%", "31.2", period="2023")
    other_place = _add(seeded_store, REPORT, "31.2%", "31.2", entity="jiangsu")
    as_growth = _add(seeded_store, REPORT, "4成", "40", metric="national_share")
    with seeded_store.write() as session:
        session.get(Figure, as_growth).growth = "change"
    propose_links(seeded_store)
    after = links(seeded_store)
    for link in after:
        assert {link.figure.id, link.source.id}.isdisjoint({other_year, other_place, as_growth}), link
    assert {(link.figure.id, link.source.id) for link in after} == before
    # The real ones are still there, once each.
    assert (ids["000-019"], robots) in before and (ids["000-020"], share) in before


def test_a_different_value_is_linked_as_differs_and_shown_as_such(seeded_store):
    ids = _ids(seeded_store)
    robots = _report_figure(seeded_store, *ROBOTS)
    # A news sentence stating 30.2 % for the same key: a conflict with the report's 31.2 %.
    wrong = _add(seeded_store, NEWS, "31.2%", "30.2")
    [link] = links(seeded_store, [wrong])
    assert link.source.id == robots and link.verdict == "differs" and link.source.doc_kind == "official"
    states = lineage_states(seeded_store)
    assert states[wrong] == "differs" and states[ids["000-019"]] == "official"
    assert robots not in states  # a figure of the official document itself has no state
    # Corrected by an edit: the same link, its verdict now corroborates.
    edit_figure(seeded_store, wrong, {"value_text": "31.2"})
    [again] = links(seeded_store, [wrong])
    assert again.id == link.id and again.verdict == "corroborates"
    # Filed under another metric: the proposal goes.
    edit_figure(seeded_store, wrong, {"metric": "global_share"})
    assert links(seeded_store, [wrong]) == []


def test_confirm_remove_and_undo_leave_history(seeded_store):
    ids = _ids(seeded_store)
    robots = _report_figure(seeded_store, *ROBOTS)
    [link] = [link for link in links(seeded_store, [ids["000-019"]]) if link.source.id == robots]
    confirmed = confirm_link(seeded_store, link.id)
    assert confirmed.action_id and ids["000-019"] in confirmed.figures
    assert links(seeded_store, [ids["000-019"]])[0].status == "confirmed"
    removed = remove_link(seeded_store, link.id)
    assert links(seeded_store, [ids["000-019"]]) == []
    assert [link.id for link in links(seeded_store, [ids["000-019"]], statuses=("removed",))] == [link.id]
    assert ids["000-019"] not in lineage_states(seeded_store)
    # Proposing again never brings a removed link back.
    assert not propose_links(seeded_store)
    assert links(seeded_store, [ids["000-019"]]) == []
    undo(seeded_store, removed.action_id)
    assert [(link.id, link.status) for link in links(seeded_store, [ids["000-019"]])] == [(link.id, "confirmed")]
    entries = [e for e in figure_history(seeded_store, ids["000-019"]) if e.table == "lineage_links"]
    assert [e.label for e in entries] == ["Confirm lineage link", "Remove lineage link", "Undo Remove lineage link"]
    assert ("status", "confirmed", "removed") in entries[1].fields
    with seeded_store.read() as session:
        assert session.get(LineageLink, link.id).version == 4
    with pytest.raises(StoreError, match="no lineage link"):
        confirm_link(seeded_store, 10**6)


def test_proposing_twice_writes_nothing_the_second_time(seeded_store):
    first = links(seeded_store)
    assert not propose_links(seeded_store)
    assert not propose_links(seeded_store, [_doc(seeded_store, NEWS).id])
    assert links(seeded_store) == first


def test_importing_a_document_proposes_its_links(seeded_store, tmp_path):
    robots = _report_figure(seeded_store, *ROBOTS)
    path = tmp_path / "robots.txt"
    path.write_text("Guangdong's industrial robot output grew 31.2% in 2025.\n", encoding="utf-8")
    [result] = import_documents(seeded_store, [path])
    found = [link for link in links(seeded_store) if link.figure.doc == result.document_id]
    assert [(link.source.id, link.verdict, link.status) for link in found] == [(robots, "corroborates", "proposed")]
    assert Fraction(found[0].figure.value) == Fraction("31.2")


def test_exports_carry_the_official_source_beside_the_existing_columns(seeded_store, tmp_path):
    import pandas as pd

    from store.export.figures import COLUMNS, ExportOptions, export_figures

    ids = _ids(seeded_store)
    wrong = _add(seeded_store, NEWS, "31.2%", "30.2")  # a second news figure on the same words, differing
    out = tmp_path / "figures.csv"
    export_figures(seeded_store, out, ExportOptions("csv"))
    titles = {column.key: column.title for column in COLUMNS}
    frame = pd.read_csv(out, dtype=str, keep_default_na=False).set_index(titles["id"])
    assert list(frame.columns)[:len(COLUMNS) - 9] == [c.title for c in COLUMNS[1:len(COLUMNS) - 8]]
    report = _doc(seeded_store, REPORT)
    robots = frame.loc[str(ids["000-019"])]
    start = _report_start(report.text, *ROBOTS)
    assert (robots[titles["lineage_verdict"]], robots[titles["lineage_status"]], robots[titles["lineage_source_doc"]],
            robots[titles["lineage_source_start"]], robots[titles["lineage_source_end"]],
            robots[titles["lineage_source_quote"]]) == ("corroborates", "proposed", REPORT, str(start),
                                                         str(start + 5), "31.2%")
    assert robots[titles["lineage_source_title"]] == report.title
    assert frame.loc[str(wrong)][titles["lineage_verdict"]] == "differs"
    # No official source: empty; the report's own figure: empty too.
    assert frame.loc[str(ids["000-001"])][titles["lineage_verdict"]] == ""
    assert frame.loc[robots[titles["lineage_source_id"]]][titles["lineage_verdict"]] == ""
    json_out = tmp_path / "figures.json"
    export_figures(seeded_store, json_out, ExportOptions("json"))
    records = {r["id"]: r for r in json.loads(json_out.read_text(encoding="utf-8"))["figures"]}
    assert records[ids["000-019"]]["lineage_source_start"] == start


def test_a_document_that_stops_being_official_takes_its_proposals_with_it(seeded_store):
    from store.curation.citation import edit_citation

    ids = _ids(seeded_store)
    report = _doc(seeded_store, REPORT)
    before = {(link.figure.id, link.source.id, link.verdict) for link in links(seeded_store)}
    confirm_link(seeded_store, links(seeded_store, [ids["000-019"]])[0].id)
    action_id = edit_citation(seeded_store, report.id, {"kind": "news"}).action_id
    # Proposals go (no official side is left); the curator's confirmed link stays.
    assert [(link.figure.id, link.status) for link in links(seeded_store)] == [(ids["000-019"], "confirmed")]
    assert ids["000-020"] not in lineage_states(seeded_store)
    undo(seeded_store, action_id)
    assert {(link.figure.id, link.source.id, link.verdict) for link in links(seeded_store)} == before
    edit_citation(seeded_store, report.id, {"kind": "news"})
    edit_citation(seeded_store, report.id, {"kind": "official"})
    assert {(link.figure.id, link.source.id, link.verdict) for link in links(seeded_store)} == before
