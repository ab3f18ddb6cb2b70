"""Chart and pivot rows as the store gives them (browse.chart_rows), built by hand for view tests."""

from __future__ import annotations

from fractions import Fraction

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
    return {
        "id": id_, "cluster_name": cluster, "entity_name": entity, "metric_name": "Operating revenue",
        "period": period, "period_start": start, "period_end": end, "value": float(Fraction(value_text)),
        "value_text": value_text, "value_max_text": None, "unit": unit, "qualifier": qualifier,
        "status": status, "quote": quote, "doc_title": DOCS[doc], "doc": f"{doc}.txt",
    }
