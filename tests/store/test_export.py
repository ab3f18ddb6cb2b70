"""The export engine: every format read back by an independent reader, safe cells, atomic writes, the CLI.

The expected values come from the store through store.queries (not the
exporter's own SQL), so a wrong join or a lost digit in the exporter shows.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import frictionless
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from tests.seed_counts import SEED_FIGURES, SEED_DOCUMENTS
from store import export_csv, export_formats
from store.annotations import annotate
from store.browse import FigureQuery, figure_ids
from store.curation import edit_figure
from store.errors import StoreError
from store.export import (COLUMNS, DEFAULT_COLUMNS, FORMATS, PROVENANCE_COLUMNS, ExportCancelled, ExportOptions,
                          export_figures, neutralise)
from store.models import Document
from store.queries import FigureFilter, iter_figures

ROOT = Path(__file__).resolve().parents[2]
TITLES = {column.key: column.title for column in COLUMNS}
DANGEROUS = ['=HYPERLINK("http://example.invalid","x")', "@SUM(A1)", "-1+1", "\tcmd"]
PLAIN_NUMBERS = ["+1", "-2"]
NOTES = DANGEROUS[:3] + PLAIN_NUMBERS  # annotations are stored stripped: no leading tab


def _truth(store, flt: FigureFilter | None = None) -> dict[int, dict]:
    """What the store holds for each figure, read without the exporter."""
    with store.read() as session:
        docs = {d.file_name: d for d in session.scalars(select(Document))}
        rows = {}
        for row in iter_figures(session, flt):
            doc = docs[row["doc"]]
            rows[row["id"]] = {**row, "publisher": doc.publisher, "published": doc.published, "doc_title": doc.title}
    return rows


def _check_provenance(got: dict, want: dict) -> None:
    """`got` holds text as the reader gave it back; numbers may be text (CSV) or numbers."""
    assert got["value_text"] == want["value_text"]
    assert float(got["value"]) == want["value"]
    for key in ("doc", "doc_title", "quote", "publisher", "published", "status"):
        assert (got[key] or "") == (want[key] or ""), key
    assert int(got["start"]) == want["start"] and int(got["end"]) == want["end"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith((".part", ".old")))


# --- Each format, read back -------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_csv_reads_back_with_titles_exact_values_and_provenance(seeded_store, tmp_path, bom):
    out = tmp_path / "figures.csv"
    report = export_figures(seeded_store, out, ExportOptions("csv", bom=bom))
    truth = _truth(seeded_store)
    assert (report.rows, report.sources, report.format, report.path) == (len(truth), SEED_DOCUMENTS, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom and b"\r\n" in raw
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig" if bom else "utf-8")
    assert list(frame.columns) == [TITLES[key] for key in DEFAULT_COLUMNS]
    by_title = {title: key for key, title in TITLES.items()}
    records = [{by_title[title]: value for title, value in row.items()} for row in frame.to_dict("records")]
    assert [int(r["id"]) for r in records] == sorted(truth)
    for record in records:
        _check_provenance(record, truth[int(record["id"])])
    one_third = next(r for r in records if r["value_text"] == "1/3")  # a fraction stays a fraction
    assert float(one_third["value"]) == pytest.approx(1 / 3)


def test_xlsx_has_typed_figures_and_a_sources_sheet(seeded_store, tmp_path):
    out = tmp_path / "figures.xlsx"
    export_figures(seeded_store, out, ExportOptions("xlsx"))
    truth = _truth(seeded_store)
    book = openpyxl.load_workbook(out, read_only=False)
    assert book.sheetnames == ["Figures", "Sources"]
    sheet = book["Figures"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    header = [TITLES[key] for key in DEFAULT_COLUMNS]
    assert list(rows[0]) == header
    records = [dict(zip(DEFAULT_COLUMNS, row)) for row in rows[1:]]
    assert [r["id"] for r in records] == sorted(truth)
    for record in records:
        assert isinstance(record["value"], (int, float)) and isinstance(record["start"], int)
        assert isinstance(record["value_text"], str)
        _check_provenance(record, truth[record["id"]])
    sources = list(book["Sources"].iter_rows(values_only=True))
    assert sources[0] == ("File", "Title", "Publisher", "Author", "Published", "SHA-256", "Figures")
    with seeded_store.read() as session:
        docs = {d.file_name: d for d in session.scalars(select(Document))}
    assert sum(row[6] for row in sources[1:]) == len(truth)
    for file_name, title, publisher, _author, published, sha256, _count in sources[1:]:
        doc = docs[file_name]
        assert (title, publisher or "", published, sha256) == (doc.title, doc.publisher, doc.published, doc.sha256)


def test_a_large_xlsx_streams_with_constant_memory_and_reads_the_same(seeded_store, tmp_path, monkeypatch):
    monkeypatch.setattr(export_formats, "XLSX_CONSTANT_MEMORY_ROWS", 0)
    out = tmp_path / "big.xlsx"
    export_figures(seeded_store, out, ExportOptions("xlsx"))
    rows = list(openpyxl.load_workbook(out)["Figures"].iter_rows(values_only=True))
    truth = _truth(seeded_store)
    assert len(rows) == len(truth) + 1
    for row in rows[1:]:
        _check_provenance(dict(zip(DEFAULT_COLUMNS, row)), truth[row[0]])


def test_json_keeps_exact_text_beside_the_number(seeded_store, tmp_path):
    out = tmp_path / "figures.json"
    export_figures(seeded_store, out, ExportOptions("json"))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"exported_at", "figures", "sources"}
    truth = _truth(seeded_store)
    assert [f["id"] for f in data["figures"]] == sorted(truth)
    for figure in data["figures"]:
        assert isinstance(figure["value"], float)
        _check_provenance(figure, truth[figure["id"]])
    assert {s["file"] for s in data["sources"]} == {t["doc"] for t in truth.values()}
    assert "\\u" not in out.read_text(encoding="utf-8")  # ensure_ascii=False: 亿 is written as 亿


def test_parquet_is_typed_and_exact(seeded_store, tmp_path):
    out = tmp_path / "figures.parquet"
    export_figures(seeded_store, out, ExportOptions("parquet"))
    table = pq.read_table(out)
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.field("value").type == pa.float64()
    assert table.schema.field("value_text").type == pa.string()
    assert table.schema.field("start").type == pa.int64()
    truth = _truth(seeded_store)
    records = table.to_pylist()
    assert [r["id"] for r in records] == sorted(truth)
    for record in records:
        _check_provenance(record, truth[record["id"]])
    sources = json.loads(pq.read_metadata(out).metadata[b"sources"])
    assert sum(s["figures"] for s in sources) == len(truth)


@pytest.mark.parametrize("name", ["package", "package.zip"])
def test_the_data_package_is_valid_frictionless(seeded_store, tmp_path, name):
    out = tmp_path / name
    export_figures(seeded_store, out, ExportOptions("datapackage"))
    if name.endswith(".zip"):
        with zipfile.ZipFile(out) as archive:
            assert set(archive.namelist()) == set(export_formats.DATAPACKAGE_FILES)
            archive.extractall(tmp_path / "unzipped")
        folder = tmp_path / "unzipped"
    else:
        folder = out
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    figures = next(r for r in descriptor["resources"] if r["name"] == "figures")
    fields = {f["name"]: f for f in figures["schema"]["fields"]}
    assert figures["schema"]["primaryKey"] == ["id"] and "unit" in fields["value"]["description"]
    assert all(f["title"] and f["description"] and f["type"] in ("integer", "number", "string") for f in fields.values())
    assert len(descriptor["sources"]) == SEED_DOCUMENTS and all(s["title"] and s["path"] for s in descriptor["sources"])
    frame = pd.read_csv(folder / "figures.csv", dtype=str, keep_default_na=False)
    truth = _truth(seeded_store)
    for record in frame.to_dict("records"):
        _check_provenance(record, truth[int(record["id"])])
    assert "value_text" in (folder / "README.md").read_text(encoding="utf-8")


def test_columns_in_any_order_carry_their_own_values(seeded_store, tmp_path):
    keys = ("entity_name", "id", "cluster", "doc_title", "metric", "value", "doc", "cluster_name", "value_text",
            "entity", "metric_name", "author", "quote")
    out = tmp_path / "order.csv"
    export_figures(seeded_store, out, ExportOptions("csv", columns=keys, annotations=False))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    expected = [*keys, *(key for key in PROVENANCE_COLUMNS if key not in keys)]
    assert list(frame.columns) == [TITLES[key] for key in expected]
    by_title = {title: key for key, title in TITLES.items()}
    truth = _truth(seeded_store)
    records = [{by_title[title]: value for title, value in row.items()} for row in frame.to_dict("records")]
    assert [int(r["id"]) for r in records] == sorted(truth)
    assert any(not r["cluster"] for r in records) and any(r["cluster"] for r in records)
    for record in records:
        want = truth[int(record["id"])]
        for key in ("entity_name", "cluster", "doc_title", "metric", "doc", "cluster_name", "entity", "metric_name"):
            assert record[key] == (want[key] or ""), key
        _check_provenance(record, want)


def _csv_module_bytes(kinds: list[str], batches: list[list]) -> bytes:
    """What the exporter wrote with the csv module, cell by cell: the reference for CsvRows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    convert = export_csv._csv_batch(kinds)
    for columns in batches:
        writer.writerows(convert([list(column) for column in columns]))
    return buffer.getvalue().encode("utf-8")


