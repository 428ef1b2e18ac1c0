"""Replicate counts for a Poisson bootstrap, accumulated in the counting pass (SPEC "How
sure is a rank?").

Each counted sheet weighs ``w ~ Poisson(1)`` in each replicate, drawn independently: that
resamples whole sheets (a voter's marks stay together) within each stratum, since every
sheet keeps its stratum, and needs no second pass over the files. A sheet's weights are a
function of the round's seed and the sheet's id hash alone (a counter-based generator:
splitmix64 of id, seed and replicate), so they do not depend on the order of the files,
how they are split, or which reader thread saw the sheet: the same inputs and seed give
the same replicates, to the byte.

Per stratum, the counts of a chunk of sheets are one matrix product: the sheets' one-hot
marks (sheets × unit·code) times their weights (sheets × replicates). Sums per chunk stay
below 2^24, so float32 products are exact integers; they are kept as int64.
"""

from __future__ import annotations

import math

import numpy as np

CHUNK = 4096
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


class Replicates:
    """Counts per replicate × unit × stratum × code (``counts``: int64, replicates first)."""

    def __init__(self, units: int, strata: int, codes: int, on_form: np.ndarray, replicates: int, seed: int):
        self.units, self.strata, self.codes = units, strata, codes
        self.on_form = on_form
        self.replicates, self.seed = replicates, seed
        self.counts = np.zeros((replicates, units, strata, codes), dtype=np.int64)
        self.sums: np.ndarray | None = None  # int64 (replicates, units, strata): numeric marks × 10**4

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
        for first in range(0, len(marks), CHUNK):
            part = slice(first, first + CHUNK)
            weights = poisson_weights(sheet_ids[part], self.seed, self.replicates)
            for s in np.unique(stratum[part]):
                rows = np.nonzero(stratum[part] == s)[0]
                self._add_stratum(int(s), marks[part][rows], form[part][rows], weights[rows], sign)
                if values is not None:
                    self._add_sums(int(s), values[part][rows], weights[rows], sign)

    def _add_sums(self, s: int, values: np.ndarray, weights: np.ndarray, sign: int) -> None:
        """Weighted sums of numbers: float64 products are exact (< 2**53 for a chunk)."""
        if self.sums is None:
            self.sums = np.zeros((self.replicates, self.units, self.strata), dtype=np.int64)
        summed = np.rint(values.astype(np.float64).T @ weights.astype(np.float64)).astype(np.int64)
        self.sums[:, :, s] += sign * summed.T

    def _add_stratum(
        self, s: int, marks: np.ndarray, form: np.ndarray, weights: np.ndarray, sign: int
    ) -> None:
        n, k = len(marks), self.codes
        onehot = np.zeros((n, self.units * k), dtype=np.float32)
        rated = self.on_form[np.maximum(form, 0)] & (marks < k)
        row, unit = np.nonzero(rated)
        onehot[row, unit * k + marks[row, unit]] = 1.0
        summed = np.rint(onehot.T @ weights).astype(np.int64)  # (units·codes, replicates)
        self.counts[:, :, s, :] += sign * summed.T.reshape(self.replicates, self.units, k)
