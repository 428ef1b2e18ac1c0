"""Remember every sheet id seen, in 16 bytes a sheet, to find re-scans and conflicts.

Identical re-scans of one sheet id count once (the later copies are ``duplicate``);
sheets with one id and different contents are all rejected (``conflicting_duplicate``).
Ids and contents are 64-bit hashes kept in sorted runs that merge like an LSM tree, so
a batch is checked with a few ``searchsorted`` calls and memory grows by 16 bytes a sheet.
"""

from __future__ import annotations

import numpy as np

FIRST, DUPLICATE, CONFLICT = 0, 1, 2


class SheetIndex:
    """Sorted runs of (id hash, content hash) of the first copy of every sheet id."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        self.conflicted: set[int] = set()

    def __len__(self) -> int:
        return sum(len(ids) for ids, _ in self.runs)

    def check(self, ids: np.ndarray, contents: np.ndarray) -> np.ndarray:
        """Status of each row (FIRST, DUPLICATE, CONFLICT); remember the new ids."""
        n = len(ids)
        if n == 0:
            return np.zeros(0, dtype=np.int8)
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        starts = np.ones(n, dtype=bool)
        starts[1:] = sorted_ids[1:] != sorted_ids[:-1]
        group_first = order[np.maximum.accumulate(np.where(starts, np.arange(n), 0))]
        reference = np.empty_like(contents)
        reference[order] = contents[group_first]  # each row: its id's first copy in the batch
        seen_before = np.zeros(n, dtype=bool)
        for run_ids, run_contents in self.runs:
            at = np.searchsorted(run_ids, ids)
            at_clipped = np.minimum(at, len(run_ids) - 1)
            hit = run_ids[at_clipped] == ids
            reference = np.where(hit, run_contents[at_clipped], reference)
            seen_before |= hit
        is_first = np.zeros(n, dtype=bool)
        is_first[order[starts]] = True
        is_first &= ~seen_before
        status = np.where(contents == reference, DUPLICATE, CONFLICT).astype(np.int8)
        status[is_first] = FIRST
        conflicting_ids = np.unique(ids[status == CONFLICT])
        self.conflicted.update(int(i) for i in conflicting_ids)
        self._add(ids[is_first], contents[is_first])
        return status

    def _add(self, ids: np.ndarray, contents: np.ndarray) -> None:
        if len(ids) == 0:
            return
        order = np.argsort(ids)
        run = (ids[order], contents[order])
        while self.runs and len(self.runs[-1][0]) <= len(run[0]):
            last = self.runs.pop()
            merged_ids = np.concatenate([last[0], run[0]])
            merged_contents = np.concatenate([last[1], run[1]])
            order = np.argsort(merged_ids, kind="stable")  # two sorted runs: linear merge
            run = (merged_ids[order], merged_contents[order])
        self.runs.append(run)

    def is_conflicted(self, ids: np.ndarray) -> np.ndarray:
        if not self.conflicted:
            return np.zeros(len(ids), dtype=bool)
        return np.isin(ids, np.fromiter(self.conflicted, dtype=np.uint64))
