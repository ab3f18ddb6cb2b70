"""Document datasets: CSV, JSON Lines and Parquet files whose rows are documents, one import action a row."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import func, select

from tests.seed_counts import SEED_DOCUMENTS
from store.history import undo
from store.importing import import_documents
from store.models import Action, Document, Figure
from tests.store.test_reading_facts import GUANGDONG, SHANGHAI

HEADER = ["province", "year", "title", "source_url", "publish_date", "full_text"]  # the gov-reports-2026 columns
ROWS = [
    {"province": "上海市", "year": "2026", "title": "2026年上海市政府工作报告", "publish_date": "2026-02-09",
     "source_url": "https://example.org/sh", "full_text": SHANGHAI},
    {"province": "广东省", "year": "2026", "title": "下载", "publish_date": "",  # a chrome title: not a title
     "source_url": "https://www.gd.gov.cn/post_4851130.html", "full_text": GUANGDONG},
]


def _write_csv(path, rows=ROWS, header=HEADER) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # with a BOM, as the real files have
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _docs(store) -> dict[str, Document]:
    with store.read() as session:
        return {d.file_name: d for d in session.scalars(select(Document).where(Document.origin == "import"))}


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "store", *args], capture_output=True, text=True, timeout=120)


def test_a_csv_dataset_imports_one_document_a_row_with_its_columns_as_citation(seeded_store, tmp_path):
    path = tmp_path / "reports.csv"
    _write_csv(path)
    results = import_documents(seeded_store, [path])
    assert [r.path for r in results] == [f"{path} (row 1)", f"{path} (row 2)"]
    assert len({r.action_id for r in results}) == 2 and all(r.candidates > 0 for r in results)
    docs = _docs(seeded_store)
    shanghai, guangdong = docs["reports_row1"], docs["reports_row2"]
    assert shanghai.text == SHANGHAI and guangdong.text == GUANGDONG
    # The report's own delivery date wins over the dataset's page date, which the basis keeps
    assert (shanghai.title, shanghai.published, shanghai.url, shanghai.place, shanghai.publisher, shanghai.kind) == (
        "2026年上海市政府工作报告", "2026-02-03", "https://example.org/sh", "上海市", "解放日报", "official")
    assert "the dataset says 2026-02-09" in shanghai.date_basis
    # "下载" in the title column is page chrome: the title the text states is used; no date column: the delivery date
    assert (guangdong.title, guangdong.published, guangdong.publisher) == ("政府工作报告", "2026-01-26", "广东省人民政府")
    undo(seeded_store, results[1].action_id)  # each row is its own undoable import (the last first, as Ctrl+Z does)
    assert set(_docs(seeded_store)) == {"reports_row1"}


def test_json_lines_and_parquet_datasets_import_the_same_way(seeded_store, tmp_path):
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text(json.dumps({"content": SHANGHAI, "url": "https://example.org/a", "date": "2026/2/9"},
                                ensure_ascii=False) + "\n\n", encoding="utf-8")
    parquet = tmp_path / "gd.parquet"
    pq.write_table(pa.table({"text": [GUANGDONG], "headline": ["Guangdong's work report"],
                             "publish_date": pa.array([20480], pa.date32())}), parquet)  # 2026-01-27 as a date
    results = import_documents(seeded_store, [jsonl, parquet], find=False)
    assert [r.refused for r in results] == [False, False]
    docs = _docs(seeded_store)
    assert (docs["news"].text, docs["news"].url, docs["news"].published) == (SHANGHAI, "https://example.org/a",
                                                                             "2026-02-03")
    assert (docs["gd"].text, docs["gd"].title, docs["gd"].published) == (GUANGDONG, "Guangdong's work report",
                                                                         "2026-01-26")


def test_a_bad_row_is_refused_and_the_other_rows_are_still_imported(seeded_store, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text("{\"text\": \"Shenzhen made 3 million drones in 2024.\"}\nnot json\n{\"text\": \"\"}\n",
                    encoding="utf-8")
    results = import_documents(seeded_store, [path])
    assert [r.refused for r in results] == [False, True, True]
    assert "mixed.jsonl line 2: not JSON" in results[1].skipped_reason
    assert "row 3: the text column is empty" in results[2].skipped_reason


def test_cli_imports_a_dataset_and_a_missing_text_column_is_one_line_and_a_non_zero_exit(seeded_path, tmp_path):
    bad = tmp_path / "bad.csv"
    _write_csv(bad, [{"title": "t", "words": SHANGHAI}], ["title", "words"])
    with_count = _cli("documents", "--db", str(seeded_path)).stdout.count("\n")
    refused = _cli("import", str(bad), "--db", str(seeded_path))
    assert refused.returncode != 0 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "bad.csv has no text column" in refused.stderr
    assert "--text-column" in refused.stderr and "Traceback" not in refused.stderr
    assert _cli("documents", "--db", str(seeded_path)).stdout.count("\n") == with_count  # nothing stored
    wrong = _cli("import", str(bad), "--text-column", "article", "--db", str(seeded_path))
    assert wrong.returncode != 0 and "bad.csv has no column 'article' for --text-column" in wrong.stderr
    named = _cli("import", str(bad), "--text-column", "WORDS", "--title-column", "title", "--db", str(seeded_path))
    assert named.returncode == 0 and named.stdout.startswith(f"added doc {SEED_DOCUMENTS + 1}: t (")


def test_cli_imports_a_folder_of_one_row_reports_named_after_their_files(seeded_path, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    _write_csv(folder / "2026_上海市_政府工作报告.csv", ROWS[:1])
    _write_csv(folder / "2026_广东省_政府工作报告.csv", ROWS[1:])
    result = _cli("import", str(folder), "--db", str(seeded_path))
    assert result.returncode == 0, result.stderr
    listed = [json.loads(line) for line in _cli("documents", "--format", "jsonl", "--db", str(seeded_path)).stdout.splitlines()]
    names = {d["doc"]: d for d in listed}
    assert names["2026_上海市_政府工作报告"]["title"] == "2026年上海市政府工作报告"
    assert names["2026_广东省_政府工作报告"]["place"] == "广东省"


def test_undoing_a_dataset_row_leaves_no_figure_behind(seeded_store, tmp_path):
    path = tmp_path / "one.csv"
    _write_csv(path, ROWS[:1])
    [result] = import_documents(seeded_store, [path])
    with seeded_store.read() as session:
        before = session.scalar(select(func.count()).select_from(Action))
    undo(seeded_store, result.action_id)
    with seeded_store.read() as session:
        assert session.get(Document, result.document_id) is None
        assert session.scalar(select(func.count()).select_from(Figure).where(Figure.status == "candidate")) == 0
        assert session.scalar(select(func.count()).select_from(Action)) == before + 1
