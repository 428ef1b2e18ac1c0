"""The round file's models: every key of the SPEC's round-file contract, and a few more.

Key names are the contract (SPEC "Round file"): they are never renamed, only added to.
Numbers that feed scores and thresholds (option values, weights, shares, the 90 % line)
are held as :class:`fractions.Fraction`, parsed from the text the user wrote, so ``0.8``
is exactly 4/5 and a unit at exactly 90 % is not below 90 % (SPEC "Correctness rules").
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    field_validator,
    model_validator,
)

_DECIMAL = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*(%?)\s*$")
_RATIO = re.compile(r"^\s*[-+]?\d+\s*/\s*\d+\s*$")


def to_fraction(value: Any) -> Fraction:
    """Read an exact number: ``2``, ``0.8`` (exactly 4/5), ``"2/3"``, ``"90%"``.

    A YAML float is read back through its shortest decimal text (``repr``), which is the
    text the user wrote, so no binary rounding leaks into a threshold.
    """
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
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
    raise ValueError(f"expected a number like 2, 0.8, 2/3 or 90% (got {value!r})")


def fraction_text(value: Fraction) -> str:
    """A fraction as the shortest exact text: ``2``, ``4/5``."""
    return str(value)


Exact = Annotated[Fraction, PlainValidator(to_fraction), PlainSerializer(fraction_text)]
Id = Annotated[str, Field(min_length=1, pattern=r"^\S(.*\S)?$")]


class Section(BaseModel):
    """Base of every round-file section: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


# --- scale -------------------------------------------------------------------------------


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
    options: list[Option] = Field(min_length=1)
    blank: Blank = Blank()

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
        if not any(option.valid for option in options):
            raise ValueError("at least one option must be valid")
        return options

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


# --- scoring, satisfaction, awards, sheets -----------------------------------------------

TIE_BREAK_FORM = re.compile(r"^(satisfaction_rate|valid|(count|fewest):\S+)$")


class Scoring(Section):
    """How a unit's score is formed from its counts (seed 002 sum; seed 003 mean × 100)."""

    method: Literal["sum", "mean", "weighted_mean"] = "sum"
    weighting: Literal["per_sheet", "stratum_share"] = "per_sheet"
    multiplier: Exact = Fraction(1)
    precision: int = Field(2, ge=0, le=10)
    rounding: Literal["half_up", "truncate"] = "half_up"
    tie_break: list[str] = []

    @field_validator("tie_break")
    @classmethod
    def _tie_break_form(cls, keys: list[str]) -> list[str]:
        for key in keys:
            if not TIE_BREAK_FORM.match(key):
                raise ValueError(
                    f"'{key}' is not a tie-break key (expected satisfaction_rate, valid, "
                    "count:CODE or fewest:CODE)"
                )
        return keys


class Satisfaction(Section):
    """满意率 = satisfied marks / denominator (seed 002: (满意+基本满意)/有效票)."""

    denominator: Literal["valid", "options"] = "valid"
    overall: Literal["pooled", "mean_of_units"] = "pooled"
    precision: int = Field(2, ge=0, le=10)


class Rectification(Section):
    """重点整改单位: rate below a threshold, apart from last-place units (seed 002)."""

    below: Exact
    measure: Literal["satisfaction_rate", "score"] = "satisfaction_rate"
    excluding: list[Literal["last_place", "winner"]] = ["last_place"]


class Awards(Section):
    last_place: int = Field(1, ge=0)
    rectification: Rectification | None = None
    veto_blocks: list[Literal["winner", "bonus"]] = ["winner"]


class Sheets(Section):
    """When a whole sheet is void (废票)."""

    invalid_if_all_blank: bool = True
    invalid_if_invalid_marks_over: Exact | None = None

    @field_validator("invalid_if_invalid_marks_over")
    @classmethod
    def _share(cls, value: Fraction | None) -> Fraction | None:
        if value is not None and not 0 <= value <= 1:
            raise ValueError("expected a share between 0 and 1")
        return value


# --- the round's own lists ---------------------------------------------------------------


class Category(Section):
    """类别: ranked and awarded separately (seed 002: top 5 / 3 / 2)."""

    id: Id
    name: str
    winners: int = Field(0, ge=0)
    ranked: bool = True
    last_place: int | None = Field(None, ge=0)


class Stratum(Section):
    """评议层面: a voter group with a weight coefficient (seed 000) and sheets issued."""

    id: Id
    name: str
    weight: Exact = Fraction(1)
    issued: int | None = Field(None, ge=0)

    @field_validator("weight")
    @classmethod
    def _positive(cls, weight: Fraction) -> Fraction:
        if weight <= 0:
            raise ValueError("a stratum's weight must be positive")
        return weight


