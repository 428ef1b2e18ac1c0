"""The bootstrap's group counts (ballots/bootstrap.py) hold keys in a buffer and count
them many batches at a time; however the sheets are split into batches, whatever the
buffer's size, and with sheets taken back (sign -1), the counts are the same."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.ballots.bootstrap import Replicates

UNITS, STRATA, CODES = 3, 2, 5


def _sheets(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    marks = np.asfortranarray(rng.integers(0, CODES, (n, UNITS)).astype(np.int8))
    return (
        marks,
        rng.integers(0, STRATA, n).astype(np.int16),
        rng.integers(0, 2, n).astype(np.int16),
        (rng.integers(0, 2**63, n).astype(np.uint64)),
    )


def _counts(
    on_form: np.ndarray, parts: list[tuple[int, int, int]], sheets: tuple[np.ndarray, ...], held: int = 0
) -> np.ndarray:
    replicates = Replicates(UNITS, STRATA, CODES, on_form, 7, 11)
    if held:
        replicates._buffer = np.empty(held, dtype=np.int64)  # smaller than a batch, or not
    for first, last, sign in parts:
        replicates.add(*(column[first:last] for column in sheets), sign=sign)
    return replicates.counts


@settings(max_examples=40, deadline=None)
@given(
    cuts=st.lists(st.integers(0, 60), max_size=8),
    taken_back=st.integers(0, 60),
    held=st.sampled_from([10, 37, 10_000]),
    forms=st.booleans(),
)
def test_batches_buffer_size_and_taking_back_never_change_the_counts(cuts, taken_back, held, forms):
    sheets = _sheets(60, 3)
    on_form = np.array([[True, False, True], [False, True, True]]) if forms else np.ones((1, UNITS), bool)
    if not forms:
        sheets = (*sheets[:2], np.zeros(60, np.int16), sheets[3])
    whole = _counts(on_form, [(0, 60, 1)], sheets)
    bounds = sorted({0, 60, *cuts})
    parts = [(a, b, 1) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    split = _counts(on_form, parts, sheets, held)
    back = _counts(on_form, [*parts, (0, taken_back, -1), (0, taken_back, 1)], sheets, held)
    assert whole.shape == (7, UNITS, STRATA, CODES)
    assert np.array_equal(split, whole) and np.array_equal(back, whole)
