"""The few pyarrow conversions the figure columns need, made from the arrays' buffers.

pyarrow imports pandas, when it is installed, the first time `pa.array()` or `Array.to_numpy()`
is called, to ask whether the argument is a pandas object. The columns never hand pyarrow one, and in
the window pandas would cost some 40 MB of memory for nothing; these helpers build and read the
arrays directly (numpy views where they can), so the window never imports it.
"""

from __future__ import annotations

import numpy as np


def strings(texts: list[str]):
    """A pyarrow string array of these texts (none missing)."""
    import pyarrow as pa

    encoded = [text.encode("utf-8") for text in texts]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("more than 2 GB of text in one string array")
    return pa.StringArray.from_buffers(len(encoded), pa.py_buffer(offsets.astype(np.int32)),
                                       pa.py_buffer(b"".join(encoded)))


def indices(rows: np.ndarray):
    """Row numbers as a pyarrow int64 array for `take` (sharing the numpy array's memory when it is int64)."""
    import pyarrow as pa

    rows = np.ascontiguousarray(rows, np.int64)
    return pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(rows)])


def bools(array) -> np.ndarray:
    """A pyarrow boolean array as numpy bools; a missing value is False."""
    validity, data = array.buffers()
    found = _bits(data, array.offset, len(array))
    if validity is not None:
        found &= _bits(validity, array.offset, len(array))
    return found


def byte_lengths(array) -> np.ndarray:
    """The UTF-8 length of each string of a pyarrow string array (0 for a missing one), from its offsets."""
    validity, offsets, _data = array.buffers()
    if offsets is None:
        return np.zeros(len(array), np.int64)
    ends = np.frombuffer(offsets, np.int32)[array.offset:array.offset + len(array) + 1]
    lengths = np.diff(ends).astype(np.int64)
    if validity is not None:
        lengths[~_bits(validity, array.offset, len(array))] = 0
    return lengths


def _bits(buffer, offset: int, length: int) -> np.ndarray:
    if buffer is None or not length:
        return np.zeros(length, bool)
    bits = np.unpackbits(np.frombuffer(buffer, np.uint8), count=offset + length, bitorder="little")
    return bits[offset:].view(bool)
