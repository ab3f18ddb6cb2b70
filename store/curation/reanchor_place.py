"""Where an anchor goes in a new version of its text: exact, moved, fuzzy or orphaned. Pure: no store.

Part of store.curation.reanchor, whose docstring gives the rules and why. The old and new texts are
diffed once (Alignment), chunk by chunk with small changed regions refined character by
character; Reanchorer places every anchor of a document with that one diff, and never lets
two figures that did not share words share them after.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from difflib import SequenceMatcher
from itertools import accumulate
from os.path import commonprefix

from store.errors import InvalidNumber
from store.values.numbers import parse_quantity

FUZZY_QUOTE_RATIO = 0.8  # how alike the new words must be to the old quote
FUZZY_CONTEXT_RATIO = 0.6  # ... and the 32 characters either side to the stored prefix/suffix
# An occurrence elsewhere must keep at least this share of the stored context to be "moved" there:
# a short quote ("33%") whose own sentence was deleted must not jump to another "33%" of the text
# on the strength of a space either side. Weaker evidence goes to the fuzzy check (review) or orphans.
MOVED_CONTEXT_SHARE = 0.25
REFINE_CHARS = 4000  # changed regions up to this size (each side) are aligned character by character
# A chunk is a sentence (ending in . ! ? before white space, or a CJK full stop) or the rest of a line,
# with the white space after it: blank lines never stand alone, so they cannot make the diff quadratic.
_CHUNK = re.compile(r"[^\n]*?(?:[.!?](?=\s)|[\u3002\uff01\uff1f]|\n|$)\s*")


def _chunks(text: str) -> list[str]:
    return [m.group() for m in _CHUNK.finditer(text) if m.group()]


class Alignment:
    """Where each position of the old text went in the new one, from one diff of the whole texts."""

    def __init__(self, old: str, new: str):
        self.old_len, self.new_len = len(old), len(new)
        a, b = _chunks(old), _chunks(new)
        a_at, b_at = _starts(a), _starts(b)
        # The unchanged head and tail are taken as they are: most versions change a few places, and
        # SequenceMatcher, which takes the longest match first, can pair the wrong copies of a text
        # that repeats itself (boilerplate, or a test text repeated to 1 MB).
        head = 0
        while head < min(len(a), len(b)) and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        blocks: list[tuple[int, int, int]] = [(0, 0, a_at[head])] if head else []  # (old, new, length)
        matcher = SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
            oa, ob, la, lb = a_at[i1], b_at[j1], a_at[i2] - a_at[i1], b_at[j2] - b_at[j1]
            if tag == "equal":
                blocks.append((oa, ob, la))
            elif tag == "replace" and la <= REFINE_CHARS and lb <= REFINE_CHARS:
                # An edited sentence: align its characters, so words around the edit map exactly.
                chars = SequenceMatcher(None, old[oa:oa + la], new[ob:ob + lb], autojunk=False)
                blocks.extend((oa + i, ob + j, n) for i, j, n in chars.get_matching_blocks() if n)
        if tail:
            blocks.append((a_at[len(a) - tail], b_at[len(b) - tail], self.old_len - a_at[len(a) - tail]))
        self._blocks = [block for block in blocks if block[2]]
        self._old_starts = [block[0] for block in self._blocks]

    def exact(self, pos: int) -> int | None:
        """The new position of an old one inside unchanged text; None if it was in changed text."""
        k = bisect_right(self._old_starts, pos) - 1
        if k >= 0:
            a, b, n = self._blocks[k]
            if pos < a + n:
                return b + pos - a
        return None

    def map(self, pos: int) -> int:
        """The new position of an old one; inside a changed region, proportionally across it."""
        k = bisect_right(self._old_starts, pos) - 1
        low_a = low_b = 0
        if k >= 0:
            a, b, n = self._blocks[k]
            if pos < a + n:
                return b + pos - a
            low_a, low_b = a + n, b + n
        high_a, high_b = self._blocks[k + 1][:2] if k + 1 < len(self._blocks) else (self.old_len, self.new_len)
        if high_a <= low_a:
            return low_b
        return min(self.new_len, low_b + round((pos - low_a) * (high_b - low_b) / (high_a - low_a)))


def _starts(chunks: list[str]) -> list[int]:
    return list(accumulate(map(len, chunks), initial=0))


def _states_number(words: str) -> bool:
    try:
        parse_quantity(words)
    except InvalidNumber:
        return False
    return True


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_anywhere = lambda start, end: True  # noqa: E731 - no claims: every span is free


class _Claims:
    """The new spans taken so far, by start; a span is free for an anchor if it overlaps none of them,
    except those of anchors whose old spans overlapped its own (figures that shared words keep sharing)."""

    def __init__(self, old_spans: list[tuple]):
        self.old = old_spans
        self.starts: list[int] = []
        self.taken: list[tuple[int, int]] = []  # (end, anchor index), in the order of starts
        self.longest = 0

    def free(self, i: int, s: int, e: int) -> bool:
        low, high = bisect_left(self.starts, s - self.longest), bisect_left(self.starts, e)
        return not any(end > s and not _overlap(self.old[i], self.old[j]) for end, j in self.taken[low:high])

    def add(self, i: int, s: int, e: int) -> None:
        at = bisect_left(self.starts, s)
        self.starts.insert(at, s)
        self.taken.insert(at, (e, i))
        self.longest = max(self.longest, e - s)


def _matched(x: str, y: str) -> int:
    return sum(n for _, _, n in SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks())


class Reanchorer:
    """Places anchors of one old text in one new text; the diff and quote searches are shared by all."""

    def __init__(self, old_text: str, new_text: str):
        self.new = new_text
        self.alignment = Alignment(old_text, new_text)
        self._found: dict[str, list[int]] = {}

    def place(self, start: int, end: int, quote: str, prefix: str, suffix: str) -> tuple[str, int, int, float]:
        """(state, new start, new end, score); an orphan keeps its old offsets. See the module rules."""
        return self._place((start, end, quote, prefix, suffix), _anywhere)[:4]

    def _place(self, span: tuple, free) -> tuple[str, int, int, float, bool]:
        """place, among the new spans free(s, e) allows; the last item: the diff maps the old start there."""
        start, end, quote, prefix, suffix = span
        if not quote:
            return "orphaned", start, end, 0.0, False
        full = len(prefix) + len(suffix)
        mapped = self.alignment.exact(start)
        # The usual case: the diff says where the words went, and they are there with all their context.
        # No other occurrence can do better (full context, distance 0), so no search is needed.
        if (mapped is not None and self.new.startswith(quote, mapped)
                and self._context(mapped, quote, prefix, suffix) == full and free(mapped, mapped + len(quote))):
            return ("exact" if mapped == start else "moved"), mapped, mapped + len(quote), 1.0, True
        hits = [s for s in self._occurrences(quote) if free(s, s + len(quote))]
        if hits:
            near = mapped if mapped is not None else self.alignment.map(start)
            kept, _, best = max((self._context(s, quote, prefix, suffix), -abs(s - near), s) for s in hits)
            if kept > 0 and kept >= MOVED_CONTEXT_SHARE * full or not full:  # else ambiguous or unproven
                state = "exact" if best == start else "moved"
                return state, best, best + len(quote), kept / full if full else 1.0, best == mapped
        state, s, e, score = self._fuzzy(start, end, quote, prefix, suffix)
        if state == "fuzzy" and not free(s, e):
            return "orphaned", start, end, 0.0, False
        return state, s, e, score, False

    def place_all(self, spans: list[tuple[int, int, str, str, str]]) -> list[tuple[str, int, int, float]]:
        """Place many anchors (start, end, quote, prefix, suffix); see place.

        Two anchors that did not share words before never come to share words now. The best evidenced
        go first (those found where the diff maps their old start, then by context kept, fuzzy last);
        one whose place is taken looks again among the places left, else it is orphaned: it most likely
        lost its own words and fell onto a neighbour's. This also sorts out a text that repeats itself,
        where every copy of a sentence keeps the same 32 characters of context.
        """
        first = [self._place(span, _anywhere) for span in spans]
        results = [r[:4] for r in first]
        order = sorted((i for i, r in enumerate(first) if r[0] != "orphaned"),
                       key=lambda i: (not first[i][4], first[i][0] == "fuzzy", -first[i][3], i))
        claims = _Claims(spans)
        for i in order:
            result = first[i]
            if not claims.free(i, result[1], result[2]):
                result = self._place(spans[i], lambda s, e, i=i: claims.free(i, s, e))
            results[i] = result[:4]
            if result[0] != "orphaned":
                claims.add(i, result[1], result[2])
        return results

    def _context(self, s: int, quote: str, prefix: str, suffix: str) -> int:
        """How many characters of the stored prefix (read backwards) and suffix the new text keeps at s."""
        e = s + len(quote)
        before, after = self.new[max(0, s - len(prefix)):s], self.new[e:e + len(suffix)]
        return len(commonprefix([prefix[::-1], before[::-1]])) + len(commonprefix([suffix, after]))

    def _occurrences(self, quote: str) -> list[int]:
        if quote not in self._found:
            hits, i = [], self.new.find(quote)
            while i != -1:
                hits.append(i)
                i = self.new.find(quote, i + 1)
            self._found[quote] = hits
        return self._found[quote]

    def _fuzzy(self, start: int, end: int, quote: str, prefix: str, suffix: str) -> tuple[str, int, int, float]:
        """The words in a window around where the old span went that align with the old quote, if alike enough."""
        p = self.alignment.map(start)
        slack = 48 + len(quote)
        low = max(0, p - len(prefix) - slack)
        window = self.new[low:min(len(self.new), p + len(quote) + len(suffix) + slack)]
        # Cheap first: context that is still recognisable shares a run of 11+ characters with the window,
        # so one of these pieces is in it. Without this, a rewritten text costs a character diff per anchor.
        pieces = [side[i:i + 8] for side in (prefix, suffix) for i in range(0, len(side) - 7, 4)]
        if pieces and not any(piece in window for piece in pieces):
            return "orphaned", start, end, 0.0
        ops = SequenceMatcher(None, prefix + quote + suffix, window, autojunk=False).get_opcodes()
        qs, qe = len(prefix), len(prefix) + len(quote)
        s = next((j1 + (qs - i1 if tag == "equal" else 0) for tag, i1, i2, j1, j2 in ops if i1 <= qs < i2), None)
        e = next((j1 + (qe - i1) if tag == "equal" else j2 for tag, i1, i2, j1, j2 in ops if i1 < qe <= i2), None)
        if s is None or e is None:
            return "orphaned", start, end, 0.0
        s, e = low + s, low + e
        while s < e and self.new[s].isspace() and not quote[0].isspace():
            s += 1
        while e > s and self.new[e - 1].isspace() and not quote[-1].isspace():
            e -= 1
        if e <= s:
            return "orphaned", start, end, 0.0
        words = self.new[s:e]
        ratio = SequenceMatcher(None, quote, words, autojunk=False).ratio()
        before, after = self.new[max(0, s - len(prefix)):s], self.new[e:e + len(suffix)]
        size = len(prefix) + len(before) + len(suffix) + len(after)
        context = 2 * (_matched(prefix, before) + _matched(suffix, after)) / size if size else 1.0
        if ratio >= FUZZY_QUOTE_RATIO and context >= FUZZY_CONTEXT_RATIO and self._same_kind(s, e, quote, prefix,
                                                                                               suffix):
            return "fuzzy", s, e, ratio
        return "orphaned", start, end, 0.0

    def _same_kind(self, s: int, e: int, quote: str, prefix: str, suffix: str) -> bool:
        """New words can stand for the old quote: whole words where it was, and a number where it had one.

        A long quote keeps a high similarity when an edit cuts off its number ("over 2,000 aircraft
        makers" -> "Guangdong's aircraft makers") or joins it to a neighbouring word; neither states the figure.
        """
        for inside, outside, new_outside in ((quote[0], prefix[-1:], self.new[s - 1:s]),
                                             (quote[-1], suffix[:1], self.new[e:e + 1])):
            if inside.isalnum() and not outside.isalnum() and new_outside.isalnum():
                return False
        return _states_number(quote) <= _states_number(self.new[s:e])


def reanchor(old_text: str, new_text: str, start: int, end: int, quote: str, prefix: str,
             suffix: str) -> tuple[str, int, int, float]:
    """Where one anchor goes in a new text: (state, start, end, score). Pure; diffs the texts each call.

    score: for exact/moved the share of the stored context kept (1.0 = all), for fuzzy the quote
    similarity, for orphaned 0.0. Many anchors of one text: use Reanchorer, which diffs once.
    """
    return Reanchorer(old_text, new_text).place(start, end, quote, prefix, suffix)
