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
YOUNG_RUN = 1 << 17  # new ids gather in runs up to this size before they join the tree
MAX_RUN = 1 << 21  # runs grow no larger: a merge never copies more than this (40 MB)
MAX_WIDTH = 30  # the bit filter stops growing at 2**30 slots (128 MB, past 6 * 10^7 sheets)

_Run = tuple[np.ndarray, np.ndarray, np.ndarray]  # sorted id hashes, content hashes, references


class SheetIndex:
    """The first copy of every sheet id: (id hash, content hash, where its id text is)."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []
        self.bits = _HashBits()  # a filter: which id hashes may be in the runs
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
        maybe = np.flatnonzero(self.bits.may_hold(sorted_ids))  # the rest are surely new
        needles = sorted_ids[maybe]
        for run_ids, run_contents, run_where in self.runs if len(maybe) else ():
            at = np.minimum(np.searchsorted(run_ids, needles), len(run_ids) - 1)
            hit = run_ids[at] == needles
            if hit.any():
                rows, at = maybe[hit], at[hit]
                sorted_reference[rows] = run_contents[at]
                sorted_where[rows] = run_where[at]
                seen[rows] = True
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
        self.bits.add(sorted_ids[new], self.runs)
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
        """Keep a sorted run of new ids. Young runs (smaller than YOUNG_RUN) gather at the
        end of the list until they add up to YOUNG_RUN; then they are sorted into one run,
        which merges with the runs no larger than it (an LSM tree) up to MAX_RUN ids.
        Starting the tree at YOUNG_RUN, not at a batch, and stopping it at MAX_RUN, saves
        half the merging at 10^7 sheets and bounds what a merge holds; the extra runs cost
        little to search, since _HashBits sends them few ids."""
        if len(run[0]) == 0:
            return
        self.runs.append(run)
        young = len(self.runs)
        while young > 0 and len(self.runs[young - 1][0]) < YOUNG_RUN:
            young -= 1
        if sum(len(r[0]) for r in self.runs[young:]) < YOUNG_RUN:
            return
        merged = _sorted_runs(self.runs[young:])
        del self.runs[young:]
        while (
            self.runs
            and len(self.runs[-1][0]) <= len(merged[0])
            and len(self.runs[-1][0]) + len(merged[0]) <= MAX_RUN
        ):
            merged = _merged([*self.runs.pop()], [*merged])
        self.runs.append(merged)


class _HashBits:
    """One bit per slot of the id hashes' top bits, set for every id in the runs: a batch
    looks up in the runs only the ids whose bit is set (a re-scan, or about one new id in
    sixteen by chance at most), not all of them, so the lookups stay cheap however many runs
    there are. The slots grow fourfold (refilled from the runs) to keep that chance low; at
    10^7 sheets they take 32 MB."""

    def __init__(self) -> None:
        self.width = 20  # 2**width slots
        self.bits = np.zeros(1 << (self.width - 3), dtype=np.uint8)
        self.held = 0

    def may_hold(self, ids: np.ndarray) -> np.ndarray:
        slot = ids >> np.uint64(64 - self.width)
        found: np.ndarray = (self.bits[slot >> np.uint64(3)] >> (slot & np.uint64(7)).astype(np.uint8)) & 1
        return found.astype(bool)

    def add(self, ids: np.ndarray, runs: list[_Run]) -> None:
        self.held += len(ids)
        if self.held * 16 > 1 << self.width and self.width < MAX_WIDTH:
            while self.held * 16 > 1 << self.width and self.width < MAX_WIDTH:  # one batch may hold many
                self.width += 2
            self.bits = np.zeros(1 << (self.width - 3), dtype=np.uint8)
            for run in runs:  # the runs hold ``ids`` already
                self._set(run[0])
        else:
            self._set(ids)

    def _set(self, ids: np.ndarray) -> None:
        """Set the bits of sorted ``ids``: their bytes come in order, so each byte's bits
        are or-ed together first and the byte is written once."""
        if not len(ids):
            return
        slot = (ids >> np.uint64(64 - self.width)).astype(np.intp)
        byte = slot >> 3
        first = np.flatnonzero(np.concatenate(([True], byte[1:] != byte[:-1])))
        bit = np.left_shift(np.uint8(1), (slot & 7).astype(np.uint8))
        self.bits[byte[first]] |= np.bitwise_or.reduceat(bit, first)


def _references(where: np.ndarray, end: int) -> np.ndarray:
    """References (all below ``end``) as uint32 while they fit: 4 bytes a sheet less."""
    return where.astype(np.uint32) if end <= 2**32 else where


def _sorted_runs(runs: list[_Run]) -> _Run:
    """Small sorted runs (of distinct ids) as one (a stable sort finds the runs and merges them)."""
    joined = [np.concatenate([run[column] for run in runs]) for column in range(3)]
    order = np.argsort(joined[0], kind="stable")
    return joined[0][order], joined[1][order], joined[2][order]


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
