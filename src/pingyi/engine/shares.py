"""Per-option shares of a unit's valid marks, as published tables print them (SPEC
"Per-option shares").

Published 测评 tables print, per unit, each option's share: 满意率 25/28 = 89.29 %,
基本满意率 3/28 = 10.71 %, 不满意率 0 %. Offices round them three ways, and the figures
differ by exactly this, so the round says which (``satisfaction.shares_rounding``):

* ``half_up``: each share on its own, half away from zero (89.29 %);
* ``truncate``: each share cut (25/93 = 26.88 % printed 26.8 % at one decimal);
* ``largest_remainder``: each share cut, then the units of the last digit still missing
  to make 100 % go to the largest remainders (54/93, 33/93, 2/93, 4/93 printed 58.07 /
  35.48 / 2.15 / 4.30, not 58.06); a tie in the remainders goes to the option listed first.

Shares are over the unit's valid marks: the valid options, and blanks where the scheme
counts them (``blank``); an option marked ``valid: false`` is in no denominator.
Everything is exact (:class:`~fractions.Fraction`); ``places`` are decimals of a percent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

from pingyi.numbers import rounded

SharesRounding = Literal["half_up", "truncate", "largest_remainder"]


def exact_shares(counts: Mapping[str, int], codes: Sequence[str]) -> dict[str, Fraction] | None:
    """Each code's share of the marks of ``codes`` (the valid ones); None without marks."""
    total = sum(counts[code] for code in codes)
    if not total:
        return None
    return {code: Fraction(counts[code], total) for code in codes}


def shown_shares(exact: Mapping[str, Fraction], places: int, rounding: SharesRounding) -> dict[str, Fraction]:
    """The shares as shown, each a 0–1 fraction with ``places + 2`` decimals."""
    digits = places + 2
    if rounding != "largest_remainder":
        return {code: rounded(share, digits, rounding) for code, share in exact.items()}
    unit = Fraction(1, 10**digits)
    floors = {code: (share / unit).numerator // (share / unit).denominator for code, share in exact.items()}
    missing = 10**digits - sum(floors.values())
    order = list(exact)
    by_remainder = sorted(order, key=lambda code: (-(exact[code] / unit - floors[code]), order.index(code)))
    for code in by_remainder[:missing]:
        floors[code] += 1
    return {code: floors[code] * unit for code in order}
