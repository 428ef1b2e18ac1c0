"""Awards per category (seed 002 七、奖惩办法, and the practice rules of the SPEC).

* Winners: a unit is a winner when its rank among the category's eligible units (not
  vetoed, and meeting ``winners_require``) is at most the number of winners; a tie on the
  cut-off admits every tied unit and is reported. The number is a count (seed 002: top 5)
  or a share of the category's ranked units (沈阳: top 30 %), turned into units by
  ``winners_rounding`` (30 % of 7 units: down 2, half_up 2, up 3).
* Last place takes every unit tied at the bottom (``last_place: 3`` for 后三名: every
  unit with fewer than three units strictly behind it), counted among the units under
  ``last_place_among``'s line when the round draws last places only from there
  (万众评公务: from the units under 75); with no unit under the line, none.
* Rectification: the measure (满意率 by default) strictly below the threshold, or a grade
  (``{grade: {level: 不合格}}``), apart from the units the scheme excludes (末位单位).
Each flag carries the words that say why, for the human outputs; a figure in them is
shown so that its comparison with the line holds (engine/against.py: 89.995% < 90%, not
90.00% < 90%).
"""

from __future__ import annotations

from fractions import Fraction

from pingyi.engine.against import Relation, percent_against, shown_against
from pingyi.engine.rank import Key, competition_ranks, strictly_behind
from pingyi.engine.result import CategoryResult, UnitResult
from pingyi.numbers import plain
from pingyi.round.grading import GradeRequirement, MeasureRequirement
from pingyi.round.models import Round

_MEASURE_WORDS = {"score": "得分", "satisfaction_rate": "满意率", "composite": "综合得分"}


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


def units_of(number: int | Fraction, ranked: int, rounding: str) -> int:
    """A count as is; a share of ``ranked`` units rounded down, half up or up."""
    if isinstance(number, int):
        return number
    exact = number * ranked
    floor = exact.numerator // exact.denominator
    if rounding == "up":
        return floor + (exact != floor)
    if rounding == "half_up":
        return floor + (exact - floor >= Fraction(1, 2))
    return floor


def _number_words(number: int | Fraction, allowed: int, ranked: int) -> str:
    if isinstance(number, int):
        return f"前{allowed}名"
    return f"前{plain(number * 100)}%（{ranked}个单位中{allowed}名）"


def measure_of(unit: UnitResult, measure: str) -> Fraction | None:
    """A unit's ``score`` (its ranking score: the composite where there is one),
    ``satisfaction_rate`` or ``composite``."""
    if measure == "satisfaction_rate":
        return unit.tallied.satisfaction_rate
    if measure == "composite":
        return unit.score if unit.components is not None else None
    return unit.score


def meets(unit: UnitResult, requirement: GradeRequirement | MeasureRequirement) -> tuple[bool, str]:
    """Whether the unit meets a requirement, and the words for it."""
    if isinstance(requirement, GradeRequirement):
        held = unit.grades.get(requirement.grading)
        got = held.grade if held else None
        return got == requirement.wanted, f"等次{got or '无'}，要求{requirement.wanted}"
    value = measure_of(unit, requirement.measure)
    name = _MEASURE_WORDS[requirement.measure]
    line = requirement.at_least if requirement.at_least is not None else requirement.below
    assert line is not None
    shown_line = plain(line * 100) + "%" if requirement.measure == "satisfaction_rate" else plain(line)
    if value is None:
        return False, f"无{name}"
    if requirement.at_least is not None:
        ok = value >= line
        relation: Relation = "≥" if ok else "<"
    else:
        ok = value < line
        relation = "<" if ok else "≥"
    if requirement.measure == "satisfaction_rate":
        shown = percent_against(value, relation, line, 2)
    else:
        shown = shown_against(value, relation, line, 2)
    return ok, f"{name} {shown} {relation} {shown_line}"


def _winners(r: Round, result: CategoryResult, ranked: list[UnitResult], keys: dict[str, Key]) -> None:
    category = result.category
    allowed = units_of(category.winners, len(ranked), category.winners_rounding)
    result.winners_allowed = allowed
    if not allowed:
        return
    blocked = "winner" in r.awards.veto_blocks
    eligible = [u for u in ranked if not (blocked and "veto" in u.flags)]
    if category.winners_require is not None:
        requirement = category.winners_require
        eligible = [u for u in eligible if meets(u, requirement)[0]]
    ranks = competition_ranks([keys[u.id] for u in eligible])
    chosen = [(u, rank) for u, rank in zip(eligible, ranks, strict=True) if rank <= allowed]
    result.winners_tie_at_cutoff = len(chosen) > allowed
    cutoff = max((rank for _, rank in chosen), default=0)
    places = _number_words(category.winners, allowed, len(ranked))
    for unit, rank in chosen:
        who = "符合条件的单位" if category.winners_require else "非否决单位"
        among = "" if rank == unit.rank else f"，{who}中第{rank}名"
        required = f"，{meets(unit, category.winners_require)[1]}" if category.winners_require else ""
        tie = "（并列于名额线）" if result.winners_tie_at_cutoff and rank == cutoff else ""
        unit.flag("winner", f"第{unit.rank}名{among}{required}，优胜名额{places}{tie}")
        result.winners.append(unit.id)


def _last_place(r: Round, result: CategoryResult, ranked: list[UnitResult], keys: dict[str, Key]) -> None:
    category = result.category
    number = r.last_place_of(category)
    places = units_of(number, len(ranked), r.awards.last_place_rounding)
    among = r.last_place_among_of(category)
    pool = [u for u in ranked if meets(u, among)[0]] if among is not None else ranked
    if not places or not pool:
        return
    behind = strictly_behind([keys[u.id] for u in pool])
    words = "最后一名" if places == 1 else f"后{places}名"
    under = ""
    if among is not None:
        side = "低于" if among.below is not None else "不低于"
        under = f"{_MEASURE_WORDS[among.measure]}{side}{_line(among)}的单位中"
    for unit, count in zip(pool, behind, strict=True):
        if count < places:
            unit.flag("last_place", f"{category.name}{under}{words}（第{unit.rank}名，共{len(ranked)}个）")
            result.last_place.append(unit.id)


def _line(requirement: MeasureRequirement) -> str:
    line = requirement.below if requirement.below is not None else requirement.at_least
    assert line is not None
    return plain(line * 100) + "%" if requirement.measure == "satisfaction_rate" else plain(line)


def _rectification(r: Round, result: CategoryResult, ranked: list[UnitResult]) -> None:
    rule = r.awards.rectification
    if rule is None:
        return
    for unit in ranked:
        if any(flag in unit.flags for flag in rule.excluding):
            continue
        if rule.grade is not None:
            grading, wanted = next(iter(rule.grade.items()))
            held = unit.grades.get(grading)
            if held is not None and held.grade == wanted:
                name = r.grading(grading)
                unit.flag("rectification", f"{name.name if name else grading}为{wanted}")
                result.rectification.append(unit.id)
            continue
        assert rule.below is not None
        if rule.measure == "satisfaction_rate":
            value = unit.tallied.satisfaction_rate
            if value is not None and value < rule.below:
                shown = percent_against(value, "<", rule.below, r.satisfaction.precision)
                unit.flag("rectification", f"满意率 {shown} < {plain(rule.below * 100)}%")
                result.rectification.append(unit.id)
        elif unit.score is not None and unit.score < rule.below:
            shown = shown_against(unit.score, "<", rule.below, r.scoring.precision)
            unit.flag("rectification", f"得分 {shown} < {plain(rule.below)}")
            result.rectification.append(unit.id)
