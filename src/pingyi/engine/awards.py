"""Awards per category (seed 002 七、奖惩办法): winners, last place, rectification, veto.

* A unit is a winner when its rank among the category's non-vetoed units is at most the
  category's ``winners``; a tie on the cut-off admits every tied unit and is reported.
* Last place takes every unit tied at the bottom (``last_place: 3`` for 后三名: every
  unit with fewer than three units strictly behind it).
* Rectification: the measure (满意率 by default) strictly below the threshold, apart from
  the units the scheme excludes (末位单位 in seed 002).
Each flag carries the words that say why, for the human outputs.
"""

from __future__ import annotations

from pingyi.engine.rank import Key, competition_ranks, strictly_behind
from pingyi.engine.result import CategoryResult, UnitResult
from pingyi.numbers import plain, show, show_percent
from pingyi.round.models import Round


def mark_veto(r: Round, units: list[UnitResult]) -> None:
    vetoed = set(r.veto)
    blocks = "，不得评为优胜单位" if "winner" in r.awards.veto_blocks else ""
    for unit in units:
        if unit.id in vetoed:
            unit.flag("veto", f"一票否决{blocks}")


def award(r: Round, result: CategoryResult, keys: dict[str, Key]) -> None:
    """Fill the category's lists and its units' flags; ``keys`` holds the ranked units."""
    ranked = [u for u in result.units if u.id in keys]
    _winners(r, result, ranked, keys)
    _last_place(r, result, ranked, keys)
    _rectification(r, result, ranked)


def _winners(r: Round, result: CategoryResult, ranked: list[UnitResult], keys: dict[str, Key]) -> None:
    allowed = result.category.winners
    if not allowed:
        return
    blocked = "winner" in r.awards.veto_blocks
    eligible = [u for u in ranked if not (blocked and "veto" in u.flags)]
    ranks = competition_ranks([keys[u.id] for u in eligible])
    chosen = [(u, rank) for u, rank in zip(eligible, ranks, strict=True) if rank <= allowed]
    result.winners_tie_at_cutoff = len(chosen) > allowed
    cutoff = max((rank for _, rank in chosen), default=0)
    for unit, rank in chosen:
        among = "" if rank == unit.rank else f"，非否决单位中第{rank}名"
        tie = "（并列于名额线）" if result.winners_tie_at_cutoff and rank == cutoff else ""
        unit.flag("winner", f"第{unit.rank}名{among}，优胜名额前{allowed}名{tie}")
        result.winners.append(unit.id)


def _last_place(r: Round, result: CategoryResult, ranked: list[UnitResult], keys: dict[str, Key]) -> None:
    places = r.last_place_of(result.category)
    if not places or not ranked:
        return
    behind = strictly_behind([keys[u.id] for u in ranked])
    words = "最后一名" if places == 1 else f"后{places}名"
    for unit, count in zip(ranked, behind, strict=True):
        if count < places:
            unit.flag("last_place", f"{result.category.name}{words}（第{unit.rank}名，共{len(ranked)}个）")
            result.last_place.append(unit.id)


def _rectification(r: Round, result: CategoryResult, ranked: list[UnitResult]) -> None:
    rule = r.awards.rectification
    if rule is None:
        return
    for unit in ranked:
        if any(flag in unit.flags for flag in rule.excluding):
            continue
        if rule.measure == "satisfaction_rate":
            value = unit.tallied.satisfaction_rate
            if value is not None and value < rule.below:
                precision = r.satisfaction.precision
                unit.flag(
                    "rectification", f"满意率 {show_percent(value, precision)} < {plain(rule.below * 100)}%"
                )
                result.rectification.append(unit.id)
        elif unit.score is not None and unit.score < rule.below:
            unit.flag("rectification", f"得分 {show(unit.score, r.scoring.precision)} < {plain(rule.below)}")
            result.rectification.append(unit.id)
