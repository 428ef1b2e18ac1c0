"""A unit's figures from its items' (SPEC "Items and numeric marks").

Each item is counted and scored like a unit on its own, by the scheme's scoring (seed
002: the sum of 2:1:0 points; 万众评公务: the mean mark of 100). The unit's score is the
weighted mean of its items' scores, and its 满意率 the weighted mean of its items' rates,
with ``items[].weight``:

    score = Σ w_i × score_i / Σ w_i        rate = Σ w_i × rate_i / Σ w_i

over the items that have a score (a rate): an item no sheet rated validly (a form that
leaves it out, every mark blank) is left out and the weights of the others renormalised,
so a unit rated on some items only is scored on those. Per stratum likewise. A unit's
``counts`` and ``valid`` are the sums over its items (marks, not sheets). With one item
of any weight the unit's figures are exactly that item's. Everything is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from pingyi.engine.score import Tallied, UnitScore
from pingyi.round.models import Round


def weighted(terms: Sequence[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    """Σ w × value / Σ w over the terms with a value; None when none has one."""
    present = [(w, v) for w, v in terms if v is not None]
    if not present:
        return None
    return sum((w * v for w, v in present), Fraction(0)) / sum(w for w, _ in present)


def combine(r: Round, items: Sequence[UnitScore]) -> UnitScore:
    """One unit's figures from its items' (in ``r.items`` order)."""
    weights = [item.weight for item in r.items]
    strata = [
        _combined(weights, [item.by_stratum[s] for item in items]) for s in range(len(items[0].by_stratum))
    ]
    whole = _combined(weights, items)
    return UnitScore(
        whole.counts,
        whole.valid,
        whole.score,
        whole.satisfaction_rate,
        tuple(strata),
        {item.id: figures for item, figures in zip(r.items, items, strict=True)},
    )


def _combined(weights: list[Fraction], parts: Sequence[Tallied]) -> Tallied:
    counts = tuple(sum(column) for column in zip(*(p.counts for p in parts), strict=True))
    return Tallied(
        counts,
        sum(p.valid for p in parts),
        weighted([(w, p.score) for w, p in zip(weights, parts, strict=True)]),
        weighted([(w, p.satisfaction_rate) for w, p in zip(weights, parts, strict=True)]),
    )
