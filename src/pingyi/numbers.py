"""Showing exact numbers: rounding happens here, and only here (SPEC "Correctness rules").

Scores and rates stay :class:`fractions.Fraction` through ranking and thresholds; a
number is rounded (half-up unless the scheme says truncate) only when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

Rounding = Literal["half_up", "truncate"]


def _scaled(value: Fraction, places: int, rounding: Rounding) -> int:
    """|value| × 10^places rounded to a whole number, in integer arithmetic."""
    numerator: int = abs(value.numerator) * 10**places
    denominator: int = value.denominator
    if rounding == "truncate":
        return numerator // denominator
    return (2 * numerator + denominator) // (2 * denominator)


def rounded(value: Fraction, places: int, rounding: Rounding = "half_up") -> Fraction:
    """``value`` rounded to ``places`` decimals, half away from zero or truncated."""
    result = Fraction(_scaled(value, places, rounding), 10**places)
    return -result if value < 0 else result


def show(value: Fraction, places: int, rounding: Rounding = "half_up") -> str:
    """Decimal text with exactly ``places`` decimals: ``show(Fraction(2, 3), 2) == "0.67"``."""
    whole = _scaled(value, places, rounding)
    sign = "-" if value < 0 and whole else ""
    digits = str(whole).rjust(places + 1, "0")
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


@dataclass(frozen=True)
class Shown:
    """How a round shows its figures: decimals of a score and of a percentage, and the
    rounding. Every output (files, tables, workbooks) shows figures through this."""

    score_places: int
    percent_places: int
    rounding: Rounding = "half_up"

    @classmethod
    def of_document(cls, document: dict[str, Any]) -> Shown:
        """From results.json's ``precision``."""
        precision = document["precision"]
        return cls(precision["score"], precision["satisfaction_percent"], precision["rounding"])

    def score(self, value: Fraction | str | None) -> str | None:
        """A score (exact, or its fraction text) as decimal text: ``"2153.50"``."""
        return None if value is None else show(Fraction(value), self.score_places, self.rounding)

    def share(self, value: Fraction | str | None) -> str | None:
        """A 0–1 rate as decimal text with two places more than its percentage: ``"0.8846"``."""
        return None if value is None else show(Fraction(value), self.percent_places + 2, self.rounding)

    def percent(self, value: Fraction | str | None) -> str | None:
        """A 0–1 rate as a percentage: ``"88.46%"``."""
        return None if value is None else show_percent(Fraction(value), self.percent_places, self.rounding)
