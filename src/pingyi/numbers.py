"""Showing exact numbers: rounding happens here, and only here (SPEC "Correctness rules").

Scores and rates stay :class:`fractions.Fraction` through ranking and thresholds; a
number is rounded (half-up unless the scheme says truncate) only when it is shown.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

Rounding = Literal["half_up", "truncate"]


def rounded(value: Fraction, places: int, rounding: Rounding = "half_up") -> Fraction:
    """``value`` rounded to ``places`` decimals, half away from zero or truncated."""
    scale = 10**places
    scaled = abs(value) * scale
    whole = int(scaled) if rounding == "truncate" else int(scaled + Fraction(1, 2))
    result = Fraction(whole, scale)
    return -result if value < 0 else result


def show(value: Fraction, places: int, rounding: Rounding = "half_up") -> str:
    """Decimal text with exactly ``places`` decimals: ``show(Fraction(2, 3), 2) == "0.67"``."""
    r = rounded(value, places, rounding)
    sign = "-" if r < 0 else ""
    scaled = abs(r) * 10**places
    digits = str(int(scaled)).rjust(places + 1, "0")
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def show_percent(rate: Fraction, places: int, rounding: Rounding = "half_up") -> str:
    """A 0–1 rate as a percentage: ``show_percent(Fraction(23, 26), 2) == "88.46%"``."""
    return show(rate * 100, places, rounding) + "%"


def plain(value: Fraction) -> str:
    """A short exact-looking text for rule descriptions: ``0.5``, ``2``, ``2/3``."""
    if value.denominator == 1:
        return str(value.numerator)
    for places in range(1, 7):
        if (value * 10**places).denominator == 1:
            return show(value, places)
    return str(value)
