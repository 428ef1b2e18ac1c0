"""A round at a glance: categories, strata and rules, as data for every view."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pingyi.numbers import plain
from pingyi.report.rules import describe_rules
from pingyi.round.models import Round


def round_summary(r: Round) -> dict[str, Any]:
    """What ``pingyi check`` reports about a round file, before any ballot."""
    per_category = Counter(u.category for u in r.units)
    return {
        "round": r.round,
        "title": r.title or r.round,
        "scheme": r.scheme,
        "units": len(r.units),
        "categories": [
            {
                "id": c.id,
                "name": c.name,
                "units": per_category[c.id],
                "winners": c.winners,
                "last_place": r.last_place_of(c),
                "ranked": c.ranked,
            }
            for c in r.categories
        ],
        "strata": [
            {"id": s.id, "name": s.name, "weight": plain(s.weight), "issued": s.issued} for s in r.strata
        ],
        "forms": {form: len(units) for form, units in (r.forms or {}).items()},
        "rules": describe_rules(r),
    }
