"""The tally: counts → scores → (composite) → ranks → awards → movement, in that order.

Pure: it takes the counted ballots and the side files' values (:mod:`pingyi.sidefiles`)
and returns a :class:`TallyResult`; it opens no file and prints nothing (STYLE 3).
"""

from __future__ import annotations

from fractions import Fraction

from pingyi.ballots.count import BallotCounts
from pingyi.engine import awards, movement
from pingyi.engine.composite import Adjustments, Sourced, composite_score
from pingyi.engine.grades import Facts, grade
from pingyi.engine.items import combine, weighted
from pingyi.engine.movement import PreviousRound
from pingyi.engine.opinions import Opinion
from pingyi.engine.rank import Key, competition_ranks, rank_key
from pingyi.engine.result import CategoryResult, TallyResult, UnitResult
from pingyi.engine.score import Scorer, UnitScore
from pingyi.errors import Problem
from pingyi.round.models import Round


def tally(
    counts: BallotCounts,
    adjustments: Adjustments | None = None,
    previous: PreviousRound | None = None,
    opinions: list[Opinion] | None = None,
    sourced: Sourced | None = None,
) -> TallyResult:
    """The official result of a round from its counted ballots and its side files' values."""
    r = counts.round
    scorer = Scorer(r, counts.codes)
    units = _unit_results(r, _scores(r, scorer, counts), adjustments or {}, sourced or {})
    _grade(r, counts, units)
    awards.mark_veto(r, units)
    categories = [_category(r, counts, scorer, units, c.id) for c in r.categories]
    result = TallyResult(
        units,
        categories,
        _overall(r, scorer, counts, list(range(len(units))), units),
        opinions=opinions or [],
    )
    if previous is not None:
        result.previous = movement.compare(r, previous, units)
        for category in categories:
            movement.award_bonuses(r, category)
    movement.escalate(r, previous, units)
    result.problems.extend(_overlaps(categories))
    result.problems.extend(
        Problem(
            "",
            None,
            "",
            "no_valid_mark",
            f"unit {u.id} ({u.unit.name}) has no valid mark: not ranked",
            "warning",
        )
        for u in units
        if u.score is None
    )
    return result


def _scores(r: Round, scorer: Scorer, counts: BallotCounts) -> list[UnitScore]:
    """Each unit's figures: from its counts, or with items from its items' (engine/items.py)."""
    cells = [
        scorer.unit(counts.counts[c], counts.sums[c] if counts.sums is not None else None)
        for c in range(len(counts.counts))
    ]
    if not r.items:
        return cells
    n = len(r.items)
    return [combine(r, cells[u * n : (u + 1) * n]) for u in range(len(r.units))]


def _grade(r: Round, counts: BallotCounts, units: list[UnitResult]) -> None:
    """Each unit's grade under each of the round's gradings (SPEC "Grades and verdicts")."""
    if not r.grades:
        return
    issued = [s.issued for s in r.strata if s.issued is not None]
    bases = {"members": r.members, "issued": sum(issued) if issued else None}
    labels = {o.code: o.label for o in r.mark_options()} | {"blank": r.scale.blank.label}
    for unit in units:
        marks = dict(zip(counts.codes.names, unit.tallied.counts, strict=True))
        facts = Facts(
            marks,
            unit.tallied.valid,
            sum(marks.values()),
            unit.score,
            unit.tallied.satisfaction_rate,
            unit.score if unit.components is not None else None,
        )
        for grading in r.grades:
            unit.grades[grading.id] = grade(grading, facts, bases, labels, r.scoring.precision)


def _unit_results(
    r: Round, scores: list[UnitScore], adjustments: Adjustments, sourced: Sourced
) -> list[UnitResult]:
    results = []
    for unit, tallied in zip(r.units, scores, strict=True):
        if r.composite is None:
            results.append(UnitResult(unit, tallied, tallied.score))
            continue
        own = {name: values[unit.id] for name, values in sourced.items() if unit.id in values}
        score, parts, deductions = composite_score(
            r.composite, tallied.score, tallied.satisfaction_rate, adjustments.get(unit.id, {}), own
        )
        results.append(UnitResult(unit, tallied, score, parts, deductions))
    return results


def _category(
    r: Round, counts: BallotCounts, scorer: Scorer, units: list[UnitResult], category_id: str
) -> CategoryResult:
    category = r.category(category_id)
    assert category is not None
    members = [u for u in units if u.unit.category == category_id]
    indices = [i for i, u in enumerate(units) if u.unit.category == category_id]
    pooled = _overall(r, scorer, counts, indices, members)
    if not category.ranked:
        return CategoryResult(category, members, satisfaction_rate=pooled)
    keys: dict[str, Key] = {
        u.id: rank_key(u.score, u.tallied, r.scoring.tie_break, counts.codes)
        for u in members
        if u.score is not None
    }
    ranked = [u for u in members if u.id in keys]
    for unit, rank in zip(ranked, competition_ranks([keys[u.id] for u in ranked]), strict=True):
        unit.rank = rank
    _flag_ties(ranked)
    order = sorted(ranked, key=lambda u: u.rank or 0) + [u for u in members if u.id not in keys]
    result = CategoryResult(category, order, satisfaction_rate=pooled)
    awards.award(r, result, keys)
    return result


def _flag_ties(ranked: list[UnitResult]) -> None:
    by_rank: dict[int, list[UnitResult]] = {}
    for unit in ranked:
        by_rank.setdefault(unit.rank or 0, []).append(unit)
    for rank, tied in by_rank.items():
        if len(tied) > 1:
            for unit in tied:
                others = "、".join(u.unit.name for u in tied if u is not unit)
                unit.flag("tie", f"与{others}并列第{rank}名")


def _overall(
    r: Round, scorer: Scorer, counts: BallotCounts, indices: list[int], units: list[UnitResult]
) -> Fraction | None:
    """A rate over several units (``indices``), formed as ``satisfaction.overall`` says.
    Pooled with items: each item's marks pooled over the units, then the items' rates
    weighted as a unit's are (engine/items.py)."""
    if r.satisfaction.overall == "pooled":
        if not units:
            return None
        n = max(len(r.items), 1)
        rates: list[Fraction | None] = []
        for item in range(n):
            cells = [u * n + item for u in indices]
            sums = counts.sums[cells].sum(axis=0) if counts.sums is not None else None
            rates.append(scorer.unit(counts.counts[cells].sum(axis=0), sums).satisfaction_rate)
        if not r.items:
            return rates[0]
        return weighted([(item.weight, rate) for item, rate in zip(r.items, rates, strict=True)])
    means = [u.tallied.satisfaction_rate for u in units if u.tallied.satisfaction_rate is not None]
    return sum(means, Fraction(0)) / len(means) if means else None


def _overlaps(categories: list[CategoryResult]) -> list[Problem]:
    """A unit that is both 优胜 and 末位 (winners and last places that together exceed a
    small category, ties, a veto): the awards contradict each other, so the run fails its
    check (exit 1 under --strict) and says which units."""
    problems = []
    for category in categories:
        both = [u for u in category.units if u.id in category.winners and u.id in category.last_place]
        if both:
            names = "、".join(u.unit.name for u in both)
            problems.append(
                Problem(
                    "",
                    None,
                    f"categories.{category.category.id}",
                    "award_overlap",
                    f"{category.category.name}: {names} 同时为优胜单位和末位单位 "
                    "(both winner and last place); fewer winners or last places would separate them",
                    "failure",
                )
            )
    return problems