def test_csv_rows_write_the_bytes_the_csv_module_wrote(monkeypatch):
    monkeypatch.setattr(export_csv, "CSV_CHUNK_ROWS", 50)  # several chunks, the last one part full
    texts = ["", None, "plain", "a,b", 'say "hi"', '"', "two\nlines", "cr\r", "crlf\r\n", "=1+1", "=", "-2", "+1/3",
             "-1.5", "-", "-1.", "+", "@x", "\tcmd", "\rx", "\0x", "x\0y", "'=x", "é亿 1,2", "-１２", "=\"a,b\"\n",
             " lead", "trail ", "x;y", "a'b", "\u2028", "😀,"]
    numbers = [None, 0.0, -0.0, 1.0, -2.0, 1100000000000.0, 2.0**53 - 1, 2.0**53, -(2.0**53), 1e16, 1e20, 1 / 3,
               0.1, -2.5, 1e-05, 1e-300, 123456789012345.6, 5e-324, 1.7976931348623157e308, float("nan"),
               float("inf"), float("-inf")]
    integers = [None, 0, -1, 7, 2**62, -(2**63)]
    titles = ["Title", "=HYPERLINK(1)", "a,b", None]
    kinds = ["integer", "string", "number", "string", "string", "number", "string"]
    rng = random.Random(4180)
    batches, coded_values = [], titles + [None]
    for size in (1, 37, 80, 13):
        places = [rng.randrange(len(coded_values)) for _ in range(size)]
        batches.append([
            [rng.choice(integers) for _ in range(size)],
            [rng.choice(texts) for _ in range(size)],
            [rng.choice(numbers) for _ in range(size)],
            export_csv.Coded(places, coded_values),
            [rng.choice(texts) for _ in range(size)],
            [rng.choice(numbers) for _ in range(size)],
            [rng.choice(texts) for _ in range(size)],
        ])
    batches[2][0][5] = 1.5  # SQLite keeps a float in an integer column: written as the csv module did, "1.5"
    written = io.BytesIO()
    rows = export_csv.CsvRows(written, kinds)
    for columns in batches:
        rows.write(columns)
    rows.flush()
    assert written.getvalue() == _csv_module_bytes(kinds, batches)


