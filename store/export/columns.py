"""The columns an export can write: their names, titles, types and descriptions, and the SQL each reads.

Part of store.export.figures (see there). The descriptions are the data package's schema and README;
PROVENANCE_COLUMNS are written whatever the user chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.models import Anchor, Document, Entity, Figure, Metric
from store.query.browse import FigureCluster


@dataclass(frozen=True)
class ExportColumn:
    key: str          # the field name in JSON, Parquet and the data package
    title: str        # the header in CSV and XLSX
    type: str         # a Frictionless type: integer | number | string
    description: str  # for the data package's schema and README


# (column, the SQL expression it reads); `annotations` is assembled per batch instead.
_COLUMN_SQL = (
    (ExportColumn("id", "ID", "integer", "The figure's id in the store it was exported from."), Figure.id),
    (ExportColumn("key", "Key", "string", "The figure's stable key, NNN-MMM (document number, running number); "
                  "empty for figures added by hand."), Figure.key),
    (ExportColumn("metric", "Metric key", "string", "What is measured, as a key (e.g. operating_revenue)."), Metric.key),
    (ExportColumn("metric_name", "Metric", "string", "What is measured, by name."), Metric.name),
    (ExportColumn("metric_name_zh", "Metric (中文)", "string", "What is measured, by its Chinese name; empty if "
                  "it has none."), Metric.name_zh),
    (ExportColumn("value", "Value", "number", "The value as a floating-point number, in base units (1.1 trillion "
                  "yuan is 1100000000000), in the unit of the unit column. For sorting and charts: it may be "
                  "rounded; value_text is exact."), Figure.value),
    (ExportColumn("value_text", "Value (exact)", "string", "The exact value in base units: a decimal, or a "
                  "fraction p/q (1/3). The one to cite."), Figure.value_text),
    (ExportColumn("value_max", "Value max", "number", "The upper end of a range ('2 to 3 hours') as a "
                  "floating-point number in base units; empty if the figure is not a range."), Figure.value_max),
    (ExportColumn("value_max_text", "Value max (exact)", "string", "The exact upper end of a range: a decimal or "
                  "p/q; empty if the figure is not a range."), Figure.value_max_text),
    (ExportColumn("unit", "Unit", "string", "The base unit: yuan, US$, %, percentage points, share (a fraction "
                  "of 1), or a counted noun (enterprises, sets ...)."), Figure.unit),
    (ExportColumn("scale", "Scale word", "string", "The scale word as written (thousand, billion, 亿 ...); "
                  "already applied to the value."), Figure.scale),
    (ExportColumn("qualifier", "Qualifier", "string", "Empty (exact), or over, nearly, approximately, at least, "
                  "less than, projected, target ..."), Figure.qualifier),
    (ExportColumn("period", "Period", "string", "When the figure applies: a year (2024), a month (2026-01), "
                  "a part-year (2025-01/2025-05) or a span of years (2018/2024); empty if none."), Figure.period),
    (ExportColumn("period_start", "Period start", "string", "First month of the period, YYYY-MM."),
     Figure.period_start),
    (ExportColumn("period_end", "Period end", "string", "Last month of the period, YYYY-MM."), Figure.period_end),
    (ExportColumn("cluster", "Cluster key", "string", "The industry cluster, as a key; empty when the figure "
                  "is about the entity as a whole."), FigureCluster.key),
    (ExportColumn("cluster_name", "Cluster", "string", "The industry cluster, by name."), FigureCluster.name),
    (ExportColumn("cluster_name_zh", "Cluster (中文)", "string", "The industry cluster, by its Chinese name; "
                  "empty if it has none."), FigureCluster.name_zh),
    (ExportColumn("entity", "Entity key", "string", "Who or where the figure is about, as a key."), Entity.key),
    (ExportColumn("entity_name", "Entity", "string", "Who or where the figure is about, by name."), Entity.name),
    (ExportColumn("entity_name_zh", "Entity (中文)", "string", "Who or where the figure is about, by its "
                  "Chinese name; empty if it has none."), Entity.name_zh),
    (ExportColumn("status", "Review status", "string", "The curators' verdict: candidate, verified, disputed, "
                  "rejected or superseded."), Figure.status),
    (ExportColumn("status_reason", "Status reason", "string", "Why the figure has its status."),
     Figure.status_reason),
    (ExportColumn("note", "Note", "string", "What a reader should know: how a relative period was resolved, "
                  "a likely mistranslation, a disagreement with another document."), Figure.note),
    (ExportColumn("flag", "Flag", "string", "Set when the value disagrees with the number in the quote."),
     Figure.flag),
    (ExportColumn("doc", "Source file", "string", "The file name of the document that states the figure."),
     Document.file_name),
    (ExportColumn("doc_title", "Source title", "string", "The title of that document."), Document.title),
    (ExportColumn("publisher", "Publisher", "string", "Who published the document."), Document.publisher),
    (ExportColumn("author", "Author", "string", "Who wrote the document, if known."), Document.author),
    (ExportColumn("published", "Published", "string", "When the document was published (YYYY[-MM[-DD]])."),
     Document.published),
    (ExportColumn("start", "Quote start", "integer", "Offset of the quote's first character in the document "
                  "(Python code points, from 0)."), Anchor.start),
    (ExportColumn("end", "Quote end", "integer", "Offset just after the quote's last character."), Anchor.end),
    (ExportColumn("quote", "Quote", "string", "The document's exact words that state the figure: its text from "
                  "start to end."), Anchor.quote),
    (ExportColumn("anchor", "Anchor state", "string", "Whether the quote was found at its offsets (exact) or "
                  "had to be re-found."), Anchor.state),
    (ExportColumn("annotations", "Annotations", "string", "The curators' annotations on the figure, oldest "
                  "first, joined by ' | '."), None),
    # Lineage (store.curation.lineage): the official figure this one restates. A figure with several links shows the
    # one its lineage state comes from: a source that differs first, then a confirmed link, then the oldest.
    (ExportColumn("lineage_verdict", "Lineage verdict", "string", "How the figure compares with the official "
                  "figure it restates: corroborates (the same value), rounds (equal within the stated precision "
                  "or qualifier) or differs; empty when no official source was found, or the figure is in an "
                  "official document itself."), None),
    (ExportColumn("lineage_status", "Lineage status", "string", "Whether a curator confirmed that link "
                  "(confirmed) or it is the store's proposal (proposed)."), None),
    (ExportColumn("lineage_source_id", "Official source ID", "integer", "The id of the official figure."), None),
    (ExportColumn("lineage_source_doc", "Official source file", "string", "The file name of the official "
                  "document that states it."), None),
    (ExportColumn("lineage_source_title", "Official source title", "string", "The title of that document."),
     None),
    (ExportColumn("lineage_source_start", "Official quote start", "integer", "Offset of the official quote's "
                  "first character in its document (Python code points, from 0)."), None),
    (ExportColumn("lineage_source_end", "Official quote end", "integer", "Offset just after the official "
                  "quote's last character."), None),
    (ExportColumn("lineage_source_quote", "Official quote", "string", "The official document's exact words."),
     None),
)
LINEAGE_COLUMNS: tuple[str, ...] = ("lineage_verdict", "lineage_status", "lineage_source_id", "lineage_source_doc",
                                    "lineage_source_title", "lineage_source_start", "lineage_source_end",
                                    "lineage_source_quote")
COLUMNS: tuple[ExportColumn, ...] = tuple(column for column, _ in _COLUMN_SQL)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_SQL_BY_KEY = {column.key: expression for column, expression in _COLUMN_SQL if expression is not None}
DEFAULT_COLUMNS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
PROVENANCE_COLUMNS: tuple[str, ...] = ("doc", "doc_title", "publisher", "published", "start", "end", "quote", "status")
# Columns of the rows a figure points to: (the figure's or its anchor's key, the table's key, its columns).
# Read once per export into a lookup by id rather than once per figure through the join: a million
# figures share a few thousand documents, and SQLite and Python pay per value read.
LOOKUPS = (
    (Anchor.document_id, Document.id, ("doc", "doc_title", "publisher", "author", "published")),
    (Figure.metric_id, Metric.id, ("metric", "metric_name", "metric_name_zh")),
    (Figure.entity_id, Entity.id, ("entity", "entity_name", "entity_name_zh")),
    (Figure.cluster_id, FigureCluster.id, ("cluster", "cluster_name", "cluster_name_zh")),
)
