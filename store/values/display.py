"""Values as a reader expects them: "1.1 trillion yuan", "31.2 %", "124,700 sets", "1 in 3"."""

from __future__ import annotations

import json
import re
from fractions import Fraction

from store.values.exact import canonical, parse_exact

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


# --- text for a terminal ----------------------------------------------------------------------------
# C0 controls, DEL and C1 controls: ESC starts the terminal's escape sequences (a window title, the
# clipboard by OSC 52, clearing the screen), and a terminal may read C1 (0x9b is CSI) the same way.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def for_terminal(text: str, keep: str = "") -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\n`), except those in `keep`.

    For text a person reads in a terminal (tables, messages), where a document's title must not
    retitle the window, write to the clipboard or clear the screen."""
    return _CONTROLS.sub(lambda m: m.group(0) if m.group(0) in keep else _NAMED.get(m.group(0), f"\\x{ord(m.group(0)):02x}"),
                         text)


def json_line(record: object) -> str:
    """json.dumps as the command line prints it: UTF-8 as is, every control character escaped.

    json.dumps escapes C0 controls but not DEL and C1 (0x7f-0x9f) when ensure_ascii is off;
    `\\u009b` is the same JSON string, and cannot act on a terminal."""
    text = json.dumps(record, ensure_ascii=False)
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: "1 annotation", "2 annotations", "1,204 figures"."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
