"""The figure finder's suggestions: the store's names, and the metric, entity and cluster nearest a quote.

Part of store.finder (see there). Names are found the way numbers are: a regex of every
entity and cluster name, tried only where the text's byte copy holds the start of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from store.finder.spans import IGNORE_CASE, prepare_text, trie_pattern
from store.values.numbers import any_of


@dataclass(frozen=True)
class Name:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    unit_kind: str = ""  # metrics only
    description: str = ""  # metrics only: its words count less than the name's


@dataclass(frozen=True)
class Taxonomy:
    """The names the finder matches around a figure to suggest its metric, entity and cluster."""
    metrics: tuple[Name, ...] = ()
    entities: tuple[Name, ...] = ()
    clusters: tuple[Name, ...] = ()


def load_taxonomy(session) -> Taxonomy:
    """The store's metrics (name, unit kind, description), entities and clusters; each with its aliases.

    A name's aliases are its Chinese name (name_zh) and its other names in either language, so
    that a metric or name a curator gave the store is matched by the next import.
    """
    from sqlalchemy import select

    from store.models import Cluster, Entity, Metric

    def aliases(zh, more) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for a in (zh or "", *(more or ())) if a and a.strip()))
    metrics = session.execute(select(Metric.key, Metric.name, Metric.unit_kind, Metric.description, Metric.name_zh,
                                     Metric.aliases).order_by(Metric.id))
    named = [session.execute(select(m.key, m.name, m.name_zh, m.aliases).order_by(m.id)) for m in (Entity, Cluster)]
    return Taxonomy(tuple(Name(k, n, aliases(z, a), u, d or "") for k, n, u, d, z, a in metrics),
                    *(tuple(Name(k, n, aliases(z, a)) for k, n, z, a in rows) for rows in named))


# --- suggestions -----------------------------------------------------------------------------
_DESCRIPTION_WEIGHT = 0.4
_WEAK = {"number", "year", "annual", "total", "value"}
_FUNCTION = {"of", "the", "a", "an", "or", "and", "as", "in", "on", "to", "by", "for", "from", "at", "with", "its",
             "set", "people", "organisations", "e", "g", "stated", "share", "unit", "count", "such", "including",
             "not", "is", "be", "that", "other", "different", "kind", "what", "thousand", "million", "billion",
             "trillion", "yuan", "level", "percent", "magnitude", "order"}  # the quote's own words say no metric
_SYNONYMS = {"grew": "growth", "grow": "growth", "grown": "growth", "growing": "growth", "increase": "growth",
             "increased": "growth", "rose": "growth", "surged": "growth"}
METRIC_WORD, _NAME_WORD = re.compile(r"[A-Za-z&]+"), re.compile(r"\w+")
_NAME_TOKEN_AT = re.compile(r"(?<!\w)\w+")  # the whole \w+ token that starts here, if one does
_HAN = re.compile(r"[\u3400-\u9fff]")
_ASCII_LETTER_I = re.compile(r"[a-z]", IGNORE_CASE)  # beyond ASCII: 'İ', 'ı', 'ſ', 'K'


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = word.lower().strip("'’").replace("center", "centre")
    if w in _SYNONYMS:
        return _SYNONYMS[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3 else w


class _Names:
    """Precompiled matchers for one taxonomy: a regex of every entity and cluster name, each metric's words."""

    def __init__(self, names: Taxonomy):
        self.phrases: dict[str, list[tuple[str, str, bool]]] = {}
        for kind, items in (("entity", names.entities), ("cluster", names.clusters)):
            for item in items:
                # Chinese names are read by store.reading.vocabulary, clause by clause: here they would
                # make every text searched with the slow regex, and '(?<!\w)' never matches inside Chinese.
                for phrase in (p.strip() for p in (item.name, *item.aliases) if p.strip() and not _HAN.search(p)):
                    # A capitalised name ('Guangdong's', 'GBA') names; a lowercase alias ('national') describes.
                    proper = phrase == item.name.strip() or phrase[:1].isupper()
                    self.phrases.setdefault(phrase.casefold(), []).append((kind, item.key, proper))
        self.regex = re.compile(r"(?<!\w)(?:" + any_of(self.phrases) + r")(?!\w)", IGNORE_CASE) if self.phrases else None
        # How far a match at a word may read: the longest name and the one character after it that
        # (?!\w) looks at (a case-insensitive match is as long as its name), so each read is bounded.
        self.reach = max(map(len, self.phrases), default=0) + 1
        self.first_words = {m.group(0) for p in self.phrases if (m := _NAME_WORD.match(p))}
        self.cjk = any(not _NAME_WORD.match(p) or re.search(r"[\u3000-\u9fff]", p) for p in self.phrases)
        # Where a name may begin: where the text's byte copy (see prepare_text) holds the ASCII start of one
        # (up to its first other character), when every first word is ASCII; a lookahead, so that no such
        # place hides another. And at a word only the names that begin with it can match (the regex's
        # order kept): another first word is another token.
        ascii_starts = sorted({re.match(r"[\x00-\x7f]*", p).group(0) for p in self.phrases})
        self.byte_names = re.compile(rb"(?<![a-z0-9_])(?=" + trie_pattern(ascii_starts).encode() + rb")") if (
            self.first_words and all(w.isascii() for w in self.first_words)) else None
        by_first: dict[str, list[str]] = {}
        for phrase in self.phrases:
            if m := _NAME_WORD.match(phrase):
                by_first.setdefault(m.group(0), []).append(phrase)
        self.by_first = {w: re.compile(r"(?<!\w)(?:" + any_of(phrases) + r")(?!\w)", IGNORE_CASE)
                         for w, phrases in by_first.items()}
        self.metrics = []
        for metric in names.metrics:
            name = re.sub(r"\(.*?\)", " ", metric.name)  # '(units)': an aside, not what is measured
            words = {stem(w): 0.3 if stem(w) in _WEAK else 1.0 for w in METRIC_WORD.findall(name)}
            for w in METRIC_WORD.findall(metric.description):
                words.setdefault(stem(w), _DESCRIPTION_WEIGHT)
            if words := {w: weight for w, weight in words.items() if w not in _FUNCTION}:
                self.metrics.append((metric.key, metric.unit_kind, words))

    def mentions(self, text: str, prepared: tuple[frozenset[str], bytes] | None = None
                 ) -> list[tuple[int, int, str, str, bool]]:
        """(start, end, kind, key, proper name?) of every name; tried only at words that begin a name."""
        if self.regex is None:
            return []
        if self.cjk:  # Chinese names sit inside runs of \w
            matches = self.regex.finditer(text)
        elif self.byte_names is None or any(c.casefold().isascii() or _ASCII_LETTER_I.match(c)
                                            for c in (prepared or prepare_text(text))[0]):
            # A first word that is not ASCII, or a text with a letter that casefolds to ASCII ('ß') or that
            # the regex takes for an ASCII letter ('ı' for 'i'): every word is tried.
            matches = (self.regex.match(text, t.start(), t.start() + self.reach) for t in _NAME_WORD.finditer(text)
                       if t.group(0).casefold() in self.first_words)
        else:
            matches = self._matches(text, self.byte_names.finditer((prepared or prepare_text(text))[1]))
        found, claimed = [], 0
        for m in matches:
            if m is not None and m.start() >= claimed:
                claimed = m.end()
                found.extend((m.start(), m.end(), *entry) for entry in self.phrases[m.group(0).casefold()])
        return found

    def _matches(self, text: str, hits):
        """The name matches at the words that begin a name, among the places the byte regex found."""
        for hit in hits:
            p = hit.start()
            if (token := _NAME_TOKEN_AT.match(text, p, p + self.reach)) is not None and (
                    first := token.group(0).casefold()) in self.first_words:
                yield self.by_first[first].match(text, p, p + self.reach)

    def metric(self, index: dict[str, list[int]], start: int, end: int, kind: str) -> str:
        """The metric of the unit's kind whose words lie nearest the quote (words in the quote count thrice)."""
        best, best_score = "", 0.5
        for key, metric_kind, words in self.metrics:
            if metric_kind != kind:
                continue
            score = 0.0
            for word, weight in words.items():
                if word in index:
                    pos = min(index[word], key=lambda p: abs(p - start))
                    score += weight * (3.0 if start <= pos < end else 1.0 / (1 + abs(pos - start) / 60))
            if score > best_score + 1e-9:
                best, best_score = key, score
        return best


@lru_cache(maxsize=8)
def name_matcher(names: Taxonomy) -> _Names:
    return _Names(names)


def nearest_name(near: list, start: int, end: int, default: str = "") -> str:
    """The name in the quote, else the nearest before it in the sentence (its subject), else after it.

    A proper name beats a lowercase alias, and so does the document's main entity (`default`):
    'Guangdong ... 40% of the national total' is about Guangdong though 'national' (an alias of
    China) is nearer, and 'the city' in an article about Shenzhen is Shenzhen.
    """
    inside = [mm for mm in near if mm[0] < end and start < mm[1]]
    if inside:  # 'ten strategic pillar industrial clusters' names its cluster itself
        return inside[0][3]
    for proper in (True, False):
        if not proper and default:
            return default
        before = [mm for mm in near if mm[4] == proper and mm[1] <= start]
        after = [mm for mm in near if mm[4] == proper and mm[0] >= end]
        if before or after:
            return before[-1][3] if before else after[0][3]
    return ""
