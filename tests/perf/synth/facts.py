"""What a synthetic figure is about, and how its number is printed: metrics, periods, money bands.

Part of tests.perf.synth (see there for the choices). Kept apart from the words
(tests/perf/synth/writer.py) and the loop that makes documents (tests/perf/synth/documents.py).
"""

from __future__ import annotations

from store.values.periods import parse_period
from tests.perf.synth.words import MONTHS, NUMBER_WORDS

FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2011, 2025, 2026 * 12 + 2  # periods 2011-2025; documents up to March 2026


class Metric:
    """A metric of the store as synth states it: its scope, weight, kind, unit, words and bounds."""
    __slots__ = ("id", "key", "scope", "weight", "kind", "unit", "noun", "verb", "tail", "lo", "hi", "partner")

    def __init__(self, mid: int, key: str, fields: list[str]):
        self.id, self.key = mid, key
        scope, weight, self.kind, self.unit, self.noun, self.verb, self.tail, lo, hi = fields
        self.scope, self.weight = scope, float(weight)
        self.lo, self.hi = float(lo or 0), float(hi or 0)
        self.partner = None


class Period:
    """A period a document can report, with the words that introduce it ("In the first half of 2019")."""
    __slots__ = ("text", "start", "end", "year", "frac", "lead", "inline")

    def __init__(self, text: str, lead: str, months: int):
        parsed = parse_period(text)  # the same start and end months as any other figure's
        self.text, self.start, self.end = parsed.text, parsed.start, parsed.end
        self.year, self.frac = int(text[:4]), months / 12
        self.lead, self.inline = lead, lead[0].lower() + lead[1:]


_PERIODS: dict[int, list[Period]] = {}  # by month: the same few hundred lists serve every document


def periods_of(month: int) -> list[Period]:
    """Periods a document of this month can report: full years before it (weighted x5) and part-years of its year."""
    cache = _PERIODS
    if month not in cache:
        year, now = divmod(month, 12)  # now: months of this year already over
        out = [Period(str(y), f"In {y}", 12) for y in range(FIRST_YEAR, min(year, LAST_YEAR + 1))] * 5
        if year <= LAST_YEAR:
            for k in range(1, now):
                lead = (f"In {MONTHS[0]} {year}" if k == 1 else f"From January to {MONTHS[k - 1]} {year}" if k % 2
                        else f"In the first {NUMBER_WORDS[k]} months of {year}")
                out.append(Period(f"{year}-01" if k == 1 else f"{year}-01/{year}-{k:02d}", lead, k))
            for q in range(1, now // 3 + 1):
                out.append(Period(f"{year}-{3 * q - 2:02d}/{year}-{3 * q:02d}",
                                  f"In the {('first', 'second', 'third', 'fourth')[q - 1]} quarter of {year}", 3))
            if now >= 6:
                out.append(Period(f"{year}-01/{year}-06", f"In the first half of {year}", 6))
        cache[month] = out or [Period(str(FIRST_YEAR), f"In {FIRST_YEAR}", 12)]
    return cache[month]


# Money as articles print it: (from, unit of the last digit, its exact integer, decimals, scale word).
MONEY_BANDS = ((1e12, 1e10, 10 ** 10, 2, "trillion"), (1e11, 1e9, 10 ** 9, 0, "billion"),
               (1e10, 1e8, 10 ** 8, 1, "billion"), (1e9, 1e7, 10 ** 7, 2, "billion"), (0, 1e6, 10 ** 6, 0, "million"))


def decimal_text(m: int, places: int) -> str:
    """m / 10**places written with exactly `places` decimals ("12.30"), as an article prints it."""
    if places == 2:
        return f"{m // 100}.{m % 100:02d}"
    return f"{m // 10}.{m % 10}" if places else str(m)


def number_words(metric: Metric, x: float) -> tuple[str, str, str]:
    """(number as printed, exact value text as store.values.exact.canonical writes it, scale word) for a magnitude.

    The value is what the printed words say (12.3 billion is 12300000000), so the quote never disagrees with it.
    Money and percentages have a few thousand printed forms: each is made once, then looked up.
    """
    kind = metric.kind
    if kind == "money":
        for band, (low, unit, _, _, _) in enumerate(MONEY_BANDS):
            if x >= low:
                m = max(1, round(x / unit))
                table = _MONEY[band]
                if m >= len(table):
                    table.extend([None] * (m + 1 - len(table)))
                found = table[m]
                if found is None:
                    _, _, exact, places, scale = MONEY_BANDS[band]
                    found = table[m] = (decimal_text(m, places), str(m * exact), scale)
                return found
    if kind == "count":
        if x >= 1e6:
            m = round(x / 1e4)
            return decimal_text(m, 2), str(m * 10_000), "million"
        n = max(int(metric.lo), round(x))
        return (NUMBER_WORDS[n] if n <= 12 and metric.unit == "years" else f"{n:,}"), str(n), ""
    return _TENTHS[min(800, max(1, round(x * 10)))]  # percent, growth, ratios: one decimal, 0.1 .. 80


_MONEY: list[list] = [[] for _ in MONEY_BANDS]  # by band, by last-digit count: (printed, exact, scale)
_TENTHS = [(f"{m // 10}.{m % 10}", f"{m // 10}.{m % 10}" if m % 10 else str(m // 10), "") for m in range(801)]
