"""Scores and satisfaction rates, exactly, from the integer counts of the counting core.

Every figure here is a :class:`fractions.Fraction` formed from integer counts, so a unit
at exactly 90 % is not below 90 % and the result never depends on the order of sheets
(SPEC "Correctness rules"). The formulas, per unit, over its strata ``s``:

* points ``p_s`` = Σ value × count over the valid options, plus the blank's value × its
  count where blanks are valid (seed 002: 弃权 0.5); ``n_s`` = the valid marks.
* ``sum`` (seed 002): Σ p_s × multiplier.
* ``mean`` (seed 003: (满意×1 + 比较满意×0.8 + 一般×0.6)/(总票数−废票数) × 100):
  Σ p_s / Σ n_s × multiplier.
* ``weighted_mean`` ``per_sheet``: Σ w_s p_s / Σ w_s n_s × multiplier (each sheet weighs
  its stratum's coefficient, seed 000); ``stratum_share``: Σ w_s (p_s / n_s) / Σ w_s over
  the strata that rated the unit, × multiplier.
* 满意率 = satisfied marks / the scheme's denominator, weighted the way the score is;
  ``sum`` and ``mean`` pool all marks. Stratum weights are used by ``weighted_mean`` only.

Numeric marks (万众评公务) are counted under mark options worth nothing; their points are
the exact sums of the numbers (``p_s`` = Σ marks, so ``mean`` is the mean mark), and
满意率 counts the marks at or above ``satisfaction.satisfied_at_least`` (no line, no rate).
With items, each item is scored like this on its own (engine/items.py).

A unit with no valid mark has no score and no rate (``None``): it is reported, not ranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from pingyi.ballots.marks import MarkCodes
from pingyi.round.models import Round
from pingyi.round.numeric import SCALE


@dataclass(frozen=True)
class Tallied:
    """What one unit's marks (in one stratum, or all) amount to."""

    counts: tuple[int, ...]  # per counted code: the options, blank, invalid
    valid: int  # marks in the score's denominator
    score: Fraction | None
    satisfaction_rate: Fraction | None


@dataclass(frozen=True)
class UnitScore(Tallied):
    by_stratum: tuple[Tallied, ...] = ()
    items: dict[str, UnitScore] = field(default_factory=dict)  # item id -> its figures (engine/items.py)


@dataclass(frozen=True)
class _Parts:
    """The integer sums one stratum of one unit contributes."""

    points: Fraction
    valid: int
    satisfied: int
    rate_base: int


class Scorer:
    """Applies one round's scale, scoring and satisfaction rules to count arrays."""

    def __init__(self, r: Round, codes: MarkCodes) -> None:
        self.r, self.codes = r, codes
        options = r.mark_options()
        self.values = [o.value if o.valid else Fraction(0) for o in options]
        self.valid_option = [o.valid for o in options]
        self.satisfied = [o.valid and o.satisfied for o in options]
        self.weights = [s.weight for s in r.strata]
        self.numeric = r.scale.numeric is not None
        # numbers without a satisfied line have no 满意率 (pingyi.round.numeric)
        self.rated = not self.numeric or r.satisfaction.satisfied_at_least is not None

    def unit(self, counts: np.ndarray, sums: np.ndarray | None = None) -> UnitScore:
        """One unit's (or item's) score from its (strata, codes) counts and, for numeric
        marks, its (strata,) sums of numbers × 10**4."""
        rows = [[int(v) for v in row] for row in counts.tolist()]
        numbers = [int(v) for v in sums.tolist()] if sums is not None else [0] * len(rows)
        parts = [self._parts(row, total) for row, total in zip(rows, numbers, strict=True)]
        by_stratum = tuple(self._alone(row, p) for row, p in zip(rows, parts, strict=True))
        totals = tuple(sum(column) for column in zip(*rows, strict=True))
        return UnitScore(
            totals, sum(p.valid for p in parts), self._score(parts), self._rate(parts), by_stratum
        )

    def _parts(self, row: list[int], numbers: int = 0) -> _Parts:
        n = len(self.values)
        options_valid = sum(c for c, ok in zip(row[:n], self.valid_option, strict=True) if ok)
        points = sum((v * c for v, c in zip(self.values, row[:n], strict=True)), Fraction(numbers, SCALE))
        valid = options_valid
        blank = self.r.scale.blank
        if blank.valid:
            points += blank.value * row[self.codes.blank]
            valid += row[self.codes.blank]
        satisfied = sum(c for c, ok in zip(row[:n], self.satisfied, strict=True) if ok)
        rate_base = valid if self.r.satisfaction.denominator == "valid" else options_valid
        return _Parts(points, valid, satisfied, rate_base)

    def _alone(self, row: list[int], p: _Parts) -> Tallied:
        """A stratum's own figures (strata.csv): its mean, or its sum under ``sum``."""
        multiplier = self.r.scoring.multiplier
        if not p.valid:
            score = None
        elif self.r.scoring.method == "sum":
            score = p.points * multiplier
        else:
            score = p.points / p.valid * multiplier
        rate = Fraction(p.satisfied, p.rate_base) if p.rate_base and self.rated else None
        return Tallied(tuple(row), p.valid, score, rate)

    def _score(self, parts: list[_Parts]) -> Fraction | None:
        scoring = self.r.scoring
        if not any(p.valid for p in parts):
            return None
        if scoring.method == "sum":
            return sum((p.points for p in parts), Fraction(0)) * scoring.multiplier
        if scoring.method == "mean":
            return _ratio([(Fraction(1), p.points, p.valid) for p in parts]) * scoring.multiplier
        weighted = [(w, p.points, p.valid) for w, p in zip(self.weights, parts, strict=True)]
        if scoring.weighting == "per_sheet":
            return _ratio(weighted) * scoring.multiplier
        return _share(weighted) * scoring.multiplier

    def _rate(self, parts: list[_Parts]) -> Fraction | None:
        if not any(p.rate_base for p in parts) or not self.rated:
            return None
        scoring = self.r.scoring
        weights = self.weights if scoring.method == "weighted_mean" else [Fraction(1)] * len(parts)
        terms = [(w, Fraction(p.satisfied), p.rate_base) for w, p in zip(weights, parts, strict=True)]
        if scoring.method == "weighted_mean" and scoring.weighting == "stratum_share":
            return _share(terms)
        return _ratio(terms)


def _ratio(terms: list[tuple[Fraction, Fraction, int]]) -> Fraction:
    """Σ w × numerator / Σ w × denominator (pooled, each mark weighing w)."""
    return sum((w * num for w, num, _ in terms), Fraction(0)) / sum(
        (w * den for w, _, den in terms), Fraction(0)
    )


def _share(terms: list[tuple[Fraction, Fraction, int]]) -> Fraction:
    """Σ w × (numerator / denominator) / Σ w over the terms with a denominator."""
    present = [(w, num / den) for w, num, den in terms if den]
    return sum((w * q for w, q in present), Fraction(0)) / sum(w for w, _ in present)
