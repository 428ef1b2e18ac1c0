"""How sure each rank and award is (SPEC "How sure is a rank?"): the tally repeated on
bootstrap replicates of the sheets.

The counting pass gives replicate counts (replicates × units × strata × codes, see
pingyi.ballots.bootstrap): each sheet weighted Poisson(1), so whole sheets are resampled
within each stratum. Here every replicate is scored the way the round scores (sum, mean,
weighted per sheet or by stratum share; the composite with its fixed components), ranked
within each category (score, then satisfaction rate) and awarded (winners among the
eligible, last places, rectification under the line). Per unit: the share of replicates
in which it is a winner, last place, ordered to rectify, and the ``level`` interval of
its rank.

What it measures: sampling noise among the voters who were asked — how much the result
could move under another draw of the same kind of voters. Not bias in who was asked,
nor misreads. Replicates use floating point (they are statistics); the official result
stays exact. Grade-based rules and grade requirements keep the unit's actual grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from pingyi.engine.awards import units_of
from pingyi.engine.result import TallyResult, UnitResult
from pingyi.round.grading import MeasureRequirement
from pingyi.round.models import Round
from pingyi.round.numeric import SCALE

AWARDS = ("winner", "last_place", "rectification")


@dataclass(frozen=True)
class UnitConfidence:
    rank_interval: tuple[int, int] | None
    shares: dict[str, float]  # award -> share of replicates holding it
    uncertain: bool


def confidence(
    r: Round, result: TallyResult, counts: np.ndarray, level: Fraction, sums: np.ndarray | None = None
) -> dict[str, UnitConfidence]:
    """Each unit's confidence, from replicate ``counts`` (replicates, cells, strata, codes)
    and, for numeric marks, ``sums`` (replicates, cells, strata; numbers × 10**4). A cell
    is a unit, or with items a unit × item (pingyi.round.items)."""
    score, rate = _scores(r, counts, sums)
    score = _composite(r, result.units, score, rate)
    out: dict[str, UnitConfidence] = {}
    for category in result.categories:
        if not category.category.ranked:
            continue
        index = [result.units.index(u) for u in category.units]
        held = _awards(
            r, category.category.id, result, [result.units[i] for i in index], score[:, index], rate[:, index]
        )
        ranks = held.pop("rank")
        for j, i in enumerate(index):
            unit = result.units[i]
            out[unit.id] = _unit(unit, ranks[:, j], {a: held[a][:, j] for a in AWARDS}, level)
    return out


def _scores(r: Round, counts: np.ndarray, sums: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Score and satisfaction rate per replicate × unit (nan where undefined): per cell,
    then with items the weighted mean of each unit's items (engine/items.py)."""
    score, rate = _cell_scores(r, counts, sums)
    if not r.items:
        return score, rate
    return _by_unit(r, score), _by_unit(r, rate)


def _by_unit(r: Round, per_cell: np.ndarray) -> np.ndarray:
    """(replicates, units × items) → (replicates, units): Σ w × value / Σ w over the
    items with a value."""
    weights = np.array([float(item.weight) for item in r.items])
    values = per_cell.reshape(per_cell.shape[0], -1, len(weights))
    present = ~np.isnan(values)
    total = (np.where(present, values, 0.0) * weights).sum(2)
    weight = (present * weights).sum(2)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: np.ndarray = np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)
    return result


