"""The table filter's quote search: a byte signature per quote skips most quotes before the substring search.

Each quote (lower-cased UTF-8, as FigureColumns keeps it) gets two 64-bit signatures:
- `bytes`: one bit for each of the 64 most common byte values of all quotes, set exactly when the quote
  holds that byte;
- `pairs`: the adjacent byte pairs inside the quote, hashed to 64 bits (a set bit means "may hold").

A word can only be in a quote whose signatures have every bit of the word's bytes and byte pairs; only
those candidates are searched, with pyarrow's substring match, so the answer is exactly
`match_substring` over every quote. A one-character word whose byte has a bit needs no search at all:
its bit is the answer. At a million quotes the signatures take 16 MB and the first keystroke ("r")
costs a few milliseconds instead of a scan of every quote.
"""

from __future__ import annotations

import numpy as np

from store.query.arrow import bools, indices

BITS = 64
_CHUNK_ROWS = 1 << 16  # signatures are built this many quotes at a time (small temporary arrays)
_CHUNK_BYTES = 1 << 20  # bytes counted at a time for the byte table
_PAIR_BITS = (np.uint64(1) << ((np.arange(1 << 16, dtype=np.uint64) * np.uint64(2654435761) >> np.uint64(13))
                               % np.uint64(BITS)))


def _buffers(quotes) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of a pyarrow string array, as numpy views (no copy)."""
    _validity, offsets, data = quotes.buffers()
    start = quotes.offset
    offsets = np.frombuffer(offsets, np.int32)[start:start + len(quotes) + 1] if offsets is not None \
        else np.zeros(len(quotes) + 1, np.int32)
    data = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, data


def byte_table(quotes) -> np.ndarray:
    """uint64 per byte value: the bit of each of the BITS most common bytes in these quotes, 0 for the others."""
    offsets, data = _buffers(quotes)
    counts = np.zeros(256, np.int64)
    low, high = (int(offsets[0]), int(offsets[-1])) if len(quotes) else (0, 0)
    for start in range(low, high, _CHUNK_BYTES):  # bincount widens bytes to int64: 8 bytes per byte counted
        counts += np.bincount(data[start:min(high, start + _CHUNK_BYTES)], minlength=256)
    table = np.zeros(256, np.uint64)
    common = np.argsort(-counts, kind="stable")[:BITS]
    table[common] = np.uint64(1) << np.arange(BITS, dtype=np.uint64)
    return table


class QuoteIndex:
    """Signatures of a string array's quotes (row-aligned with it); see the module's docstring."""

    def __init__(self, byte_bits: np.ndarray, bytes_sig: np.ndarray, pairs_sig: np.ndarray) -> None:
        self.byte_bits = byte_bits
        self.bytes_sig = bytes_sig
        self.pairs_sig = pairs_sig

    @classmethod
    def build(cls, quotes, byte_bits: np.ndarray | None = None) -> QuoteIndex:
        byte_bits = byte_table(quotes) if byte_bits is None else byte_bits
        return cls(byte_bits, *_signatures(quotes, byte_bits))

    def __len__(self) -> int:
        return len(self.bytes_sig)

    def changed(self, keep: np.ndarray, fresh_quotes, order: np.ndarray) -> QuoteIndex:
        """The index after FigureColumns.refresh: the kept rows, then the fresh quotes, then reordered."""
        fresh = QuoteIndex.build(fresh_quotes, self.byte_bits)
        bytes_sig = np.concatenate([self.bytes_sig[keep], fresh.bytes_sig])[order]
        pairs_sig = np.concatenate([self.pairs_sig[keep], fresh.pairs_sig])[order]
        return QuoteIndex(self.byte_bits, bytes_sig, pairs_sig)

    def _needs(self, word: str) -> tuple[np.uint64, np.uint64, bool]:
        """(byte bits, pair bits, exact): the bits a quote holding `word` has; exact when they say it all."""
        data = np.frombuffer(word.encode("utf-8"), np.uint8)
        need_bytes = np.bitwise_or.reduce(self.byte_bits[data]) if len(data) else np.uint64(0)
        codes = (data[:-1].astype(np.int64) << 8) | data[1:]
        need_pairs = np.bitwise_or.reduce(_PAIR_BITS[codes]) if len(codes) else np.uint64(0)
        exact = len(data) == 1 and bool(self.byte_bits[data[0]])
        return np.uint64(need_bytes), np.uint64(need_pairs), exact

    def search(self, quotes, word: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Which quotes contain `word` (a bool per row of `quotes`, or per entry of `rows` when given):
        exactly pyarrow's match_substring, after skipping the quotes whose signatures rule the word out."""
        import pyarrow.compute as pc

        if not word:
            return np.ones(len(quotes) if rows is None else len(rows), bool)
        need_bytes, need_pairs, exact = self._needs(word)
        bytes_sig = self.bytes_sig if rows is None else self.bytes_sig[rows]
        maybe = (bytes_sig & need_bytes) == need_bytes
        if need_pairs:
            pairs_sig = self.pairs_sig if rows is None else self.pairs_sig[rows]
            maybe &= (pairs_sig & need_pairs) == need_pairs
        if exact:
            return maybe
        candidates = np.flatnonzero(maybe)
        found = np.zeros(len(maybe), bool)
        if not len(candidates):
            return found
        at = candidates if rows is None else rows[candidates]
        if len(at) * 2 > len(quotes):  # most quotes are candidates: one pass over all is cheaper than a take
            hit = bools(pc.match_substring(quotes, word))[at]
        else:
            hit = bools(pc.match_substring(quotes.take(indices(at)), word))
        found[candidates[hit]] = True
        return found


def _signatures(quotes, byte_bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    offsets, data = _buffers(quotes)
    count = len(quotes)
    bytes_sig = np.zeros(count, np.uint64)
    pairs_sig = np.zeros(count, np.uint64)
    valid = None
    if quotes.null_count:
        valid = bools(quotes.is_valid())
    for first in range(0, count, _CHUNK_ROWS):
        last = min(count, first + _CHUNK_ROWS)
        low, high = int(offsets[first]), int(offsets[last])
        if high == low:
            continue
        chunk = data[low:high]
        starts = offsets[first:last] - low
        nonempty = offsets[first + 1:last + 1] > offsets[first:last]
        at = starts[nonempty]  # strictly increasing: every segment runs to the next quote that has bytes
        bytes_sig[first:last][nonempty] = np.bitwise_or.reduceat(np.take(byte_bits, chunk), at)
        pairs = np.zeros(len(chunk), np.uint64)
        codes = chunk[:-1].astype(np.int32)
        codes <<= 8
        codes |= chunk[1:]
        pairs[:-1] = np.take(_PAIR_BITS, codes)
        pairs[offsets[first + 1:last + 1][nonempty] - low - 1] = 0  # no pair across two quotes
        pairs_sig[first:last][nonempty] = np.bitwise_or.reduceat(pairs, at)
    if valid is not None:  # a missing quote holds nothing
        bytes_sig[~valid] = 0
        pairs_sig[~valid] = 0
    return bytes_sig, pairs_sig


def narrows(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """True if every row matching `after` matches `before` (the user typed on)."""
    if not before or len(after) < len(before) or after[:len(before) - 1] != before[:-1]:
        return False
    return before[-1] in after[len(before) - 1]
