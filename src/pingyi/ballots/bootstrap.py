"""Replicate counts for a Poisson bootstrap, accumulated in the counting pass (SPEC "How
sure is a rank?").

Whole sheets are resampled (a voter's marks stay together) within each stratum, with
Poisson(1) weights, so no second pass over the files is needed. To keep the cost of a
province-wide round (10^6 sheets × 1,000 replicates) near that of the count itself, the
sheets of each stratum are dealt into ``groups`` random groups by a hash of their id, and
the groups are what is weighted: the random-group method of survey statistics (Wolter,
*Introduction to Variance Estimation*, ch. 2). Each group's counts are kept while
counting (one ``bincount`` per 4 million held keys, not per batch); the replicates are
formed at the end as one matrix product per stratum (replicates × groups × unit·code). With fewer sheets in a
stratum than groups, nearly every group holds one sheet and this is the sheet-level
Poisson bootstrap; with many, each group is a random sample of the stratum, and the
replicates' spread estimates the same sampling variance.

A sheet's group and every group's weights are functions of the round's seed and the
sheet's id hash alone, so they do not depend on the order of the files, how they are
split, or which reader thread saw the sheet: the same inputs and seed give the same
replicates, to the byte. Group counts are exact int64; the products stay below 2^53, so
float64 gives them exactly.
"""

from __future__ import annotations

import math

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _poisson_thresholds(limit: int = 16) -> np.ndarray:
    """Upper 32-bit thresholds of the Poisson(1) CDF: weight = how many thresholds ≤ u."""
    cdf, term, out = 0.0, math.exp(-1.0), []
    for k in range(limit):
        cdf += term
        term /= k + 1
        out.append(min(int(cdf * 2**32), 2**32 - 1))
    return np.array(out, dtype=np.uint64)


_THRESHOLDS = _poisson_thresholds()


def _splitmix(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        result: np.ndarray = x ^ (x >> np.uint64(31))
    return result


def poisson_weights(sheet_ids: np.ndarray, seed: int, replicates: int) -> np.ndarray:
    """(sheets, replicates) Poisson(1) weights as float32, a function of id, seed and
    replicate number only."""
    with np.errstate(over="ignore"):
        key = _splitmix(sheet_ids.astype(np.uint64) ^ _splitmix(np.array([seed], dtype=np.uint64)))
        counters = np.arange(replicates, dtype=np.uint64) * _GOLDEN
        u = _splitmix(key[:, None] ^ counters[None, :]) >> np.uint64(32)
    weights = np.searchsorted(_THRESHOLDS, u, side="right")
    return weights.astype(np.float32)


#: The groups' counts are kept within this many cells (int64), whatever the round's size.
GROUP_CELLS = 4_000_000


class Replicates:
    """Group counts while counting; ``counts`` (replicates, units, strata, codes) and, for
    numeric marks, ``sums`` (replicates, units, strata; numbers × 10**4) at the end."""

    def __init__(self, units: int, strata: int, codes: int, on_form: np.ndarray, replicates: int, seed: int):
        self.units, self.strata, self.codes = units, strata, codes
        self.on_form = on_form
        self.replicates, self.seed = replicates, seed
        self.groups = int(min(1024, max(64, GROUP_CELLS // max(1, strata * units * codes))))
        self._counts = np.zeros(strata * self.groups * units * codes, dtype=np.int64)
        self._sums: np.ndarray | None = None
        self._buffer = np.empty(self._counts.size, dtype=np.int64)  # keys not yet counted (_hold)
        self._held = 0
        self._sign = 1  # of the keys held

    def add(
        self,
        marks: np.ndarray,
        stratum: np.ndarray,
        form: np.ndarray,
        sheet_ids: np.ndarray,
        sign: int = 1,
        values: np.ndarray | None = None,
    ) -> None:
        """Add (or, with ``sign`` -1, take back) the marks of some counted sheets, and the
        numbers of a numeric round (``values``, × 10**4; 0 where not a valid number)."""
        if not len(marks):
            return
        group = (
            _splitmix(sheet_ids.astype(np.uint64) ^ np.uint64(self.seed)) % np.uint64(self.groups)
        ).astype(np.int64)
        row_base = (stratum.astype(np.int64) * self.groups + group) * self.units  # (rows,)
        cells = row_base[:, None] + np.arange(self.units)  # (rows, units)
        keys = cells * self.codes + marks
        if not self.on_form.all():
            keys = keys[self.on_form[np.maximum(form, 0)]]
        self._hold(keys.ravel(), sign)
        if values is not None:
            rated_cells = self.on_form[np.maximum(form, 0)] & (marks < self.codes)
            if self._sums is None:
                self._sums = np.zeros(self.strata * self.groups * self.units, dtype=np.int64)
            summed = np.bincount(
                cells[rated_cells], weights=values[rated_cells].astype(np.float64), minlength=self._sums.size
            )
            self._sums += sign * np.rint(summed).astype(np.int64)

    def _hold(self, keys: np.ndarray, sign: int) -> None:
        """Keep keys to count later: one bincount over the whole group table (millions of
        cells) for many batches, not one a batch. Keys of one sign wait in one buffer the
        table's size."""
        if self._held and (sign != self._sign or len(keys) > len(self._buffer) - self._held):
            self._flush()
        if len(keys) > len(self._buffer):
            self._counts += sign * np.bincount(keys, minlength=self._counts.size)
            return
        self._buffer[self._held : self._held + len(keys)] = keys
        self._held += len(keys)
        self._sign = sign

    def _flush(self) -> None:
        if self._held:
            counted = np.bincount(self._buffer[: self._held], minlength=self._counts.size)
            self._counts += self._sign * counted
        self._held = 0

    def _weights(self, s: int) -> np.ndarray:
        """(replicates, groups) Poisson(1) weights of stratum ``s``'s groups."""
        ids = (np.uint64(s) << np.uint64(32)) + np.arange(self.groups, dtype=np.uint64)
        return poisson_weights(ids, self.seed, self.replicates).T.astype(np.float64)

    @property
    def counts(self) -> np.ndarray:
        """int64 (replicates, units, strata, codes)."""
        self._flush()
        grouped = self._counts.reshape(self.strata, self.groups, self.units * self.codes).astype(np.float64)
        out = np.zeros((self.replicates, self.units, self.strata, self.codes), dtype=np.int64)
        for s in range(self.strata):
            summed = np.rint(self._weights(s) @ grouped[s]).astype(np.int64)
            out[:, :, s, :] = summed.reshape(self.replicates, self.units, self.codes)
        return out

    @property
    def sums(self) -> np.ndarray | None:
        """int64 (replicates, units, strata) of numeric marks × 10**4, or None."""
        if self._sums is None:
            return None
        grouped = self._sums.reshape(self.strata, self.groups, self.units).astype(np.float64)
        out = np.zeros((self.replicates, self.units, self.strata), dtype=np.int64)
        for s in range(self.strata):
            out[:, :, s] = np.rint(self._weights(s) @ grouped[s]).astype(np.int64)
        return out
