"""Composite results (seed 003 四、集中评议):

    综合评定结果 = 群众满意度[本级 30 % + 下级 60 %] + 日常考核 10 % − 扣分

Components come from the unit's own ballot score, its satisfaction rate (in percent, so
it sits on the same 0–100 scale as a degree), or a column of the round's ``adjustments``
file (one row per unit: ``unit`` + named columns). Every unit needs its row and every
needed cell a number: a gap is an error naming the unit, never a silent zero.
"""

from __future__ import annotations

from fractions import Fraction

from pingyi.errors import PingyiError, Problem
from pingyi.round.models import Composite, Round, to_fraction
from pingyi.round.tablefile import read_rows

Adjustments = dict[str, dict[str, Fraction]]


def needed_columns(composite: Composite) -> tuple[str, ...]:
    columns = [c.column for c in composite.components if c.source == "adjustment" and c.column]
    return tuple(dict.fromkeys([*columns, *composite.deductions]))


def read_adjustments(r: Round) -> Adjustments:
    """The adjustments file as exact numbers per unit, or every problem in it at once."""
    if r.composite is None or r.adjustments is None:
        return {}
    path = r.base_dir / r.adjustments
    columns = needed_columns(r.composite)
    rows = read_rows(path, r.adjustments, ("unit", *columns))
    known = {u.id for u in r.units}
    found: Adjustments = {}
    problems: list[Problem] = []
    for line, cells in rows:
        unit = cells["unit"]
        if unit not in known:
            problems.append(
                Problem(
                    r.adjustments, line, "unit", "unknown_unit", f"unit '{unit}' is not a unit of the round"
                )
            )
            continue
        if unit in found:
            problems.append(
                Problem(r.adjustments, line, "unit", "duplicate_unit", f"unit '{unit}' has a second row")
            )
            continue
        found[unit] = {}
        for column in columns:
            try:
                found[unit][column] = to_fraction(cells[column])
            except ValueError:
                problems.append(
                    Problem(
                        r.adjustments,
                        line,
                        column,
                        "not_a_number",
                        f"unit '{unit}': expected a number, got {cells[column]!r}",
                    )
                )
    for unit in r.units:
        if unit.id not in found:
            problems.append(
                Problem(
                    r.adjustments, None, "unit", "missing_unit", f"no row for unit '{unit.id}' ({unit.name})"
                )
            )
    if problems:
        raise PingyiError(problems)
    return found


def composite_score(
    composite: Composite, score: Fraction | None, rate: Fraction | None, adjustments: dict[str, Fraction]
) -> tuple[Fraction | None, dict[str, Fraction], Fraction]:
    """(result, component values, total deductions); no result without a ballot score."""
    values: dict[str, Fraction] = {}
    for component in composite.components:
        if component.source == "score":
            value = score
        elif component.source == "satisfaction_rate":
            value = None if rate is None else rate * 100
        else:
            value = adjustments[component.column or ""]
        if value is None:
            return None, values, Fraction(0)
        values[component.name] = value
    deductions = sum((adjustments[c] for c in composite.deductions), Fraction(0))
    weighted = sum((c.weight * values[c.name] for c in composite.components), Fraction(0))
    return weighted - deductions, values, deductions