# --- Selections, columns, progress ----------------------------------------------------------------


def test_figure_ids_keep_their_order_and_a_query_its_sort(seeded_store, tmp_path):
    out = tmp_path / "some.json"
    export_figures(seeded_store, out, ExportOptions("json"), figure_ids=[40, 3, 17, 3])
    assert [f["id"] for f in json.loads(out.read_text())["figures"]] == [40, 3, 17]
    query = FigureQuery(sort="value", descending=True, text="robot")
    export_figures(seeded_store, out, ExportOptions("json"), query=query)
    with seeded_store.read() as session:
        expected = figure_ids(session, query)
    assert expected and [f["id"] for f in json.loads(out.read_text())["figures"]] == expected


def test_filters_select_what_the_figures_listing_selects(seeded_store, tmp_path):
    flt = FigureFilter(clusters=["smart_robots"], statuses=["verified"])
    out = tmp_path / "robots.json"
    report = export_figures(seeded_store, out, ExportOptions("json"), filters=flt)
    got = [f["id"] for f in json.loads(out.read_text())["figures"]]
    assert got and got == sorted(_truth(seeded_store, flt)) and report.rows == len(got)


def test_chosen_columns_always_carry_the_provenance(seeded_store, tmp_path):
    out = tmp_path / "few.json"
    export_figures(seeded_store, out, ExportOptions("json", columns=("value_text", "id"), annotations=False))
    figure = json.loads(out.read_text())["figures"][0]
    assert list(figure) == ["value_text", "id", *PROVENANCE_COLUMNS]
    with pytest.raises(StoreError, match="unknown column 'nope'"):
        export_figures(seeded_store, out, ExportOptions("json", columns=("id", "nope")))
    with pytest.raises(StoreError, match="unknown export format"):
        export_figures(seeded_store, out, ExportOptions("docx"))
    with pytest.raises(StoreError):
        export_figures(seeded_store, out, ExportOptions("json"), figure_ids=[1], filters=FigureFilter())


