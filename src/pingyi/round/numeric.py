"""Numeric marks (SPEC "Items and numeric marks"): a scale of numbers instead of options.

万众评公务 rates each item from 0 to 100; a unit's (item's) score is the mean of its valid
marks × the multiplier. A mark is read as a decimal with at most :data:`DECIMALS` places
(``87.5`` is exactly 175/2, never a binary float), so the counting core can keep exact
sums as integers scaled by ``10**DECIMALS``.

The counting core counts numbers like options: each valid number is counted under one
*mark option* — ``satisfied`` (at least ``satisfaction.satisfied_at_least``) or
``unsatisfied`` where the round draws that line, else ``number`` — beside ``blank`` and
``invalid``. So counts, validity, tie-breaks (``count:satisfied``) and grade bands work on
numbers as they do on options; the points come from the sums, not from option values.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pydantic import model_validator

from pingyi.numbers import plain
from pingyi.round.fields import Exact, Section

#: Decimal places a numeric mark may have; marks are summed as integers × 10**DECIMALS.
DECIMALS = 4
SCALE = 10**DECIMALS
#: The largest magnitude of ``min`` and ``max``: a chunk of 4,096 marks × 10**(6+4) sums
#: exactly in a float64 bincount (< 2**53), so no Python loop per mark is needed.
LIMIT = 10**6


class Numeric(Section):
    """``scale.numeric: {min: 0, max: 100}``: a mark is a number in [min, max]."""

    min: Exact
    max: Exact

    @model_validator(mode="after")
    def _range(self) -> Numeric:
        for name in ("min", "max"):
            value: Fraction = getattr(self, name)
            if (value * SCALE).denominator != 1:
                raise ValueError(f"{name}: at most {DECIMALS} decimals (got {plain(value)})")
            if abs(value) > LIMIT:
                raise ValueError(f"{name}: numbers up to {LIMIT:,} are supported (got {plain(value)})")
        if self.min >= self.max:
            raise ValueError(f"min ({plain(self.min)}) must be less than max ({plain(self.max)})")
        return self


def numeric_blank(data: Any) -> Any:
    """A numeric scale's blank is no mark (``valid: false``) unless the scale says
    otherwise: a blank counted as 0 points would pull every mean down."""
    if not isinstance(data, dict) or data.get("numeric") is None:
        return data
    blank = data.get("blank")
    if blank is None:
        return {**data, "blank": {"valid": False}}
    if isinstance(blank, dict) and "valid" not in blank:
        return {**data, "blank": {**blank, "valid": False}}
    return data


def numeric_codes(line: Fraction | None) -> tuple[tuple[str, str, bool], ...]:
    """(code, label, satisfied) of the mark options numbers are counted under."""
    if line is None:
        return (("number", "评分", False),)
    shown = plain(line)
    return (("satisfied", f"不低于{shown}分", True), ("unsatisfied", f"低于{shown}分", False))
