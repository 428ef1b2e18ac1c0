"""Ranking within a category: the score, then the scheme's tie-break chain, never row order.

Ranks are competition ranks (1, 2, 2, 4): a unit's rank is one more than the number of
units strictly ahead of it on the whole key, so what the chain leaves tied shares a rank
(SPEC "Correctness rules").
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from pingyi.ballots.marks import MarkCodes
from pingyi.engine.score import Tallied

Key = tuple[Fraction, ...]
_NONE = Fraction(-1)  # below any rate or count, for a unit with no rate


def rank_key(score: Fraction, tallied: Tallied, tie_break: Sequence[str], codes: MarkCodes) -> Key:
    """The tuple a unit is ranked by: higher is better in every place."""
    key = [score]
    for name in tie_break:
        if name == "satisfaction_rate":
            rate = tallied.satisfaction_rate
            key.append(_NONE if rate is None else rate)
        elif name == "valid":
            key.append(Fraction(tallied.valid))
        else:
            kind, code = name.split(":", 1)
            count = Fraction(tallied.counts[codes.names.index(code)])
            key.append(count if kind == "count" else -count)
    return tuple(key)


def competition_ranks(keys: Sequence[Key]) -> list[int]:
    """Rank of each key: 1 + how many keys are strictly greater (1, 2, 2, 4)."""
    ordered = sorted(keys, reverse=True)
    first: dict[Key, int] = {}
    for position, key in enumerate(ordered, start=1):
        first.setdefault(key, position)
    return [first[key] for key in keys]


def strictly_behind(keys: Sequence[Key]) -> list[int]:
    """How many keys are strictly smaller than each key (0 for the bottom rank)."""
    ordered = sorted(keys)
    first: dict[Key, int] = {}
    for position, key in enumerate(ordered):
        first.setdefault(key, position)
    return [first[key] for key in keys]
