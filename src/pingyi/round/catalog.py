"""The built-in schemes as a catalogue: what ``pingyi schemes`` lists."""

from __future__ import annotations

import re
from typing import Any

from pingyi.round import schemes
from pingyi.round.load import load_scheme
from pingyi.round.models import Round, Scale, Scoring

_SEED = re.compile(r"seed (\d{3})")


def scheme_catalog() -> list[dict[str, Any]]:
    """One row per built-in scheme: name, title, seed, scale, method, what it extends."""
    from pingyi.report.rules import describe_method, describe_scale

    rows = []
    for name in schemes.builtin_names():
        doc = load_scheme(name).data
        scale = Scale.model_validate(doc["scale"])
        scoring = Scoring.model_validate(doc.get("scoring", {}))
        header = (schemes.schemes_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        seeds = sorted(set(_SEED.findall(header.split("\nscheme:")[0])))
        stub = Round.model_construct(scale=scale, scoring=scoring)
        rows.append(
            {
                "name": name,
                "title": doc.get("title", ""),
                "seed": ", ".join(seeds),
                "scale": describe_scale(scale),
                "method": describe_method(stub),
                "composite": "composite" in doc,
                "movement": "movement" in doc,
            }
        )
    return rows
