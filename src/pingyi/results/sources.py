"""Composite components drawn from other rounds' results (SPEC "Rounds built on rounds").

Seed 003 weighs lower-level results 60 % into an upper department's composite
("下级评议结果在上级部门综合评定中占60%的权重"); practice adds mid-year 40 % + year-end
60 % and channels tallied apart (paper, online, phone) combined by weight. A component
with ``source: results`` names another round's results directory; each of this round's
units takes the mean of its mapped units' ``measure`` there (its own id when unmapped):

* ``score``: the other round's ballot score (``ballot_score_exact`` in a composite round,
  else ``score_exact``);
* ``satisfaction_rate``: in percent, 0–100, like the existing component;
* ``composite``: the other round's composite result (it must have one).

The directory must verify first (:func:`pingyi.results.previous.read_verified`); a unit
missing there, or without the value, is an error naming it — never a silent zero.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingyi.engine.composite import Sourced
from pingyi.errors import PingyiError, Problem
from pingyi.results.previous import read_verified
from pingyi.round.models import Component, Round


def read_sources(r: Round) -> Sourced:
    """Every ``source: results`` component's values per unit, or all the problems at once."""
    if r.composite is None:
        return {}
    sourced: Sourced = {}
    problems: list[Problem] = []
    for index, component in enumerate(r.composite.components):
        if component.source != "results" or component.path is None:
            continue
        field = f"composite.components[{index}]"
        try:
            document = read_verified(r.base_dir / component.path, component.path, f"{field}.path")
        except PingyiError as error:
            problems.extend(error.problems)
            continue
        sourced[component.name] = _values(r, component, document, field, problems)
    if problems:
        raise PingyiError(problems)
    return sourced


def _values(
    r: Round, component: Component, document: dict[str, Any], field: str, problems: list[Problem]
) -> dict[str, Fraction]:
    theirs = {u["id"]: u for u in document["units"]}
    has_composite = any("components" in u for u in document["units"])
    if component.measure == "composite" and not has_composite:
        problems.append(
            Problem(
                component.path or "",
                None,
                f"{field}.measure",
                "no_composite",
                f"round '{document['round']}' has no composite result",
            )
        )
        return {}
    values: dict[str, Fraction] = {}
    for unit in r.units:
        mapped = component.units.get(unit.id, [unit.id])
        found = []
        for other in mapped:
            value = _measure(theirs.get(other), component.measure)
            if value is None:
                why = "is not a unit" if other not in theirs else f"has no {component.measure}"
                via = f" (mapped from '{unit.id}')" if other != unit.id else ""
                problems.append(
                    Problem(
                        component.path or "",
                        None,
                        f"{field}.units",
                        "missing_unit",
                        f"unit '{other}'{via} {why} in round '{document['round']}'",
                    )
                )
            else:
                found.append(value)
        if len(found) == len(mapped):
            values[unit.id] = sum(found, Fraction(0)) / len(found)
    return values


def _measure(unit: dict[str, Any] | None, measure: str) -> Fraction | None:
    if unit is None:
        return None
    if measure == "satisfaction_rate":
        text = unit.get("satisfaction_rate_exact")
        return None if text is None else Fraction(text) * 100
    if measure == "composite":
        text = unit.get("score_exact")
    else:
        text = unit.get("ballot_score_exact", unit.get("score_exact"))
    return None if text is None else Fraction(text)
