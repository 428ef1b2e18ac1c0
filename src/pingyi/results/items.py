"""results.json's parts for items and numeric marks (SPEC "Items and numeric marks").

* ``scale``: the options as before; a numeric scale adds ``numeric: {min, max,
  satisfied_at_least, decimals}`` and lists as its options the mark options numbers are
  counted under (``satisfied``/``unsatisfied``, value null), so reports label their
  counts; without a satisfied line the one mark option (``number``) is not listed (its
  count is in ``counts``, its share would always be 100 %).
* ``items``: ``[{id, name, weight}]``, in a round with items only.
* ``units[].items``: ``{item id: {counts, valid, score, score_exact, satisfaction_rate,
  satisfaction_rate_exact, strata}}``, each item's figures as a unit has them.

A round without items and numbers gets none of these keys: its results.json is byte for
byte what it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pingyi.engine.result import UnitResult
from pingyi.engine.score import Tallied
from pingyi.numbers import plain
from pingyi.round.models import Option, Round
from pingyi.round.numeric import DECIMALS


def listed_options(r: Round) -> list[Option]:
    """The options results.json lists under ``scale.options`` (and gives shares of)."""
    if r.scale.numeric is not None and r.satisfaction.satisfied_at_least is None:
        return []
    return r.mark_options()


def scale_document(r: Round) -> dict[str, Any]:
    numeric = r.scale.numeric
    scale: dict[str, Any] = {
        "options": [
            {
                "code": o.code,
                "label": o.label,
                "value": None if numeric is not None else plain(o.value),
                "satisfied": o.satisfied,
                "valid": o.valid,
            }
            for o in listed_options(r)
        ],
        "blank": {
            "label": r.scale.blank.label,
            "value": plain(r.scale.blank.value),
            "valid": r.scale.blank.valid,
        },
    }
    if numeric is not None:
        line = r.satisfaction.satisfied_at_least
        scale["numeric"] = {
            "min": plain(numeric.min),
            "max": plain(numeric.max),
            "satisfied_at_least": None if line is None else plain(line),
            "decimals": DECIMALS,
        }
    return scale


def items_list(r: Round) -> list[dict[str, Any]]:
    return [{"id": i.id, "name": i.name, "weight": plain(i.weight)} for i in r.items]


def unit_items(
    r: Round, u: UnitResult, figures: Callable[[Tallied], dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """``units[].items``: each item's figures (``figures`` renders a Tallied as results.json
    renders a unit's), and its strata."""
    out = {}
    for item in r.items:
        t = u.tallied.items[item.id]
        out[item.id] = figures(t) | {
            "strata": {s.id: figures(ts) for s, ts in zip(r.strata, t.by_stratum, strict=True)}
        }
    return out
