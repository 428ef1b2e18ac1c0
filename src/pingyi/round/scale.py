"""The scale (SPEC "Round file"): options with values (seed 002's 满意/基本满意/不满意
valued 2:1:0), or numbers in a range (万众评公务: 0–100, SPEC "Items and numeric marks").

Option values are :class:`fractions.Fraction` parsed from the text the user wrote, so
``0.8`` is exactly 4/5.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pydantic import Field, field_validator, model_validator

from pingyi.round.fields import Exact, Id, Section
from pingyi.round.numeric import Numeric, numeric_blank, numeric_codes


class Option(Section):
    """A scale point (选项): seed 002's 满意/基本满意/不满意 valued 2:1:0."""

    code: Id
    label: str
    value: Exact
    satisfied: bool = False
    valid: bool = Field(True, description="false: counted and reported, never scored")


class Blank(Section):
    """An abstention (弃权): seed 002 scores it 0.5; ``valid: false`` drops it everywhere."""

    label: str = "弃权"
    value: Exact = Fraction(0)
    valid: bool = True


RESERVED_CODES = ("blank", "invalid", "not_rated")


class Scale(Section):
    """Options (seed 002's 满意/基本满意/不满意), or numbers in a range (万众评公务: 0–100)."""

    options: list[Option] = []
    numeric: Numeric | None = None
    blank: Blank = Blank()

    @model_validator(mode="before")
    @classmethod
    def _numeric_blank(cls, data: Any) -> Any:
        return numeric_blank(data)

    @field_validator("options")
    @classmethod
    def _codes_unique(cls, options: list[Option]) -> list[Option]:
        seen: set[str] = set()
        for option in options:
            if option.code in seen:
                raise ValueError(f"option code '{option.code}' is used twice")
            if option.code in RESERVED_CODES:
                raise ValueError(f"option code '{option.code}' is reserved")
            seen.add(option.code)
        if options and not any(option.valid for option in options):
            raise ValueError("at least one option must be valid")
        return options

    @model_validator(mode="after")
    def _options_or_numeric(self) -> Scale:
        if self.numeric is None and not self.options:
            raise ValueError("a scale has options (a list) or numeric: {min, max}")
        if self.numeric is not None and self.options:
            raise ValueError("a scale has options or numeric, not both")
        return self

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


def mark_options(scale: Scale, line: Fraction | None) -> list[Option]:
    """What a valid mark is counted as: the scale's options, or for a numeric scale
    ``satisfied``/``unsatisfied`` against the satisfied ``line`` (``number`` without one)."""
    if scale.numeric is None:
        return list(scale.options)
    return [
        Option(code=code, label=label, value=Fraction(0), satisfied=satisfied)
        for code, label, satisfied in numeric_codes(line)
    ]
