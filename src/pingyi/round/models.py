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
from typing import Literal

from pydantic import (
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from pingyi.round.fields import Count, Exact, Id, Section, fraction_text, to_fraction
from pingyi.round.grading import GradeRequirement, Grading, MeasureRequirement
from pingyi.round.items import ITEM_COLUMN, Item
from pingyi.round.online import OnlineKeys
from pingyi.round.scale import RESERVED_CODES, Blank, Option, Scale, mark_options

__all__ = [
    "RESERVED_CODES",
    "Blank",
    "Count",
    "Exact",
    "Grading",
    "Id",
    "Option",
    "Scale",
    "Section",
    "fraction_text",
    "mark_options",
    "to_fraction",
]

#: How a share of a category becomes a number of units (30 % of 7 units: 2, 2 or 3).
ShareRounding = Literal["down", "half_up", "up"]


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
    satisfied_at_least: Exact | None = Field(None, description="numeric marks: the satisfied line")
    precision: int = Field(2, ge=0, le=10)
    shares_rounding: Literal["half_up", "truncate", "largest_remainder"] = "half_up"


class Rectification(Section):
    """重点整改单位: rate below a threshold, apart from last-place units (seed 002)."""

    below: Exact | None = None
    grade: dict[str, str] | None = Field(None, min_length=1, max_length=1)
    measure: Literal["satisfaction_rate", "score"] = "satisfaction_rate"
    excluding: list[Literal["last_place", "winner"]] = ["last_place"]

    @model_validator(mode="after")
    def _below_or_grade(self) -> Rectification:
        if self.below is None and self.grade is None:
            raise ValueError("rectification needs one of below (a line) or grade ({grading: grade})")
        if self.below is not None and self.grade is not None:
            raise ValueError(
                "rectification has both below (a line) and grade; give one (a round drops its "
                "scheme's line with below: null)"
            )
        return self


class Awards(Section):
    last_place: Count = 1
    last_place_rounding: ShareRounding = "down"
    last_place_among: MeasureRequirement | None = None
    rectification: Rectification | None = None
    veto_blocks: list[Literal["winner", "bonus"]] = ["winner"]


class Sheets(Section):
    """When a whole sheet is void (废票)."""

    invalid_if_all_blank: bool = True
    invalid_if_invalid_marks_over: Exact | None = None
    max_share: dict[str, Exact] | None = Field(
        None, description="option code -> the most of a sheet's rated units it may get (比例制)"
    )

    @field_validator("max_share")
    @classmethod
    def _caps(cls, caps: dict[str, Fraction] | None) -> dict[str, Fraction] | None:
        for code, share in (caps or {}).items():
            if not 0 <= share <= 1:
                raise ValueError(f"max_share.{code}: expected a share between 0 and 1 (e.g. 1/3)")
        return caps

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
    winners: Count = 0
    winners_rounding: ShareRounding = "down"
    winners_require: GradeRequirement | MeasureRequirement | None = None
    ranked: bool = True
    last_place: Count | None = None
    last_place_among: MeasureRequirement | None = None


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
    """One term of a composite result (seed 003: own 30 % + lower 60 % + daily 10 %).

    ``source: results`` reads another round's results directory (``path``), its
    ``measure`` per unit; ``units`` maps this round's unit id to the other round's unit
    ids, whose values are averaged (seed 003: 下级评议结果占60%; a 局 from its 文化站)."""

    name: Id
    label: str | None = None
    source: Literal["score", "satisfaction_rate", "adjustment", "results"] = "score"
    column: str | None = None
    path: str | None = None
    measure: Literal["score", "satisfaction_rate", "composite"] = "score"
    units: dict[str, list[str]] = {}
    weight: Exact

    @model_validator(mode="after")
    def _source_needs(self) -> Component:
        if self.source == "adjustment" and not self.column:
            raise ValueError("a component with source: adjustment names its column")
        if self.source == "results" and not self.path:
            raise ValueError("a component with source: results names the results directory (path)")
        if self.source != "results" and (self.path or self.units or "measure" in self.model_fields_set):
            raise ValueError("path, measure and units belong to a component with source: results")
        for unit, others in self.units.items():
            if not others:
                raise ValueError(f"units.{unit}: name at least one unit of the other round")
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


class Ballots(OnlineKeys):
    """How the scanned files are laid out; column names and mark codes of the reader."""

    layout: Literal["wide", "long"] = "wide"
    sheet_id: str = "sheet"
    stratum: str = "stratum"
    form: str | None = None
    unit: str = "unit"
    item: str = "item"  # the long layout's item column, in a round with items
    mark: str = "mark"
    columns: dict[str, str] = {}
    item_column: str = ITEM_COLUMN  # the wide column of a unit × item
    marks: dict[str, str] = {}
    blank_codes: list[str] = []
    invalid_codes: list[str] = []
    encoding: Literal["auto", "utf-8", "utf-8-sig", "gb18030", "gbk"] = "auto"
    sheet: str | None = None
    delimiter: str = ","

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, delimiter: str) -> str:
        """The CSV reader splits lines on one ASCII character; a line break would end every
        cell, and the double quote opens quoted cells. Refused here, at the round file's key,
        rather than by the reader, in its words, against a ballot file."""
        if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '\r\n"':
            raise ValueError(
                "the delimiter is one ASCII character other than a line break or '\"' "
                "(e.g. ',', ';', '|', or \"\\t\" for a tab)"
            )
        return delimiter


