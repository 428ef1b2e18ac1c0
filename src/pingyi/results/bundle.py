"""A tally as a user holds it: the results document, the bytes of every output file, the
problems of the run, and pandas frames for scripts and notebooks.

:func:`pingyi.tally` returns one fresh from the ballots; :func:`pingyi.read_results`
returns one read back from a results directory. Both draw their frames from the same
results.json, so they are equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pingyi.errors import Problem
from pingyi.results import frames

if TYPE_CHECKING:
    import pandas as pd

    from pingyi.ballots.count import BallotCounts
    from pingyi.engine.result import TallyResult
    from pingyi.results.manifest import Input
    from pingyi.round.models import Round


@dataclass(eq=False)
class Tally:
    """The result of one round.

    ``files`` maps each output file of the results directory (all but manifest.json) to
    its bytes; ``problems`` lists every failure and warning of the run (severity
    ``void``, ``failure`` or ``warning``). ``round``, ``ballots`` (the counted ballots),
    ``result`` (the engine's objects) and ``inputs`` are there for a fresh tally only.
    """

    document: dict[str, Any]
    files: dict[str, bytes]
    problems: list[Problem] = field(default_factory=list)
    reject_rows: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    round: Round | None = None
    ballots: BallotCounts | None = None
    result: TallyResult | None = None
    inputs: list[Input] = field(default_factory=list)

    @property
    def void(self) -> list[Problem]:
        """Why the round is void (more sheets counted than issued): nothing may be written."""
        return [p for p in self.problems if p.severity == "void"]

    @property
    def failures(self) -> list[Problem]:
        """Checks the ballots fail (quota missed, conflicting sheets): exit 1 under --strict."""
        return [p for p in self.problems if p.severity == "failure"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        """Exactly what results.json holds (a fresh copy)."""
        copy: dict[str, Any] = json.loads(self.files["results.json"])
        return copy

    @cached_property
    def units(self) -> pd.DataFrame:
        """One row per unit indexed by id: name, category, rank, score, satisfaction_rate,
        valid, flags, and the exact ``score_exact`` and ``satisfaction_rate_exact``."""
        return frames.units_frame(self.document)

    @cached_property
    def counts(self) -> pd.DataFrame:
        """Long counts: unit, stratum, mark, count (int64)."""
        return frames.counts_frame(self.document)

    @cached_property
    def strata(self) -> pd.DataFrame:
        return frames.strata_frame(self.document)

    @cached_property
    def items(self) -> pd.DataFrame:
        """A round with items: one row per unit × item (empty without items)."""
        return frames.items_frame(self.document)

    @cached_property
    def rejects(self) -> pd.DataFrame:
        """Every rejected sheet: file, line, sheet, reason, detail."""
        return frames.rejects_frame(self.reject_rows)

    def __repr__(self) -> str:
        sheets = self.document["sheets"]
        return (
            f"<Tally {self.document['round']}: {len(self.document['units'])} units, "
            f"{sheets['counted']} of {sheets['read']} sheets counted>"
        )
