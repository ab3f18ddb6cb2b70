"""Reading the figures' columns from the database for store.query.columns, in chunks straight from the cursor."""

from __future__ import annotations

from typing import Protocol

import numpy as np
from sqlalchemy.orm import Session

from store.status import code_sql as status_code_sql


class TextTables(Protocol):
    """What fetch codes texts against (store.query.columns.FigureColumns): each text table, extended in place."""

    period_texts: list[str]
    unit_texts: list[str]
    qualifier_texts: list[str]

FIELDS = ("id", "cluster", "entity", "metric", "document", "status", "value", "period_start",
          "period", "unit", "qualifier", "growth", "projected", "scale_factor")

_NUMERIC_SQL = """
SELECT f.id, COALESCE(f.cluster_id, -1), f.entity_id, f.metric_id, a.document_id, f.value,
       COALESCE(CAST(substr(f.period_start, 1, 4) AS INTEGER) * 100 + CAST(substr(f.period_start, 6, 2) AS INTEGER), -1),
       {status_code},
       CASE f.growth WHEN 'level' THEN 1 WHEN 'change' THEN 2 ELSE 0 END, CASE WHEN f.projected THEN 1 ELSE 0 END,
       {scale_factor}
FROM figures f JOIN anchors a ON a.figure_id = f.id {where} ORDER BY f.id"""
_TEXT_SQL = "SELECT f.period, f.unit, f.qualifier, a.quote, f.note FROM figures f JOIN anchors a ON a.figure_id = f.id {where} ORDER BY f.id"
_CHUNK = 20_000  # rows a fetchmany holds as Python objects at once (some 5 MB)
_NUMBERS = (("id", np.int64), ("cluster", np.int32), ("entity", np.int32), ("metric", np.int32), ("document", np.int32),
            ("value", np.float64), ("period_start", np.int32), ("status", np.int8), ("growth", np.int8),
            ("projected", np.int8), ("scale_factor", np.float64))


def _scale_factor_sql() -> str:
    """conflict_rule.scale_factor in SQL: the factor of each figure's scale word (1 for none)."""
    from store.query.conflict_rule import scale_factors

    words = " ".join(f"WHEN '{word}' THEN {factor!r}" for word, factor in scale_factors().items() if "'" not in word)
    return f"CASE lower(trim(f.scale)) {words} ELSE 1.0 END"


def fetch(session: Session, ids: list[int] | None, into: TextTables) -> dict:
    """The columns of these figures (None: all), in id order, read in chunks straight from the DB-API cursor.

    Numbers are computed in SQL (status and month codes) and turned into arrays a chunk at a time, so
    a million figures load in seconds without a million Python row objects held at once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from store.query.arrow import strings

    where = "" if ids is None else f"WHERE f.id IN ({','.join(str(int(i)) for i in ids)})"
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(_NUMERIC_SQL.format(where=where, scale_factor=_scale_factor_sql(), status_code=status_code_sql("f.status")))
        # Each chunk becomes its typed columns at once: no float64 matrix of every row (88 MB at 1M) held
        # beside the columns it becomes.
        parts: list[list[np.ndarray]] = [[] for _ in _NUMBERS]
        while chunk := cursor.fetchmany(_CHUNK):
            block = np.array(chunk, np.float64)
            del chunk
            for i, (_name, dtype) in enumerate(_NUMBERS):
                parts[i].append(block[:, i].astype(dtype))
        fetched = {name: _joined(parts, i, dtype) for i, (name, dtype) in enumerate(_NUMBERS)}
        cursor.execute(_TEXT_SQL.format(where=where))
        codes: list[list[np.ndarray]] = [[], [], []]
        tables = (into.period_texts, into.unit_texts, into.qualifier_texts)
        indexes = [{text: i for i, text in enumerate(table)} for table in tables]
        quotes, notes = [], []
        while chunk := cursor.fetchmany(_CHUNK):
            for k in range(3):
                index, table = indexes[k], tables[k]
                codes[k].append(np.fromiter((_code(index, table, row[k] or "") for row in chunk), np.int32, len(chunk)))
            # Kept lower-cased: they serve only the text filter (views read quotes from the database), and
            # lowering a million of them at the first keystroke would cost the user ~70 ms.
            quotes.append(pc.utf8_lower(strings([row[3] for row in chunk])))
            notes.append(pc.utf8_lower(strings([row[4] or "" for row in chunk])))
    finally:
        cursor.close()
    for k, name in enumerate(("period", "unit", "qualifier")):
        fetched[name] = _joined(codes, k, np.int32)
    fetched["quotes"] = pa.concat_arrays(quotes) if quotes else strings([])
    fetched["notes"] = pa.concat_arrays(notes) if notes else strings([])
    return fetched


def _joined(parts: list[list[np.ndarray]], i: int, dtype) -> np.ndarray:
    """One column from its chunks, which are dropped as it is made (one column's copy at a time)."""
    chunks, parts[i] = parts[i], []
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype)


def _code(index: dict, table: list, text: str) -> int:
    code = index.get(text)
    if code is None:
        code = index[text] = len(table)
        table.append(text)
    return code
