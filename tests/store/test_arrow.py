"""store.query.arrow builds and reads the arrays as pyarrow's own conversions do (these use them as the reference)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from store.query.arrow import bools, byte_lengths, indices, strings

TEXTS = ["", "robot arm", "亿元 2024", "x\x00y", "роботы", "", "%", "a" * 300]


def test_strings_are_pa_array_of_the_texts():
    assert strings(TEXTS).equals(pa.array(TEXTS, pa.string()))
    assert strings([]).equals(pa.array([], pa.string()))


def test_indices_take_the_rows():
    rows = np.array([7, 0, 2, 2], np.int64)
    taken = pa.array(TEXTS, pa.string()).take(indices(rows))
    assert taken.to_pylist() == [TEXTS[i] for i in rows]
    assert pa.array(TEXTS).take(indices(rows.astype(np.int32)[::2])).to_pylist() == [TEXTS[7], TEXTS[2]]


def test_bools_and_lengths_of_sliced_arrays_with_missing_values():
    texts = [None if i % 5 == 3 else TEXTS[i % len(TEXTS)] for i in range(40)]
    for start, stop in ((0, 40), (3, 40), (9, 30), (13, 13)):
        array = pa.array(texts, pa.string()).slice(start, stop - start)
        matched = pc.match_substring(array, "o")
        expected = [bool(v) for v in matched.to_pylist()]  # a missing value is False
        assert bools(matched).tolist() == expected, (start, stop)
        lengths = pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False)
        assert byte_lengths(array).tolist() == lengths.tolist(), (start, stop)
