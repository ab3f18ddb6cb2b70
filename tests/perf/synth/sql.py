"""The SQL a synthetic load writes with: INSERTs in the column orders the rows are built in, and the indexes.

Part of tests.perf.synth. Rows are plain tuples (tests/perf/synth/documents.py builds them), so the
column order is a contract: check_columns() stops synth when the schema has columns it
does not write, rather than letting it write shifted or missing data.
"""

from __future__ import annotations

from store.errors import StoreError
from store.models import Anchor, Document, Figure

# The columns all rows share are SQL literals: binding them a million times costs more than the rest of a row.
_FIGURE_SHARED = {"value_max": "NULL", "value_max_text": "NULL", "version": "1", "flag": "''",
                  "superseded_by_id": "NULL", "metric_text": "''", "growth": "''", "growth_base": "''",
                  "projected": "0", "reading": "NULL"}
FIGURE_COLUMNS = ("id", "key", "value", "value_text", "unit", "scale", "qualifier", "period", "period_start",
                  "period_end", "entity_id", "cluster_id", "metric_id", "status", "status_reason", "note",
                  "status_by", "status_at", "created_by", "created_at")
ANCHOR_COLUMNS = ("figure_id", "document_id", "start", "end", "quote", "prefix", "suffix", "doc_sha256")
_ANCHOR_SHARED = {"state": "'exact'"}
DOCUMENT_COLUMNS = ("id", "file_name", "title", "publisher", "author", "published", "date_basis", "language_notes",
                    "text", "sha256", "added_at")
_DOCUMENT_SHARED = {"title_supplied": "0", "encoding": "'utf-8'", "language": "'en'", "origin": "'synthetic'",
                    "url": "''", "place": "''", "kind": "''"}
_TABLES = ((Figure.__table__, FIGURE_COLUMNS, _FIGURE_SHARED, ()), (Anchor.__table__, ANCHOR_COLUMNS, _ANCHOR_SHARED,
           ("id",)), (Document.__table__, DOCUMENT_COLUMNS, _DOCUMENT_SHARED, ()))


def _insert_sql(table: str, bound: tuple[str, ...], literals: dict[str, str]) -> str:
    names = ", ".join(f'"{n}"' for n in (*bound, *literals))
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(bound) + list(literals.values()))})"


FIGURE_SQL = _insert_sql("figures", FIGURE_COLUMNS, _FIGURE_SHARED)
ANCHOR_SQL = _insert_sql("anchors", ANCHOR_COLUMNS, _ANCHOR_SHARED)
DOCUMENT_SQL = _insert_sql("documents", DOCUMENT_COLUMNS, _DOCUMENT_SHARED)
SUPERSEDE_SQL = ("UPDATE figures SET status = 'superseded', status_reason = ?, status_by = ?, status_at = ?, "
                 "superseded_by_id = ? WHERE id = ?")
ANNOTATION_SQL = ('INSERT INTO annotations (target, figure_id, cluster_id, document_id, start, "end", quote, text, '
                  "created_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")
ENTITY_SQL = "INSERT INTO entities (id, key, name, kind, aliases, parent_id) VALUES (?, ?, ?, ?, ?, ?)"
CLUSTER_SQL = "INSERT INTO clusters (id, key, name, note, aliases) VALUES (?, ?, ?, ?, ?)"
GROUPING_SQL = "INSERT INTO cluster_groupings (cluster_id, grouping_id) VALUES (?, ?)"
META_SQL = "INSERT INTO meta (key, value) VALUES (?, ?)"


def check_columns() -> None:
    """Refuse a schema whose figures, anchors or documents have columns synth does not write (or lack some)."""
    for table, bound, literals, skipped in _TABLES:
        if sorted(c.name for c in table.columns) != sorted((*bound, *literals, *skipped)):
            raise StoreError("synth does not know this version of the schema (the figures, anchors or documents "
                             "columns changed); update tests/perf/synth/sql.py")


def drop_indexes(cur) -> list[str]:
    """Drop the secondary indexes of figures and anchors; return the statements that make them again, as they were."""
    found = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                        "AND tbl_name IN ('figures', 'anchors') ORDER BY name").fetchall()
    for name, _ in found:
        cur.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]
