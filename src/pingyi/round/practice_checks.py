"""Cross-checks of the keys from practice (SPEC "Contracts added from practice"): every
grade, band, requirement and cap names something the round has, each problem located.

A band's ``options`` are option codes (or ``blank``); ``of: members`` needs the round's
``members`` and ``of: issued`` a stratum that says ``issued``; a ``composite`` measure
needs a composite; a grade named by ``rectification`` or ``winners_require`` is one of
its grading's grades; a sheet cap names an option.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from pingyi.errors import refused_path
from pingyi.round.grading import GradeRequirement, Grading, MeasureRequirement
from pingyi.round.models import Option, Satisfaction, mark_options
from pingyi.round.yamlfile import Path_


class Reporter(Protocol):
    def add(self, path: Path_, code: str, message: str) -> None: ...


def check_practice(report: Reporter, values: dict[str, Any], base_dir: Path) -> None:
    """Add a located problem for every dangling name in the practice keys."""
    _check_sources(report, values, base_dir)
    scale = values.get("scale")
    codes = [o.code for o in _options(values)] + ["blank"] if scale is not None else None
    gradings: dict[str, Grading] = {}
    for i, grading in enumerate(values.get("grades") or []):
        if grading is None:
            continue
        if grading.id in gradings:
            report.add(("grades", i, "id"), "duplicate_id", f"grading id '{grading.id}' is used twice")
        taken = _column_names(values)
        if grading.id in taken or grading.id.startswith("share_"):
            report.add(
                ("grades", i, "id"),
                "reserved_id",
                f"grading id '{grading.id}' is a column of scores.csv already; choose another id",
            )
        gradings[grading.id] = grading
        _check_bands(report, values, i, grading, codes)
    awards = values.get("awards")
    rectification = awards.rectification if awards is not None else None
    if rectification is not None and rectification.grade is not None:
        _check_grade(report, ("awards", "rectification", "grade"), rectification.grade, gradings)
    if awards is not None and awards.last_place_among is not None:
        _check_measure(report, ("awards", "last_place_among", "measure"), awards.last_place_among, values)
    for i, category in enumerate(values.get("categories") or []):
        if category is None:
            continue
        require = category.winners_require
        if isinstance(require, GradeRequirement):
            _check_grade(report, ("categories", i, "winners_require", "grade"), require.grade, gradings)
        elif isinstance(require, MeasureRequirement):
            _check_measure(report, ("categories", i, "winners_require", "measure"), require, values)
        if category.last_place_among is not None:
            _check_measure(
                report, ("categories", i, "last_place_among", "measure"), category.last_place_among, values
            )
    _check_mark_texts(report, values)
    sheets = values.get("sheets")
    if sheets is not None and sheets.max_share and codes is not None:
        for code in sheets.max_share:
            _known(report, ("sheets", "max_share", code), code, codes[:-1], "an option code")


#: Optional per-unit columns of scores.csv (results/tables.py), where a round has them.
UNIT_EXTRA_COLUMNS = (
    "ballot_score",
    "deductions",
    "previous_rank",
    "rank_change",
    "bonus",
    "last_place_streak",
    "escalated",
)
#: The columns of scores.csv and of ``rank --format csv`` besides the gradings'.
SCORES_COLUMNS = (
    "category",
    "rank",
    "unit",
    "name",
    "score",
    "score_exact",
    "satisfaction_rate",
    "satisfaction_rate_exact",
    "blank",
    "invalid",
    "valid",
    "flags",
    *UNIT_EXTRA_COLUMNS,
    "id",
    "grade",
    "reasons",
)


def _column_names(values: dict[str, Any]) -> set[str]:
    scale, composite = values.get("scale"), values.get("composite")
    codes = {o.code for o in _options(values)} if scale is not None else set()
    components = {c.name for c in composite.components} if composite is not None else set()
    return set(SCORES_COLUMNS) | codes | components


def _options(values: dict[str, Any]) -> list[Option]:
    """The options marks are counted as (a numeric scale's too: pingyi.round.numeric)."""
    return mark_options(values["scale"], (values.get("satisfaction") or Satisfaction()).satisfied_at_least)


def _check_mark_texts(report: Reporter, values: dict[str, Any]) -> None:
    """A cell text means one thing: an option code, a ``marks`` alias, a blank code or an
    invalid code, never two (``invalid_codes: [A]`` would make every 满意 invalid)."""
    ballots, scale = values.get("ballots"), values.get("scale")
    if ballots is None or scale is None:
        return
    meaning = {o.code: "an option code" for o in scale.options}
    for text in ballots.marks:
        if not text.strip():
            report.add(
                ("ballots", "marks", text), "bad_value", "an empty cell is always blank; it cannot be a mark"
            )
            continue
        meaning.setdefault(text.strip(), "a marks alias")
    for key in ("blank_codes", "invalid_codes"):
        for index, text in enumerate(getattr(ballots, key)):
            if text.strip() in meaning:
                report.add(
                    ("ballots", key, index),
                    "bad_value",
                    f"'{text}' is {meaning[text.strip()]} already; a cell text means one thing",
                )
            meaning.setdefault(text.strip(), f"in {key}")


def _check_sources(report: Reporter, values: dict[str, Any], base_dir: Path) -> None:
    """A ``source: results`` component names a results directory that exists and maps
    units of this round."""
    composite = values.get("composite")
    units = values.get("units")
    unit_ids = [u.id for u in units if u is not None] if isinstance(units, list) else None
    for i, component in enumerate(composite.components if composite is not None else []):
        if component.source != "results" or component.path is None:
            continue
        refused = refused_path(base_dir / component.path / "results.json", component.path)
        if refused:
            report.add(("composite", "components", i, "path"), "os_error", refused)
        elif not (base_dir / component.path / "results.json").is_file():
            report.add(
                ("composite", "components", i, "path"),
                "file_not_found",
                f"no results.json in '{component.path}' (looked in {base_dir / component.path}); "
                "tally that round first",
            )
        for unit_id in component.units if unit_ids is not None else []:
            _known(
                report, ("composite", "components", i, "units", unit_id), unit_id, unit_ids or [], "a unit"
            )


def _check_bands(
    report: Reporter, values: dict[str, Any], i: int, grading: Grading, codes: list[str] | None
) -> None:
    has_issued = any(s is not None and s.issued is not None for s in values.get("strata") or [])
    for j, band in enumerate(grading.bands):
        where = ("grades", i, "bands", j)
        for k, code in enumerate(band.options or []):
            if codes is not None:
                _known(report, (*where, "options", k), code, codes, "an option code")
        if band.options is not None and band.of == "members" and values.get("members") is None:
            report.add(
                (*where, "of"),
                "missing_members",
                "of: members needs the round's members (全体组成人员), e.g. members: 35",
            )
        if band.options is not None and band.of == "issued" and not has_issued:
            report.add(
                (*where, "of"),
                "missing_issued",
                "of: issued needs strata that say how many sheets were issued",
            )
        if band.measure == "composite" and values.get("composite") is None:
            report.add(
                (*where, "measure"), "unknown_reference", "measure: composite needs a composite section"
            )


def _check_measure(
    report: Reporter, path: Path_, requirement: MeasureRequirement, values: dict[str, Any]
) -> None:
    if requirement.measure == "composite" and values.get("composite") is None:
        report.add(path, "unknown_reference", "measure: composite needs a composite section")


def _check_grade(report: Reporter, path: Path_, wanted: dict[str, str], gradings: dict[str, Grading]) -> None:
    for grading_id, grade in wanted.items():
        grading = gradings.get(grading_id)
        if grading is None:
            _known(report, (*path, grading_id), grading_id, gradings, "a grading")
        else:
            _known(report, (*path, grading_id), grade, grading.grades(), f"a grade of '{grading_id}'")


def _known(report: Reporter, path: Path_, value: str, known: Iterable[str], what: str) -> None:
    known = list(known)
    if value not in known:
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        report.add(path, "unknown_reference", f"'{value}' is not {what} (known: {listed or 'none'})")