def test_annotations_are_joined_in_one_column(seeded_store, tmp_path):
    annotate(seeded_store, "first note", figure_id=5)
    annotate(seeded_store, "second note", figure_id=5)
    out = tmp_path / "notes.json"
    export_figures(seeded_store, out, ExportOptions("json"), figure_ids=[5, 6])
    first, second = json.loads(out.read_text())["figures"]
    assert first["annotations"] == "first note | second note" and second["annotations"] == ""


def test_progress_reports_batches_up_to_the_total(seeded_store, tmp_path, monkeypatch):
    monkeypatch.setattr("store.export_rows.BATCH_ROWS", 50)
    calls = []
    export_figures(seeded_store, tmp_path / "f.csv", ExportOptions("csv"), progress=lambda d, t: calls.append((d, t)))
    total = len(_truth(seeded_store))
    assert calls[0] == (0, total) and calls[-1] == (total, total) and len(calls) == 1 + -(-total // 50)


# --- Safe cells ---------------------------------------------------------------------------------------


def test_neutralise_quotes_formulas_but_not_numbers():
    for text in DANGEROUS + ["=1+1", "\rx", "\0x", "+A1", "-", "-1,2", "-5 %x"]:
        assert neutralise(text) == "'" + text
    for value in PLAIN_NUMBERS + ["-2.5", "3/4", "-1/3", "-1,234.5", "-3.2 %", "plain", "", "a=b", -2, -2.5, None]:
        assert neutralise(value) == value


@pytest.fixture
def hostile_store(seeded_store):
    """Formula-like text in document titles and annotations, and a figure whose value is -2."""
    with seeded_store.write() as session:
        for doc, text in zip(session.scalars(select(Document).order_by(Document.id)), DANGEROUS + PLAIN_NUMBERS):
            doc.title = text
    for figure_id, text in enumerate(NOTES, start=1):
        annotate(seeded_store, text, figure_id=figure_id)
    edit_figure(seeded_store, 10, {"value_text": "-2"})
    return seeded_store


def _expected_cell(text: str) -> str:
    return text if text in PLAIN_NUMBERS else "'" + text


def test_csv_cells_never_start_a_formula(hostile_store, tmp_path):
    out = tmp_path / "hostile.csv"
    export_figures(hostile_store, out, ExportOptions("csv"))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    titles = set(frame[TITLES["doc_title"]])
    assert titles == {_expected_cell(t) for t in DANGEROUS + PLAIN_NUMBERS}
    notes = set(frame[TITLES["annotations"]]) - {""}
    assert notes == {_expected_cell(t) for t in NOTES}
    for column in frame.columns:
        for cell in frame[column]:
            assert not cell or cell[0] not in "=+-@\t\r" or _is_number(cell), (column, cell)
    negative = frame[frame[TITLES["id"]] == "10"].iloc[0]
    assert negative[TITLES["value_text"]] == "-2" and negative[TITLES["value"]] == "-2"


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_xlsx_has_no_formula_and_a_negative_value_stays_a_number(hostile_store, tmp_path):
    out = tmp_path / "hostile.xlsx"
    export_figures(hostile_store, out, ExportOptions("xlsx"))
    with zipfile.ZipFile(out) as archive:
        for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml and 't="str"' not in xml
    book = openpyxl.load_workbook(out)
    figures = [dict(zip(DEFAULT_COLUMNS, row)) for row in book["Figures"].iter_rows(min_row=2, values_only=True)]
    titles = {f["doc_title"] for f in figures}
    assert titles == {_expected_cell(t) for t in DANGEROUS + PLAIN_NUMBERS}
    notes = {f["annotations"] for f in figures if f["annotations"]}
    assert notes == {_expected_cell(t) for t in NOTES}
    negative = next(f for f in figures if f["id"] == 10)
    assert negative["value"] == -2 and isinstance(negative["value"], (int, float)) and negative["value_text"] == "-2"
    source_titles = {row[1] for row in book["Sources"].iter_rows(min_row=2, values_only=True)}
    assert source_titles == titles


def test_json_and_parquet_keep_the_stored_text(hostile_store, tmp_path):
    export_figures(hostile_store, tmp_path / "h.json", ExportOptions("json"))
    export_figures(hostile_store, tmp_path / "h.parquet", ExportOptions("parquet"))
    from_json = {f["doc_title"] for f in json.loads((tmp_path / "h.json").read_text())["figures"]}
    from_parquet = set(pq.read_table(tmp_path / "h.parquet").column("doc_title").to_pylist())
    assert from_json == from_parquet == set(DANGEROUS + PLAIN_NUMBERS)


def test_the_hostile_data_package_is_still_valid(hostile_store, tmp_path):
    export_figures(hostile_store, tmp_path / "pkg", ExportOptions("datapackage"))
    assert frictionless.validate(str(tmp_path / "pkg" / "datapackage.json")).valid
    frame = pd.read_csv(tmp_path / "pkg" / "figures.csv", dtype=str, keep_default_na=False)
    assert "'" + DANGEROUS[0] in set(frame["doc_title"])


# --- Atomic writes --------------------------------------------------------------------------------------


@pytest.fixture
def old_file(tmp_path) -> Path:
    path = tmp_path / "out" / "figures.csv"
    path.parent.mkdir()
    path.write_bytes(b"the previous export\r\n")
    return path


def test_unwritable_targets_are_one_line_errors(seeded_store, tmp_path):
    for target in (tmp_path / "missing" / "f.csv", tmp_path):
        with pytest.raises(StoreError, match="cannot write") as caught:
            export_figures(seeded_store, target, ExportOptions("csv"))
        assert "\n" not in str(caught.value)
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(StoreError, match="holds other files"):  # never delete a folder that is not ours
        export_figures(seeded_store, tmp_path, ExportOptions("datapackage"))
    assert (tmp_path / "mine.txt").read_text() == "keep me"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_leaves_the_old_file(seeded_store, old_file):
    os.chmod(old_file.parent, 0o500)
    try:
        with pytest.raises(StoreError, match="cannot write"):
            export_figures(seeded_store, old_file, ExportOptions("csv"))
    finally:
        os.chmod(old_file.parent, 0o700)
    assert old_file.read_bytes() == b"the previous export\r\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cancel_leaves_the_old_file_and_no_temporary(seeded_store, old_file, fmt, monkeypatch, tmp_path):
    monkeypatch.setattr("store.export_rows.BATCH_ROWS", 50)
    monkeypatch.setattr(export_formats, "XLSX_CONSTANT_MEMORY_ROWS", 0)  # XLSX scratch files too
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = old_file if fmt != "datapackage" else old_file.with_suffix(".zip")
    target.write_bytes(b"the previous export\r\n")
    batches = iter([False, False, True])  # cancel after two batches were written
    with pytest.raises(ExportCancelled, match="nothing was written"):
        export_figures(seeded_store, target, ExportOptions(fmt), cancelled=lambda: next(batches))
    assert target.read_bytes() == b"the previous export\r\n"
    assert _leftovers(old_file.parent) == []
    with pytest.raises(ExportCancelled):
        export_figures(seeded_store, target, ExportOptions(fmt), cancelled=lambda: True)
    assert target.read_bytes() == b"the previous export\r\n" and _leftovers(old_file.parent) == []
    assert os.listdir(scratch) == []


def test_a_full_disk_mid_export_leaves_the_old_file(seeded_store, old_file, monkeypatch):
    monkeypatch.setattr("store.export_rows.BATCH_ROWS", 50)

    def progress(done, total):
        if done >= 100:
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(StoreError, match="cannot write .*No space left on device"):
        export_figures(seeded_store, old_file, ExportOptions("csv"), progress=progress)
    assert old_file.read_bytes() == b"the previous export\r\n" and _leftovers(old_file.parent) == []


def test_a_data_package_folder_is_replaced_whole(seeded_store, tmp_path):
    target = tmp_path / "pkg"
    export_figures(seeded_store, target, ExportOptions("datapackage"))
    export_figures(seeded_store, target, ExportOptions("datapackage"), filters=FigureFilter(clusters=["smart_robots"]))
    frame = pd.read_csv(target / "figures.csv", dtype=str, keep_default_na=False)
    assert set(frame["cluster"]) == {"smart_robots"}
    assert sorted(os.listdir(target)) == sorted(export_formats.DATAPACKAGE_FILES) and _leftovers(tmp_path) == []
    before = {name: (target / name).read_bytes() for name in os.listdir(target)}
    with pytest.raises(ExportCancelled):
        export_figures(seeded_store, target, ExportOptions("datapackage"), cancelled=lambda: True)
    assert {name: (target / name).read_bytes() for name in os.listdir(target)} == before
    assert _leftovers(tmp_path) == []


# --- The command line -------------------------------------------------------------------------------------


def _cli(*args, db: Path):
    return subprocess.run([sys.executable, "-m", "store", "export", *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT)


def test_cli_exports_each_format(seeded_path, tmp_path):
    for fmt in FORMATS:
        out = tmp_path / f"figures.{fmt}"
        result = _cli("--format", fmt, "--out", out, db=seeded_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"wrote {SEED_FIGURES} figures to {out}\n" and out.exists()


def test_cli_filters_and_columns(seeded_store, seeded_path, tmp_path):
    out = tmp_path / "robots.csv"
    result = _cli("--format", "csv", "--out", out, "--cluster", "smart_robots", "--columns", "id,cluster,value_text",
                  "--no-annotations", "--bom", db=seeded_path)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == [TITLES[k] for k in ("id", "cluster", "value_text", *PROVENANCE_COLUMNS)]
    assert set(frame[TITLES["cluster"]]) == {"smart_robots"}
    assert sorted(map(int, frame[TITLES["id"]])) == sorted(_truth(seeded_store, FigureFilter(clusters=["smart_robots"])))


def test_cli_errors_are_one_line(seeded_path, tmp_path):
    result = _cli("--format", "csv", "--out", tmp_path / "x.csv", "--columns", "id,nope", db=seeded_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "unknown column 'nope'" in result.stderr
    result = _cli("--format", "csv", "--out", tmp_path / "missing" / "x.csv", db=seeded_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "cannot write" in result.stderr
    assert not (tmp_path / "x.csv").exists()
