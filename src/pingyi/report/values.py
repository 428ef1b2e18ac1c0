"""Figures of a results document as reports store them: rounded as the scheme shows them,
with the Excel number format of the scheme's precision."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingyi.numbers import Shown


class Figures:
    def __init__(self, document: dict[str, Any]) -> None:
        self.shown = Shown.of_document(document)
        places = self.shown.score_places, self.shown.percent_places
        self.score_format = "0" + ("." + "0" * places[0] if places[0] else "")
        self.rate_format = "0" + ("." + "0" * places[1] if places[1] else "") + "%"
        self.units = {u["id"]: u for u in document["units"]}
        self.document = document

    def score(self, exact: str | None) -> float | None:
        text = self.shown.score(exact)
        return None if text is None else float(text)

    def rate(self, exact: str | None) -> float | None:
        """A 0–1 rate rounded so that its percentage shows the scheme's decimals."""
        text = self.shown.share(exact)
        return None if text is None else float(text)

    def listing(self, category: dict[str, Any], u: dict[str, Any]) -> list[Any]:
        """The first cells of a unit's row in a listing across categories: category,
        rank, name, id, score and 满意率 (award lists, the items sheet)."""
        score, rate = self.score(u["score_exact"]), self.rate(u["satisfaction_rate_exact"])
        return [category["name"], u["rank"], u["name"], u["id"], score, rate]

    def rate_threshold(self) -> float | None:
        """The rectification line as a 0–1 rate, where units are ordered to rectify below one."""
        rule = self.document.get("rectification")
        line = rectification_line(self.document)
        if line is None or rule is None or rule.get("measure") != "satisfaction_rate":
            return None
        return float(line)


def rectification_line(document: dict[str, Any]) -> Fraction | None:
    """The exact line below which units are ordered to rectify; None where the round has
    no rule, or orders rectification by a grade instead of a line."""
    rule = document.get("rectification")
    below = rule.get("below") if isinstance(rule, dict) else None  # null: a rule by grade
    try:
        return None if below is None else Fraction(below)
    except (TypeError, ValueError):  # "None": a rule by grade, as older results wrote it
        return None