class Quota(Section):
    """A composition rule on counted sheets (seed 002: service objects ≥ 60 %)."""

    strata: list[str] = Field(min_length=1)
    min_share: Exact | None = None
    max_share: Exact | None = None
    min_count: int | None = Field(None, ge=0)
    max_count: int | None = Field(None, ge=0)
    label: str | None = None

    @model_validator(mode="after")
    def _has_bound(self) -> Quota:
        shares = [s for s in (self.min_share, self.max_share) if s is not None]
        if any(not 0 <= s <= 1 for s in shares):
            raise ValueError("min_share and max_share are shares between 0 and 1")
        bounds = (self.min_share, self.max_share, self.min_count, self.max_count)
        if all(b is None for b in bounds):
            raise ValueError("a quota needs min_share, max_share, min_count or max_count")
        return self


class Unit(Section):
    """被评议单位."""

    id: Id
    name: str
    category: str


class Component(Section):
    """One term of a composite result (seed 003: own 30 % + lower 60 % + daily 10 %)."""

    name: Id
    label: str | None = None
    source: Literal["score", "satisfaction_rate", "adjustment"] = "score"
    column: str | None = None
    weight: Exact

    @model_validator(mode="after")
    def _column_for_adjustment(self) -> Component:
        if self.source == "adjustment" and not self.column:
            raise ValueError("a component with source: adjustment names its column")
        return self


class Composite(Section):
    """result = Σ weight × component − Σ deductions (seed 003)."""

    components: list[Component] = Field(min_length=1)
    deductions: list[str] = []


class Rise(Section):
    """A rank-movement band (seed 000: up ≥ 5 places +5, the two biggest risers advanced)."""

    at_least: int = Field(ge=1)
    bonus: Exact
    top_advanced: int = Field(0, ge=0)


class Movement(Section):
    """Bonuses for advanced units and for rising in rank against the previous round."""

    advanced_bonus: Exact = Fraction(10)
    advanced: list[Literal["winner"]] = ["winner"]
    rises: list[Rise] = []
    combine: Literal["max", "sum"] = "max"


class Escalation(Section):
    """Last place in this many rounds in a row escalates (seed 002: 连续两年末位)."""

    consecutive_last_place: int = Field(2, ge=2)


class Opinions(Section):
    """Written opinions (seed 000: 表四/表五 typed in, classified, fed back to each unit)."""

    file: str
    classes: dict[str, list[str]] = Field({}, description="class label -> keywords; first match wins")
    other: str = "其他"


class Ballots(Section):
    """How the scanned files are laid out; column names and mark codes of the reader."""

    layout: Literal["wide", "long"] = "wide"
    sheet_id: str = "sheet"
    stratum: str = "stratum"
    form: str | None = None
    unit: str = "unit"
    mark: str = "mark"
    columns: dict[str, str] = {}
    marks: dict[str, str] = {}
    blank_codes: list[str] = []
    invalid_codes: list[str] = []
    encoding: Literal["auto", "utf-8", "utf-8-sig", "gb18030", "gbk"] = "auto"
    sheet: str | None = None
    delimiter: str = Field(",", min_length=1, max_length=1)


# --- the round ---------------------------------------------------------------------------


class Round(Section):
    """One appraisal round: its scheme's rules merged with its own units and strata."""

    round: Id
    title: str | None = None
    date: str | None = None
    scheme: str | None = None
    scale: Scale
    scoring: Scoring = Scoring()
    satisfaction: Satisfaction = Satisfaction()
    awards: Awards = Awards()
    sheets: Sheets = Sheets()
    categories: list[Category] = Field(min_length=1)
    strata: list[Stratum] = Field(min_length=1)
    quotas: list[Quota] = []
    units: list[Unit] = Field(min_length=1)
    forms: dict[str, list[str]] | None = None
    veto: list[str] = []
    previous: str | None = None
    adjustments: str | None = None
    composite: Composite | None = None
    movement: Movement | None = None
    escalation: Escalation | None = None
    opinions: Opinions | None = None
    ballots: Ballots = Ballots()

    _base_dir: Path = PrivateAttr(default_factory=Path)
    _files: tuple[Path, ...] = PrivateAttr(default=())

    @property
    def base_dir(self) -> Path:
        """The round file's folder: relative paths in the round file start here."""
        return self._base_dir

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file the round was read from (round, schemes, units file), for hashing."""
        return self._files

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def last_place_of(self, category: Category) -> int:
        return self.awards.last_place if category.last_place is None else category.last_place


#: Keys any round or scheme file may hold besides the Round fields.
ANY_FILE_KEYS = ("extends",)
