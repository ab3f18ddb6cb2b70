"""The figure finder's work is linear in the text, counted without a clock.

Every compiled regex of the finder's modules is replaced by a spy that adds up how many characters
each call may look at (from its start position to its end position or the string's end). A pass
over the whole text counts the text once; a match at a trigger counts its window. When that sum
for a text twice as long is about twice the sum for the text, the finder reads each part of the
text a bounded number of times. A regex given the rest of the text at every trigger (as the e-mail
pattern once was: '1-1-1-...' took 58 s at 160,000 characters) makes the sum grow fourfold.
"""

from __future__ import annotations

import re
import sys

import pytest

from store import finder
from store.finder import find_figures
from store.finder import names as finder_names
from store.finder import spans as finder_spans
from store.finder.names import load_taxonomy
from store.values import numbers


class _Spy:
    """A compiled regex that counts the characters each call may read into `seen[0]`."""

    def __init__(self, pattern: re.Pattern, seen: list[int]):
        self._pattern, self._seen = pattern, seen

    def _count(self, string, pos=0, endpos=sys.maxsize) -> None:
        self._seen[0] += max(0, min(endpos, len(string)) - pos)

    def __getattr__(self, name):
        method = getattr(self._pattern, name)
        if name in ("match", "search", "fullmatch", "finditer", "findall"):
            def counted(string, pos=0, endpos=sys.maxsize):
                self._count(string, pos, endpos)
                return method(string, pos, endpos)
            return counted
        if name in ("sub", "subn"):
            def replaced(repl, string, count=0):
                self._count(string)
                return method(repl, string, count)
            return replaced
        if name == "split":
            def split(string, maxsplit=0):
                self._count(string)
                return method(string, maxsplit)
            return split
        return method


def _spied(value, seen):
    if isinstance(value, re.Pattern):
        return _Spy(value, seen)
    if isinstance(value, (list, tuple)) and any(isinstance(v, (re.Pattern, list, tuple)) for v in value):
        return type(value)(_spied(v, seen) for v in value)
    return value


@pytest.fixture
def work(monkeypatch):
    """work(text, names=None): the characters the finder's regexes may read to find the text's figures."""
    seen = [0]
    for module in (finder, finder_spans, finder_names, numbers):
        for name, value in vars(module).items():
            if (spied := _spied(value, seen)) is not value:
                monkeypatch.setattr(module, name, spied)
    finder_names.name_matcher.cache_clear()  # name matchers built before the spies hold the bare regexes

    def measure(text: str, names=None) -> int:
        seen[0] = 0
        find_figures(text, "2025-03", names)
        return seen[0]
    yield measure
    finder_names.name_matcher.cache_clear()


HOSTILE = {  # each once made, or could make, a regex run to the end of the text at every trigger
    "dash": "1-",
    "trillion": "1万亿元",
    "ones": "1 ",
    "mail": "a@1-",
    "dots": "1.",
    "commas": "1,",
    "words": "one-",
    "url": "http://1 ",
    "ranges": "1 to 2 ",
    "phrase": "1 1a-",
    "tabs": "1\t",
    "cjk": "约1万",
    "newlines": "1\n",
}


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_finder_reads_a_text_twice_as_long_with_about_twice_the_work(work, unit):
    n = 6000 // len(unit)
    once, twice = work(unit * n), work(unit * 2 * n)
    assert twice <= 2.2 * once, f"{unit!r}: {once:,} characters read for {len(unit) * n:,}, {twice:,} for twice that"


def test_real_text_with_the_stores_names_is_linear_too(work, seeded_path):
    from store import open_store
    from store.opening.seed import SEEDS_DIR

    store = open_store(str(seeded_path))
    try:
        with store.read() as session:
            names = load_taxonomy(session)
    finally:
        store.close()
    block = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt")))
    once, twice = work(block, names), work(block + "\n\n" + block, names)
    assert twice <= 2.2 * once


def test_a_number_longer_than_the_window_is_passed_over_whole():
    """'1' * 5000 is no figure, and nothing inside it is read as one."""
    text = "Sales were 5 million yuan. " + "7" * 5000 + " and 3% more."
    quotes = [c.quote for c in find_figures(text)]
    assert quotes == ["5 million yuan", "3%"]
