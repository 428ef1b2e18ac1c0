"""Grades and verdicts (SPEC "Grades and verdicts"): the round-file models.

Many rounds end in a grade per unit, not (only) a rank:

* 人大常委会 测评 (镇海区, 2021): 满意票 over half of *all members* (全体组成人员) → 满意;
  else 满意 + 基本满意 over half → 基本满意; else 不满意;
* 述职 测评: 称职 votes ≥ 80 % → 称职; 50–80 % → 基本称职; under 50 % → 不称职;
* 万众评公务: score ≥ 85 优秀, ≥ 75 良好, ≥ 60 合格, else 不合格.

A grading lists bands in order; the first band whose test holds is the grade. A band
tests the share of the unit's marks with ``options`` over a base ``of`` (``members``,
``issued``, ``read``, ``valid``), or a ``measure`` (``score``, ``satisfaction_rate``,
``composite``), with ``over`` (>), ``at_least`` (≥) or ``below`` (<), exactly; a band with
no test takes everything else and must come last.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import Field, model_validator

from pingyi.round.fields import Exact, Id, Section

Base = Literal["members", "issued", "read", "valid"]
Measure = Literal["score", "satisfaction_rate", "composite"]
COMPARISONS = ("over", "at_least", "below")


class Band(Section):
    """One grade and the test that gives it."""

    grade: str = Field(min_length=1)
    options: list[str] | None = Field(None, min_length=1)
    of: Base = "valid"
    measure: Measure | None = None
    over: Exact | None = None
    at_least: Exact | None = None
    below: Exact | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Band:
        compared = [name for name in COMPARISONS if getattr(self, name) is not None]
        if self.options is not None and self.measure is not None:
            raise ValueError("a band tests either options (a share of marks) or a measure, not both")
        if (self.options is not None or self.measure is not None) and not compared:
            raise ValueError("a band with options or a measure needs over, at_least or below")
        if compared and self.options is None and self.measure is None:
            raise ValueError(f"{compared[0]} needs options (a share of marks) or a measure")
        if "of" in self.model_fields_set and self.options is None:
            raise ValueError("of: is the base of a share of marks; give options too")
        if self.options is not None:
            for name in compared:
                value: Fraction = getattr(self, name)
                if not 0 <= value <= 1:
                    raise ValueError(f"{name}: a share of marks is between 0 and 1 (e.g. 1/2 or 80%)")
        return self

    @property
    def tested(self) -> bool:
        return self.options is not None or self.measure is not None


class Grading(Section):
    """A named grading (results.json ``units[].grades.<id>``)."""

    id: Id
    name: str
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _catch_all_last(self) -> Grading:
        for index, band in enumerate(self.bands[:-1]):
            if not band.tested:
                raise ValueError(
                    f"bands[{index}] ({band.grade}) has no test and takes every unit: "
                    "the bands after it could never hold; put it last"
                )
        return self

    def grades(self) -> list[str]:
        """The grades in band order, each once."""
        return list(dict.fromkeys(band.grade for band in self.bands))


class GradeRequirement(Section):
    """``{grade: {level: 优秀}}``: a unit must hold this grade (for winners, rectification)."""

    grade: dict[str, str] = Field(min_length=1, max_length=1)

    @property
    def grading(self) -> str:
        return next(iter(self.grade))

    @property
    def wanted(self) -> str:
        return next(iter(self.grade.values()))


class MeasureRequirement(Section):
    """``{measure: composite, at_least: 75}`` (沈阳: advanced units need composite ≥ 75)."""

    measure: Measure
    at_least: Exact | None = None
    below: Exact | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> MeasureRequirement:
        if (self.at_least is None) == (self.below is None):
            raise ValueError("give one of at_least or below")
        return self
