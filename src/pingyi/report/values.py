"""Figures of a results document as reports store them: rounded as the scheme shows them,
with the Excel number format of the scheme's precision."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingyi.numbers import rounded


class Figures:
    def __init__(self, document: dict[str, Any]) -> None:
        shown = document["precision"]
        self.score_places, self.rate_places = shown["score"], shown["satisfaction_percent"]
        self.rounding = shown["rounding"]
        self.score_format = "0" + ("." + "0" * self.score_places if self.score_places else "")
        self.rate_format = "0" + ("." + "0" * self.rate_places if self.rate_places else "") + "%"
        self.units = {u["id"]: u for u in document["units"]}
        self.document = document

    def score(self, exact: str | None) -> float | None:
        return None if exact is None else float(rounded(Fraction(exact), self.score_places, self.rounding))

    def rate(self, exact: str | None) -> float | None:
        """A 0–1 rate rounded so that its percentage shows the scheme's decimals."""
        if exact is None:
            return None
        return float(rounded(Fraction(exact), self.rate_places + 2, self.rounding))

    def rate_threshold(self) -> float | None:
        rule = self.document.get("rectification")
        if rule is None or rule["measure"] != "satisfaction_rate":
            return None
        return float(Fraction(rule["below"]))
