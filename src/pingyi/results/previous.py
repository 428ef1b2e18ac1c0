"""The previous round's results, verified before they are used (seed 000's rank movement,
seed 002's escalation).

A rank edited by hand in the previous results.json would change this round's bonuses, so a
previous results directory is used only when its own manifest still holds: every output
it lists has the SHA-256 recorded when it was written. Its results.json is then an input
of this round (its hash goes into this round's manifest), so ``pingyi verify`` of this
round also fails if it changes later.
"""

from __future__ import annotations

from pathlib import Path

from pingyi.engine.movement import PreviousRound, PreviousUnit
from pingyi.errors import PingyiError, Problem
from pingyi.results.manifest import changed_outputs, read_manifest
from pingyi.results.read import read_results


def load_previous(directory: Path, display: str) -> PreviousRound:
    """The previous round as values, or an error naming what in it changed."""
    record = read_manifest(directory)
    changed = changed_outputs(directory, record)
    if "results.json" not in {item["path"] for item in record["outputs"]}:
        changed.append("its manifest does not list results.json")
    if changed:
        raise PingyiError(
            [
                Problem(
                    display,
                    None,
                    "previous",
                    "previous_changed",
                    f"the previous results do not verify: {'; '.join(changed)}; "
                    "use the directory 'pingyi tally' wrote, or run 'pingyi verify' on it",
                )
            ]
        )
    data = read_results(directory)
    units = {}
    for unit in data["units"]:
        last = "last_place" in unit["flags"]
        streak = unit.get("last_place_streak", 1 if last else 0)
        units[unit["id"]] = PreviousUnit(unit["category"], unit["rank"], last, int(streak or 0))
    return PreviousRound(str(data["round"]), units)
