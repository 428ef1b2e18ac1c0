"""The result of a tally, as plain data: what results.json, the CSV files, the terminal
tables and the reports are all drawn from (STYLE 7a: one source, many renderings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from pingyi.engine.grades import Grade
from pingyi.engine.opinions import Opinion
from pingyi.engine.score import UnitScore
from pingyi.errors import Problem
from pingyi.flags import FLAG_IDS as FLAGS  # the flags of results.json, in their order
from pingyi.round.models import Category, Unit


@dataclass
class UnitResult:
    """One unit's standing: its marks, score, rank, flags and the words for each flag."""

    unit: Unit
    tallied: UnitScore
    score: Fraction | None  # what it is ranked by: the ballot score, or the composite
    components: dict[str, Fraction] | None = None
    deductions: Fraction | None = None
    rank: int | None = None
    flags: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)
    movement: Movement | None = None
    grades: dict[str, Grade] = field(default_factory=dict)  # grading id -> grade and why
    confidence: Any = None  # engine.confidence.UnitConfidence, with a bootstrap

    @property
    def id(self) -> str:
        return self.unit.id

    def flag(self, name: str, reason: str) -> None:
        self.flags.add(name)
        self.reasons[name] = reason

    def ordered_flags(self) -> list[str]:
        return [f for f in FLAGS if f in self.flags]


@dataclass
class Movement:
    """Against the previous round (seed 000's bonuses, seed 002's escalation)."""

    previous_rank: int | None
    rank_change: int | None
    note: str | None = None
    bonus: Fraction = Fraction(0)
    bonus_reason: str | None = None
    last_place_streak: int | None = None
    escalated: bool = False


@dataclass
class CategoryResult:
    """One category's ranking and its award lists, each in rank order."""

    category: Category
    units: list[UnitResult]  # rank order; unranked units (no valid mark) last
    winners: list[str] = field(default_factory=list)
    winners_allowed: int = 0  # the number of winners, a share of the category made units
    winners_tie_at_cutoff: bool = False
    last_place: list[str] = field(default_factory=list)
    rectification: list[str] = field(default_factory=list)
    satisfaction_rate: Fraction | None = None


@dataclass
class TallyResult:
    """The whole result of a round."""

    units: list[UnitResult]  # round-file order
    categories: list[CategoryResult]
    satisfaction_rate: Fraction | None
    previous: dict[str, Any] | None = None  # {round, new, gone} when a previous round is given
    opinions: list[Opinion] = field(default_factory=list)  # file order
    confidence: dict[str, Any] | None = None  # {replicates, seed, level, method} with a bootstrap
    problems: list[Problem] = field(default_factory=list)  # warnings found while tallying
