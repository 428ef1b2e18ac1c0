"""A value shown against a line, so that the words never contradict themselves.

A reason such as ``满意率 90.00% < 90%`` is handed to a department that loses its
standing over it. The decision is exact (1808/2009 = 89.995…% is below 90 %), but a
figure rounded to the scheme's precision can land on the other side of the line, or on
it. Here a value is shown with the scheme's precision and rounding when the comparison
in words holds of the shown figure, as it does in the ordinary case (so published
reasons keep their bytes); otherwise with one decimal more, rounded away from the line:
down for a value below it (``<``, ``≤``), up for one above it (``>``, ``≥``).

One decimal more is always enough, and never needs an exact fraction: a value rounded
down is at most the value, so it stays strictly below a line the value is strictly
below (and at most one it is at most); rounded up, it stays above. The extra decimal,
rather than the same precision rounded away, tells the reader the figure was sharpened
(``89.995%``, next to ``90.00%`` in the tables), instead of contradicting the tables
(``89.99%``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pingyi.numbers import Rounding, rounded, show

Relation = Literal["<", "≤", "≥", ">"]


def holds(value: Fraction, relation: Relation, line: Fraction) -> bool:
    """Whether ``value relation line``, exactly."""
    if relation == "<":
        return value < line
    if relation == "≤":
        return value <= line
    if relation == "≥":
        return value >= line
    return value > line


def shown_against(
    value: Fraction,
    relation: Relation,
    line: Fraction,
    places: int,
    rounding: Rounding = "half_up",
) -> str:
    """``value`` as decimal text for the words ``value relation line``, which must hold
    of the exact value: with ``places`` decimals (rounded as the scheme says) where the
    shown figure keeps the words true, else with ``places + 1`` rounded away from the
    line. ``shown_against(Fraction(180800, 2009), "<", Fraction(90), 2) == "89.995"``."""
    if not holds(value, relation, line):
        raise ValueError(f"{value} {relation} {line} does not hold")
    if holds(rounded(value, places, rounding), relation, line):
        return show(value, places, rounding)
    places += 1
    scaled = value * 10**places
    # Floor division rounds towards minus infinity; -(-a // b) towards plus infinity.
    whole = scaled.numerator // scaled.denominator
    if relation in ("≥", ">"):
        whole = -(-scaled.numerator // scaled.denominator)
    return show(Fraction(whole, 10**places), places)


def percent_against(
    rate: Fraction, relation: Relation, line: Fraction, places: int, rounding: Rounding = "half_up"
) -> str:
    """A 0–1 rate as a percentage against a 0–1 line: ``"89.995%"`` for 1808/2009 < 90 %."""
    return shown_against(rate * 100, relation, line * 100, places, rounding) + "%"
