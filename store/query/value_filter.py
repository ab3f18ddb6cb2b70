"""A comparison on figures' values, typed as the table shows them: ">100", "10..100", ">500 billion yuan".

Values are stored in base units (yuan, not billions); a scale word multiplies the typed number
(thousand, million, billion, trillion, 万, 亿), and a unit after the number ("yuan", "%", "US$" or
"$" in front) keeps the figures of that unit only. A share is shown as a percentage ("90 %" for 0.9),
so its bounds are the typed number divided by 100. Bounds are exact (Fractions) until they meet the
floats: a value typed as the table shows it compares equal to the stored one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

EXAMPLES = ">100, >=1e9, 10..100, 100-200, =31.2, >500 billion, <5 %"
SCALES = {
    "thousand": 10**3, "k": 10**3, "千": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6, "百万": 10**6,
    "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12,
    "万": 10**4, "亿": 10**8, "万亿": 10**12,
}
# Units as a user may type them -> the store's unit; "%" also holds shares, shown as percentages.
UNIT_WORDS = {"%": "%", "percent": "%", "pct": "%", "$": "US$", "us$": "US$", "usd": "US$", "元": "yuan",
              "rmb": "yuan", "cny": "yuan", "¥": "yuan", "￥": "yuan"}
PERCENT_UNITS = ("%", "share")
SHARE_UNITS = ("share",)  # stored as a fraction (0.9), shown as a per cent (90 %)
_OPERATORS = (">=", "<=", "==", "≥", "≤", ">", "<", "=")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?")
_CURRENCY = re.compile(r"(?:US\$|\$|¥|￥)", re.IGNORECASE)
_SCALE = re.compile("|".join(sorted((re.escape(w) for w in SCALES), key=len, reverse=True)), re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:\.\.|–|—|-|\bto\b)\s*", re.IGNORECASE)


class ValueFilterError(ValueError):
    """The typed comparison cannot be read; the message says why, in the user's words."""


@dataclass(frozen=True)
class ValueFilter:
    low: Fraction | None = None  # None: no bound
    high: Fraction | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    unit: str | None = None  # as typed and normalised ("%", "US$", "yuan", "sets"), None: any unit

    def bounds(self, percent: bool = False) -> tuple[float, float]:
        """(low, high) as floats for values stored as they are, or (percent) for shares shown as %."""
        def f(bound: Fraction | None, missing: float) -> float:
            if bound is None:
                return missing
            return float(bound / 100 if percent else bound)
        return f(self.low, -math.inf), f(self.high, math.inf)

    def units(self, known: list[str]) -> list[str]:
        """The store's units this filter keeps (all of `known` when it names none)."""
        if self.unit is None:
            return list(known)
        wanted = self.unit.lower()  # lower(), as SQL's lower() in store.query.browse
        found = [u for u in known if u.lower() == wanted]
        if wanted == "%":
            found += [u for u in known if u in SHARE_UNITS and u not in found]
        return found


def _number(text: str, at: int) -> tuple[Fraction, int]:
    match = _NUMBER.match(text, at)
    if not match:
        shown = text[at:].strip() or "nothing"
        raise ValueFilterError(f"\u201c{shown}\u201d is not a number (try {EXAMPLES})")
    try:
        return Fraction(Decimal(match.group(0).replace(",", ""))), match.end()
    except (InvalidOperation, ValueError, OverflowError) as exc:
        raise ValueFilterError(f"\u201c{match.group(0)}\u201d is not a number") from exc


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _side(text: str, at: int) -> tuple[Fraction, int | None, str | None, int]:
    """One bound: [currency] number [scale word] -> (number, scale or None, unit from a currency sign, end)."""
    at = _skip(text, at)
    unit = None
    currency = _CURRENCY.match(text, at)
    if currency:
        unit = UNIT_WORDS[currency.group(0).casefold()]
        at = _skip(text, currency.end())
    number, at = _number(text, at)
    scale = None
    here = _skip(text, at)
    word = _SCALE.match(text, here)
    # A scale word is a word of its own ("5 billion", "5bn", "5亿"), not the start of a unit ("5 tonnes").
    if word and (word.end() == len(text) or not (text[word.end()].isalpha() and text[word.end()].isascii())
                 or not word.group(0).isascii()):
        scale, at = SCALES[word.group(0).casefold()], word.end()
    here = _skip(text, at)
    if here < len(text) and text[here] == "%":  # "5%..10%": a per cent sign on either side
        unit, at = "%", here + 1
    return number, scale, unit, at


def parse_value_filter(typed: str) -> ValueFilter | None:
    """The comparison typed, None for an empty box; ValueFilterError (a message for the user) otherwise."""
    text = typed.strip()
    if not text:
        return None
    operator = next((op for op in _OPERATORS if text.startswith(op)), None)
    at = len(operator) if operator else 0
    if operator and not text[at:].strip():
        raise ValueFilterError(f"Type a number after \u201c{operator}\u201d (for example {operator}100)")
    low, low_scale, unit, at = _side(text, at)
    high = high_scale = None
    separator = _SEPARATOR.match(text, at) if operator is None else None
    if separator and separator.end() < len(text) and (_NUMBER.match(text, separator.end())
                                                       or _CURRENCY.match(text, separator.end())):
        high, high_scale, high_unit, at = _side(text, separator.end())
        unit = unit or high_unit
    elif separator and separator.end() < len(text):
        _number(text, separator.end())  # "10..abc": says that "abc" is not a number
    rest = text[at:].strip()
    if rest:
        if _SEPARATOR.match(rest):
            raise ValueFilterError(f"Type the end of the range after \u201c{text}\u201d (for example 10..100)")
        if not (rest[0].isalpha() or rest[0] in "%$"):
            raise ValueFilterError(f"\u201c{rest}\u201d is left over: write a range as 10..100 or 100-200")
        named = UNIT_WORDS.get(rest.casefold(), rest)
        if unit is not None and named.casefold() != unit.casefold():
            raise ValueFilterError(f"Two units: {unit} and {rest}")
        unit = named
    if high is not None:
        scale = high_scale or low_scale or 1  # "1..2 trillion": the scale word is said once for both
        low, high = low * (low_scale or scale), high * (high_scale or scale)
        if low > high:
            raise ValueFilterError(f"A range goes from low to high: {_plain(high)}..{_plain(low)}")
        return ValueFilter(low, high, True, True, unit)
    value = low * (low_scale or 1)
    if operator == ">":
        return ValueFilter(low=value, low_inclusive=False, unit=unit)
    if operator in (">=", "≥"):
        return ValueFilter(low=value, unit=unit)
    if operator == "<":
        return ValueFilter(high=value, high_inclusive=False, unit=unit)
    if operator in ("<=", "≤"):
        return ValueFilter(high=value, unit=unit)
    return ValueFilter(value, value, True, True, unit)  # "=31.2", "==31.2" or a bare "31.2"


def _plain(value: Fraction) -> str:
    return f"{float(value):g}"
