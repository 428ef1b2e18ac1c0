"""Cross-checks of items and numeric marks (SPEC "Items and numeric marks"), each located.

Item ids are unique; ``ballots.item_column`` names ``{unit}`` and ``{item}``; forms list
units and ``unit.item`` cells the round has; every cell reads a column of its own that is
not the sheet id, stratum or form column; the satisfied line lies in the numeric range;
numeric marks have no option aliases; a figure without a satisfied line is not tested;
a grading or component is not named like a scores.csv item column (``item_<id>``). Keys
that only rounds with items (or numeric marks) use are errors elsewhere, never ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from pingyi.numbers import plain
from pingyi.round.items import Item, cell_id, form_entry
from pingyi.round.yamlfile import Path_


class Reporter(Protocol):
    def add(self, path: Path_, code: str, message: str) -> None: ...


def check_items(report: Reporter, values: dict[str, Any], unit_ids: list[str] | None) -> None:
    """Add a located problem for every item and numeric key that cannot work as written.
    ``unit_ids`` is None when the units did not validate (references are not checked)."""
    raw_items: list[Item | None] = values.get("items") or []
    items = [item for item in raw_items if item is not None]
    _unique_items(report, raw_items)
    ballots = values.get("ballots")
    if ballots is not None:
        _check_item_keys(report, ballots, bool(raw_items))
    if unit_ids is not None and None not in raw_items:
        item_ids = list(dict.fromkeys(i.id for i in items))
        check_forms(report, values.get("forms") or {}, unit_ids, item_ids)
    for i, item in enumerate(raw_items):
        taken = {g.id for g in values.get("grades") or [] if g is not None}
        composite = values.get("composite")
        taken |= {c.name for c in composite.components} if composite is not None else set()
        if item is not None and f"item_{item.id}" in taken:
            report.add(
                ("items", i, "id"),
                "reserved_id",
                f"item '{item.id}' makes the scores.csv column 'item_{item.id}', which a grading or "
                "composite component already names; choose another id",
            )
    _check_numeric(report, values)


def _unique_items(report: Reporter, items: list[Item | None]) -> None:
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item is None:
            continue
        if item.id in first:
            report.add(
                ("items", i, "id"),
                "duplicate_id",
                f"item id '{item.id}' is used twice (first as item {first[item.id] + 1})",
            )
        first.setdefault(item.id, i)


def _check_item_keys(report: Reporter, ballots: Any, has_items: bool) -> None:
    given = ballots.model_fields_set
    if not has_items:
        for key in ("item_column", "item"):
            if key in given:
                report.add(
                    ("ballots", key),
                    "bad_value",
                    f"ballots.{key} is for rounds with items: add items, or remove it",
                )
        return
    template = ballots.item_column
    missing = [p for p in ("{unit}", "{item}") if p not in template]
    if missing:
        report.add(
            ("ballots", "item_column"),
            "bad_value",
            f"'{template}' does not name {' and '.join(missing)} (expected a pattern like "
            '"{unit}.{item}", each unit × item its own column)',
        )
    if ballots.source != "paper":
        report.add(
            ("ballots", "source"),
            "bad_value",
            f"items are read from paper files (wide or long), not from {ballots.source} exports yet",
        )


def check_forms(
    report: Reporter, forms: dict[str, list[str]], unit_ids: list[str], item_ids: list[str]
) -> None:
    """Each form entry is a unit id (every item) or, with items, a ``unit.item`` cell, and
    no cell is listed twice on a form."""
    for form_id, listed in forms.items():
        seen: set[str] = set()
        for j, entry in enumerate(listed):
            found = form_entry(entry, unit_ids, item_ids if item_ids else [])
            where = ("forms", form_id, j)
            if found is None:
                _unknown(report, where, entry, unit_ids, item_ids)
                continue
            if len(found) > 1:
                report.add(
                    where,
                    "bad_value",
                    f"'{entry}' can be read as "
                    + " or ".join(f"unit '{u}' item '{i}'" for u, i in found)
                    + " (rename a unit or item)",
                )
                continue
            unit, item = found[0]
            cells = {cell_id(unit, i) for i in item_ids} if item is None and item_ids else {entry}
            if cells & seen:
                what = "unit" if item is None else "item"
                report.add(where, "duplicate_id", f"{what} '{entry}' is listed twice on form '{form_id}'")
            seen |= cells


def _unknown(report: Reporter, where: Path_, entry: str, unit_ids: list[str], item_ids: list[str]) -> None:
    units = _listed(unit_ids)
    unit, dot, item = entry.rpartition(".")
    if item_ids and dot and unit in unit_ids:
        message = f"'{entry}': '{item}' is not an item (known: {_listed(item_ids)})"
    elif item_ids:
        message = f"'{entry}' is not a unit or a unit.item (units: {units}; items: {_listed(item_ids)})"
    else:
        message = f"'{entry}' is not a unit (known: {units})"
    report.add(where, "unknown_reference", message)


def _listed(ids: Iterable[str]) -> str:
    known = list(ids)
    return ", ".join(known[:12]) + (", …" if len(known) > 12 else "")


def _check_numeric(report: Reporter, values: dict[str, Any]) -> None:
    scale, satisfaction = values.get("scale"), values.get("satisfaction")
    line = satisfaction.satisfied_at_least if satisfaction is not None else None
    if scale is None:
        return
    numeric = scale.numeric
    if numeric is None:
        if line is not None:
            report.add(
                ("satisfaction", "satisfied_at_least"),
                "bad_value",
                "satisfied_at_least is the satisfied line of numeric marks (scale.numeric); "
                "options say satisfied: true instead",
            )
        return
    if line is not None and not numeric.min <= line <= numeric.max:
        report.add(
            ("satisfaction", "satisfied_at_least"),
            "bad_value",
            f"{plain(line)} is outside the scale's range {plain(numeric.min)}–{plain(numeric.max)}",
        )
    ballots = values.get("ballots")
    if ballots is not None and ballots.marks:
        report.add(
            ("ballots", "marks"),
            "bad_value",
            "ballots.marks maps cell text to options; numeric marks are read as numbers "
            "(name blank and invalid texts in blank_codes and invalid_codes)",
        )
    if ballots is not None and ballots.source != "paper" and not values.get("items"):
        report.add(
            ("ballots", "source"),
            "bad_value",
            f"numeric marks are read from paper files (wide or long), not from {ballots.source} exports yet",
        )
    if values.get("corrections") is not None:
        report.add(
            ("corrections",),
            "bad_value",
            "corrections of numeric marks are not supported yet (correct the ballot file, and say so)",
        )
    if line is None:
        _no_rate(report, values)


def _no_rate(report: Reporter, values: dict[str, Any]) -> None:
    """Without a satisfied line numeric marks have no 满意率: a rule that tests one would
    never hold, so it is an error."""
    awards = values.get("awards")
    rule = awards.rectification if awards is not None else None
    tests: list[Path_] = []
    if rule is not None and rule.below is not None and rule.measure == "satisfaction_rate":
        tests.append(("awards", "rectification", "below"))
    for i, grading in enumerate(values.get("grades") or []):
        for j, band in enumerate(grading.bands if grading is not None else []):
            if band.measure == "satisfaction_rate":
                tests.append(("grades", i, "bands", j, "measure"))
    among = awards.last_place_among if awards is not None else None
    if getattr(among, "measure", None) == "satisfaction_rate":
        tests.append(("awards", "last_place_among", "measure"))
    for i, category in enumerate(values.get("categories") or []):
        for key in ("winners_require", "last_place_among"):
            if getattr(getattr(category, key, None), "measure", None) == "satisfaction_rate":
                tests.append(("categories", i, key, "measure"))
    for path in tests:
        report.add(
            path,
            "missing_key",
            "numeric marks have a 满意率 only with satisfaction.satisfied_at_least (e.g. 60)",
        )
