"""Periods a figure refers to: a year, a month, a part-year, a span of years, or none.

Written as ISO 8601 intervals: "2024", "2026-01", "2025-01/2025-05",
"2018/2024". Each resolves to a first and last month ("YYYY-MM"), which is what
the store sorts and pivots on; a label says it the way a reader would.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from store.errors import StoreError

_PART = re.compile(r"(\d{4})(?:-(\d{2}))?")


@dataclass(frozen=True)
class Period:
    text: str
    start: str | None
    end: str | None

    @property
    def label(self) -> str:
        return period_label(self.text)


def _bounds(part: str) -> tuple[int, int | None]:
    match = _PART.fullmatch(part)
    if not match:
        raise StoreError(f"not a period: {part!r} (use 2024, 2025-01, 2025-01/2025-05 or 2018/2024)")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    if month is not None and not 1 <= month <= 12:
        raise StoreError(f"not a month: {part!r}")
    return year, month


def parse_period(text: str | None) -> Period:
    text = (text or "").strip()
    if not text:
        return Period("", None, None)
    first, _, last = text.partition("/")
    y1, m1 = _bounds(first)
    y2, m2 = _bounds(last) if last else (y1, m1)
    start = f"{y1:04d}-{(m1 or 1):02d}"
    end = f"{y2:04d}-{(m2 or 12):02d}"
    if end < start:
        raise StoreError(f"period ends before it starts: {text!r}")
    return Period(text, start, end)


def period_label(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    first, _, last = text.partition("/")
    if not last:
        y, m = _bounds(first)
        return f"{calendar.month_abbr[m]} {y}" if m else str(y)
    y1, m1 = _bounds(first)
    y2, m2 = _bounds(last)
    if m1 is None and m2 is None:
        return f"{y1}\u2013{y2}"
    a = calendar.month_abbr[m1 or 1]
    b = calendar.month_abbr[m2 or 12]
    if y1 == y2:
        return f"{a}\u2013{b} {y1}"
    return f"{a} {y1}\u2013{b} {y2}"
