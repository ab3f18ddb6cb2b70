"""The store's names in both languages, for reading a figure's meaning: metric, entity, cluster.

Built from the finder's Taxonomy (store.finder.names.load_taxonomy), whose names carry their
aliases and Chinese names (name_zh): a metric, entity or cluster a curator names or aliases in
the store is matched by the next import. Chinese names are found inside runs of Chinese text
(no word boundaries there); English ones as whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u9fff]")
_GROWTH_WORDS = re.compile(r"growth|增长|增速|change|increase", re.I)
_TOKEN = re.compile(r"[a-z0-9&]+(?:[-'’][a-z0-9&]+)*")
_SCOPE = re.compile(r"^(?:全省|全市|全区|全自治区|我省|我市|我区|本市|本省)")


@dataclass(frozen=True)
class _Metric:
    key: str
    unit_kind: str
    growth: bool  # a rate of change ('GDP growth'), not a level


class Vocabulary:
    """Metric phrases by their casefolded words, and one regex of the Chinese entity and cluster names."""

    def __init__(self, names):
        self.metric_phrases: dict[str, list[_Metric]] = {}
        for m in names.metrics:
            metric = _Metric(m.key, m.unit_kind, bool(_GROWTH_WORDS.search(m.name)) or m.key.endswith("_growth"))
            for phrase in (m.name, *m.aliases):
                phrase = re.sub(r"\s*\(.*?\)", "", phrase).strip().casefold()
                if phrase and not _HAN.search(phrase):
                    phrase = " ".join(_TOKEN.findall(phrase))  # English: whole words, as metric() reads them
                if phrase:
                    self.metric_phrases.setdefault(phrase, []).append(metric)
        self._read: dict[tuple[str, str, str], tuple[str, str]] = {}
        zh: dict[str, list[tuple[str, str]]] = {}
        self.kinds: dict[str, str] = {}
        for kind, items in (("entity", names.entities), ("cluster", names.clusters)):
            for item in items:
                for phrase in (item.name, *item.aliases):
                    if _HAN.search(phrase or ""):
                        zh.setdefault(phrase.strip(), []).append((kind, item.key))
                if kind == "entity":
                    for phrase in (item.name, *item.aliases):
                        self.kinds.setdefault(phrase.strip().casefold(), item.key)
        self.zh = zh
        self.zh_regex = re.compile("|".join(sorted(map(re.escape, zh), key=len, reverse=True))) if zh else None

    def entity_key(self, place: str) -> str:
        """The entity a place names ('广东省', 'Guangdong', 'guangdong'), or ''."""
        place = (place or "").strip()
        if not place:
            return ""
        if key := self.kinds.get(place.casefold()):
            return key
        if key := self.kinds.get(re.sub(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$", "", place).casefold()):
            return key
        return ""

    def zh_mentions(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, kind, key) of every Chinese entity and cluster name in the text."""
        if self.zh_regex is None:
            return []
        found = []
        for m in self.zh_regex.finditer(text):
            for kind, key in self.zh[m.group(0)]:
                found.append((m.start(), m.end(), kind, key))
        return found

    def metric(self, metric_text: str, unit_kind: str, growth: str) -> tuple[str, str]:
        """(metric key, the words it was read from) for the words that say what is measured, or ('', '').

        The longest name or alias the words end with (Chinese puts the head last: '全社会研发投入'
        is 研发投入; a share '占…比重' may sit inside) or, in English, hold as whole words; of the
        unit's kind, and for a percent a growth metric for a change and a level metric for a level.
        """
        key = (metric_text, unit_kind, growth)
        if (known := self._read.get(key)) is not None:
            return known
        words = _SCOPE.sub("", (metric_text or "").strip()).casefold()
        found: set[str] = set()
        if words:
            phrases = self.metric_phrases
            found.update(words[i:] for i in range(len(words)) if words[i:] in phrases)
            for i in (i for i, ch in enumerate(words) if ch == "占"):
                found.update(words[i:j] for j in range(i + 2, len(words)) if words[i:j] in phrases)
            tokens = _TOKEN.findall(words)
            for n in range(1, min(len(tokens), 6) + 1):
                found.update(p for i in range(len(tokens) - n + 1) if (p := " ".join(tokens[i:i + n])) in phrases)
        answer = "", ""
        for phrase in sorted(found, key=len, reverse=True):
            fits = [m for m in self.metric_phrases[phrase] if m.unit_kind == unit_kind]
            if unit_kind in ("percent", "percentage_points") and growth:
                fits = [m for m in fits if m.growth == (growth == "change")] or (
                    fits if unit_kind == "percentage_points" else [])
            if fits:
                answer = fits[0].key, phrase
                break
        if len(self._read) < 100_000:
            self._read[key] = answer
        return answer


@lru_cache(maxsize=8)
def vocabulary(names) -> Vocabulary:
    return Vocabulary(names)
