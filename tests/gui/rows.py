"""Chart and pivot rows as the store gives them (browse.chart_rows), built by hand for view tests."""

from __future__ import annotations

from fractions import Fraction

from store.query.rows import FigureRow

PERIODS = {
    "2023": ("2023-01", "2023-12"),
    "2024": ("2024-01", "2024-12"),
    "2025-01/2025-05": ("2025-01", "2025-05"),
    "2018/2024": ("2018-01", "2024-12"),
    "": (None, None),
}
DOCS = {"A": "Guangdong's trillion-yuan clusters", "B": "Robots lead new energy", "C": "A decade of growth"}


def figure(id_, cluster, entity, period, value_text, unit, doc, quote, status="verified", qualifier=""):
    start, end = PERIODS[period]
    return FigureRow(
        id=id_, key=None, cluster_name=cluster, cluster=None, entity_name=entity, entity=entity.casefold(),
        metric_name="Operating revenue", metric="operating_revenue", metric_id=1, cluster_name_zh="", entity_name_zh="",
        metric_name_zh="", unit_kind="money", period=period, period_start=start, period_end=end,
        value=float(Fraction(value_text)), value_text=value_text, value_max_text=None, unit=unit, scale="",
        qualifier=qualifier, status=status, status_reason="", note="", document_id=ord(doc), doc_title=DOCS[doc],
        doc=f"{doc}.txt", start=0, end=len(quote), quote=quote, anchor="exact", flag="", version=1,
        superseded_by_id=None, doc_published="", doc_publisher="", metric_text="", growth="", growth_base="",
        projected=False, reading=None, annotation_count=0)