def _cell_scores(r: Round, counts: np.ndarray, sums: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    scale, options = r.scale, r.mark_options()
    value = [float(o.value) if o.valid else 0.0 for o in options] + [
        float(scale.blank.value) if scale.blank.valid else 0.0,
        0.0,
    ]
    valid = [1.0 if o.valid else 0.0 for o in options] + [1.0 if scale.blank.valid else 0.0, 0.0]
    satisfied = [1.0 if o.valid and o.satisfied else 0.0 for o in options] + [0.0, 0.0]
    base = valid if r.satisfaction.denominator == "valid" else valid[: len(options)] + [0.0, 0.0]
    c = counts.astype(np.float64)
    points, n, sat, b = (c @ np.array(v) for v in (value, valid, satisfied, base))  # (R, U, S)
    if sums is not None:  # numeric marks: the points are the numbers
        points = points + sums.astype(np.float64) / SCALE
    weights = np.array([float(s.weight) for s in r.strata])
    method, multiplier = r.scoring.method, float(r.scoring.multiplier)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "sum":
            score = np.where(n.sum(2) > 0, points.sum(2), np.nan) * multiplier
        elif method == "mean" or r.scoring.weighting == "per_sheet":
            w = weights if method == "weighted_mean" else np.ones_like(weights)
            score = (points * w).sum(2) / (n * w).sum(2) * multiplier
        else:
            score = _share(points, n, weights) * multiplier
        if method == "weighted_mean" and r.scoring.weighting == "stratum_share":
            rate = _share(sat, b, weights)
        else:
            w = weights if method == "weighted_mean" else np.ones_like(weights)
            rate = (sat * w).sum(2) / (b * w).sum(2)
    if scale.numeric is not None and r.satisfaction.satisfied_at_least is None:
        rate = np.full_like(score, np.nan)  # numbers without a satisfied line have no rate
    return score, rate


def _share(num: np.ndarray, den: np.ndarray, weights: np.ndarray) -> np.ndarray:
    rated = den > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(rated, num / np.where(rated, den, 1), 0.0)
        result: np.ndarray = (means * weights).sum(2) / (rated * weights).sum(2)
    return result


def _composite(r: Round, units: list[UnitResult], score: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """The composite per replicate: ballot components from the replicate, the others fixed."""
    if r.composite is None:
        return score
    total = np.zeros_like(score)
    for component in r.composite.components:
        weight = float(component.weight)
        if component.source == "score":
            total += weight * score
        elif component.source == "satisfaction_rate":
            total += weight * rate * 100
        else:
            fixed = [float(u.components[component.name]) if u.components else np.nan for u in units]
            total += weight * np.array(fixed)[None, :]
    deductions = np.array([float(u.deductions or 0) for u in units])
    composite: np.ndarray = total - deductions[None, :]
    return composite


def _measure(requirement: MeasureRequirement, score: np.ndarray, rate: np.ndarray) -> np.ndarray:
    value = rate if requirement.measure == "satisfaction_rate" else score
    with np.errstate(invalid="ignore"):
        if requirement.at_least is not None:
            held: np.ndarray = value >= float(requirement.at_least)
        else:
            held = value < float(requirement.below or 0)
    return held


def _awards(
    r: Round,
    category_id: str,
    result: TallyResult,
    units: list[UnitResult],
    score: np.ndarray,
    rate: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per replicate × unit of one category: rank and each award held (bool)."""
    category = next(c for c in result.categories if c.category.id == category_id)
    ranked = ~np.isnan(score)
    order = np.array([-float(u.rank) if u.rank is not None else -1e9 for u in units])
    ahead = _ahead(score, np.nan_to_num(rate, nan=-1.0), ranked, order)
    rank = np.where(ranked, 1 + ahead.sum(2), 0)
    eligible = ranked & np.array(
        ["veto" not in u.flags or "winner" not in r.awards.veto_blocks for u in units]
    )
    require = category.category.winners_require
    if isinstance(require, MeasureRequirement):
        eligible &= _measure(require, score, rate)
    elif require is not None:
        eligible &= np.array([_grade_of(u, require.grading) == require.wanted for u in units])
    among_eligible = 1 + (ahead & eligible[:, None, :]).sum(2)
    winner = eligible & (among_eligible <= category.winners_allowed)
    pool = ranked.copy()
    among = r.last_place_among_of(category.category)
    if among is not None:
        pool &= _measure(among, score, rate)
    places = np.array(
        [
            units_of(r.last_place_of(category.category), int(k), r.awards.last_place_rounding)
            for k in ranked.sum(1)
        ]
    )
    behind = (
        _ahead(-np.nan_to_num(score, nan=0), -np.nan_to_num(rate, nan=-1.0), pool, -order) & pool[:, None, :]
    ).sum(2)
    last = pool & (behind < places[:, None])
    return {
        "rank": rank,
        "winner": winner,
        "last_place": last,
        "rectification": _rectified(r, units, ranked, winner, last, score, rate),
    }


def _ahead(score: np.ndarray, rate: np.ndarray, ranked: np.ndarray, order: np.ndarray) -> np.ndarray:
    """ahead[r, i, j]: unit j is strictly ahead of unit i in replicate r: by score, then
    rate, then ``order`` (the official ranking, which applied the scheme's whole
    tie-break chain to the actual counts), so exact ties keep the official order."""
    s_i, s_j = score[:, :, None], score[:, None, :]
    t_i, t_j = rate[:, :, None], rate[:, None, :]
    o_i, o_j = order[None, :, None], order[None, None, :]
    with np.errstate(invalid="ignore"):
        later = (t_j > t_i) | ((t_j == t_i) & (o_j > o_i))
        result: np.ndarray = ((s_j > s_i) | ((s_j == s_i) & later)) & ranked[:, None, :] & ranked[:, :, None]
    return result


def _rectified(
    r: Round,
    units: list[UnitResult],
    ranked: np.ndarray,
    winner: np.ndarray,
    last: np.ndarray,
    score: np.ndarray,
    rate: np.ndarray,
) -> np.ndarray:
    rule = r.awards.rectification
    if rule is None:
        return np.zeros_like(ranked)
    if rule.grade is not None:
        grading, wanted = next(iter(rule.grade.items()))
        below = np.array([_grade_of(u, grading) == wanted for u in units])[None, :] & ranked
    else:
        value = rate if rule.measure == "satisfaction_rate" else score
        with np.errstate(invalid="ignore"):
            below = ranked & (value < float(rule.below or 0))
    if "last_place" in rule.excluding:
        below &= ~last
    if "winner" in rule.excluding:
        below &= ~winner
    result: np.ndarray = below
    return result


def _unit(
    unit: UnitResult, ranks: np.ndarray, held: dict[str, np.ndarray], level: Fraction
) -> UnitConfidence:
    shares = {award: float(held[award].mean()) for award in AWARDS}
    ranked = ranks[ranks > 0]
    interval = None
    if len(ranked):
        tail = (1 - float(level)) / 2
        interval = (
            int(np.quantile(ranked, tail, method="lower")),
            int(np.quantile(ranked, 1 - tail, method="higher")),
        )
    agree = [shares[a] if a in unit.flags else 1 - shares[a] for a in AWARDS]
    return UnitConfidence(interval, shares, any(share < float(level) for share in agree))


def _grade_of(unit: UnitResult, grading: str) -> str | None:
    held = unit.grades.get(grading)
    return held.grade if held is not None else None


AWARD_WORDS = {"winner": "优胜单位", "last_place": "末位单位", "rectification": "重点整改单位"}


def apply_confidence(
    r: Round,
    result: TallyResult,
    counts: np.ndarray,
    replicates: int,
    seed: int,
    level: Fraction,
    sums: np.ndarray | None = None,
) -> None:
    """Set each unit's confidence and flag ``uncertain`` where an award it holds, or does
    not hold, agrees with fewer than ``level`` of the replicates; say so in words.
    ``sums`` are a numeric round's replicate sums (BallotCounts.replicate_sums)."""
    if r.scale.numeric is not None and sums is None:  # no sheet counted
        sums = np.zeros(counts.shape[:3], dtype=np.int64)
    found = confidence(r, result, counts, level, sums)
    result.confidence = {
        "replicates": replicates,
        "seed": seed,
        "level": str(level),
        "method": "poisson_bootstrap_within_strata",
    }
    for unit in result.units:
        unit.confidence = found.get(unit.id)
        if unit.confidence is not None and unit.confidence.uncertain:
            unit.flag("uncertain", _words(unit, unit.confidence, level))


def _words(unit: UnitResult, held: UnitConfidence, level: Fraction) -> str:
    parts = []
    for award in AWARDS:
        share = held.shares[award]
        holds = award in unit.flags
        if (share if holds else 1 - share) < float(level):
            status = "" if holds else "（本轮未列入）"
            parts.append(f"{AWARD_WORDS[award]}{status}：在{share:.0%}的重抽样中列入")
    return "；".join(parts)
