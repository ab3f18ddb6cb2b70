"""The figure finder: propose every quantity a text states, as candidate figures for a curator.

The finder decides *where* a figure is stated (its quote's span); what the quote says (value,
unit, scale, qualifier) is read by store.values.numbers.parse_quantity, the reader of the add-figure
dialog and of the quote-disagrees flag, so a candidate never disagrees with its own quote.
It follows seeds/FORMAT.md: every stated quantity, but no years, dates, plan names, ordinals in
names ("14th", "fifth session", "5G"), section numbers or page furniture; a quote is the number
with its scale word, unit or counted noun and an adjacent qualifier, like the curated quotes.

Speed (a 10 MB import must not stall): one precompiled regex holds every kind of number and of
look-alike (dates, URLs, labels) and is tried only at trigger tokens (a digit, a number word, a
month ...), which regexes find in a byte copy of the text (no Python loop over its words; names
are found the same way); sentence ends are found once a text, a quote is parsed once a call,
periods and metric word indexes once a sentence, and guess_period only where a year or a relative
word ('last') could give it something to find. Whatever is read at a trigger (the match, its span,
unit and quote) sees only a bounded window of the text (finder_spans._BEHIND, _AHEAD), and each
sentence is bounded too, so the finder's work is linear in the text (tests/store/test_finder_linear.py).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from store.errors import StoreError, stop_if
from store.finder.names import METRIC_WORD, Taxonomy, name_matcher, nearest_name, stem
from store.finder.spans import (
    IGNORE_CASE,
    MODES,
    NUMBER_OF,
    SKIPS,
    figure_span,
    is_plural,
    prepare_text,
    scan_spans,
    whole_unit,
)
from store.reading.meaning import read_meanings
from store.values.exact import canonical
from store.values.numbers import guess_period, parse_quantity, unit_kind

_NUMBER_WORD = re.compile(r"number", IGNORE_CASE)  # what NUMBER_OF needs
_WORD_END = re.compile(r"\w")
_KNOWN_UNITS = ("yuan", "US$", "%", "percentage points", "share", "times")


@dataclass(frozen=True)
class Candidate:
    """One proposed figure: its exact span and what its quote states, with suggested taxonomy keys."""
    start: int
    end: int
    quote: str
    value: Fraction
    value_text: str
    value_max_text: str
    unit: str
    scale: str
    qualifier: str
    period: str
    metric: str = ""
    entity: str = ""
    cluster: str = ""
    # What the figure means, as the text states it (stored in the figure's columns of the same names):
    # the words naming what is measured, level or change (and a change's stated base), a target
    # rather than an outcome, and the words each part of the meaning was read from.
    metric_text: str = ""
    growth: str = ""  # "level" | "change" | "" (not known)
    growth_base: str = ""
    projected: bool = False
    reading: tuple[tuple[str, str], ...] = ()  # (("period", "2025年"), ("metric", "地区生产总值"), ...)


# --- sentences -------------------------------------------------------------------------------
# store.query.provenance.sentence_around, for every candidate of a text from one pass over it. Its
# _SENTENCE_END matches one character at a time, so the ends it finds in a window are the ends of
# the whole text there, but for the window's last character: the window's end counts as the text's
# end for the '(?=\s|$)' after '.', '!' and '?'. The same pattern with the character class first,
# so that the regex engine skips to the candidates of an end instead of trying each alternative.
_ENDS = re.compile(r"[.!?\u3002\uff01\uff1f\n](?:(?<=[.!?])(?=\s|$)|(?<![.!?]))")
_END_MARKS = ".!?"  # what ends a sentence at the end of a window, whatever follows it
_SENTENCE_LIMIT = 400  # sentence_around's default limit


class _Sentences:
    """sentence_around(text, start, end) for many spans of one text, from its sentence ends found once."""

    def __init__(self, text: str):
        self.text = text
        self.ends = [m.end() for m in _ENDS.finditer(text)]

    def around(self, start: int, end: int) -> str:
        text, ends = self.text, self.ends
        low, high = max(0, start - _SENTENCE_LIMIT), min(len(text), end + _SENTENCE_LIMIT)
        if start > low and text[start - 1] in _END_MARKS:
            left = start  # a '.' just before the span ends the window sentence_around searches
        else:
            i = bisect.bisect_right(ends, start)
            left = max(low, ends[i - 1]) if i else low
        j = bisect.bisect_right(ends, end)
        right = min(high, ends[j]) if j < len(ends) else high
        return text[left:right].strip()


# --- periods ---------------------------------------------------------------------------------
# store.values.numbers.guess_period tries a dozen patterns over a sentence; each of them needs a year
# ('(19|20)' and a digit) or, resolved against a publication year, 'this', 'last', 'next' or
# 'current' ('this year'), or a Chinese relative word. A sentence with none of them has no period,
# and most sentences have none: they are not read again.
_PERIOD_CLUE = re.compile(r"(?:19|20)\d")
_PERIOD_CLUE_DATED = re.compile(r"(?:19|20)\d|this|last|next|current|去年|今年|明年|上月|本月", IGNORE_CASE)
_PUBLISHED_YEAR = re.compile(r"\s*(?:19|20)\d\d")  # as guess_period reads `published`


def _period_clue(published: str) -> re.Pattern:
    """What a sentence needs for guess_period(sentence, published) to find a period in it."""
    return _PERIOD_CLUE_DATED if _PUBLISHED_YEAR.match(published or "") else _PERIOD_CLUE


# --- the finder --------------------------------------------------------------------------------
def find_figures(text: str, published: str = "", names: Taxonomy | None = None, *, place: str = "") -> list[Candidate]:
    """Every quantity `text` states, in reading order, as candidates (see the module docstring).

    Each candidate arrives with its meaning read by store.reading.meaning: `published` (the
    document's date) and `place` (the place it speaks for) are what that reading starts from.
    """
    return find_figures_within(text, published, names, place=place)[0]


def find_figures_within(text: str, published: str = "", names: Taxonomy | None = None,
                        limit: int | None = None, *, place: str = "",
                        cancelled: Callable[[], bool] | None = None) -> tuple[list[Candidate], int]:
    """(the first `limit` candidates, how many the text states in all): past the limit the finder
    only counts (no sentence, period or names are read), so its memory is bounded by the limit.

    cancelled() is asked before the text is read and then every few hundred spans and candidates
    (store.errors.stop_if): when it says so the finder raises store.errors.Cancelled and returns nothing,
    so Cancel stops even one 5-million-character document (7 s to read) within about a second."""
    if not isinstance(text, str):
        raise StoreError("the finder reads text, not bytes: decode the file first")
    stop_if(cancelled, 0)
    matcher = name_matcher(names) if names is not None else None
    prepared = prepare_text(text)
    mentions = matcher.mentions(text, prepared) if matcher else []
    stop_if(cancelled, 0)  # the names are found in one pass (about a second in 5 million characters)
    starts = [mm[0] for mm in mentions]
    entities = Counter(mm[3] for mm in mentions if mm[2] == "entity" and mm[4])
    main_entity = entities.most_common(1)[0][0] if entities else ""  # for sentences that name none
    periods: dict[str, str] = {}
    clue = _period_clue(published)
    indexes: dict[int, tuple[str, dict[str, list[int]]]] = {}  # a sentence's start: its metric words' offsets
    words: dict[str, dict[str, list[int]]] = {}  # the same for a sentence text, so a repeated one is read once
    metrics: dict[tuple[str, int, int, str], str] = {}
    last = (-2, "")  # (line start, period) of the last candidate whose sentence named a period
    found: list[Candidate] = []
    claimed = 0
    sentences = None
    parsed: dict[str, tuple | None] = {}  # a quote's reading, once a call: '12%' recurs in a long text
    firsts: dict[tuple[int, int], tuple[int, ...]] = {}  # a sentence's first mode word and 'number' (ends)
    total = 0
    for n, (offset, window, m) in enumerate(scan_spans(text, prepared), 1):
        stop_if(cancelled, n)
        if offset + m.start() < claimed or m.lastgroup in SKIPS or (span := figure_span(window, m)) is None:
            continue
        start, end, own_unit = span[0] + offset, span[1] + offset, span[2]
        start = start if start >= claimed else offset + m.start()  # a qualifier already quoted stays with its figure
        quote = text[start:end]
        if (reading := parsed.get(quote, parsed)) is parsed:
            try:
                q = parse_quantity(quote)
                reading = parsed[quote] = (q, q.value_text, "" if q.value_max is None else canonical(q.value_max))
            except StoreError:
                reading = parsed[quote] = None
        if reading is None:
            continue
        q, value_text, value_max_text = reading
        claimed = end
        total += 1
        if limit is not None and len(found) >= limit:
            continue
        # The finder's head noun ('R&D centres') beats the parser's guess; currencies are the parser's.
        unit = own_unit if own_unit and q.unit not in _KNOWN_UNITS else q.unit or own_unit
        if sentences is None:
            sentences = _Sentences(text)
        sentence = sentences.around(start, end)
        at = text.find(sentence, max(0, end - len(sentence)), start + len(sentence)) if sentence else -1
        at = start if at < 0 else at
        if not unit and m.lastgroup == "wrd":
            unit = whole_unit(window, m.end())
        # Where the sentence's first mode word ends and its first 'number' begins, found once a sentence:
        # a quote's text before it (text[at:start]) holds a mode word (a whole word) or 'number of' only
        # if the sentence's first one lies in it. Every quote in a long sentence is then O(1), not O(400).
        if (first := firsts.get(key := (at, len(sentence)))) is None:
            first = firsts[key] = (*((m.end() if (m := p.search(sentence)) else -1) for _, p in MODES),
                                   (m.start() if (m := _NUMBER_WORD.search(sentence)) else -1))
        reach = start - at if text.startswith(sentence, at) else -1  # the length of the text before the quote
        if not unit and 0 <= first[-1] < reach and (noun := NUMBER_OF.search(text, at, start)):
            # 'The number of robotics-related enterprises exceeded 160,000'
            unit = next((w.lower() for w in noun.group("n").split() if is_plural(w)), "")
        if (period := periods.get(sentence)) is None:
            period = periods[sentence] = guess_period(sentence, published) if clue.search(sentence) else ""
        line = text.rfind("\n", max(0, start - 4000), start)
        line = 0 if line < 0 and start <= 4000 else line
        if not period and line == last[0] and line >= 0:
            period = last[1]  # 'In 2025, output rose 31.2%. ... exceeded 160,000': the year carries on
        elif period:
            last = (line, period)
        if reach > 0 and not _WORD_END.match(text, start - 1, start):  # the text before the quote ends a word
            mode = next((name for (name, _), e in zip(MODES, first) if 0 <= e <= reach), "")
        else:  # a word glued to the quote: read the text before it as ever
            before = text[at:start]
            mode = next((name for name, pattern in MODES if pattern.search(before)), "")
        qualifier = f"{mode} {q.qualifier}".strip()
        metric = entity = cluster = ""
        if matcher:
            # The word index of the first sentence read from this start (a later, longer one reuses it),
            # with offsets from the sentence's start: only distances count, so the metric is the same.
            if (indexed := indexes.get(at)) is None:
                if (index := words.get(sentence)) is None:
                    index = words[sentence] = {}
                    for t in METRIC_WORD.finditer(sentence):
                        index.setdefault(stem(t.group(0)), []).append(t.start())
                indexed = indexes[at] = (sentence, index)
            kind = unit_kind(unit)
            if (metric := metrics.get(key := (indexed[0], start - at, end - at, kind))) is None:
                metric = metrics[key] = matcher.metric(indexed[1], start - at, end - at, kind)
            near = mentions[bisect.bisect_left(starts, at):bisect.bisect_left(starts, at + len(sentence))]
            entity = nearest_name([mm for mm in near if mm[2] == "entity"], start, end, main_entity)
            cluster = nearest_name([mm for mm in near if mm[2] == "cluster"], start, end)
        found.append(Candidate(start, end, quote, q.value, value_text, value_max_text, unit, q.scale, qualifier,
                               period, metric, entity, cluster))
    read = read_meanings(text, found, published, names, place, mentions, Candidate, cancelled=cancelled)
    total += len(read) - len(found)  # the reader adds figures the scan misses (超万亿元) and joins ranges
    return (read[:limit] if limit is not None else read), total
