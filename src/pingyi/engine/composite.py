"""Composite results (seed 003 四、集中评议):

    综合评定结果 = 群众满意度[本级 30 % + 下级 60 %] + 日常考核 10 % − 扣分

Components come from the unit's own ballot score, its satisfaction rate (in percent, so
it sits on the same 0–100 scale as a degree), a column of the round's ``adjustments``
file (one row per unit: ``unit`` + named columns), or another round's verified results
(``source: results``: lower levels, periods, channels; read by pingyi.results.sources).
Every unit needs its row and every needed cell a number: a gap is an error naming the
unit, never a silent zero (the file is read at the edge, :func:`pingyi.sidefiles.read_adjustments`).
"""

from __future__ import annotations

from fractions import Fraction

from pingyi.round.models import Composite

Adjustments = dict[str, dict[str, Fraction]]
#: Values from other rounds' results: component name → unit id → value.
Sourced = dict[str, dict[str, Fraction]]


def needed_columns(composite: Composite) -> tuple[str, ...]:
    columns = [c.column for c in composite.components if c.source == "adjustment" and c.column]
    return tuple(dict.fromkeys([*columns, *composite.deductions]))


def composite_score(
    composite: Composite,
    score: Fraction | None,
    rate: Fraction | None,
    adjustments: dict[str, Fraction],
    sourced: dict[str, Fraction] | None = None,
) -> tuple[Fraction | None, dict[str, Fraction], Fraction]:
    """(result, component values, total deductions); no result without every component.

    ``sourced`` holds the unit's values from other rounds' results, by component name."""
    values: dict[str, Fraction] = {}
    for component in composite.components:
        value: Fraction | None
        if component.source == "score":
            value = score
        elif component.source == "satisfaction_rate":
            value = None if rate is None else rate * 100
        elif component.source == "results":
            value = (sourced or {}).get(component.name)
        else:
            value = adjustments[component.column or ""]
        if value is None:
            return None, values, Fraction(0)
        values[component.name] = value
    deductions = sum((adjustments[c] for c in composite.deductions), Fraction(0))
    weighted = sum((c.weight * values[c.name] for c in composite.components), Fraction(0))
    return weighted - deductions, values, deductions
