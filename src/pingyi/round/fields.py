"""The value types every round-file section is built from: exact numbers, ids, and the
frozen, closed :class:`Section` (unknown keys are errors).

Numbers that feed scores and thresholds are :class:`fractions.Fraction`, parsed from the
text the user wrote, so ``0.8`` is exactly 4/5 (SPEC "Correctness rules").
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator
from pydantic_core import PydanticCustomError

#: Longer numbers are no round's figures, and past Python's int-to-text limit they crash.
MAX_DIGITS = 60
_DECIMAL = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*(%?)\s*$")
_RATIO = re.compile(r"^\s*[-+]?\d+\s*/\s*\d+\s*$")


def to_fraction(value: Any) -> Fraction:
    """Read an exact number: ``2``, ``0.8`` (exactly 4/5), ``"2/3"``, ``"90%"``.

    A YAML float is read back through its shortest decimal text (``repr``), which is the
    text the user wrote, so no binary rounding leaks into a threshold.
    """
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
    if len(str(value)) > MAX_DIGITS:
        raise ValueError(f"a number of more than {MAX_DIGITS} digits is not a round's number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("expected a finite number")
        return Fraction(repr(value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str):
        match = _DECIMAL.match(value)
        if match:
            number = Fraction(value.strip().rstrip("%").strip())
            return number / 100 if match.group(3) else number
        if _RATIO.match(value):
            num, den = value.split("/")
            if int(den) == 0:
                raise ValueError("division by zero")
            return Fraction(int(num), int(den))
    raise ValueError(f"expected a number like 2, 0.8, 2/3 or 90% (got {written(value)})")


def written(value: Any) -> str:
    """A value that is not a number, in a message: text quoted, anything else by its kind
    (never Python's repr)."""
    if isinstance(value, str):
        return f"'{value}'"
    kinds = {type(None): "nothing", list: "a list", dict: "a mapping"}
    return kinds.get(type(value), str(value))


def fraction_text(value: Fraction) -> str:
    """A fraction as the shortest exact text: ``2``, ``4/5``."""
    return str(value)


Exact = Annotated[Fraction, PlainValidator(to_fraction), PlainSerializer(fraction_text)]
Id = Annotated[str, Field(min_length=1, pattern=r"^\S(.*\S)?$")]


class Section(BaseModel):
    """Base of every round-file section: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def to_count(value: Any) -> int | Fraction:
    """A number of units (``5``) or a share of a category (``30%``, ``0.3``, ``1/3``).

    Whole numbers are counts; anything with a decimal point, a slash or a percent sign
    is a share between 0 and 1 (沈阳: advanced units are the top 30 % of a category).
    """
    if isinstance(value, bool):
        raise ValueError("expected a number of units or a share, got a yes/no value")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("expected a number of units, 0 or more")
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    try:
        share = to_fraction(value)
    except ValueError:
        raise PydanticCustomError(
            "count_type",
            "expected a number of units like 5 or a share like 30% (got {value})",
            {"value": written(value)},
        ) from None
    if not 0 <= share <= 1:
        raise ValueError("a share of a category is between 0 and 100%")
    return share


def count_text(value: int | Fraction) -> int | str:
    return value if isinstance(value, int) else str(value)


#: A count of units or a share of a category (``winners``, ``last_place``).
Count = Annotated[int | Fraction, PlainValidator(to_count), PlainSerializer(count_text)]
