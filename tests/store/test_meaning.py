"""The meaning of each candidate, measured against hand lists of two 2026 government work reports.

The lists (tests/store/data/meaning_*.tsv) give, for one section of each report, every stated
figure with its period, target flag, growth and metric words as a careful reader gives them. The
test prints the shares the finder gets right and the errors that remain, and holds the shares.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.finder import find_figures
from tests.store.test_finder import names  # noqa: F401  (the seeded store's taxonomy)

DATA = Path(__file__).parent / "data"
_SCOPE = ("全省", "全市", "我省", "我市", "地方")
REPORTS = [  # (text file, hand list, document date, place)
    ("gov_report_2026_guangdong.txt", "meaning_guangdong_2025.tsv", "2026-01-26", "广东省"),
    ("gov_report_2026_beijing.txt", "meaning_beijing_2025.tsv", "2026-01-25", "北京市"),
    ("gov_report_2026_sichuan.txt", "meaning_sichuan_2025.tsv", "2026-02-03", "四川省"),  # not tuned on
]


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _norm(words: str) -> str:
    for scope in _SCOPE:
        words = words.removeprefix(scope)
    return words


def metric_right(found: str, expected: str) -> bool:
    """The words name what the reader names: the same head, maybe with whose it is in front
    ('银行机构本外币存贷款余额' for 本外币存贷款余额), or at most two characters shorter."""
    found, expected = _norm(found), _norm(expected)
    return bool(found) and (found == expected or found.endswith(expected)
                            or (expected.endswith(found) and len(found) >= len(expected) - 2))


def measure(text: str, rows, published: str, place: str, names):  # noqa: F811 (the fixture)
    found = find_figures(text, published, names, place=place)
    results = []
    for anchor, quote, period, projected, growth, metric_text in rows:
        at = text.find(anchor)
        assert at >= 0, f"anchor not in the text: {anchor}"
        pos = at + anchor.rfind(quote[0] if not quote[0].isdigit() else quote.split("∶")[0].rstrip("%"))
        pos = at + anchor.rfind(quote) if anchor.rfind(quote) >= 0 else pos
        c = next((c for c in found if c.start <= pos < c.end or pos <= c.start < pos + len(quote)), None)
        results.append((anchor, quote, period, projected == "1", growth, metric_text, c))
    return results


def _report(results) -> tuple[float, float, float, list[str]]:
    errors, period_ok, metric_ok, growth_ok = [], 0, 0, 0
    for anchor, quote, period, projected, growth, metric_text, c in results:
        if c is None:
            errors.append(f"not found: {quote} ({anchor})")
            continue
        if c.period == period and c.projected == projected:
            period_ok += 1
        else:
            errors.append(f"period: {quote} ({anchor}) read {c.period!r}{' projected' if c.projected else ''}, "
                          f"reader {period!r}{' projected' if projected else ''}")
        if metric_right(c.metric_text, metric_text):
            metric_ok += 1
        else:
            errors.append(f"metric: {quote} ({anchor}) read {c.metric_text!r}, reader {metric_text!r}")
        growth_ok += c.growth == growth
        if c.growth != growth:
            errors.append(f"growth: {quote} ({anchor}) read {c.growth!r}, reader {growth!r}")
    n = len(results)
    return period_ok / n, metric_ok / n, growth_ok / n, errors


@pytest.mark.parametrize("text_file, list_file, published, place", REPORTS)
def test_meaning_against_the_hand_list(names, text_file, list_file, published, place):  # noqa: F811
    text = (DATA / text_file).read_text(encoding="utf-8")
    results = measure(text, _rows(list_file), published, place, names)
    period, metric, growth, errors = _report(results)
    print(f"\n{list_file}: {len(results)} figures; period right {period:.0%}, metric right {metric:.0%}, "
          f"growth right {growth:.0%}")
    print("\n".join(errors))
    assert all(r[-1] is not None for r in results), "every listed figure is a candidate"
    assert period >= 0.9 and metric >= 0.85 and growth >= 0.9


def test_metric_right_is_strict_enough():
    assert metric_right("银行机构本外币存贷款余额", "本外币存贷款余额")
    assert metric_right("全省机场旅客吞吐量", "机场旅客吞吐量")
    assert not metric_right("总额", "货物进出口总额")
    assert not metric_right("", "地区生产总值")
