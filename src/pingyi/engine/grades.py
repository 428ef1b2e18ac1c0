"""Grading units (SPEC "Grades and verdicts"): the first band whose test holds.

Every test is exact: the share of a unit's marks is a :class:`~fractions.Fraction` of
integer counts, so with 40 members 20 满意 votes are exactly half and not *over* half.
The base matters (镇海区 人大常委会 测评): with 40 members and 29 present, 19 满意 votes
are a majority of the ballots returned, but not of ``members``; the verdict is then
基本满意. Each grade carries its reason in words, for the feedback workbook:
"满意票19张，未超过全体组成人员40人的半数".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from pingyi.engine.against import Relation, percent_against, shown_against
from pingyi.numbers import plain
from pingyi.round.grading import Band, Grading


@dataclass(frozen=True)
class Facts:
    """What a band can test about one unit."""

    counts: Mapping[str, int]  # per option code, blank, invalid
    valid: int  # marks in the score's denominator
    read: int  # marks of the sheets counted that rate the unit (options, blank, invalid)
    score: Fraction | None
    satisfaction_rate: Fraction | None
    composite: Fraction | None


@dataclass(frozen=True)
class Grade:
    grade: str | None
    reason: str


_WORDS = {"over": ("超过", "未超过"), "at_least": ("达到", "未达到"), "below": ("低于", "不低于")}
_RELATIONS: dict[str, tuple[Relation, Relation]] = {
    "over": (">", "≤"),
    "at_least": ("≥", "<"),
    "below": ("<", "≥"),
}
_MEASURES = {"score": "得分", "satisfaction_rate": "满意率", "composite": "综合得分"}


def grade(
    grading: Grading,
    facts: Facts,
    bases: Mapping[str, int | None],
    labels: Mapping[str, str],
    score_places: int = 2,
) -> Grade:
    """The unit's grade under ``grading`` and why. ``bases`` gives ``members`` and
    ``issued`` (None where the round does not say); ``labels`` option code → label."""
    failed: str | None = None
    for band in grading.bands:
        if not band.tested:
            return Grade(band.grade, failed or "")
        held, words = _test(band, facts, bases, labels, score_places)
        if held is None:
            failed = words
            continue
        if held:
            return Grade(band.grade, failed or words)
        failed = words
    return Grade(None, failed or "")


def _test(
    band: Band, facts: Facts, bases: Mapping[str, int | None], labels: Mapping[str, str], places: int
) -> tuple[bool | None, str]:
    """(whether the band's test holds — None when its value is unknown — and its words)."""
    if band.options is not None:
        count = sum(facts.counts.get(code, 0) for code in band.options)
        base = {"valid": facts.valid, "read": facts.read}.get(band.of, bases.get(band.of))
        who = "和".join(labels.get(code, code) for code in band.options) + f"票{count}张"
        if not base:
            return None, f"{who}，{_base_words(band.of, base)}无从计算"
        value = Fraction(count, base)
        held = _holds(band, value)
        comparison, limit = _stated_comparison(band, value)
        words = _WORDS[comparison][0 if held else 1]
        return held, f"{who}，{words}{_base_words(band.of, base)}{_share_words(limit)}"
    assert band.measure is not None
    measured = getattr(facts, band.measure)
    name = _MEASURES[band.measure]
    if measured is None:
        return None, f"无{name}"
    held = _holds(band, measured)
    comparison, limit = _stated_comparison(band, measured)
    relation = _RELATIONS[comparison][0 if held else 1]
    if band.measure == "satisfaction_rate":
        shown = percent_against(measured, relation, limit, places)
    else:
        shown = shown_against(measured, relation, limit, places)
    return held, f"{name} {shown}，{_WORDS[comparison][0 if held else 1]}{_limit_words(band, limit)}"


def _holds(band: Band, value: Fraction) -> bool:
    return all(_compare(name, value, limit) for name, limit in _comparisons(band))


def _compare(name: str, value: Fraction, limit: Fraction) -> bool:
    return value > limit if name == "over" else value >= limit if name == "at_least" else value < limit


def _comparisons(band: Band) -> list[tuple[str, Fraction]]:
    return [
        (name, getattr(band, name))
        for name in ("over", "at_least", "below")
        if getattr(band, name) is not None
    ]


def _stated_comparison(band: Band, value: Fraction) -> tuple[str, Fraction]:
    """The comparison the words state: the first that fails (so that 90 % failing a band
    of 50 % to 80 % reads 不低于80%, not 未达到50%), or the first where all hold."""
    compared = _comparisons(band)
    return next(((n, limit) for n, limit in compared if not _compare(n, value, limit)), compared[0])


def _base_words(of: str, base: int | None) -> str:
    n = "?" if base is None else str(base)
    return {
        "members": f"全体组成人员{n}人的",
        "issued": f"发放评议表{n}份的",
        "read": f"评议表{n}份的",
        "valid": f"有效票{n}张的",
    }[of]


def _share_words(limit: Fraction) -> str:
    if limit == Fraction(1, 2):
        return "半数"
    return plain(limit * 100) + "%"


def _limit_words(band: Band, limit: Fraction) -> str:
    return plain(limit * 100) + "%" if band.measure == "satisfaction_rate" else plain(limit)
