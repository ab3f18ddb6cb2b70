"""Exact values: every figure's value is a Fraction, written canonically.

A value is stored as text that reads back to the same number: a plain decimal
("1100000000000", "31.2") whenever the number has a finite decimal expansion,
else a fraction "p/q" ("1/3" for "one out of every three"). Floats never enter.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from store.errors import InvalidNumber

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_FRACTION = re.compile(r"([+-]?\d+)/(\d+)")


def parse_exact(text: str) -> Fraction:
    """Read a canonical value: a decimal or p/q. Refuses anything else, never returns 0 by accident."""
    raw = (text or "").strip()
    if _DECIMAL.fullmatch(raw):
        try:
            return Fraction(Decimal(raw))
        except InvalidOperation as exc:  # pragma: no cover - the regex already excludes this
            raise InvalidNumber(f"not a number: {text!r}") from exc
    match = _FRACTION.fullmatch(raw)
    if match:
        denominator = int(match.group(2))
        if denominator == 0:
            raise InvalidNumber(f"division by zero in {text!r}")
        return Fraction(int(match.group(1)), denominator)
    raise InvalidNumber(f"not an exact number (a decimal or p/q): {text!r}")


def canonical(value: Fraction) -> str:
    """The shortest exact text for a value: a decimal if one exists, else p/q."""
    value = Fraction(value)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    digits = str(abs(scaled.numerator))
    sign = "-" if value < 0 else ""
    if places == 0:
        return sign + digits
    digits = digits.rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
