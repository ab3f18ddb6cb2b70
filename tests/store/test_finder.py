"""The figure finder: exact spans, the curators' rules, its quality against the curated seeds, its speed.

The quality test is the finder's report card: for each seed document, recall is the share of
the curated (verified) figures whose span overlaps a candidate with the same value, precision
the share of candidates that overlap a curated figure. The table is printed (pytest -s).
"""

from __future__ import annotations

import csv
import time
import tomllib
from fractions import Fraction

import pytest

from store.errors import Cancelled, StoreError
from store.finder import Candidate, find_figures, find_figures_within
from store.finder.names import Name, Taxonomy, load_taxonomy
from store.opening.seed import SEEDS_DIR
from store.values.exact import parse_exact
from store.values.periods import parse_period

DOCS = tomllib.loads((SEEDS_DIR / "documents.toml").read_text(encoding="utf-8"))["document"]


def _seed(number: int) -> tuple[str, str, list[dict]]:
    doc = DOCS[number]
    text = (SEEDS_DIR / doc["file"]).read_text(encoding="utf-8")
    with (SEEDS_DIR / "figures" / f"{number:03d}.csv").open(encoding="utf-8", newline="") as handle:
        return text, doc["published"], list(csv.DictReader(handle))


def _overlaps(row: dict, c: Candidate) -> bool:
    return c.start < int(row["end"]) and int(row["start"]) < c.end


@pytest.fixture(scope="module")
def names(seeded_template) -> Taxonomy:
    from store import open_store

    store = open_store(str(seeded_template))
    try:
        with store.read() as session:
            return load_taxonomy(session)
    finally:
        store.close()


def test_quality_against_the_curated_seeds(names):
    lines = [f"{'doc':<5}{'curated':>8}{'found':>7}{'recall':>8}{'cands':>7}{'good':>6}{'precision':>10}"]
    curated = found = candidates = good = 0
    for number in range(len(DOCS)):
        text, published, rows = _seed(number)
        cands = find_figures(text, published, names)
        verified = [r for r in rows if r["status"] == "verified"]
        hits = [r for r in verified if any(_overlaps(r, c) and c.value == parse_exact(r["value"]) for c in cands)]
        right = [c for c in cands if any(_overlaps(r, c) for r in rows)]
        lines.append(f"{number:03d}  {len(verified):>8}{len(hits):>7}{len(hits) / len(verified):>8.3f}"
                     f"{len(cands):>7}{len(right):>6}{len(right) / len(cands):>10.3f}")
        assert len(hits) / len(verified) >= 0.8, lines[-1]
        if DOCS[number].get("curation") == "selected":
            continue  # not every stated quantity is a row: a candidate outside the rows is not a wrong one
        curated, found, candidates, good = curated + len(verified), found + len(hits), candidates + len(cands), \
            good + len(right)
        assert len(right) / len(cands) >= 0.6, lines[-1]
    lines.append(f"all  {curated:>8}{found:>7}{found / curated:>8.3f}{candidates:>7}{good:>6}{good / candidates:>10.3f}")
    print("\n" + "\n".join(lines))
    assert found / curated >= 0.85
    assert good / candidates >= 0.7


def test_every_quote_is_the_text_at_its_offsets_and_reads_back(names):
    for number in range(len(DOCS)):
        text, published, _ = _seed(number)
        for with_names in (None, names):
            cands = find_figures(text, published, with_names)
            assert cands == sorted(cands, key=lambda c: c.start)
            previous_end = 0
            for c in cands:
                assert text[c.start:c.end] == c.quote and c.quote.strip() == c.quote
                assert c.start >= previous_end  # spans never overlap
                previous_end = c.end
                assert parse_exact(c.value_text) == c.value
                assert parse_period(c.period).text == c.period  # a period the store accepts as is


