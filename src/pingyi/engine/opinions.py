"""Written opinions (seed 000: 表四、表五 的意见建议 are typed in, classified and fed back to
each unit with its score and rank).

The opinions file (CSV or XLSX) has a ``unit`` and a ``text`` column, and optionally
``sheet`` and ``stratum``. Each opinion falls in the first class of the round's keyword
table whose keyword occurs in its text, or in the ``other`` class; so the classes of a
unit add up to its count. Text is kept exactly as typed: it is data, never a formula.
The file itself is read at the edge (:func:`pingyi.sidefiles.read_opinions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pingyi.round.models import Opinions


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


def class_order(rules: Opinions) -> list[str]:
    return [*rules.classes, rules.other]
