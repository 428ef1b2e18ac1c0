"""Cross-checks between the sections of a round: references, uniqueness, files named.

Each check runs when the sections it reads are valid, so a broken ``scale`` does not hide
a duplicate unit id. Each problem points at the line of the offending value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pingyi.errors import Problem, refused_path
from pingyi.round.item_checks import check_items
from pingyi.round.items import columns_of
from pingyi.round.models import (
    Awards,
    Ballots,
    Category,
    Composite,
    Quota,
    Satisfaction,
    Scale,
    Scoring,
    Stratum,
    Unit,
    mark_options,
)
from pingyi.round.online_checks import check_online
from pingyi.round.practice_checks import check_practice
from pingyi.round.yamlfile import Located, Path_, format_path


class _Reporter:
    def __init__(self, doc: Located, display: str) -> None:
        self.doc = doc
        self.display = display
        self.problems: list[Problem] = []

    def add(self, path: Path_, code: str, message: str) -> None:
        file, line = self.doc.locate(path, self.display)
        self.problems.append(Problem(file, line, format_path(path), code, message))


def cross_check(values: dict[str, Any], doc: Located, display: str, base_dir: Path) -> list[Problem]:
    """Every cross-section problem among the sections that validated (``values``)."""
    report = _Reporter(doc, display)
    categories: list[Category | None] = values.get("categories", [])
    strata: list[Stratum | None] = values.get("strata", [])
    units: list[Unit | None] = values.get("units", [])
    _unique(report, "categories", [c.id if c else None for c in categories], "category id")
    _unique(report, "strata", [s.id if s else None for s in strata], "stratum id")
    _unique(report, "units", [u.id if u else None for u in units], "unit id")
    unit_ids = list(dict.fromkeys(u.id for u in units if u))
    stratum_ids = list(dict.fromkeys(s.id for s in strata if s))
    # A reference is checked only against a list that validated whole: with one bad
    # category, "not a category" could be wrong.
    has = {key for key, value in values.items() if not (isinstance(value, list) and None in value)}
    if {"categories", "units"} <= has:
        known = [c.id for c in categories if c]
        for i, unit in enumerate(units):
            if unit:
                _known(report, ("units", i, "category"), unit.category, known, "category")
    # awards in the file but invalid: no default stands in for it
    awards: Awards | None = values.get("awards", Awards() if "awards" not in doc.data else None)
    if {"categories", "units"} <= has and awards is not None:
        _check_category_sizes(report, categories, units, awards)
    _check_rectification(report, awards)
    if "units" in has:
        for i, unit_id in enumerate(values.get("veto", [])):
            _known(report, ("veto", i), unit_id, unit_ids, "unit")
    check_items(report, values, unit_ids if "units" in has else None)
    if "strata" in has:
        quotas: list[Quota | None] = values.get("quotas", [])
        for i, quota in enumerate(quotas):
            for j, stratum_id in enumerate(quota.strata if quota else []):
                _known(report, ("quotas", i, "strata", j), stratum_id, stratum_ids, "stratum")
    codes = _codes(values["scale"], values.get("satisfaction", Satisfaction())) if "scale" in has else []
    if {"scale", "scoring"} <= has:
        _check_tie_break(report, values["scoring"], codes)
    items = values.get("items") or []
    if "scale" in has and "units" in values and None not in items:
        item_ids = list(dict.fromkeys(i.id for i in items))
        options = codes[:-2] if values["scale"].numeric is None else []  # numbers: item_checks
        _check_ballots(report, values.get("ballots", Ballots()), options, unit_ids, item_ids)
    check_online(report, values)
    _check_composite(report, values)
    check_practice(report, values, base_dir)
    for key in ("adjustments", "previous", "corrections"):
        _check_path(report, key, values.get(key), base_dir)
    opinions = values.get("opinions")
    refused = refused_path(base_dir / opinions.file, opinions.file) if opinions is not None else None
    if refused:
        report.add(("opinions", "file"), "os_error", refused)
    elif opinions is not None and not (base_dir / opinions.file).is_file():
        report.add(
            ("opinions", "file"),
            "file_not_found",
            f"file '{opinions.file}' not found (looked in {base_dir / opinions.file})",
        )
    return report.problems


def _unique(report: _Reporter, section: str, ids: list[str | None], what: str) -> None:
    first: dict[str, int] = {}
    for i, item_id in enumerate(ids):
        if item_id is None:
            continue
        if item_id in first:
            _, line = report.doc.locate((section, first[item_id]), report.display)
            report.add(
                (section, i, "id"), "duplicate_id", f"{what} '{item_id}' is used twice (first on line {line})"
            )
        else:
            first[item_id] = i


def _known(report: _Reporter, path: Path_, value: str, known: Iterable[str], what: str) -> None:
    known = list(known)
    if value not in known:
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        report.add(path, "unknown_reference", f"'{value}' is not a {what} (known: {listed})")


def _codes(scale: Scale, satisfaction: Satisfaction) -> list[str]:
    return [o.code for o in mark_options(scale, satisfaction.satisfied_at_least)] + ["blank", "invalid"]


def _check_tie_break(report: _Reporter, scoring: Scoring, codes: list[str]) -> None:
    for i, key in enumerate(scoring.tie_break):
        if ":" in key:
            _known(report, ("scoring", "tie_break", i), key.split(":", 1)[1], codes, "mark code")


def _check_ballots(
    report: _Reporter, ballots: Ballots, codes: list[str], unit_ids: list[str], item_ids: list[str]
) -> None:
    """Mapped columns name units (or, with items, ``unit.item`` cells) and options; each
    unit (cell) reads a column of its own that is not a fixed column."""
    cells = columns_of(ballots, unit_ids, item_ids)
    keys = unit_ids + ([cell for cell, _ in cells] if item_ids else [])
    for key in ballots.columns:
        _known(
            report, ("ballots", "columns", key), key, keys, "unit" if not item_ids else "unit or unit.item"
        )
    for read, code in ballots.marks.items():
        if codes:  # numeric marks have no aliases (item_checks)
            _known(report, ("ballots", "marks", read), code, codes, "scale option")
    if item_ids and not ("{unit}" in ballots.item_column and "{item}" in ballots.item_column):
        return  # every cell reads one column: item_checks says why
    fixed = {ballots.sheet_id, ballots.stratum} | ({ballots.form} if ballots.form else set())
    what = "item" if item_ids else "unit"
    for key, column in cells:
        if column in fixed:
            report.add(
                ("ballots", "columns", key)
                if key in ballots.columns
                else (("ballots", "item_column") if item_ids else ("units",)),
                "bad_value",
                f"{what} '{key}' reads column '{column}', which is the sheet id, "
                "stratum or form column (map it elsewhere in ballots.columns)",
            )
    taken: dict[str, str] = {}
    for key, column in cells:
        if column in taken:
            report.add(
                ("ballots", "columns", key)
                if key in ballots.columns or not item_ids
                else ("ballots", "item_column"),
                "duplicate_id",
                f"{what}s '{taken[column]}' and '{key}' both read column '{column}'",
            )
        taken[column] = key


def _check_category_sizes(
    report: _Reporter, categories: list[Category | None], units: list[Unit | None], awards: Awards
) -> None:
    """Every category has units, and no more winners and last places than units: with
    more, one unit would be both 优胜 and 末位 (seed 002's lists are disjoint)."""
    sizes = Counter(u.category for u in units if u)
    for i, category in enumerate(categories):
        if category is None:
            continue
        size = sizes[category.id]
        if size == 0:
            report.add(
                ("categories", i),
                "empty_category",
                f"category '{category.id}' has no units (give units this category, or remove it)",
            )
            continue
        last = awards.last_place if category.last_place is None else category.last_place
        winners = category.winners
        if not (category.ranked and isinstance(winners, int) and isinstance(last, int)):
            continue  # unranked, or shares of the category (rounded by the engine)
        if winners and last and winners + last > size:
            report.add(
                ("categories", i, "winners"),
                "awards_exceed_units",
                f"{winners} winners and {last} last place(s) in category '{category.id}', which has "
                f"{size} units: one unit would be both 优胜 and 末位 "
                f"(expected at most {max(size - last, 0)} winners, or ranked: false)",
            )


def _check_rectification(report: _Reporter, awards: Awards | None) -> None:
    rule = awards.rectification if awards else None
    if rule is None or rule.below is None or rule.measure != "satisfaction_rate":
        return
    if not 0 <= rule.below <= 1:
        report.add(
            ("awards", "rectification", "below"),
            "bad_value",
            f"a satisfaction rate is between 0 and 1 (e.g. 0.90 or 90%), got {float(rule.below):g}",
        )


def _check_composite(report: _Reporter, values: dict[str, Any]) -> None:
    composite: Composite | None = values.get("composite")
    if composite is None:
        return
    needs_file = any(c.source == "adjustment" for c in composite.components) or composite.deductions
    if needs_file and not values.get("adjustments"):
        report.add(
            ("composite",),
            "missing_key",
            "components from adjustments (or deductions) need an 'adjustments' file",
        )


def _check_path(report: _Reporter, key: str, value: str | None, base_dir: Path) -> None:
    if value is None:
        return
    path = base_dir / value
    refused = refused_path(path / "results.json" if key == "previous" else path, value)
    if refused:
        report.add((key,), "os_error", refused)
        return
    if key == "previous":
        if not (path / "results.json").is_file():
            report.add(
                (key,), "file_not_found", f"'{value}' is not a results directory (no results.json in {path})"
            )
    elif not path.is_file():
        report.add((key,), "file_not_found", f"file '{value}' not found (looked in {path})")