class Confidence(Section):
    """How sure each rank is (SPEC "How sure is a rank?"): a seeded Poisson bootstrap of
    the sheets within their strata; ``replicates: 0`` turns it off."""

    replicates: int = Field(1000, ge=0, le=5000)
    seed: int = Field(2026, ge=0, lt=2**63)
    level: Exact = Fraction(95, 100)

    @field_validator("level")
    @classmethod
    def _level(cls, level: Fraction) -> Fraction:
        if not 0 < level < 1:
            raise ValueError("level is a share between 0 and 1, e.g. 0.95")
        return level


class Audit(Section):
    """Who counts (SPEC "Audit"): a round counted under a notary's eye names its operator."""

    operator_required: bool = False


# --- the round ---------------------------------------------------------------------------


class Round(Section):
    """One appraisal round: its scheme's rules merged with its own units and strata."""

    round: Id
    title: str | None = None
    date: str | None = None
    scheme: str | None = None
    operator: str | None = Field(None, min_length=1, description="who runs the count (--operator overrides)")
    audit: Audit = Audit()
    confidence: Confidence | None = None
    scale: Scale
    scoring: Scoring = Scoring()
    satisfaction: Satisfaction = Satisfaction()
    awards: Awards = Awards()
    sheets: Sheets = Sheets()
    categories: list[Category] = Field(min_length=1)
    strata: list[Stratum] = Field(min_length=1)
    quotas: list[Quota] = []
    units: list[Unit] = Field(min_length=1)
    items: list[Item] = []
    forms: dict[str, list[str]] | None = None
    veto: list[str] = []
    previous: str | None = None
    adjustments: str | None = None
    composite: Composite | None = None
    movement: Movement | None = None
    escalation: Escalation | None = None
    opinions: Opinions | None = None
    members: int | None = Field(None, ge=1, description="the body's full membership (全体组成人员)")
    grades: list[Grading] = []
    ballots: Ballots = Ballots()
    corrections: str | None = Field(None, description="supervised corrections of misreads (SPEC 'Audit')")

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

    def last_place_of(self, category: Category) -> int | Fraction:
        """The category's last places: a number of units, or a share of its ranked units."""
        return self.awards.last_place if category.last_place is None else category.last_place

    def last_place_among_of(self, category: Category) -> MeasureRequirement | None:
        return category.last_place_among or self.awards.last_place_among

    def grading(self, grading_id: str) -> Grading | None:
        return next((g for g in self.grades if g.id == grading_id), None)

    def mark_options(self) -> list[Option]:
        """What a valid mark is counted as: the scale's options, or for a numeric scale
        ``satisfied``/``unsatisfied`` (or ``number``) (pingyi.round.numeric)."""
        return mark_options(self.scale, self.satisfaction.satisfied_at_least)


#: Keys any round or scheme file may hold besides the Round fields.
ANY_FILE_KEYS = ("extends",)
