"""Values as a reader expects them: "1.1 trillion yuan", "31.2 %", "124,700 sets", "1 in 3"."""

from __future__ import annotations

from fractions import Fraction

from store.exact import canonical, parse_exact

_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_MONEY = {"yuan", "US$"}


def _short(value: Fraction) -> str:
    """A decimal with at most 4 decimals, trailing zeros dropped, thousands separated."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    text = canonical(value)
    if "/" not in text and len(text.partition(".")[2]) <= 4:
        whole, _, frac = text.partition(".")
        return f"{int(whole):,}.{frac}" if whole not in ("-0", "") else text
    return f"{float(value):,.4f}".rstrip("0").rstrip(".")


def format_number(value: Fraction, unit: str) -> str:
    """The number part, scaled to a word for large money and counts."""
    if unit in ("%", "percentage points", "share"):
        return _short(value)
    for factor, word in _SCALES:
        if abs(value) >= factor and (unit in _MONEY or abs(value) >= 10**6):
            return f"{_short(value / factor)} {word}"
    return _short(value)


def format_value(value_text: str, unit: str, value_max_text: str | None = None) -> str:
    value = parse_exact(value_text)
    if unit == "share":
        if value.numerator == 1 and value.denominator > 1:
            return f"1 in {value.denominator}"
        return f"{_short(value * 100)} %"
    number = format_number(value, unit)
    if value_max_text:
        number = f"{number} to {format_number(parse_exact(value_max_text), unit)}"
    if unit == "%":
        return f"{number} %"
    if unit == "US$":
        return f"US${number}"
    return f"{number} {unit}".strip()
