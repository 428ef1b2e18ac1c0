"""A string or binary Arrow array (32-bit offsets) as numpy views of its buffers.

Hashing ids, decoding marks, spilling ids to disk and writing the audit log all work on
the bytes of many short texts at once; they read the same two buffers the same way,
here: no copy, and the array's own offset (a slice) taken into account.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def offsets(array: pa.Array) -> np.ndarray:
    """int32 (len + 1): value ``i`` is ``data(array)[offsets[i]:offsets[i + 1]]``."""
    view: np.ndarray = np.frombuffer(
        array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=array.offset * 4
    )
    return view


def data(array: pa.Array) -> np.ndarray:
    """uint8: the whole data buffer (empty when no value has a byte)."""
    buffer = array.buffers()[2]
    return np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)


def joined(array: pa.Array) -> memoryview:
    """The bytes of all values, end to end."""
    bounds = offsets(array)
    buffer = array.buffers()[2]
    return memoryview(b"") if buffer is None else memoryview(buffer)[int(bounds[0]) : int(bounds[-1])]
