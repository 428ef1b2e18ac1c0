"""Against the previous round: rank movement and its bonuses (seed 000), escalation (002).

Seed 000 (奖惩兑现): 被评为作风建设先进单位的 +10 分；向前移 5 位以上且移位最多的前两个
单位享受先进单位待遇；其余向前移 5 位以上的 +5 分；向前移 1~4 位的 +3 分. pingyi reads
this as follows, all stated in docs/results.md:

* Movement is compared within a category (ranks are per category); a unit whose
  category changed, or that is new, has no rank change and is reported as such.
* A unit falls in the highest band it reaches (``rises``, by ``at_least``). In a band with
  ``top_advanced: k`` the units whose rise ranks within the top k of that band (ties on
  the cut admitted) get the advanced-unit treatment (``advanced_bonus``).
* ``combine: max`` gives the largest bonus a unit qualifies for; ``sum`` adds the
  advanced bonus (once) and a band's bonus.
* The bonus is reported beside the score (it goes to the annual target assessment, 年度
  目标考核), never added to it, so it cannot change this round's ranks.

Seed 002 (连续两年被评为"末位单位"): ``last_place_streak`` counts rounds in a row at last
place, carried from the previous results; a streak at ``consecutive_last_place`` escalates.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pingyi.engine.rank import competition_ranks
from pingyi.engine.result import CategoryResult, Movement, UnitResult
from pingyi.numbers import plain
from pingyi.round.models import Round


@dataclass(frozen=True)
class PreviousUnit:
    category: str
    rank: int | None
    last_place: bool
    last_place_streak: int


@dataclass(frozen=True)
class PreviousRound:
    round: str
    units: dict[str, PreviousUnit]


def compare(r: Round, previous: PreviousRound, units: list[UnitResult]) -> dict[str, Any]:
    """Each unit's previous rank and change; the ids new in this round and gone from it."""
    current = {u.id for u in units}
    new = []
    for unit in units:
        before = previous.units.get(unit.id)
        if before is None:
            unit.movement = Movement(None, None, "上一轮未参评")
            new.append(unit.id)
        elif before.category != unit.unit.category:
            unit.movement = Movement(before.rank, None, f"上一轮属于类别 {before.category}")
        elif before.rank is None or unit.rank is None:
            unit.movement = Movement(before.rank, None, "无名次，不比较")
        else:
            unit.movement = Movement(before.rank, before.rank - unit.rank)
    gone = sorted(set(previous.units) - current)
    return {"round": previous.round, "new": new, "gone": gone}


def award_bonuses(r: Round, category: CategoryResult) -> None:
    """Seed 000's bonuses for one category's units (after compare and awards)."""
    rules = r.movement
    if rules is None:
        return
    bands = sorted(rules.rises, key=lambda band: band.at_least, reverse=True)
    offers: dict[str, list[tuple[Fraction, str, bool]]] = {u.id: [] for u in category.units}
    if "winner" in rules.advanced:
        for unit in category.units:
            if "winner" in unit.flags:
                offers[unit.id].append((rules.advanced_bonus, "先进单位", True))
    placed: set[str] = set()
    for band in bands:
        members = [u for u in category.units if u.id not in placed and _rise(u) >= band.at_least]
        placed.update(u.id for u in members)
        top = _top_risers(members, band.top_advanced)
        for unit in members:
            moved = f"前移{_rise(unit)}位"
            if unit.id in top:
                offers[unit.id].append(
                    (
                        rules.advanced_bonus,
                        f"{moved}，前移{band.at_least}位以上且移位最多的前"
                        f"{band.top_advanced}名，享受先进单位待遇",
                        True,
                    )
                )
            else:
                offers[unit.id].append((band.bonus, moved, False))
    for unit in category.units:
        if unit.movement is not None:
            _settle(r, unit, offers[unit.id])


def _rise(unit: UnitResult) -> int:
    change = unit.movement.rank_change if unit.movement else None
    return change if change is not None else 0


def _top_risers(members: list[UnitResult], k: int) -> set[str]:
    if not k:
        return set()
    ranks = competition_ranks([(Fraction(_rise(u)),) for u in members])
    return {u.id for u, rank in zip(members, ranks, strict=True) if rank <= k}


def _settle(r: Round, unit: UnitResult, offers: list[tuple[Fraction, str, bool]]) -> None:
    assert unit.movement is not None and r.movement is not None
    if not offers:
        return
    if "veto" in unit.flags and "bonus" in r.awards.veto_blocks:
        unit.movement.bonus_reason = "一票否决，不加分"
        return
    if r.movement.combine == "max":
        bonus, words, _ = max(offers, key=lambda offer: offer[0])
        unit.movement.bonus = bonus
        unit.movement.bonus_reason = f"{words} +{plain(bonus)}"
        return
    advanced = [o for o in offers if o[2]]
    rises = [o for o in offers if not o[2]]
    chosen = advanced[:1] + rises
    unit.movement.bonus = sum((o[0] for o in chosen), Fraction(0))
    unit.movement.bonus_reason = "；".join(f"{o[1]} +{plain(o[0])}" for o in chosen)


def escalate(r: Round, previous: PreviousRound | None, units: list[UnitResult]) -> None:
    """Carry the last-place streak and flag escalation (seed 002: 连续两年末位)."""
    if r.escalation is None:
        return
    for unit in units:
        if unit.movement is None:
            unit.movement = Movement(None, None)
        before = previous.units.get(unit.id) if previous else None
        last = "last_place" in unit.flags
        streak = (before.last_place_streak if before and before.last_place else 0) + 1 if last else 0
        unit.movement.last_place_streak = streak
        if streak >= r.escalation.consecutive_last_place:
            unit.movement.escalated = True
            unit.reasons["escalation"] = f"连续{streak}轮末位单位"
