"""The seed data: every figure anchored to its exact words, and a loader that trusts nothing."""

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.seed_counts import SEED_DOCUMENTS
from store import SeedError, open_store
from store.models import Anchor, Document, Figure
from store.seed import FIGURE_COLUMNS, SEEDS_DIR

SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_seed_documents_are_byte_copies_of_the_shared_originals():
    originals = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
    if not originals:
        pytest.skip("../shared/seeds is not beside this clone")
    for original in originals:
        assert (SEEDS_DIR / original.name).read_bytes() == original.read_bytes()


def test_every_document_gives_figures_and_every_anchor_matches(seeded_store):
    with seeded_store.read() as session:
        docs = session.scalars(select(Document)).all()
        assert len(docs) == SEED_DOCUMENTS == 6  # five news texts and the Guangdong 2026 government work report they draw on
        assert [doc.kind for doc in docs] == ["news"] * 5 + ["official"]
        per_doc = dict(session.execute(select(Anchor.document_id, func.count()).group_by(Anchor.document_id)).all())
        assert all(per_doc.get(doc.id, 0) > 0 for doc in docs), per_doc
        for anchor, text in session.execute(select(Anchor, Document.text).join(Document)):
            assert text[anchor.start : anchor.end] == anchor.quote
            assert text[max(0, anchor.start - 32) : anchor.start] == anchor.prefix
            assert text[anchor.end : anchor.end + 32] == anchor.suffix


def test_known_figures_are_normalised(seeded_store):
    with seeded_store.read() as session:
        rows = session.execute(select(Figure.value_text, Figure.unit, Anchor.quote).join(Anchor)).all()
    by_quote = {quote: (value, unit) for value, unit, quote in rows}
    assert any(v == ("1100000000000", "yuan") for q, v in by_quote.items() if "1.1 trillion yuan" in q)
    assert any(v == ("124700", "sets") for q, v in by_quote.items() if "124,700" in q)
    assert any(v == ("500000000000", "yuan") for q, v in by_quote.items() if "5000亿元" in q)
    assert any(v == ("1/3", "share") for q, v in by_quote.items() if "one out of every three" in q)


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else FIGURE_COLUMNS)  # 005 has growth
        writer.writeheader()
        writer.writerows(rows)


def test_a_broken_offset_fails_the_load_and_names_the_figure(seeds_copy, tmp_path):
    path = sorted((seeds_copy / "figures").glob("*.csv"))[0]
    rows = _rows(path)
    victim = rows[len(rows) // 2]
    victim["start"] = str(int(victim["start"]) + 1)
    _write_rows(path, rows)
    with pytest.raises(SeedError) as raised:
        open_store(str(tmp_path / "broken.sqlite3"), seeds_dir=seeds_copy)
    assert victim["key"] in str(raised.value)
    assert "is not the text at" in str(raised.value)


def test_a_failed_load_writes_nothing(seeds_copy, tmp_path):
    path = sorted((seeds_copy / "figures").glob("*.csv"))[-1]
    rows = _rows(path)
    rows[-1]["metric"] = "no_such_metric"
    _write_rows(path, rows)
    db = tmp_path / "partial.sqlite3"
    with pytest.raises(SeedError, match="no_such_metric"):
        open_store(str(db), seeds_dir=seeds_copy)
    store = open_store(str(db), seed=False)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(Figure)) == 0
    store.close()


def test_a_changed_document_fails_its_hash_check(seeds_copy, tmp_path):
    doc = sorted(seeds_copy.glob("*.txt"))[0]
    doc.write_text(doc.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(SeedError, match="sha256"):
        open_store(str(tmp_path / "x.sqlite3"), seeds_dir=seeds_copy)


@pytest.mark.parametrize("column, bad", [("value", "nan"), ("value", ""), ("period", "last year"),
                                         ("entity", "atlantis"), ("status", "maybe")])
def test_bad_cells_are_refused_with_the_row_named(seeds_copy, tmp_path, column, bad):
    path = sorted((seeds_copy / "figures").glob("*.csv"))[0]
    rows = _rows(path)
    rows[0][column] = bad
    _write_rows(path, rows)
    with pytest.raises(SeedError) as raised:
        open_store(str(tmp_path / "x.sqlite3"), seeds_dir=seeds_copy)
    assert rows[0]["key"] in str(raised.value) and "line 2" in str(raised.value)


def test_seed_keys_are_unique_and_in_document_order():
    for path in sorted((SEEDS_DIR / "figures").glob("*.csv")):
        rows = _rows(path)
        keys = [row["key"] for row in rows]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
        assert all(key.startswith(path.stem + "-") for key in keys)
        starts = [int(row["start"]) for row in rows]
        assert starts == sorted(starts), f"{path.name} rows are not in document order"
        json.dumps(rows)  # plain text only