CASES = [  # (text, [(quote, value, unit, qualifier), ...]) in reading order
    ("Revenue rose 12.5% to 3.2 billion yuan.", [("12.5%", "12.5", "%", ""), ("3.2 billion yuan", "3200000000", "yuan", "")]),
    ("It earned 1,234,567 yuan and 2.5 percentage points more.",
     [("1,234,567 yuan", "1234567", "yuan", ""), ("2.5 percentage points", "2.5", "percentage points", "")]),
    ("A trip takes 2 to 3 hours; costs rose 10-15%.", [("2 to 3 hours", "2", "hours", ""), ("10-15%", "10", "%", "")]),
    ("at least 1 trillion yuan (\\$137.97 billion) in revenue",
     [("at least 1 trillion yuan", "1000000000000", "yuan", "at least"), ("\\$137.97 billion", "137970000000", "US$", "")]),
    ("Exports reached US$1.5 billion and RMB 10.8 billion.",
     [("US$1.5 billion", "1500000000", "US$", ""), ("RMB 10.8 billion", "10800000000", "yuan", "")]),
    ("The province has 12.6 million people and 5.2 per cent growth.",
     [("12.6 million people", "12600000", "people", ""), ("5.2 per cent", "5.2", "%", "")]),
    ("增加值突破 5000亿元，增长12.3%，提高2个百分点，达到3.5万亿元以上。",
     [("突破 5000亿元", "500000000000", "yuan", "over"), ("12.3%", "12.3", "%", ""),
      ("2个百分点", "2", "percentage points", ""), ("3.5万亿元以上", "3500000000000", "yuan", "over")]),
    ("Guangzhou’s digital economy is in a period of跨越发展期, reaching 4470.30 billion yuan, 约5%.",
     [("4470.30 billion yuan", "4470300000000", "yuan", ""), ("约5%", "5", "%", "approximately")]),
    ("one out of every eight service robots and one in five workers",
     [("one out of every eight", "0.125", "share", ""), ("one in five", "0.2", "share", "")]),
    ("It led for nine consecutive years; Guangdong boasts seven other 1-trillion-yuan industrial clusters.",
     [("nine consecutive years", "9", "years", ""), ("seven other 1-trillion-yuan industrial clusters", "7", "clusters", "")]),
    ("Six out of the ten strategic pillar industrial clusters are traditional.",
     [("Six", "6", "clusters", ""), ("ten strategic pillar industrial clusters", "10", "clusters", "")]),
    ("about one-fifth of the total, a quarter of the output and more than half of the clusters",
     [("about one-fifth", "0.2", "share", "approximately"), ("a quarter", "0.25", "share", ""),
      ("more than half", "0.5", "share", "over")]),
    ("It took half a year to reach the 1,000th unit and the 10 millionth vehicle.",
     [("half a year", "0.5", "years", ""), ("1,000th unit", "1000", "units", ""), ("10 millionth", "10000000", "", "")]),
    ("It became the eighth industrial cluster; new energy was the ninth one.",
     [("eighth industrial cluster", "8", "clusters", ""), ("the ninth one", "9", "", "")]),
    ("The growth was nearly doubling the GDP growth; the hundred-billion-yuan scale was reached.",
     [("nearly doubling", "2", "times", "nearly"), ("hundred-billion-yuan scale", "100000000000", "yuan", "")]),
    ("The number of robotics-related enterprises exceeded 160,000, ranking first.",
     [("exceeded 160,000", "160000", "enterprises", "over")]),
    ("77,000\nhigh-tech firms\n\n44\npercent\n", [("77,000\nhigh-tech firms", "77000", "firms", ""), ("44\npercent", "44", "%", "")]),
    ("It will attract 1 million college graduates and is expected to exceed 10,000 units.",
     [("1 million college graduates", "1000000", "graduates", "target"),
      ("exceed 10,000 units", "10000", "units", "projected over")]),
    ("The fund raised € 5 million and prices fell -0.3% to 15 R&D centres.",
     [("€ 5 million", "5000000", "EUR", ""), ("-0.3%", "-0.3", "%", ""), ("15 R&D centres", "15", "centres", "")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_stated_quantities_are_proposed(text, expected):
    got = [(c.quote, c.value_text, c.unit, c.qualifier) for c in find_figures(text)]
    assert got == expected


REFUSED = [
    "In 2024, the plan covered 2018-2024 and the years 2025 to 2027.",
    "It was issued on March 5, on 2025-03-07, on January 26 and on 23 October 2024 at 10:30.",
    "The 14th Five-Year Plan, the fifth session of the 14th NPC, the “15th Five-Year” period.",
    "5G and 6G networks, the G20 summit, Walker S2, 3C electronics, COVID-19 and the EH216-S.",
    "Comments\nShare\n12\nPhoto: Xinhua/Li Ming 2024\nPage 3 of 10\n",
    "1. Current Landscape\n2. Outlook\n(3) Risks\nSection 4.2 applies to No 1 and No. 2.",
    "Update:2024-10-23 By YUAN SHENGGAO. 2025年3月5日 and 3月 and 2025年.",
    "In the first 10 months of 2024 and the first five months of 2025, during the first half of 2025.",
    "The two sessions, the three regions, on one hand, one of the first movers, a third round.",
    "See https://example.com/news/2024/10/23/123456.html or mail haonan123@chinadaily.com.cn.",
    "forge more hundred-billion-yuan and trillion-yuan level emerging industrial clusters",
    "based on 2024 sales data, the Guangzhou Digital Economy Development Report (2025), among the top 10",
]


@pytest.mark.parametrize("text", REFUSED, ids=[t[:40] for t in REFUSED])
def test_years_dates_names_and_page_furniture_are_not_figures(text):
    assert [c.quote for c in find_figures(text)] == []


def test_suggestions_come_from_the_taxonomy_and_fit_the_unit(names):
    text = ("In 2024, the operating revenue of Guangdong's new energy industry reached 1.1 trillion yuan, "
            "a year-on-year revenue growth of 12%.")
    money, percent = find_figures(text, "2025-03", names)
    assert (money.metric, money.entity, money.cluster, money.period) == ("operating_revenue", "guangdong", "new_energy", "2024")
    assert percent.metric == "revenue_growth"  # a percentage never gets a money metric
    kinds = {m.key: m.unit_kind for m in names.metrics}
    assert kinds[money.metric] == "money" and kinds[percent.metric] == "percent"
    # 'last year' resolves against the document's date, through store.values.numbers.guess_period
    [c] = find_figures("Shenzhen's output grew 8.2% last year.", "2025-03", names)
    assert (c.period, c.entity) == ("2024", "shenzhen")


def test_a_proper_name_beats_a_generic_alias_and_names_in_the_quote_win():
    names = Taxonomy(entities=(Name("china", "China", ("national",)), Name("guangdong", "Guangdong")),
                     clusters=(Name("robots", "Smart robots", ("industrial robots",)),
                               Name("tier", "Trillion tier", ("trillion-yuan industrial clusters",))))
    [share] = find_figures("Guangdong's output accounted for 40% of the national total.", "", names)
    assert share.entity == "guangdong"
    [count] = find_figures("China has nine trillion-yuan industrial clusters, ahead of industrial robots.", "", names)
    assert (count.quote, count.value, count.unit) == ("nine", 9, "clusters")
    assert count.cluster == "tier"


def test_bytes_are_refused_and_odd_text_does_not_break_it():
    with pytest.raises(StoreError):
        find_figures(b"12 units")  # type: ignore[arg-type]
    odd = "\x0c\u2028 ١٢٣ ％ 5５ -- 1,2,3 1.1.1 €€ \\$ $ 0/0 1/0 9" * 50 + "一二三 年 月 1e5 inf nan " * 20
    for c in find_figures(odd):
        assert odd[c.start:c.end] == c.quote and isinstance(c.value, Fraction)


def test_speed_on_a_megabytes_text(names):
    base = "\n\n".join(_seed(n)[0] for n in range(len(DOCS)))
    text = (base + "\n\n") * (2_000_000 // len(base) + 1)
    started = time.perf_counter()
    cands = find_figures(text, "2025", names)
    seconds = time.perf_counter() - started
    mb = len(text.encode("utf-8")) / 1e6
    print(f"\nfinder: {mb:.1f} MB in {seconds:.2f} s = {mb / seconds:.2f} MB/s, {len(cands)} candidates")
    assert mb / seconds > 0.3  # 10 MB in well under a minute, even on a slow CI machine
    flat = text.replace("\n", " ")[:1_000_000]  # no line breaks at all: nothing may go quadratic
    started = time.perf_counter()
    find_figures(flat, "2025", names)
    assert time.perf_counter() - started < 10


# --- the shortcuts read what the plain readings read ------------------------------------------
# The finder finds trigger tokens and names in a byte copy of the text, sentence ends once a text,
# and skips guess_period where a sentence has no clue; each must give exactly what the plain
# reading gives (every token in Python, sentence_around a candidate, guess_period a sentence).
ODD = ["\u212a", "²", "¹", "①", "５", "٣", "©", "©2024", "é", "ß", "İ", "ı", "ſ", "ﬁ", "’", "—", "。", "！", "？",
       "\n", ".", "!", "?", " ", "\t", "\r\n", "年", "月", "去年", "this year", "Last month", "Page 3", "No. 5", "(2)",
       "1.", "x@y.com", "２０２４年", "2024", "1,000", "3.5%", "half", "one", "Twenty", "May", "THE CITY",
       "İndustrial robots", "the kelvin", "Straße", "ſmart robots", "5million", "a.5"]
# A text without the characters that send the finder back to the plain reading takes the shortcuts.
PLAIN_ODD = [o for o in ODD if not any(c in o for c in "\u212a²¹①５٣ßİıſﬁ２０")]
ODD_NAMES = Taxonomy(entities=(Name("china", "China", ("national",)), Name("k", "Kelvin Co", ("the kelvin",))),
                     clusters=(Name("robots", "Smart robots", ("industrial robots",)), Name("s", "Straße", ("ſmart",))))


def _random_texts(count: int, seed: int = 7) -> list[str]:
    import random

    rnd = random.Random(seed)
    block = "\n\n".join(_seed(n)[0] for n in range(len(DOCS)))
    texts = []
    for _ in range(count):
        pool = rnd.choice([ODD, PLAIN_ODD, PLAIN_ODD, ["①", *PLAIN_ODD], ["５", *PLAIN_ODD], ["ı", *PLAIN_ODD]])
        parts = []
        for _ in range(rnd.randint(1, 30)):
            if rnd.random() < 0.5:
                at = rnd.randrange(len(block))
                parts.append(block[at:at + rnd.randint(1, 300)])
            else:
                parts.append(rnd.choice(pool))
        texts.append("".join(parts))
    return texts


def _mentions_word_by_word(matcher, text: str) -> list:
    """_Names.mentions as it reads without the byte copy: the name regex at every word that begins a name."""
    import re

    found, claimed = [], 0
    for word in re.finditer(r"\w+", text):
        if word.group(0).casefold() in matcher.first_words and (m := matcher.regex.match(text, word.start())):
            if m.start() >= claimed:
                claimed = m.end()
                found.extend((m.start(), m.end(), *entry) for entry in matcher.phrases[m.group(0).casefold()])
    return found


def test_the_shortcuts_read_what_the_plain_readings_read(names):
    import random

    from store import finder
    from store.finder import names as finder_names
    from store.finder import spans as finder_spans
    from store.query.provenance import _SENTENCE_END, sentence_around
    from store.values.numbers import guess_period

    rnd = random.Random(11)
    seeds = [_seed(n)[0] for n in range(len(DOCS))]
    for text in _random_texts(150) + seeds:
        assert list(finder_spans._triggers(text)) == list(finder_spans._tokenized_triggers(text)), text
        assert [m.end() for m in finder._ENDS.finditer(text)] == [m.end() for m in _SENTENCE_END.finditer(text)]
        sentences = finder._Sentences(text)
        for _ in range(20):
            start = rnd.randrange(len(text) + 1)
            end = min(len(text), start + rnd.randint(0, 40))
            assert sentences.around(start, end) == sentence_around(text, start, end), (start, end, text)
        for published in ("", "2025-03", "2024", "n.d."):
            clue = finder._period_clue(published)
            for _ in range(5):
                at = rnd.randrange(len(text) + 1)
                sentence = text[at:at + rnd.randint(0, 400)]
                assert clue.search(sentence) or guess_period(sentence, published) == "", (published, sentence)
        for taxonomy in (names, ODD_NAMES):
            matcher = finder_names.name_matcher(taxonomy)
            assert matcher.mentions(text) == _mentions_word_by_word(matcher, text), text


def test_the_candidates_are_those_of_the_plain_readings(names, monkeypatch):
    import re

    from store import finder
    from store.finder import names as finder_names
    from store.finder import spans as finder_spans
    from store.query.provenance import sentence_around

    def every(published):
        return re.compile("")  # every sentence goes to guess_period

    texts = _random_texts(60, seed=3) + [_seed(n)[0] for n in range(len(DOCS))]
    runs = [(text, published, taxonomy) for text in texts for published in ("", "2025-03")
            for taxonomy in (None, names, ODD_NAMES)]
    fast = [find_figures(*run) for run in runs]
    monkeypatch.setattr(finder_spans, "_triggers", lambda text, prepared=None: finder_spans._tokenized_triggers(text))
    monkeypatch.setattr(finder._Sentences, "around", lambda self, start, end: sentence_around(self.text, start, end))
    monkeypatch.setattr(finder, "_period_clue", every)
    monkeypatch.setattr(finder_names._Names, "mentions", lambda self, text, prepared=None: _mentions_word_by_word(self, text))
    assert [find_figures(*run) for run in runs] == fast


@pytest.mark.parametrize("text", ["©2024 Xinhua. Photo ©1. 12 units", "cont©2024 12 units", "a.5 units and .5 units",
                                  "5million people", "Kelvin sign \u212a: 12 units", "２０２４年 5 units",
                                  "x² 12 units", "²12 units"])
def test_trigger_tokens_next_to_odd_characters(text):
    from store.finder import spans as finder_spans

    assert list(finder_spans._triggers(text)) == list(finder_spans._tokenized_triggers(text))


# --- cancel ------------------------------------------------------------------------------------
LONG_EN = "\n".join(f"Line {i}: the park added {i} firms and 3.{i % 10}% more output." for i in range(1500))
LONG_ZH = "\n".join(f"第{i}段：全省新增企业{i}家，产量增长3.{i % 10}%，占全国4成，实现十件民生实事。" for i in range(1500))


class _Asked:
    """A stop flag that says yes from its `after`-th question on, and counts the questions."""

    def __init__(self, after: int | None):
        self.after, self.asked = after, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.after is not None and self.asked >= self.after


@pytest.mark.parametrize("text", [LONG_EN, LONG_ZH], ids=["english", "chinese"])
def test_the_finder_asks_the_stop_flag_while_it_reads_one_document(text, names):
    never = _Asked(None)
    found, total = find_figures_within(text, "2025", names, cancelled=never)
    assert total > 1500 and len(found) == total
    assert never.asked >= 3  # before it starts, and again as it goes: not only between documents
    at_once = _Asked(1)
    with pytest.raises(Cancelled):
        find_figures_within(text, "2025", names, cancelled=at_once)
    assert at_once.asked == 1  # set before the start: nothing is read
    for after in (2, never.asked):  # set after the first batch, or before the last question: it stops there
        later = _Asked(after)
        with pytest.raises(Cancelled):
            find_figures_within(text, "2025", names, cancelled=later)
        assert later.asked == after
