"""store.values.numbers: reading the quantity a quote states, typed values, quote checks and periods."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest

from store.errors import InvalidNumber
from store.values.exact import parse_exact
from store.values.numbers import Quantity, guess_period, parse_quantity, parse_value, quote_disagrees
from store.values.periods import parse_period

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
T = 10**12
B = 10**9

# text, value, value_max, unit, scale, qualifier
QUANTITIES = [
    ("1.1 trillion yuan", Fraction(11, 10) * T, None, "yuan", "trillion", ""),
    ("535 billion yuan", 535 * B, None, "yuan", "billion", ""),
    ("124,700 sets", 124700, None, "sets", "", ""),
    ("31.2%", Fraction("31.2"), None, "%", "", ""),
    ("31.2 percent", Fraction("31.2"), None, "%", "", ""),
    ("5000亿元", 500 * B, None, "yuan", "亿", ""),
    ("突破 5000亿元", 500 * B, None, "yuan", "亿", "over"),
    ("3万", 30000, None, "", "万", ""),
    ("2万亿", 2 * T, None, "", "万亿", ""),
    ("4.1698 million sets", 4169800, None, "sets", "million", ""),
    ("one out of every three", Fraction(1, 3), None, "share", "", ""),
    ("one in eight", Fraction(1, 8), None, "share", "", ""),
    ("nine consecutive years", 9, None, "years", "", ""),
    ("five consecutive years", 5, None, "years", "", ""),
    ("(US$137.97 billion)", 137970000000, None, "US$", "billion", ""),
    ("\\$137.97 billion", 137970000000, None, "US$", "billion", ""),
    ("RMB 2 billion", 2 * B, None, "yuan", "billion", ""),
    ("over 40%", 40, None, "%", "", "over"),
    ("nearly 270 journalists", 270, None, "journalists", "", "nearly"),
    ("more than 10,000 units", 10000, None, "units", "", "over"),
    ("2.3 percentage points", Fraction("2.3"), None, "percentage points", "", ""),
    ("2个百分点", 2, None, "percentage points", "", ""),
    ("two to three hours", 2, 3, "hours", "", ""),
    ("2-3 hours", 2, 3, "hours", "", ""),
    ("2 to 3 billion yuan", 2 * B, 3 * B, "yuan", "billion", ""),
    ("eight industrial clusters", 8, None, "clusters", "", ""),
    ("seven other 1-trillion-yuan industrial clusters", 7, None, "clusters", "", ""),
    ("half", Fraction(1, 2), None, "share", "half", ""),
    ("more than half", Fraction(1, 2), None, "share", "half", "over"),
    ("one-third", Fraction(1, 3), None, "share", "one-third", ""),
    ("a quarter", Fraction(1, 4), None, "share", "quarter", ""),
    ("about one-fifth", Fraction(1, 5), None, "share", "one-fifth", "approximately"),
    ("half a year", Fraction(1, 2), None, "years", "", ""),
    ("twenty-five", 25, None, "", "", ""),
    ("ninety", 90, None, "", "", ""),
    ("a hundred", 100, None, "", "", ""),
    ("a dozen parks", 12, None, "parks", "", ""),
    ("Six", 6, None, "", "", ""),
    ("107 domestic and foreign media outlets", 107, None, "media outlets", "", ""),
    ("six national-level manufacturing innovation centers", 6, None, "centres", "", ""),
    ("less than 30 minutes", 30, None, "minutes", "", "less than"),
    ("up to 30 minutes", 30, None, "minutes", "", "less than"),
    ("at least 1 trillion yuan", T, None, "yuan", "trillion", "at least"),
    ("about 60%", 60, None, "%", "", "approximately"),
    ("some 40 firms", 40, None, "firms", "", "approximately"),
    ("close to 3 trillion yuan", 3 * T, None, "yuan", "trillion", "nearly"),
    ("exceeded 8 trillion yuan", 8 * T, None, "yuan", "trillion", "over"),
    ("超过 3万", 30000, None, "", "万", "over"),
    ("turnover 40%", 40, None, "%", "", ""),  # 'over' inside a word is no qualifier
    ("-2.5%", Fraction("-2.5"), None, "%", "", ""),  # a sign written on the number is kept
    ("down 3%", 3, None, "%", "", ""),  # a direction in words is not: it belongs to the metric
    ("In 2024, exports reached 1.1 trillion yuan", Fraction(11, 10) * T, None, "yuan", "trillion", ""),
    ("the ninth one", 9, None, "", "", ""),  # ordinals only when no count is there
    ("1,000th unit", 1000, None, "units", "", ""),
    ("nearly doubling", 2, None, "times", "", "nearly"),
    ("hundred-billion-yuan scale", 100 * B, None, "yuan", "billion", ""),
    ("Trillion-Level Market", T, None, "", "trillion", ""),
    ("占全国9成", 90, None, "%", "成", ""),  # N成 is N x 10 %, as the curated seeds write it
    ("八成以上", 80, None, "%", "成", "over"),
    ("超五成", 50, None, "%", "成", "over"),
]


@pytest.mark.parametrize("text, value, value_max, unit, scale, qualifier", QUANTITIES)
def test_parse_quantity(text, value, value_max, unit, scale, qualifier):
    q = parse_quantity(text)
    assert (q.value, q.value_max, q.unit, q.scale, q.qualifier) == (
        Fraction(value), None if value_max is None else Fraction(value_max), unit, scale, qualifier)
    assert isinstance(q.value, Fraction)
    assert q.number_text and q.number_text in text


def test_number_text_and_value_text():
    q = parse_quantity("突破 5000亿元")
    assert q.number_text == "5000亿"
    assert q.value_text == "500000000000"
    assert parse_quantity("one out of every three").value_text == "1/3"
    assert parse_quantity("2-3 hours").number_text == "2-3"
    assert isinstance(q, Quantity)


REFUSED = ["", "   ", "nan", "NaN", "inf", "-inf", "Infinity", "abc", "1e999", "1/0", "--5"]


@pytest.mark.parametrize("text", REFUSED)
def test_parse_quantity_refuses(text):
    with pytest.raises(InvalidNumber):
        parse_quantity(text)


@pytest.mark.parametrize(
    "text, expected",
    [("1.1 trillion", Fraction(11, 10) * T), ("535000000000", 535 * B), ("31.2", Fraction("31.2")),
     ("5000亿", 500 * B), ("3万", 30000), ("1/3", Fraction(1, 3)), ("1,234.5", Fraction("1234.5")),
     (" 4470.30 ", Fraction("4470.3")), ("-2.5", Fraction("-2.5")), ("31.2%", Fraction("31.2")),
     ("one-third", Fraction(1, 3)), ("half", Fraction(1, 2)), ("twenty", 20), ("2万亿", 2 * T)],
)
def test_parse_value(text, expected):
    assert parse_value(text) == Fraction(expected)


@pytest.mark.parametrize("text", REFUSED + ["1e400", "1e3", "1,23", "2-3", "5 apples", "about 5", "1.1 trillion yuan"])
def test_parse_value_refuses(text):
    with pytest.raises(InvalidNumber) as info:
        parse_value(text)
    assert str(info.value)


@pytest.mark.parametrize(
    "quote, value, unit",
    [("5000亿元", 500 * B, "yuan"), ("31.2%", Fraction("31.2"), "%"), ("1.1 trillion yuan", Fraction(11, 10) * T, "yuan"),
     ("one out of every three", Fraction(1, 3), "share"), ("one out of every three", Fraction(100, 3), "%"),
     ("31.2%", Fraction("0.312"), "share"), ("\\$137.97 billion", 137970000000, "US$"),
     ("nine consecutive years", 9, "years"), ("2 to 3 hours", 2, "hours")],
)
def test_quote_agrees(quote, value, unit):
    assert quote_disagrees(quote, Fraction(value), unit) is None


@pytest.mark.parametrize(
    "quote, value, unit, says",
    [("1.1 trillion yuan", 110 * B, "yuan",
      "The quote says 1.1 trillion yuan (1100000000000) but the value is 110000000000."),
     ("5000亿元", 5 * T, "yuan", "The quote says 5000亿 yuan (500000000000) but the value is 5000000000000."),
     ("31.2%", Fraction("3.12"), "%", "The quote says 31.2% (31.2) but the value is 3.12."),
     ("one in three", Fraction("33.33"), "%", "The quote says one in three (100/3) but the value is 33.33."),
     ("4470.30", 4470300000000, "yuan", None)],
)
def test_quote_disagrees(quote, value, unit, says):
    message = quote_disagrees(quote, Fraction(value), unit)
    assert message is not None
    if says:
        assert message == says


def test_quote_without_a_number_is_reported():
    message = quote_disagrees("approximately", Fraction(3), "%")
    assert message and "no number" in message


@pytest.mark.parametrize(
    "sentence, published, expected",
    [("Revenue grew 10% last year.", "2025-03", "2024"),
     ("This year the target is 5%.", "2025-03", "2025"),
     ("last year, output reached 8 trillion yuan", "2026-01", "2025"),
     ("in 2023 output rose", "2025", "2023"),
     ("In 2024, exports reached 1.1 trillion yuan", "2025-03", "2024"),
     ("From January to May 2025, output rose 40%", "2025-06", "2025-01/2025-05"),
     ("Jan-May 2025 output", "2025-06", "2025-01/2025-05"),
     ("in the first five months of 2025, sales", "2025-06", "2025-01/2025-05"),
     ("in the first 10 months of 2024, patents", "2024-10-23", "2024-01/2024-10"),
     ("in the first half of 2025", "2025", "2025-01/2025-06"),
     ("from 2018 to 2024, the value rose", "2025-03", "2018/2024"),
     ("the 14th Five-Year Plan period (2021-2025)", "2026-01", "2021/2025"),
     ("by the end of 2025", "2026-01", "2025"),
     ("From January to May this year", "2025-06", "2025-01/2025-05"),
     ("in October 2024", "2024-10-23", "2024-10"),
     ("in Q3 2024", "2024-10-23", "2024-07/2024-09"),
     ("in the first three quarters of 2024", "2024-10-23", "2024-01/2024-09"),
     ("since 2018", "2025-03", "2018/2025"),
     ("2025年1-5月，全省", "2025-06", "2025-01/2025-05"),
     ("2025年上半年", "2025", "2025-01/2025-06"),
     ("去年", "2026-01", "2025"),
     ("last month", "2026-01", "2025-12"),
     ("no time here", "2025", ""),
     ("this year", "", ""),
     ("", "2025", "")],
)
def test_guess_period(sentence, published, expected):
    period = guess_period(sentence, published)
    assert period == expected
    parse_period(period)  # always a text the store accepts


def _verified_seed_rows():
    rows = []
    for path in sorted((SEEDS / "figures").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [row for row in csv.DictReader(handle) if row["status"] == "verified"]
    return rows


def test_seed_quotes_parse_to_their_curated_values(capsys):
    """Every verified seed quote reads back to its curated value (N成 as N x 10 %); a mismatch is printed."""
    rows = _verified_seed_rows()
    assert rows
    mismatches = []
    for row in rows:
        try:
            q = parse_quantity(row["quote"])
        except InvalidNumber as exc:
            mismatches.append(f"{row['key']} {row['quote']!r}: {exc}")
            continue
        if q.value != parse_exact(row["value"]):
            mismatches.append(f"{row['key']} {row['quote']!r}: read {q.value_text}, curated {row['value']}")
    rate = 1 - len(mismatches) / len(rows)
    with capsys.disabled():
        print(f"\nseed quotes: {len(rows) - len(mismatches)}/{len(rows)} verified rows read exactly ({rate:.0%})")
        for line in mismatches:
            print("  mismatch:", line)
    assert not mismatches, mismatches


def test_seed_quotes_agree_with_their_values():
    """The store's flag stays quiet on every verified seed row."""
    flagged = [(row["key"], message) for row in _verified_seed_rows()
               if (message := quote_disagrees(row["quote"], parse_exact(row["value"]), row["unit"]))]
    assert len(flagged) <= 0.15 * len(_verified_seed_rows()), flagged


def test_tenths_read_as_the_curators_write_them():
    """Every verified seed quote in 成 reads as its row: the value in %, unit '%' and scale word '成'."""
    rows = [row for row in _verified_seed_rows() if "成" in row["scale"]]
    assert rows
    for row in rows:
        q = parse_quantity(row["quote"])
        assert (q.value, q.unit, q.scale) == (parse_exact(row["value"]), row["unit"], row["scale"]), row["key"]


@pytest.mark.parametrize("quote, value, unit", [("4成", "40", "%"), ("占全国9成", "90", "%"), ("八成以上", "80", "%"),
                                                ("4成", "2/5", "share")])
def test_tenths_in_chinese_are_a_share_and_not_a_disagreeing_quote(quote, value, unit):
    # 工业机器人产量…占全国4成: a curated 40 % must not be flagged as "the quote says 4"
    assert quote_disagrees(quote, parse_exact(value), unit) is None
    assert quote_disagrees(quote, parse_exact("4" if unit == "%" else "4/100"), unit) is not None
