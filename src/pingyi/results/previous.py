"""Other rounds' results that a round reads, verified before they are used: the previous
round (seed 000's rank movement, seed 002's escalation) and the rounds a composite is
built on (seed 003's lower levels, periods, channels).

A rank edited by hand in another round's results.json would change this round's figures,
so a results directory is used only when its own manifest still holds: every output it
lists has the SHA-256 recorded when it was written. Its results.json is then an input of
this round (its hash goes into this round's manifest), so ``pingyi verify`` of this round
also fails if it changes later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pingyi.engine.movement import PreviousRound, PreviousUnit
from pingyi.errors import PingyiError, Problem
from pingyi.results.manifest import changed_inputs, changed_outputs, read_manifest
from pingyi.results.read import read_results


def read_verified(directory: Path, display: str, field: str) -> dict[str, Any]:
    """results.json of a results directory whose manifest still holds; ``field`` names the
    round-file key that points here, for the error."""
    try:
        record = read_manifest(directory)
    except PingyiError as error:
        raise PingyiError(
            [
                _problem(display, field, f"not a verified results directory: {p.message}")
                for p in error.problems
            ]
        ) from error
    changed = changed_outputs(directory, record) + changed_inputs(directory, record)
    if "results.json" not in {item["path"] for item in record["outputs"]}:
        changed.append("its manifest does not list results.json")
    if changed:
        raise PingyiError(
            [
                _problem(
                    display,
                    field,
                    f"the results do not verify: {'; '.join(changed)}; "
                    "use the directory 'pingyi tally' wrote, or run 'pingyi verify' on it",
                )
            ]
        )
    return read_results(directory)


def load_previous(directory: Path, display: str) -> PreviousRound:
    """The previous round as values, or an error naming what in it changed."""
    data = read_verified(directory, display, "previous")
    units = {}
    for unit in data["units"]:
        last = "last_place" in unit["flags"]
        streak = unit.get("last_place_streak", 1 if last else 0)
        units[unit["id"]] = PreviousUnit(unit["category"], unit["rank"], last, int(streak or 0))
    return PreviousRound(str(data["round"]), units)


def _problem(display: str, field: str, message: str) -> Problem:
    code = "previous_changed" if field == "previous" else "component_changed"
    return Problem(display, None, field, code, message)
