from fractions import Fraction

import pytest

from store.errors import InvalidNumber, StoreError
from store.values.display import counted, format_value
from store.values.exact import canonical, parse_exact
from store.values.periods import parse_period, period_label


@pytest.mark.parametrize(
    "text, expected",
    [("1100000000000", Fraction(11 * 10**11)), ("31.2", Fraction(312, 10)), ("1/3", Fraction(1, 3)),
     ("-2", Fraction(-2)), ("0.05", Fraction(1, 20)), (" 4470.30 ", Fraction(447030, 100))],
)
def test_parse_exact_reads_decimals_and_fractions(text, expected):
    assert parse_exact(text) == expected


@pytest.mark.parametrize("text", ["", "nan", "inf", "1e5", "1,000", "abc", "1/0", "--1"])
def test_parse_exact_refuses_anything_else(text):
    with pytest.raises(InvalidNumber):
        parse_exact(text)


@pytest.mark.parametrize("text", ["1100000000000", "31.2", "1/3", "-2", "0.05", "100/3"])
def test_canonical_round_trips(text):
    assert canonical(parse_exact(text)) == text


def test_canonical_prefers_a_decimal_when_one_exists():
    assert canonical(Fraction(1, 4)) == "0.25"
    assert canonical(Fraction(447030, 100)) == "4470.3"


@pytest.mark.parametrize(
    "text, start, end, label",
    [("2024", "2024-01", "2024-12", "2024"), ("2026-01", "2026-01", "2026-01", "Jan 2026"),
     ("2025-01/2025-05", "2025-01", "2025-05", "Jan\u2013May 2025"),
     ("2018/2024", "2018-01", "2024-12", "2018\u20132024"), ("", None, None, "")],
)
def test_periods_resolve_to_months_and_read_naturally(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period_label(text) == label


@pytest.mark.parametrize("text", ["last year", "2024-13", "2025/2024", "24"])
def test_bad_periods_are_refused(text):
    with pytest.raises(StoreError):
        parse_period(text)


@pytest.mark.parametrize(
    "args, shown",
    [(("1100000000000", "yuan"), "1.1 trillion yuan"), (("31.2", "%"), "31.2 %"),
     (("124700", "sets"), "124,700 sets"), (("1/3", "share"), "1 in 3"),
     (("4169800", "sets"), "4.1698 million sets"), (("137970000000", "US$"), "US$137.97 billion"),
     (("2", "hours", "3"), "2 to 3 hours"), (("3", "percentage points"), "3 percentage points")],
)
def test_values_display_as_a_reader_expects(args, shown):
    assert format_value(*args) == shown


def test_a_count_says_its_noun_in_the_right_number():
    assert [counted(n, "annotation") for n in (0, 1, 2, 1204)] == [
        "0 annotations", "1 annotation", "2 annotations", "1,204 annotations"]
    assert counted(1, "entity", "entities") == "1 entity" and counted(3, "entity", "entities") == "3 entities"
