"""The built-in schemes as a catalogue: the facts ``pingyi schemes`` lists.

Only facts read from the scheme files live here; putting them into words (a scale as
``满意 2 / 基本满意 1 …``) is the report layer's job, done by the command, so that
``round/`` never reaches up into ``report/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pingyi.round import schemes
from pingyi.round.load import load_scheme
from pingyi.round.models import Round, Scale, Scoring

_SEED = re.compile(r"seed (\d{3})")


@dataclass(frozen=True)
class SchemeEntry:
    """One built-in scheme: its name, title, source seeds and rules."""

    name: str
    title: str
    seeds: tuple[str, ...]
    rules: Round  # the scheme's scale and scoring on a round without units
    composite: bool
    movement: bool


def scheme_catalog() -> list[SchemeEntry]:
    """One entry per built-in scheme, in name order."""
    entries = []
    for name in schemes.builtin_names():
        doc = load_scheme(name).data
        scale = Scale.model_validate(doc["scale"])
        scoring = Scoring.model_validate(doc.get("scoring", {}))
        header = (schemes.schemes_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        seeds = tuple(sorted(set(_SEED.findall(header.split("\nscheme:")[0]))))
        rules = Round.model_construct(
            round=name, scale=scale, scoring=scoring, categories=[], strata=[], units=[]
        )
        entries.append(
            SchemeEntry(
                name=name,
                title=str(doc.get("title", "")),
                seeds=seeds,
                rules=rules,
                composite="composite" in doc,
                movement="movement" in doc,
            )
        )
    return entries
