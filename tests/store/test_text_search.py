"""The quote signatures only skip quotes: every search gives exactly pyarrow's match_substring."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from store import open_store
from store.query.columns import FigureColumns
from store.query.text_search import QuoteIndex, byte_table
from tests.perf.synth import synth

QUOTES = ["", "robot arm", "r", None, "亿元 2024", "ab", "cd", "ba", "x\x00y", "rrr", "1.2 trillion yuan",
          "%", "", "ro bot", "bc", "zz", "a", "robots", "", "роботы", "tail"]
WORDS = ["r", "ro", "rob", "robot", "bc", "b", "c", "a", "亿", "亿元", "元 2", " ", "1.2", "x", "\x00", "x\x00y",
         "z", "zz", "zzz", "q", "робот", "%", "n y", "tail", "il", "ta", "arm", "rr", "rrrr", "2024"]


def _reference(quotes, word: str) -> np.ndarray:
    return np.asarray(pc.match_substring(quotes, word).fill_null(False).to_numpy(zero_copy_only=False), bool)


def _check(index: QuoteIndex, quotes, words) -> None:
    rows = np.arange(0, len(quotes), 2)
    for word in words:
        expected = _reference(quotes, word)
        assert index.search(quotes, word).tolist() == expected.tolist(), word
        assert index.search(quotes, word, rows).tolist() == expected[rows].tolist(), word


def test_search_equals_match_substring_on_edge_cases():
    quotes = pa.array(QUOTES, pa.string())
    _check(QuoteIndex.build(quotes), quotes, WORDS)
    # No word may match across two quotes ("ab" then "cd" do not hold "bc"; "ba" does not hold "ab").
    assert QuoteIndex.build(quotes).search(quotes, "bc").tolist() == [q is not None and "bc" in q for q in QUOTES]


def test_search_is_exact_when_few_bytes_have_a_bit():
    """Bytes without a bit of their own (a table made from other quotes) only make more candidates."""
    quotes = pa.array(QUOTES, pa.string())
    table = byte_table(pa.array(["aaaa"], pa.string()))
    assert table[ord("a")] and not table[ord("r")] and not table["亿".encode()[0]]
    _check(QuoteIndex.build(quotes, table), quotes, WORDS)


def test_a_sliced_array_and_chunks_of_many_quotes():
    rng = np.random.default_rng(7)
    alphabet = list("abcdefgh 12.%") + ["亿", "é"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 12))) for _ in range(70_000)]
    quotes = pa.array(texts, pa.string()).slice(3)  # an offset into the buffers, and more than one build chunk
    index = QuoteIndex.build(quotes)
    words = ["a", "ab", "abc", "h 1", "亿", "亿a", "é", ".%", "hh", "12.", "%%%"]
    _check(index, quotes, words)


def test_the_index_after_a_refresh_equals_a_fresh_build():
    quotes = pa.array(QUOTES, pa.string())
    index = QuoteIndex.build(quotes)
    keep = np.ones(len(QUOTES), bool)
    keep[[1, 4, 9]] = False
    fresh = pa.array(["new robot", "亿亿", ""], pa.string())
    order = np.random.default_rng(1).permutation(int(keep.sum()) + len(fresh))
    changed = index.changed(keep, fresh, order)
    combined = pa.concat_arrays([quotes.filter(pa.array(keep)), fresh]).take(pa.array(order))
    rebuilt = QuoteIndex.build(combined, index.byte_bits)
    assert changed.bytes_sig.tolist() == rebuilt.bytes_sig.tolist()
    assert changed.pairs_sig.tolist() == rebuilt.pairs_sig.tolist()
    _check(changed, combined, WORDS + ["new", "亿亿"])


@pytest.mark.parametrize("length", [1, 2, 3])
def test_every_short_word_of_the_synthetic_quotes(length):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(os.path.join(folder, "synth.sqlite3"))
        try:
            synth(store, 2000, 20, seed=5)
            with store.read() as session:
                columns = FigureColumns.load(session)
        finally:
            store.close()
    quotes = columns.quotes
    grams = sorted({q[i:i + length] for q in quotes.to_pylist()[:300] for i in range(len(q) - length + 1)})
    _check(columns.quote_index, quotes, grams[:200] + ["zzz", "\u4ebf"])


def test_the_byte_table_counted_in_pieces_is_the_table_counted_at_once(monkeypatch):
    from store.query import text_search

    # 94 bytes (! to ~), byte k in 3 (k + 1) places: which 64 get a bit, and which bit, depends on every count.
    texts = [chr(0x21 + k) * 3 for k in range(94) for _ in range(k + 1)]
    np.random.default_rng(11).shuffle(texts)
    quotes = pa.array(["!" * 400] + texts, pa.string()).slice(1)  # the sliced-off quote counts for nothing
    whole = byte_table(quotes)
    assert sorted(whole[0x21 + 30:0x21 + 94].tolist()) == [1 << bit for bit in range(64)]
    monkeypatch.setattr(text_search, "_CHUNK_BYTES", 1000)  # 13,395 bytes: 14 pieces
    assert byte_table(quotes).tolist() == whole.tolist()
