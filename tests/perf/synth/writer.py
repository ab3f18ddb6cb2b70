"""The words of synthetic documents: magnitudes, quotes, sentences, paragraphs and citations.

Part of tests.perf.synth (see there for the choices). Everything is drawn from the one
random.Random the load was seeded with, in a fixed order: same seed, same words.
Quotes are written the way store.values.numbers reads them, so no figure needs a flag.
"""

from __future__ import annotations

import random

from store.errors import StoreError
from tests.perf.synth.facts import FIRST_YEAR, Metric, Period, number_words
from tests.perf.synth.words import (
    BY_UNIT_KIND,
    FILLERS,
    METRICS,
    PARTNERS,
    PUBLISHERS,
    QUALIFIERS,
    SOURCES,
    TITLES,
    WRITERS,
)

P_QUALIFIER = 0.1  # quotes that say "over", "nearly" ... before the number


class Writer:
    """Words: quotes, sentences, documents and citations, all drawn from one Random."""

    def __init__(self, rnd: random.Random, metrics: dict[str, tuple[int, str]], names: dict[int, str]):
        self.rnd, self.random, self.names = rnd, rnd.random, names
        self.metrics = {}
        for key, (mid, unit_kind) in metrics.items():
            fields = METRICS.get(key) or (BY_UNIT_KIND[unit_kind].split("|") if unit_kind in BY_UNIT_KIND else None)
            if fields:
                self.metrics[key] = Metric(mid, key, fields)
        for key, other in PARTNERS.items():
            if key in self.metrics and other in self.metrics:
                self.metrics[key].partner = self.metrics[other]
        # Orders in which a subject's metrics are stated, per scope: c a cluster, f a company of it (no counts),
        # e a place as a whole. Each is a weighted random permutation (Efraimidis-Spirakis: sort by u ** (1 / w)),
        # so the first metrics of a period are the common ones and no draw is wasted on one already stated.
        self.orders = {}
        for scope, wanted in (("c", "cb"), ("f", "cb"), ("e", "eb")):
            pool = [m for m in self.metrics.values() if m.scope in wanted and m.weight > 0
                    and (scope != "f" or m.kind != "count")]
            if not pool:
                raise StoreError("the store's metrics have no unit kind synth knows (money, percent, count ...)")
            self.orders[scope] = [tuple(sorted(pool, key=lambda m: -rnd.random() ** (1 / m.weight)))
                                  for _ in range(64)]

    def magnitude(self, metric: Metric, theme: tuple, period: Period, share: float, entity: int | None) -> float:
        """A plausible size: money grows with the cluster (or the place's economy), the rest is log-uniform."""
        kind = metric.kind
        if entity is None:
            base, growth = theme[4], theme[5]
        else:  # an entity as a whole: a GDP of 20 to 600 billion yuan in 2011, growing 7% a year
            base, growth = 10 ** (10.3 + (entity * 0.618034 % 1) * 1.5), 0.07
        if kind == "money":
            x = base * (1 + growth) ** (period.year - FIRST_YEAR) * metric.lo * share * period.frac
            return min(max(x * (0.93 + 0.14 * self.random()), 1e8), 2e12)  # within 7% of the trend
        if kind == "growth":
            return growth * (50 + 100 * self.random())  # 0.5 to 1.5 times the trend, in percent
        return metric.lo * (metric.hi / metric.lo) ** self.random()

    def quote(self, metric: Metric, x: float, usd: bool = False) -> tuple[str, str, str, str, str]:
        """(quote, exact value text, unit, scale, qualifier) stating a magnitude."""
        r, kind = self.random, metric.kind
        number, value_text, scale = number_words(metric, x)
        if scale:
            number = f"{number} {scale}"
        if usd:
            return "$" + number, value_text, "US$", scale, ""
        if kind == "money":
            words, unit = ("RMB " + number if r() < 0.1 else number + " yuan"), "yuan"
        elif kind == "pct" or kind == "growth":
            words, unit = (number + "%" if r() < 0.4 else number + " percent"), "%"
        else:
            words, unit = f"{number} {metric.noun}", metric.unit
        if r() < P_QUALIFIER:
            said, qualifier = QUALIFIERS[int(r() * len(QUALIFIERS))]
            return f"{said} {words}", value_text, unit, scale, qualifier
        return words, value_text, unit, scale, ""

    def sentence(self, period: Period, subject: str, metric: Metric, quote: str, usd: str | None = None,
                 growth: str | None = None) -> tuple[str, list[int]]:
        """A sentence stating a value (and its US$ conversion, its growth) and where each of those quotes starts."""
        form = self.random()
        text = (f"{period.lead}, {subject} {metric.verb} " if form < 0.65
                else f"{subject[0].upper()}{subject[1:]} {metric.verb} ")
        starts = [len(text)]
        text += quote
        if usd is not None:
            text += " (about "
            starts.append(len(text))
            text += usd + ")"
        text += metric.tail
        if growth is not None:
            text += ", up "
            starts.append(len(text))
            text += growth + " year on year"
        if form < 0.5:
            return text + ".", starts
        if form < 0.65:
            return f"{text}, according to {SOURCES[int(self.random() * len(SOURCES))]}.", starts
        return f"{text} {period.inline}.", starts

    def filler(self, subject: str) -> str:
        return FILLERS[int(self.random() * len(FILLERS))].format(subject=subject)

    def layout(self, statements: list[tuple], subject: str) -> tuple[str, list[tuple[int, int, str]]]:
        """The document's text (paragraphs of sentences, some without figures) and (start, figure id, quote) of
        each quote. A statement is (period start, sentence, quote starts in it, figure ids, quotes)."""
        r, filler = self.random, self.filler
        parts, spans = [filler(subject)], []
        pos, in_paragraph, paragraph = len(parts[0]), 1, 3 + int(r() * 4)
        for _, sentence, starts, ids, quotes in statements:
            if in_paragraph:
                pos += 1
                parts.append(" ")
            for start, fid, quote in zip(starts, ids, quotes):
                spans.append((pos + start, fid, quote))
            parts.append(sentence)
            pos += len(sentence)
            in_paragraph += 1
            if r() < 0.2:
                extra = " " + filler(subject)
                parts.append(extra)
                pos += len(extra)
            if in_paragraph >= paragraph:
                parts.append("\n\n")
                pos, in_paragraph, paragraph = pos + 2, 0, 3 + int(r() * 4)
        while pos < 2000:  # even a short article has some body
            extra = (" " if in_paragraph else "") + filler(subject)
            parts.append(extra)
            pos, in_paragraph = pos + len(extra), 1
        return "".join(parts).rstrip(), spans

    def citation(self, theme: tuple, month: int) -> tuple[str, str, str]:
        rnd = self.rnd
        place, sector = self.names[theme[2]], theme[3][0]
        title = TITLES[rnd.randrange(len(TITLES))].format(
            place=place, sector=sector, Sector=sector[0].upper() + sector[1:], subject=theme[1])
        return title, PUBLISHERS[rnd.randrange(len(PUBLISHERS))], WRITERS[rnd.randrange(len(WRITERS))]
