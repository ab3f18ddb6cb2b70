"""`python -m store`: the contract users' scripts rely on."""

import json
import sqlite3
import subprocess
import sys

from store.cli import JSONL_FIELDS, main
from store.opening.seed import SEEDS_DIR

PROMISED = {"id", "doc", "start", "end", "quote", "value", "unit", "qualifier", "period", "metric", "cluster", "entity", "status"}


def test_figures_jsonl_has_the_promised_fields_and_true_offsets(seeded_path, capsys):
    assert main(["figures", "--format", "jsonl", "--db", str(seeded_path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) > 100
    assert PROMISED <= set(records[0]) and set(JSONL_FIELDS) == set(records[0])
    texts = {}
    for record in records:
        text = texts.setdefault(record["doc"], (SEEDS_DIR / record["doc"]).read_text(encoding="utf-8"))
        assert text[record["start"]:record["end"]] == record["quote"]
        assert isinstance(record["value"], (int, float))


def test_filters_narrow_the_listing(seeded_path, capsys):
    main(["--db", str(seeded_path), "figures", "--format", "jsonl", "--doc", "003_e841e1e603b82c1f.txt"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and {r["doc"] for r in records} == {"003_e841e1e603b82c1f.txt"}


def test_verify_passes_then_names_a_broken_anchor(seeded_path, capsys):
    assert main(["verify", "--db", str(seeded_path)]) == 0
    assert "anchors match" in capsys.readouterr().out
    conn = sqlite3.connect(seeded_path)
    key = conn.execute("SELECT f.key FROM figures f JOIN anchors a ON a.figure_id = f.id ORDER BY f.id LIMIT 1 OFFSET 5").fetchone()[0]
    conn.execute("UPDATE anchors SET start = start + 1 WHERE figure_id = (SELECT id FROM figures WHERE key = ?)", (key,))
    conn.commit()
    conn.close()
    assert main(["verify", "--db", str(seeded_path)]) == 1
    err = capsys.readouterr().err
    assert f"figure {key}:" in err and "1 of" in err


def test_environment_variable_chooses_the_store_and_db_wins(seeded_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLUSTER_EXPLORER_DB", str(seeded_path))
    assert main(["info"]) == 0
    assert str(seeded_path) in capsys.readouterr().out
    other = tmp_path / "other.sqlite3"
    assert main(["info", "--db", str(other)]) == 0
    assert str(other) in capsys.readouterr().out


def test_errors_are_one_line_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello")
    result = subprocess.run([sys.executable, "-m", "store", "figures", "--db", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not a Cluster Explorer store" in result.stderr


def test_conflicts_jsonl_lists_each_group_with_its_figures(seeded_path, capsys):
    conn = sqlite3.connect(seeded_path)
    # A second figure for the same key with another value: a conflict by construction.
    fid = conn.execute("SELECT id FROM figures WHERE unit = '%' ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("INSERT INTO figures (value, value_text, unit, scale, qualifier, period, period_start, period_end, entity_id, "
                 "cluster_id, metric_id, status, status_reason, status_by, note, created_by, created_at, version) "
                 "SELECT value + 1, '77.7', unit, scale, qualifier, period, period_start, period_end, entity_id, cluster_id, metric_id, "
                 "'candidate', '', '', '', 'test', created_at, 1 FROM figures WHERE id = ?", (fid,))
    new_id = conn.execute("SELECT max(id) FROM figures").fetchone()[0]
    conn.execute("INSERT INTO anchors (figure_id, document_id, start, \"end\", quote, prefix, suffix, doc_sha256, state) "
                 "SELECT ?, document_id, start, \"end\", quote, prefix, suffix, doc_sha256, state FROM anchors WHERE figure_id = ?",
                 (new_id, fid))
    conn.commit()
    conn.close()
    assert main(["conflicts", "--format", "jsonl", "--db", str(seeded_path)]) == 0
    groups = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mine = [g for g in groups if {f["id"] for f in g["figures"]} >= {fid, new_id}]
    assert len(mine) == 1
    assert set(mine[0]["key"]) == {"metric", "entity", "cluster", "period", "unit", "kind", "projected"}
    assert {"id", "doc", "start", "end", "quote", "value"} <= set(mine[0]["figures"][0])
    assert 77.7 in [f["value"] for f in mine[0]["figures"]]


def test_figures_jsonl_and_csv_carry_the_meaning_the_finder_read(seeded_path, capsys):
    conn = sqlite3.connect(seeded_path)
    fid = conn.execute("SELECT id FROM figures ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE figures SET metric_text = '全省生产总值', growth = 'change', growth_base = '上年', projected = 1, "
                 "reading = ? WHERE id = ?", (json.dumps({"metric": "全省生产总值", "growth": "比上年增长"}), fid))
    conn.commit()
    conn.close()
    assert main(["figures", "--format", "jsonl", "--db", str(seeded_path)]) == 0
    records = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert {"metric_text": "全省生产总值", "growth": "change", "growth_base": "上年", "projected": True,
            "reading": {"metric": "全省生产总值", "growth": "比上年增长"}}.items() <= records[fid].items()
    other = next(r for i, r in records.items() if i != fid)
    assert (other["metric_text"], other["growth"], other["projected"], other["reading"]) == ("", "", False, {})
    assert main(["figures", "--format", "csv", "--db", str(seeded_path)]) == 0
    import csv
    import io
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert json.loads(rows[fid]["reading"]) == {"metric": "全省生产总值", "growth": "比上年增长"}
    assert rows[fid]["metric_text"] == "全省生产总值"
