"""Written opinions (seed 000: 表四、表五 的意见建议 are typed in, classified and fed back to
each unit with its score and rank).

The opinions file (CSV or XLSX) has a ``unit`` and a ``text`` column, and optionally
``sheet`` and ``stratum``. Each opinion falls in the first class of the round's keyword
table whose keyword occurs in its text, or in the ``other`` class; so the classes of a
unit add up to its count. Text is kept exactly as typed: it is data, never a formula.
"""

from __future__ import annotations

from dataclasses import dataclass

from pingyi.errors import PingyiError, Problem
from pingyi.round.models import Opinions, Round
from pingyi.round.tablefile import read_rows


@dataclass(frozen=True)
class Opinion:
    unit: str
    text: str
    opinion_class: str
    stratum: str
    sheet: str


def classify(rules: Opinions, text: str) -> str:
    for label, keywords in rules.classes.items():
        if any(keyword and keyword in text for keyword in keywords):
            return label
    return rules.other


def read_opinions(r: Round) -> tuple[list[Opinion], list[str]]:
    """Every opinion of the round in file order, and warnings (rows without text)."""
    if r.opinions is None:
        return [], []
    display = r.opinions.file
    rows = read_rows(r.base_dir / display, display, ("unit", "text"))
    known = {u.id for u in r.units}
    opinions, problems, empty = [], [], 0
    for line, cells in rows:
        unit, text = cells["unit"], cells["text"]
        if unit not in known:
            problems.append(
                Problem(display, line, "unit", "unknown_unit", f"unit '{unit}' is not a unit of the round")
            )
        elif not text:
            empty += 1
        else:
            opinions.append(
                Opinion(
                    unit, text, classify(r.opinions, text), cells.get("stratum", ""), cells.get("sheet", "")
                )
            )
    if problems:
        raise PingyiError(problems)
    warnings = [f"{display}: {empty} rows without text skipped"] if empty else []
    return opinions, warnings


def class_order(rules: Opinions) -> list[str]:
    return [*rules.classes, rules.other]
