"""Remember every sheet id seen, to find re-scans and conflicts, confirmed by the real id.

Identical re-scans of one sheet id count once (the later copies are ``duplicate``);
sheets with one id and different contents are all rejected (``conflicting_duplicate``).

Ids and contents are 64-bit hashes (hashing.py) kept in sorted runs that merge like an
LSM tree, so a batch is checked with a few ``searchsorted`` calls. A hash only *suggests*
that a row repeats an earlier id: every suggested duplicate or conflict is confirmed by
comparing the real id strings (the batches' Arrow arrays, in memory or, past a bound,
in a temporary file: idtexts.py), so two different ids whose hashes collide are never
merged (issue 10 g). An id whose hash is taken by another id is looked up by its text in
a small dictionary instead.

The bound: a sheet costs 24 bytes in memory (two hashes and a reference to its id),
240 MB for 10^7 sheets, and its id's text (about 12 bytes) up to idtexts.SPILL_BYTES.
Contents are compared by hash only: two copies of one id are taken for identical when
their contents differ but their 64-bit hashes agree, which cannot happen when they differ
in one column or in one word of eight marks (each is folded in by a bijection,
hashing.combine) and happens with a chance of about 2^-64 otherwise.
"""

from __future__ import annotations

import mmap

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.ballots.idtexts import IdTexts

FIRST, DUPLICATE, CONFLICT = 0, 1, 2
MAPPED_BYTES = 4 << 20  # index columns from this size get memory of their own (_empty)

_Run = tuple[np.ndarray, np.ndarray, np.ndarray]  # sorted id hashes, content hashes, references


