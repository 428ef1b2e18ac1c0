"""The duplicate index against a plain dictionary: whatever the batch sizes, run sizes and
filter widths, each row's status (first, duplicate, conflict) is the model's.

Hashes are given directly, drawn from a small range so that different ids share hashes
(each is then confirmed by its text) and the filter's bits are mostly set."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.ballots import duplicates
from pingyi.ballots.duplicates import CONFLICT, DUPLICATE, FIRST, SheetIndex


def _model(rows: list[tuple[str, int]]) -> list[int]:
    """Status of each (id, content) row: the first copy of an id is FIRST, a later copy
    DUPLICATE when its content is the first copy's, else CONFLICT."""
    first: dict[str, int] = {}
    statuses = []
    for sheet, content in rows:
        if sheet not in first:
            first[sheet] = content
            statuses.append(FIRST)
        else:
            statuses.append(DUPLICATE if first[sheet] == content else CONFLICT)
    return statuses


def _hash(sheet: str, spread: int) -> int:
    """A deterministic hash with only ``spread`` values, scattered over all 64 bits (the
    filter reads the top bits)."""
    return (sum(map(ord, sheet)) % spread) * 0x9E3779B97F4A7C15 % 2**64


rows = st.lists(st.tuples(st.integers(0, 60).map(lambda i: f"S{i}"), st.integers(0, 2)), max_size=200)


@settings(max_examples=60, deadline=None)
@given(
    rows=rows,
    batch=st.integers(1, 17),
    young=st.integers(1, 40),
    largest=st.sampled_from([2, 30, 10**6]),
    spread=st.sampled_from([3, 50, 2**20]),
)
def test_statuses_are_the_models(rows, batch, young, largest, spread):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(duplicates, "YOUNG_RUN", young)
        monkeypatch.setattr(duplicates, "MAX_RUN", largest)
        monkeypatch.setattr(duplicates._HashBits, "__init__", _narrow_bits)
        index = SheetIndex()
        got: list[int] = []
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            ids = np.array([_hash(s, spread) for s, _ in part], dtype=np.uint64)
            contents = np.array([c for _, c in part], dtype=np.uint64)
            got += index.check(ids, contents, pa.array([s for s, _ in part], pa.string())).tolist()
    assert got == _model(rows)
    if spread == 2**20:  # no hash is shared: every id is in the runs once
        assert len(index) == len({s for s, _ in rows})
        assert sorted(i for run in index.runs for i in run[0].tolist()) == sorted(
            {_hash(s, spread) for s, _ in rows}
        )


def _narrow_bits(self: duplicates._HashBits) -> None:
    """Start the filter at 8 slots, so that it grows (and is refilled) within a test."""
    self.width, self.held = 3, 0
    self.bits = np.zeros(1, dtype=np.uint8)


def test_the_filter_never_misses_an_id_it_holds():
    bits = duplicates._HashBits()
    rng = np.random.default_rng(7)
    runs = []
    for _ in range(40):
        ids = np.sort(rng.integers(0, 2**63, 5000, dtype=np.int64).astype(np.uint64) * np.uint64(2))
        runs.append((ids, ids, ids))
        bits.add(ids, runs)
        assert bits.may_hold(ids).all()
    assert all(bits.may_hold(run[0]).all() for run in runs)
    assert bits.width == 22  # grown from 2**20 slots as 200,000 ids came in
    fresh = rng.integers(0, 2**63, 10000, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1)
    assert bits.may_hold(fresh).mean() < 0.1  # few new ids are sent to the runs


def test_the_filter_grows_as_far_as_one_batch_needs():
    """A long-layout file comes as one batch: the filter must grow for all its ids at once."""
    bits = duplicates._HashBits()
    ids = np.sort(np.random.default_rng(3).integers(0, 2**63, 300_000, dtype=np.int64).astype(np.uint64))
    run = (ids, ids, ids)
    bits.add(ids, [run])
    assert bits.width == 24  # 300,000 ids: 2**22 slots are too few for one bit in sixteen
    assert bits.may_hold(ids).all()
