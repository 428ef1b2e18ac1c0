"""64-bit hashes of sheet ids and sheet contents, vectorised over Arrow buffers.

The duplicate check must remember every sheet id of a province-wide survey (10^6 sheets)
without keeping the strings: a sheet is 16 bytes (id hash + content hash). FNV-1a is
stable across runs and machines (Python's ``hash`` is salted), and computed one byte
position at a time over all strings of a batch, so there is no Python loop per sheet.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from pingyi.ballots import arrowtext

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)


def hash_strings(array: pa.Array) -> np.ndarray:
    """FNV-1a of each string's UTF-8 bytes (uint64, one per string)."""
    array = array.cast(pa.string()) if array.type != pa.string() else array
    n = len(array)
    offsets, data = arrowtext.offsets(array), arrowtext.data(array)
    starts = offsets[:-1].astype(np.int64)
    lengths = (offsets[1:] - offsets[:-1]).astype(np.int64)
    h = np.full(n, FNV_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position in range(int(lengths.max()) if n else 0):
            live = lengths > position
            rows = np.nonzero(live)[0] if not live.all() else slice(None)
            byte = data[starts[rows] + position].astype(np.uint64)
            h[rows] = (h[rows] ^ byte) * FNV_PRIME
        # mix in the length, so "" and a missing value never meet a real id's hash
        mixed: np.ndarray = (h ^ lengths.astype(np.uint64)) * FNV_PRIME
    return mixed


def combine(h: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Fold one more integer column into running row hashes.

    Each step is a bijection of the running hash for a given value (xor, then a multiply
    by an odd prime modulo 2^64), so rows that differ in one column never collide.
    """
    with np.errstate(over="ignore"):
        folded: np.ndarray = (h ^ (values.astype(np.uint64) + np.uint64(1))) * FNV_PRIME
    return folded


def words(marks: np.ndarray) -> np.ndarray:
    """The rows of an int8 (rows, units) array as 64-bit words (rows, ceil(units / 8)),
    zero-padded, so a row's marks are hashed eight at a time."""
    rows, units = marks.shape
    width = -(-units // 8) * 8
    padded = np.zeros((rows, width), dtype=np.int8)
    padded[:, :units] = marks
    return padded.view(np.uint64)


def start(n: int) -> np.ndarray:
    return np.full(n, FNV_OFFSET, dtype=np.uint64)
