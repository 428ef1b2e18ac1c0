"""The pandas frames a script or notebook works with, drawn from results.json.

Every frame is built from the results document (and the rejects), never from engine
objects, so a tally held in memory and the same tally read back from its results
directory give equal frames. pandas is imported here, where frames are built, and
nowhere on the command line's way to ``--help``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: The columns of :func:`units_frame`, after its index ``id``.
UNIT_COLUMNS = (
    "name",
    "category",
    "rank",
    "score",
    "satisfaction_rate",
    "valid",
    "flags",
    "score_exact",
    "satisfaction_rate_exact",
)
REJECT_COLUMNS = ("file", "line", "sheet", "reason", "detail")


def _fraction(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def units_frame(document: dict[str, Any]) -> pd.DataFrame:
    """One row per unit (round-file order), indexed by unit id: rounded figures as floats
    for display, exact figures as :class:`~fractions.Fraction` for arithmetic."""
    import pandas as pd

    rows = [
        {
            "id": u["id"],
            "name": u["name"],
            "category": u["category"],
            "rank": u["rank"],
            "score": u["score"],
            "satisfaction_rate": u["satisfaction_rate"],
            "valid": u["valid"],
            "flags": tuple(u["flags"]),
            "score_exact": _fraction(u["score_exact"]),
            "satisfaction_rate_exact": _fraction(u["satisfaction_rate_exact"]),
        }
        for u in document["units"]
    ]
    frame = pd.DataFrame(rows, columns=["id", *UNIT_COLUMNS]).set_index("id")
    return frame.astype(
        {
            "rank": "Int64",
            "score": "float64",
            "satisfaction_rate": "float64",
            "valid": "int64",
            "flags": object,
            "score_exact": object,
            "satisfaction_rate_exact": object,
        }
    )


def counts_frame(document: dict[str, Any]) -> pd.DataFrame:
    """Long counts: one row per unit × stratum × mark code (options, ``blank``,
    ``invalid``), zeros included, as int64."""
    import pandas as pd

    rows = [
        (u["id"], stratum, mark, count)
        for u in document["units"]
        for stratum, tallied in u["strata"].items()
        for mark, count in tallied["counts"].items()
    ]
    frame = pd.DataFrame(rows, columns=["unit", "stratum", "mark", "count"])
    return frame.astype({"count": "int64"})


ITEM_COLUMNS = (
    "unit",
    "item",
    "score",
    "satisfaction_rate",
    "valid",
    "score_exact",
    "satisfaction_rate_exact",
)


def items_frame(document: dict[str, Any]) -> pd.DataFrame:
    """One row per unit × item (units in round-file order, items in the round's order):
    each item's score and rate as the unit's are given, rounded and exact."""
    import pandas as pd

    rows = [
        {
            "unit": u["id"],
            "item": item["id"],
            "score": u["items"][item["id"]]["score"],
            "satisfaction_rate": u["items"][item["id"]]["satisfaction_rate"],
            "valid": u["items"][item["id"]]["valid"],
            "score_exact": _fraction(u["items"][item["id"]]["score_exact"]),
            "satisfaction_rate_exact": _fraction(u["items"][item["id"]]["satisfaction_rate_exact"]),
        }
        for u in document["units"]
        for item in document.get("items", [])
    ]
    frame = pd.DataFrame(rows, columns=list(ITEM_COLUMNS))
    return frame.astype(
        {"score": "float64", "satisfaction_rate": "float64", "valid": "int64", "score_exact": object}
    )


def strata_frame(document: dict[str, Any]) -> pd.DataFrame:
    """One row per stratum, indexed by its id: name, weight, sheets issued, read, counted."""
    import pandas as pd

    rows = [
        {
            "id": s["id"],
            "name": s["name"],
            "weight": Fraction(str(s["weight"])),
            "issued": s["issued"],
            "read": s["read"],
            "counted": s["counted"],
        }
        for s in document["strata"]
    ]
    frame = pd.DataFrame(rows, columns=["id", "name", "weight", "issued", "read", "counted"])
    return frame.set_index("id").astype(
        {"weight": object, "issued": "Int64", "read": "int64", "counted": "int64"}
    )


def rejects_frame(rejects: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Every rejected sheet: file, line, sheet id, reason code, detail."""
    import pandas as pd

    frame = pd.DataFrame([tuple(j) for j in rejects], columns=list(REJECT_COLUMNS))
    return frame.astype({"line": "int64"})