class SheetIndex:
    """The first copy of every sheet id: (id hash, content hash, where its id text is)."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []
        self.texts = IdTexts()  # the sheet ids of every batch checked, in order
        self.starts: list[int] = [0]  # the reference of each batch's first row
        self.collided: dict[str, int] = {}  # id -> content hash, for ids whose hash another id holds
        self.conflicted: set[str] = set()  # ids whose copies differ
        self.first_copies: list[np.ndarray] = []  # references of the first copies of conflicted ids
        self.unplaced = False  # a conflict found by id text (collided): its first copy's place unknown

    def __len__(self) -> int:
        return sum(len(ids) for ids, _, _ in self.runs) + len(self.collided)

    def check(self, ids: np.ndarray, contents: np.ndarray, sheet: pa.Array) -> np.ndarray:
        """Status of each row (FIRST, DUPLICATE, CONFLICT) of sheet ids ``sheet`` with id
        hashes ``ids`` and content hashes ``contents``; remember the new ids."""
        n = len(ids)
        if n == 0:
            return np.zeros(0, dtype=np.int8)
        base = self.starts[-1]
        self.texts.add(sheet)
        self.starts.append(base + n)
        # every lookup runs on the batch's ids in sorted order: searchsorted with sorted
        # needles walks each run once, near the cache, and is about 4x faster than with
        # needles in row order; results go back to row order at the end
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        starts = np.ones(n, dtype=bool)
        starts[1:] = sorted_ids[1:] != sorted_ids[:-1]
        group_first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
        sorted_reference = contents[order[group_first]]  # each row: its hash's first copy in the batch
        sorted_where = base + order[group_first]
        seen = np.zeros(n, dtype=bool)
        for run_ids, run_contents, run_where in self.runs:
            at = np.minimum(np.searchsorted(run_ids, sorted_ids), len(run_ids) - 1)
            hit = run_ids[at] == sorted_ids
            if hit.any():
                sorted_reference = np.where(hit, run_contents[at], sorted_reference)
                sorted_where = np.where(hit, run_where[at], sorted_where)
                seen |= hit
        reference = np.empty_like(contents)
        reference[order] = sorted_reference
        where = np.empty(n, dtype=np.int64)
        where[order] = sorted_where
        seen_before = np.empty(n, dtype=bool)
        seen_before[order] = seen
        is_first = np.zeros(n, dtype=bool)
        is_first[order[starts]] = True
        is_first &= ~seen_before
        status = np.where(contents == reference, DUPLICATE, CONFLICT).astype(np.int8)
        status[is_first] = FIRST
        self._confirm(sheet, contents, np.nonzero(~is_first)[0], where, base, status)
        conflicts = status == CONFLICT
        if conflicts.any():
            self.conflicted.update(sheet.filter(pa.array(conflicts)).to_pylist())
            self.first_copies.append(where[conflicts])
        new = starts & ~seen  # the new ids, already in sorted order
        self._add((sorted_ids[new], contents[order[new]], _references(base + order[new], base + n)))
        return status

    def batches_of_first_copies(self) -> np.ndarray | None:
        """The batches (in the order checked) that hold a first copy of a conflicted id, or
        None when some first copy's place is not known (an id whose hash another id holds)."""
        if self.unplaced:
            return None
        if not self.first_copies:
            return np.zeros(0, dtype=np.int64)
        where = np.concatenate(self.first_copies)
        batches: np.ndarray = np.unique(np.searchsorted(self.starts, where, side="right") - 1)
        return batches

    def is_conflicted(self, sheet: pa.Array) -> np.ndarray:
        """Which of the ids ``sheet`` have copies that differ."""
        if not self.conflicted:
            return np.zeros(len(sheet), dtype=bool)
        found = pc.is_in(sheet, value_set=pa.array(sorted(self.conflicted), pa.string()))
        hits: np.ndarray = found.to_numpy(zero_copy_only=False)
        return hits

    def _confirm(
        self,
        sheet: pa.Array,
        contents: np.ndarray,
        rows: np.ndarray,
        where: np.ndarray,
        base: int,
        status: np.ndarray,
    ) -> None:
        """Check the suggested repeats ``rows`` against the real id of the copy they repeat;
        a row whose id only shares a hash with it is looked up by its text instead."""
        if not len(rows):
            return
        same = np.zeros(len(rows), dtype=bool)
        chunk = np.searchsorted(self.starts, where[rows], side="right") - 1
        for k in np.unique(chunk):
            mine = np.nonzero(chunk == k)[0]
            earlier = self.texts.take(int(k), where[rows[mine]] - self.starts[int(k)])
            same[mine] = pc.equal(earlier, sheet.take(pa.array(rows[mine]))).to_numpy(zero_copy_only=False)
        for row in rows[~same]:  # in row order, so an id's first copy comes before its repeats
            text = sheet[int(row)].as_py()
            content = int(contents[row])
            known = self.collided.get(text)
            if known is None:
                self.collided[text] = content
                status[row] = FIRST
            else:
                status[row] = DUPLICATE if known == content else CONFLICT
                self.unplaced |= known != content

    def _add(self, run: _Run) -> None:
        """Keep a sorted run of new ids, merging runs no larger than it (an LSM tree)."""
        if len(run[0]) == 0:
            return
        while self.runs and len(self.runs[-1][0]) <= len(run[0]):
            run = _merged([*self.runs.pop()], [*run])
        self.runs.append(run)


def _references(where: np.ndarray, end: int) -> np.ndarray:
    """References (all below ``end``) as uint32 while they fit: 4 bytes a sheet less."""
    return where.astype(np.uint32) if end <= 2**32 else where


def _merged(older: list[np.ndarray], newer: list[np.ndarray]) -> _Run:
    """Two sorted runs (of distinct ids) as one: the newer run's places are found by
    searchsorted, and each column is scattered into place in turn, the older column let
    go as soon as it is placed. A merge so holds one column more than its runs, not a
    sorted copy of all three; large columns live in their own memory maps, so they go
    back to the system when dropped (malloc would keep them)."""
    a, b = len(older[0]), len(newer[0])
    places = np.searchsorted(older[0], newer[0]) + np.arange(b)
    rest = np.ones(a + b, dtype=bool)
    rest[places] = False
    merged = []
    while older:
        old, new = older.pop(0), newer.pop(0)
        out = _empty(a + b, np.result_type(old, new))
        out[places] = new
        out[rest] = old
        del old, new
        merged.append(out)
    return merged[0], merged[1], merged[2]


def _empty(n: int, dtype: np.dtype) -> np.ndarray:
    size = n * dtype.itemsize
    if size < MAPPED_BYTES:
        return np.empty(n, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, size), dtype=dtype)  # unmapped with the array
