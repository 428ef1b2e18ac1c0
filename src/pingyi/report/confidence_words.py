"""How sure a rank is, in words for people (SPEC "How sure is a rank?"), drawn from
results.json's ``confidence`` figures: the workbook's 置信度 sheet and category columns,
and each unit's feedback.

"末位单位：农办 在82%的重抽样中，外经局 16%" says who holds an award in how many of the
resamples; "末位单位：在82%的重抽样中列入；名次区间 43–45" says it of one unit.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingyi.flags import AWARD_FLAGS, flag
from pingyi.numbers import plain

#: The awards results.json's confidence figures are given for, from the flags table (so
#: the workbook does not load the bootstrap's engine to name them).
AWARDS = tuple(award.id for award in AWARD_FLAGS)

#: Number format of a share of replicates in a workbook cell.
SHARE_FORMAT = "0%"


def percent(share: float) -> str:
    """A share of replicates as people read it: ``82%``, ``<1%``, ``>99%``, exact ends."""
    if share in (0, 1):
        return f"{share:.0%}"
    if share < 0.01:
        return "<1%"
    return ">99%" if share > 0.99 else f"{share:.0%}"


def interval(rank_interval: list[int] | None) -> str:
    """``43–45``, or the rank alone when the interval is one place."""
    if not rank_interval:
        return ""
    lo, hi = rank_interval
    return str(lo) if lo == hi else f"{lo}–{hi}"


def method_line(document: dict[str, Any], lang: str) -> str:
    """``重抽样1000次（种子2026），名次区间取95%``: how the figures were made."""
    config = document["confidence"]
    level = _level(config["level"])
    if lang == "en":
        return (
            f"{config['replicates']} resamples of the sheets within each stratum (seed {config['seed']}); "
            f"rank intervals hold {level} of them"
        )
    return f"各评议层面内重抽样{config['replicates']}次（种子{config['seed']}），名次区间覆盖{level}的重抽样"


def award_line(document: dict[str, Any], category: dict[str, Any], award: str, lang: str) -> str | None:
    """``末位单位：农办 在82%的重抽样中，外经局 16%``; None when no unit holds the award in
    any resample."""
    held = category.get("confidence", {}).get(award, [])
    if not held:
        return None
    names = {u["id"]: u["name"] for u in document["units"]}
    title = flag(award).list_title(lang)
    (first, share), rest = held[0], held[1:]
    if lang == "en":
        parts = [f"{names[first]} in {percent(share)} of resamples"]
        parts += [f"{names[unit]} {percent(s)}" for unit, s in rest]
        return f"{title}: " + "; ".join(parts)
    parts = [f"{names[first]} 在{percent(share)}的重抽样中"]
    parts += [f"{names[unit]} {percent(s)}" for unit, s in rest]
    return f"{title}：" + "，".join(parts)


def unit_line(unit: dict[str, Any], lang: str) -> str | None:
    """``末位单位：在82%的重抽样中列入；名次区间 43–45``: the awards the unit holds in any
    resample (or holds in the count), and its rank interval; None without confidence."""
    figures = unit.get("confidence")
    if not figures:
        return None
    parts = []
    for award in AWARDS:
        share = figures.get(award, 0)
        if share or award in unit["flags"]:
            title = flag(award).list_title(lang)
            if lang == "en":
                parts.append(f"{title}: in {percent(share)} of resamples")
            else:
                parts.append(f"{title}：在{percent(share)}的重抽样中列入")
    if figures.get("rank_interval"):
        shown = interval(figures["rank_interval"])
        parts.append(f"rank interval {shown}" if lang == "en" else f"名次区间 {shown}")
    return ("; " if lang == "en" else "；").join(parts)


def _level(text: str) -> str:
    return f"{plain(Fraction(text) * 100)}%"
